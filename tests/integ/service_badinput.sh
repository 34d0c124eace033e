#!/usr/bin/env bash
# service_badinput.sh - hostile and broken input over HTTPS: each request
# gets the right status and a JSON error, and nothing is stored; guests
# that panic, run away or allocate without bound fail their own job with a
# clear error and nothing else (the service keeps serving); a full queue
# answers 429, and so does nginx's submission rate limit.
. "$(dirname "$0")/service_lib.sh"

stack_start_prover --workers 8 --runners 1 --sp1-versions 3 \
    --max-body 6000000 --mem-limit-mb 1024 --exec-timeout 8 \
    --cycle-limit 1000000000000 \
    --queue-max 2 || exit 99
stack_start_nginx 1 MAX_BODY=8m || exit 99
dev_key >/dev/null || fail "dev key"
out=$STACK_DIR/out.json
FIB=$FIX/vk/sp1-v3.0.0-examples-fibonacci.elf
stdin10='{"buffer":[[10,0,0,0]],"ptr":0,"proofs":[]}'

nothing_stored() {
    [ "$(sql 'SELECT (SELECT count(*) FROM jobs) + (SELECT count(*) FROM programs)')" = 0 ] ||
        fail "$1: something was stored"
}
# expect STATUS CODE_REGEX WHAT curl-args...
expect() {
    local want=$1 ecode=$2 what=$3
    shift 3
    http code "$out" "$@"
    [ "$code" = "$want" ] || fail "$what: HTTP $code (want $want): $(head -c 300 "$out")"
    jq -e --arg c "$ecode" '.error.code | test($c)' "$out" >/dev/null ||
        fail "$what: error body $(head -c 300 "$out")"
    jq -e '.error.message | length > 0' "$out" >/dev/null || fail "$what: no message"
}
compat() { # compat WHAT STATUS CODE BODYFILE
    expect "$2" "$3" "$1" -H 'Content-Type: application/json' \
        --data-binary "@$4" "$STACK_URL/request_proof"
    nothing_stored "$1"
}
tmpf() { echo "$STACK_DIR/b$RANDOM"; }

f=$(tmpf); echo 'this is not json' >"$f"
compat "non-JSON" 400 bad_request "$f"
f=$(tmpf); printf '{"elf":"f0VMRg==","stdin":%s,"proof_mode":"TEE"}' "$stdin10" >"$f"
compat "elf as a string" 400 bad_request "$f"
f=$(tmpf); printf '{"elf":[127,69,76,70],"stdin":{"buffer":[[1,2,300]],"ptr":0,"proofs":[]},"proof_mode":"TEE"}' >"$f"
compat "stdin byte 300" 400 bad_request "$f"
f=$(tmpf); printf '{"elf":[127,69,76,70],"stdin":{"buffer":"x"},"proof_mode":"TEE"}' >"$f"
compat "stdin wrong type" 400 bad_request "$f"
f=$(tmpf); printf '{"elf":[127],"stdin":{"buffer":[],"ptr":0,"proofs":[[1]]},"proof_mode":"TEE"}' >"$f"
compat "stdin with proofs" 400 bad_request "$f"
ok "compat: non-JSON, wrong types, bad stdin -> 400, nothing stored"

f=$(tmpf); head -c 9000000 /dev/zero | tr '\0' ' ' >"$f"
compat "9 MB body (nginx limit 8m)" 413 too_large "$f"
f=$(tmpf); head -c 7000000 /dev/zero | tr '\0' ' ' >"$f"
compat "7 MB body (prover limit 6 MB)" 413 too_large "$f"
ok "huge bodies -> 413 from nginx and from the prover, nothing stored"

head -c 1000 "$FIB" >"$STACK_DIR/trunc.elf"
compat "truncated ELF" 422 invalid_elf "$(compat_body "$STACK_DIR/trunc.elf" "$stdin10")"
compat "x86-64 ELF" 422 invalid_elf "$(compat_body "$STACK_BUILD/tests/integ/recover_tool" "$stdin10")"
compat "v5 ELF" 422 unsupported_sp1_version \
    "$(compat_body "$FIX/elf/sp1-v5.2.4_project-template-fibonacci-abi.elf" "$stdin10")"
jq -e '.error.message | test("v5")' "$out" >/dev/null || fail "v5 message must name the version: $(cat "$out")"
ok "truncated ELF, non-RISC-V ELF -> 422 invalid_elf; v5 ELF -> 422 naming v5"

v1() { # v1 WHAT STATUS CODE JSON
    expect "$2" "$3" "$1" -H 'Content-Type: application/json' --data "$4" "$STACK_URL/v1/proofs"
    nothing_stored "$1"
}
v1 "v1 non-JSON" 400 bad_request 'nope'
v1 "v1 array" 400 bad_request '[1,2]'
v1 "v1 no program" 400 bad_request '{"stdin":[]}'
v1 "v1 program and elf" 400 bad_request '{"program":"00","elf":"AA=="}'
v1 "v1 bad sha" 400 bad_request '{"program":"xyz"}'
v1 "v1 unknown program" 404 not_found "{\"program\":\"$(printf '%064d' 7)\"}"
v1 "v1 bad base64" 400 bad_request '{"elf":"!!!!"}'
v1 "v1 bad stdin hex" 400 bad_request "{\"program\":\"$(printf '%064d' 7)\",\"stdin\":[\"0xzz\"]}"
v1 "v1 bad bincode" 400 bad_request "{\"program\":\"$(printf '%064d' 7)\",\"stdin_bincode\":\"AQ==\"}"
v1 "v1 bad cycle_limit" 400 bad_request "{\"program\":\"$(printf '%064d' 7)\",\"cycle_limit\":-5}"
expect 400 bad_request "v1 bad wait" "$STACK_URL/v1/proofs/p0_x?wait=abc"
expect 404 not_found "v1 unknown id" "$STACK_URL/v1/proofs/p0_x?wait=1"
expect 405 method_not_allowed "GET request_proof" "$STACK_URL/request_proof"
nothing_stored "v1 matrix"
ok "v1: malformed bodies -> 400, unknown program/id -> 404, wrong method -> 405, nothing stored"

# Guests that fail: the job is stored and fails with a clear error; no
# signature is ever made for it.
compat_id() { # compat_id ELF STDIN -> ID (200)
    local b
    b=$(compat_body "$1" "$2")
    http code "$out" -H 'Content-Type: application/json' --data-binary "@$b" "$STACK_URL/request_proof"
    [ "$code" = 200 ] || fail "request_proof: $code $(cat "$out")"
    ID=$(cat "$out")
}
wait_failed() { # wait_failed ID CODE_REGEX WHAT
    printf '%s' "$1" >"$STACK_DIR/id.txt"
    http code "$out" --data-binary "@$STACK_DIR/id.txt" "$STACK_URL/wait_proof"
    [ "$code" = 422 ] || fail "$3: wait_proof HTTP $code: $(cat "$out")"
    jq -e --arg c "$2" '.error.code | test($c)' "$out" >/dev/null || fail "$3: $(cat "$out")"
    [ "$(sql "SELECT status || ':' || (signature IS NULL) FROM jobs WHERE id='$1'")" = "failed:1" ] ||
        fail "$3: job not failed/unsigned"
}
compat_id "$FIX/elf/sp1-v3.0_tests-panic.elf" '{"buffer":[],"ptr":0,"proofs":[]}'
wait_failed "$ID" guest_error "panic"
jq -e '.error.message | test("exit|halt|HALT")' "$out" >/dev/null || fail "panic message: $(cat "$out")"
ok "guest that panics -> job failed (422 guest_error: $(jq -r .error.message "$out" | head -c 60)...)"

SHA=$(sha256sum "$FIB" | cut -d' ' -f1)
http code "$out" -H 'Content-Type: application/octet-stream' --data-binary "@$FIB" "$STACK_URL/v1/programs"
[ "$code" = 201 ] || fail "upload fib: $code"
http code "$out" -H 'Content-Type: application/json' \
    --data "{\"program\":\"$SHA\",\"stdin\":[\"0x10270000\"],\"cycle_limit\":1000}" "$STACK_URL/v1/proofs"
[ "$code" = 202 ] || fail "cycle-limit submit: $code"
ID=$(jq -r .id "$out")
http code "$out" "$STACK_URL/v1/proofs/$ID?wait=20"
jq -e '.status == "failed" and .error.code == "cycle_limit" and .signature == null' "$out" >/dev/null ||
    fail "cycle limit: $(cat "$out")"
ok "guest over the cycle limit -> failed cycle_limit"

GCC=$(command -v riscv64-unknown-elf-gcc || true)
if [ -n "$GCC" ]; then
    G=$STACK_DIR/service_guest.elf
    "$GCC" -march=rv32im -mabi=ilp32 -O2 -ffreestanding -nostdlib \
        -T "$top_srcdir/tests/guest/precompile_guest.ld" -o "$G" \
        "$top_srcdir/tests/guest/service_guest.c" -lgcc || fail "guest build"
    compat_id "$G" '{"buffer":[[1,0,0,0]],"ptr":0,"proofs":[]}'
    wait_failed "$ID" 'memory_limit' "unbounded allocation"
    ok "guest allocating without bound -> failed memory_limit"
    t0=$(date +%s)
    compat_id "$G" '{"buffer":[[2,0,0,0]],"ptr":0,"proofs":[]}'
    printf '%s' "$ID" >"$STACK_DIR/id.txt"
    http code "$out" --data-binary "@$STACK_DIR/id.txt" "$STACK_URL/wait_proof"
    jq -e '.error.code == "timeout"' "$out" >/dev/null || fail "spin: $(cat "$out")"
    ok "guest spinning forever -> killed at the 8 s wall clock ($(( $(date +%s) - t0 )) s)"
else
    echo "# riscv64-unknown-elf-gcc missing: unbounded-allocation and spin guests skipped"
fi

http code "$out" "$STACK_URL/v1/health"
[ "$code" = 200 ] || fail "health after hostile guests: $code"
compat_id "$FIB" "$stdin10"
printf '%s' "$ID" >"$STACK_DIR/id.txt"
http code "$out" --data-binary "@$STACK_DIR/id.txt" "$STACK_URL/wait_proof"
[ "$code" = 200 ] || fail "good job after hostile ones: $code $(cat "$out")"
ok "the service still proves normally afterwards"

# Queue bound (--queue-max 2): a long job running + one queued -> 429.
long='{"program":"'$SHA'","stdin":["0x00a3e111"]}'
for i in 1 2; do
    http code "$out" -H 'Content-Type: application/json' --data "$long" "$STACK_URL/v1/proofs"
    [ "$code" = 202 ] || fail "queue fill $i: $code"
done
before=$(sql 'SELECT count(*) FROM jobs')
expect 429 queue_full "queue full" -H 'Content-Type: application/json' --data "$long" "$STACK_URL/v1/proofs"
[ "$(sql 'SELECT count(*) FROM jobs')" = "$before" ] || fail "429 stored a job"
ok "queue full -> 429 queue_full, nothing stored"

# nginx rate limit for submissions (1 per minute, no burst).
stack_stop_nginx
stack_start_nginx 1 MAX_BODY=8m SUBMIT_RATE=1r/m SUBMIT_BURST=1 || fail "nginx restart"
n429=0
for i in 1 2 3 4; do
    http code "$out" -H 'Content-Type: application/json' --data 'x' "$STACK_URL/v1/proofs"
    if [ "$code" = 429 ]; then
        jq -e '.error.code == "rate_limited"' "$out" >/dev/null || fail "429 body"
        n429=$((n429 + 1))
    fi
done
[ $n429 -ge 2 ] || fail "rate limit: only $n429 of 4 got 429"
http code "$out" "$STACK_URL/v1/health"
[ "$code" = 200 ] || fail "GETs must not be rate limited"
ok "nginx rate limit: $n429 of 4 rapid submissions -> 429; GETs unaffected"
echo "$N_OK passed, 0 failed"
