/*
 * gen_rv_random.c - prints a random RV32IM instruction sequence as a GNU
 * assembler function `rand_body(uint8_t *scratch)` for the qemu
 * differential test: random register values (with corner cases), every
 * ALU/M op, loads and stores of every width at random offsets into the
 * 2 KiB scratch area (s0), and forward branches. At the end all registers
 * but s0/sp are stored at scratch + 2048. Usage: gen_rv_random SEED [N].
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t s;
static uint32_t rnd(void)
{
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return (uint32_t)(s >> 11);
}

static unsigned reg(void)
{
    unsigned r;
    do {
        r = 1 + rnd() % 31;
    } while (r == 2 || r == 8);
    return r;
}

/* a source register: any but sp and s0, whose values are addresses that
 * depend on the link layout */
static unsigned src(void)
{
    unsigned r;
    do {
        r = rnd() % 32;
    } while (r == 2 || r == 8);
    return r;
}

int main(int argc, char **argv)
{
    static const char *rops[] = {
        "add", "sub", "sll",  "slt",    "sltu",  "xor", "srl",  "sra", "or",
        "and", "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"};
    static const char *iops[] = {"addi", "slti", "sltiu",
                                 "xori", "ori",  "andi"};
    static const char *sops[] = {"slli", "srli", "srai"};
    static const char *lops[] = {"lb", "lh", "lw", "lbu", "lhu"};
    static const char *stops[] = {"sb", "sh", "sw"};
    static const char *bops[] = {"beq", "bne", "blt", "bge", "bltu", "bgeu"};
    static const uint32_t edge[] = {
        0, 1, 2, 0xffffffffu, 0x80000000u, 0x7fffffffu, 31, 32, 0xfffff800u};
    unsigned n = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 400,
             label = 0;
    s = 0x9e3779b97f4a7c15ull ^
        (uint64_t)strtoull(argc > 1 ? argv[1] : "1", NULL, 10) * 0x2545f491ull;
    if (!s) {
        s = 1;
    }
    printf("\t.option norelax\n\t.text\n\t.globl rand_body\nrand_body:\n");
    printf("\tla t0, rb_saved\n\tsw sp, 0(t0)\n\tsw ra, 4(t0)\n"
           "\tsw gp, 8(t0)\n\tsw tp, 12(t0)\n\tmv s0, a0\n");
    for (unsigned r = 1; r < 32; r++) {
        if (r == 2 || r == 8) {
            continue;
        }
        printf("\tli x%u, %u\n", r,
               rnd() % 3 ? rnd() : edge[rnd() % (sizeof(edge) / 4)]);
    }
    for (unsigned i = 0; i < n; i++) {
        unsigned k = rnd() % 12;
        if (k < 4) {
            printf("\t%s x%u, x%u, x%u\n", rops[rnd() % 18], reg(), src(),
                   src());
        } else if (k < 6) {
            printf("\t%s x%u, x%u, %d\n", iops[rnd() % 6], reg(), src(),
                   (int)(rnd() % 4096) - 2048);
        } else if (k < 7) {
            printf("\t%s x%u, x%u, %u\n", sops[rnd() % 3], reg(), src(), src());
        } else if (k < 8) {
            unsigned w = rnd() % 5,
                     sz = (w % 3 == 0) ? 1 : (w % 3 == 1 ? 2 : 4);
            printf("\t%s x%u, %u(s0)\n", lops[w], reg(),
                   (rnd() % 2040) & ~(sz - 1));
        } else if (k < 9) {
            unsigned w = rnd() % 3;
            printf("\t%s x%u, %u(s0)\n", stops[w], src(),
                   (rnd() % 2040) & ~((1u << w) - 1));
        } else if (k < 10) {
            unsigned skip = 1 + rnd() % 3;
            unsigned lab = 1 + label++ % 9;
            printf("\t%s x%u, x%u, %uf\n", bops[rnd() % 6], src(), src(), lab);
            for (unsigned j = 0; j < skip; j++) {
                printf("\taddi x%u, x%u, %u\n", reg(), src(), rnd() % 64);
            }
            printf("%u:\n", lab);
        } else if (k < 11 && rnd() % 4 == 0) {
            /* a short counted loop (backward branch) around random ALU ops,
             * or a forward jal whose link value is masked */
            unsigned lab = 1 + label++ % 9, cnt = reg(), body = reg();
            if (rnd() & 1) {
                while (body == cnt) {
                    body = reg();
                }
                printf("\tli x%u, %u\n%u:\n", cnt, 1 + rnd() % 20, lab);
                printf("\t%s x%u, x%u, x%u\n", rops[rnd() % 10], body, body,
                       src());
                printf("\taddi x%u, x%u, -1\n\tbnez x%u, %ub\n", cnt, cnt, cnt,
                       lab);
            } else {
                printf("\tjal x%u, %uf\n\taddi x%u, x%u, 1\n%u:\n", cnt, lab,
                       body, body, lab);
                printf("\tandi x%u, x%u, 0x7ff\n", cnt, cnt);
            }
        } else if (k < 11) {
            printf("\tlui x%u, %u\n", reg(), rnd() & 0xfffff);
        } else {
            /* auipc: the value depends on the link address, identical in
             * both builds; keep only the low 12 bits to be layout-proof */
            unsigned r = reg();
            printf("\tauipc x%u, %u\n\tandi x%u, x%u, 0x7ff\n", r,
                   rnd() & 0xfffff, r, r);
        }
    }
    printf("\taddi s0, s0, 1024\n\taddi s0, s0, 1024\n");
    for (unsigned r = 1; r < 32; r++) {
        if (r != 2 && r != 8) {
            printf("\tsw x%u, %u(s0)\n", r, 4 * r);
        }
    }
    printf("\tla t0, rb_saved\n\tlw sp, 0(t0)\n\tlw ra, 4(t0)\n"
           "\tlw gp, 8(t0)\n\tlw tp, 12(t0)\n\tret\n");
    printf("\t.data\n\t.balign 4\nrb_saved:\t.word 0, 0, 0, 0\n");
    return 0;
}
