/*
 * quote.c - DCAP quote parser (SGX v3, SGX/TDX v4, TDX v5).
 *
 * Layouts: Intel "TDX DCAP Quoting Library API" (quote v4), the v5 body
 * descriptor (TDX 1.5), and the SGX ECDSA quote v3 format; summarised with
 * offsets in shared/spec/tdx-attestation.md section 2. Every read goes
 * through a cursor that checks the remaining length first, so no offset is
 * ever trusted before it is compared with the buffer size.
 */
#include <config.h>
#include "tdx/tdx.h"

#include <string.h>

#include "base/bytes.h"
#include "base/log.h"

const uint8_t tdx_qe_vendor_intel[16] = {0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c,
                                         0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3,
                                         0x95, 0x7f, 0x06, 0x07};

/* A bounded reader over q[0..len). Once a read fails, ok stays false and
 * every later read returns zeros, so callers check ok once per section. */
struct cursor {
    const uint8_t *q;
    size_t len;
    size_t pos;
    bool ok;
};

static const uint8_t *cur_take(struct cursor *c, size_t n)
{
    static const uint8_t zeros[TDX_TD15_BODY_LEN];
    if (!c->ok || n > c->len - c->pos) {
        c->ok = false;
        /* Only fixed-size fields go through here; they never exceed
         * sizeof(zeros). */
        return zeros;
    }
    const uint8_t *p = c->q + c->pos;
    c->pos += n;
    return p;
}

static void cur_copy(struct cursor *c, void *dst, size_t n)
{
    memcpy(dst, cur_take(c, n), n);
}

static uint16_t cur_u16(struct cursor *c)
{
    const uint8_t *p = cur_take(c, 2);
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t cur_u32(struct cursor *c)
{
    return zk_load_le32(cur_take(c, 4));
}

static uint64_t cur_u64(struct cursor *c)
{
    return zk_load_le64(cur_take(c, 8));
}

/* Skips n bytes; n may be an untrusted length. */
static void cur_skip(struct cursor *c, size_t n)
{
    if (!c->ok || n > c->len - c->pos) {
        c->ok = false;
        return;
    }
    c->pos += n;
}

/* Section 2.5: SGX enclave report, 384 bytes. */
static void parse_sgx_report(struct cursor *c, struct tdx_sgx_report *r)
{
    size_t start = c->pos;
    cur_copy(c, r->cpusvn, 16);
    r->miscselect = cur_u32(c);
    cur_skip(c, 28); /* reserved1 */
    cur_copy(c, r->attributes, 16);
    cur_copy(c, r->mrenclave, 32);
    cur_skip(c, 32); /* reserved2 */
    cur_copy(c, r->mrsigner, 32);
    cur_skip(c, 96); /* reserved3 */
    r->isvprodid = cur_u16(c);
    r->isvsvn = cur_u16(c);
    cur_skip(c, 60); /* reserved4 */
    cur_copy(c, r->report_data, 64);
    ZK_ASSERT(!c->ok || c->pos - start == TDX_SGX_BODY_LEN);
}

/* Sections 2.2 and 2.3: TD report body, 584 (TD1.0) or 648 (TD1.5). */
static void parse_td_report(struct cursor *c, struct tdx_td_report *r,
                            bool td15)
{
    size_t start = c->pos;
    cur_copy(c, r->tee_tcb_svn, 16);
    cur_copy(c, r->mrseam, TDX_MR_LEN);
    cur_copy(c, r->mrsignerseam, TDX_MR_LEN);
    r->seam_attributes = cur_u64(c);
    r->td_attributes = cur_u64(c);
    r->xfam = cur_u64(c);
    cur_copy(c, r->mrtd, TDX_MR_LEN);
    cur_copy(c, r->mrconfigid, TDX_MR_LEN);
    cur_copy(c, r->mrowner, TDX_MR_LEN);
    cur_copy(c, r->mrownerconfig, TDX_MR_LEN);
    for (int i = 0; i < 4; i++) {
        cur_copy(c, r->rtmr[i], TDX_MR_LEN);
    }
    cur_copy(c, r->report_data, TDX_REPORT_DATA_LEN);
    if (td15) {
        cur_copy(c, r->tee_tcb_svn2, 16);
        cur_copy(c, r->mrservicetd, TDX_MR_LEN);
    }
    ZK_ASSERT(!c->ok ||
              c->pos - start == (td15 ? TDX_TD15_BODY_LEN : TDX_TD10_BODY_LEN));
}

static size_t body_len_of(enum tdx_body_type t)
{
    switch (t) {
    case TDX_BODY_SGX:
        return TDX_SGX_BODY_LEN;
    case TDX_BODY_TD10:
        return TDX_TD10_BODY_LEN;
    case TDX_BODY_TD15:
        return TDX_TD15_BODY_LEN;
    }
    return 0;
}

const char *tdx_body_type_name(enum tdx_body_type t)
{
    switch (t) {
    case TDX_BODY_SGX:
        return "sgx";
    case TDX_BODY_TD10:
        return "td1.0";
    case TDX_BODY_TD15:
        return "td1.5";
    }
    return "unknown";
}

/* Header (section 2.1) and, for v5, the body descriptor (2.4). Decides
 * the body type from version + TEE type. */
static enum zk_err parse_header(struct cursor *c, struct tdx_quote *out)
{
    out->version = cur_u16(c);
    out->att_key_type = cur_u16(c);
    out->tee_type = cur_u32(c);
    out->qe_svn = cur_u16(c);
    out->pce_svn = cur_u16(c);
    cur_copy(c, out->qe_vendor_id, 16);
    cur_copy(c, out->user_data, 20);
    if (!c->ok) {
        zk_debug("tdx: parse: shorter than the 48-byte header");
        return ZK_EINVAL;
    }
    if (out->version < 3 || out->version > 5) {
        zk_debug("tdx: parse: unsupported quote version %u",
                 (unsigned)out->version);
        return ZK_EUNSUPPORTED;
    }
    if (out->att_key_type != TDX_ATT_KEY_ECDSA_P256) {
        zk_debug("tdx: parse: unsupported attestation key type %u",
                 (unsigned)out->att_key_type);
        return ZK_EUNSUPPORTED;
    }
    if (out->tee_type != TDX_TEE_TYPE_SGX &&
        out->tee_type != TDX_TEE_TYPE_TDX) {
        zk_debug("tdx: parse: bad TEE type 0x%08x", (unsigned)out->tee_type);
        return ZK_EINVAL;
    }
    if (out->version == 3 && out->tee_type != TDX_TEE_TYPE_SGX) {
        zk_debug("tdx: parse: v3 quote with non-SGX TEE type");
        return ZK_EINVAL;
    }
    out->body_offset = TDX_HEADER_LEN;
    if (out->version < 5) {
        out->body_type =
            out->tee_type == TDX_TEE_TYPE_TDX ? TDX_BODY_TD10 : TDX_BODY_SGX;
    } else {
        uint16_t type = cur_u16(c);
        uint32_t size = cur_u32(c);
        if (!c->ok) {
            zk_debug("tdx: parse: truncated v5 body descriptor");
            return ZK_EINVAL;
        }
        if (type < TDX_BODY_SGX || type > TDX_BODY_TD15 ||
            size != body_len_of((enum tdx_body_type)type)) {
            zk_debug("tdx: parse: bad v5 body descriptor type %u size %u",
                     (unsigned)type, (unsigned)size);
            return ZK_EINVAL;
        }
        out->body_type = (enum tdx_body_type)type;
        out->body_offset = TDX_HEADER_LEN + TDX_V5_DESC_LEN;
        if ((out->body_type == TDX_BODY_SGX) !=
            (out->tee_type == TDX_TEE_TYPE_SGX)) {
            zk_debug("tdx: parse: v5 body type %u contradicts TEE type",
                     (unsigned)type);
            return ZK_EINVAL;
        }
    }
    out->body_len = body_len_of(out->body_type);
    return ZK_OK;
}

static void parse_body(struct cursor *c, struct tdx_quote *out)
{
    if (out->body_type == TDX_BODY_SGX) {
        parse_sgx_report(c, &out->sgx);
        memcpy(out->report_data, out->sgx.report_data, TDX_REPORT_DATA_LEN);
        out->report_data_offset = out->body_offset + 320;
        return;
    }
    parse_td_report(c, &out->td, out->body_type == TDX_BODY_TD15);
    memcpy(out->report_data, out->td.report_data, TDX_REPORT_DATA_LEN);
    out->report_data_offset = out->body_offset + 520;
    out->is_td = true;
    out->debug = (out->td.td_attributes & TDX_TD_ATTR_DEBUG) != 0;
}

static unsigned count_pem_certs(const uint8_t *p, size_t n)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    const size_t blen = sizeof(begin) - 1;
    unsigned count = 0;
    size_t i = 0;
    while (n >= blen && i <= n - blen) {
        const uint8_t *hit = memchr(p + i, '-', n - blen + 1 - i);
        if (hit == NULL) {
            break;
        }
        i = (size_t)(hit - p);
        if (memcmp(hit, begin, blen) == 0) {
            count++;
            i += blen;
        } else {
            i++;
        }
    }
    return count;
}

/*
 * QE report + signature + auth data + PCK chain, shared by the v4/v5
 * type-6 wrapper (section 2.6, from rel 134) and the flat v3 layout (2.7,
 * from rel 128). end is the absolute end of the enclosing section; the
 * pieces must fill it exactly.
 */
static enum zk_err parse_qe_part(struct cursor *c, struct tdx_quote *out,
                                 size_t end)
{
    parse_sgx_report(c, &out->qe_report);
    cur_copy(c, out->qe_report_sig, 64);
    out->qe_auth_len = cur_u16(c);
    out->qe_auth_offset = c->pos;
    cur_skip(c, out->qe_auth_len);
    out->pck_cert_type = cur_u16(c);
    out->pck_cert_size = cur_u32(c);
    out->pck_chain_offset = c->pos;
    if (!c->ok || c->pos > end) {
        zk_debug("tdx: parse: QE report certification data truncated");
        return ZK_EINVAL;
    }
    if (out->pck_cert_size != end - c->pos) {
        zk_debug("tdx: parse: PCK chain size %u does not fill the %zu bytes "
                 "left in the signature data",
                 (unsigned)out->pck_cert_size, end - c->pos);
        return ZK_EINVAL;
    }
    if (out->pck_cert_type != TDX_CERT_TYPE_PCK_CHAIN) {
        zk_debug("tdx: parse: unsupported inner certification data type %u",
                 (unsigned)out->pck_cert_type);
        return ZK_EUNSUPPORTED;
    }
    cur_skip(c, out->pck_cert_size);
    out->pck_pem_certs =
        count_pem_certs(c->q + out->pck_chain_offset, out->pck_cert_size);
    return ZK_OK;
}

/* Section 2.6 (v4/v5) and 2.7 (v3): signature data. */
static enum zk_err parse_signature(struct cursor *c, struct tdx_quote *out)
{
    out->sig_len_offset = c->pos;
    out->sig_len = cur_u32(c);
    if (!c->ok) {
        zk_debug("tdx: parse: truncated before the signature length");
        return ZK_EINVAL;
    }
    if (out->sig_len > c->len - c->pos) {
        zk_debug("tdx: parse: signature length %u exceeds the %zu bytes left",
                 (unsigned)out->sig_len, c->len - c->pos);
        return ZK_EINVAL;
    }
    out->signed_len = c->pos + out->sig_len;
    out->trailing_len = c->len - out->signed_len;
    /* From here on, read only the signed part: trailing bytes never count
     * as signature data. */
    c->len = out->signed_len;

    cur_copy(c, out->signature, 64);
    cur_copy(c, out->attestation_key, 64);
    if (out->version == 3) {
        out->cert_type = TDX_CERT_TYPE_PCK_CHAIN;
        enum zk_err err = parse_qe_part(c, out, out->signed_len);
        out->cert_size = out->pck_cert_size;
        return err;
    }
    out->cert_type = cur_u16(c);
    out->cert_size = cur_u32(c);
    if (!c->ok) {
        zk_debug("tdx: parse: signature data shorter than 134 bytes");
        return ZK_EINVAL;
    }
    if (out->cert_size != c->len - c->pos) {
        zk_debug("tdx: parse: certification data size %u != %zu bytes left",
                 (unsigned)out->cert_size, c->len - c->pos);
        return ZK_EINVAL;
    }
    if (out->cert_type != TDX_CERT_TYPE_QE_REPORT) {
        zk_debug("tdx: parse: unsupported certification data type %u",
                 (unsigned)out->cert_type);
        return ZK_EUNSUPPORTED;
    }
    return parse_qe_part(c, out, out->signed_len);
}

enum zk_err tdx_quote_parse(struct tdx_quote *out, const uint8_t *q, size_t len)
{
    struct cursor c = {.q = q, .len = len, .pos = 0, .ok = q != NULL};
    enum zk_err err;

    memset(out, 0, sizeof(*out));
    if (len == 0) {
        return ZK_EINVAL;
    }
    err = parse_header(&c, out);
    if (err) {
        return err;
    }
    parse_body(&c, out);
    if (!c.ok) {
        zk_debug("tdx: parse: truncated %s body",
                 tdx_body_type_name(out->body_type));
        return ZK_EINVAL;
    }
    err = parse_signature(&c, out);
    if (err) {
        return err;
    }
    ZK_ASSERT(c.ok && c.pos == out->signed_len);
    out->is_simulated = memcmp(out->qe_vendor_id, TDX_SIM_MAGIC,
                               sizeof(out->qe_vendor_id)) == 0;
    return ZK_OK;
}

enum zk_err tdx_quote_parse_td(struct tdx_quote *out, const uint8_t *q,
                               size_t len)
{
    enum zk_err err = tdx_quote_parse(out, q, len);
    if (err) {
        return err;
    }
    if (!out->is_td) {
        zk_debug("tdx: parse: v%u SGX quote where TDX is required",
                 (unsigned)out->version);
        return ZK_EUNSUPPORTED;
    }
    return ZK_OK;
}

enum zk_err tdx_quote_signed_len(const uint8_t *q, size_t len,
                                 size_t *signed_len_out)
{
    struct tdx_quote tq;
    enum zk_err err = tdx_quote_parse(&tq, q, len);
    if (err) {
        return err;
    }
    *signed_len_out = tq.signed_len;
    return ZK_OK;
}
