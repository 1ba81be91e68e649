package main

import (
	"bytes"
	"os"
	"testing"
)

// TestReadmeIsCurrent fails when README.md's function table no longer matches the registry
// (a function was added, renamed or given a parameter): run `go run ./scripts/docgen`.
func TestReadmeIsCurrent(t *testing.T) {
	doc, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Splice(doc, Table())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, want) {
		t.Fatal("README.md's function table is stale: run go run ./scripts/docgen (from the repository root)")
	}
}
