/*
 * sim.c - the simulated quote: a v4-shaped TDX quote for machines without
 * TDX, marked by the QE vendor id "SP1TEE-SIMULATED" (format in tdx.h and
 * docs/tdx.md). It goes through the same parser as real quotes, so the
 * rotator's code path is identical in both modes; only the project's
 * MockDcapVerifier accepts it, and every signature field is zero so a real
 * DCAP verifier never can.
 */
#include <config.h>
#include "tdx/tdx.h"

#include <string.h>

#include "base/bytes.h"

#define SIM_MAGIC_LEN 16u
/* Signature data: sig(64) key(64) type(2) size(4) = 134, then S bytes. */
#define SIM_CERT_SIZE                                                          \
    (TDX_SGX_BODY_LEN + 64u + 2u + SIM_MAGIC_LEN + 6u + SIM_MAGIC_LEN)
#define SIM_SIG_LEN (134u + SIM_CERT_SIZE)

_Static_assert(sizeof(TDX_SIM_MAGIC) - 1 == SIM_MAGIC_LEN, "magic is 16");
_Static_assert(TDX_HEADER_LEN + TDX_TD10_BODY_LEN + 4u + SIM_SIG_LEN ==
                   TDX_SIM_QUOTE_LEN,
               "simulated quote length");

void tdx_sim_opts_default(struct tdx_sim_opts *o)
{
    memset(o, 0, sizeof(*o));
    for (size_t i = 0; i < TDX_MR_LEN; i += SIM_MAGIC_LEN) {
        memcpy(o->mrtd + i, TDX_SIM_MAGIC, SIM_MAGIC_LEN);
    }
}

static void put_u16(uint8_t **p, uint16_t v)
{
    (*p)[0] = (uint8_t)v;
    (*p)[1] = (uint8_t)(v >> 8);
    *p += 2;
}

static void put_u32(uint8_t **p, uint32_t v)
{
    zk_store_le32(*p, v);
    *p += 4;
}

static void put(uint8_t **p, const void *src, size_t n)
{
    memcpy(*p, src, n);
    *p += n;
}

enum zk_err tdx_sim_quote(const uint8_t report_data[64],
                          const struct tdx_sim_opts *opts, struct zk_buf *out)
{
    uint8_t q[TDX_SIM_QUOTE_LEN];
    uint8_t *p = q;
    struct tdx_sim_opts defaults;

    if (opts == NULL) {
        tdx_sim_opts_default(&defaults);
        opts = &defaults;
    }
    memset(q, 0, sizeof(q));

    /* Header: v4, ECDSA P-256, TEE 0x81, QE/PCE SVN 0, marker vendor id,
     * zero user data. */
    put_u16(&p, 4);
    put_u16(&p, TDX_ATT_KEY_ECDSA_P256);
    put_u32(&p, TDX_TEE_TYPE_TDX);
    p += 4;
    put(&p, TDX_SIM_MAGIC, SIM_MAGIC_LEN);
    p += 20;

    /* TD 1.0 body: only TD_ATTRIBUTES, MRTD, RTMRs and REPORTDATA set. */
    p += 16 + 2 * TDX_MR_LEN + 8;
    zk_store_le64(p, opts->td_attributes);
    p += 8 + 8;
    put(&p, opts->mrtd, TDX_MR_LEN);
    p += 3 * TDX_MR_LEN;
    for (int i = 0; i < 4; i++) {
        put(&p, opts->rtmr[i], TDX_MR_LEN);
    }
    put(&p, report_data, TDX_REPORT_DATA_LEN);

    /* Signature data: zero signature and key, type 6 wrapper, zero QE
     * report and QE signature, marker auth data, type 5 marker "chain". */
    put_u32(&p, SIM_SIG_LEN);
    p += 128;
    put_u16(&p, TDX_CERT_TYPE_QE_REPORT);
    put_u32(&p, SIM_CERT_SIZE);
    p += TDX_SGX_BODY_LEN + 64;
    put_u16(&p, SIM_MAGIC_LEN);
    put(&p, TDX_SIM_MAGIC, SIM_MAGIC_LEN);
    put_u16(&p, TDX_CERT_TYPE_PCK_CHAIN);
    put_u32(&p, SIM_MAGIC_LEN);
    put(&p, TDX_SIM_MAGIC, SIM_MAGIC_LEN);
    ZK_ASSERT((size_t)(p - q) == sizeof(q));

    zk_buf_reset(out);
    return zk_buf_append(out, q, sizeof(q));
}
