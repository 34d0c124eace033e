/*
 * precompile_bench.c - host cost of one call of each precompile / hook
 * (pure functions of src/zkvm/precompile*.c, no VM around them).
 *
 * Build against a configured build directory B (after `make`):
 *   cc -O2 -I src -I $B bench/precompile_bench.c $B/libzkvm.a \
 *      $B/libzkcrypto.a $B/libzkbase.a -lsecp256k1 -lcrypto -pthread \
 *      -o /tmp/precompile_bench && /tmp/precompile_bench
 * Prints the median of 5 runs of N calls, in microseconds per call.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zkvm/precompile.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef void (*op_fn)(void);

static uint32_t P[24], Q[24], W[64], H[8], ST[50], X[24], Y[24];

static void op_sha(void)
{
    zkvm_sha_extend(W);
    zkvm_sha_compress(H, W);
}
static void op_keccak(void)
{
    zkvm_keccak_permute(ST);
}
static void op_uint256(void)
{
    if (zkvm_uint256_mul(X, Y, Y + 8)) {
        abort();
    }
}
static void op_k1_add(void)
{
    uint32_t p[16];
    memcpy(p, P, sizeof(p));
    if (zkvm_sw_add(ZKVM_CURVE_SECP256K1, p, Q)) {
        abort();
    }
}
static void op_k1_double(void)
{
    uint32_t p[16];
    memcpy(p, P, sizeof(p));
    if (zkvm_sw_double(ZKVM_CURVE_SECP256K1, p)) {
        abort();
    }
}
static void op_bls_add(void)
{
    uint32_t p[24];
    memcpy(p, P, sizeof(p));
    if (zkvm_sw_add(ZKVM_CURVE_BLS12381, p, Q)) {
        abort();
    }
}
static void op_ed_add(void)
{
    uint32_t p[16];
    memcpy(p, P, sizeof(p));
    if (zkvm_ed_add(p, Q)) {
        abort();
    }
}
static void op_k1_decompress(void)
{
    uint32_t b[16] = {0};
    b[8] = 1; /* x = 1 is on secp256k1 (1 + 7 = 8 is a square) */
    if (zkvm_sw_decompress(ZKVM_CURVE_SECP256K1, b, 0)) {
        abort();
    }
}
static void op_ed_decompress(void)
{
    uint32_t b[16] = {0};
    b[8] = 1;
    if (zkvm_ed_decompress(b, 0, 5)) {
        abort();
    }
}
static void op_bn_fp2_mul(void)
{
    uint32_t x[16];
    memcpy(x, X, sizeof(x));
    if (zkvm_fp2_op(ZKVM_CURVE_BN254, ZKVM_FIELD_MUL, x, Y, 5)) {
        abort();
    }
}

static void bench(const char *name, op_fn f, int n)
{
    double r[5];
    for (int k = 0; k < 5; k++) {
        double t0 = now();
        for (int i = 0; i < n; i++) {
            f();
        }
        r[k] = (now() - t0) / n * 1e6;
    }
    qsort(r, 5, sizeof(double), cmp);
    printf("%-22s %8.2f us/call\n", name, r[2]);
}

int main(void)
{
    for (int i = 0; i < 24; i++) {
        P[i] = 0x9e3779b9u * (uint32_t)(i + 1);
        Q[i] = 0x85ebca6bu * (uint32_t)(i + 7);
        X[i] = 0xc2b2ae35u * (uint32_t)(i + 3);
        Y[i] = 0x27d4eb2fu * (uint32_t)(i + 5);
    }
    P[7] = P[15] = Q[7] = Q[15] = 0x0fffffffu; /* below every modulus */
    P[11] = P[23] = Q[11] = Q[23] = 0x01ffffffu;
    X[7] = X[15] = Y[7] = Y[15] = 0x0fffffffu;
    bench("sha extend+compress", op_sha, 200000);
    bench("keccak permute", op_keccak, 200000);
    bench("uint256 mulmod", op_uint256, 100000);
    bench("secp256k1 add", op_k1_add, 20000);
    bench("secp256k1 double", op_k1_double, 20000);
    bench("secp256k1 decompress", op_k1_decompress, 20000);
    bench("bls12-381 add", op_bls_add, 20000);
    bench("ed25519 add", op_ed_add, 20000);
    bench("ed25519 decompress", op_ed_decompress, 5000);
    bench("bn254 fp2 mul", op_bn_fp2_mul, 50000);
    return 0;
}
