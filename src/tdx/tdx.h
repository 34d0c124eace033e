/*
 * tdx.h - Intel TDX attestation: get a DCAP quote, parse a DCAP quote.
 *
 * Three things live here:
 *
 *  1. A quote PROVIDER. In TDX_MODE_CONFIGFS it runs the kernel's
 *     configfs-tsm report sequence (Linux >= 6.7,
 *     Documentation/ABI/testing/configfs-tsm-report): mkdir an entry under
 *     the root (default /sys/kernel/config/tsm/report), check `provider`
 *     reads "tdx_guest", read `generation` (G0), write the 64-byte report
 *     data to `inblob` in one write, read `outblob` to EOF, read
 *     `generation` again and require G0 + 1 (otherwise another writer raced
 *     us: discard and retry), parse the outblob and require its REPORTDATA
 *     to equal ours (echo check), rmdir the entry. In TDX_MODE_SIMULATED it
 *     builds a quote-shaped blob (see "Simulated quotes" below) for machines
 *     without TDX; only the project's MockDcapVerifier accepts it.
 *
 *  2. A quote PARSER for DCAP quotes: SGX v3, SGX/TDX v4, TDX v5 (TD 1.0
 *     and TD 1.5 bodies). Every length field is bounds-checked against the
 *     buffer; bytes after the signed part (header + [v5 descriptor] + body
 *     + 4 + sig_len) are ignored and reported as trailing_len.
 *
 *  3. tdx_quote_signed_len(): the number of leading bytes that are the
 *     quote proper. The registry keys replays on keccak256 of exactly these
 *     bytes, so appending junk cannot make a used quote look new.
 *
 * The module never decides what goes into report_data; the caller does
 * (ARCHITECTURE.md section 4). It never verifies signatures or the PCK
 * chain: that is the on-chain verifier's job.
 *
 * All integers in a quote are little-endian. Errors:
 *   ZK_EINVAL        malformed quote / unexpected bytes from the provider
 *   ZK_EUNSUPPORTED  well-formed but not what we handle (version 6, P-384
 *                    key, SGX where TDX is required), or "no TDX here"
 *                    (configfs-tsm missing, mkdir ENXIO, provider is not
 *                    tdx_guest)
 *   ZK_EBUSY         retryable: generation race or echo mismatch persisted
 *                    over all retries, kernel EBUSY/ETIMEDOUT/EINTR
 *   ZK_EIO           other OS failure (errno logged)
 *   ZK_ELIMIT        outblob larger than ZK_MAX_QUOTE_SIZE
 */
#ifndef ZK_TDX_TDX_H
#define ZK_TDX_TDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/err.h"

#define TDX_REPORT_DATA_LEN 64
#define TDX_MR_LEN          48 /* SHA-384 measurement registers */
#define TDX_HEADER_LEN      48
#define TDX_TD10_BODY_LEN   584
#define TDX_TD15_BODY_LEN   648
#define TDX_SGX_BODY_LEN    384
#define TDX_V5_DESC_LEN     6 /* u16 body type + u32 body size */

/* Header TEE type field. */
#define TDX_TEE_TYPE_SGX 0x00000000u
#define TDX_TEE_TYPE_TDX 0x00000081u

/* Header attestation key type: ECDSA-256 with P-256. */
#define TDX_ATT_KEY_ECDSA_P256 2u

/* TD_ATTRIBUTES bits (TDX module ABI). */
#define TDX_TD_ATTR_DEBUG           (1ull << 0)
#define TDX_TD_ATTR_SEPT_VE_DISABLE (1ull << 28)

/* Certification data types (DCAP). */
#define TDX_CERT_TYPE_PCK_CHAIN 5u /* PEM chain: leaf, platform CA, root */
#define TDX_CERT_TYPE_QE_REPORT 6u /* v4/v5 wrapper around QE report */

/* Intel's QE vendor id (header bytes 12..28). */
extern const uint8_t tdx_qe_vendor_intel[16];

/* Default configfs-tsm report root. */
#define TDX_CONFIGFS_ROOT "/sys/kernel/config/tsm/report"

/*
 * Simulated quotes (TDX_MODE_SIMULATED). The exact format, which the
 * MockDcapVerifier contract must accept and nothing else may produce:
 *
 *   a well-formed v4 TDX quote (version 4, attestation key type 2, TEE type
 *   0x81, TD 1.0 body, report data at abs 568..632, signature section with
 *   certification data type 6 wrapping type 5) whose
 *     - QE vendor id (abs 12..28) is the 16 ASCII bytes "SP1TEE-SIMULATED"
 *       instead of Intel's 939a7233f79c4ca9940a0db3957f0607  <- THE marker
 *     - QE authentication data (16 bytes) is "SP1TEE-SIMULATED"
 *     - PCK "chain" (type 5, 16 bytes) is "SP1TEE-SIMULATED"
 *     - ECDSA signature, attestation key, QE report, QE report signature
 *       are all zero bytes (so no real verifier can accept it)
 *     - MRTD defaults to "SP1TEE-SIMULATED" x 3 (48 ASCII bytes); every
 *       other body field is zero unless set through struct tdx_sim_opts.
 *   Total and signed length: TDX_SIM_QUOTE_LEN = 1258 bytes.
 * The parser sets is_simulated = true exactly when the QE vendor id is the
 * marker. docs/tdx.md has the byte map.
 */
#define TDX_SIM_MAGIC     "SP1TEE-SIMULATED" /* 16 bytes, no NUL used */
#define TDX_SIM_QUOTE_LEN 1258u

enum tdx_mode {
    TDX_MODE_CONFIGFS = 1, /* real TD: configfs-tsm */
    TDX_MODE_SIMULATED = 2 /* development/tests: marked fake quote */
};

/* Body type, as in the v5 body descriptor (v3/v4 are mapped to it). */
enum tdx_body_type {
    TDX_BODY_SGX = 1,  /* SGX enclave report, 384 bytes */
    TDX_BODY_TD10 = 2, /* TD 1.0 report, 584 bytes */
    TDX_BODY_TD15 = 3  /* TD 1.5 report, 648 bytes */
};

/* SGX enclave report (quote body of SGX quotes; also the QE report). */
struct tdx_sgx_report {
    uint8_t cpusvn[16];
    uint32_t miscselect;
    uint8_t attributes[16];
    uint8_t mrenclave[32];
    uint8_t mrsigner[32];
    uint16_t isvprodid;
    uint16_t isvsvn;
    uint8_t report_data[TDX_REPORT_DATA_LEN];
};

/* TD report body (TD 1.0 fields, plus the two TD 1.5 fields). */
struct tdx_td_report {
    uint8_t tee_tcb_svn[16];
    uint8_t mrseam[TDX_MR_LEN];
    uint8_t mrsignerseam[TDX_MR_LEN]; /* zero for Intel-signed modules */
    uint64_t seam_attributes;
    uint64_t td_attributes; /* TDX_TD_ATTR_* bits */
    uint64_t xfam;
    uint8_t mrtd[TDX_MR_LEN];
    uint8_t mrconfigid[TDX_MR_LEN];
    uint8_t mrowner[TDX_MR_LEN];
    uint8_t mrownerconfig[TDX_MR_LEN];
    uint8_t rtmr[4][TDX_MR_LEN];
    uint8_t report_data[TDX_REPORT_DATA_LEN];
    uint8_t tee_tcb_svn2[16];        /* TD 1.5 only, else zero */
    uint8_t mrservicetd[TDX_MR_LEN]; /* TD 1.5 only, else zero */
};

/*
 * A parsed quote. Plain data: it holds copies, no pointers into the input,
 * so it outlives the buffer. Offsets are absolute in the input.
 */
struct tdx_quote {
    /* header */
    uint16_t version;      /* 3, 4 or 5 */
    uint16_t att_key_type; /* always TDX_ATT_KEY_ECDSA_P256 after parse */
    uint32_t tee_type;     /* TDX_TEE_TYPE_SGX or TDX_TEE_TYPE_TDX */
    uint16_t qe_svn;
    uint16_t pce_svn;
    uint8_t qe_vendor_id[16];
    uint8_t user_data[20];

    /* body */
    enum tdx_body_type body_type;
    size_t body_offset; /* 48, or 54 for v5 */
    size_t body_len;
    struct tdx_td_report td;   /* valid when body_type is TD10 or TD15 */
    struct tdx_sgx_report sgx; /* valid when body_type is SGX */
    size_t report_data_offset; /* abs offset of REPORTDATA (568 for v4 TDX) */
    uint8_t report_data[TDX_REPORT_DATA_LEN]; /* copy, whatever the body */
    bool is_td;                               /* TEE type TDX with a TD body */
    bool debug;        /* TD_ATTRIBUTES.DEBUG set (never OK in production) */
    bool is_simulated; /* QE vendor id is TDX_SIM_MAGIC */

    /* signature data */
    size_t sig_len_offset; /* abs offset of the u32 signature length */
    uint32_t sig_len;
    size_t signed_len;     /* sig_len_offset + 4 + sig_len: the quote proper */
    size_t trailing_len;   /* input length - signed_len (padding, junk) */
    uint8_t signature[64]; /* ECDSA r||s by the attestation key */
    uint8_t attestation_key[64]; /* raw P-256 x||y */
    uint16_t cert_type; /* outer certification data type: 6 (v4/v5), 5 (v3) */
    uint32_t cert_size; /* its size S (v3: the PCK chain size) */
    struct tdx_sgx_report qe_report;
    uint8_t qe_report_sig[64];
    uint16_t qe_auth_len;
    size_t qe_auth_offset;
    uint16_t pck_cert_type; /* 5 */
    uint32_t pck_cert_size; /* C */
    size_t pck_chain_offset;
    unsigned pck_pem_certs; /* "-----BEGIN CERTIFICATE-----" count */
};

/*
 * Parses the DCAP quote q[0..len). Accepts SGX v3, SGX/TDX v4 and TDX v5;
 * bytes past signed_len are ignored. On success fills *out; on failure
 * *out is unspecified. q may be NULL only when len is 0.
 * ZK_EINVAL: truncated or inconsistent; ZK_EUNSUPPORTED: other version,
 * key type or certification data type.
 */
ZK_NODISCARD enum zk_err tdx_quote_parse(struct tdx_quote *out,
                                         const uint8_t *q, size_t len);

/* Like tdx_quote_parse but also refuses anything that is not a TDX quote
 * (SGX v3/v4/v5 -> ZK_EUNSUPPORTED). */
ZK_NODISCARD enum zk_err tdx_quote_parse_td(struct tdx_quote *out,
                                            const uint8_t *q, size_t len);

/* Parses q and stores its signed length (header + [6] + body + 4 +
 * sig_len) in *signed_len_out: the registry's replay key is keccak256 of
 * q[0..signed_len). Errors as tdx_quote_parse. */
ZK_NODISCARD enum zk_err tdx_quote_signed_len(const uint8_t *q, size_t len,
                                              size_t *signed_len_out);

/* Name of a body type: "sgx", "td1.0", "td1.5". */
const char *tdx_body_type_name(enum tdx_body_type t);

/*
 * Gets a quote binding report_data.
 *
 * mode TDX_MODE_CONFIGFS: root is the configfs-tsm report directory (NULL =
 * TDX_CONFIGFS_ROOT); tests pass a fake tree. The generation race check is
 * retried up to 3 times with a fresh entry. Needs root in a real TD.
 * mode TDX_MODE_SIMULATED: root is ignored; builds the simulated quote
 * with default options (tdx_sim_quote).
 *
 * quote_out must have been zk_buf_init'ed by the caller (max >=
 * ZK_MAX_QUOTE_SIZE recommended); it is reset, then receives the quote
 * TRIMMED to its signed length (GCP pads outblobs with zeros). Before
 * returning ZK_OK the quote is parsed as TDX and its REPORTDATA compared
 * with report_data. On error quote_out is empty.
 */
ZK_NODISCARD enum zk_err tdx_quote_get(enum tdx_mode mode, const char *root,
                                       const uint8_t report_data[64],
                                       struct zk_buf *quote_out);

/* True when root (NULL = default) looks like a configfs-tsm report dir
 * whose provider can be created: a trial mkdir/rmdir succeeds. Does not
 * log above debug level. */
bool tdx_configfs_available(const char *root);

/* Body fields of a simulated quote. */
struct tdx_sim_opts {
    uint8_t mrtd[TDX_MR_LEN];
    uint8_t rtmr[4][TDX_MR_LEN];
    uint64_t td_attributes;
};

/* Fills o with the defaults: MRTD = "SP1TEE-SIMULATED" x 3, RTMRs zero,
 * attributes zero. */
void tdx_sim_opts_default(struct tdx_sim_opts *o);

/* Builds the simulated quote (format above) into out (reset first). opts
 * NULL = defaults. ZK_ENOMEM / ZK_ELIMIT from the buffer. */
ZK_NODISCARD enum zk_err tdx_sim_quote(const uint8_t report_data[64],
                                       const struct tdx_sim_opts *opts,
                                       struct zk_buf *out);

#endif
