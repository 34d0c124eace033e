#!/usr/bin/env bash
# Builds every libFuzzer harness (configure --enable-fuzz, clang, ASan+UBSan)
# and runs each for a bounded time: scripts/fuzz.sh [SECONDS_PER_TARGET]
# The mutation seed is fixed (FUZZ_SEED, default 1) so that a CI run
# replays a prefix of the same input sequence a developer already ran
# here; set FUZZ_SEED=0 for a random seed when hunting for new bugs.
set -uo pipefail
secs=${1:-60}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build-fuzz}
CC=clang BUILD_DIR=$build bash "$top/scripts/build.sh" --enable-fuzz --enable-sanitizers || exit 1
status=0; n=0
for f in "$build"/tests/fuzz/fuzz_*; do
  [ -x "$f" ] || continue
  case "$f" in *.o|*.log) continue ;; esac
  name=$(basename "$f")
  corpus="$top/tests/fuzz/corpus/${name#fuzz_}"
  work=$(mktemp -d)
  [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/ 2>/dev/null
  echo "--- $name for ${secs}s"
  if ! timeout $((secs + 60)) "$f" -max_total_time="$secs" -rss_limit_mb=2048 \
       -seed="${FUZZ_SEED:-1}" -artifact_prefix="$build/$name-" \
       -print_final_stats=1 "$work" >"$build/$name.fuzz.log" 2>&1; then
    echo "FUZZ FAIL: $name"; tail -40 "$build/$name.fuzz.log"; status=1
  else
    grep -E 'stat::number_of_executed_units' "$build/$name.fuzz.log" || true
  fi
  rm -rf "$work"; n=$((n + 1))
done
echo "fuzzers run: $n"
exit $status
