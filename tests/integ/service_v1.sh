#!/usr/bin/env bash
# service_v1.sh - the v1 API end to end over HTTPS: program upload and
# dedupe, submission by sha256 and by inline ELF, the waiting_for_key
# state, long polls (that do not block other requests), the history with
# filters and cursor pagination, /v1/signer, /v1/health and /metrics.
. "$(dirname "$0")/service_lib.sh"

stack_start_prover --workers 12 --runners 1 || exit 99
stack_start_nginx || exit 99
out=$STACK_DIR/out.json
ELF=$FIX/vk/sp1-v3.0.0-examples-fibonacci.elf
SHA=$(sha256sum "$ELF" | cut -d' ' -f1)
BYTES32=$(jq -r '.fixtures[] | select(.file == "sp1-v3.0.0-examples-fibonacci.elf") | .bytes32' "$FIX/vk/vkeys.json")
HASHB=$(jq -r '.fixtures[] | select(.file == "sp1-v3.0.0-examples-fibonacci.elf") | .hash_bytes' "$FIX/vk/vkeys.json")

# No key yet: healthy, but the signer says why it cannot sign.
http code "$out" "$STACK_URL/v1/health"
[ "$code" = 200 ] && jq -e '.status == "ok" and .signer == "waiting_for_key"' "$out" >/dev/null ||
    fail "health without key: $code $(cat "$out")"
http code "$out" "$STACK_URL/v1/signer"
[ "$code" = 503 ] && jq -e '.error.code == "no_key" and (.error.message | test("empty"))' "$out" >/dev/null ||
    fail "signer without key: $code $(cat "$out")"
ok "no key: /v1/health ok, /v1/signer 503 explains the empty key table"

[ "$(stack_curl -o /dev/null -w '%{http_version}' --http2 "$STACK_URL/v1/health")" = 2 ] ||
    fail "HTTP/2 not negotiated"
[ "$(stack_curl -o /dev/null -w '%{http_version}' --http1.1 "$STACK_URL/v1/health")" = 1.1 ] ||
    fail "HTTP/1.1 not served"
tls() { openssl s_client -connect "127.0.0.1:$STACK_PORT" -servername localhost \
    -cipher 'DEFAULT:@SECLEVEL=0' "$@" </dev/null >/dev/null 2>&1; }
tls -tls1_2 || fail "TLS 1.2 refused"
tls -tls1_3 || fail "TLS 1.3 refused"
tls -tls1_1 && fail "TLS 1.1 accepted"
ok "TLS site serves HTTP/2 and HTTP/1.1, refuses TLS < 1.2"

# Program upload (raw), again (200, same), as base64 JSON (200, same).
http code "$out" -H 'Content-Type: application/octet-stream' --data-binary "@$ELF" "$STACK_URL/v1/programs"
[ "$code" = 201 ] || fail "upload: $code $(cat "$out")"
jq -e --arg s "$SHA" --arg v "$BYTES32" --arg h "0x$HASHB" \
    '.sha256 == $s and .vkey == $v and .vk == $h and .sp1_major == 3' "$out" >/dev/null ||
    fail "upload answer $(cat "$out")"
http code "$out" -H 'Content-Type: application/octet-stream' --data-binary "@$ELF" "$STACK_URL/v1/programs"
[ "$code" = 200 ] || fail "re-upload: $code"
printf '{"elf":"%s"}' "$(base64 -w0 "$ELF")" >"$STACK_DIR/up.json"
http code "$out" -H 'Content-Type: application/json' --data-binary "@$STACK_DIR/up.json" "$STACK_URL/v1/programs"
[ "$code" = 200 ] && jq -e --arg s "$SHA" '.sha256 == $s' "$out" >/dev/null || fail "json upload: $code"
http code "$out" "$STACK_URL/v1/programs/$SHA"
[ "$code" = 200 ] && jq -e --arg v "$BYTES32" '.vkey == $v' "$out" >/dev/null || fail "program info $code"
[ "$(sql 'SELECT count(*) FROM programs')" = 1 ] || fail "program stored more than once"
ok "programs: upload 201, re-upload 200, sha256/vkey = fixture, stored once"

# Submit by sha256 with hex stdin items; it runs, then waits for a key.
submit() { # submit JSON -> ID
    http code "$out" -H 'Content-Type: application/json' --data "$1" "$STACK_URL/v1/proofs"
    [ "$code" = 202 ] || fail "submit: $code $(cat "$out")"
    ID=$(jq -r .id "$out")
}
submit "{\"program\":\"$SHA\",\"stdin\":[\"0x0a000000\"]}"
ID1=$ID
http code "$out" "$STACK_URL/v1/proofs/$ID1?wait=3"
jq -e '.status == "waiting_for_key" and .signature == null and .public_values == "0x0a0000003700000059000000"' "$out" >/dev/null ||
    fail "expected waiting_for_key: $(cat "$out")"
[ "$(sql "SELECT status FROM jobs WHERE id='$ID1'")" = waiting_for_key ] || fail "db status"
ok "v1: job executes and waits in waiting_for_key without a key"
# A query value too long for its buffer (wait: 15 chars) is refused, not cut
# (cut, "000000000000003x" would read as 3); %-escapes decode.
http code "$out" "$STACK_URL/v1/proofs/$ID1?wait=000000000000003x"
[ "$code" = 400 ] || fail "over-long ?wait: $code $(cat "$out")"
http code "$out" "$STACK_URL/v1/proofs/$ID1?wait=%30"
[ "$code" = 200 ] || fail "?wait=%30: $code $(cat "$out")"
ok "v1: over-long query value refused (not cut), percent-escapes decode"

dev_key >/dev/null || fail "dev key"
addr=$("$RECOVER" address "$DEV_KEY")
t0=$(date +%s%N)
http code "$out" "$STACK_URL/v1/proofs/$ID1?wait=20"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
jq -e '.status == "done"' "$out" >/dev/null || fail "not signed after the key appeared: $(cat "$out")"
[ "$ms" -lt 10000 ] || fail "long poll took $ms ms"
ok "v1: a key appears -> the waiting job is signed; the long poll returns in $ms ms"

# Every field of the proof record, checked independently.
stdin_sha=$(printf '\x01\0\0\0\0\0\0\0\x04\0\0\0\0\0\0\0\x0a\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' | sha256sum | cut -d' ' -f1)
read -r rec_addr rec_digest < <("$RECOVER" proof "$(jq -r .vk "$out")" "$(jq -r .public_values "$out")" "$(jq -r .signature "$out")" | paste -sd' ')
jq -e --arg id "$ID1" --arg s "$SHA" --arg v "$BYTES32" --arg h "0x$HASHB" \
    --arg ss "$stdin_sha" --arg d "0x$rec_digest" '
    .id == $id and .api == "v1" and .program_sha256 == $s and .vkey == $v and
    .vk == $h and .stdin_sha256 == $ss and .digest == $d and
    .public_values == "0x0a0000003700000059000000" and .cycles > 0 and
    .key_id == 1 and .error == null and (.sp1_version | length) > 0 and
    .timings.created_ms > 0 and .timings.finished_ms >= .timings.created_ms and
    .timings.exec_ms != null and .attempts == 1' "$out" >/dev/null ||
    fail "proof record fields: $(cat "$out")"
[ "$rec_addr" = "$addr" ] && [ "$(jq -r '.signer | ascii_downcase' "$out")" = "$addr" ] ||
    fail "signer $rec_addr / $(jq -r .signer "$out") != $addr"
ok "v1: record fields (vk, vkey, stdin sha256, digest, signature -> signer) check out"

http code "$out" "$STACK_URL/v1/signer"
[ "$code" = 200 ] && jq -e --arg a "$addr" '(.signer.address | ascii_downcase) == $a and .signer.simulated == true and .signer.expires_in_s > 0' "$out" >/dev/null ||
    fail "signer: $code $(cat "$out")"
ok "v1: /v1/signer shows the active key, its expiry and simulated mode"

# Inline ELF (base64) with a bincode stdin: same program, no new row.
bin=$(printf '\x01\0\0\0\0\0\0\0\x04\0\0\0\0\0\0\0\xf4\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' | base64 -w0)
printf '{"elf":"%s","stdin_bincode":"%s"}' "$(base64 -w0 "$ELF")" "$bin" >"$STACK_DIR/sub.json"
http code "$out" -H 'Content-Type: application/json' --data-binary "@$STACK_DIR/sub.json" "$STACK_URL/v1/proofs"
[ "$code" = 202 ] || fail "inline submit: $code $(cat "$out")"
ID2=$(jq -r .id "$out")
http code "$out" "$STACK_URL/v1/proofs/$ID2?wait=20"
jq -e '.status == "done" and .public_values == "0xf4010000f404000086070000"' "$out" >/dev/null ||
    fail "inline job: $(cat "$out")"
[ "$(sql 'SELECT count(*) FROM programs')" = 1 ] || fail "inline ELF stored twice"
ok "v1: inline base64 ELF + bincode stdin: n=500 result, program deduplicated"

# More jobs, then walk the history with a page size of 2.
for n in 1 2 3 4 5; do
    submit "{\"program\":\"$SHA\",\"stdin\":[\"0x0${n}000000\"]}"
    IDS+=("$ID")
done
http code "$out" "$STACK_URL/v1/proofs/${IDS[4]}?wait=30"
jq -e '.status == "done"' "$out" >/dev/null || fail "last job not done"
sleep 0.5
all=()
cursor=""
pages=0
while :; do
    http code "$out" "$STACK_URL/v1/proofs?limit=2${cursor:+&cursor=$cursor}"
    [ "$code" = 200 ] || fail "list: $code"
    mapfile -t got < <(jq -r '.proofs[].id' "$out")
    all+=("${got[@]}")
    pages=$((pages + 1))
    cursor=$(jq -r '.next_cursor // empty' "$out")
    [ -n "$cursor" ] || break
    [ $pages -lt 10 ] || fail "pagination does not end"
done
want=("${IDS[4]}" "${IDS[3]}" "${IDS[2]}" "${IDS[1]}" "${IDS[0]}" "$ID2" "$ID1")
[ "${all[*]}" = "${want[*]}" ] || fail "pagination order: ${all[*]} != ${want[*]}"
[ $pages = 4 ] || fail "expected 4 pages, got $pages"
ok "history: 7 proofs over 4 pages of 2, newest first, each once"

count() { http code "$out" "$STACK_URL/v1/proofs?$1"; [ "$code" = 200 ] || fail "filter $1: $code"; jq '.proofs | length' "$out"; }
[ "$(count "vkey=$BYTES32&limit=100")" = 7 ] || fail "vkey filter"
[ "$(count "vkey=0x$(printf '%064d' 1)&limit=100")" = 0 ] || fail "other vkey"
[ "$(count "status=done&limit=100")" = 7 ] || fail "status filter"
[ "$(count "status=failed")" = 0 ] || fail "status failed"
[ "$(count "signer=$addr&limit=100")" = 7 ] || fail "signer filter"
[ "$(count "program=$SHA&limit=100")" = 7 ] || fail "program filter"
[ "$(count "since=$(( $(date +%s) + 3600 ))")" = 0 ] || fail "since filter"
[ "$(count "until=1")" = 0 ] || fail "until filter"
[ "$(count "since=1&until=$(( $(date +%s) + 10 ))&limit=100")" = 7 ] || fail "time range"
http code "$out" "$STACK_URL/v1/proofs?status=bogus"
[ "$code" = 400 ] || fail "bad status filter: $code"
ok "history filters: vkey, status, signer, program, time range; bad filter -> 400"

# Long polls hold a worker each but never block other requests: 6 polls
# on a job queued behind a long one, while /v1/health answers at once.
submit "{\"program\":\"$SHA\",\"stdin\":[\"0x00a3e111\"]}" # n = 300000000: ~seconds
LONG=$ID
submit "{\"program\":\"$SHA\",\"stdin\":[\"0x0a000000\"]}"
BEHIND=$ID
pids=()
for i in 1 2 3 4 5 6; do
    stack_curl -o "$STACK_DIR/poll$i.json" "$STACK_URL/v1/proofs/$BEHIND?wait=60" &
    pids+=($!)
done
sleep 0.3
t0=$(date +%s%N)
http code "$out" "$STACK_URL/v1/health"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$code" = 200 ] && [ "$ms" -lt 3000 ] || fail "health during long polls: $code in $ms ms"
for p in "${pids[@]}"; do wait "$p"; done
for i in 1 2 3 4 5 6; do
    jq -e '.status == "done"' "$STACK_DIR/poll$i.json" >/dev/null || fail "poll $i: $(cat "$STACK_DIR/poll$i.json")"
done
ok "6 concurrent long polls; /v1/health answered in $ms ms meanwhile"

# Prometheus text: every sample line well-formed; the expected series.
http code "$out" "$STACK_URL/metrics"
[ "$code" = 200 ] || fail "metrics: $code"
bad=$(grep -v '^#' "$out" | grep -Ev '^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? -?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$' || true)
[ -z "$bad" ] || fail "malformed metric lines: $bad"
grep -Eq '^# TYPE sp1tee_jobs gauge$' "$out" || fail "no TYPE for sp1tee_jobs"
grep -Eq '^sp1tee_jobs\{state="done"\} 9$' "$out" || fail "jobs done != 9: $(grep sp1tee_jobs "$out")"
for m in sp1tee_http_requests_total sp1tee_queue_depth sp1tee_cycles_executed_total \
    sp1tee_execution_seconds_total sp1tee_signer_expiry_seconds sp1tee_proofs_signed_total; do
    grep -q "^$m" "$out" || fail "metric $m missing"
done
ok "/metrics parses as Prometheus text with jobs, cycles, seconds, queue, signer expiry"

http code "$out" "$STACK_URL/v1/proofs/p0_nope"
[ "$code" = 404 ] || fail "unknown proof: $code"
http code "$out" "$STACK_URL/v1/programs/$(printf '%064d' 0)"
[ "$code" = 404 ] || fail "unknown program: $code"
http code "$out" "$STACK_URL/v1/nothing"
[ "$code" = 404 ] && jq -e '.error.code == "not_found"' "$out" >/dev/null || fail "unknown route: $code"
ok "unknown proof, program and route -> 404 JSON errors"
# Forcing the SP1 version: the v5 fixture has no sp1-zkvm marker, so its
# version is only guessed and its vk refused; forced to 5 it is proved.
V5=$FIX/elf/sp1-v5.2.4_project-template-fibonacci-abi.elf
http code "$out" -H 'Content-Type: application/octet-stream' --data-binary "@$V5" "$STACK_URL/v1/programs"
[ "$code" = 422 ] && jq -e '.error.code == "unsupported_sp1_version"' "$out" >/dev/null ||
    fail "guessed v5: $code $(cat "$out")"
http code "$out" -H 'Content-Type: application/octet-stream' --data-binary "@$V5" "$STACK_URL/v1/programs?sp1_version=5"
[ "$code" = 201 ] && jq -e '.sp1_major == 5' "$out" >/dev/null || fail "forced v5: $code $(cat "$out")"
V5SHA=$(jq -r .sha256 "$out")
http code "$out" -H 'Content-Type: application/octet-stream' --data-binary "@$V5" "$STACK_URL/v1/programs?sp1_version=3"
[ "$code" = 422 ] || fail "re-forcing to v3 must fail: $code"
submit "{\"program\":\"$V5SHA\",\"stdin\":[\"0x0a000000\"]}"
http code "$out" "$STACK_URL/v1/proofs/$ID?wait=30"
want=$(case_field sp1-v5.2.4_project-template-fibonacci-abi.elf '{"buffer":[[10,0,0,0]],"ptr":0,"proofs":[]}' public_values_hex)
jq -e --arg pv "0x$want" '.status == "done" and .public_values == $pv' "$out" >/dev/null ||
    fail "v5 proof: $(cat "$out")"
ok "sp1_version forcing: guessed v5 -> 422, forced v5 -> proved (public values = cases.json), re-forcing -> 422"
echo "$N_OK passed, 0 failed"
