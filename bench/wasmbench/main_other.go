//go:build !(js && wasm)

package main

import "os"

// main explains itself: wasmbench runs only in the browser benchmark (make bench builds it with
// GOOS=js GOARCH=wasm and web/bench/run.mjs loads it into the page).
func main() {
	os.Stderr.WriteString("bench/wasmbench runs in the browser: make bench builds and loads it\n")
	os.Exit(2)
}
