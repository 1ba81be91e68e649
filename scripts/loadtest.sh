#!/usr/bin/env bash
# loadtest.sh: load and fault test of the native server, on loopback only, bounded in time
# (about 40 s with the defaults; well under two minutes).
#
#   make loadtest                      builds bin/nnplay (with the bundle) and runs this
#   LOADTEST_DURATION=2s ./scripts/loadtest.sh      shorter runs while developing
#   NNPLAY_DIR=/path/to/dist ./scripts/loadtest.sh  serve a directory instead of the embedded bundle
#
# 1. For the page (/) and the app wasm, at 1, 50 and 200 concurrent keep-alive connections,
#    it prints requests/s, p50/p99/max latency, errors and bytes per response. Requests carry a
#    browser's Accept-Encoding, so the page and the wasm come brotli-encoded as in real use.
#    The generator (server/internal/loadgen) and the server share this machine's cores.
# 2. It starts a fresh server, loads it at 50 connections with the wasm, sends SIGTERM after
#    1 s and checks that no request in flight is lost and that the server exits 0.
#
# Env: NNPLAY_BIN (default bin/nnplay), NNPLAY_DIR, LOADTEST_DURATION (default 5s per run),
#      LOADTEST_CONNS (default 1,50,200), GO (default go).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
BIN=${NNPLAY_BIN:-bin/nnplay}
DUR=${LOADTEST_DURATION:-5s}
CONNS=${LOADTEST_CONNS:-1,50,200}
DIR=${NNPLAY_DIR:-}
[ -x "$BIN" ] || { echo "loadtest: $BIN missing (make server)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

"$GO" build -o "$work/loadgen" ./server/internal/loadgen

# The wasm's path comes from the bundle on disk (the one embedded, or NNPLAY_DIR).
dist=${DIR:-web/dist}
wasm=$(cd "$dist" && find assets -maxdepth 1 -name '*.wasm' | sort | head -n 1)
[ -n "$wasm" ] || { echo "loadtest: no assets/*.wasm in $dist (make web)" >&2; exit 1; }

# start_server: runs the server on a free loopback port; sets $url and $spid.
start_server() {
	local args=(-addr 127.0.0.1:0 -access-log=false)
	[ -n "$DIR" ] && args+=(-dir "$DIR")
	"$BIN" "${args[@]}" >"$work/out" 2>"$work/err" &
	spid=$!
	pids+=("$spid")
	for _ in $(seq 100); do
		url=$(sed -n 's/^nnplay: serving on \(http:[^ ]*\)\/$/\1/p' "$work/out")
		[ -n "$url" ] && return 0
		sleep 0.05
	done
	echo "loadtest: the server did not start:" >&2
	cat "$work/err" >&2
	exit 1
}

echo "== load: $(nproc) cores shared by server and generator; $DUR per row; Accept-Encoding of a browser"
start_server
curl -fsS -o /dev/null "$url/" || { echo "loadtest: GET / failed" >&2; exit 1; }
"$work/loadgen" bench -url "$url" -path / -path "/$wasm" -c "$CONNS" -d "$DUR"
kill -TERM "$spid"
wait "$spid"

echo
echo "== SIGTERM during load: 50 connections fetching /$wasm, SIGTERM after 1 s"
start_server
status=0
"$work/loadgen" drain -url "$url" -path "/$wasm" -c 50 -pid "$spid" -after 1s -d 4s || status=1
if wait "$spid"; then
	echo "drain: the server exited 0"
else
	echo "drain: the server exited with status $?"
	status=1
fi
if [ "$status" -ne 0 ]; then
	echo "loadtest: FAILED" >&2
	exit 1
fi
echo "loadtest: ok"
