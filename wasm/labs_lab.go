//go:build lab

package main

// The labs' program (make build/nnplay-lab.wasm: go build -tags lab ./wasm): the function
// page's program plus the labs' packages, whose init functions register each lab (view.Lab)
// and its views. ?lab= pages load this wasm; the function page's wasm does not carry the labs.
import (
	_ "github.com/nnplay/nnplay/core/lab/depth"
)
