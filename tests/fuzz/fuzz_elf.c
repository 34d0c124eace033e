/*
 * fuzz_elf.c - libFuzzer harness for the SP1 ELF loader (zkvm_program_load)
 * under every version rule set, and for the stdin parsers (bincode, JSON).
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "zkvm/program.h"
#include "zkvm/zkvm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum zkvm_sp1_major majors[] = {ZKVM_SP1_AUTO, ZKVM_SP1_V3,
                                                 ZKVM_SP1_V4, ZKVM_SP1_V5};
    struct zkvm_stdin in;
    zk_log_set_level(ZK_LOG_SILENT);
    for (size_t k = 0; k < sizeof(majors) / sizeof(majors[0]); k++) {
        struct zkvm_program p;
        if (zkvm_program_load(&p, data, size, majors[k]) == ZK_OK) {
            /* invariants the executor and the vk code rely on */
            for (size_t i = 1; i < p.n_image; i++) {
                if (p.image[i - 1].addr >= p.image[i].addr) {
                    __builtin_trap();
                }
            }
            if (p.n_insns == 0) {
                __builtin_trap();
            }
        }
        zkvm_program_cleanup(&p);
    }
    zkvm_stdin_init(&in);
    (void)zkvm_stdin_parse_bincode(&in, data, size);
    zkvm_stdin_cleanup(&in);
    zkvm_stdin_init(&in);
    (void)zkvm_stdin_parse_json(&in, (const char *)data, size);
    zkvm_stdin_cleanup(&in);
    return 0;
}
