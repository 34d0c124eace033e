/*
 * rlp.h - Recursive Length Prefix (Ethereum yellow paper, appendix B).
 *
 * Encoding appends to a caller-owned struct zk_buf (bounded by its max).
 * Decoding is zero-copy: an item is a view (pointer + length) into the
 * caller's input, valid as long as that input is. The decoder is strict:
 * it accepts only canonical encodings (a single byte < 0x80 must encode as
 * itself, short forms where they fit, no leading zeros in lengths), and
 * every length is checked against the input before use. Item payloads are
 * capped at ZK_MAX_RLP_ITEM bytes and nesting at ZK_MAX_RLP_DEPTH lists.
 *
 * Never allocates (except through the zk_buf it is given), never logs
 * hostile input at more than debug level. Reentrant.
 */
#ifndef ZK_ETH_RLP_H
#define ZK_ETH_RLP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/err.h"

/* A decoded item: a byte string or a list, pointing at its payload. */
struct eth_rlp_item {
    bool is_list;
    const uint8_t *data; /* payload (without the prefix); borrowed */
    size_t len;          /* payload length */
};

/* ---- encoding -------------------------------------------------------- */

/* Appends the encoding of the byte string p[0..n). Returns zk_buf errors. */
ZK_NODISCARD enum zk_err eth_rlp_encode_bytes(struct zk_buf *out,
                                              const uint8_t *p, size_t n);

/* Appends an unsigned integer as its minimal big-endian byte string (0 is
 * the empty string 0x80). */
ZK_NODISCARD enum zk_err eth_rlp_encode_u64(struct zk_buf *out, uint64_t v);

/* Appends a 256-bit big-endian integer, leading zero bytes stripped. */
ZK_NODISCARD enum zk_err eth_rlp_encode_u256(struct zk_buf *out,
                                             const uint8_t be[32]);

/* Appends a list prefix for a payload of payload_len bytes; the caller
 * then appends the already-encoded items. */
ZK_NODISCARD enum zk_err eth_rlp_encode_list_header(struct zk_buf *out,
                                                    size_t payload_len);

/* Appends a list whose payload (concatenated encoded items) is given. */
ZK_NODISCARD enum zk_err eth_rlp_encode_list(struct zk_buf *out,
                                             const uint8_t *payload,
                                             size_t payload_len);

/* ---- decoding -------------------------------------------------------- */

/*
 * Decodes the item at the start of in[0..len).
 * Out: item; *consumed = bytes of in the whole item occupies.
 * Returns: ZK_OK; ZK_EINVAL (truncated, non-canonical); ZK_ELIMIT (payload
 *          larger than ZK_MAX_RLP_ITEM).
 * Does not descend into lists (see eth_rlp_decode).
 */
ZK_NODISCARD enum zk_err eth_rlp_decode_head(struct eth_rlp_item *item,
                                             size_t *consumed,
                                             const uint8_t *in, size_t len);

/*
 * Decodes in[0..len) as exactly one item (no trailing bytes) and validates
 * every nested item recursively (canonical form, bounds, depth at most
 * ZK_MAX_RLP_DEPTH).
 * Returns: ZK_OK, ZK_EINVAL, ZK_ELIMIT (depth or size).
 */
ZK_NODISCARD enum zk_err eth_rlp_decode(struct eth_rlp_item *item,
                                        const uint8_t *in, size_t len);

/* Iterator over the items of a list payload. */
struct eth_rlp_iter {
    const uint8_t *p;
    size_t left;
};

/* Starts iterating list (must be a list item). */
void eth_rlp_iter_init(struct eth_rlp_iter *it,
                       const struct eth_rlp_item *list);

/*
 * Out: the next item. Returns ZK_OK; ZK_ENOTFOUND at the end of the list;
 * ZK_EINVAL / ZK_ELIMIT for a malformed item.
 */
ZK_NODISCARD enum zk_err eth_rlp_iter_next(struct eth_rlp_iter *it,
                                           struct eth_rlp_item *out);

/* Number of items in a list. Returns ZK_OK or a decode error. */
ZK_NODISCARD enum zk_err eth_rlp_list_count(size_t *n_out,
                                            const struct eth_rlp_item *list);

/*
 * Reads a string item as a canonical unsigned integer (no leading zero
 * byte, at most 8 bytes). Returns ZK_OK or ZK_EINVAL.
 */
ZK_NODISCARD enum zk_err eth_rlp_item_u64(uint64_t *out,
                                          const struct eth_rlp_item *item);

#endif
