package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// The fake bundle: the shape web/build.mjs writes (index.html, embed.html,
// hashed assets with .br and .gz siblings), plus files that must never be
// served. The .br contents are stand-ins; only the handler's choice matters.
const (
	indexHTML = "<!doctype html><title>nnplay</title><script type=module src=/assets/app-5HJ2K3LM.js></script>"
	embedHTML = "<!doctype html><title>nnplay embed</title>"
	appJS     = "console.log('nnplay');\n"
	secret    = "SECRET-DO-NOT-SERVE"
)

var wasmBytes = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte{7}, 4096)...)

func gz(t testing.TB, s []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(s)
	zw.Close()
	return b.Bytes()
}

func fakeRoot(t testing.TB) fstest.MapFS {
	return fstest.MapFS{
		"secret.txt":                                    {Data: []byte(secret)},
		"dist/index.html":                               {Data: []byte(indexHTML)},
		"dist/index.html.br":                            {Data: []byte("BR:" + indexHTML)},
		"dist/index.html.gz":                            {Data: gz(t, []byte(indexHTML))},
		"dist/embed.html":                               {Data: []byte(embedHTML)},
		"dist/assets/app-5HJ2K3LM.js":                   {Data: []byte(appJS)},
		"dist/assets/app-5HJ2K3LM.js.br":                {Data: []byte("BR:" + appJS)},
		"dist/assets/app-5HJ2K3LM.js.gz":                {Data: gz(t, []byte(appJS))},
		"dist/assets/style-ABCDEFGH.css":                {Data: []byte("body{margin:0}")},
		"dist/assets/nnplay-QWERTY12.wasm":              {Data: wasmBytes},
		"dist/assets/nnplay-QWERTY12.wasm.br":           {Data: []byte("BR-WASM")},
		"dist/assets/nnplay-QWERTY12.wasm.gz":           {Data: gz(t, wasmBytes)},
		"dist/assets/KaTeX_Main-Regular-Z1X2C3V4.woff2": {Data: []byte("wOF2")},
		"dist/assets/logo-ZZZZ9999.svg":                 {Data: []byte("<svg/>")},
		"dist/assets/plot.png":                          {Data: []byte("\x89PNG")},
		"dist/assets/data.bin":                          {Data: []byte{1, 2, 3}},
		"dist/.placeholder":                             {Data: []byte(secret)},
		"dist/.built":                                   {Data: []byte(secret)},
		"dist/.git/config":                              {Data: []byte(secret)},
		"dist/assets/.secret":                           {Data: []byte(secret)},
		"dist/assets/.hidden/x.js":                      {Data: []byte(secret)},
		"dist/sub/dir/file.txt":                         {Data: []byte("plain text")},
	}
}

func fakeBundle(t testing.TB) fs.FS {
	sub, err := fs.Sub(fakeRoot(t), "dist")
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func do(t testing.TB, h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, "http://example.test/", nil)
	// Set the target by hand so paths httptest.NewRequest would reject or
	// clean still reach the handler as a raw request line would.
	u, err := url.ParseRequestURI(target)
	if err != nil {
		t.Fatalf("bad target %q: %v", target, err)
	}
	r.URL = u
	r.RequestURI = target
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

const wantCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors *"

func checkSecurity(t *testing.T, w *httptest.ResponseRecorder, csp string) {
	t.Helper()
	h := w.Result().Header
	if got := h.Get("Content-Security-Policy"); got != csp {
		t.Errorf("CSP = %q, want %q", got, csp)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", got)
	}
	if got := h.Get("Referrer-Policy"); got != "strict-origin-when-cross-origin" {
		t.Errorf("Referrer-Policy = %q", got)
	}
	if got := h.Get("X-Frame-Options"); got != "" {
		t.Errorf("X-Frame-Options = %q, want none (it blocks embedding)", got)
	}
}

func TestRoutesAndMIME(t *testing.T) {
	h := New(fakeBundle(t), Options{})
	// Expected types: the fixed table in server.go.
	tests := []struct {
		target, ctype, body string
	}{
		{"/", "text/html; charset=utf-8", indexHTML},
		{"/?fn=relu&beta=1", "text/html; charset=utf-8", indexHTML},
		{"/embed", "text/html; charset=utf-8", embedHTML},
		{"/embed?fn=mse_loss", "text/html; charset=utf-8", embedHTML},
		{"/index.html", "text/html; charset=utf-8", indexHTML},
		{"/index.html?../../secret.txt", "text/html; charset=utf-8", indexHTML},
		{"/assets/app-5HJ2K3LM.js", "text/javascript; charset=utf-8", appJS},
		{"/assets/style-ABCDEFGH.css", "text/css; charset=utf-8", "body{margin:0}"},
		{"/assets/nnplay-QWERTY12.wasm", "application/wasm", string(wasmBytes)},
		{"/assets/KaTeX_Main-Regular-Z1X2C3V4.woff2", "font/woff2", "wOF2"},
		{"/assets/logo-ZZZZ9999.svg", "image/svg+xml", "<svg/>"},
		{"/assets/plot.png", "image/png", "\x89PNG"},
		{"/assets/data.bin", "application/octet-stream", "\x01\x02\x03"},
		{"/sub/dir/file.txt", "text/plain; charset=utf-8", "plain text"},
	}
	for _, tt := range tests {
		w := do(t, h, "GET", tt.target, nil)
		if w.Code != 200 {
			t.Errorf("GET %s: status %d", tt.target, w.Code)
			continue
		}
		if got := w.Header().Get("Content-Type"); got != tt.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tt.target, got, tt.ctype)
		}
		if w.Body.String() != tt.body {
			t.Errorf("GET %s: body %q, want %q", tt.target, w.Body.String(), tt.body)
		}
		if got := w.Header().Get("Content-Length"); got != strconv.Itoa(len(tt.body)) {
			t.Errorf("GET %s: Content-Length %q, want %d", tt.target, got, len(tt.body))
		}
		if got := w.Header().Get("Content-Encoding"); got != "" {
			t.Errorf("GET %s without Accept-Encoding: Content-Encoding %q", tt.target, got)
		}
		checkSecurity(t, w, wantCSP)
	}
}

func TestCaching(t *testing.T) {
	h := New(fakeBundle(t), Options{})
	tests := []struct{ target, cache string }{
		{"/", "no-cache"},
		{"/embed", "no-cache"},
		{"/assets/app-5HJ2K3LM.js", "public, max-age=31536000, immutable"},
		{"/assets/nnplay-QWERTY12.wasm", "public, max-age=31536000, immutable"},
		{"/assets/KaTeX_Main-Regular-Z1X2C3V4.woff2", "public, max-age=31536000, immutable"},
		{"/assets/plot.png", "no-cache"}, // no hash in the name
		{"/sub/dir/file.txt", "no-cache"},
	}
	for _, tt := range tests {
		w := do(t, h, "GET", tt.target, nil)
		if got := w.Header().Get("Cache-Control"); got != tt.cache {
			t.Errorf("GET %s: Cache-Control %q, want %q", tt.target, got, tt.cache)
		}
		if et := w.Header().Get("ETag"); !strings.HasPrefix(et, `"`) || strings.HasPrefix(et, "W/") {
			t.Errorf("GET %s: ETag %q, want a strong tag", tt.target, et)
		}
	}
}

func TestETag(t *testing.T) {
	h := New(fakeBundle(t), Options{})
	w := do(t, h, "GET", "/", nil)
	etag := w.Header().Get("ETag")
	if want := ETag(HashBytes([]byte(indexHTML)), ""); etag != want {
		t.Fatalf("ETag %q, want %q (hash of the content)", etag, want)
	}
	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		w := do(t, h, "GET", "/?x=1", map[string]string{"If-None-Match": inm})
		if w.Code != http.StatusNotModified {
			t.Errorf("If-None-Match %s: status %d, want 304", inm, w.Code)
		}
		if w.Body.Len() != 0 {
			t.Errorf("304 with a body")
		}
		if w.Header().Get("ETag") != etag || w.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("304 lost ETag or Cache-Control: %v", w.Header())
		}
		checkSecurity(t, w, wantCSP)
	}
	w = do(t, h, "GET", "/", map[string]string{"If-None-Match": `"stale"`})
	if w.Code != 200 || w.Body.String() != indexHTML {
		t.Errorf("stale If-None-Match: status %d", w.Code)
	}
	// Each encoding has its own tag; the identity tag does not validate br.
	wbr := do(t, h, "GET", "/", map[string]string{"Accept-Encoding": "br"})
	if wbr.Header().Get("ETag") == etag {
		t.Errorf("br and identity share ETag %s", etag)
	}
	w = do(t, h, "GET", "/", map[string]string{"Accept-Encoding": "br", "If-None-Match": etag})
	if w.Code != 200 {
		t.Errorf("identity tag matched the br representation")
	}
	w = do(t, h, "GET", "/", map[string]string{"Accept-Encoding": "br", "If-None-Match": wbr.Header().Get("ETag")})
	if w.Code != 304 {
		t.Errorf("br tag did not match the br representation: %d", w.Code)
	}
	// The embed page has a different tag.
	if do(t, h, "GET", "/embed", nil).Header().Get("ETag") == etag {
		t.Errorf("index and embed share an ETag")
	}
}

func TestCompressionChoice(t *testing.T) {
	h := New(fakeBundle(t), Options{})
	tests := []struct {
		accept, want string // want: "" identity, "br", "gzip"
	}{
		{"", ""},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"br", "br"},
		{"gzip, deflate, br", "br"},
		{"gzip, deflate, br, zstd", "br"},
		{"br;q=0.5, gzip;q=0.8", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"br;q=0, gzip;q=0", ""},
		{"*", "br"},
		{"*;q=0.1, br;q=0", "gzip"},
		{"identity", ""},
		{"identity;q=1, gzip;q=0.5", ""},
		{"identity;q=0.5, gzip;q=0.5", "gzip"},
		{"identity;q=0, *;q=0", ""}, // nothing acceptable: identity anyway
		{"deflate", ""},
		{"BR", "br"},
		{"gzip;q=1.0", "gzip"},
		{"br;q=2", ""}, // invalid q: element ignored
		{"br;q=abc, gzip", "gzip"},
		{";;;,,,", ""},
	}
	for _, tt := range tests {
		for _, target := range []string{"/", "/assets/app-5HJ2K3LM.js", "/assets/nnplay-QWERTY12.wasm"} {
			w := do(t, h, "GET", target, map[string]string{"Accept-Encoding": tt.accept})
			if got := w.Header().Get("Content-Encoding"); got != tt.want {
				t.Errorf("%s with Accept-Encoding %q: Content-Encoding %q, want %q", target, tt.accept, got, tt.want)
			}
			if got := w.Header().Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("%s: Vary %q", target, got)
			}
			if got := w.Header().Get("Content-Length"); got != strconv.Itoa(w.Body.Len()) {
				t.Errorf("%s: Content-Length %s for a %d-byte body", target, got, w.Body.Len())
			}
		}
	}
	// The bytes are the sibling's.
	w := do(t, h, "GET", "/assets/nnplay-QWERTY12.wasm", map[string]string{"Accept-Encoding": "br"})
	if w.Body.String() != "BR-WASM" || w.Header().Get("Content-Type") != "application/wasm" {
		t.Errorf("br wasm: body %q, type %q", w.Body.String(), w.Header().Get("Content-Type"))
	}
	w = do(t, h, "GET", "/assets/nnplay-QWERTY12.wasm", map[string]string{"Accept-Encoding": "gzip"})
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !bytes.Equal(plain, wasmBytes) {
		t.Errorf("gzip wasm does not decompress to the wasm")
	}
	// Header values split at commas (as the Workers runtime delivers them).
	r := httptest.NewRequest("GET", "/", nil)
	r.Header["Accept-Encoding"] = []string{"gzip;q=0.5", " br;q=0.9"}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if got := rec.Header().Get("Content-Encoding"); got != "br" {
		t.Errorf("split Accept-Encoding: got %q, want br", got)
	}
	// No Vary for a file without siblings.
	if v := do(t, h, "GET", "/assets/plot.png", map[string]string{"Accept-Encoding": "br"}).Header().Get("Vary"); v != "" {
		t.Errorf("Vary %q on a file with no variants", v)
	}
}

func TestSiblingsNotAddressable(t *testing.T) {
	h := New(fakeBundle(t), Options{})
	for _, target := range []string{"/assets/app-5HJ2K3LM.js.br", "/assets/app-5HJ2K3LM.js.gz", "/index.html.gz"} {
		if w := do(t, h, "GET", target, nil); w.Code != 404 {
			t.Errorf("GET %s: %d, want 404", target, w.Code)
		}
	}
}

func TestHEAD(t *testing.T) {
	h := New(fakeBundle(t), Options{})
	for _, ae := range []string{"", "br", "gzip"} {
		get := do(t, h, "GET", "/assets/nnplay-QWERTY12.wasm", map[string]string{"Accept-Encoding": ae})
		head := do(t, h, "HEAD", "/assets/nnplay-QWERTY12.wasm", map[string]string{"Accept-Encoding": ae})
		if head.Code != 200 || head.Body.Len() != 0 {
			t.Errorf("HEAD: status %d, %d body bytes", head.Code, head.Body.Len())
		}
		for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding", "ETag", "Cache-Control", "Vary", "Content-Security-Policy"} {
			if head.Header().Get(k) != get.Header().Get(k) {
				t.Errorf("HEAD %s = %q, GET has %q", k, head.Header().Get(k), get.Header().Get(k))
			}
		}
	}
	if w := do(t, h, "HEAD", "/nope", nil); w.Code != 404 || w.Body.Len() != 0 {
		t.Errorf("HEAD /nope: %d with %d bytes", w.Code, w.Body.Len())
	}
}

func TestMethods(t *testing.T) {
	h := New(fakeBundle(t), Options{})
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "get"} {
		for _, target := range []string{"/", "/assets/app-5HJ2K3LM.js", "/nope"} {
			w := do(t, h, m, target, nil)
			if w.Code != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: %d, want 405", m, target, w.Code)
			}
			if got := w.Header().Get("Allow"); got != "GET, HEAD" {
				t.Errorf("%s %s: Allow %q", m, target, got)
			}
			checkSecurity(t, w, wantCSP)
		}
	}
}

func TestNotFoundAndTraversal(t *testing.T) {
	h := New(fakeBundle(t), Options{})
	targets := []string{
		"/nope", "/assets/", "/assets", "/sub", "/sub/", "/sub/dir/", "/embed/", "/embed.htm",
		"/index.html/", "//", "//index.html", "/assets//app-5HJ2K3LM.js", "/./index.html",
		"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
		"/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets%2fapp-5HJ2K3LM.js",
		"/assets%2Fapp-5HJ2K3LM.js", "/..\\secret.txt", "/assets\\app-5HJ2K3LM.js",
		"/%5c..%5csecret.txt", "/index.html%00", "/index.html%00.png", "/%00",
		"/.placeholder", "/.built", "/.git/config", "/assets/.secret", "/assets/.hidden/x.js",
		"/%2eplaceholder", "/assets/%2esecret", "/secret.txt", "/dist/index.html",
		"/" + strings.Repeat("a/", 2000) + "index.html", "/" + strings.Repeat("x", 100000),
		"*", "/ index.html", "/index.html ",
	}
	for _, target := range targets {
		w := do(t, h, "GET", target, nil)
		if w.Code != http.StatusNotFound {
			t.Errorf("GET %q: %d, want 404", target, w.Code)
			continue
		}
		if w.Body.String() != "Not Found\n" {
			t.Errorf("GET %q: 404 body %q, want the generic one", target, w.Body.String())
		}
		if w.Header().Get("Content-Type") != "text/plain; charset=utf-8" || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("GET %q: 404 headers %v", target, w.Header())
		}
		if strings.Contains(w.Body.String(), secret) {
			t.Errorf("GET %q leaked the secret", target)
		}
		checkSecurity(t, w, wantCSP)
	}
	// The Go http.Request parser refuses a NUL or a space outright; check the
	// decoded forms at the handler too.
	for _, p := range []string{"/index.html\x00", "/..", "/a/../index.html", "/index.html\\"} {
		r := httptest.NewRequest("GET", "/", nil)
		r.URL.Path = p
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 404 {
			t.Errorf("decoded path %q: %d", p, w.Code)
		}
	}
}

func TestFrameAncestors(t *testing.T) {
	fa := "'self' https://course.example.edu"
	h := New(fakeBundle(t), Options{FrameAncestors: fa})
	want := strings.Replace(wantCSP, "frame-ancestors *", "frame-ancestors "+fa, 1)
	checkSecurity(t, do(t, h, "GET", "/embed", nil), want)
	checkSecurity(t, do(t, h, "GET", "/nope", nil), want)
	for _, bad := range []string{"*; script-src *", "a\r\nSet-Cookie: x", "a,b", " ", "\x00", "é"} {
		if ValidateFrameAncestors(bad) == nil {
			t.Errorf("ValidateFrameAncestors(%q) accepted", bad)
		}
	}
	for _, good := range []string{"", "*", "'none'", "'self'", fa, "https://*.example.org"} {
		if err := ValidateFrameAncestors(good); err != nil {
			t.Errorf("ValidateFrameAncestors(%q): %v", good, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Errorf("New with an invalid frame-ancestors did not panic")
		}
	}()
	New(fakeBundle(t), Options{FrameAncestors: "x; y"})
}

func TestEmptyBundle(t *testing.T) {
	// A fresh clone: only the placeholder.
	h := New(fstest.MapFS{".placeholder": {Data: []byte("x")}}, Options{})
	for _, target := range []string{"/", "/embed", "/.placeholder"} {
		if w := do(t, h, "GET", target, nil); w.Code != 404 {
			t.Errorf("empty bundle GET %s: %d", target, w.Code)
		}
	}
}

func TestIsHashedAsset(t *testing.T) {
	yes := []string{"assets/app-5HJ2K3LM.js", "assets/katex.min-ABCDEFGH.css", "assets/KaTeX_Main-Regular-Z1X2C3V4.woff2", "assets/nnplay-abcdefgh12.wasm", "assets/x/y-ABCDEFGH.png"}
	no := []string{"index.html", "assets/app.js", "assets/app-short.js", "app-5HJ2K3LM.js", "assets/app-5HJ2K3LM", "assets/-5HJ2K3LM.js", "assets/app-5HJ2K3L!.js"}
	for _, n := range yes {
		if !IsHashedAsset(n) {
			t.Errorf("IsHashedAsset(%q) = false", n)
		}
	}
	for _, n := range no {
		if IsHashedAsset(n) {
			t.Errorf("IsHashedAsset(%q) = true", n)
		}
	}
}

func TestFiles(t *testing.T) {
	got := strings.Join(Files(fakeBundle(t)), " ")
	want := "assets/KaTeX_Main-Regular-Z1X2C3V4.woff2 assets/app-5HJ2K3LM.js assets/data.bin assets/logo-ZZZZ9999.svg assets/nnplay-QWERTY12.wasm assets/plot.png assets/style-ABCDEFGH.css embed.html index.html sub/dir/file.txt"
	if got != want {
		t.Errorf("Files:\n got %s\nwant %s", got, want)
	}
}

// BenchmarkServe measures the handler alone (no network) for the page and for
// the brotli wasm, as a browser asks for them.
func BenchmarkServe(b *testing.B) {
	h := New(fakeBundle(b), Options{})
	for name, target := range map[string]string{"page": "/", "wasm": "/assets/nnplay-QWERTY12.wasm"} {
		b.Run(name, func(b *testing.B) {
			r := httptest.NewRequest("GET", target, nil)
			r.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatal(w.Code)
				}
			}
		})
	}
}
