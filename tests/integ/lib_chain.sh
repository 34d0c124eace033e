# lib_chain.sh - shared setup for the chain tests (sourced, not run):
# a private anvil on a free loopback port, the contracts deployed with the
# mock verifier, a 0600 operator key file and a fresh SQLite path.
# Skips (exit 77) without the npm tools, sqlite3, jq or the built binaries.
# Provides: $top $build $work $CAST $ANVIL $RPC $DEPLOYER_KEY $OPERATOR_KEY
#           $OPERATOR_ADDR $KEYFILE $DB $VERIFIER $REGISTRY $MULTIPROOF
#           start_anvil [args], stop_anvil, deploy, rotator ARGS...,
#           fail MSG, db SQL, wait_log FILE PATTERN [SECONDS]
set -uo pipefail
top=${top_srcdir:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
build=${top_builddir:-$top}
nm=$top/tools/node_modules
ANVIL=$nm/@foundry-rs/anvil-linux-amd64/bin/anvil
CAST=$nm/@foundry-rs/cast-linux-amd64/bin/cast
for f in "$ANVIL" "$CAST" "$nm/solc/solc.js"; do
  [ -e "$f" ] || { echo "SKIP: $f missing (cd tools && npm install)"; exit 77; }
done
for t in sqlite3 jq python3 node; do
  command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
ROTATOR=$build/sp1-tee-rotator
REGTOOL=$build/tests/integ/regtool
for f in "$ROTATOR" "$REGTOOL"; do
  [ -x "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/sp1-chain.XXXXXX")
ANVIL_PID=
cleanup() {
  stop_anvil
  jobs -p | xargs -r kill 2>/dev/null
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -25 "$f"; }; done; exit 1; }
ok() { echo "ok: $*"; }

# A free port: let the kernel pick one, then hand it to anvil.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
PORT=$(free_port)
RPC=http://127.0.0.1:$PORT
export ETH_RPC_URL=$RPC

start_anvil() { # extra args passed to anvil
  "$ANVIL" --host 127.0.0.1 --port "$PORT" --silent "$@" >"$work/anvil.log" 2>&1 &
  ANVIL_PID=$!
  for _ in $(seq 200); do
    "$CAST" chain-id >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  fail "anvil did not start"
}
stop_anvil() {
  if [ -n "$ANVIL_PID" ]; then
    kill "$ANVIL_PID" 2>/dev/null; wait "$ANVIL_PID" 2>/dev/null; ANVIL_PID=
  fi
}

MNEMONIC="test test test test test test test test test test test junk"
DEPLOYER_KEY=$("$CAST" wallet private-key --mnemonic "$MNEMONIC" --mnemonic-index 0)
OPERATOR_KEY=$("$CAST" wallet private-key --mnemonic "$MNEMONIC" --mnemonic-index 1)
OPERATOR_ADDR=$("$CAST" wallet address --private-key "$OPERATOR_KEY")
KEYFILE=$work/operator.key
(umask 077; printf '%s\n' "$OPERATOR_KEY" > "$KEYFILE")
DB=$work/prover.db

deploy() {
  local vars
  vars=$(CONTRACTS_OUT=$work/contracts RPC_URL=$RPC DEPLOYER_KEY=$DEPLOYER_KEY \
    bash "$top/scripts/deploy-contracts.sh") || fail "deploy"
  eval "$vars"
  [ -n "$REGISTRY" ] || fail "no registry address"
}
mkdir -p "$work/contracts"

rotator() { # runs the rotator against the test chain; extra args appended
  "$ROTATOR" --tee simulated --rpc-url "$RPC" --registry "$REGISTRY" \
    --db "$DB" --operator-key-file "$KEYFILE" --poll-ms 100 "$@"
}

# rotator_bg ARGS...: same, in the background; sets RPID to the daemon's pid.
rotator_bg() {
  "$ROTATOR" --tee simulated --rpc-url "$RPC" --registry "$REGISTRY" \
    --db "$DB" --operator-key-file "$KEYFILE" --poll-ms 100 "$@" &
  RPID=$!
}

# tohex FILE|- : lower-case hex of the bytes; sha256_of_hex HEX : sha256 of
# the decoded bytes (no xxd on a minimal Debian).
tohex() { od -An -v -tx1 "${1:--}" | tr -d ' \n'; }
sha256_of_hex() {
  python3 -c 'import sys,hashlib; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).hexdigest())' "${1#0x}"
}

db() { sqlite3 -batch -noheader "$DB" "$1"; }

wait_log() { # FILE PATTERN [SECONDS]
  local i
  for i in $(seq $((${3:-20} * 10))); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "timeout waiting for '$2' in $1"
}

owner_send() { "$CAST" send --private-key "$DEPLOYER_KEY" "$@" >/dev/null || fail "cast send $*"; }

attested() { "$CAST" call "$REGISTRY" "verifyAttestedProver(address)(bool)" "$1"; }

# sign_proof SECRET_HEX DIGEST_HEX -> 65-byte r||s||v over keccak256(digest)
sign_proof() {
  local h
  h=$("$CAST" keccak "$2")
  "$CAST" wallet sign --no-hash --private-key "$1" "$h"
}
