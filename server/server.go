// Package server serves the built nnplay bundle (package web) over HTTP.
//
// New returns one http.Handler that the native binary (server/cmd/nnplay) and
// the Cloudflare Workers entry (server/worker) both use, so the two hosts give
// the same bytes and the same headers:
//
//   - "/" serves index.html and "/embed" serves embed.html (query strings are
//     ignored by the server and read by the page); every other regular file of
//     the bundle is served at its own path, for example /assets/app-5HJ2K3LM.js.
//   - Content-Type comes from a fixed table (see contentTypes), not from the
//     operating system's mime.types, so it is the same on every host:
//     application/wasm for .wasm, so WebAssembly.instantiateStreaming works.
//   - A file with a precompressed sibling (<file>.br, <file>.gz) is served
//     brotli- or gzip-encoded when the request's Accept-Encoding accepts it
//     (q-values honoured, q=0 refuses), with Vary: Accept-Encoding. The
//     siblings themselves are not addressable.
//   - Content-hashed assets (assets/<name>-<hash>.<ext>) are cached
//     "public, max-age=31536000, immutable"; everything else, the HTML pages
//     first, is "no-cache" and revalidated with a strong ETag, derived from
//     the SHA-256 of the file's content (one tag per encoding). A matching
//     If-None-Match gets 304 Not Modified.
//   - GET and HEAD only: any other method gets 405 with "Allow: GET, HEAD".
//   - Every response, errors included, carries the security headers: a
//     Content-Security-Policy that allows what the page needs and nothing more
//     (see Options.FrameAncestors), X-Content-Type-Options: nosniff and
//     Referrer-Policy: strict-origin-when-cross-origin. There is deliberately
//     no X-Frame-Options: it would stop course pages from embedding the widget.
//
// Security caveats, in the manner of net/http's FileServer:
//
//   - New reads the list of files once, when it is called, by walking fsys.
//     A request is answered only by looking its path up in that list; no
//     request-derived name is ever passed to fsys.Open. So paths with "..",
//     encoded separators (%2f, %5c), backslashes, NUL or other control
//     characters, empty elements ("//"), trailing slashes, or more than
//     MaxPathLen bytes all get 404, and nothing outside fsys can be reached.
//     Files and directories whose name starts with "." are never listed, so
//     they are never served. Directories are never listed.
//   - If fsys is a directory on disk (os.DirFS), symbolic links inside it are
//     followed when the file is read, as os.DirFS does: do not point it at a
//     tree that untrusted users can write to. The embedded bundle has none.
//   - Files are read at most once and then served from memory (unless fsys
//     implements ContentHasher, as the Workers file system does), so changes
//     on disk after the first request for a file are not seen, and memory use
//     is the size of the bundle with its compressed siblings.
//   - Error responses are short and generic ("Not Found"); no internal error
//     text, file name or stack ever reaches a client. Responses that net/http
//     writes before any handler runs (400 for a malformed request line, 431
//     for oversized headers) do not come from here and carry none of the
//     headers above.
//   - The handler does not limit request rates or connections; the native
//     binary sets timeouts against slow clients, and a public deployment
//     should sit behind whatever rate limiting its host offers.
package server

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// MaxPathLen is the longest request path, in bytes, that the handler looks up;
// a longer one gets 404 at once.
const MaxPathLen = 1024

// DefaultFrameAncestors is the CSP frame-ancestors source list used when
// Options.FrameAncestors is empty: any page may frame the playground.
const DefaultFrameAncestors = "*"

// Options configures the handler. The zero value is ready to use.
type Options struct {
	// FrameAncestors is the source list of the CSP frame-ancestors
	// directive: which pages may show the playground in an iframe.
	// Empty means DefaultFrameAncestors ("*", any page, so that course
	// pages can embed it). Examples: "'self'", "'self' https://course.example.edu",
	// "'none'". It must pass ValidateFrameAncestors.
	FrameAncestors string
}

// ContentHasher is implemented by file systems that know the SHA-256 of their
// files without reading them (the Workers file system, built from a
// manifest). When fsys implements it, the handler takes ETags from it and
// streams file bodies from fsys on every request instead of caching them.
type ContentHasher interface {
	// ContentHash returns the lowercase hex SHA-256 of the named file.
	ContentHash(name string) (string, error)
}

// ValidateFrameAncestors reports whether s can be used as the source list of a
// CSP frame-ancestors directive: printable ASCII without ';' or ',' (which
// would end the directive or the policy), or empty for the default.
func ValidateFrameAncestors(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == ';' || c == ',' {
			return errors.New("frame-ancestors: only printable ASCII without ';' or ',' is allowed")
		}
	}
	if len(s) > 0 && strings.TrimSpace(s) == "" {
		return errors.New("frame-ancestors: blank source list")
	}
	return nil
}

// ContentSecurityPolicy returns the Content-Security-Policy header value the
// handler sends with the given frame-ancestors source list ("" for the default).
func ContentSecurityPolicy(frameAncestors string) string {
	if frameAncestors == "" {
		frameAncestors = DefaultFrameAncestors
	}
	return "default-src 'self'; " +
		// 'wasm-unsafe-eval' lets the page compile the Go program with
		// WebAssembly.instantiateStreaming; no inline or eval'd JavaScript.
		"script-src 'self' 'wasm-unsafe-eval'; " +
		// KaTeX (formula layout) and uPlot (plot geometry) set style
		// attributes on the elements they create, which CSP counts as
		// inline styles; style sheets themselves come only from 'self'.
		"style-src 'self' 'unsafe-inline'; " +
		// data: for KaTeX's inline SVG pieces, blob: for PNG export of plots.
		"img-src 'self' data: blob:; " +
		"font-src 'self'; " +
		"connect-src 'self'; " +
		"base-uri 'none'; " +
		"form-action 'none'; " +
		"object-src 'none'; " +
		"frame-ancestors " + frameAncestors
}

// SecurityHeaders returns the headers sent with every response, for the given
// options. Static hosts (docs/hosting.md) should send the same.
func SecurityHeaders(opts Options) http.Header {
	h := http.Header{}
	h.Set("Content-Security-Policy", ContentSecurityPolicy(opts.FrameAncestors))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	return h
}

// Cache-Control values.
const (
	CacheImmutable   = "public, max-age=31536000, immutable"
	CacheRevalidate  = "no-cache"
	cacheErrorResult = "no-store"
)

// file is one servable file of the bundle with its encoded representations.
type file struct {
	name        string // path in fsys, e.g. "assets/app-5HJ2K3LM.js"
	contentType string
	cache       string
	reps        []*rep // reps[0] is the identity encoding

	hashOnce sync.Once
	hash     string // hex SHA-256 of the identity content
	hashErr  error
}

// rep is one encoding of a file: the identity, or a precompressed sibling.
type rep struct {
	coding string // "" (identity), "br" or "gzip"
	name   string // path in fsys of the bytes
	size   int64  // from the directory listing, or len(data) once read

	dataOnce sync.Once
	data     []byte
	dataErr  error
}

type handler struct {
	fsys     fs.FS
	hasher   ContentHasher // nil: read and cache the bytes
	files    map[string]*file
	security http.Header
}

// New returns a handler serving the bundle in fsys. It lists fsys once (see
// the package comment) and panics if opts.FrameAncestors is invalid; check
// flags with ValidateFrameAncestors first.
func New(fsys fs.FS, opts Options) http.Handler {
	if err := ValidateFrameAncestors(opts.FrameAncestors); err != nil {
		panic("server.New: " + err.Error())
	}
	h := &handler{
		fsys:     fsys,
		files:    listBundle(fsys),
		security: SecurityHeaders(opts),
	}
	h.hasher, _ = fsys.(ContentHasher)
	return h
}

// encodings lists the precompressed siblings the handler looks for, in order
// of preference when the client accepts several equally.
var encodings = []struct{ coding, suffix string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// listBundle walks fsys and returns its servable files by path.
func listBundle(fsys fs.FS) map[string]*file {
	sizes := map[string]int64{}
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// An unreadable directory is skipped; the rest is still served.
			if d != nil && d.IsDir() && p != "." {
				return fs.SkipDir
			}
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		sizes[p] = info.Size()
		return nil
	})
	files := map[string]*file{}
	isSibling := map[string]bool{}
	for p := range sizes {
		for _, e := range encodings {
			if base, ok := strings.CutSuffix(p, e.suffix); ok {
				if _, exists := sizes[base]; exists {
					isSibling[p] = true
				}
			}
		}
	}
	for p, size := range sizes {
		if isSibling[p] || !validName(p) {
			continue
		}
		f := &file{
			name:        p,
			contentType: ContentType(p),
			cache:       CacheControl(p),
			reps:        []*rep{{name: p, size: size}},
		}
		for _, e := range encodings {
			if s, ok := sizes[p+e.suffix]; ok {
				f.reps = append(f.reps, &rep{coding: e.coding, name: p + e.suffix, size: s})
			}
		}
		files[p] = f
	}
	return files
}

// validName reports whether a bundle path can be served: no control
// characters, backslashes or spaces that a URL could not carry plainly.
func validName(p string) bool {
	if len(p) > MaxPathLen || !fs.ValidPath(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= 0x20 || c == 0x7f || c == '\\' || c == '%' {
			return false
		}
	}
	return true
}

// lookup maps a request to a bundle file, or nil.
func (h *handler) lookup(r *http.Request) *file {
	p := r.URL.Path
	if len(p) > MaxPathLen || !strings.HasPrefix(p, "/") {
		return nil
	}
	// Encoded separators or NUL in the raw path: refuse rather than guess.
	if raw := r.URL.RawPath; raw != "" {
		lower := strings.ToLower(raw)
		if strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") || strings.Contains(lower, "%00") {
			return nil
		}
	}
	switch p {
	case "/", "/embed":
		page := "index.html"
		if p == "/embed" {
			page = "embed.html"
		}
		// a ?lab= page preloads the labs' wasm (web/build.mjs writes lab.html, embed-lab.html)
		if r.URL.Query().Has("lab") {
			if f := h.files[labPages[page]]; f != nil {
				return f
			}
		}
		return h.files[page]
	}
	name := p[1:]
	if !validName(name) {
		return nil
	}
	for _, elem := range strings.Split(name, "/") {
		if strings.HasPrefix(elem, ".") {
			return nil
		}
	}
	return h.files[name]
}

// labPages names the lab variant of each page.
var labPages = map[string]string{"index.html": "lab.html", "embed.html": "embed-lab.html"}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	for k, v := range h.security {
		hdr[k] = v
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		writeError(w, r, http.StatusMethodNotAllowed)
		return
	}
	f := h.lookup(r)
	if f == nil {
		writeError(w, r, http.StatusNotFound)
		return
	}
	rp := f.choose(r.Header.Values("Accept-Encoding"))
	hash, err := h.contentHash(f)
	if err != nil {
		writeError(w, r, http.StatusInternalServerError)
		return
	}
	etag := ETag(hash, rp.coding)
	if len(f.reps) > 1 {
		hdr.Set("Vary", "Accept-Encoding")
	}
	hdr.Set("Cache-Control", f.cache)
	hdr.Set("ETag", etag)
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 && etagMatch(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	var data []byte
	var src fs.File
	size := rp.size
	if h.hasher == nil {
		data, err = h.read(rp)
		if err != nil {
			writeError(w, r, http.StatusInternalServerError)
			return
		}
		size = int64(len(data))
	} else if r.Method != http.MethodHead {
		// Streamed from fsys (Workers): open before the headers go out, so
		// a failure is a clean error rather than a truncated 200.
		src, err = h.fsys.Open(rp.name)
		if err != nil {
			writeError(w, r, http.StatusInternalServerError)
			return
		}
		defer src.Close()
	}
	hdr.Set("Content-Type", f.contentType)
	if rp.coding != "" {
		hdr.Set("Content-Encoding", rp.coding)
	}
	hdr.Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	switch {
	case r.Method == http.MethodHead:
	case src == nil:
		_, _ = w.Write(data)
	default:
		// w is passed unwrapped: on Workers the file hands its body
		// stream straight to the runtime when it recognises w.
		_, _ = io.Copy(w, src)
	}
}

// read returns the bytes of rp, reading them once.
func (h *handler) read(rp *rep) ([]byte, error) {
	rp.dataOnce.Do(func() {
		rp.data, rp.dataErr = fs.ReadFile(h.fsys, rp.name)
	})
	return rp.data, rp.dataErr
}

// contentHash returns the hex SHA-256 of f's identity content.
func (h *handler) contentHash(f *file) (string, error) {
	f.hashOnce.Do(func() {
		if h.hasher != nil {
			f.hash, f.hashErr = h.hasher.ContentHash(f.name)
			return
		}
		data, err := h.read(f.reps[0])
		if err != nil {
			f.hashErr = err
			return
		}
		f.hash = HashBytes(data)
	})
	return f.hash, f.hashErr
}

// HashBytes returns the lowercase hex SHA-256 of b, the form ContentHasher uses.
func HashBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ETag returns the strong entity tag of a file whose identity content has the
// hex SHA-256 hash, served with the content coding ("" for identity). Each
// encoding gets its own tag, as RFC 9110 requires of strong validators.
func ETag(hash, coding string) string {
	if len(hash) > 32 {
		hash = hash[:32]
	}
	switch coding {
	case "":
		return `"` + hash + `"`
	case "gzip":
		return `"` + hash + `-gz"`
	default:
		return `"` + hash + "-" + coding + `"`
	}
}

// etagMatch implements the weak comparison that If-None-Match uses (RFC 9110
// 13.1.2) against one strong tag. Header lines may be split at commas (the
// Workers runtime does), so all values are joined first.
func etagMatch(values []string, etag string) bool {
	list := strings.Join(values, ",")
	if strings.TrimSpace(list) == "*" {
		return true
	}
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		t = strings.TrimPrefix(t, "W/")
		if t == etag {
			return true
		}
	}
	return false
}

// choose picks the representation of f for the Accept-Encoding values.
func (f *file) choose(acceptEncoding []string) *rep {
	if len(f.reps) == 1 {
		return f.reps[0]
	}
	prefs := ParseAcceptEncoding(acceptEncoding)
	best, bestQ := f.reps[0], prefs.Quality("identity")
	for _, rp := range f.reps[1:] {
		q := prefs.Quality(rp.coding)
		if q <= 0 {
			continue
		}
		// Ties go to the compressed, smaller representation; between
		// br and gzip to the first listed in encodings.
		if q > bestQ || q == bestQ && best.coding == "" {
			best, bestQ = rp, q
		}
	}
	// If nothing is acceptable, not even the identity, send the identity
	// anyway (RFC 9110 12.5.3 allows it) rather than 406.
	return best
}

// AcceptEncoding holds the parsed codings and their q-values (0 to 1000,
// thousandths) of an Accept-Encoding header.
type AcceptEncoding struct {
	q    map[string]int // lower-case coding -> q*1000
	star int            // q of "*", or -1 if absent
}

// ParseAcceptEncoding parses Accept-Encoding header values. Malformed
// elements are ignored.
func ParseAcceptEncoding(values []string) AcceptEncoding {
	ae := AcceptEncoding{q: map[string]int{}, star: -1}
	for _, v := range values {
		for _, elem := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(elem, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding == "" || !isToken(coding) {
				continue
			}
			q := 1000
			for _, param := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(param, "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
					continue
				}
				if q, ok = parseQ(strings.TrimSpace(val)); !ok {
					q = -1
				}
			}
			if q < 0 {
				continue
			}
			if coding == "x-gzip" {
				coding = "gzip"
			}
			if coding == "*" {
				ae.star = q
				continue
			}
			if old, seen := ae.q[coding]; !seen || q > old {
				ae.q[coding] = q
			}
		}
	}
	return ae
}

// Quality returns the q-value (thousandths) the header gives coding.
func (ae AcceptEncoding) Quality(coding string) int {
	if q, ok := ae.q[coding]; ok {
		return q
	}
	if ae.star >= 0 {
		return ae.star
	}
	if coding == "identity" {
		return 1 // acceptable unless refused, but below anything named
	}
	return 0
}

// parseQ parses a qvalue ("0", "0.5", "1.000") into thousandths.
func parseQ(s string) (int, bool) {
	if s == "" || len(s) > 5 {
		return 0, false
	}
	if s[0] != '0' && s[0] != '1' {
		return 0, false
	}
	whole := int(s[0] - '0')
	if len(s) == 1 {
		return whole * 1000, true
	}
	if s[1] != '.' {
		return 0, false
	}
	frac, scale := 0, 100
	for _, c := range s[2:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		frac += int(c-'0') * scale
		scale /= 10
	}
	q := whole*1000 + frac
	if q > 1000 {
		return 0, false
	}
	return q, true
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// writeError writes a short, generic error response.
func writeError(w http.ResponseWriter, r *http.Request, code int) {
	body := http.StatusText(code) + "\n"
	hdr := w.Header()
	hdr.Del("ETag")
	hdr.Del("Vary")
	hdr.Del("Content-Encoding")
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("Cache-Control", cacheErrorResult)
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = io.WriteString(w, body)
	}
}

// contentTypes maps file extensions to Content-Type values. It is fixed here,
// rather than read from the system, so every host sends the same types.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".wasm":        "application/wasm",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "application/xml",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".eot":         "application/vnd.ms-fontobject",
}

// ContentType returns the Content-Type the handler sends for a bundle path:
// from the table above by extension, application/octet-stream otherwise
// (which nosniff keeps from being guessed at).
func ContentType(name string) string {
	if ct, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return ct
	}
	return "application/octet-stream"
}

// CacheControl returns the Cache-Control the handler sends for a bundle path:
// CacheImmutable for content-hashed assets, CacheRevalidate for the rest.
func CacheControl(name string) string {
	if IsHashedAsset(name) {
		return CacheImmutable
	}
	return CacheRevalidate
}

// IsHashedAsset reports whether name is a content-hashed asset,
// assets/<name>-<hash>.<ext> where the hash is at least 8 letters, digits or
// '_' (esbuild's [hash] is 8 base-32 characters). Such a name changes whenever
// its content does, so it can be cached for a year.
func IsHashedAsset(name string) bool {
	if !strings.HasPrefix(name, "assets/") {
		return false
	}
	base := path.Base(name)
	dot := strings.LastIndexByte(base, '.')
	if dot <= 0 {
		return false
	}
	stem := base[:dot]
	dash := strings.LastIndexByte(stem, '-')
	if dash <= 0 {
		return false
	}
	hash := stem[dash+1:]
	if len(hash) < 8 {
		return false
	}
	for i := 0; i < len(hash); i++ {
		c := hash[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Files returns the paths the handler serves, sorted (for tools and tests).
func Files(fsys fs.FS) []string {
	var names []string
	for p := range listBundle(fsys) {
		names = append(names, p)
	}
	sort.Strings(names)
	return names
}
