# nnplay. The two commands a newcomer needs:
#   make run     build everything and serve the playground on http://$(ADDR)
#   make test    run every test (Go, wasm, server, worker, browser)
# Other targets: bench, loadtest, fuzz, worker, dist, clean. See README.md.

ADDR ?= 127.0.0.1:8080
GO ?= go
NPM ?= npm
GOROOT := $(shell $(GO) env GOROOT)
WASM_LDFLAGS := -s -w
FUZZTIME ?= 10s

.PHONY: all run test deps wasm web server worker dist bench loadtest fuzz clean test-go test-wasm test-fuzz test-worker test-e2e chromium vet

all: server

## deps: Go modules and npm packages (npm ci from the committed lockfile)
deps: web/node_modules/.stamp
	$(GO) mod download

web/node_modules/.stamp: web/package.json web/package-lock.json
	cd web && $(NPM) ci --no-audit --no-fund
	touch $@

## wasm: the browser program
build/nnplay.wasm: $(shell find core wasm -name '*.go' 2>/dev/null) go.mod
	@mkdir -p build
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="$(WASM_LDFLAGS)" -o $@ ./wasm

wasm: build/nnplay.wasm

## web: the bundle in web/dist (hashed assets, brotli and gzip variants)
web: web/dist/.built

web/dist/.built: build/nnplay.wasm web/node_modules/.stamp $(shell find web/src web/build.mjs -type f 2>/dev/null)
	node web/build.mjs --wasm build/nnplay.wasm --wasm-exec "$(GOROOT)/lib/wasm/wasm_exec.js" --out web/dist
	touch $@

## server: the native binary, with the bundle embedded
server: bin/nnplay

bin/nnplay: web/dist/.built $(shell find server web -name '*.go' 2>/dev/null)
	@mkdir -p bin
	$(GO) build -trimpath -o $@ ./server/cmd/nnplay

run: bin/nnplay
	./bin/nnplay -addr $(ADDR)

vet:
	$(GO) vet ./...

## test: every test. Installs Debian's chromium first if it is missing (as root).
test: deps vet test-go test-wasm test-fuzz web server test-worker test-e2e
	@echo "make test: all green"

test-go:
	$(GO) test -count=1 ./...

# core's tests again, compiled to wasm and run under Node with Go's go_js_wasm_exec
test-wasm:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(GOROOT)/lib/wasm/go_js_wasm_exec" ./core/...

# a short run of every fuzz target (long runs: make fuzz FUZZTIME=10m)
test-fuzz:
	./scripts/fuzz.sh 3s

fuzz:
	./scripts/fuzz.sh $(FUZZTIME)

chromium:
	./scripts/ensure-chromium.sh

test-worker: worker
	./scripts/test-worker.sh

test-e2e: chromium bin/nnplay
	cd web && node e2e/run.mjs --server ../bin/nnplay

## worker: the Cloudflare Workers build in build/worker (wrangler.toml + wasm + static assets)
worker: web/dist/.built
	./scripts/build-worker.sh

## dist: the static bundle alone, for plain static hosting, in build/dist
dist: web/dist/.built
	rm -rf build/dist && mkdir -p build/dist && cp -r web/dist/. build/dist/ && rm -f build/dist/.built build/dist/.placeholder

bench: web server chromium
	./scripts/bench.sh

loadtest: server
	./scripts/loadtest.sh

clean:
	rm -rf bin build web/dist/assets web/dist/*.html web/dist/*.br web/dist/*.gz web/dist/.built
