#!/usr/bin/env bash
# The rotator on a chain without EIP-1559 (anvil --hardfork berlin: blocks
# have no base fee): it falls back to legacy EIP-155 transactions, the
# registration succeeds, and the mined transaction is type 0 with
# v = recid + 2*chainId + 35.
. "$(dirname "$0")/lib_chain.sh"
start_anvil --hardfork berlin
export EVM_VERSION=berlin LEGACY=1
deploy
[ "$("$CAST" block latest --json | jq -r '.baseFeePerGas // "none"')" = none ] || fail "chain has a base fee"
rotator --once >"$work/legacy.log" 2>&1 || fail "rotation on berlin"
grep -q "(nonce 0, legacy)" "$work/legacy.log" || fail "not sent as legacy"
A=$(db "SELECT address FROM keys WHERE status='active'")
[ -n "$A" ] && [ "$(attested "$A")" = true ] || fail "key not active/attested"
TX=$(db "SELECT tx_hash FROM keys WHERE status='active'")
T=$("$CAST" tx "$TX" --json)
[ "$(echo "$T" | jq -r .type)" = 0x0 ] || fail "tx type $(echo "$T" | jq -r .type)"
V=$(( $(echo "$T" | jq -r .v) ))
[ "$V" = $((31337 * 2 + 35)) ] || [ "$V" = $((31337 * 2 + 36)) ] || fail "v = $V is not EIP-155 for chain 31337"
ok "legacy EIP-155 registration (v=$V) on a pre-London chain: $A active"
S=0x$(db "SELECT lower(hex(secret)) FROM keys WHERE status='active'")
D=0x$(printf 'legacy' | sha256sum | cut -c1-64)
"$CAST" call "$MULTIPROOF" "verifyTEEProof(bytes,bytes)" "$D" "$(sign_proof "$S" "$D")" >/dev/null || fail "proof rejected"
ok "proof verifies on the berlin chain"
echo "rotator_legacy: all checks passed"
