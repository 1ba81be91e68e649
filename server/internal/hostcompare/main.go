// Command hostcompare checks that two hosts of the same bundle, the native
// server and the Cloudflare Worker (in workerd), answer alike: for a list of
// requests built from the bundle (every file under several Accept-Encodings,
// the routes, HEAD, conditional requests, bad methods and paths), the status,
// the body bytes and the headers that matter must be equal. It also checks the
// answers against the bundle on disk (the wasm is application/wasm, the brotli
// body is the .br file byte for byte). scripts/test-worker.sh runs it.
//
//	hostcompare -native http://127.0.0.1:P1 -worker http://127.0.0.1:P2 -dist build/worker/public
//
// It prints one line per check and "N passed, N failed".
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// compared are the headers that must be equal on both hosts. Date, Server and
// connection-level headers are not compared.
var compared = []string{
	"Content-Type", "Content-Length", "Content-Encoding", "Cache-Control", "ETag", "Vary",
	"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Allow", "X-Frame-Options",
}

type request struct {
	method, target string
	header         map[string]string
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

var client = &http.Client{
	Transport: &http.Transport{DisableCompression: true},
	Timeout:   30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

func fetch(base string, r request) (*answer, error) {
	req, err := http.NewRequest(r.method, base+"/", nil)
	if err != nil {
		return nil, err
	}
	// Send the target exactly as written (no cleaning or re-encoding).
	req.URL.Opaque = ""
	u, err := url.ParseRequestURI(r.target)
	if err != nil {
		return nil, err
	}
	req.URL.Path, req.URL.RawPath, req.URL.RawQuery = u.Path, u.RawPath, u.RawQuery
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if r.method == "POST" {
		req.Body = io.NopCloser(strings.NewReader("x=1"))
		req.ContentLength = 3
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return &answer{status: res.StatusCode, header: res.Header, body: body}, nil
}

func main() {
	native := flag.String("native", "", "base URL of the native server")
	worker := flag.String("worker", "", "base URL of the worker")
	dist := flag.String("dist", "", "the bundle both serve")
	edge := flag.Bool("edge", false, "the worker runs behind an emulation of Cloudflare's front end (wrangler dev),\n"+
		"which re-negotiates Content-Encoding itself: compare decoded bodies and every header but\n"+
		"Content-Encoding, Content-Length and ETag")
	flag.Parse()
	for _, b := range []string{*native, *worker} {
		u, err := url.Parse(b)
		if err != nil || u.Scheme != "http" || net.ParseIP(u.Hostname()) == nil || !net.ParseIP(u.Hostname()).IsLoopback() {
			fmt.Fprintln(os.Stderr, "hostcompare: -native and -worker must be http://127.0.0.1:PORT")
			os.Exit(2)
		}
	}
	passed, failed := 0, 0
	check := func(ok bool, format string, args ...any) {
		if ok {
			passed++
			fmt.Printf("ok   "+format+"\n", args...)
		} else {
			failed++
			fmt.Printf("FAIL "+format+"\n", args...)
		}
	}

	// The requests: every file of the bundle (not the siblings) under three
	// encodings, the routes, and what must be refused.
	var files []string
	distFS := os.DirFS(*dist)
	fs.WalkDir(distFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !strings.HasSuffix(p, ".br") && !strings.HasSuffix(p, ".gz") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	browser := "gzip, deflate, br, zstd"
	var reqs []request
	for _, target := range []string{"/", "/?fn=relu&x=1", "/embed", "/embed?fn=mse_loss"} {
		for _, ae := range []string{"", "gzip", browser} {
			reqs = append(reqs, request{"GET", target, map[string]string{"Accept-Encoding": ae}})
		}
	}
	for _, f := range files {
		for _, ae := range []string{"", "gzip", browser, "br;q=0, gzip;q=0.5"} {
			reqs = append(reqs, request{"GET", "/" + f, map[string]string{"Accept-Encoding": ae}})
		}
	}
	wasm := ""
	for _, f := range files {
		if strings.HasSuffix(f, ".wasm") {
			wasm = "/" + f
		}
	}
	for _, target := range []string{"/", "/embed", wasm} {
		reqs = append(reqs, request{"HEAD", target, map[string]string{"Accept-Encoding": browser}})
	}
	for _, m := range []string{"POST", "PUT", "DELETE", "OPTIONS"} {
		reqs = append(reqs, request{m, "/", nil})
	}
	for _, target := range []string{
		"/nope", "/assets/", "/assets", "/.placeholder", "/.built", "/index.html.br",
		"/%2e%2e/%2e%2e/etc/passwd", "/assets%2f..%2f..%2fetc%2fpasswd", "/..%5c..%5cetc%5cpasswd",
		"/index.html%00", "/" + strings.Repeat("a", 1500), "//index.html", "/embed/",
	} {
		reqs = append(reqs, request{"GET", target, nil})
	}

	answers := map[string]*answer{} // native answers by request, for the 304 round
	for _, r := range reqs {
		name := fmt.Sprintf("%s %s (Accept-Encoding %q)", r.method, r.target, r.header["Accept-Encoding"])
		a, errA := fetch(*native, r)
		b, errB := fetch(*worker, r)
		if errA != nil || errB != nil {
			check(false, "%s: native error %v, worker error %v", name, errA, errB)
			continue
		}
		answers[r.method+" "+r.target+" "+r.header["Accept-Encoding"]] = a
		same := a.status == b.status && bytes.Equal(a.body, b.body)
		if *edge {
			same = a.status == b.status && sameDecoded(a, b)
		}
		var diffs []string
		for _, h := range compared {
			if *edge && (h == "Content-Encoding" || h == "Content-Length" || h == "ETag") {
				continue
			}
			if a.header.Get(h) != b.header.Get(h) {
				diffs = append(diffs, fmt.Sprintf("%s native %q worker %q", h, a.header.Get(h), b.header.Get(h)))
			}
		}
		check(same && len(diffs) == 0, "%s: native %d (%d bytes), worker %d (%d bytes) %s", name, a.status, len(a.body), b.status, len(b.body), strings.Join(diffs, "; "))
	}

	// Conditional requests: each host's ETag revalidates on both.
	for _, target := range []string{"/", "/embed", wasm} {
		a := answers["GET "+target+" "+browser]
		if a == nil {
			continue
		}
		r := request{"GET", target, map[string]string{"Accept-Encoding": browser, "If-None-Match": a.header.Get("ETag")}}
		na, errA := fetch(*native, r)
		wa, errB := fetch(*worker, r)
		check(errA == nil && errB == nil && na.status == 304 && wa.status == 304 && len(wa.body) == 0 &&
			(*edge || na.header.Get("ETag") == wa.header.Get("ETag")) && wa.header.Get("Content-Security-Policy") != "",
			"GET %s If-None-Match %s: 304 on both hosts", target, a.header.Get("ETag"))
	}

	// Against the bundle on disk.
	if wasm != "" && !*edge {
		br, _ := os.ReadFile(filepath.Join(*dist, wasm[1:]+".br"))
		plain, _ := os.ReadFile(filepath.Join(*dist, wasm[1:]))
		w, err := fetch(*worker, request{"GET", wasm, map[string]string{"Accept-Encoding": browser}})
		check(err == nil && w.header.Get("Content-Type") == "application/wasm" && w.header.Get("Content-Encoding") == "br" && bytes.Equal(w.body, br),
			"worker: %s is application/wasm, brotli, the .br file byte for byte (%d bytes)", wasm, len(br))
		w, err = fetch(*worker, request{"GET", wasm, nil})
		check(err == nil && bytes.Equal(w.body, plain) && bytes.HasPrefix(w.body, []byte("\x00asm")),
			"worker: %s without Accept-Encoding is the wasm itself (%d bytes)", wasm, len(plain))
	}
	index, _ := os.ReadFile(filepath.Join(*dist, "index.html"))
	w, err := fetch(*worker, request{"GET", "/", nil})
	check(err == nil && w.status == 200 && bytes.Equal(w.body, index) && strings.HasPrefix(w.header.Get("Content-Type"), "text/html"),
		"worker: / is index.html")

	fmt.Printf("hostcompare: %d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

// sameDecoded compares bodies after undoing gzip; a brotli body (no decoder
// in the standard library) is only checked for being non-empty.
func sameDecoded(a, b *answer) bool {
	da, okA := decode(a)
	db, okB := decode(b)
	if !okA || !okB {
		return len(a.body) > 0 == (len(b.body) > 0)
	}
	return bytes.Equal(da, db)
}

func decode(x *answer) ([]byte, bool) {
	switch x.header.Get("Content-Encoding") {
	case "":
		return x.body, true
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(x.body))
		if err != nil {
			return nil, false
		}
		b, err := io.ReadAll(zr)
		return b, err == nil
	}
	return nil, false
}
