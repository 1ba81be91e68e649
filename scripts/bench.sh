#!/usr/bin/env bash
# make bench: nnplay's performance figures and the budgets they are held to (issue 5). It prints
# one table and writes the same as JSON to bench/results.json. Never a test: it times things on a
# possibly busy machine, says which budgets are met, and exits 0 either way (non-zero only if a
# step could not run).
#
#   1. core, native:  the core/view benchmarks (curves of every activation and loss, 256x256
#                     surfaces) built with go test -c, COUNT rounds, medians;
#   2. core, wasm:    the same benchmarks built with GOOS=js GOARCH=wasm, run under Node with Go's
#                     go_js_wasm_exec (as go test -exec does), in alternation with the native rounds;
#   3. browser:       web/bench/run.mjs: headless Chromium against bin/nnplay on a free loopback
#                     port (first plot, bytes, plain JS against the wasm bulk path, slider updates,
#                     and a CPU profile of the updates with an unstripped build of ./wasm swapped in);
#   4. bench/report.mjs: the table, the budgets, bench/results.json.
#
# Knobs (environment): BENCHTIME (default 100ms per go benchmark run), COUNT (5 rounds), LOADS (7
# page loads per URL), MOVES (200 key presses per slider scenario), QUICK=1 (a smoke run: 1 go run
# of 20ms, 3 loads, 40 moves; the JSON then goes to bench/results-quick.json), OUT (the JSON file).
# make bench has built bin/nnplay, the bundle and Chromium before this runs.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
NODE=${NODE:-node}
BENCHTIME=${BENCHTIME:-100ms}
COUNT=${COUNT:-5}
LOADS=${LOADS:-7}
MOVES=${MOVES:-200}
OUT=${OUT:-bench/results.json}
BROWSER_ARGS=()
if [ "${QUICK:-}" = 1 ]; then
	BENCHTIME=20ms COUNT=1 OUT=${OUT/results.json/results-quick.json}
	BROWSER_ARGS+=(--quick)
fi
GOROOT=$($GO env GOROOT)
PATTERN='^Benchmark(ActivationCurves|LossCurves|Surface)$'

for need in bin/nnplay web/node_modules/playwright-core; do
	[ -e "$need" ] || { echo "bench: $need is missing (make bench builds it: make server deps)" >&2; exit 1; }
done
command -v "$NODE" >/dev/null || { echo "bench: node is not on PATH" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nnplay-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)

# Both test binaries are built once, then run in alternation, COUNT rounds of one run each, so
# that a burst of load from elsewhere on the machine hits native and wasm alike; the report takes
# the median over the rounds.
echo "bench: core: building the benchmarks, native and GOOS=js GOARCH=wasm..." >&2
$GO test -c -o "$tmp/view.test" ./core/view/
GOOS=js GOARCH=wasm $GO test -c -o "$tmp/view.test.wasm" ./core/view/
: >"$tmp/native.txt"
: >"$tmp/wasm.txt"
for round in $(seq "$COUNT"); do
	echo "bench: core round $round/$COUNT: native Go, then wasm under Node (go_js_wasm_exec), -benchtime $BENCHTIME..." >&2
	(cd core/view && "$tmp/view.test" -test.run '^$' -test.bench "$PATTERN" -test.benchtime "$BENCHTIME") >>"$tmp/native.txt"
	(cd core/view && "$GOROOT/lib/wasm/go_js_wasm_exec" "$tmp/view.test.wasm" -test.run '^$' -test.bench "$PATTERN" \
		-test.benchtime "$BENCHTIME") >>"$tmp/wasm.txt"
done

echo "bench: the wasm bench module and the wasm's symbol sizes..." >&2
GOOS=js GOARCH=wasm $GO build -trimpath -ldflags="-s -w" -o "$tmp/wasmbench.wasm" ./bench/wasmbench
# the product's wasm again, unstripped (the same flags but -s -w), for its code size by package
# (go tool nm does not read wasm: bench/wasmsize.mjs reads the name and code sections)
GOOS=js GOARCH=wasm $GO build -trimpath -o "$tmp/nnplay-syms.wasm" ./wasm
$NODE bench/wasmsize.mjs "$tmp/nnplay-syms.wasm" --json "$tmp/wasmsize.json"

echo "bench: browser (headless Chromium against bin/nnplay)..." >&2
(cd web && $NODE bench/run.mjs --server ../bin/nnplay --bench-wasm "$tmp/wasmbench.wasm" --profile-wasm "$tmp/nnplay-syms.wasm" \
	--loads "$LOADS" --moves "$MOVES" --out "$tmp/browser.json" "${BROWSER_ARGS[@]}")

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
cat >"$tmp/machine.json" <<JSON
{"cores": $(nproc), "cpu": "${cpu:-unknown}", "go": "$($GO version | sed 's/^go version //')", "node": "$($NODE --version)",
 "kernel": "$(uname -sr)", "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "commit": "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)",
 "benchtime": "$BENCHTIME", "count": $COUNT, "loads": $LOADS, "moves": $MOVES, "quick": ${QUICK:-0}}
JSON

$NODE bench/report.mjs --native "$tmp/native.txt" --wasm "$tmp/wasm.txt" --browser "$tmp/browser.json" \
	--machine "$tmp/machine.json" --wasmsize "$tmp/wasmsize.json" --json "$OUT"
echo "bench: wrote $OUT in $(( $(date +%s) - start )) s" >&2
