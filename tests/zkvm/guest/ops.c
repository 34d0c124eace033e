/*
 * ops.c - a C guest exercising RV32IM through compiled code: arithmetic
 * and division corner cases, 64-bit math (libgcc), sub-word memory, jump
 * tables, recursion, sorting and a software SHA-256. Its output must be
 * byte-identical under qemu-riscv32 and under the SP1 executor.
 */
#include "rt.h"
#include "sha256_sw.h"

static uint32_t out[512];
static uint32_t no;
static uint8_t buf[4096];

static void put(uint32_t v)
{
    if (no < 512) {
        out[no++] = v;
    }
}

static uint32_t lcg = 12345;
static uint32_t next(void)
{
    lcg = lcg * 1103515245u + 12345u;
    return lcg ^ (lcg >> 16);
}

static __attribute__((noinline)) uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static __attribute__((noinline)) uint32_t sw(uint32_t k, uint32_t x)
{
    switch (k & 7) {
    case 0:
        return x + 1;
    case 1:
        return x * 3;
    case 2:
        return x ^ 0x5a5a5a5a;
    case 3:
        return x >> 3;
    case 4:
        return (uint32_t)((int32_t)x >> 5);
    case 5:
        return x - 77;
    case 6:
        return ~x;
    default:
        return x << 7;
    }
}

int main(void)
{
    static const uint32_t edge[] = {
        0,           1,           2,           3,           7,
        0x7fffffffu, 0x80000000u, 0xffffffffu, 0xfffffffeu, 0x12345678u};
    volatile uint32_t a, b;
    uint8_t dig[32];
    for (unsigned i = 0; i < sizeof(edge) / 4; i++) {
        for (unsigned j = 0; j < sizeof(edge) / 4; j++) {
            a = edge[i];
            b = edge[j];
            put(a / (b ? b : 1));
            put((uint32_t)((int32_t)a / ((int32_t)b ? (int32_t)b : 1)));
            put(a * b);
            put((uint32_t)(((uint64_t)a * b) >> 32));
            put((uint32_t)(((int64_t)(int32_t)a * (int32_t)b) >> 32));
            put(a >> (b & 31));
            put((uint32_t)((int32_t)a >> (b & 31)));
            put((int32_t)a < (int32_t)b);
        }
    }
    /* raw div/rem by zero and overflow through inline asm */
    for (unsigned i = 0; i < sizeof(edge) / 4; i++) {
        uint32_t q, r, qu, ru, z = 0, m1 = 0xffffffffu;
        __asm__ volatile("div %0, %1, %2" : "=r"(q) : "r"(edge[i]), "r"(z));
        __asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(edge[i]), "r"(z));
        __asm__ volatile("divu %0, %1, %2" : "=r"(qu) : "r"(edge[i]), "r"(z));
        __asm__ volatile("remu %0, %1, %2" : "=r"(ru) : "r"(edge[i]), "r"(z));
        put(q), put(r), put(qu), put(ru);
        __asm__ volatile("div %0, %1, %2" : "=r"(q) : "r"(edge[i]), "r"(m1));
        __asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(edge[i]), "r"(m1));
        __asm__ volatile("mulhsu %0, %1, %2"
                         : "=r"(qu)
                         : "r"(edge[i]), "r"(m1));
        put(q), put(r), put(qu);
    }
    for (int i = 0; i < 64; i++) {
        uint64_t x = ((uint64_t)next() << 32) | next();
        uint64_t y = ((uint64_t)next() << 17) | (next() | 1);
        put((uint32_t)(x / y));
        put((uint32_t)(x % y));
        put(sw(next(), next()));
    }
    for (unsigned i = 0; i < sizeof(buf); i++) {
        buf[i] = (uint8_t)next();
    }
    /* sub-word loads/stores */
    for (int i = 0; i < 100; i++) {
        uint32_t o = next() % (sizeof(buf) - 8);
        int8_t sb = (int8_t)buf[o];
        int16_t sh = (int16_t)(buf[o & ~1u] | (buf[(o & ~1u) + 1] << 8));
        put((uint32_t)(int32_t)sb);
        put((uint32_t)(int32_t)sh);
        buf[o + 1] = (uint8_t)i;
        *(volatile uint16_t *)&buf[(o + 2) & ~1u] = (uint16_t)(i * 77);
    }
    /* insertion sort of 256 words */
    {
        uint32_t *w = (uint32_t *)buf;
        for (int i = 1; i < 256; i++) {
            uint32_t v = w[i];
            int j = i - 1;
            while (j >= 0 && w[j] > v) {
                w[j + 1] = w[j];
                j--;
            }
            w[j + 1] = v;
        }
        put(w[0]), put(w[100]), put(w[255]);
    }
    put(fib(18));
    sw_sha256(dig, buf, sizeof(buf));
    for (int i = 0; i < 8; i++) {
        put(((uint32_t *)dig)[i]);
    }
    guest_out(out, no * 4);
    return 0;
}
