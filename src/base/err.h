/*
 * err.h - the one project-wide error vocabulary.
 *
 * Every fallible function returns an enum zk_err; ZK_OK is 0 so that
 * `if (err) goto out;` works. The code is the *class* of failure; the
 * detail is logged once, where the failure happened (base/log.h).
 * Add a code only when some caller acts differently on it.
 */
#ifndef ZK_BASE_ERR_H
#define ZK_BASE_ERR_H

enum zk_err {
    ZK_OK = 0,
    ZK_ENOMEM,       /* allocation failed */
    ZK_EINVAL,       /* malformed external input */
    ZK_ELIMIT,       /* a ceiling from base/limits.h was exceeded */
    ZK_EIO,          /* operating-system failure (errno logged at the site) */
    ZK_EDB,          /* database failure */
    ZK_ENOTFOUND,    /* no such object */
    ZK_EBUSY,        /* retryable: busy database, RPC 429, queue full */
    ZK_ECRYPTO,      /* cryptographic failure: bad key, bad signature */
    ZK_ERPC,         /* the JSON-RPC server returned an error object */
    ZK_ETRAP,        /* the guest trapped */
    ZK_EBUDGET,      /* the guest ran out of cycles or memory */
    ZK_EUNSUPPORTED, /* valid input we refuse to handle (e.g. SP1 version) */
    ZK_EINTERNAL     /* a bug: an internal invariant did not hold */
};

/* Returns a static, human-readable name for err ("invalid input", ...). */
const char *zk_strerror(enum zk_err err);

#endif
