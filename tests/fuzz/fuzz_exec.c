/*
 * fuzz_exec.c - libFuzzer harness for execution. The input is
 *   byte 0: SP1 major (3/4/5 by value % 3), byte 1: flags,
 *   then 4-byte little-endian words: the text (undecodable words become
 *   `addi x0,x0,0`), the first 64 words also being the data segment,
 *   and the input bytes after the words, as two stdin items.
 * It runs with a 50k cycle limit and a 64 MiB memory ceiling, once on the
 * fast path and once on the reference stepper, and requires both to agree.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/log.h"
#include "base/mem.h"
#include "zkvm/decode.h"
#include "zkvm/zkvm_int.h"
#include "../unit/zkvm_asm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const struct zkvm_program *p, const struct zkvm_stdin *in,
                bool slow, struct zkvm_result *res, uint32_t regs[32])
{
    struct zkvm *vm;
    struct zkvm_limits lim;
    zkvm_limits_default(&lim);
    lim.cycle_limit = 50000;
    lim.max_memory = 64u << 20;
    memset(res, 0, sizeof(*res));
    if (zkvm_new(&vm, p, in, &lim) != ZK_OK) {
        return;
    }
    vm->force_slow = slow;
    (void)zkvm_run(vm, res);
    memcpy(regs, vm->regs, 32 * sizeof(uint32_t));
    zkvm_free(vm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t code[1024], regs_f[32], regs_s[32];
    size_t n = 0, len, nw;
    uint8_t *elf;
    struct zkvm_program p;
    struct zkvm_stdin in;
    struct zkvm_result rf, rs;
    enum zkvm_sp1_major major;

    zk_log_set_level(ZK_LOG_SILENT);
    if (size < 6) {
        return 0;
    }
    major = (enum zkvm_sp1_major)(3 + data[0] % 3);
    nw = (size - 2) / 4;
    if (nw > 1000) {
        nw = 1000;
    }
    for (size_t k = 0; k < nw; k++) {
        struct zkvm_insn d;
        uint32_t w = (uint32_t)data[2 + 4 * k] |
                     ((uint32_t)data[3 + 4 * k] << 8) |
                     ((uint32_t)data[4 + 4 * k] << 16) |
                     ((uint32_t)data[5 + 4 * k] << 24);
        code[n++] = zkvm_decode(w, &d) ? w : 0x00000013u;
    }
    elf =
        rv_elf(code, n, code, n < 64 ? n : 64, (data[1] & 1) ? 4096 : 0, &len);
    if (!elf) {
        return 0;
    }
    if (zkvm_program_load(&p, elf, len, major) != ZK_OK) {
        zk_free(elf);
        return 0;
    }
    zkvm_stdin_init(&in);
    {
        size_t rest = size - 2 - 4 * nw, half = rest / 2;
        const uint8_t *tail = data + 2 + 4 * nw;
        (void)zkvm_stdin_add(&in, tail, half);
        (void)zkvm_stdin_add(&in, tail + half, rest - half);
    }
    run(&p, &in, false, &rf, regs_f);
    run(&p, &in, true, &rs, regs_s);
    if (rf.status != rs.status || rf.cycles != rs.cycles ||
        rf.public_values_len != rs.public_values_len ||
        (rf.status == ZKVM_STATUS_HALTED &&
         memcmp(regs_f, regs_s, sizeof(regs_f)) != 0)) {
        __builtin_trap();
    }
    zkvm_result_cleanup(&rf);
    zkvm_result_cleanup(&rs);
    zkvm_stdin_cleanup(&in);
    zkvm_program_cleanup(&p);
    zk_free(elf);
    return 0;
}
