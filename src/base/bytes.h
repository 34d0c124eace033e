/*
 * bytes.h - explicit-endian loads and stores, and fixed-size hash values.
 *
 * Never cast a byte pointer to a wider integer pointer: use these.
 */
#ifndef ZK_BASE_BYTES_H
#define ZK_BASE_BYTES_H

#include <stdint.h>

/* A 32-byte digest (sha256, keccak256, vk hash_bytes). */
struct zk_hash32 {
    uint8_t b[32];
};

static inline uint32_t zk_load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint32_t zk_load_be32(const uint8_t *p)
{
    return (uint32_t)p[3] | ((uint32_t)p[2] << 8) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[0] << 24);
}

static inline uint64_t zk_load_le64(const uint8_t *p)
{
    return (uint64_t)zk_load_le32(p) | ((uint64_t)zk_load_le32(p + 4) << 32);
}

static inline uint64_t zk_load_be64(const uint8_t *p)
{
    return ((uint64_t)zk_load_be32(p) << 32) | (uint64_t)zk_load_be32(p + 4);
}

static inline void zk_store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void zk_store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline void zk_store_le64(uint8_t *p, uint64_t v)
{
    zk_store_le32(p, (uint32_t)v);
    zk_store_le32(p + 4, (uint32_t)(v >> 32));
}

static inline void zk_store_be64(uint8_t *p, uint64_t v)
{
    zk_store_be32(p, (uint32_t)(v >> 32));
    zk_store_be32(p + 4, (uint32_t)v);
}

#endif
