#!/usr/bin/env bash
# Fuzz the central node's HTTP API with schemathesis (PyPI) against its own OpenAPI document.
# Every generated request must get a documented status (no 5xx), the server must stay up, and
# central's state hash must not change (fuzzed requests carry a store token but nothing valid).
#
#   bash scripts/fuzz-api.sh [MAX_EXAMPLES]     (needs: pip install schemathesis; a built fenxiao)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50}
FX=${FENXIAO_BIN:-.build/debug/fenxiao}
[ -x "$FX" ] || swift build
command -v schemathesis >/dev/null || python3 -m pip install -q schemathesis
W=$(mktemp -d); trap 'kill $PID 2>/dev/null || true; rm -rf "$W"' EXIT
"$FX" init --role central --node central --data "$W/c" >/dev/null
"$FX" catalog add-product --sku TEA-01 --name Tea --price 1 --data "$W/c" >/dev/null
TOKEN=$("$FX" enroll --node s1 --data "$W/c" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
"$FX" serve --port 0 --port-file "$W/port" --data "$W/c" & PID=$!
for _ in $(seq 100); do [ -s "$W/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$W/port")"
BEFORE=$("$FX" status --json --data "$W/c" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state_hash"])')
schemathesis run "$URL/v1/openapi.json" --url "$URL" \
    -H "Authorization: Bearer $TOKEN" -H "X-Fenxiao-Protocol: 1" \
    -H "X-Fenxiao-Schema: $(sqlite3 "$W/c/fenxiao.sqlite" "PRAGMA user_version")" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance \
    --max-examples "$N"
AFTER=$("$FX" status --json --data "$W/c" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state_hash"])')
curl -fsS "$URL/v1/health" >/dev/null && echo "server still up"
[ "$BEFORE" = "$AFTER" ] && echo "state unchanged" || { echo "STATE CHANGED"; exit 1; }
