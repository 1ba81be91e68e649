package server

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestManifestRoundTrip(t *testing.T) {
	bundle := fakeBundle(t)
	var buf bytes.Buffer
	if err := WriteManifest(&buf, bundle); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), ".placeholder") || strings.Contains(buf.String(), ".git") {
		t.Fatalf("manifest lists dotfiles:\n%s", buf.String())
	}
	opened := 0
	mfs, err := ManifestFS(buf.String(), func(name string) (io.ReadCloser, error) {
		opened++
		b, err := fs.ReadFile(bundle, name)
		return io.NopCloser(bytes.NewReader(b)), err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The manifest file system lists the same files with the same sizes.
	var want []string
	_ = fs.WalkDir(bundle, ".", func(p string, d fs.DirEntry, err error) error {
		if strings.HasPrefix(d.Name(), ".") && p != "." {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			want = append(want, p)
		}
		return nil
	})
	if err := fstest.TestFS(mfs, want...); err != nil {
		t.Fatal(err)
	}
	// The handler over it answers exactly as over the bundle itself.
	direct, viaManifest := New(bundle, Options{}), New(mfs, Options{})
	opened = 0
	for _, target := range []string{"/", "/embed", "/assets/nnplay-QWERTY12.wasm", "/assets/app-5HJ2K3LM.js", "/nope", "/.placeholder"} {
		for _, ae := range []string{"", "gzip", "br, gzip"} {
			for _, method := range []string{"GET", "HEAD"} {
				a := do(t, direct, method, target, map[string]string{"Accept-Encoding": ae})
				b := do(t, viaManifest, method, target, map[string]string{"Accept-Encoding": ae})
				if a.Code != b.Code || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
					t.Errorf("%s %s (%s): direct %d/%d bytes, manifest %d/%d bytes", method, target, ae, a.Code, a.Body.Len(), b.Code, b.Body.Len())
				}
				for k := range a.Header() {
					if a.Header().Get(k) != b.Header().Get(k) {
						t.Errorf("%s %s (%s): %s %q vs %q", method, target, ae, k, a.Header().Get(k), b.Header().Get(k))
					}
				}
			}
		}
	}
	if opened == 0 {
		t.Errorf("the manifest handler never opened a file")
	}
	// 304 and HEAD do not fetch bodies.
	opened = 0
	etag := do(t, viaManifest, "HEAD", "/", nil).Header().Get("ETag")
	if w := do(t, viaManifest, "GET", "/", map[string]string{"If-None-Match": etag}); w.Code != 304 || opened != 0 {
		t.Errorf("304 via manifest: code %d, %d opens", w.Code, opened)
	}
}

type writerToBody struct {
	io.Reader
	used *bool
}

func (b writerToBody) Close() error { return nil }
func (b writerToBody) WriteTo(w io.Writer) (int64, error) {
	*b.used = true
	return io.Copy(w, b.Reader)
}

func TestManifestWriterTo(t *testing.T) {
	m := HashBytes([]byte("hi")) + " 2 index.html\n"
	used := false
	mfs, err := ManifestFS(m, func(string) (io.ReadCloser, error) {
		return writerToBody{strings.NewReader("hi"), &used}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	New(mfs, Options{}).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Body.String() != "hi" || !used {
		t.Errorf("body %q, WriteTo used: %v", w.Body.String(), used)
	}
}

func TestManifestOpenError(t *testing.T) {
	m := HashBytes([]byte("hi")) + " 2 index.html\n"
	mfs, _ := ManifestFS(m, func(string) (io.ReadCloser, error) { return nil, errors.New("internal: /secret/path") })
	w := httptest.NewRecorder()
	New(mfs, Options{}).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if strings.Contains(w.Body.String(), "secret") || w.Code != 500 || w.Body.String() != "Internal Server Error\n" {
		t.Errorf("open error: %d %q, want a generic 500", w.Code, w.Body.String())
	}
}

func TestManifestMalformed(t *testing.T) {
	h := HashBytes(nil)
	for _, m := range []string{
		"nonsense",
		h + " x index.html",
		h + " -1 index.html",
		"abc 1 index.html",
		h + " 1 ../x",
		h + " 1 /abs",
		h + " 1 a\n" + h + " 1 a",
		h + " 1 a\n" + h + " 1 a/b",
		h + " 1 a/b\n" + h + " 1 a",
	} {
		if _, err := ManifestFS(m, nil); err == nil {
			t.Errorf("ManifestFS(%q) accepted", m)
		}
	}
}
