//go:build !(js && wasm)

// The worker only runs under GOOS=js GOARCH=wasm; this stub keeps
// `go build ./...` and `go vet ./...` working natively.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "server/worker is the Cloudflare Workers entry: build it with scripts/build-worker.sh (make worker); run the native server with server/cmd/nnplay")
	os.Exit(2)
}
