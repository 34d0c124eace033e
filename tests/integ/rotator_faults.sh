#!/usr/bin/env bash
# sp1-tee-rotator under faults, on a real anvil chain with the real
# contracts (simulated TEE): a stuck transaction is replaced with higher
# fees; a dropped one is re-sent; a registration that reverts on-chain is
# logged with its decoded reason and retried with a fresh block; the node
# stopping mid-rotation is survived; a key is never marked active without
# a successful receipt.
. "$(dirname "$0")/lib_chain.sh"
STATE=$work/anvil-state.json
start_anvil --state "$STATE"
deploy

status_of_newest() { db "SELECT status FROM keys ORDER BY id DESC LIMIT 1"; }
check_active_attested() { # every active key is attested on-chain
  local a
  for a in $(db "SELECT address FROM keys WHERE status='active'"); do
    [ "$(attested "$a")" = true ] || fail "active key $a is not attested"
  done
}
manual_mining() { "$CAST" rpc evm_setAutomine false >/dev/null; }
auto_mining() { "$CAST" rpc evm_setAutomine true >/dev/null; "$CAST" rpc evm_mine >/dev/null; }
wait_rotator() { # wait for RPID, expect exit status $1
  local rc=0
  wait "$RPID" || rc=$?
  [ "$rc" = "$1" ] || fail "rotator exit status $rc, expected $1"
}

# 1. Stuck: nothing is mined; the rotator replaces its transaction (same
#    nonce, higher fees); once mining resumes the key becomes active.
manual_mining
rotator_bg --once --stuck-after 2 --attempt-timeout 60 >"$work/stuck.log" 2>&1
wait_log "$work/stuck.log" "still pending after" 20
[ "$(status_of_newest)" = registering ] || fail "stuck key is $(status_of_newest)"
auto_mining
wait_rotator 0
[ "$(status_of_newest)" = active ] || fail "stuck: key not active"
n=$(grep -c "sent tx .* (nonce 0," "$work/stuck.log")
[ "$n" -ge 2 ] || fail "stuck: expected a replacement with nonce 0, saw $n sends"
TX=$(db "SELECT tx_hash FROM keys ORDER BY id DESC LIMIT 1")
[ "$("$CAST" receipt "$TX" --json | jq -r .status)" = 0x1 ] \
  || fail "stuck: recorded tx $TX has no successful receipt"
check_active_attested
ok "stuck transaction replaced ($n sends, nonce 0) and mined"

# 2. Dropped: the node forgets the pending transaction; it is re-sent.
manual_mining
rotator_bg --once --stuck-after 2 --attempt-timeout 60 >"$work/dropped.log" 2>&1
wait_log "$work/dropped.log" "sent tx" 20
"$CAST" rpc anvil_dropAllTransactions >/dev/null || fail "anvil_dropAllTransactions"
wait_log "$work/dropped.log" "dropped by the node" 20
[ "$(status_of_newest)" = registering ] || fail "dropped key is $(status_of_newest)"
auto_mining
wait_rotator 0
[ "$(status_of_newest)" = active ] || fail "dropped: key not active"
check_active_attested
ok "dropped transaction re-sent and mined"

# 3. Reverted on-chain: the verifier starts rejecting between pre-flight
#    and inclusion (its owner's transaction, with a higher tip, is ordered
#    first in the same block). The revert reason is logged; the next
#    attempt uses a fresh block reference and succeeds once the verifier
#    accepts again.
manual_mining
rotator_bg --once --max-attempts 4 --stuck-after 60 --attempt-timeout 60 >"$work/revert.log" 2>&1
wait_log "$work/revert.log" "sent tx" 20
"$CAST" send --async --private-key "$DEPLOYER_KEY" --priority-gas-price 50gwei --gas-price 200gwei \
  "$VERIFIER" "setReject(bool,string)" true "flipped before inclusion" >/dev/null || fail "setReject"
"$CAST" rpc evm_mine >/dev/null
wait_log "$work/revert.log" "register reverted" 20
[ "$(status_of_newest)" = registering ] || fail "reverted key is $(status_of_newest)"
auto_mining
owner_send "$VERIFIER" "setReject(bool,string)" false ""
wait_rotator 0
grep -q "register reverted: Error: quote rejected by verifier: flipped before inclusion" "$work/revert.log" \
  || fail "revert reason not decoded in the log"
[ "$(status_of_newest)" = active ] || fail "revert: key not active after retry"
REFS=$(grep -c "quote: sha256" "$work/revert.log")
[ "$REFS" -ge 2 ] || fail "no fresh quote/block for the retry"
check_active_attested
ok "on-chain revert logged with its reason, retried with a fresh block"

# 4. The node stops mid-rotation (a pending transaction is lost with it):
#    the daemon keeps running, the key stays 'registering', and after the
#    node comes back the registration completes.
manual_mining
rotator_bg --once --stuck-after 3 --attempt-timeout 90 --max-attempts 3 \
  --rpc-timeout-ms 1000 >"$work/nodedown.log" 2>&1
wait_log "$work/nodedown.log" "sent tx" 20
stop_anvil
sleep 3
kill -0 "$RPID" 2>/dev/null || fail "rotator died while the node was down"
[ "$(status_of_newest)" = registering ] || fail "node down: key is $(status_of_newest)"
grep -q "rotd: rpc: endpoint #0" "$work/nodedown.log" || fail "no rpc error logged"
start_anvil --state "$STATE"
wait_rotator 0
[ "$(status_of_newest)" = active ] || fail "node down: key not active after restart"
check_active_attested
ok "node stopped mid-rotation: survived, registered after restart"

# 5. The node goes away for good: the rotation fails, the key is marked
#    failed (secret wiped), never active.
manual_mining
rotator_bg --once --stuck-after 2 --attempt-timeout 4 --max-attempts 1 \
  --rpc-timeout-ms 500 >"$work/gone.log" 2>&1
wait_log "$work/gone.log" "sent tx" 20
stop_anvil
wait_rotator 1
[ "$(status_of_newest)" = failed ] || fail "gone: key is $(status_of_newest)"
[ "$(db "SELECT secret IS NULL FROM keys ORDER BY id DESC LIMIT 1")" = 1 ] || fail "failed key kept its secret"
ok "node gone: key failed and wiped, never active"

# Older keys were retired and wiped by each successful rotation.
[ "$(db "SELECT count(*) FROM keys WHERE status='active'")" = 1 ] || fail "more than one active key"
[ "$(db "SELECT count(*) FROM keys WHERE status<>'active' AND secret IS NOT NULL")" = 0 ] \
  || fail "a non-active key kept its secret"
echo "rotator_faults: all checks passed"
