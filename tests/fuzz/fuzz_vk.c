/*
 * fuzz_vk.c - libFuzzer harness for the vk transpiler and its inputs.
 *
 * The input is read three ways:
 *   1. as little-endian instruction words: vk_transpile_v3 must accept
 *      exactly the words zkvm_decode accepts (two independent decoders of
 *      SP1's rrs-lib rules; a disagreement aborts), and the Program rows
 *      built from accepted words must be well-formed (selectors one-hot);
 *   2. as an ELF: when zkvm_program_load accepts it, every instruction of
 *      the program must transpile (the vk itself is too slow to fuzz; its
 *      engine is covered by the unit tests' naive reference);
 *   3. as a bytes32 string for vk_bytes32_decode (round-trip on success).
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/log.h"
#include "base/mem.h"
#include "vk/transpile.h"
#include "vk/vk.h"
#include "vk/vk_int.h"
#include "zkvm/decode.h"
#include "zkvm/program.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void words(const uint8_t *data, size_t size)
{
    uint32_t w[64], rows[37];
    size_t n = size / 4 < 64 ? size / 4 : 64;
    for (size_t i = 0; i < n; i++) {
        struct vk_insn in;
        struct zkvm_insn z;
        w[i] = zk_load_le32(data + 4 * i);
        bool a = vk_transpile_v3(w[i], &in);
        if (a != zkvm_decode(w[i], &z)) {
            abort(); /* the two decoders disagree on SP1's rules */
        }
        if (!a) {
            continue;
        }
        if (vk_v3_program_rows(rows, &w[i], 1, 0x200800) != ZK_OK) {
            abort();
        }
        unsigned sel = 0;
        for (int c = 17; c < 37; c++) {
            sel += rows[c];
        }
        if (sel > 1 || (sel == 0) != (in.opcode == VK_V3_EBREAK)) {
            abort();
        }
        for (int c = 2; c < 14; c++) {
            if (rows[c] > 255) {
                abort();
            }
        }
    }
}

static void elf(const uint8_t *data, size_t size)
{
    struct zkvm_program p;
    memset(&p, 0, sizeof(p));
    if (zkvm_program_load(&p, data, size, ZKVM_SP1_V3) == ZK_OK &&
        p.n_insns <= 4096) {
        uint32_t *rows = zk_calloc(p.n_insns + 1, 37 * sizeof(uint32_t));
        if (rows != NULL &&
            vk_v3_program_rows(rows, p.insns, p.n_insns, p.pc_base) != ZK_OK) {
            abort(); /* the loader accepted a word the transpiler rejects */
        }
        zk_free(rows);
    }
    zkvm_program_cleanup(&p);
}

static void bytes32(const uint8_t *data, size_t size)
{
    char s[80];
    uint32_t u[8];
    uint8_t hb[32];
    size_t n = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
    memcpy(s, data, n);
    s[n] = '\0';
    if (vk_bytes32_decode(u, hb, s) == ZK_OK) {
        struct vk_result r;
        memset(&r, 0, sizeof(r));
        memcpy(r.hash_u32, u, sizeof(u));
        vk_result_encode(&r);
        uint32_t back[8];
        if (vk_bytes32_decode(back, NULL, r.bytes32) != ZK_OK ||
            memcmp(back, u, sizeof(u)) != 0 ||
            memcmp(r.hash_bytes, hb, 32) != 0) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int quiet;
    if (!quiet) {
        zk_log_set_level(ZK_LOG_SILENT);
        quiet = 1;
    }
    words(data, size);
    elf(data, size);
    bytes32(data, size);
    return 0;
}
