/*
 * vk.c - public entry points of the vk module: version dispatch and the
 * three output encodings (sp1-vk.md 1 and 7).
 */
#include <config.h>
#include "vk/vk.h"

#include <string.h>

#include "base/bytes.h"
#include "base/hex.h"
#include "base/log.h"
#include "vk/babybear.h"
#include "vk/vk_int.h"

/* src/vk/local.mk defines VK_WITH_V45 when vk_v45.c is built in. */
#if defined(VK_WITH_V45)
#include "vk/vk_v45.h"
#define VK_HAVE_V45 1
#else
#define VK_HAVE_V45 0
#endif

void vk_result_encode(struct vk_result *r)
{
    uint8_t be[32];
    for (int i = 0; i < 8; i++) {
        zk_store_be32(r->hash_bytes + 4 * i, r->hash_u32[i]);
    }
    /* bytes32 = sum D[i] * 2^(31 (7 - i)): place each 31-bit limb. */
    memset(be, 0, sizeof(be));
    for (int i = 0; i < 8; i++) {
        unsigned base = 31u * (7u - (unsigned)i);
        for (unsigned b = 0; b < 31; b++) {
            if ((r->hash_u32[i] >> b) & 1u) {
                unsigned bit = base + b;
                be[31 - bit / 8] |= (uint8_t)(1u << (bit % 8));
            }
        }
    }
    if (zk_hex_encode(r->bytes32, sizeof(r->bytes32), be, 32, true) != ZK_OK) {
        r->bytes32[0] = '\0'; /* cannot happen: the buffer is sized for it */
    }
}

enum zk_err vk_bytes32_decode(uint32_t hash_u32_out[8], uint8_t *hash_bytes_out,
                              const char *bytes32)
{
    uint8_t be[32];
    if (zk_hex_decode_exact(be, 32, bytes32) != ZK_OK) {
        return ZK_EINVAL;
    }
    if (be[0] != 0) { /* must be below 2^248 */
        return ZK_EINVAL;
    }
    for (int j = 0; j < 8; j++) {
        uint32_t v = 0;
        for (unsigned b = 0; b < 31; b++) {
            unsigned bit = 31u * (unsigned)j + b;
            if ((be[31 - bit / 8] >> (bit % 8)) & 1u) {
                v |= 1u << b;
            }
        }
        if (v >= BB_P) {
            return ZK_EINVAL;
        }
        hash_u32_out[7 - j] = v;
    }
    if (hash_bytes_out != NULL) {
        for (int i = 0; i < 8; i++) {
            zk_store_be32(hash_bytes_out + 4 * i, hash_u32_out[i]);
        }
    }
    return ZK_OK;
}

enum zk_err vk_compute_ex(struct vk_result *out,
                          const struct zkvm_program *prog,
                          const struct vk_options *opts)
{
    static const struct vk_options defaults = {0, false};
    enum zk_err err;
    memset(out, 0, sizeof(*out));
    if (opts == NULL) {
        opts = &defaults;
    }
    switch (prog->version.major) {
    case ZKVM_SP1_V3:
        err = vk_v3_compute(out, prog, opts);
        break;
    case ZKVM_SP1_V4:
    case ZKVM_SP1_V5:
#if VK_HAVE_V45
        err = vk_v45_compute(out, prog, opts);
        break;
#endif
    default:
        zk_error("vk: compute: vk not supported for this SP1 version (%s)",
                 prog->version.text[0] != '\0' ? prog->version.text : "?");
        err = ZK_EUNSUPPORTED;
        break;
    }
    if (err) {
        memset(out, 0, sizeof(*out));
        return err;
    }
    out->version = prog->version;
    vk_result_encode(out);
    return ZK_OK;
}

enum zk_err vk_compute(struct vk_result *out, const struct zkvm_program *prog)
{
    return vk_compute_ex(out, prog, NULL);
}
