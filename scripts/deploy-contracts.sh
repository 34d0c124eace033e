#!/usr/bin/env bash
# Compiles contracts/ with solcjs (tools/node_modules/solc, offline) and
# deploys them with cast: MockDcapVerifier (local chains only, unless
# VERIFIER=0x... names a real DCAP verifier), SP1TEEProverRegistry and
# SP1MultiProof. Prints shell assignments:
#   VERIFIER=0x... REGISTRY=0x... MULTIPROOF=0x...
# Env: RPC_URL (default http://127.0.0.1:8545); the deployer key from
# DEPLOYER_KEY_FILE (a 0600 file) or DEPLOYER_KEY; VERIFIER (optional).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tools=$top/tools/node_modules
CAST=$tools/@foundry-rs/cast-linux-amd64/bin/cast
SOLCJS=$tools/solc/solc.js
RPC_URL=${RPC_URL:-http://127.0.0.1:8545}
for f in "$CAST" "$SOLCJS"; do
  [ -e "$f" ] || { echo "deploy: missing $f (run: cd tools && npm install)" >&2; exit 77; }
done
if [ -n "${DEPLOYER_KEY_FILE:-}" ]; then
  perms=$(stat -c %a "$DEPLOYER_KEY_FILE")
  case "$perms" in
    600|400) ;;
    *) echo "deploy: $DEPLOYER_KEY_FILE must be mode 0600 (is $perms)" >&2; exit 1 ;;
  esac
  DEPLOYER_KEY=$(tr -d ' \n\r\t' < "$DEPLOYER_KEY_FILE")
fi
: "${DEPLOYER_KEY:?set DEPLOYER_KEY_FILE or DEPLOYER_KEY}"
export ETH_RPC_URL=$RPC_URL

out=${CONTRACTS_OUT:-$(mktemp -d)}
[ -n "${CONTRACTS_OUT:-}" ] || trap 'rm -rf "$out"' EXIT
if [ ! -s "$out/src_SP1TEEProverRegistry_sol_SP1TEEProverRegistry.bin" ]; then
  (cd "$top/contracts" && node "$SOLCJS" --bin --abi --optimize --base-path . -o "$out" \
    src/SP1TEEProverRegistry.sol src/SP1MultiProof.sol src/mocks/MockDcapVerifier.sol >/dev/null)
fi

deploy() { # deploy <bin file> [constructor sig] [args...]
  local bin=$1; shift
  local code
  code=0x$(cat "$out/$bin")
  if [ $# -gt 0 ]; then
    local sig=$1; shift
    code=$code$("$CAST" abi-encode "$sig" "$@" | cut -c3-)
  fi
  "$CAST" send --private-key "$DEPLOYER_KEY" --create "$code" --json | jq -er .contractAddress
}

if [ -z "${VERIFIER:-}" ]; then
  VERIFIER=$(deploy src_mocks_MockDcapVerifier_sol_MockDcapVerifier.bin)
fi
REGISTRY=$(deploy src_SP1TEEProverRegistry_sol_SP1TEEProverRegistry.bin "constructor(address)" "$VERIFIER")
MULTIPROOF=$(deploy src_SP1MultiProof_sol_SP1MultiProof.bin "constructor(address)" "$REGISTRY")
echo "VERIFIER=$VERIFIER"
echo "REGISTRY=$REGISTRY"
echo "MULTIPROOF=$MULTIPROOF"
