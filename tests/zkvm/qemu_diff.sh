#!/bin/bash
# qemu_diff.sh - differential test of the executor against qemu-riscv32.
# Builds RV32IM guests from C (tests/zkvm/guest/ops.c) and from random
# instruction sequences (gen_rv_random), each twice: for SP1's ECALL ABI and
# for Linux/qemu. The bytes a guest prints must be identical: the public
# values reported by `sp1-tee exec` == qemu-riscv32's stdout.
# Skips (77) without riscv64-unknown-elf-gcc or qemu-riscv32.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
CC=${RISCV_GCC:-riscv64-unknown-elf-gcc}
QEMU=${QEMU_RISCV32:-qemu-riscv32}
command -v "$CC" >/dev/null 2>&1 || { echo "skip: no $CC"; exit 77; }
command -v "$QEMU" >/dev/null 2>&1 || { echo "skip: no $QEMU"; exit 77; }
EXE="$top_builddir/sp1-tee"
GEN="$top_builddir/tests/zkvm/gen_rv_random"
G="$top_srcdir/tests/zkvm/guest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

build() { # out mode sources...
    local out=$1 mode=$2
    shift 2
    "$CC" -march=rv32im -mabi=ilp32 -O2 -ffreestanding -nostdlib -fno-builtin \
        -fno-tree-loop-distribute-patterns -I"$G" -T "$G/guest.ld" $mode \
        -o "$out" "$G/rt.c" "$@" -lgcc
}

check() { # name sources...
    local name=$1
    shift
    build "$tmp/$name.sp1" -DZK_GUEST_SP1 "$@" || { echo "FAIL $name: build"; fail=1; return; }
    build "$tmp/$name.qemu" "" "$@" || { echo "FAIL $name: build"; fail=1; return; }
    local want got json
    want=$("$QEMU" "$tmp/$name.qemu" | od -An -v -tx1 | tr -d ' \n')
    json=$("$EXE" exec "$tmp/$name.sp1" --sp1-version v5 --json 2>"$tmp/err")
    got=$(printf '%s' "$json" | sed -n 's/.*"public_values":"\([0-9a-f]*\)".*/\1/p')
    if ! printf '%s' "$json" | grep -q '"status":"halted"'; then
        echo "FAIL $name: executor did not halt: $json"; cat "$tmp/err"; fail=1
    elif [ -z "$want" ] || [ "$want" != "$got" ]; then
        echo "FAIL $name: output differs"; echo " qemu: ${want:0:200}"; echo " zkvm: ${got:0:200}"; fail=1
    else
        echo "ok $name (${#want} hex chars)"
    fi
}

check ops "$G/ops.c"
rounds=${ZKVM_DIFF_ROUNDS:-40}
[ -n "${ZK_TEST_QUICK:-}" ] && rounds=8
for seed in $(seq 1 "$rounds"); do
    "$GEN" "$seed" 400 >"$tmp/r$seed.S" || { echo "FAIL gen"; exit 1; }
    check "random-$seed" "$G/rand_main.c" "$tmp/r$seed.S"
done
exit $fail
