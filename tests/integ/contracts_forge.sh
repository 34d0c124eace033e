#!/usr/bin/env bash
# Solidity unit tests of contracts/ with forge (npm @foundry-rs/forge),
# compiled offline by solcjs through tools/solc. Skips (77) when the npm
# tools are not installed (scripts/install-deps.sh installs them).
set -uo pipefail
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
FORGE=$top/tools/node_modules/@foundry-rs/forge-linux-amd64/bin/forge
if [ ! -x "$FORGE" ] || [ ! -d "$top/tools/node_modules/solc" ] || ! command -v node >/dev/null; then
  echo "SKIP: forge/solc not installed (cd tools && npm install)"; exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top/contracts"
"$FORGE" test --offline --use "$top/tools/solc" --out "$tmp/out" --cache-path "$tmp/cache" 2>&1 | tee "$tmp/log"
rc=${PIPESTATUS[0]}
passed=$(grep -c '^\[PASS\]' "$tmp/log")
failed=$(grep -c '^\[FAIL' "$tmp/log")
echo "forge: $passed passed, $failed failed"
exit "$rc"
