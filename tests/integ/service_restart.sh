#!/usr/bin/env bash
# service_restart.sh - crash safety: kill -9 the prover while a long job
# runs; the executor child dies with it; after a restart the job runs
# again and is signed exactly once. A clean SIGTERM re-queues without
# spending an attempt; a job interrupted --max-attempts times fails.
. "$(dirname "$0")/service_lib.sh"

ARGS=(--workers 4 --runners 1)
stack_start_prover "${ARGS[@]}" || exit 99
stack_start_nginx || exit 99
dev_key >/dev/null || fail "dev key"
addr=$("$RECOVER" address "$DEV_KEY")
out=$STACK_DIR/out.json
ELF=$FIX/vk/sp1-v3.0.0-examples-fibonacci.elf
SHA=$(sha256sum "$ELF" | cut -d' ' -f1)
http code "$out" -H 'Content-Type: application/octet-stream' --data-binary "@$ELF" "$STACK_URL/v1/programs"
[ "$code" = 201 ] || fail "upload: $code"
LONG="{\"program\":\"$SHA\",\"stdin\":[\"0x00a3e111\"]}" # n = 300000000

submit_long() {
    http code "$out" -H 'Content-Type: application/json' --data "$LONG" "$STACK_URL/v1/proofs"
    [ "$code" = 202 ] || fail "submit: $code $(cat "$out")"
    ID=$(jq -r .id "$out")
}
wait_running() { # wait_running ID: until the runner has its child
    local i
    for i in $(seq 1 200); do
        if [ "$(sql "SELECT status FROM jobs WHERE id='$1'")" = running ] &&
            CHILD=$(pgrep -P "$STACK_PROVER_PID" -f sp1-tee-executor); then
            return 0
        fi
        sleep 0.05
    done
    fail "job $1 never ran"
}
wait_done() { # wait_done ID -> $out holds the record
    local i
    for i in $(seq 1 12); do
        http code "$out" "$STACK_URL/v1/proofs/$1?wait=10"
        case $(jq -r .status "$out") in
        done | failed) return 0 ;;
        esac
    done
    fail "job $1 did not finish: $(cat "$out")"
}

# 1. kill -9 mid-job.
submit_long
J1=$ID
wait_running "$J1"
sleep 0.5
{
    kill -KILL "$STACK_PROVER_PID"
    wait "$STACK_PROVER_PID"
} 2>/dev/null
STACK_PROVER_PID=
for i in $(seq 1 40); do
    kill -0 "$CHILD" 2>/dev/null || break
    sleep 0.05
done
kill -0 "$CHILD" 2>/dev/null && fail "executor child $CHILD outlived the prover"
[ "$(sql "SELECT status || ':' || attempts FROM jobs WHERE id='$J1'")" = "running:1" ] ||
    fail "state after kill: $(sql "SELECT status, attempts FROM jobs WHERE id='$J1'")"
ok "kill -9 during a job: the executor child dies too; the job row stays 'running'"

http code "$out" "$STACK_URL/v1/health"
[ "$code" = 503 ] && jq -e '.error.code == "unavailable"' "$out" >/dev/null ||
    fail "prover down: nginx should answer 503 JSON, got $code"
ok "while the prover is down nginx answers 503 JSON"

stack_start_prover "${ARGS[@]}" || fail "restart"
grep -q "1 interrupted job(s) re-queued" "$STACK_DIR/prover.log" || fail "no re-queue log line"
wait_done "$J1"
jq -e '.status == "done" and .attempts == 2 and .signature != null' "$out" >/dev/null ||
    fail "after restart: $(cat "$out")"
got=$("$RECOVER" proof "$(jq -r .vk "$out")" "$(jq -r .public_values "$out")" "$(jq -r .signature "$out")" | head -1)
[ "$got" = "$addr" ] || fail "signer $got"
[ "$(grep -c "job $J1 signed" "$STACK_DIR/prover.log")" = 1 ] || fail "signed more than once"
[ "$(grep -c "job $J1 executed" "$STACK_DIR/prover.log")" = 1 ] || fail "result recorded more than once"
ok "restart: the job is re-run (attempt 2), completes and is signed exactly once"

# 2. Clean SIGTERM mid-job: re-queued without spending an attempt.
submit_long
J2=$ID
wait_running "$J2"
t0=$(date +%s%N)
stack_stop_prover TERM || fail "SIGTERM ignored"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "${STACK_PROVER_RC:-1}" = 0 ] || fail "exit status $STACK_PROVER_RC"
[ "$ms" -lt 6000 ] || fail "shutdown took $ms ms"
[ "$(sql "SELECT status || ':' || attempts FROM jobs WHERE id='$J2'")" = "queued:0" ] ||
    fail "after SIGTERM: $(sql "SELECT status, attempts FROM jobs WHERE id='$J2'")"
ok "SIGTERM mid-job: exit 0 in $ms ms, the job is back in the queue (no attempt spent)"
stack_start_prover "${ARGS[@]}" || fail "restart 2"
wait_done "$J2"
jq -e '.status == "done" and .attempts == 1' "$out" >/dev/null || fail "J2: $(cat "$out")"
ok "after the clean restart the job completes on its first counted attempt"

# 3. Bounded attempts.
stack_stop_prover TERM
stack_start_prover "${ARGS[@]}" --max-attempts 1 || fail "restart 3"
submit_long
J3=$ID
wait_running "$J3"
{
    kill -KILL "$STACK_PROVER_PID"
    wait "$STACK_PROVER_PID"
} 2>/dev/null
STACK_PROVER_PID=
stack_start_prover "${ARGS[@]}" --max-attempts 1 || fail "restart 4"
http code "$out" "$STACK_URL/v1/proofs/$J3"
jq -e '.status == "failed" and .error.code == "attempts" and .signature == null' "$out" >/dev/null ||
    fail "J3: $(cat "$out")"
[ "$(sql "SELECT count(*) FROM jobs WHERE status='done'")" = 2 ] || fail "done count"
ok "a job interrupted --max-attempts times fails with error code 'attempts'"
echo "$N_OK passed, 0 failed"
