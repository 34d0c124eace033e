#!/usr/bin/env bash
# dev-stack.sh - the whole prover stack on a laptop, no TDX needed:
# nginx with a self-signed certificate on a loopback port, sp1-tee-prover
# behind it on a FastCGI unix socket, a fresh SQLite file, and a signing
# key; then proves the fibonacci fixture end to end through HTTPS and
# prints the proof. Uses scripts/stack-lib.sh, like the service tests.
#
# usage: scripts/dev-stack.sh [--build DIR] [--dir DIR] [--once]
#                             [--key dev|none] [--hook CMD]
#   --build DIR  where sp1-tee-prover/-executor were built (default: build,
#                which is first brought up to date: scripts/install-deps.sh
#                and scripts/build.sh; DEV_STACK_NO_BUILD=1 skips that)
#   --dir DIR    state directory (default: a new temp dir, printed)
#   --once       tear everything down after the proof (default: keep
#                running until Ctrl-C)
#   --key chain  a local chain: anvil (npm, tools/), the contracts deployed
#                with the mock DCAP verifier (scripts/deploy-contracts.sh),
#                and sp1-tee-rotator --tee simulated registering keys; the
#                proof is then also verified on-chain (sp1-tee verify)
#   --key dev    insert a DEVELOPMENT key (simulated, unattested) through
#                `sp1-tee-prover --dev-insert-key`
#   --key auto   chain when anvil, solc and sp1-tee-rotator are available,
#                else dev (default)
#   --key none   insert nothing: something else fills the keys table
#   --hook CMD   run CMD after the prover is up, with STACK_DIR, STACK_DB,
#                STACK_URL, STACK_PORT in the environment (e.g. start anvil,
#                deploy the contracts, start sp1-tee-rotator --tee simulated)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
STACK_SRC=$top
STACK_BUILD=$top/build
dir=""
once=0
key=auto
hook=""
while [ $# -gt 0 ]; do
    case $1 in
    --build) STACK_BUILD=$(cd "$2" && pwd); shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --once) once=1; shift ;;
    --key) key=$2; shift 2 ;;
    --hook) hook=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "dev-stack: unknown argument $1" >&2; exit 2 ;;
    esac
done
# On a fresh machine: install the Debian/npm dependencies and build first
# (both are idempotent and quick when nothing changed).
if [ "$STACK_BUILD" = "$top/build" ] && [ "${DEV_STACK_NO_BUILD:-0}" != 1 ]; then
    "$top/scripts/install-deps.sh"
    BUILD_DIR=$STACK_BUILD "$top/scripts/build.sh" >/dev/null
fi
export STACK_SRC STACK_BUILD
# shellcheck source=stack-lib.sh
. "$top/scripts/stack-lib.sh"
stack_need_tools || { echo "dev-stack: install the missing tool (scripts/install-deps.sh)" >&2; exit 1; }
for b in sp1-tee-prover sp1-tee-executor; do
    [ -x "$STACK_BUILD/$b" ] || { echo "dev-stack: $STACK_BUILD/$b not built (make)" >&2; exit 1; }
done

nm=$top/tools/node_modules
ANVIL=$nm/@foundry-rs/anvil-linux-amd64/bin/anvil
CAST=$nm/@foundry-rs/cast-linux-amd64/bin/cast
if [ "$key" = auto ]; then
    key=dev
    if [ -x "$ANVIL" ] && [ -x "$CAST" ] && [ -e "$nm/solc/index.js" ] &&
        [ -x "$STACK_BUILD/sp1-tee-rotator" ]; then
        key=chain
    else
        echo "dev-stack: no anvil/solc (cd tools && npm install) or sp1-tee-rotator: using a dev key"
    fi
fi

# chain_up: anvil, contracts, rotator (simulated TEE). Sets RPC, REGISTRY,
# MULTIPROOF; waits for the first active key.
chain_up() {
    local aport mn="test test test test test test test test test test test junk" i
    aport=$(stack_free_port)
    RPC=http://127.0.0.1:$aport
    "$ANVIL" --host 127.0.0.1 --port "$aport" --silent >"$STACK_DIR/anvil.log" 2>&1 &
    ANVIL_PID=$!
    for i in $(seq 1 100); do
        "$CAST" chain-id --rpc-url "$RPC" >/dev/null 2>&1 && break
        sleep 0.1
    done
    # Anvil's well-known dev accounts 0 (deployer) and 1 (operator).
    umask 077
    "$CAST" wallet private-key --mnemonic "$mn" --mnemonic-index 0 >"$STACK_DIR/deployer.key"
    "$CAST" wallet private-key --mnemonic "$mn" --mnemonic-index 1 >"$STACK_DIR/operator.key"
    umask 022
    mkdir -p "$STACK_DIR/contracts"
    eval "$(RPC_URL=$RPC DEPLOYER_KEY_FILE=$STACK_DIR/deployer.key \
        CONTRACTS_OUT=$STACK_DIR/contracts "$top/scripts/deploy-contracts.sh")"
    echo "dev-stack: anvil $RPC; registry $REGISTRY; multiproof $MULTIPROOF (mock DCAP verifier)"
    "$STACK_BUILD/sp1-tee-rotator" --tee simulated --rpc-url "$RPC" \
        --registry "$REGISTRY" --db "$STACK_DB" \
        --operator-key-file "$STACK_DIR/operator.key" \
        >"$STACK_DIR/rotator.log" 2>&1 &
    ROTATOR_PID=$!
    for i in $(seq 1 600); do
        if [ "$(sqlite3 -cmd '.timeout 2000' "$STACK_DB" "SELECT count(*) FROM keys WHERE status = 'active'")" != 0 ]; then
            echo "dev-stack: rotator registered a simulated key: $(sqlite3 "$STACK_DB" "SELECT address FROM keys WHERE status = 'active' ORDER BY id DESC LIMIT 1")"
            return 0
        fi
        kill -0 "$ROTATOR_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "dev-stack: the rotator did not activate a key; log:" >&2
    tail -20 "$STACK_DIR/rotator.log" >&2
    return 1
}
chain_down() {
    [ -z "${ROTATOR_PID:-}" ] || { kill -TERM "$ROTATOR_PID" 2>/dev/null; wait "$ROTATOR_PID" 2>/dev/null; }
    [ -z "${ANVIL_PID:-}" ] || { kill -TERM "$ANVIL_PID" 2>/dev/null; wait "$ANVIL_PID" 2>/dev/null; }
    ROTATOR_PID=
    ANVIL_PID=
}

stack_init "$dir"
stack_cert
trap 'chain_down; stack_down keep; echo "dev-stack: stopped (state kept in $STACK_DIR)"' EXIT
stack_start_prover --workers 16
stack_start_nginx 1
echo "dev-stack: nginx https://127.0.0.1:$STACK_PORT -> $STACK_SOCK -> $STACK_DB"
case $key in
dev) "$STACK_BUILD/sp1-tee-prover" --db "$STACK_DB" --dev-insert-key random ;;
chain) chain_up ;;
none) ;;
*) echo "dev-stack: --key must be chain, dev, auto or none" >&2; exit 2 ;;
esac
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
if [ -x "$STACK_BUILD/sp1-tee" ]; then
    stack_curl "$STACK_URL/v1/proofs/$id" >"$STACK_DIR/fib-record.json"
    if [ "$key" = chain ]; then
        "$STACK_BUILD/sp1-tee" verify --rpc-url "$RPC" --multiproof "$MULTIPROOF" \
            "$STACK_DIR/fib-record.json"
    else
        "$STACK_BUILD/sp1-tee" verify "$STACK_DIR/fib-record.json"
    fi
fi
echo "dev-stack: curl --cacert $STACK_DIR/tls/cert.pem $STACK_URL/v1/signer"
if [ $once = 1 ]; then
    exit 0
fi
echo "dev-stack: running; Ctrl-C to stop"
while kill -0 "$STACK_PROVER_PID" 2>/dev/null; do sleep 1; done
