/*
 * precompile.h - SP1's precompile syscalls and host hooks, as pure
 * functions on word and byte arrays, plus the thin glue the ECALL
 * dispatcher calls (sp1-executor-abi.md §4.1, §4.2 and §6).
 *
 * Every function here reproduces what SP1's executor (v3.x, v4.x, v5.x)
 * computes, including its corner cases: inputs are not assumed canonical,
 * the Weierstrass formulas are SP1's affine ones (no point at infinity),
 * and every place where SP1's Rust code panics (a failed assert, an unsigned
 * subtraction that would go negative, an `unwrap()` of None) is reported as
 * ZK_ETRAP; zkvm_precompile_last_trap() then names the reason (the glue
 * hands it to zkvm_fail, which reports it with the pc and cycle).
 *
 * Numbers in guest memory are little-endian word arrays: word 0 holds the
 * least significant 32 bits. A curve point is x (n words) then y (n
 * words); n = 8 for secp256k1, secp256r1, bn254 and ed25519, 12 for
 * bls12-381. An Fp2 element is c0 (n words) then c1 (n words).
 *
 * Thread safety: all functions are reentrant (no global state; each call
 * builds its own OpenSSL BN_CTX). None of them keeps a pointer to its
 * arguments.
 *
 * Link: libzkvm.a needs $(OPENSSL_LIBS) $(SECP256K1_LIBS) and libzkcrypto.a
 * (crypto_keccak_f1600).
 */
#ifndef ZK_ZKVM_PRECOMPILE_H
#define ZK_ZKVM_PRECOMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"

/* Syscall ids: the full t0 value (sp1-executor-abi.md §4.1). */
#define ZKVM_SYS_SHA_EXTEND           0x00300105u
#define ZKVM_SYS_SHA_COMPRESS         0x00010106u
#define ZKVM_SYS_ED_ADD               0x00010107u
#define ZKVM_SYS_ED_DECOMPRESS        0x00000108u
#define ZKVM_SYS_KECCAK_PERMUTE       0x00010109u
#define ZKVM_SYS_SECP256K1_ADD        0x0001010Au
#define ZKVM_SYS_SECP256K1_DOUBLE     0x0000010Bu
#define ZKVM_SYS_SECP256K1_DECOMPRESS 0x0000010Cu
#define ZKVM_SYS_BN254_ADD            0x0001010Eu
#define ZKVM_SYS_BN254_DOUBLE         0x0000010Fu
#define ZKVM_SYS_BLS12381_DECOMPRESS  0x0000011Cu
#define ZKVM_SYS_UINT256_MUL          0x0001011Du
#define ZKVM_SYS_BLS12381_ADD         0x0001011Eu
#define ZKVM_SYS_BLS12381_DOUBLE      0x0000011Fu
#define ZKVM_SYS_BLS12381_FP_ADD      0x00010120u
#define ZKVM_SYS_BLS12381_FP_SUB      0x00010121u
#define ZKVM_SYS_BLS12381_FP_MUL      0x00010122u
#define ZKVM_SYS_BLS12381_FP2_ADD     0x00010123u
#define ZKVM_SYS_BLS12381_FP2_SUB     0x00010124u
#define ZKVM_SYS_BLS12381_FP2_MUL     0x00010125u
#define ZKVM_SYS_BN254_FP_ADD         0x00010126u
#define ZKVM_SYS_BN254_FP_SUB         0x00010127u
#define ZKVM_SYS_BN254_FP_MUL         0x00010128u
#define ZKVM_SYS_BN254_FP2_ADD        0x00010129u
#define ZKVM_SYS_BN254_FP2_SUB        0x0001012Au
#define ZKVM_SYS_BN254_FP2_MUL        0x0001012Bu
#define ZKVM_SYS_SECP256R1_ADD        0x0001012Cu /* v4+ */
#define ZKVM_SYS_SECP256R1_DOUBLE     0x0000012Du /* v4+ */
#define ZKVM_SYS_SECP256R1_DECOMPRESS 0x0000012Eu /* v4+ */
#define ZKVM_SYS_U256XU2048_MUL       0x0001012Fu /* v4+ */

/* The curves and base fields the precompiles know. */
enum zkvm_curve {
    ZKVM_CURVE_SECP256K1 = 0,
    ZKVM_CURVE_SECP256R1,
    ZKVM_CURVE_BN254,
    ZKVM_CURVE_BLS12381,
    ZKVM_CURVE_ED25519,
    ZKVM_CURVE_COUNT
};

/* Words in one base-field element of curve c (8, or 12 for bls12-381). */
size_t zkvm_curve_words(enum zkvm_curve c);

enum zkvm_field_op { ZKVM_FIELD_ADD = 0, ZKVM_FIELD_SUB, ZKVM_FIELD_MUL };

/* ---- hashes ---------------------------------------------------------- */

/* SHA_EXTEND: fills w[16..63] from w[0..15] with the SHA-256 message
 * schedule (plain u32 words, no byte swap). */
void zkvm_sha_extend(uint32_t w[64]);

/* SHA_COMPRESS: 64 rounds over h with the schedule w, then h += state. */
void zkvm_sha_compress(uint32_t h[8], const uint32_t w[64]);

/* KECCAK_PERMUTE: Keccak-f[1600] on 25 lanes stored as 50 words, lane k =
 * st[2k] | st[2k+1] << 32. */
void zkvm_keccak_permute(uint32_t st[50]);

/* ---- big integers ---------------------------------------------------- */

/*
 * UINT256_MUL: x = x * y mod m, where m == 0 means 2^256.
 * Returns: ZK_OK or ZK_ENOMEM.
 */
ZK_NODISCARD enum zk_err zkvm_uint256_mul(uint32_t x[8], const uint32_t y[8],
                                          const uint32_t m[8]);

/* U256XU2048_MUL: lo = low 2048 bits of a*b, hi = the high 256 bits. */
void zkvm_u256x2048_mul(const uint32_t a[8], const uint32_t b[64],
                        uint32_t lo[64], uint32_t hi[8]);

/* ---- short Weierstrass curves (k1, r1, bn254, bls12-381) ------------- */

/*
 * ADD: p = p + q with SP1's affine chord formula. Traps if p == q, or if a
 * non-canonical coordinate makes one of SP1's unsigned subtractions go
 * negative. x1 == x2 with y1 != y2 gives (-x1-x2, -y1) mod p, as in SP1.
 * Returns: ZK_OK, ZK_ETRAP (reason logged), ZK_ENOMEM.
 * In/Out: p - 2n words. In: q - 2n words. c must not be ed25519.
 */
ZK_NODISCARD enum zk_err zkvm_sw_add(enum zkvm_curve c, uint32_t *p,
                                     const uint32_t *q);

/* DOUBLE: p = 2p with SP1's tangent formula (y == 0 gives slope 0).
 * Same return values as zkvm_sw_add. */
ZK_NODISCARD enum zk_err zkvm_sw_double(enum zkvm_curve c, uint32_t *p);

/*
 * DECOMPRESS (k1, r1, bls12-381): reads x from buf[n..2n), writes y into
 * buf[0..n). k1/r1: y with y mod 2 == sign; x >= p or no root traps.
 * bls12-381: amcl's deserialize_g1 with the compression flag (and 0x20 if
 * sign) OR-ed into x's top byte: sign picks the larger of y, p - y.
 * sign > 1 traps (SP1 asserts).
 */
ZK_NODISCARD enum zk_err zkvm_sw_decompress(enum zkvm_curve c, uint32_t *buf,
                                            uint32_t sign);

/* ---- ed25519 --------------------------------------------------------- */

/* ED_ADD: p = p + q (twisted Edwards, a = -1), inverses as ^(p-2). */
ZK_NODISCARD enum zk_err zkvm_ed_add(uint32_t p[16], const uint32_t q[16]);

/*
 * ED_DECOMPRESS: y from buf[8..16) (bit 255 replaced by sign), x into
 * buf[0..8). v3 keeps SP1 v3's corner cases (y^2 == 0 traps; sign with
 * x == 0 gives x = p); v4+ reduces mod p. No square root traps.
 * In: major - the SP1 major version (3, 4 or 5).
 */
ZK_NODISCARD enum zk_err zkvm_ed_decompress(uint32_t buf[16], uint32_t sign,
                                            int major);

/* ---- field ops (bn254, bls12-381 base fields) ------------------------ */

/* FP_ADD/SUB/MUL: x = (x mod p) op (y mod p), n words each. */
ZK_NODISCARD enum zk_err zkvm_fp_op(enum zkvm_curve c, enum zkvm_field_op op,
                                    uint32_t *x, const uint32_t *y);

/*
 * FP2_ADD/SUB/MUL on 2n-word elements. Inputs are not reduced first (a sub
 * with b > a + p traps, as in SP1). v3 packs the result words the way SP1
 * v3 did (c0's significant words, then c1's, then zero padding); v4+
 * writes c0 and c1 each padded to n words.
 */
ZK_NODISCARD enum zk_err zkvm_fp2_op(enum zkvm_curve c, enum zkvm_field_op op,
                                     uint32_t *x, const uint32_t *y, int major);

/* ---- hooks (WRITE to a hook fd; sp1-executor-abi.md §6) -------------- */

enum zkvm_hook {
    ZKVM_HOOK_NONE = 0,
    ZKVM_HOOK_ECRECOVER,     /* v4+ fd 15 */
    ZKVM_HOOK_ED_DECOMPRESS, /* v4+ fd 16 */
    ZKVM_HOOK_RSA_MUL_MOD,   /* v4+ fd 17 */
    ZKVM_HOOK_BLS12381_SQRT, /* v4+ fd 18 */
    ZKVM_HOOK_BLS12381_INV,  /* v4+ fd 19 */
    ZKVM_HOOK_FP_SQRT,       /* v4.1+ fd 20 */
    ZKVM_HOOK_FP_INV,        /* v4.1+ fd 21 */
    ZKVM_HOOK_ECRECOVER_V1,  /* v3 fd 5; v4+ deprecated fd 5 */
    ZKVM_HOOK_ECRECOVER_R1,  /* v4+ deprecated fd 6 */
    ZKVM_HOOK_ECRECOVER_V2,  /* v3.3+ fd 7; v4+ deprecated fd 7 */
    ZKVM_HOOK_ED_CHECK_V3,   /* v3.4+ fd 8 (v3 decompress rules) */
    ZKVM_HOOK_ED_CHECK       /* v4+ deprecated fd 8 */
};

/*
 * Which hook SP1 (major.minor; minor -1 = unknown, taken as the newest of
 * that major) runs for a WRITE to fd. allow_deprecated mirrors v4+'s
 * SP1_ALLOW_DEPRECATED_HOOKS=true for fds 5..8 (fds 3 and 4 are the
 * caller's business). Returns ZKVM_HOOK_NONE when fd is not a hook.
 */
enum zkvm_hook zkvm_hook_lookup(int major, int minor, uint32_t fd,
                                bool allow_deprecated);

/* A hook's answer: up to 3 byte strings, pushed in order as stdin items. */
#define ZKVM_HOOK_MAX_ITEMS 3
struct zkvm_hook_out {
    size_t n;                           /* items used */
    uint8_t *item[ZKVM_HOOK_MAX_ITEMS]; /* zk_malloc'ed, owned */
    size_t len[ZKVM_HOOK_MAX_ITEMS];
};

/* Largest field element (bytes) the generic fp_sqrt/fp_inverse hooks
 * accept; SP1 has no limit, larger inputs are refused with ZK_ELIMIT so a
 * guest cannot make the host do unbounded modular exponentiation. */
#define ZKVM_HOOK_FP_MAX_LEN 64u

/*
 * Runs hook h on the bytes the guest wrote.
 * Returns: ZK_OK; ZK_ETRAP where SP1's hook panics; ZK_ELIMIT for inputs
 *          we refuse (above ZKVM_HOOK_FP_MAX_LEN, or an fp_sqrt on which
 *          SP1 itself would never terminate); ZK_ENOMEM. The reason of an
 *          ETRAP/ELIMIT is zkvm_precompile_last_trap().
 * Out: out - zeroed first; free with zkvm_hook_out_cleanup (also on error).
 */
ZK_NODISCARD enum zk_err zkvm_hook_run(enum zkvm_hook h, const uint8_t *in,
                                       size_t len, struct zkvm_hook_out *out);

/* Frees the items; safe on a zeroed struct. */
void zkvm_hook_out_cleanup(struct zkvm_hook_out *out);

/* The reason (a static string) of the calling thread's last ZK_ETRAP from
 * one of the functions above; "" before the first. */
const char *zkvm_precompile_last_trap(void);

/* ---- glue called by the ECALL dispatcher (precompile.c) -------------- */

struct zkvm;

/*
 * Runs precompile syscall_id (a0, a1 = the ECALL's argument registers)
 * against vm's memory exactly as SP1's executor does for vm's version.
 * Returns: ZK_OK; ZK_ETRAP for an SP1 panic (bad pointer, invalid point,
 *          ...); memory errors from zkvm_mem_*; ZK_ENOMEM.
 * Out: handled_out - false (and ZK_OK) when syscall_id is not a precompile
 *      of vm's version; the caller then treats it as unknown.
 */
ZK_NODISCARD enum zk_err zkvm_precompile_call(struct zkvm *vm,
                                              uint32_t syscall_id, uint32_t a0,
                                              uint32_t a1, bool *handled_out);

/*
 * Runs the hook registered for fd in vm's version on the len bytes at in
 * and pushes the answer items, in order, with zkvm_input_push().
 * Returns: ZK_OK; ZK_ENOTFOUND when fd has no hook (the caller decides);
 *          errors of zkvm_hook_run and zkvm_input_push.
 */
ZK_NODISCARD enum zk_err zkvm_hook_call(struct zkvm *vm, uint32_t fd,
                                        const uint8_t *in, size_t len);

#endif
