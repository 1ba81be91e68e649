// Command nnplay serves the nnplay playground: the bundle embedded from
// web/dist (make web) through the handler of package server.
//
// Usage:
//
//	nnplay [-addr 127.0.0.1:8080] [-frame-ancestors '*'] [-access-log=true] [-dir path]
//
// It prints the URL it serves on, logs one line per request to stderr
// (method, path, status, bytes, duration) unless -access-log=false, and on
// SIGINT or SIGTERM stops accepting connections and lets the requests in
// flight finish (up to -shutdown-timeout) before it exits.
//
// Timeouts against slow or idle clients: 5 s to send the request headers,
// 30 s for the whole request, 2 min to write a response (the wasm at
// classroom Wi-Fi speeds), 2 min for an idle keep-alive connection.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/nnplay/nnplay/server"
	"github.com/nnplay/nnplay/web"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("nnplay", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "`host:port` to listen on (port 0 picks a free one)")
	frameAncestors := fl.String("frame-ancestors", server.DefaultFrameAncestors,
		"CSP frame-ancestors `sources`: which pages may embed the playground in an iframe\n(for example \"'self' https://course.example.edu\"; \"'none'\" forbids framing)")
	accessLog := fl.Bool("access-log", true, "log one line per request to stderr")
	dir := fl.String("dir", "", "serve the bundle from this `directory` instead of the embedded one (for development)")
	shutdownTimeout := fl.Duration("shutdown-timeout", 30*time.Second, "how long to let in-flight requests finish on SIGINT/SIGTERM")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "nnplay: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	if err := server.ValidateFrameAncestors(*frameAncestors); err != nil {
		fmt.Fprintf(stderr, "nnplay: -%v\n", err)
		return 2
	}

	var bundle fs.FS = web.Dist()
	if *dir != "" {
		if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "nnplay: -dir %s: not a directory\n", *dir)
			return 2
		}
		bundle = os.DirFS(*dir)
	}
	if _, err := fs.Stat(bundle, "index.html"); err != nil {
		fmt.Fprintln(stderr, "nnplay: warning: the bundle has no index.html (run `make web`); every page will be 404")
	}

	var h http.Handler = server.New(bundle, server.Options{FrameAncestors: *frameAncestors})
	if *accessLog {
		h = logRequests(h, log.New(stderr, "", log.LstdFlags|log.Lmicroseconds))
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "nnplay: %v\n", err)
		return 1
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(stderr, "nnplay: http: ", log.LstdFlags),
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "nnplay: serving on %s\n", serveURL(ln.Addr()))

	select {
	case err := <-served:
		fmt.Fprintf(stderr, "nnplay: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	stop() // a second signal kills the process the default way
	fmt.Fprintln(stderr, "nnplay: shutting down; letting requests in flight finish")
	sctx, cancel := context.WithTimeout(context.Background(), *shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "nnplay: shutdown: %v\n", err)
		return 1
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "nnplay: %v\n", err)
		return 1
	}
	fmt.Fprintln(stderr, "nnplay: stopped")
	return 0
}

// serveURL is the URL a browser can open for the listener address.
func serveURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String() + "/"
	}
	host := "127.0.0.1"
	if !tcp.IP.IsUnspecified() {
		host = tcp.IP.String()
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port)) + "/"
}

// logRequests logs one line per request: method, path, status, bytes, duration.
func logRequests(next http.Handler, l *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		// %q keeps control characters in hostile paths out of the log.
		l.Printf("%s %q %d %d %s", safe(r.Method), r.URL.Path, rec.status, rec.bytes, time.Since(start).Round(time.Microsecond))
	})
}

func safe(s string) string {
	q := strconv.Quote(s)
	if q[1:len(q)-1] == s {
		return s
	}
	return q
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}
