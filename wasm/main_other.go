//go:build !(js && wasm)

package main

import "os"

// main explains itself: the browser program runs only when built with GOOS=js GOARCH=wasm
// (make wasm). The logic in the untagged files builds and tests natively.
func main() {
	os.Stderr.WriteString("nnplay/wasm is the browser program: build it with GOOS=js GOARCH=wasm (make wasm)\n")
	os.Exit(2)
}
