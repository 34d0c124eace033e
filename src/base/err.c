/* err.c - names of the error classes in err.h. */
#include <config.h>
#include "base/err.h"

const char *zk_strerror(enum zk_err err)
{
    switch (err) {
    case ZK_OK:
        return "ok";
    case ZK_ENOMEM:
        return "out of memory";
    case ZK_EINVAL:
        return "invalid input";
    case ZK_ELIMIT:
        return "limit exceeded";
    case ZK_EIO:
        return "i/o error";
    case ZK_EDB:
        return "database error";
    case ZK_ENOTFOUND:
        return "not found";
    case ZK_EBUSY:
        return "busy, retry later";
    case ZK_ECRYPTO:
        return "cryptographic failure";
    case ZK_ERPC:
        return "rpc error";
    case ZK_ETRAP:
        return "guest trapped";
    case ZK_EBUDGET:
        return "guest budget exhausted";
    case ZK_EUNSUPPORTED:
        return "unsupported";
    case ZK_EINTERNAL:
        return "internal error";
    }
    return "unknown error";
}
