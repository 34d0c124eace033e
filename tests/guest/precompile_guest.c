/*
 * precompile_guest.c - an RV32IM guest (built with riscv64-unknown-elf-gcc
 * -march=rv32im) that drives the executor's precompile syscalls and hooks
 * for tests/unit/test_precompile_guest.c.
 *
 * stdin item 0: u32 pv_fd, then records
 *   u32 id, u32 mode, u32 alen, u32 blen, u32 arg, A (alen bytes),
 *   B (blen bytes)           (all lengths multiples of 4)
 * mode 0: ecall(id, A, B)          1: ecall(id, A, arg)
 *      2: ecall(id, A, B, x12 = LO, x13 = HI) (U256XU2048_MUL)
 *      3: hook: WRITE(id, A, blen) (blen = exact byte count, no B), then
 *         read `arg` answer items
 *      4: ecall(id, A + 2, B) (a misaligned pointer)
 *      5: like 0, but A is the next stdin item left untouched in the hint
 *         area (SP1's peek path sees zeros there, traced reads see it)
 *      6: like 0, but B is the next stdin item left in the hint area
 * After each record the guest writes A then B (then LO||HI for mode 2) to
 * pv_fd; for mode 3 it writes each answer as u32 length || bytes instead. At
 * the end it hashes everything it wrote with the SHA_EXTEND/SHA_COMPRESS
 * syscalls, COMMITs the digest and HALTs with 0.
 */
#include <stddef.h>
#include <stdint.h>

typedef uint32_t u32;

#define SYS_HALT         0x00u
#define SYS_WRITE        0x02u
#define SYS_COMMIT       0x10u
#define SYS_HINT_LEN     0xF0u
#define SYS_HINT_READ    0xF1u
#define SYS_SHA_EXTEND   0x00300105u
#define SYS_SHA_COMPRESS 0x00010106u

static inline u32 ecall4(u32 id, u32 a0, u32 a1, u32 a2, u32 a3)
{
    u32 ret;
    /* Move the operands into t0/a0..a3 inside the asm: with register
     * variables gcc may reuse t0 as a scratch register in between. */
    __asm__ volatile("mv t0, %1\n\tmv a0, %2\n\tmv a1, %3\n\t"
                     "mv a2, %4\n\tmv a3, %5\n\tecall\n\tmv %0, t0"
                     : "=r"(ret)
                     : "r"(id), "r"(a0), "r"(a1), "r"(a2), "r"(a3)
                     : "t0", "a0", "a1", "a2", "a3", "memory");
    return ret;
}

static inline u32 ecall2(u32 id, u32 a0, u32 a1)
{
    return ecall4(id, a0, a1, 0, 0);
}

void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dd = d;
    const unsigned char *ss = s;
    while (n--) {
        *dd++ = *ss++;
    }
    return d;
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *dd = d;
    while (n--) {
        *dd++ = (unsigned char)c;
    }
    return d;
}

#define IN_MAX  (96 * 1024)
#define PV_MAX  (160 * 1024)
#define BUF_MAX 1024

static u32 in_buf[IN_MAX / 4];
static u32 pv_copy[PV_MAX / 4 + 32];
static u32 a_buf[BUF_MAX / 4], b_buf[BUF_MAX / 4], t_buf[BUF_MAX / 4];
static u32 lo_buf[64], hi_buf[8];
static u32 pv_len, pv_fd;

static void halt(u32 code)
{
    ecall2(SYS_HALT, code, 0);
    for (;;) {
    }
}

static void out(const void *p, u32 n)
{
    const unsigned char *b = p;
    unsigned char *dst = (unsigned char *)pv_copy;
    if (pv_len + n > PV_MAX) {
        halt(3);
    }
    ecall4(SYS_WRITE, pv_fd, (u32)p, n, 0);
    for (u32 i = 0; i < n; i++) {
        dst[pv_len + i] = b[i];
    }
    pv_len += n;
}

/* Hinted words only show up in memory the guest has never touched (and
 * that is not part of the ELF image), so every item lands in fresh memory
 * above the image first, like SP1's own allocator does with 0x38000000. */
static u32 hint_next = 0x38000000u;

/* Reads the next stdin item into dst (capacity cap bytes), returns its
 * length. The word loads copy it out of the fresh hint area. */
static u32 read_item(u32 *dst, u32 cap)
{
    u32 n = ecall2(SYS_HINT_LEN, 0, 0);
    volatile u32 *src = (volatile u32 *)hint_next;
    if (n > cap) {
        halt(2);
    }
    ecall2(SYS_HINT_READ, hint_next, n);
    hint_next += (n + 3) & ~3u;
    for (u32 i = 0; i < (n + 3) / 4; i++) {
        dst[i] = src[i];
    }
    return n;
}

static void copy_words(u32 *dst, const u32 *src, u32 nbytes)
{
    for (u32 i = 0; i < nbytes / 4; i++) {
        dst[i] = src[i];
    }
}

static void sha256_commit(void)
{
    static u32 w[64], h[8];
    static const u32 iv[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u,
                              0xa54ff53au, 0x510e527fu, 0x9b05688cu,
                              0x1f83d9abu, 0x5be0cd19u};
    unsigned char *m = (unsigned char *)pv_copy;
    u32 len = pv_len, total;
    unsigned long long bits = (unsigned long long)len * 8;

    /* FIPS 180-4 padding in place */
    m[len] = 0x80;
    total = len + 1;
    while (total % 64 != 56) {
        m[total++] = 0;
    }
    for (int i = 7; i >= 0; i--) {
        m[total++] = (unsigned char)(bits >> (8 * i));
    }
    for (int i = 0; i < 8; i++) {
        h[i] = iv[i];
    }
    for (u32 blk = 0; blk < total; blk += 64) {
        for (int i = 0; i < 16; i++) {
            const unsigned char *q = m + blk + 4 * i;
            w[i] =
                ((u32)q[0] << 24) | ((u32)q[1] << 16) | ((u32)q[2] << 8) | q[3];
        }
        ecall2(SYS_SHA_EXTEND, (u32)w, 0);
        ecall2(SYS_SHA_COMPRESS, (u32)w, (u32)h);
    }
    /* COMMIT word i = little-endian u32 of digest bytes 4i..4i+3 */
    for (u32 i = 0; i < 8; i++) {
        u32 v = h[i];
        u32 le = (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) |
                 (v << 24);
        ecall2(SYS_COMMIT, i, le);
    }
}

int main(void);

int main(void)
{
    u32 n = read_item(in_buf, IN_MAX);
    u32 k = 1;
    pv_fd = in_buf[0];
    while (4 * k + 20 <= n) {
        u32 id = in_buf[k], mode = in_buf[k + 1], alen = in_buf[k + 2];
        u32 blen = in_buf[k + 3], arg = in_buf[k + 4], wlen = 0;
        k += 5;
        if (mode == 3) {
            wlen = blen;
            blen = 0;
        }
        if (alen > BUF_MAX || blen > BUF_MAX) {
            halt(4);
        }
        copy_words(a_buf, in_buf + k, alen);
        k += alen / 4;
        copy_words(b_buf, in_buf + k, blen);
        k += blen / 4;
        switch (mode) {
        case 0:
            ecall2(id, (u32)a_buf, (u32)b_buf);
            break;
        case 1:
            ecall2(id, (u32)a_buf, arg);
            break;
        case 2:
            ecall4(id, (u32)a_buf, (u32)b_buf, (u32)lo_buf, (u32)hi_buf);
            break;
        case 3:
            ecall4(SYS_WRITE, id, (u32)a_buf, wlen, 0);
            break;
        case 4:
            ecall2(id, (u32)a_buf + 2, (u32)b_buf);
            break;
        case 5:
        case 6: {
            /* HINT_READ only: the words stay pending until first touched */
            u32 len = ecall2(SYS_HINT_LEN, 0, 0);
            u32 at = hint_next;
            ecall2(SYS_HINT_READ, at, len);
            hint_next += (len + 3) & ~3u;
            if (mode == 5) {
                ecall2(id, at, (u32)b_buf);
                copy_words(a_buf, (const u32 *)at, alen);
            } else {
                ecall2(id, (u32)a_buf, at);
                copy_words(b_buf, (const u32 *)at, blen);
            }
            break;
        }
        default:
            halt(5);
        }
        if (mode != 3) {
            out(a_buf, alen);
            out(b_buf, blen);
        }
        if (mode == 2) {
            out(lo_buf, sizeof(lo_buf));
            out(hi_buf, sizeof(hi_buf));
        }
        if (mode == 3) {
            for (u32 i = 0; i < arg; i++) {
                u32 len = read_item(t_buf, BUF_MAX);
                out(&len, 4);
                out(t_buf, len);
            }
        }
    }
    sha256_commit();
    return 0;
}

__attribute__((naked, section(".text.start"))) void _start(void);

__attribute__((naked, section(".text.start"))) void _start(void)
{
    __asm__ volatile(".option push\n"
                     ".option norelax\n"
                     "la gp, __global_pointer$\n"
                     ".option pop\n"
                     "la sp, __stack_top\n"
                     "call main\n"
                     "li t0, 0\n"
                     "li a0, 0\n"
                     "ecall\n"
                     "1: j 1b\n");
}
