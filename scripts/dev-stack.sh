#!/usr/bin/env bash
# dev-stack.sh - the whole prover stack on a laptop, no TDX needed:
# nginx with a self-signed certificate on a loopback port, sp1-tee-prover
# behind it on a FastCGI unix socket, a fresh SQLite file, and a signing
# key; then proves the fibonacci fixture end to end through HTTPS and
# prints the proof. Uses scripts/stack-lib.sh, like the service tests.
#
# usage: scripts/dev-stack.sh [--build DIR] [--dir DIR] [--once]
#                             [--key dev|none] [--hook CMD]
#   --build DIR  where sp1-tee-prover/-executor were built (default: build)
#   --dir DIR    state directory (default: a new temp dir, printed)
#   --once       tear everything down after the proof (default: keep
#                running until Ctrl-C)
#   --key dev    insert a DEVELOPMENT key (simulated, unattested) through
#                `sp1-tee-prover --dev-insert-key` (default)
#   --key none   insert nothing: something else fills the keys table (the
#                rotator in simulated mode against anvil, see --hook)
#   --hook CMD   run CMD after the prover is up, with STACK_DIR, STACK_DB,
#                STACK_URL, STACK_PORT in the environment (e.g. start anvil,
#                deploy the contracts, start sp1-tee-rotator --tee simulated)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
STACK_SRC=$top
STACK_BUILD=$top/build
dir=""
once=0
key=dev
hook=""
while [ $# -gt 0 ]; do
    case $1 in
    --build) STACK_BUILD=$(cd "$2" && pwd); shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --once) once=1; shift ;;
    --key) key=$2; shift 2 ;;
    --hook) hook=$2; shift 2 ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "dev-stack: unknown argument $1" >&2; exit 2 ;;
    esac
done
export STACK_SRC STACK_BUILD
# shellcheck source=stack-lib.sh
. "$top/scripts/stack-lib.sh"
stack_need_tools || { echo "dev-stack: install the missing tool (scripts/install-deps.sh)" >&2; exit 1; }
for b in sp1-tee-prover sp1-tee-executor; do
    [ -x "$STACK_BUILD/$b" ] || { echo "dev-stack: $STACK_BUILD/$b not built (make)" >&2; exit 1; }
done

stack_init "$dir"
stack_cert
trap 'stack_down keep; echo "dev-stack: stopped (state kept in $STACK_DIR)"' EXIT
stack_start_prover --workers 16
stack_start_nginx 1
echo "dev-stack: nginx https://127.0.0.1:$STACK_PORT -> $STACK_SOCK -> $STACK_DB"
if [ "$key" = dev ]; then
    "$STACK_BUILD/sp1-tee-prover" --db "$STACK_DB" --dev-insert-key random
fi
if [ -n "$hook" ]; then
    STACK_DIR=$STACK_DIR STACK_DB=$STACK_DB STACK_URL=$STACK_URL \
        STACK_PORT=$STACK_PORT bash -c "$hook"
fi

# Prove fibonacci(10) like the reference client does.
elf=$top/tests/fixtures/vk/sp1-v3.0.0-examples-fibonacci.elf
body=$STACK_DIR/fib-request.json
printf '{"elf":[%s],"stdin":{"buffer":[[10,0,0,0]],"ptr":0,"proofs":[]},"proof_mode":"TEE"}' \
    "$(od -An -v -tu1 "$elf" | tr -s ' \n' ',,' | sed -e 's/^,//' -e 's/,$//')" >"$body"
id=$(stack_curl -H 'Content-Type: application/json' --data-binary "@$body" \
    "$STACK_URL/request_proof")
echo "dev-stack: proof id $id"
stack_curl --data-binary "$id" "$STACK_URL/wait_proof" >"$STACK_DIR/fib-proof.json"
echo "dev-stack: /wait_proof -> $(head -c 200 "$STACK_DIR/fib-proof.json")..."
stack_curl "$STACK_URL/v1/proofs/$id" | jq '{id, status, vkey, public_values, signer, cycles}'
echo "dev-stack: curl --cacert $STACK_DIR/tls/cert.pem $STACK_URL/v1/signer"
if [ $once = 1 ]; then
    exit 0
fi
echo "dev-stack: running; Ctrl-C to stop"
while kill -0 "$STACK_PROVER_PID" 2>/dev/null; do sleep 1; done
