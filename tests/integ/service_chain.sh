#!/usr/bin/env bash
# service_chain.sh - the whole development stack in one go, exactly as
# scripts/dev-stack.sh runs it: anvil + contracts (mock DCAP verifier) +
# sp1-tee-rotator (simulated TEE) registering a key + nginx + prover; the
# fibonacci proof must verify off-chain AND on-chain
# (SP1MultiProof.verifyTEEProof through `sp1-tee verify`).
# Skips (77) without nginx/jq/sqlite3, the npm tools or the binaries.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
nm=$top_srcdir/tools/node_modules
for f in "$nm/@foundry-rs/anvil-linux-amd64/bin/anvil" \
    "$nm/@foundry-rs/cast-linux-amd64/bin/cast" "$nm/solc/index.js" \
    "$top_builddir/sp1-tee-rotator" "$top_builddir/sp1-tee" \
    "$top_builddir/sp1-tee-prover" "$top_builddir/sp1-tee-executor"; do
    [ -e "$f" ] || { echo "SKIP: $f missing"; exit 77; }
done
for t in nginx curl openssl sqlite3 jq; do
    command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || { echo "SKIP: $t"; exit 77; }
done
dir=$(mktemp -d "${TMPDIR:-/tmp}/sp1tee-chain.XXXXXX")
trap 'rm -rf "$dir"' EXIT
out=$(bash "$top_srcdir/scripts/dev-stack.sh" --build "$top_builddir" \
    --dir "$dir/stack" --once --key chain 2>&1)
rc=$?
echo "$out" | grep -v '^INFO'
if [ $rc -ne 0 ]; then
    echo "FAIL: dev-stack exited $rc"
    tail -20 "$dir/stack/rotator.log" "$dir/stack/prover.log" 2>/dev/null
    exit 1
fi
echo "$out" | grep -q 'rotator registered a simulated key' || { echo "FAIL: no key"; exit 1; }
echo "$out" | grep -Eq '^onchain +VALID' || { echo "FAIL: not valid on-chain"; exit 1; }
echo "$out" | grep -q '"public_values": "0x0a0000003700000059000000"' || { echo "FAIL: public values"; exit 1; }
echo "1 passed, 0 failed"
