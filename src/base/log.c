/* log.c - stderr logger; one write(2) per line so threads don't interleave. */
#include <config.h>
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int level_set = 0;
static enum zk_log_level min_level = ZK_LOG_INFO;

void zk_log_set_level(enum zk_log_level level)
{
    min_level = level;
    level_set = 1;
}

enum zk_log_level zk_log_get_level(void)
{
    if (!level_set) {
        const char *env = getenv("ZK_LOG_LEVEL");
        static const char *names[] = {"debug", "info", "warn", "error",
                                      "silent"};
        if (env != NULL) {
            for (size_t i = 0; i < ZK_ARRAY_LEN(names); i++) {
                if (strcasecmp(env, names[i]) == 0) {
                    min_level = (enum zk_log_level)i;
                }
            }
        }
        level_set = 1;
    }
    return min_level;
}

void zk_log(enum zk_log_level level, const char *fmt, ...)
{
    static const char *tags[] = {"DEBUG", "INFO", "WARN", "ERROR", ""};
    char line[1024];
    int n;
    va_list ap;

    if (level < zk_log_get_level() || level >= ZK_LOG_SILENT) {
        return;
    }
    n = snprintf(line, sizeof(line), "%s ", tags[level]);
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(line) - 1) {
        n = (int)sizeof(line) - 2;
    }
    line[n++] = '\n';
    if (write(STDERR_FILENO, line, (size_t)n) < 0) {
        /* Nothing sensible to do if stderr is gone. */
    }
}
