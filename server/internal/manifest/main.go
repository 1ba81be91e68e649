// Command manifest prints the manifest of a bundle directory (server.WriteManifest):
// one line per file, "<sha256> <size> <path>". scripts/build-worker.sh writes it to
// build/worker/manifest.txt for the Workers entry.
//
//	go run ./server/internal/manifest DIR > manifest.txt
package main

import (
	"fmt"
	"os"

	"github.com/nnplay/nnplay/server"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: manifest DIR")
		os.Exit(2)
	}
	if err := server.WriteManifest(os.Stdout, os.DirFS(os.Args[1])); err != nil {
		fmt.Fprintln(os.Stderr, "manifest:", err)
		os.Exit(1)
	}
}
