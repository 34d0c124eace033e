#!/bin/bash
# vk_bench.sh - wall time and peak RSS of `sp1-tee vk` (SP1 v3 vk digest),
# median of RUNS runs, on the sp1-project-template v3.0.0 fibonacci ELF
# (Program and MemoryProgram at 2^19 rows, Byte at 2^16).
# Usage: bench/vk_bench.sh [BUILD_DIR] [ELF]   (default: ./ and the fixture)
# Env: RUNS (5), THREADS (default: all online CPUs), VK_BENCH_VARIANTS=1 also
# times the AVX2-only and scalar kernels (ZK_VK_NO_AVX512 / ZK_VK_NO_SIMD).
# Not a test: numbers depend on the machine and on its load.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-.}
elf=${2:-$top/tests/fixtures/vk/sp1-project-template-v3.0.0-fibonacci.elf}
EXE="$build/sp1-tee"
[ -x "$EXE" ] || { echo "no $EXE (build first)"; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)"; exit 1; }
RUNS=${RUNS:-5}
targs=()
[ -n "${THREADS:-}" ] && targs=(--threads "$THREADS")

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# bench NAME [ENV=VALUE...]: prints median wall s, median peak RSS MB, user s
bench() {
    local name=$1
    shift
    local walls=() rss=() users=() f
    f=$(mktemp)
    for _ in $(seq 1 "$RUNS"); do
        env "$@" /usr/bin/time -f '%e %M %U' -o "$f" \
            "$EXE" vk "${targs[@]}" "$elf" >/dev/null
        read -r w m u <"$f"
        walls+=("$w")
        rss+=("$(awk -v k="$m" 'BEGIN{printf "%.1f", k/1024}')")
        users+=("$u")
    done
    rm -f "$f"
    printf '%-22s wall %5ss  peak RSS %6s MB  user %5ss  (median of %d)\n' \
        "$name" "$(printf '%s\n' "${walls[@]}" | median)" \
        "$(printf '%s\n' "${rss[@]}" | median)" \
        "$(printf '%s\n' "${users[@]}" | median)" "$RUNS"
}

echo "sp1-tee vk $(basename "$elf"), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$EXE" vk "$elf" | sed -n '2p'
bench "default"
if [ "${VK_BENCH_VARIANTS:-0}" = 1 ]; then
    bench "AVX2 only" ZK_VK_NO_AVX512=1
    bench "scalar" ZK_VK_NO_SIMD=1
fi
