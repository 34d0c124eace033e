#!/usr/bin/env bash
# Registry rejections on a real anvil chain with the real contracts, each
# asserted by its revert reason as decoded by our C stack (regtool: eth/abi
# + eth/rpc + rotd transport): stale block (anvil_mine), wrong block hash,
# replayed quote (also with bytes appended), report data mismatch,
# measurement not allowed, verifier returning false.
. "$(dirname "$0")/lib_chain.sh"
start_anvil
deploy
ok "deployed registry $REGISTRY"

# A first real registration through the rotator (for the replay case).
rotator --once >"$work/rot1.log" 2>&1 || fail "rotator --once"
SIGNER=$(db "SELECT address FROM keys WHERE status='active'")
REF_N=$(db "SELECT ref_block_number FROM keys WHERE status='active'")
REF_H=$(db "SELECT ref_block_hash FROM keys WHERE status='active'")
[ "$(attested "$SIGNER")" = true ] || fail "signer not attested"
ok "rotator registered $SIGNER at reference block $REF_N"

call() { "$REGTOOL" --rpc "$RPC" --registry "$REGISTRY" --from "$OPERATOR_ADDR" "$@"; }
expect() { # expect "REASON" regtool-args...
  local want=$1; shift
  local got
  got=$(call "$@")
  [ "$got" = "$want" ] || fail "expected '$want', got '$got'"
  ok "$want"
}
# ref: N, H = the block before the latest (eth_call runs in the context
# of the latest block, and the reference must be strictly older).
ref() { N=$("$CAST" block-number); N=$((N - 1)); H=$("$CAST" block "$N" --json | jq -r .hash); }

# Control: a fresh, correct quote for a new address would be accepted.
ADDR2=0x1111111111111111111111111111111111111111
ref
expect "OK" --address "$ADDR2" --number "$N" --hash "$H"

# Replayed quote: identical bytes, then with junk appended.
expect "REVERT Error: report is already used" --address "$SIGNER" --number "$REF_N" --hash "$REF_H"
expect "REVERT Error: report is already used" --address "$SIGNER" --number "$REF_N" --hash "$REF_H" --append 33

# Wrong block hash.
expect "REVERT Error: block number mismatch" --address "$ADDR2" --number "$N" \
  --hash 0x2222222222222222222222222222222222222222222222222222222222222222

# Report data bound to another address than the one registered.
expect "REVERT Error: report data hash mismatch" --address "$ADDR2" --number "$N" --hash "$H" \
  --report-address 0x3333333333333333333333333333333333333333

# Measurement policy: allow only an all-zero MRTD -> the default simulated
# MRTD is refused; the zero-MRTD quote passes; revoking reopens the policy.
ZERO48=0x$(printf '0%.0s' $(seq 96))
owner_send "$REGISTRY" "allowMeasurement(uint8,bytes)" 0 "$ZERO48"
ref
expect "REVERT Error: measurement not allowed: MRTD" --address "$ADDR2" --number "$N" --hash "$H"
expect "OK" --address "$ADDR2" --number "$N" --hash "$H" --mrtd-zero
owner_send "$REGISTRY" "revokeMeasurement(uint8,bytes)" 0 "$ZERO48"
ref
expect "OK" --address "$ADDR2" --number "$N" --hash "$H"

# Verifier returning false.
owner_send "$VERIFIER" "setReject(bool,string)" true "collateral out of date"
ref
expect "REVERT Error: quote rejected by verifier: collateral out of date" --address "$ADDR2" --number "$N" --hash "$H"
owner_send "$VERIFIER" "setReject(bool,string)" false ""

# Stale block: more than maxBlockNumberDiff (100) blocks old.
ref
expect "OK" --address "$ADDR2" --number "$N" --hash "$H"
"$CAST" rpc anvil_mine 0x64 >/dev/null || fail "anvil_mine"
expect "REVERT Error: block number out-of-date" --address "$ADDR2" --number "$N" --hash "$H"

# Real Intel quotes (tests/fixtures/tdx, decoded values from the shared
# MANIFEST): the registry's replay key is keccak256 of the signed part only,
# the same whether or not the 3065 zero bytes / 39 text bytes are attached;
# an SGX quote is refused; the mock verifier refuses a real quote.
FX=$top/tests/fixtures/tdx
qhex() { echo "0x$(tohex "$1")"; }
qhead() { echo "0x$(head -c "$2" "$1" | tohex)"; }
K=$("$CAST" call "$REGISTRY" "quoteReplayKey(bytes)(bytes32)" "$(qhex "$FX/tdx_v4_automata.bin")")
[ "$K" = 0x079ef7266b22a861f10fba27142b073c4f8efe252b206bc391d54f24d079856c ] || fail "replay key of the 8000-byte quote: $K"
K=$("$CAST" call "$REGISTRY" "quoteReplayKey(bytes)(bytes32)" "$(qhead "$FX/tdx_v4_automata.bin" 4935)")
[ "$K" = 0x079ef7266b22a861f10fba27142b073c4f8efe252b206bc391d54f24d079856c ] || fail "replay key of the trimmed quote: $K"
K=$("$CAST" call "$REGISTRY" "quoteReplayKey(bytes)(bytes32)" "$(qhex "$FX/tdx_v4_go_tdx_guest_spr_e4.bin")")
[ "$K" = 0xec9ad351d4fd157ae75322740dcfba92a8143b10e6054c40154ea3e34d7107ac ] || fail "replay key of the quote with text appended: $K"
ok "replay keys of real v4 quotes = keccak256 of their signed 4935 bytes (MANIFEST)"
if "$CAST" call "$REGISTRY" "quoteReplayKey(bytes)(bytes32)" "$(qhex "$FX/sgx_v3_automata.bin")" >"$work/sgx.out" 2>&1; then
  fail "SGX quote accepted"
fi
grep -q "unsupported quote: not TDX" "$work/sgx.out" || fail "SGX: $(cat "$work/sgx.out")"
ok "SGX v3 quote refused: unsupported quote: not TDX"
ref
if "$CAST" call --from "$OPERATOR_ADDR" "$REGISTRY" "register((uint256,bytes32,address),bytes)" \
     "($N,$H,$ADDR2)" "$(qhex "$FX/tdx_v4_automata.bin")" >"$work/real.out" 2>&1; then
  fail "mock accepted a real quote"
fi
grep -q "quote rejected by verifier: mock: not a simulated quote" "$work/real.out" || fail "real quote: $(cat "$work/real.out")"
ok "a real Intel quote is refused by the mock verifier"

# The rotator's own pre-flight reports a refusal with its decoded reason
# and never activates the key.
owner_send "$VERIFIER" "setReject(bool,string)" true "rotator sees this"
if rotator --once --max-attempts 1 >"$work/rot2.log" 2>&1; then fail "rotator succeeded against a rejecting verifier"; fi
grep -q "register would revert: Error: quote rejected by verifier: rotator sees this" "$work/rot2.log" || fail "reason not logged"
[ "$(db "SELECT status FROM keys ORDER BY id DESC LIMIT 1")" = failed ] || fail "key not failed"
[ "$(db "SELECT count(*) FROM keys WHERE status='failed' AND secret IS NOT NULL")" = 0 ] || fail "failed key kept its secret"
ok "rotator logged the verifier's reason and marked the key failed"
echo "registry_anvil: all checks passed"
