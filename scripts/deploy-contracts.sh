#!/usr/bin/env bash
# Compiles contracts/ with solcjs (tools/node_modules/solc, offline) and
# deploys them with cast: MockDcapVerifier (local chains only, unless
# VERIFIER=0x... names a real DCAP verifier), SP1TEEProverRegistry and
# SP1MultiProof. Prints shell assignments:
#   VERIFIER=0x... REGISTRY=0x... MULTIPROOF=0x...
# Env: RPC_URL (default http://127.0.0.1:8545); the deployer key from
# DEPLOYER_KEY_FILE (a 0600 file) or DEPLOYER_KEY; VERIFIER (optional);
# EVM_VERSION (e.g. berlin) and LEGACY=1 for chains without EIP-1559;
# CONTRACTS_OUT (a directory caching the compiled artifacts).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tools=$top/tools/node_modules
CAST=$tools/@foundry-rs/cast-linux-amd64/bin/cast
SOLCJS=$tools/solc/index.js
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

# Compile once (cached in $CONTRACTS_OUT if set) through solc's standard
# JSON interface (tools/solc wraps solcjs). EVM_VERSION selects the target
# (default: the compiler's); LEGACY=1 sends pre-EIP-1559 transactions.
out=${CONTRACTS_OUT:-$(mktemp -d)}
[ -n "${CONTRACTS_OUT:-}" ] || trap 'rm -rf "$out"' EXIT
evm=${EVM_VERSION:-}
artifacts=$out/artifacts${evm:+-$evm}.json
if [ ! -s "$artifacts" ]; then
  (cd "$top/contracts" && jq -n --arg evm "$evm" \
    --rawfile reg src/SP1TEEProverRegistry.sol \
    --rawfile mp src/SP1MultiProof.sol \
    --rawfile mock src/mocks/MockDcapVerifier.sol '{
      language: "Solidity",
      sources: {
        "src/SP1TEEProverRegistry.sol": {content: $reg},
        "src/SP1MultiProof.sol": {content: $mp},
        "src/mocks/MockDcapVerifier.sol": {content: $mock}},
      settings: ({optimizer: {enabled: true, runs: 200},
                  outputSelection: {"*": {"*": ["evm.bytecode.object"]}}}
                 + (if $evm == "" then {} else {evmVersion: $evm} end))}' \
    | "$top/tools/solc" --standard-json --base-path . > "$artifacts.tmp")
  if jq -e '[.errors[]? | select(.severity == "error")] | length > 0' "$artifacts.tmp" >/dev/null; then
    jq -r '.errors[] | .formattedMessage' "$artifacts.tmp" >&2; exit 1
  fi
  mv "$artifacts.tmp" "$artifacts"
fi
legacy=()
[ -z "${LEGACY:-}" ] || legacy=(--legacy)

deploy() { # deploy <source file> <contract> [constructor sig] [args...]
  local code
  code=0x$(jq -er --arg f "$1" --arg c "$2" '.contracts[$f][$c].evm.bytecode.object' "$artifacts")
  shift 2
  if [ $# -gt 0 ]; then
    local sig=$1; shift
    code=$code$("$CAST" abi-encode "$sig" "$@" | cut -c3-)
  fi
  "$CAST" send "${legacy[@]}" --private-key "$DEPLOYER_KEY" --create "$code" --json | jq -er .contractAddress
}

if [ -z "${VERIFIER:-}" ]; then
  VERIFIER=$(deploy src/mocks/MockDcapVerifier.sol MockDcapVerifier)
fi
REGISTRY=$(deploy src/SP1TEEProverRegistry.sol SP1TEEProverRegistry "constructor(address)" "$VERIFIER")
MULTIPROOF=$(deploy src/SP1MultiProof.sol SP1MultiProof "constructor(address)" "$REGISTRY")
echo "VERIFIER=$VERIFIER"
echo "REGISTRY=$REGISTRY"
echo "MULTIPROOF=$MULTIPROOF"
