#!/usr/bin/env bash
# cli_client.sh - the sp1-tee client commands against the real stack (nginx
# TLS with a self-signed certificate, sp1-tee-prover, SQLite): upload,
# submit by program and inline (v1 and --compat), wait, proof, history with
# pagination, signer, and the off-chain verify of what came back, with the
# signer recovered independently (recover_tool, OpenSSL + libsecp256k1).
. "$(dirname "$0")/service_lib.sh"

CLI=$STACK_BUILD/sp1-tee
[ -x "$CLI" ] || { echo "SKIP: sp1-tee not built" >&2; exit 77; }
CA=$STACK_DIR/tls/cert.pem
ELF=$FIX/vk/sp1-v3.0.0-examples-fibonacci.elf
SHA=$(sha256sum "$ELF" | cut -d' ' -f1)
BYTES32=$(jq -r '.fixtures[] | select(.file == "sp1-v3.0.0-examples-fibonacci.elf") | .bytes32' "$FIX/vk/vkeys.json")
HASHB=$(jq -r '.fixtures[] | select(.file == "sp1-v3.0.0-examples-fibonacci.elf") | .hash_bytes' "$FIX/vk/vkeys.json")
PV=0x0a0000003700000059000000 # fibonacci(n = 10): n, then two u32 results
out=$STACK_DIR/cli.out
err=$STACK_DIR/cli.err
cli() { "$CLI" "$1" --url "$STACK_URL" --cacert "$CA" "${@:2}" >"$out" 2>"$err"; }

stack_start_prover --workers 6 --runners 1 || exit 99
stack_start_nginx || exit 99
dev_key >/dev/null || fail "dev key"
ADDR=$("$RECOVER" address "$DEV_KEY")

# TLS: the self-signed certificate is refused without --cacert, accepted
# with it, and --insecure skips verification (with a warning).
"$CLI" signer --url "$STACK_URL" >/dev/null 2>"$err" && fail "no --cacert accepted"
grep -qi "certificate" "$err" || fail "no certificate error: $(cat "$err")"
cli signer || fail "signer: $(cat "$err")"
grep -q "^address *$ADDR" <(tr 'A-F' 'a-f' <"$out") || fail "signer address: $(cat "$out")"
"$CLI" signer --url "$STACK_URL" --insecure >/dev/null 2>"$err" || fail "--insecure"
grep -q "insecure" "$err" || fail "--insecure without a warning"
ok "TLS: self-signed cert refused without --cacert, ok with it, --insecure warns"

# Upload once, then submit by sha256 and wait; verify off-chain.
cli upload "$ELF" || fail "upload: $(cat "$err")"
grep -q "^sha256 *$SHA" "$out" && grep -q "^vkey *$BYTES32" "$out" ||
    fail "upload output: $(cat "$out")"
echo '["0x0a000000"]' >"$STACK_DIR/stdin.json"
cli submit --program "$SHA" --stdin-json "$STACK_DIR/stdin.json" --wait --json ||
    fail "submit --program --wait: $(cat "$err")"
jq -e --arg pv "$PV" --arg h "0x$HASHB" '.status == "done" and .public_values == $pv and .vk == $h' "$out" >/dev/null ||
    fail "proof: $(cat "$out")"
ID1=$(jq -r .id "$out")
"$CLI" verify --signer "$ADDR" --vk "0x$HASHB" "$out" >"$STACK_DIR/v.out" 2>"$err" ||
    fail "verify: $(cat "$err")"
read -r rec_addr rec_digest < <("$RECOVER" proof "$(jq -r .vk "$out")" "$PV" "$(jq -r .signature "$out")" | paste -sd' ')
[ "$rec_addr" = "$ADDR" ] || fail "independent recovery: $rec_addr"
grep -q "^digest *0x$rec_digest" "$STACK_DIR/v.out" || fail "verify digest: $(cat "$STACK_DIR/v.out")"
ok "upload + submit --program --wait: fibonacci public values, vk = fixture, verify = independent recovery"

# Inline ELF, no wait: prints the id; wait and proof fetch it.
cli submit --stdin-json "$STACK_DIR/stdin.json" "$ELF" || fail "submit: $(cat "$err")"
ID2=$(cat "$out")
[ -n "$ID2" ] && [ "$ID2" != "$ID1" ] || fail "submit id '$ID2'"
cli wait --timeout 60 "$ID2" || fail "wait: $(cat "$err")"
grep -q "^status *done" "$out" && grep -q "^public_values *$PV" "$out" || fail "wait output: $(cat "$out")"
cli proof --json "$ID2" || fail "proof: $(cat "$err")"
jq -e --arg id "$ID2" '.id == $id and .status == "done"' "$out" >/dev/null || fail "proof json: $(cat "$out")"
"$CLI" verify --signer "$ADDR" "$out" >/dev/null 2>"$err" || fail "verify 2: $(cat "$err")"
ok "submit ELF -> id; wait prints the done proof; proof --json; verify"

# The reference API through --compat (number arrays), then verify.
echo '{"buffer":[[10,0,0,0]],"ptr":0,"proofs":[]}' >"$STACK_DIR/stdin_serde.json"
cli submit --compat --stdin-json "$STACK_DIR/stdin_serde.json" --wait --json "$ELF" ||
    fail "compat submit: $(cat "$err")"
jq -e '(.signature | length) == 65 and (.vk | length) == 32 and .public_values == [10,0,0,0,55,0,0,0,89,0,0,0]' "$out" >/dev/null ||
    fail "compat proof: $(cat "$out")"
"$CLI" verify --signer "$ADDR" --vk "0x$HASHB" "$out" >/dev/null 2>"$err" || fail "compat verify: $(cat "$err")"
ok "--compat: /request_proof + /wait_proof, reference JSON verifies"

# A tampered proof does not verify.
cli proof --json "$ID1" || fail "proof: $(cat "$err")"
jq '.public_values = "0x0b0000003700000059000000"' "$out" >"$STACK_DIR/bad.json"
"$CLI" verify --signer "$ADDR" "$STACK_DIR/bad.json" >/dev/null 2>"$err" && fail "tampered proof verified"
ok "tampered public values: verify exits 1"

# History: three done proofs, one per page with --all; filters.
cli history --status done --limit 1 --all || fail "history: $(cat "$err")"
[ "$(grep -c ' done ' "$out")" -ge 3 ] || fail "history rows: $(cat "$out")"
grep -q "^$ID1 " "$out" && grep -q "^$ID2 " "$out" || fail "history ids: $(cat "$out")"
cli history --signer "$ADDR" --vkey "$BYTES32" --json || fail "history json: $(cat "$err")"
jq -e '(.proofs | length) >= 3' "$out" >/dev/null || fail "history filter: $(cat "$out")"
cli history --status nonsense && fail "bad filter accepted"
grep -q "HTTP 400" "$err" || fail "bad filter error: $(cat "$err")"
ok "history: --all follows cursors one per page, filters, 400 surfaced"

# Errors come back as HTTP status + code + message, exit 1.
cli proof does-not-exist && fail "unknown proof"
grep -q "HTTP 404 not_found" "$err" || fail "404: $(cat "$err")"
head -c 100 "$ELF" >"$STACK_DIR/trunc.elf"
cli submit "$STACK_DIR/trunc.elf" && fail "truncated ELF accepted"
grep -qE "HTTP 4(00|22)" "$err" || fail "bad ELF: $(cat "$err")"
ok "errors: unknown id -> HTTP 404 not_found, truncated ELF -> 4xx, exit 1"

# The dev key has no quote: signer --quote says it cannot check.
cli signer --quote && fail "signer --quote without a quote"
ok "signer --quote with an unattested dev key exits 1"

echo "$N_OK passed, 0 failed"
