#!/usr/bin/env bash
# The project's test command (README quick start): installs dependencies,
# builds, runs `make check` (unit, integration, chain and service tests)
# and prints a final "N passed, N failed, N skipped" line.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
"$top/scripts/install-deps.sh" || exit 1
BUILD_DIR=$build "$top/scripts/build.sh" || exit 1
cd "$build"
make -j"$(nproc)" check 2>&1 | tee make-check.out
rc=${PIPESTATUS[0]}
for f in $(find . -name '*.log' -path './tests/*' | sort); do
  if grep -qE '^(FAIL|ERROR)' "${f%.log}.trs" 2>/dev/null; then
    echo "=== $f"; tail -40 "$f"
  fi
done
awk '/^# PASS:/{p=$3} /^# FAIL:/{f=$3} /^# ERROR:/{e=$3} /^# SKIP:/{s=$3}
     END{printf "%d passed, %d failed, %d skipped\n",p,f+e,s}' make-check.out
exit "$rc"
