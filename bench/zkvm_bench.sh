#!/bin/bash
# zkvm_bench.sh - executor speed in SP1 cycles per second (median of 5), on
# two compute-bound guests, with the same algorithm compiled natively:
#   1. software SHA-256 over 1 MiB x REPS (bench/zkvm_sha256.c, built with
#      riscv64-unknown-elf-gcc -O2 -march=rv32im);
#   2. the SP1 v4.1 fibonacci fixture ELF with a large n.
# Usage: bench/zkvm_bench.sh [BUILD_DIR]   (default: ./ ; needs sp1-tee)
# Not a test: numbers depend on the machine and its load.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-.}
EXE="$build/sp1-tee"
[ -x "$EXE" ] || { echo "no $EXE (build first)"; exit 1; }
CC=${RISCV_GCC:-riscv64-unknown-elf-gcc}
HOSTCC=${HOSTCC:-cc}
RUNS=${RUNS:-5}
REPS=${REPS:-8}
FIBN=${FIBN:-50000000}
G="$top/tests/zkvm/guest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# runs: name elf stdin-args... ; prints cycles and median seconds
bench_exec() {
    local name=$1 elf=$2
    shift 2
    local cycles="" times=()
    for i in $(seq 1 "$RUNS"); do
        local t0 t1 out
        t0=$(date +%s%N)
        out=$("$EXE" exec "$elf" --json "$@" 2>/dev/null || true)
        t1=$(date +%s%N)
        cycles=$(printf '%s' "$out" | sed -n 's/.*"cycles":\([0-9]*\).*/\1/p')
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", (b-a)/1e9}')")
    done
    local med
    med=$(printf '%s\n' "${times[@]}" | median)
    awk -v n="$name" -v c="$cycles" -v t="$med" \
        'BEGIN{printf "%-28s cycles %12d  median %.3f s  %7.1f MHz\n", n, c, t, c/t/1e6}'
    echo "$med" >"$tmp/$name.t"
}

if command -v "$CC" >/dev/null 2>&1; then
    "$CC" -march=rv32im -mabi=ilp32 -O2 -ffreestanding -nostdlib -fno-builtin \
        -fno-tree-loop-distribute-patterns -I"$G" -T "$G/guest.ld" \
        -DZK_GUEST_SP1 -DREPS="$REPS" -o "$tmp/sha.elf" "$G/rt.c" \
        "$top/bench/zkvm_sha256.c" -lgcc
    bench_exec "sha256-sw-1MiBx$REPS" "$tmp/sha.elf" --sp1-version v5
    "$HOSTCC" -O2 -DNATIVE -DREPS="$REPS" -I"$G" -o "$tmp/sha.native" \
        "$top/bench/zkvm_sha256.c"
    nat=$(for i in $(seq 1 "$RUNS"); do "$tmp/sha.native" | awk '{print $2}'; done | median)
    awk -v t="$nat" -v v="$(cat "$tmp/sha256-sw-1MiBx$REPS.t")" \
        'BEGIN{printf "%-28s native %.4f s  -> interpreter/native = %.1fx\n", "sha256-sw (host -O2)", t, v/t}'
else
    echo "skip sha256 guest: no $CC"
fi

FIB="$top/tests/fixtures/elf/sp1-v4.1_sp1-tee-fibonacci.elf"
hex=$(printf '%08x' "$FIBN" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')
bench_exec "fibonacci-v4.1-n$FIBN" "$FIB" --stdin-item "$hex"
"$HOSTCC" -O2 -o "$tmp/fib.native" "$top/bench/zkvm_fib_native.c"
nat=$(for i in $(seq 1 "$RUNS"); do "$tmp/fib.native" "$FIBN" | awk '{print $3}'; done | median)
awk -v t="$nat" -v v="$(cat "$tmp/fibonacci-v4.1-n$FIBN.t")" \
    'BEGIN{printf "%-28s native %.4f s  -> interpreter/native = %.1fx\n", "fibonacci (host -O2)", t, v/t}'
