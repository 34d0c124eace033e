/*
 * limits.h - every ceiling in the project, named in one place.
 *
 * nginx's client_max_body_size (nginx/) must be >= ZK_MAX_REQUEST_BODY.
 */
#ifndef ZK_BASE_LIMITS_H
#define ZK_BASE_LIMITS_H

/* Programs and inputs. */
#define ZK_MAX_ELF_SIZE     (64u * 1024 * 1024)  /* bytes of one ELF */
#define ZK_MAX_ELF_PHDRS    256u                 /* SP1's own limit */
#define ZK_MAX_STDIN_SIZE   (64u * 1024 * 1024)  /* total stdin bytes */
#define ZK_MAX_STDIN_ITEMS  65536u               /* SP1Stdin.buffer items */
#define ZK_MAX_REQUEST_BODY (400u * 1024 * 1024) /* JSON arrays are ~4x */
#define ZK_MAX_JSON_DEPTH   64u

/* Guest execution. */
#define ZK_DEFAULT_CYCLE_LIMIT (1ull << 32)            /* instructions */
#define ZK_MAX_GUEST_MEMORY    (2048ull * 1024 * 1024) /* touched bytes */
#define ZK_MAX_PUBLIC_VALUES   (16u * 1024 * 1024)
#define ZK_MAX_GUEST_OUTPUT    (1u * 1024 * 1024) /* stdout/stderr kept */

/* Ethereum and attestation. */
#define ZK_MAX_RLP_DEPTH    16u
#define ZK_MAX_RLP_ITEM     (1u * 1024 * 1024)
#define ZK_MAX_QUOTE_SIZE   (64u * 1024)
#define ZK_MAX_RPC_RESPONSE (8u * 1024 * 1024)

#endif
