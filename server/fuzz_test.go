package server

import (
	"io/fs"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzHandler throws request targets and headers at the handler over the fake
// bundle. It must never panic, never answer 5xx, and never return bytes that
// are not a bundle file (or one of its siblings) or a generic error body: in
// particular nothing from outside fs.Sub's root or from a dotfile.
func FuzzHandler(f *testing.F) {
	for _, seed := range []struct{ method, target, ae, inm string }{
		{"GET", "/", "", ""},
		{"GET", "/embed?fn=relu", "br, gzip", ""},
		{"HEAD", "/assets/nnplay-QWERTY12.wasm", "gzip;q=0.5, br;q=0", ""},
		{"GET", "/assets/app-5HJ2K3LM.js", "*;q=0", `"x", W/"y"`},
		{"GET", "/../secret.txt", "", "*"},
		{"GET", "/%2e%2e/secret.txt", "", ""},
		{"GET", "/assets%2f..%2f..%2fsecret.txt", "", ""},
		{"GET", "/..\\secret.txt", "", ""},
		{"GET", "/.placeholder", "", ""},
		{"GET", "//assets//.secret", "", ""},
		{"POST", "/", "", ""},
		{"GET", "/index.html%00", "br;q=0.9999", ""},
	} {
		f.Add(seed.method, seed.target, seed.ae, seed.inm)
	}
	bundle := fakeBundle(f)
	h := New(bundle, Options{})
	allowed := map[string]bool{"": true, "Not Found\n": true, "Method Not Allowed\n": true}
	_ = fs.WalkDir(bundle, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !strings.Contains(p, "/.") && !strings.HasPrefix(p, ".") {
			b, _ := fs.ReadFile(bundle, p)
			allowed[string(b)] = true
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, method, target, ae, inm string) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.Method = method
		r.URL = u
		r.RequestURI = target
		r.Header.Set("Accept-Encoding", ae)
		r.Header.Set("If-None-Match", inm)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %q: status %d", method, target, w.Code)
		}
		body := w.Body.String()
		if strings.Contains(body, secret) || !allowed[body] {
			t.Fatalf("%s %q: served %d bytes that are not a bundle file: %.40q", method, target, len(body), body)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" || w.Header().Get("Content-Security-Policy") == "" {
			t.Fatalf("%s %q: security headers missing", method, target)
		}
	})
}
