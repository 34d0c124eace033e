/*
 * fake_tsm.h - a fake configfs-tsm report tree for tests of src/tdx.
 *
 * Files live in a real temporary directory and are read and written with
 * the production syscall ops (tdx_tsm_sys_ops); the fake adds what the
 * kernel would do on top: mkdir populates an entry (provider, generation,
 * inblob), a write to inblob bumps generation, the first read of outblob
 * builds a quote from the inblob (a template quote with REPORTDATA
 * replaced at abs 568), rmdir removes a populated entry. Modes inject the
 * failures the provider must catch.
 */
#ifndef ZK_TESTS_FAKE_TSM_H
#define ZK_TESTS_FAKE_TSM_H

#include <stddef.h>
#include <stdint.h>

#include "tdx/tsm.h"

enum fake_tsm_mode {
    FAKE_TSM_OK = 0,
    FAKE_TSM_NO_PROVIDER,    /* mkdir fails with ENXIO (not a TD) */
    FAKE_TSM_WRONG_PROVIDER, /* provider reads "sev_guest" */
    FAKE_TSM_RACE,           /* every attempt: generation jumps by 2 */
    FAKE_TSM_RACE_ONCE,      /* only the first attempt races */
    FAKE_TSM_WRONG_ECHO,     /* every outblob's REPORTDATA differs */
    FAKE_TSM_WRONG_ECHO_ONCE,
    FAKE_TSM_EBUSY,   /* outblob read fails with EBUSY */
    FAKE_TSM_GARBAGE, /* outblob is 100 bytes of 0xaa */
    FAKE_TSM_HUGE     /* outblob larger than ZK_MAX_QUOTE_SIZE */
};

struct fake_tsm {
    char root[256];
    enum fake_tsm_mode mode;
    const uint8_t *tmpl; /* quote template, borrowed */
    size_t tmpl_len;
    size_t pad_to; /* zero-pad outblobs to this length (GCP); 0 = none */
    unsigned mkdirs, rmdirs, inblob_writes, outblob_reads;
};

extern const struct tdx_tsm_ops fake_tsm_ops;

/* Creates the temporary root. Returns 0 or -1. */
int fake_tsm_init(struct fake_tsm *f, enum fake_tsm_mode mode,
                  const uint8_t *tmpl, size_t tmpl_len);
/* Number of entries (directories) left under root. */
unsigned fake_tsm_entries(const struct fake_tsm *f);
/* Removes everything under root and root itself. */
void fake_tsm_cleanup(struct fake_tsm *f);

#endif
