#!/bin/bash
# cli_exec.sh - `sp1-tee exec` end to end on the SP1 fixture ELFs: the three
# stdin forms, --sp1-version, --cycle-limit, --json, and exit statuses
# (0 = HALT(0) with a matching digest, 1 = any other outcome, 2 = usage).
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
EXE="$top_builddir/sp1-tee"
F="$top_srcdir/tests/fixtures/elf"
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() { # name want_rc grep_pattern cmd...
    local name=$1 want=$2 pat=$3
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" != "$want" ] || { [ -n "$pat" ] && ! grep -q -- "$pat" "$tmp/out"; }; then
        echo "FAIL $name: rc=$rc (want $want), pattern '$pat'"
        head -c 600 "$tmp/out"; head -c 600 "$tmp/err"; fail=1
    else
        echo "ok $name"
    fi
}

V41="$F/sp1-v4.1_sp1-tee-fibonacci.elf"
expect item 0 '"public_values":"0a0000003700000059000000"' \
    "$EXE" exec "$V41" --stdin-item 0a000000 --json
expect item-0x 0 'public values:    f4010000f404000086070000' \
    "$EXE" exec "$V41" --stdin-item 0xf4010000
printf '{"buffer":[[10,0,0,0]],"ptr":0,"proofs":[]}' >"$tmp/in.json"
expect json 0 '"committed_digest":"d0abd303eefe48a35a09197c8840467029bde2832f61695991207d60fb6a2354"' \
    "$EXE" exec "$V41" --stdin-json "$tmp/in.json" --json
expect bincode 0 '"sp1_version":"v3 (rustc 1.75)"' \
    "$EXE" exec "$F/sp1-v1.x_eval-fibonacci.elf" \
    --stdin "$F/sp1-v1.x_eval-fibonacci.stdin.bincode" --json
expect detect-4.1.0 0 '"sp1_version":"4.1.0"' "$EXE" exec "$V41" --stdin-item 0a000000 --json
expect syscalls 0 '"HINT_READ":1' "$EXE" exec "$V41" --stdin-item 0a000000 --json
expect empty-stdin 1 '"status":"halt-nonzero-exit"' "$EXE" exec "$V41" --json
expect panic-stderr 1 'Tried to read from the input stream' "$EXE" exec "$V41" --json
expect cycle-limit 1 '"status":"cycle-limit"' \
    "$EXE" exec "$V41" --stdin-item 0a000000 --cycle-limit 1000 --json
expect cycle-exact-v4.1.0 1 '"status":"cycle-limit"' \
    "$EXE" exec "$V41" --stdin-item 0a000000 --cycle-limit 1621 --json
expect cycle-exact-pass 0 '"cycles":1621' \
    "$EXE" exec "$V41" --stdin-item 0a000000 --cycle-limit 1622 --json
expect forced-v3 1 '"public_values":""' \
    "$EXE" exec "$V41" --stdin-item 0a000000 --sp1-version v3 --json
expect v3-under-v5 1 'reserved file descriptor 3' \
    "$EXE" exec "$F/sp1-v3.2_examples-fibonacci.elf" --stdin-item 0a000000 --sp1-version v5 --json
expect stdout 0 '"stdout":"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\\n"' \
    "$EXE" exec "$F/sp1-v3.0_tests-sha2.elf" --json
expect usage-noelf 2 '' "$EXE" exec
expect usage-badver 2 '' "$EXE" exec "$V41" --sp1-version v6
expect usage-two-stdins 2 '' "$EXE" exec "$V41" --stdin-item 00 --stdin-json "$tmp/in.json"
printf '{"buffer":[[300]]}' >"$tmp/bad.json"
expect bad-json 1 '' "$EXE" exec "$V41" --stdin-json "$tmp/bad.json"
head -c 100 "$V41" >"$tmp/trunc.elf"
expect truncated-elf 1 '' "$EXE" exec "$tmp/trunc.elf"
expect missing-file 1 '' "$EXE" exec "$tmp/nope.elf"
exit $fail
