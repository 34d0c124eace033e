#!/usr/bin/env bash
# The rotator's JSON-RPC transport against misbehaving endpoints: a closed
# port, HTTP 503, a server slower than the timeout, and finally the real
# anvil node -> the rotation succeeds through failover. An endpoint whose
# answer exceeds ZK_MAX_RPC_RESPONSE (8 MiB) is refused, and a node error
# object is surfaced with its code.
. "$(dirname "$0")/lib_chain.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
start_anvil
deploy

BAD_PORT=$(free_port)
cat >"$work/bad.py" <<'PY'
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        n = int(self.headers.get('content-length', 0)); self.rfile.read(n)
        if self.path == '/503':
            self.send_response(503); self.end_headers(); self.wfile.write(b'busy')
        elif self.path == '/slow':
            time.sleep(3); self.send_response(200); self.end_headers()
        elif self.path == '/big':
            self.send_response(200); self.end_headers()
            chunk = b' ' * 65536
            try:
                for _ in range(160): self.wfile.write(chunk)   # 10 MiB
            except BrokenPipeError: pass
        elif self.path == '/rpcerror':
            body = b'{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"limit exceeded"}}'
            self.send_response(200); self.send_header('content-length', str(len(body))); self.end_headers(); self.wfile.write(body)
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
python3 "$work/bad.py" "$BAD_PORT" & PY_PID=$!
for _ in $(seq 50); do curl -s -o /dev/null -X POST "http://127.0.0.1:$BAD_PORT/503" && break; sleep 0.1; done
CLOSED=$(free_port)
B=http://127.0.0.1:$BAD_PORT

# Failover: three broken endpoints, then the node.
"$ROTATOR" --tee simulated --rpc-url "http://127.0.0.1:$CLOSED/" --rpc-url "$B/503" \
  --rpc-url "$B/slow" --rpc-url "$RPC" --registry "$REGISTRY" --db "$DB" \
  --operator-key-file "$KEYFILE" --rpc-timeout-ms 1000 --poll-ms 100 --once \
  >"$work/failover.log" 2>&1 || fail "rotation through failover"
grep -q "endpoint #0 (127.0.0.1:$CLOSED): Couldn't connect" "$work/failover.log" || fail "closed port not logged"
grep -q "endpoint #1 (127.0.0.1:$BAD_PORT): HTTP 503" "$work/failover.log" || fail "503 not logged"
grep -qi "endpoint #2 (127.0.0.1:$BAD_PORT): Timeout" "$work/failover.log" || fail "timeout not logged"
grep -q "failing over to endpoint #3" "$work/failover.log" || fail "no failover"
[ "$(db "SELECT status FROM keys ORDER BY id DESC LIMIT 1")" = active ] || fail "key not active"
ok "closed port, 503 and timeout skipped; rotation succeeded on endpoint #3"

# Oversized response: refused, not retried, nothing registered.
if "$ROTATOR" --tee simulated --rpc-url "$B/big" --registry "$REGISTRY" --db "$DB" \
     --operator-key-file "$KEYFILE" --once >"$work/big.log" 2>&1; then fail "accepted a 10 MiB answer"; fi
grep -q "response larger than 8388608 bytes" "$work/big.log" || fail "size bound not logged"
ok "a 10 MiB response is refused"

# A JSON-RPC error object is surfaced with its code.
if "$ROTATOR" --tee simulated --rpc-url "$B/rpcerror" --registry "$REGISTRY" --db "$DB" \
     --operator-key-file "$KEYFILE" --once >"$work/rpcerr.log" 2>&1; then fail "accepted an error"; fi
grep -q "eth_chainId failed: rpc error -32005: limit exceeded" "$work/rpcerr.log" || fail "rpc error code not surfaced"
ok "JSON-RPC error -32005 surfaced"
kill $PY_PID
echo "rpc_transport: all checks passed"
