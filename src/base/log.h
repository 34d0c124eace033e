/*
 * log.h - one-line structured logging to stderr (journald picks it up).
 *
 * Lines look like `LEVEL module: action: detail`. Modules log the detail of
 * a failure once, at the site, and return an enum zk_err. Never log key
 * material: log addresses or key ids. Thread-safe (one write(2) per line).
 */
#ifndef ZK_BASE_LOG_H
#define ZK_BASE_LOG_H

#include "base/compiler.h"

enum zk_log_level {
    ZK_LOG_DEBUG = 0,
    ZK_LOG_INFO,
    ZK_LOG_WARN,
    ZK_LOG_ERROR,
    ZK_LOG_SILENT
};

/* Sets the minimum level printed (default ZK_LOG_INFO, or ZK_LOG_LEVEL
 * from the environment: debug|info|warn|error|silent). */
void zk_log_set_level(enum zk_log_level level);
enum zk_log_level zk_log_get_level(void);

void zk_log(enum zk_log_level level, const char *fmt, ...) ZK_PRINTF(2, 3);

#define zk_debug(...) zk_log(ZK_LOG_DEBUG, __VA_ARGS__)
#define zk_info(...)  zk_log(ZK_LOG_INFO, __VA_ARGS__)
#define zk_warn(...)  zk_log(ZK_LOG_WARN, __VA_ARGS__)
#define zk_error(...) zk_log(ZK_LOG_ERROR, __VA_ARGS__)

#endif
