#!/usr/bin/env bash
# cli_chain.sh - the whole loop seen from the client, on a real anvil with
# the real contracts (mock DCAP verifier), the real rotator (simulated TEE),
# prover and nginx:
#  - `sp1-tee signer --quote` decodes the rotator's simulated TDX quote and
#    confirms it binds the active signer and its reference block (and that
#    the block hash is the chain's);
#  - `sp1-tee quote` on the stored quote shows the simulated marker and the
#    same replay key the registry recorded (attestedReports is true for it);
#  - a proof fetched with the client verifies off-chain with `sp1-tee verify`
#    and on-chain with SP1MultiProof.verifyTEEProof(digest, signature).
. "$(dirname "$0")/lib_chain.sh"
STACK_SRC=$top
STACK_BUILD=$build
# shellcheck source=../../scripts/stack-lib.sh
. "$top/scripts/stack-lib.sh"
stack_need_tools || exit 77
CLI=$build/sp1-tee
for b in "$CLI" "$build/sp1-tee-prover" "$build/sp1-tee-executor"; do
  [ -x "$b" ] || { echo "SKIP: $b not built"; exit 77; }
done
stack_init || fail "stack_init"
stack_cert || fail "openssl"
trap 'stack_down; cleanup' EXIT
STACK_DB=$DB # the prover reads the rotator's key table
CA=$STACK_DIR/tls/cert.pem
out=$work/cli.out

start_anvil
deploy
rotator --once >"$work/rot.log" 2>&1 || fail "rotation"
A1=$(db "SELECT address FROM keys WHERE status='active'")
[ -n "$A1" ] || fail "no active key"
RN=$(db "SELECT ref_block_number FROM keys WHERE status='active'")
RH=$(db "SELECT ref_block_hash FROM keys WHERE status='active'")
ok "rotator registered $A1 (ref block $RN)"

stack_start_prover --workers 4 --runners 1 >"$work/prover.log" 2>&1 || fail "prover"
stack_start_nginx || fail "nginx"

# signer --quote: decoded and bound to the key and its reference block.
"$CLI" signer --url "$STACK_URL" --cacert "$CA" --quote >"$out" 2>"$work/err" ||
  fail "signer --quote: $(cat "$work/err") $(cat "$out")"
grep -qi "^address *$A1" "$out" || fail "signer address: $(cat "$out")"
grep -q "SIMULATED" "$out" || fail "simulated not shown: $(cat "$out")"
grep -q "binds signer + ref block yes" "$out" || fail "binding: $(cat "$out")"
grep -q "quote sha256 matches" "$out" || fail "quote sha: $(cat "$out")"
CH=$("$CAST" block "$RN" --json | jq -r .hash)
grep -qi "^ref_block *$RN $CH" "$out" || fail "ref block $RN $CH: $(cat "$out")"
ok "signer --quote: simulated quote binds $A1 and block $RN ($CH)"

# The stored quote through `sp1-tee quote`: marker, report data, and the
# replay key the registry recorded.
db "SELECT hex(quote) FROM keys WHERE status='active'" >"$work/quote.hex"
"$CLI" quote --json --require-tdx "$work/quote.hex" >"$out" || fail "quote"
jq -e '.simulated == true and .signed_len == .file_len and .qe_vendor_id == "0x5350315445452d53494d554c41544544"' "$out" >/dev/null ||
  fail "quote json: $(cat "$out")"
RD=0x$(db "SELECT lower(hex(report_data)) FROM keys WHERE status='active'")
[ "$(jq -r .report_data "$out")" = "$RD" ] || fail "report data"
KEY=$(jq -r .replay_key "$out")
[ "$("$CAST" call "$REGISTRY" "attestedReports(bytes32)(bool)" "$KEY" 2>/dev/null)" = true ] ||
  fail "registry has no attestedReports[$KEY]"
ok "sp1-tee quote: simulated marker, report data, replay key $KEY recorded on chain"

# A proof through the client, verified off-chain and on-chain.
ELF=$top/tests/fixtures/vk/sp1-v3.0.0-examples-fibonacci.elf
echo '["0x0a000000"]' >"$work/stdin.json"
"$CLI" submit --url "$STACK_URL" --cacert "$CA" --stdin-json "$work/stdin.json" \
  --wait --timeout 120 --json "$ELF" >"$out" 2>"$work/err" || fail "submit: $(cat "$work/err")"
"$CLI" verify --signer "$A1" "$out" >"$work/verify.out" 2>"$work/err" ||
  fail "verify: $(cat "$work/err")"
DIGEST=$(jq -r .digest "$out")
SIG=$(jq -r .signature "$out")
grep -q "^digest *$DIGEST" "$work/verify.out" || fail "digest differs"
"$CAST" call "$MULTIPROOF" "verifyTEEProof(bytes,bytes)" "$DIGEST" "$SIG" >/dev/null 2>"$work/err" ||
  fail "verifyTEEProof reverted: $(cat "$work/err")"
ok "proof via the client: verify (off-chain) and SP1MultiProof.verifyTEEProof (on-chain) agree"
echo "cli_chain: all checks passed"
