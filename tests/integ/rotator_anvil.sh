#!/usr/bin/env bash
# sp1-tee-rotator end to end on a real anvil chain with the real contracts
# and a real SQLite database, simulated TEE:
#  - a rotation makes a key active; the registry's verifyAttestedProver is
#    true; expires_at = registration block time + attestValiditySeconds;
#  - a proof signed with that key (signed independently by cast) passes
#    SP1MultiProof.verifyTEEProof through eth_call;
#  - after evm_increaseTime past the validity the proof fails; the next
#    rotation registers a new key, retires and wipes the old one, and new
#    proofs verify again;
#  - the operator key file must be 0600, and never comes from argv.
. "$(dirname "$0")/lib_chain.sh"
start_anvil
deploy

# Operator key hygiene.
chmod 644 "$KEYFILE"
if rotator --once >"$work/perm.log" 2>&1; then fail "accepted a world-readable key file"; fi
grep -q "must be a regular file with mode 0600" "$work/perm.log" || fail "no permission message"
chmod 600 "$KEYFILE"
if "$ROTATOR" --tee simulated --rpc-url "$RPC" --registry "$REGISTRY" --db "$DB" \
     --operator-key "$OPERATOR_KEY" >"$work/argv.log" 2>&1; then fail "accepted a key on argv"; fi
grep -q "never accepted on the command line" "$work/argv.log" || fail "no argv message"
ok "operator key: 0644 file and argv refused"

# First rotation, with the key from the environment this time.
SP1_TEE_OPERATOR_KEY=$OPERATOR_KEY "$ROTATOR" --tee simulated --rpc-url "$RPC" \
  --registry "$REGISTRY" --db "$DB" --poll-ms 100 --once >"$work/rot1.log" 2>&1 \
  || fail "first rotation"
[ "$(db "SELECT count(*) FROM keys WHERE status='active'")" = 1 ] || fail "no active key"
A1=$(db "SELECT address FROM keys WHERE status='active'")
S1=0x$(db "SELECT lower(hex(secret)) FROM keys WHERE status='active'")
TX1=$(db "SELECT tx_hash FROM keys WHERE status='active'")
grep -q "new signer $A1" "$work/rot1.log" || fail "signer not logged"
grep -q "sent tx $TX1" "$work/rot1.log" || fail "tx hash not logged"
QSHA=$(db "SELECT quote_sha256 FROM keys WHERE status='active'")
grep -q "quote: sha256 $QSHA" "$work/rot1.log" || fail "quote hash not logged"
QGOT=$(sha256_of_hex "$(db "SELECT hex(quote) FROM keys WHERE status='active'")")
[ "$QGOT" = "$QSHA" ] || fail "stored quote sha256 $QGOT != $QSHA"
[ "$(attested "$A1")" = true ] || fail "verifyAttestedProver($A1) false"
[ "$("$CAST" wallet address --private-key "$S1")" = "$A1" ] || fail "secret does not match address"
ok "rotation 1: $A1 active and attested (tx $TX1)"

# expires_at = timestamp of the registration block + attestValiditySeconds.
RB=$(db "SELECT registered_block FROM keys WHERE status='active'")
EXP=$(db "SELECT expires_at FROM keys WHERE status='active'")
TS=$("$CAST" block "$RB" --json | jq -r .timestamp); TS=$((TS))
VAL=$("$CAST" call "$REGISTRY" "attestValiditySeconds()(uint256)")
[ "$EXP" = $((TS + VAL)) ] || fail "expires_at $EXP != $TS + $VAL"
RCPT_BLOCK=$("$CAST" receipt "$TX1" blockNumber); [ "$((RCPT_BLOCK))" = "$RB" ] || fail "registered_block"
ok "expires_at = block $RB time $TS + $VAL"

# Report data in the DB is 12 zero bytes || signer || keccak(abi.encode(ref)).
RD=$(db "SELECT lower(hex(report_data)) FROM keys WHERE status='active'")
RN=$(db "SELECT ref_block_number FROM keys WHERE status='active'")
RH=$(db "SELECT ref_block_hash FROM keys WHERE status='active'")
ENC=$("$CAST" abi-encode "f(uint256,bytes32,address)" "$RN" "$RH" "$A1")
WANT=000000000000000000000000$(echo "${A1#0x}" | tr A-F a-f)$("$CAST" keccak "$ENC" | cut -c3-)
[ "$RD" = "$WANT" ] || fail "report data $RD != $WANT"
ok "report data binds the signer and block $RN"

# A proof signed with the key passes verifyTEEProof (eth_call).
DIGEST=$(printf 'vk||public values' | sha256sum | cut -c1-64)
SIG=$(sign_proof "$S1" "0x$DIGEST")
"$CAST" call "$MULTIPROOF" "verifyTEEProof(bytes,bytes)" "0x$DIGEST" "$SIG" >/dev/null \
  || fail "verifyTEEProof rejected a proof by $A1"
ok "proof by $A1 verifies on-chain"

# The same check through `sp1-tee verify --rpc-url --multiproof` (our own
# eth_call path), on a reference-format proof {signature, vk, public_values}.
CLI=$build/sp1-tee
make_proof() { # SECRET OUT: vk = 32 x 0x07, public values "hello"
  local vkhex=$(printf '07%.0s' $(seq 32)) pvhex=68656c6c6f
  local d=0x$(sha256_of_hex "$vkhex$pvhex")
  local sig=$(sign_proof "$1" "$d")
  jq -n --arg s "${sig#0x}" --arg v "$vkhex" --arg p "$pvhex" '
    def bytes: [ascii_downcase | scan("..") | explode
                | map(if . >= 97 then . - 87 else . - 48 end) | .[0] * 16 + .[1]];
    {signature: ($s | bytes), vk: ($v | bytes), public_values: ($p | bytes)}' >"$2"
}
if [ -x "$CLI" ]; then
  make_proof "$S1" "$work/proof1.json"
  "$CLI" verify --signer "$A1" --rpc-url "$RPC" --multiproof "$MULTIPROOF" \
    "$work/proof1.json" >"$work/verify1.out" 2>&1 || fail "sp1-tee verify: $(cat "$work/verify1.out")"
  grep -q "^onchain *VALID" "$work/verify1.out" || fail "no on-chain VALID: $(cat "$work/verify1.out")"
  ok "sp1-tee verify: VALID on-chain for $A1"
fi

# Past the validity: registry says no, the proof is rejected.
"$CAST" rpc evm_increaseTime $((VAL + 1)) >/dev/null && "$CAST" rpc evm_mine >/dev/null
[ "$(attested "$A1")" = false ] || fail "still attested after expiry"
if "$CAST" call "$MULTIPROOF" "verifyTEEProof(bytes,bytes)" "0x$DIGEST" "$SIG" >"$work/expired.out" 2>&1; then
  fail "expired proof accepted"
fi
grep -qi "Invalid_TEE_Signer\|revert" "$work/expired.out" || fail "unexpected error: $(cat "$work/expired.out")"
ok "after evm_increaseTime $((VAL + 1)) the proof fails"
if [ -x "$CLI" ]; then
  if "$CLI" verify --rpc-url "$RPC" --multiproof "$MULTIPROOF" "$work/proof1.json" \
       >"$work/verify2.out" 2>&1; then fail "sp1-tee verify accepted an expired signer"; fi
  grep -qi "INVALID on-chain: Invalid_TEE_Signer($A1)" "$work/verify2.out" \
    || fail "no decoded Invalid_TEE_Signer: $(cat "$work/verify2.out")"
  ok "sp1-tee verify: INVALID on-chain, Invalid_TEE_Signer($A1) decoded"
fi

# The daemon notices (chain time ahead) and rotates; run it briefly.
rotator_bg --interval 1800 --safety-margin 300 >"$work/rot2.log" 2>&1
wait_log "$work/rot2.log" "active from block" 30
kill -TERM $RPID; wait $RPID || fail "daemon exit status $?"
grep -q "stopping on signal" "$work/rot2.log" || fail "no clean stop"
A2=$(db "SELECT address FROM keys WHERE status='active'")
[ -n "$A2" ] && [ "$A2" != "$A1" ] || fail "no new key"
[ "$(db "SELECT status || ',' || (secret IS NULL) FROM keys WHERE address='$A1'")" = "retired,1" ] \
  || fail "old key not retired and wiped"
[ "$(attested "$A2")" = true ] || fail "new key not attested"
S2=0x$(db "SELECT lower(hex(secret)) FROM keys WHERE status='active'")
SIG2=$(sign_proof "$S2" "0x$DIGEST")
"$CAST" call "$MULTIPROOF" "verifyTEEProof(bytes,bytes)" "0x$DIGEST" "$SIG2" >/dev/null \
  || fail "proof by the new key rejected"
ok "next rotation: $A2 active, $A1 retired and wiped, new proofs verify"
echo "rotator_anvil: all checks passed"
