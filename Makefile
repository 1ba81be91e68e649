# nnplay. The two commands a newcomer needs:
#   make run     build everything and serve the playground on http://$(ADDR)
#   make test    run every test (Go, wasm, fuzz, server, worker, browser)
# Other targets: fuzz, e2e, worker, dist, screenshot, bench, loadtest, clean. See README.md.
#
# Every build step writes a file (a binary, or a .built/.stamp file) and lists its inputs as
# prerequisites, so a second `make test` only rebuilds what changed; the tests themselves always
# run (-count=1). Run it serially (the default): .NOTPARALLEL below keeps `make -j` from
# interleaving npm ci with the builds that need it; the Go tools use both cores by themselves.

ADDR ?= 127.0.0.1:8080
GO ?= go
NPM ?= npm
NODE ?= node
GOROOT := $(shell $(GO) env GOROOT)
WASM_LDFLAGS := -s -w
# FUZZTIME is per fuzz target: `make fuzz FUZZTIME=10m` for a long run; make test uses TEST_FUZZTIME.
FUZZTIME ?= 1m
TEST_FUZZTIME ?= 3s
# E2E_ARGS are passed to web/e2e/run.mjs, e.g. make e2e E2E_ARGS='--only gelu,softmax --headed'
E2E_ARGS ?=
# SKIP_WORKER=1 skips the Cloudflare Workers build and test (says so in the output).
SKIP_WORKER ?=

.NOTPARALLEL:
.DELETE_ON_ERROR:

.PHONY: all run test deps wasm web server worker dist bench loadtest fuzz e2e clean screenshot \
	test-go test-wasm test-fuzz test-worker test-e2e chromium vet gomod

all: server

# Inputs of each build step. find runs at parse time; a deleted file just drops out of the list.
# Tests are not inputs of a build: editing a _test.go file reruns tests without rebuilding.
PRUNE := \( -type d \( -name node_modules -o -name testdata -o -name dist -o -name e2e -o -name bench \) \) -prune -o
GO_SRC      := $(shell find core wasm web server $(PRUNE) -name '*.go' ! -name '*_test.go' -print 2>/dev/null) go.mod go.sum
WASM_SRC    := $(shell find core wasm $(PRUNE) -name '*.go' ! -name '*_test.go' -print 2>/dev/null) go.mod go.sum
WEB_SRC     := $(shell find web $(PRUNE) -type f ! -name '*.go' ! -name 'package*.json' -print 2>/dev/null)

## deps: Go modules and npm packages (npm ci from the committed lockfile)
deps: gomod web/node_modules/.stamp

gomod:
	$(GO) mod download

web/node_modules/.stamp: web/package.json web/package-lock.json
	cd web && $(NPM) ci --no-audit --no-fund
	touch $@

## wasm: the browser program
build/nnplay.wasm: $(WASM_SRC)
	@mkdir -p build
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="$(WASM_LDFLAGS)" -o $@ ./wasm

# The labs' program: the same package with the labs' packages (build tag lab, wasm/labs_lab.go),
# loaded only by ?lab= pages, so the function page's wasm does not grow with the labs.
build/nnplay-lab.wasm: $(WASM_SRC)
	@mkdir -p build
	GOOS=js GOARCH=wasm $(GO) build -tags lab -trimpath -ldflags="$(WASM_LDFLAGS)" -o $@ ./wasm

wasm: build/nnplay.wasm build/nnplay-lab.wasm

## web: the bundle in web/dist (hashed assets, brotli and gzip variants)
web: web/dist/.built

web/dist/.built: build/nnplay.wasm build/nnplay-lab.wasm web/node_modules/.stamp docs/conformance.md $(WEB_SRC)
	$(NODE) web/build.mjs --wasm build/nnplay.wasm --lab-wasm build/nnplay-lab.wasm --wasm-exec "$(GOROOT)/lib/wasm/wasm_exec.js" --out web/dist
	touch $@

## server: the native binary, with the bundle embedded
server: bin/nnplay

bin/nnplay: web/dist/.built $(GO_SRC)
	@mkdir -p bin
	$(GO) build -trimpath -o $@ ./server/cmd/nnplay

run: bin/nnplay
	./bin/nnplay -addr $(ADDR)

## test: every test, in the order that fails fastest. Installs Debian's chromium first if it is
## missing (as root; otherwise it says how).
TEST_START := $(shell date +%s)
test: deps chromium vet test-go test-wasm test-fuzz web server test-worker test-e2e
	@echo "make test: all green in $$(( $$(date +%s) - $(TEST_START) )) s"

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./core/... ./wasm/...
	GOOS=js GOARCH=wasm $(GO) vet -tags lab ./wasm/...

test-go:
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -tags lab ./wasm/

# core's tests again, compiled to wasm and run under Node with Go's go_js_wasm_exec (node on PATH)
test-wasm:
	@command -v $(NODE) >/dev/null || { echo "test-wasm: node is not on PATH (go_js_wasm_exec needs it)"; exit 1; }
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(GOROOT)/lib/wasm/go_js_wasm_exec" ./core/...

# a short run of every fuzz target (long runs: make fuzz FUZZTIME=10m)
test-fuzz:
	./scripts/fuzz.sh $(TEST_FUZZTIME)

fuzz:
	./scripts/fuzz.sh $(FUZZTIME)

chromium:
	./scripts/ensure-chromium.sh

# The worker scripts belong to the server; a missing script is a failure, never a silent pass.
test-worker:
ifeq ($(SKIP_WORKER),1)
	@echo "test-worker: SKIPPED (SKIP_WORKER=1)"
else
	@for s in scripts/build-worker.sh scripts/test-worker.sh; do \
	  [ -x $$s ] || { echo "test-worker: $$s is missing or not executable: the Workers build is untested (SKIP_WORKER=1 skips it knowingly)"; exit 1; }; \
	done
	$(MAKE) --no-print-directory worker
	./scripts/test-worker.sh
endif

## e2e: the browser tests alone (Playwright driving Debian's Chromium against bin/nnplay)
test-e2e e2e: chromium bin/nnplay web/node_modules/.stamp
	cd web && $(NODE) e2e/run.mjs --server ../bin/nnplay $(E2E_ARGS)

## worker: the Cloudflare Workers build in build/worker (wrangler.toml + wasm + static assets)
worker: build/worker/.built

build/worker/.built: web/dist/.built scripts/build-worker.sh $(GO_SRC) $(wildcard server/worker/*.mjs server/worker/*.toml server/worker/*.capnp)
	./scripts/build-worker.sh
	touch $@

## screenshot: docs/screenshot.png (the README's picture) from the browser tests' screenshots
screenshot: chromium bin/nnplay web/node_modules/.stamp
	cd web && $(NODE) e2e/run.mjs --server ../bin/nnplay --grep screenshots --update-docs-screenshot

## dist: the static bundle alone, for plain static hosting, in build/dist
dist: web/dist/.built
	rm -rf build/dist && mkdir -p build/dist && cp -r web/dist/. build/dist/ && rm -f build/dist/.built build/dist/.placeholder
	$(GO) run ./server/internal/headers > build/dist/_headers

bench: web server chromium web/node_modules/.stamp
	./scripts/bench.sh

loadtest: server
	./scripts/loadtest.sh

## clean: build outputs only (keeps web/node_modules and the committed web/dist/.placeholder)
clean:
	rm -rf bin build web/e2e/screenshots
	find web/dist -mindepth 1 ! -name .placeholder -delete
