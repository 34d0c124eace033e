#!/usr/bin/env bash
# service_lib.sh - shared prologue of the prover service tests: a real
# nginx (TLS, self-signed), a real sp1-tee-prover over FastCGI, a real
# SQLite file, all under one temp dir (scripts/stack-lib.sh). Sourced.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
STACK_SRC=$top_srcdir
STACK_BUILD=$top_builddir
FIX=$top_srcdir/tests/fixtures
# shellcheck source=../../scripts/stack-lib.sh
. "$top_srcdir/scripts/stack-lib.sh"

stack_need_tools || exit 77
for b in sp1-tee-prover sp1-tee-executor tests/integ/recover_tool; do
    if [ ! -x "$STACK_BUILD/$b" ]; then
        echo "SKIP: $b not built" >&2
        exit 77
    fi
done
RECOVER=$STACK_BUILD/tests/integ/recover_tool

stack_init || exit 99
stack_cert || { echo "openssl failed" >&2; exit 99; }
service_on_exit() {
    local rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
        echo "--- prover log (tail)" >&2
        tail -40 "$STACK_DIR/prover.log" >&2 2>/dev/null
        echo "--- nginx error log (tail)" >&2
        tail -10 "$STACK_DIR/nginx/logs/error.log" >&2 2>/dev/null
    fi
    stack_down ${KEEP_STACK:+keep}
    exit $rc
}
trap service_on_exit EXIT

N_OK=0
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
ok() {
    N_OK=$((N_OK + 1))
    echo "ok $N_OK - $*"
}

# A fixed development key (well known: never use it for anything real).
DEV_KEY=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
dev_key() {
    "$STACK_BUILD/sp1-tee-prover" --db "$STACK_DB" \
        --dev-insert-key "${1:-$DEV_KEY}" 2>>"$STACK_DIR/prover.log"
}

# bytes_json FILE -> [127,69,76,...]
bytes_json() {
    od -An -v -tu1 "$1" | tr -s ' \n' ',,' | sed -e 's/^,//' -e 's/,$//' \
        -e 's/^/[/' -e 's/$/]/'
}

# hex_to_json HEX -> [n,n,...] ("" -> [])
hex_to_json() {
    local h=${1#0x}
    if [ -z "$h" ]; then
        echo "[]"
        return
    fi
    echo "$h" | sed 's/../&\n/g' | sed '/^$/d' |
        while read -r b; do echo $((16#$b)); done | paste -sd, |
        sed -e 's/^/[/' -e 's/$/]/'
}

# json_to_hex '[n,...]' -> hex (no prefix)
json_to_hex() {
    jq -r 'map(. as $b | [$b/16|floor, $b%16] | map("0123456789abcdef"[.:.+1]) | join("")) | join("")' <<<"$1"
}

# compat_body ELF STDIN_JSON -> file with the reference client's body
compat_body() {
    local out=$STACK_DIR/body.$RANDOM.json
    printf '{"elf":%s,"stdin":%s,"proof_mode":"TEE"}' "$(bytes_json "$1")" \
        "$2" >"$out"
    echo "$out"
}

case_field() { # case_field ELF STDIN_JSON FIELD
    jq -r --arg e "$1" --arg s "$2" --arg f "$3" \
        '.cases[] | select(.elf == $e and .stdin_json == $s) | .[$f]' \
        "$FIX/elf/cases.json"
}

# http STATUS_VAR BODY_FILE curl-args...: runs curl, stores status.
http() {
    local __var=$1 __out=$2
    shift 2
    local __code
    __code=$(stack_curl -o "$__out" -w '%{http_code}' "$@") || __code=000
    printf -v "$__var" '%s' "$__code"
}

sql() {
    sqlite3 -cmd '.timeout 5000' "$STACK_DB" "$@"
}
