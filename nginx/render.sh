#!/bin/sh
# render.sh TEMPLATE NAME=VALUE... - prints TEMPLATE with every @NAME@
# replaced. Unset names get the defaults below; any @...@ left over is an
# error (so a typo never reaches nginx).
set -eu
tpl=$1; shift
LISTEN=443
SERVER_NAME=_
SSL_CERT=/etc/ssl/sp1-tee/fullchain.pem
SSL_KEY=/etc/ssl/sp1-tee/privkey.pem
FCGI_SOCKET=/run/sp1-tee-prover/prover.sock
FASTCGI_PARAMS=/etc/nginx/fastcgi_params
ACCESS_LOG=/var/log/nginx/sp1-tee-access.json
MAX_BODY=400m
SUBMIT_RATE=10r/s
SUBMIT_BURST=20
METRICS_ALLOW=127.0.0.1
for kv in "$@"; do
    name=${kv%%=*}
    case $name in
    LISTEN|SERVER_NAME|SSL_CERT|SSL_KEY|FCGI_SOCKET|FASTCGI_PARAMS|ACCESS_LOG|MAX_BODY|SUBMIT_RATE|SUBMIT_BURST|METRICS_ALLOW) ;;
    *) echo "render.sh: unknown name $name" >&2; exit 2 ;;
    esac
    eval "$name=\${kv#*=}"
done
esc() { printf '%s' "$1" | sed -e 's/[\/&|]/\\&/g'; }
out=$(sed -e "s|@LISTEN@|$(esc "$LISTEN")|g" \
    -e "s|@SERVER_NAME@|$(esc "$SERVER_NAME")|g" \
    -e "s|@SSL_CERT@|$(esc "$SSL_CERT")|g" \
    -e "s|@SSL_KEY@|$(esc "$SSL_KEY")|g" \
    -e "s|@FCGI_SOCKET@|$(esc "$FCGI_SOCKET")|g" \
    -e "s|@FASTCGI_PARAMS@|$(esc "$FASTCGI_PARAMS")|g" \
    -e "s|@ACCESS_LOG@|$(esc "$ACCESS_LOG")|g" \
    -e "s|@MAX_BODY@|$(esc "$MAX_BODY")|g" \
    -e "s|@SUBMIT_RATE@|$(esc "$SUBMIT_RATE")|g" \
    -e "s|@SUBMIT_BURST@|$(esc "$SUBMIT_BURST")|g" \
    -e "s|@METRICS_ALLOW@|$(esc "$METRICS_ALLOW")|g" "$tpl")
if printf '%s\n' "$out" | grep -v '^#' | grep -q '@[A-Z_]*@'; then
    echo "render.sh: unreplaced placeholder in $tpl" >&2
    exit 2
fi
printf '%s\n' "$out"
