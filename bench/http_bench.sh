#!/usr/bin/env bash
# http_bench.sh - HTTP figures of the prover stack through nginx TLS
# (the same stack as the tests: scripts/stack-lib.sh). Not a test.
#
#   1. GET of a stored proof (/v1/proofs/ID): wrk, req/s and p99
#   2. submission overhead (POST /v1/proofs by program sha256, runners=0
#      so nothing executes): wrk -c1, median latency
#   3. end-to-end throughput of many small proofs (fibonacci n=10):
#      N submissions, runners = nproc, proofs/s from first submit to
#      last signature
#
# usage: bench/http_bench.sh [BUILD_DIR] [SECONDS] [N_PROOFS]
# The machine is shared and small: figures are noisy; run twice.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
STACK_SRC=$top
STACK_BUILD=$(cd "${1:-$top/build}" && pwd)
secs=${2:-10}
nproofs=${3:-200}
export STACK_SRC STACK_BUILD
. "$top/scripts/stack-lib.sh"
stack_need_tools wrk || exit 1
stack_init
stack_cert
trap 'stack_down' EXIT
ncpu=$(nproc)

stack_start_prover --workers 64 --runners 0 --queue-max 10000000
stack_start_nginx "$ncpu" SUBMIT_RATE=1000000r/s SUBMIT_BURST=1000000
"$STACK_BUILD/sp1-tee-prover" --db "$STACK_DB" --dev-insert-key random >/dev/null 2>&1
elf=$top/tests/fixtures/vk/sp1-v3.0.0-examples-fibonacci.elf
sha=$(stack_curl -H 'Content-Type: application/octet-stream' --data-binary "@$elf" \
    "$STACK_URL/v1/programs" | jq -r .sha256)
body="{\"program\":\"$sha\",\"stdin\":[\"0x0a000000\"]}"

echo "== machine: $ncpu CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); nginx workers $ncpu, prover workers 64"

echo "== 2. submission overhead (runners=0: store only), wrk -t1 -c1 -d${secs}s"
SUBMIT_BODY=$body wrk -t1 -c1 -d"${secs}s" --latency -s "$top/bench/post_submit.lua" \
    "$STACK_URL/v1/proofs" | tee "$STACK_DIR/submit.txt" | grep -E 'Requests/sec|50%|90%|99%'
echo "   (median = the 50% line; includes TLS-keepalive HTTP, nginx, FastCGI, JSON, sha256, fsync'd insert)"
echo "== 2b. submission throughput, wrk -t2 -c16"
SUBMIT_BODY=$body wrk -t2 -c16 -d"${secs}s" --latency -s "$top/bench/post_submit.lua" \
    "$STACK_URL/v1/proofs" | grep -E 'Requests/sec|50%|99%'

# A stored, signed proof for the GET benchmark.
stack_stop_prover TERM
sql() { sqlite3 -cmd '.timeout 5000' "$STACK_DB" "$@"; }
sql "DELETE FROM jobs"
stack_start_prover --workers 64 --runners "$ncpu" --queue-max 10000000
id=$(stack_curl -H 'Content-Type: application/json' --data "$body" "$STACK_URL/v1/proofs" | jq -r .id)
stack_curl "$STACK_URL/v1/proofs/$id?wait=30" | jq -e '.status == "done"' >/dev/null
echo "== 1. GET stored proof, wrk -t2 -c32 -d${secs}s"
wrk -t2 -c32 -d"${secs}s" --latency "$STACK_URL/v1/proofs/$id" | tee "$STACK_DIR/get.txt" |
    grep -E 'Requests/sec|50%|90%|99%|Non-2xx'
echo "== 1b. GET stored proof, wrk -t2 -c8 -d${secs}s (less queueing)"
wrk -t2 -c8 -d"${secs}s" --latency "$STACK_URL/v1/proofs/$id" |
    grep -E 'Requests/sec|50%|90%|99%|Non-2xx'

echo "== 3. $nproofs small proofs end to end (runners=$ncpu)"
sql "DELETE FROM jobs WHERE id <> '$id'"
t0=$(date +%s%N)
# One curl process, HTTP/2 multiplexed, 16 requests in flight.
printf '%s' "$body" >"$STACK_DIR/body.json"
for i in $(seq "$nproofs"); do
    [ "$i" = 1 ] || echo next
    printf 'url = "%s/v1/proofs"\ncacert = "%s"\nheader = "Content-Type: application/json"\ndata = "@%s"\noutput = "/dev/null"\n' \
        "$STACK_URL" "$STACK_DIR/tls/cert.pem" "$STACK_DIR/body.json"
done >"$STACK_DIR/submit.cfg"
curl -sS --no-progress-meter --cacert "$STACK_DIR/tls/cert.pem" --parallel --parallel-max 16 -K "$STACK_DIR/submit.cfg" || echo "curl: exit $?"
while [ "$(sql "SELECT count(*) FROM jobs WHERE status IN ('queued','running','waiting_for_key')")" != 0 ]; do
    sleep 0.1
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
done_n=$(sql "SELECT count(*) FROM jobs WHERE status='done' AND id <> '$id'")
span=$(sql "SELECT max(finished_ms) - min(created_ms) FROM jobs WHERE id <> '$id'")
echo "   $done_n proofs signed in $ms ms wall ($span ms first submit -> last signature)"
awk -v n="$done_n" -v ms="$span" 'BEGIN { printf "   throughput: %.1f proofs/s\n", n * 1000 / ms }'
sql "SELECT '   per job: median exec_ms ' || (SELECT exec_ms FROM jobs WHERE status='done' ORDER BY exec_ms LIMIT 1 OFFSET (SELECT count(*)/2 FROM jobs WHERE status='done')) || ', median latency ms ' || (SELECT finished_ms - created_ms AS l FROM jobs WHERE status='done' ORDER BY l LIMIT 1 OFFSET (SELECT count(*)/2 FROM jobs WHERE status='done'))"
