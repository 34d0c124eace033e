#!/usr/bin/env bash
# cli_vk.sh - `sp1-tee vk` end to end: every fixture ELF of
# tests/fixtures/vk/vkeys.json (bytes32, hash_u32, hash_bytes, pc_start,
# heights), the text output, and the error paths (exit 1 / 2).
# Needs jq (else skips). ZK_TEST_QUICK=1 checks one ELF only.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${top_builddir:-.}/sp1-tee
fx=$top/tests/fixtures/vk
command -v jq >/dev/null || { echo "jq missing: skip"; exit 77; }
[ -x "$bin" ] || { echo "no $bin"; exit 99; }
fail=0
check() { # name got want
    if [ "$2" != "$3" ]; then echo "FAIL $1: got '$2' want '$3'"; fail=1; else echo "ok $1"; fi
}
n=$(jq '.fixtures | length' "$fx/vkeys.json")
[ "${ZK_TEST_QUICK:-0}" != 0 ] && n=1
for i in $(seq 0 $((n - 1))); do
    f=$(jq -r ".fixtures[$i].file" "$fx/vkeys.json")
    want=$(jq -c ".fixtures[$i]" "$fx/vkeys.json")
    j=$("$bin" vk --json "$fx/$f") || { echo "FAIL $f: exit $?"; fail=1; continue; }
    check "$f.bytes32" "$(jq -r .bytes32 <<<"$j")" "$(jq -r .bytes32 <<<"$want")"
    check "$f.hash_u32" "$(jq -c .hash_u32 <<<"$j")" "$(jq -c .hash_u32 <<<"$want")"
    check "$f.hash_bytes" "$(jq -r .hash_bytes <<<"$j")" "0x$(jq -r .hash_bytes <<<"$want")"
    check "$f.pc_start" "$(jq -r .pc_start <<<"$j")" \
        "$(printf '0x%08x' "$(jq -r .derived.pc_start <<<"$want")")"
    check "$f.chips" "$(jq -c '[.chips[] | [.name, .log2_height]]' <<<"$j")" \
        '[["MemoryProgram",19],["Program",19],["Byte",16]]'
    check "$f.instructions" "$(jq -r .instructions <<<"$j")" \
        "$(jq -r .derived.instructions <<<"$want")"
done
# text form: the three encodings on their own lines
f=$(jq -r ".fixtures[0].file" "$fx/vkeys.json")
t=$("$bin" vk --threads 1 "$fx/$f")
check text.bytes32 "$(awk '$1=="vkey_bytes32"{print $2}' <<<"$t")" \
    "$(jq -r '.fixtures[0].bytes32' "$fx/vkeys.json")"
check text.hash_bytes "$(awk '$1=="hash_bytes"{print $2}' <<<"$t")" \
    "0x$(jq -r '.fixtures[0].hash_bytes' "$fx/vkeys.json")"
# errors
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 100 "$fx/$f" >"$tmp/trunc.elf"
printf 'not an elf' >"$tmp/junk"
"$bin" vk "$tmp/trunc.elf" >/dev/null 2>&1; check truncated.exit $? 1
"$bin" vk "$tmp/junk" >/dev/null 2>&1; check junk.exit $? 1
"$bin" vk "$tmp/missing" >/dev/null 2>&1; check missing.exit $? 1
"$bin" vk >/dev/null 2>&1; check usage.exit $? 2
"$bin" vk --sp1-version 9 "$fx/$f" >/dev/null 2>&1; check badversion.exit $? 2
"$bin" vk --threads 0 "$fx/$f" >/dev/null 2>&1; check badthreads.exit $? 2
exit $fail
