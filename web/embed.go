// Package web exposes the built front-end bundle (web/dist) to Go programs.
//
// The bundle is written by `node web/build.mjs` (make web) and embedded at
// compile time. On a fresh clone only web/dist/.placeholder exists: the package
// still compiles, and Dist returns a file system with no servable files, so
// `go vet ./...` and `go test ./...` work before the front end is built.
package web

import (
	"embed"
	"io/fs"
)

// dist holds web/dist. The all: prefix keeps the placeholder (a dotfile), so the
// pattern matches on a fresh clone; the server never serves dotfiles.
//
//go:embed all:dist
var dist embed.FS

// Dist returns the bundle rooted at web/dist: index.html, embed.html,
// assets/<name>-<hash>.<ext> and their .br and .gz siblings.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub only fails for an invalid path, and "dist" is valid.
		panic(err)
	}
	return sub
}

// Built reports whether the embedded bundle holds a built page (index.html),
// as opposed to only the placeholder of a fresh clone.
func Built() bool {
	_, err := fs.Stat(Dist(), "index.html")
	return err == nil
}
