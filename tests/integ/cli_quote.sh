#!/usr/bin/env bash
# cli_quote.sh - `sp1-tee quote` end to end on the fixture quotes,
# asserted against shared/fixtures/tdx/MANIFEST.md (copied values below),
# including the registry replay key keccak256(signed bytes).
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${top_builddir:-.}/sp1-tee
fx=$top/tests/fixtures/tdx
command -v jq >/dev/null || { echo "jq missing: skip"; exit 77; }
[ -x "$bin" ] || { echo "no $bin"; exit 99; }
fail=0
check() { # name got want
    if [ "$2" != "$3" ]; then echo "FAIL $1: got '$2' want '$3'"; fail=1; else echo "ok $1"; fi
}
q() { "$bin" quote --json "$@"; }

j=$(q "$fx/tdx_v4_go_tdx_guest_spr_e4.bin") || { echo "FAIL go quote"; exit 1; }
check go.version "$(jq -r .version <<<"$j")" 4
check go.tee "$(jq -r .tee <<<"$j")" tdx
check go.signed_len "$(jq -r .signed_len <<<"$j")" 4935
check go.trailing "$(jq -r .trailing_len <<<"$j")" 39
check go.mrtd "$(jq -r .mrtd <<<"$j")" 0x6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb
check go.rtmr2 "$(jq -r '.rtmr[2]' <<<"$j")" 0x8652f0caaba7e215ea442dc36a4499d8fec3362f3a0b2ca151cbe4b3e6466fe59c7368b3c2287fc7c3bf5c924eb4424e
check go.report_data "$(jq -r .report_data <<<"$j")" 0x6c62dec1b8191749a31dab490be532a35944dea47caef1f980863993d9899545eb7406a38d1eed313b987a467dacead6f0c87a6d766c66f6f29f8acb281f1113
check go.td_attributes "$(jq -r .td_attributes <<<"$j")" 0x0000004000000000
check go.xfam "$(jq -r .xfam <<<"$j")" 0xe71a060000000000
check go.debug "$(jq -r .debug <<<"$j")" false
check go.simulated "$(jq -r .simulated <<<"$j")" false
check go.pem "$(jq -r .pck_pem_certs <<<"$j")" 3
check go.qe_binding "$(jq -r .qe_binding_ok <<<"$j")" true
check go.replay_key "$(jq -r .replay_key <<<"$j")" 0xec9ad351d4fd157ae75322740dcfba92a8143b10e6054c40154ea3e34d7107ac

j=$(q "$fx/tdx_v4_automata.bin") || { echo "FAIL automata quote"; exit 1; }
check automata.file_len "$(jq -r .file_len <<<"$j")" 8000
check automata.signed_len "$(jq -r .signed_len <<<"$j")" 4935
check automata.mrtd "$(jq -r .mrtd <<<"$j")" 0x935be7742dd89c6a4df6dba8353d89041ae0f052beef993b1e7f4524d3bc57650df20e5582158352e1240b3f1fed55d8
check automata.qe_binding "$(jq -r .qe_binding_ok <<<"$j")" true
check automata.replay_key "$(jq -r .replay_key <<<"$j")" 0x079ef7266b22a861f10fba27142b073c4f8efe252b206bc391d54f24d079856c

# hex text on stdin (as Automata ships quotev4.hex) decodes to the same quote
j=$(od -An -tx1 -v "$fx/tdx_v4_automata.bin" | "$bin" quote --json -) || { echo "FAIL hex stdin"; exit 1; }
check automata.hex.replay_key "$(jq -r .replay_key <<<"$j")" 0x079ef7266b22a861f10fba27142b073c4f8efe252b206bc391d54f24d079856c

# One flipped byte of QE authentication data (abs 636 + 584): still a
# well-formed quote, but the QE report no longer binds the attestation key.
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
cp "$fx/tdx_v4_go_tdx_guest_spr_e4.bin" "$tmp"
printf '\x5a' | dd of="$tmp" bs=1 seek=1220 conv=notrunc status=none
j=$(q "$tmp") || { echo "FAIL tampered auth data quote"; exit 1; }
check tampered.qe_binding "$(jq -r .qe_binding_ok <<<"$j")" false

j=$(q "$fx/sgx_v3_automata.bin") || { echo "FAIL sgx quote"; exit 1; }
check sgx.tee "$(jq -r .tee <<<"$j")" sgx
check sgx.mrenclave "$(jq -r .mrenclave <<<"$j")" 0xa4f45c39dac622cb1dd32ddb35a52ec92db41d0fa88a1c911c49e59c534f61cd
check sgx.qe_binding "$(jq -r .qe_binding_ok <<<"$j")" true
check sgx.replay_key "$(jq -r .replay_key <<<"$j")" 0xfc1ea5f0e7b6fe44d6253f1c613e0c33f82099ce9cb2a0e6d961055a2e3140d7

"$bin" quote --require-tdx "$fx/sgx_v3_automata.bin" >/dev/null 2>&1
check sgx.require_tdx_exit "$?" 1
head -c 600 "$fx/tdx_v4_automata.bin" | "$bin" quote - >/dev/null 2>&1
check truncated_exit "$?" 1
"$bin" quote /nonexistent/quote.bin >/dev/null 2>&1
check missing_file_exit "$?" 1
"$bin" quote >/dev/null 2>&1
check no_args_exit "$?" 2
"$bin" quote --bogus x >/dev/null 2>&1
check bad_option_exit "$?" 2
exit $fail
