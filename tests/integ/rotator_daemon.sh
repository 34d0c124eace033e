#!/usr/bin/env bash
# The daemon on a chain that mines a block every second: it waits for the
# requested confirmations before activating a key (never earlier), rotates
# again every --interval, retires and wipes the previous key each time, and
# stops cleanly on SIGTERM.
. "$(dirname "$0")/lib_chain.sh"
start_anvil --block-time 1
deploy
rotator_bg --interval 10 --confirmations 3 --poll-ms 200 >"$work/daemon.log" 2>&1
wait_log "$work/daemon.log" "register: sent tx" 30
# Right after the receipt, fewer than 3 confirmations: not active yet.
TX=$(grep -o 'sent tx 0x[0-9a-f]*' "$work/daemon.log" | head -1 | cut -d' ' -f3)
for _ in $(seq 50); do
  "$CAST" receipt "$TX" --json >/dev/null 2>&1 && break; sleep 0.1
done
RB=$(( $("$CAST" receipt "$TX" --json | jq -r .blockNumber) ))
while :; do
  CUR=$("$CAST" block-number)
  ST=$(db "SELECT status FROM keys ORDER BY id LIMIT 1")
  if [ "$ST" = active ]; then break; fi
  [ "$CUR" -lt $((RB + 10)) ] || fail "key not active 10 blocks after its receipt"
  sleep 0.2
done
[ "$CUR" -ge $((RB + 2)) ] || fail "activated at block $CUR, receipt in $RB: fewer than 3 confirmations"
grep -q "active from block $RB (3 confirmations)" "$work/daemon.log" || fail "confirmation log"
ok "key active only after 3 confirmations (receipt block $RB, seen at $CUR)"

# A second rotation after --interval (10 s).
for _ in $(seq 400); do
  [ "$(grep -c 'active from block' "$work/daemon.log")" -ge 2 ] && break; sleep 0.1
done
[ "$(grep -c 'active from block' "$work/daemon.log")" -ge 2 ] || fail "no second rotation within 40 s"
kill -TERM "$RPID"; wait "$RPID" || fail "daemon exit status $?"
[ "$(db "SELECT count(*) FROM keys WHERE status='active'")" = 1 ] || fail "active keys"
[ "$(db "SELECT status || ',' || (secret IS NULL) FROM keys ORDER BY id LIMIT 1")" = "retired,1" ] \
  || fail "first key not retired and wiped"
A=$(db "SELECT address FROM keys WHERE status='active'")
[ "$(attested "$A")" = true ] || fail "second key not attested"
grep -q "stopping on signal" "$work/daemon.log" || fail "no clean stop"
ok "rotated again after --interval, previous key retired and wiped, clean stop"
echo "rotator_daemon: all checks passed"
