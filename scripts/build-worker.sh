#!/usr/bin/env bash
# build-worker.sh: build the Cloudflare Workers deployment of nnplay into build/worker/.
#
#   make worker                         (builds the bundle first, then this)
#   NNPLAY_DIST=/path/to/dist ./scripts/build-worker.sh   use another built bundle
#
# build/worker/ then holds:
#   app.wasm          server/worker (the Go handler) for GOOS=js GOARCH=wasm
#   worker.mjs, runtime.mjs, wasm_exec.js
#                     the glue of github.com/syumai/workers (its cmd/workers-assets-gen, the
#                     version in go.mod), which instantiates app.wasm per request
#   entry.mjs         nnplay's entry module around it (server/worker/entry.mjs)
#   manifest.txt      the bundle's files, sizes and SHA-256s (server.WriteManifest)
#   public/           the bundle itself, uploaded as Workers static assets (binding ASSETS)
#   wrangler.toml     for `npx wrangler deploy` (docs/hosting.md)
#   workerd.capnp     for a local run in workerd (scripts/test-worker.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
DIST=${NNPLAY_DIST:-web/dist}
OUT=build/worker

[ -f "$DIST/index.html" ] || { echo "build-worker: $DIST/index.html missing (make web)" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
# workers-assets-gen empties its output directory, so it gets one of its own.
"$GO" run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o "$OUT/gen"
mv "$OUT/gen/"* "$OUT/" && rmdir "$OUT/gen"
GOOS=js GOARCH=wasm "$GO" build -trimpath -ldflags="-s -w" -o "$OUT/app.wasm" ./server/worker

# The bundle without dotfiles (.placeholder, .built): those are never served.
mkdir -p "$OUT/public"
(cd "$DIST" && find . -type f ! -path '*/.*' -exec cp --parents -t "$OLDPWD/$OUT/public/" {} +)
"$GO" run ./server/internal/manifest "$OUT/public" >"$OUT/manifest.txt"
cp server/worker/entry.mjs server/worker/wrangler.toml server/worker/workerd.capnp "$OUT/"

raw=$(wc -c <"$OUT/app.wasm")
gz=$(gzip -9c "$OUT/app.wasm" | wc -c)
files=$(wc -l <"$OUT/manifest.txt")
echo "build-worker: $OUT ready: Go worker $((raw / 1024)) KiB ($((gz / 1024)) KiB gzipped; a free Worker allows 3 MiB gzipped), $files static asset files"
if [ "$gz" -gt $((3 * 1024 * 1024)) ]; then
	echo "build-worker: warning: the worker script is over the free plan's 3 MiB limit" >&2
fi
