#!/usr/bin/env bash
# service_v45.sh - SP1 v4 and v5 programs through the service, over HTTPS:
# real v4/v5 ELFs uploaded to /v1/programs get their published vkeys
# (tests/fixtures/vk45/vkeys.json, from the projects' own repositories)
# and the version named in the file name; the v4.1 fibonacci fixture is
# proved through the reference client's API with the public values of
# cases.json, a signature that recovers to the key table's address, and
# its detected version in X-SP1-Version.
. "$(dirname "$0")/service_lib.sh"

stack_start_prover --workers 8 || exit 99
stack_start_nginx || exit 99
dev_key >/dev/null || fail "dev key insert"
want_addr=$("$RECOVER" address "$DEV_KEY") || fail "recover_tool address"
out=$STACK_DIR/out.json

# upload_check FILE MAJOR VERSION: vkey and vk equal the published ones.
upload_check() {
    local f=$1 major=$2 version=$3 b32 hb
    b32=$(jq -r --arg f "$f" '.fixtures[] | select(.file == $f) | .bytes32' "$FIX/vk45/vkeys.json")
    hb=$(jq -r --arg f "$f" '.fixtures[] | select(.file == $f) | .hash_bytes' "$FIX/vk45/vkeys.json")
    [ -n "$b32" ] && [ "$b32" != null ] || fail "no published vkey for $f"
    http code "$out" -H 'Content-Type: application/octet-stream' \
        --data-binary "@$FIX/vk45/$f" "$STACK_URL/v1/programs"
    [ "$code" = 201 ] || fail "upload $f: $code $(cat "$out")"
    jq -e --arg v "$b32" --arg h "0x${hb#0x}" --argjson m "$major" --arg s "$version" \
        '.vkey == $v and .vk == $h and .sp1_major == $m and (.sp1_version | startswith($s))' \
        "$out" >/dev/null || fail "$f: $(cat "$out") (want vkey $b32, version $version)"
    # The program record answers the same afterwards.
    http code "$out" "$STACK_URL/v1/programs/$(sha256sum "$FIX/vk45/$f" | cut -d' ' -f1)"
    [ "$code" = 200 ] && jq -e --arg v "$b32" '.vkey == $v' "$out" >/dev/null ||
        fail "$f program record: $code $(cat "$out")"
}
upload_check sp1-helios-6d554b9-v4.1.1.elf 4 4.1.1
ok "v4.1.1 ELF (sp1-helios): vkey = published vkey, version 4.1.1"
upload_check sp1-vector-dab8c1f-v5.0.0.elf 5 5.0.0
ok "v5.0.0 ELF (sp1-vector): vkey = published vkey, version 5.0.0"

# The v4.1 fibonacci fixture through the reference client's API.
ELF=$FIX/elf/sp1-v4.1_sp1-tee-fibonacci.elf
stdin10='{"buffer":[[10,0,0,0]],"ptr":0,"proofs":[]}'
body=$(compat_body "$ELF" "$stdin10")
http code "$STACK_DIR/id.txt" -H 'Content-Type: application/json' \
    --data-binary "@$body" "$STACK_URL/request_proof"
[ "$code" = 200 ] || fail "request_proof: $code $(cat "$STACK_DIR/id.txt")"
code=$(stack_curl -o "$out" -w '%{http_code}' -D "$STACK_DIR/hdr.txt" \
    --data-binary "@$STACK_DIR/id.txt" "$STACK_URL/wait_proof")
[ "$code" = 200 ] || fail "wait_proof: $code $(cat "$out")"
PV=$(json_to_hex "$(jq -c .public_values "$out")")
VK=$(json_to_hex "$(jq -c .vk "$out")")
SIG=$(json_to_hex "$(jq -c .signature "$out")")
want_pv=$(case_field sp1-v4.1_sp1-tee-fibonacci.elf "$stdin10" public_values_hex)
[ "$PV" = "$want_pv" ] || fail "public values $PV, want $want_pv"
got=$("$RECOVER" proof "$VK" "$PV" "$SIG" | head -1) || fail "recovery failed"
[ "$got" = "$want_addr" ] || fail "signature recovers to $got, want $want_addr"
SP1V=$(tr -d '\r' <"$STACK_DIR/hdr.txt" | sed -n 's/^[Xx]-[Ss][Pp]1-[Vv]ersion: //p')
[[ "$SP1V" == 4.1.* ]] || fail "X-SP1-Version '$SP1V', want 4.1.x"
ok "v4.1 fibonacci via /request_proof: public values = cases.json, signer = key table, X-SP1-Version $SP1V"
echo "$N_OK passed, 0 failed"
