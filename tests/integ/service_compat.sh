#!/usr/bin/env bash
# service_compat.sh - the reference client's API end to end over HTTPS:
# nginx (TLS) -> FastCGI -> sp1-tee-prover -> executor child -> SQLite.
# Checks against values from outside the code: the vk fixtures'
# hash_bytes, the public values in cases.json, and the signer recovered
# by an independent tool (tests/integ/recover_tool.c) compared with the
# address of the key in the key table.
. "$(dirname "$0")/service_lib.sh"

stack_start_prover --workers 8 || exit 99
stack_start_nginx || exit 99
dev_key >/dev/null || fail "dev key insert"
want_addr=$("$RECOVER" address "$DEV_KEY") || fail "recover_tool address"
table_addr=$(sql "SELECT lower(address) FROM keys WHERE status='active'")
[ "$want_addr" = "$table_addr" ] || fail "key table address $table_addr != $want_addr"
ok "key table holds the dev key ($want_addr)"

# compat_prove ELF STDIN_JSON -> sets ID, SIG, VK, PV (hex)
compat_prove() {
    local body out code ctype
    body=$(compat_body "$1" "$2")
    out=$STACK_DIR/out.txt
    code=$(stack_curl -o "$out" -w '%{http_code} %{content_type}' \
        -H 'Content-Type: application/json' --data-binary "@$body" \
        "$STACK_URL/request_proof")
    ctype=${code#* }
    code=${code%% *}
    [ "$code" = 200 ] || fail "request_proof: HTTP $code: $(cat "$out")"
    [ "$ctype" = text/plain ] || fail "request_proof content type $ctype"
    ID=$(cat "$out")
    [[ "$ID" =~ ^p0_[0-9a-f]{32}$ ]] || fail "bad proof id '$ID'"
    printf '%s' "$ID" >"$STACK_DIR/id.txt"
    code=$(stack_curl -o "$out" -w '%{http_code}' -D "$STACK_DIR/hdr.txt" \
        --data-binary "@$STACK_DIR/id.txt" "$STACK_URL/wait_proof")
    [ "$code" = 200 ] || fail "wait_proof: HTTP $code: $(cat "$out")"
    # Every fixture proved here is an SP1 v3 program (cases.json
    # "semantics": "v3"); the detected version travels in a header.
    SP1V=$(tr -d '\r' <"$STACK_DIR/hdr.txt" | sed -n 's/^[Xx]-[Ss][Pp]1-[Vv]ersion: //p')
    [[ "$SP1V" =~ ^(v3|3\.) ]] || fail "X-SP1-Version '$SP1V' does not name v3"
    # Exactly the three fields, in the reference order.
    [ "$(jq -c 'keys_unsorted' "$out")" = '["signature","vk","public_values"]' ] ||
        fail "wait_proof keys: $(jq -c 'keys_unsorted' "$out")"
    [ "$(jq '.signature | length' "$out")" = 65 ] || fail "signature length"
    [ "$(jq '.vk | length' "$out")" = 32 ] || fail "vk length"
    jq -e '[.signature[], .vk[], .public_values[]] | all(type == "number" and . >= 0 and . <= 255 and . == floor)' \
        "$out" >/dev/null || fail "byte arrays hold non-bytes"
    SIG=$(json_to_hex "$(jq -c .signature "$out")")
    VK=$(json_to_hex "$(jq -c .vk "$out")")
    PV=$(json_to_hex "$(jq -c .public_values "$out")")
}

check_signer() {
    local got
    got=$("$RECOVER" proof "$VK" "$PV" "$SIG" | head -1) || fail "recovery failed"
    [ "$got" = "$want_addr" ] || fail "signature recovers to $got, want $want_addr"
}

vk_of() { # vk_of FILE -> hash_bytes from the vk fixtures
    jq -r --arg f "$1" '.fixtures[] | select(.file == $f) | .hash_bytes' \
        "$FIX/vk/vkeys.json"
}

# 1. SP1 v3.0.0 examples/fibonacci (vk fixture), n = 10. cases.json lists
# this program (same source, examples/fibonacci/program) for the v3.2
# rebuild: n = 10 -> 0a000000 37000000 59000000.
stdin10='{"buffer":[[10,0,0,0]],"ptr":0,"proofs":[]}'
compat_prove "$FIX/vk/sp1-v3.0.0-examples-fibonacci.elf" "$stdin10"
[ "$VK" = "$(vk_of sp1-v3.0.0-examples-fibonacci.elf)" ] || fail "vk $VK"
want_pv=$(case_field sp1-v3.2_examples-fibonacci.elf "$stdin10" public_values_hex)
[ -n "$want_pv" ] && [ "$PV" = "$want_pv" ] || fail "public values $PV != $want_pv"
check_signer
ok "compat: fibonacci v3.0.0 n=10: vk = fixture hash_bytes, public values = cases.json, signer = key table"
ID1=$ID

# 2. The v3.2 rebuild with n = 500: public values straight from cases.json.
stdin500='{"buffer":[[244,1,0,0]],"ptr":0,"proofs":[]}'
compat_prove "$FIX/elf/sp1-v3.2_examples-fibonacci.elf" "$stdin500"
want_pv=$(case_field sp1-v3.2_examples-fibonacci.elf "$stdin500" public_values_hex)
[ "$PV" = "$want_pv" ] || fail "public values $PV != $want_pv"
check_signer
ok "compat: fibonacci v3.2 n=500: public values = cases.json, signer = key table"

# 3. sp1-project-template v3.0.0 fibonacci: vk = fixture.
compat_prove "$FIX/vk/sp1-project-template-v3.0.0-fibonacci.elf" "$stdin10"
[ "$VK" = "$(vk_of sp1-project-template-v3.0.0-fibonacci.elf)" ] || fail "template vk $VK"
check_signer
ok "compat: project-template fibonacci: vk = fixture hash_bytes"

# 4. The same request again is a new proof of the same program, identical
# result and (RFC 6979) identical signature; the ELF is stored once.
compat_prove "$FIX/vk/sp1-v3.0.0-examples-fibonacci.elf" "$stdin10"
[ "$ID" != "$ID1" ] || fail "proof ids must differ"
sig1=$(sql "SELECT lower(hex(signature)) FROM jobs WHERE id='$ID1'")
[ "$SIG" = "$sig1" ] || fail "same input, different signature"
[ "$(sql 'SELECT count(*) FROM programs')" = 3 ] || fail "programs not deduplicated"
ok "compat: repeated request: new id, same signature, ELF stored once"

# 5. Unknown id: 404 with a JSON error.
printf 'p0_%032d' 0 >"$STACK_DIR/id.txt"
http code "$STACK_DIR/out.txt" --data-binary "@$STACK_DIR/id.txt" "$STACK_URL/wait_proof"
[ "$code" = 404 ] || fail "unknown id: HTTP $code"
jq -e '.error.code == "not_found"' "$STACK_DIR/out.txt" >/dev/null || fail "404 body"
ok "compat: unknown id -> 404 JSON error"

# 6. The history query documented in README (plain sqlite3 on the file).
rows=$(sqlite3 -cmd '.timeout 5000' "$STACK_DB" \
    "SELECT id, vkey, signer, cycles, created FROM proofs WHERE status = 'done' ORDER BY created DESC LIMIT 10;")
[ "$(wc -l <<<"$rows")" = 4 ] || fail "sqlite3 history: $rows"
grep -q "$ID1|0x00e60860c07bfc6e4c480286c0ddbb879674eb47f84b4ef041cf858b17aa0ed1|" <<<"$rows" ||
    fail "history row for $ID1 missing: $rows"
ok "sqlite3 history query answers (4 proofs)"

# 7. Clean shutdown on SIGTERM (libfcgi alone would wait for a request).
stack_stop_prover TERM || fail "prover ignored SIGTERM"
[ "${STACK_PROVER_RC:-1}" = 0 ] || fail "prover exit status $STACK_PROVER_RC"
ok "SIGTERM: prover exits promptly with status 0"

# 8. The socket-on-fd-0 mode (systemd StandardInput=socket / spawn-fcgi).
if command -v spawn-fcgi >/dev/null 2>&1; then
    rm -f "$STACK_SOCK"
    spawn-fcgi -s "$STACK_SOCK" -M 0666 -P "$STACK_DIR/run/spawn.pid" -- \
        "$STACK_BUILD/sp1-tee-prover" --db "$STACK_DB" \
        --executor "$STACK_BUILD/sp1-tee-executor" --workers 2 \
        >>"$STACK_DIR/prover.log" 2>&1 || fail "spawn-fcgi"
    STACK_PROVER_PID=$(cat "$STACK_DIR/run/spawn.pid")
    http code "$STACK_DIR/out.txt" "$STACK_URL/v1/proofs/$ID1"
    [ "$code" = 200 ] && jq -e '.status == "done"' "$STACK_DIR/out.txt" >/dev/null ||
        fail "fd-0 mode: $code $(cat "$STACK_DIR/out.txt")"
    # Not our child: wait for it by polling.
    kill -TERM "$STACK_PROVER_PID"
    for i in $(seq 1 100); do
        kill -0 "$STACK_PROVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$STACK_PROVER_PID" 2>/dev/null && fail "fd-0 mode: SIGTERM ignored"
    STACK_PROVER_PID=
    ok "socket on fd 0 (spawn-fcgi): serves through nginx, exits on SIGTERM"
fi
echo "$N_OK passed, 0 failed"
