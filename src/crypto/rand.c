/*
 * rand.c - kernel CSPRNG bytes via getrandom(2); see rand.h.
 *
 * getrandom(buf, n, 0) reads the urandom pool but blocks until it has been
 * initialised once, which is exactly the guarantee key generation needs
 * (no early-boot weak keys). Requests of <= 256 bytes are never short and
 * never interrupted once the pool is ready; larger ones can be, so loop.
 */
#include <config.h>
#include "crypto/rand.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "base/log.h"
#include "base/mem.h"

enum zk_err crypto_random_bytes(uint8_t *out, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = getrandom(out + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            zk_error("crypto: getrandom: %s", strerror(errno));
            zk_memclear(out, len);
            return ZK_EIO;
        }
        done += (size_t)n;
    }
    return ZK_OK;
}
