#!/usr/bin/env bash
# stack-lib.sh - bring up the prover stack (nginx TLS + sp1-tee-prover on a
# FastCGI unix socket + its SQLite file) in one throw-away directory.
# Sourced by scripts/dev-stack.sh, the service integration tests
# (tests/integ/service_*.sh) and bench/http_bench.sh, so that all of them
# run the very same configuration (nginx/sp1-tee-prover.conf.in).
#
# Inputs (environment): STACK_BUILD (dir with sp1-tee-prover and
# sp1-tee-executor), STACK_SRC (source tree). Everything lives in
# $STACK_DIR: run/ (socket, pids), nginx/ (conf, logs, temp), tls/, db/.
# Functions return non-zero on failure; callers decide whether to skip.

stack_need_tools() {
    local t
    for t in nginx curl openssl sqlite3 jq "$@"; do
        if ! command -v "$t" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$t" ]; then
            echo "stack: $t not found" >&2
            return 77
        fi
    done
    return 0
}

stack_nginx_bin() {
    command -v nginx 2>/dev/null || echo /usr/sbin/nginx
}

# stack_init [DIR]: creates the directory layout (a fresh mktemp dir by
# default) and picks a free loopback port (STACK_PORT).
stack_init() {
    STACK_DIR=${1:-$(mktemp -d "${TMPDIR:-/tmp}/sp1tee-stack.XXXXXX")}
    mkdir -p "$STACK_DIR"/{run,tls,db,nginx/logs,nginx/tmp}
    chmod 0777 "$STACK_DIR/nginx/tmp"
    STACK_DB=$STACK_DIR/db/prover.db
    STACK_SOCK=$STACK_DIR/run/prover.sock
    STACK_PORT=$(stack_free_port) || return 1
    STACK_URL=https://127.0.0.1:$STACK_PORT
    export STACK_DIR STACK_DB STACK_SOCK STACK_PORT STACK_URL
}

stack_free_port() {
    local p i
    for i in $(seq 1 50); do
        p=$(( (RANDOM << 15 | RANDOM) % 30000 + 20000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# stack_cert: a self-signed P-256 certificate for localhost/127.0.0.1.
stack_cert() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -days 2 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$STACK_DIR/tls/key.pem" -out "$STACK_DIR/tls/cert.pem" \
        >/dev/null 2>&1
}

# stack_start_prover [ARGS...]: starts sp1-tee-prover on $STACK_SOCK in the
# background (log: $STACK_DIR/prover.log, appended) and waits for it.
stack_start_prover() {
    rm -f "$STACK_SOCK" # a stale one (kill -9) would look like readiness
    "$STACK_BUILD/sp1-tee-prover" --db "$STACK_DB" --listen "$STACK_SOCK" \
        --socket-mode 0666 --executor "$STACK_BUILD/sp1-tee-executor" \
        "$@" >>"$STACK_DIR/prover.log" 2>&1 &
    STACK_PROVER_PID=$!
    echo "$STACK_PROVER_PID" >"$STACK_DIR/run/prover.pid"
    local i
    for i in $(seq 1 100); do
        if [ -S "$STACK_SOCK" ] && kill -0 "$STACK_PROVER_PID" 2>/dev/null; then
            sleep 0.05
            return 0
        fi
        kill -0 "$STACK_PROVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "stack: prover did not start; log:" >&2
    tail -20 "$STACK_DIR/prover.log" >&2
    return 1
}

# stack_stop_prover [SIGNAL]: TERM by default (clean shutdown, waited for
# up to 10 s), or KILL.
stack_stop_prover() {
    local sig=${1:-TERM} i
    [ -n "${STACK_PROVER_PID:-}" ] || return 0
    kill "-$sig" "$STACK_PROVER_PID" 2>/dev/null
    for i in $(seq 1 200); do
        kill -0 "$STACK_PROVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$STACK_PROVER_PID" 2>/dev/null; then
        echo "stack: prover ignored SIG$sig; killing" >&2
        kill -KILL "$STACK_PROVER_PID" 2>/dev/null
        wait "$STACK_PROVER_PID" 2>/dev/null
        STACK_PROVER_PID=
        return 1
    fi
    wait "$STACK_PROVER_PID" 2>/dev/null
    STACK_PROVER_RC=$?
    STACK_PROVER_PID=
    return 0
}

# stack_start_nginx [WORKERS] [RENDER_ARGS...]: renders the site from
# nginx/sp1-tee-prover.conf.in and runs nginx in the foreground mode in the
# background, with every path inside $STACK_DIR (-p prefix, -e error log).
stack_start_nginx() {
    local workers=${1:-1} nginx user_line=""
    shift || true
    nginx=$(stack_nginx_bin)
    local d=$STACK_DIR/nginx
    "$STACK_SRC/nginx/render.sh" "$STACK_SRC/nginx/sp1-tee-prover.conf.in" \
        LISTEN="127.0.0.1:$STACK_PORT" SERVER_NAME=localhost \
        SSL_CERT="$STACK_DIR/tls/cert.pem" SSL_KEY="$STACK_DIR/tls/key.pem" \
        FCGI_SOCKET="$STACK_SOCK" ACCESS_LOG="$d/logs/access.json" \
        "$@" >"$d/site.conf" || return 1
    # As root the workers would drop to 'nobody'; keep them as the caller
    # so they can reach the socket and temp dirs in $STACK_DIR.
    if [ "$(id -u)" = 0 ]; then
        user_line="user root;"
    fi
    cat >"$d/nginx.conf" <<NGX
$user_line
worker_processes $workers;
daemon off;
pid $d/nginx.pid;
error_log $d/logs/error.log warn;
events { worker_connections 4096; }
http {
    client_body_temp_path $d/tmp/body;
    fastcgi_temp_path $d/tmp/fastcgi;
    proxy_temp_path $d/tmp/proxy;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    include $d/site.conf;
}
NGX
    "$nginx" -t -q -p "$d" -c nginx.conf -e "$d/logs/error.log" || return 1
    "$nginx" -p "$d" -c nginx.conf -e "$d/logs/error.log" &
    STACK_NGINX_PID=$!
    local i
    for i in $(seq 1 100); do
        if curl -s -o /dev/null --cacert "$STACK_DIR/tls/cert.pem" \
            "$STACK_URL/v1/health" 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    echo "stack: nginx did not come up" >&2
    cat "$d/logs/error.log" >&2
    return 1
}

stack_stop_nginx() {
    [ -n "${STACK_NGINX_PID:-}" ] || return 0
    kill -QUIT "$STACK_NGINX_PID" 2>/dev/null
    wait "$STACK_NGINX_PID" 2>/dev/null
    STACK_NGINX_PID=
}

# stack_curl ARGS... (path relative to the stack URL via $STACK_URL).
stack_curl() {
    curl -sS --cacert "$STACK_DIR/tls/cert.pem" "$@"
}

# stack_down [keep]: stops everything; removes $STACK_DIR unless "keep".
stack_down() {
    stack_stop_nginx
    stack_stop_prover TERM || true
    if [ "${1:-}" != keep ] && [ -n "${STACK_DIR:-}" ]; then
        rm -rf "$STACK_DIR"
    fi
}
