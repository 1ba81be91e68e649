package server_test

import (
	"fmt"
	"net/http/httptest"
	"testing/fstest"

	"github.com/nnplay/nnplay/server"
)

func ExampleNew() {
	bundle := fstest.MapFS{
		"index.html":                     {Data: []byte("<!doctype html><title>nnplay</title>")},
		"assets/nnplay-ABCD1234.wasm":    {Data: []byte("\x00asm\x01\x00\x00\x00")},
		"assets/nnplay-ABCD1234.wasm.br": {Data: []byte("(brotli bytes)")},
	}
	h := server.New(bundle, server.Options{FrameAncestors: "'self' https://course.example.edu"})

	r := httptest.NewRequest("GET", "/assets/nnplay-ABCD1234.wasm", nil)
	r.Header.Set("Accept-Encoding", "gzip, deflate, br")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Encoding"))
	fmt.Println(w.Header().Get("Cache-Control"))

	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/?f=relu", nil))
	fmt.Println(w.Code, w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"))

	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/../etc/passwd", nil))
	fmt.Printf("%d %q\n", w.Code, w.Body.String())
	// Output:
	// 200 application/wasm br
	// public, max-age=31536000, immutable
	// 200 text/html; charset=utf-8 no-cache
	// 404 "Not Found\n"
}
