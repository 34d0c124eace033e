/*
 * abi.h - Solidity contract ABI encoding and decoding, selectors, and
 * revert-reason decoding.
 *
 * Types are given as Solidity signature strings, e.g. "(uint256,bytes)",
 * "((uint256,bytes32,address),bytes)" or
 * "register((uint256,bytes32,address),bytes)". Supported: uint<N>, int<N> (N
 * = 8..256 step 8; "uint"/"int" mean 256), address, bool, bytes<N> (1..32),
 * bytes, string, tuples "(...)", and arrays T[k] and T[] of any of these. Type
 * strings are parsed with a depth bound (ETH_ABI_MAX_DEPTH); selectors hash the
 * string exactly as given, so pass the canonical form (uint256, not uint).
 *
 * Values are a small tree (struct eth_abi_value). The encoder reads a tree
 * built by the caller; the decoder allocates one (free with
 * eth_abi_value_free) whose byte strings point INTO the decoded input, so
 * the input must outlive the tree. Decoding is strict: every offset and
 * length is bounds-checked, words must be in range for their type (clean
 * high bits for uint<N>/address/bool, clean low bits for bytes<N>), and the
 * number of decoded nodes is capped at ETH_ABI_MAX_NODES so that aliasing
 * offsets cannot blow up memory. Hostile input never crashes: it returns
 * ZK_EINVAL or ZK_ELIMIT. Reentrant; logs nothing above debug level.
 */
#ifndef ZK_ETH_ABI_H
#define ZK_ETH_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/err.h"

#define ETH_ABI_MAX_DEPTH 16u
#define ETH_ABI_MAX_NODES 65536u

enum eth_abi_kind {
    ETH_ABI_WORD,  /* uint/int/address/bool/bytes<N>: one 32-byte word */
    ETH_ABI_BYTES, /* bytes, string */
    ETH_ABI_LIST   /* tuple, T[k], T[] */
};

struct eth_abi_value {
    enum eth_abi_kind kind;
    uint8_t word[32];            /* WORD: the word as encoded (big-endian,
                                    address right-aligned, bytes<N> left) */
    const uint8_t *data;         /* BYTES: borrowed */
    size_t len;                  /* BYTES: length */
    struct eth_abi_value *items; /* LIST: borrowed (encode) or owned by the
                                    tree (decode) */
    size_t n;                    /* LIST: number of items */
};

/* ---- value constructors (encode side; nothing is copied) ------------- */

struct eth_abi_value eth_abi_u64(uint64_t v);
struct eth_abi_value eth_abi_word(const uint8_t word[32]); /* uint256/bytes32 */
struct eth_abi_value eth_abi_address(const uint8_t addr[20]);
struct eth_abi_value eth_abi_bool(bool b);
struct eth_abi_value eth_abi_bytes(const uint8_t *p, size_t len);
struct eth_abi_value eth_abi_string(const char *s);
struct eth_abi_value eth_abi_list(struct eth_abi_value *items, size_t n);

/* ---- selectors ------------------------------------------------------- */

/* Out: the first 4 bytes of keccak256(signature). Cannot fail. */
void eth_abi_selector(uint8_t out[4], const char *signature);

/* ---- encoding -------------------------------------------------------- */

/*
 * Appends abi.encode of value, whose type is the type string `types`
 * (usually a tuple "(...)", whose encoding is then the function-argument
 * encoding). The value's shape must match the type.
 * Returns: ZK_OK; ZK_EINVAL (bad type string, shape or out-of-range word);
 *          ZK_ELIMIT / ZK_ENOMEM from out.
 */
ZK_NODISCARD enum zk_err eth_abi_encode(struct zk_buf *out, const char *types,
                                        const struct eth_abi_value *value);

/*
 * Appends calldata: selector(signature) || abi.encode(args), where
 * signature is "name(T1,T2,...)" and args a LIST of the arguments.
 */
ZK_NODISCARD enum zk_err eth_abi_encode_call(struct zk_buf *out,
                                             const char *signature,
                                             const struct eth_abi_value *args);

/* ---- decoding -------------------------------------------------------- */

/*
 * Decodes data[0..len) as abi.encode of a value of type `types`.
 * Out: *out_take, a tree to free with eth_abi_value_free; its BYTES
 *      entries point into data.
 * Returns: ZK_OK; ZK_EINVAL (bad type string or malformed data);
 *          ZK_ELIMIT (too many nodes); ZK_ENOMEM.
 */
ZK_NODISCARD enum zk_err eth_abi_decode(struct eth_abi_value **out_take,
                                        const char *types, const uint8_t *data,
                                        size_t len);

/* Frees a tree returned by eth_abi_decode. NULL-safe. */
void eth_abi_value_free(struct eth_abi_value *v);

/* Reads a WORD as an unsigned integer that must fit in 64 bits.
 * Returns ZK_OK or ZK_EINVAL. */
ZK_NODISCARD enum zk_err eth_abi_value_u64(uint64_t *out,
                                           const struct eth_abi_value *v);

/* ---- revert reasons -------------------------------------------------- */

/*
 * Renders revert data as one printable line into out (NUL-terminated,
 * truncated to out_size):
 *   empty data              -> "reverted without data"
 *   Error(string)           -> "Error: <reason>"
 *   Panic(uint256)          -> "Panic 0x11: arithmetic overflow or underflow"
 *   a custom error listed   -> "Name(arg, ...)" with decoded arguments
 *   anything else           -> "unknown error 0x<selector> (<n> bytes)"
 * custom_sigs lists error signatures such as "ReportAlreadyUsed(bytes32)".
 * Non-printable characters in reasons are replaced by '?'.
 * Returns: ZK_OK if the data was recognised and decoded; ZK_EINVAL if it was
 *          malformed or unknown (out still holds a description).
 */
ZK_NODISCARD enum zk_err eth_abi_decode_revert(char *out, size_t out_size,
                                               const uint8_t *data, size_t len,
                                               const char *const *custom_sigs,
                                               size_t n_custom);

#endif
