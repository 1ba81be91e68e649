// Command loadgen is nnplay's small HTTP load generator for scripts/loadtest.sh.
// It only talks to loopback addresses, and every run is bounded in time.
//
//	loadgen bench -url http://127.0.0.1:PORT -path / -path /assets/x.wasm -c 1,50,200 -d 5s
//
// runs, for each path and each concurrency in turn, that many keep-alive
// connections issuing GETs back to back for the duration, and prints one table
// row each: requests/s, p50/p99/max latency, errors, bytes per response.
//
//	loadgen drain -url ... -path /assets/x.wasm -c 50 -pid PID -after 1s -d 4s
//
// runs the same load, sends SIGTERM to PID after -after, and checks that every
// request that had reached the server completed intact (status 200, as many
// bytes as Content-Length). Requests refused because the listener had closed
// are counted apart; any other failure is a lost request and exit status 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type pathList []string

func (p *pathList) String() string     { return strings.Join(*p, ",") }
func (p *pathList) Set(s string) error { *p = append(*p, s); return nil }

func main() {
	if len(os.Args) < 2 || (os.Args[1] != "bench" && os.Args[1] != "drain") {
		fmt.Fprintln(os.Stderr, "usage: loadgen bench|drain -url URL -path P [-path P...] [flags]")
		os.Exit(2)
	}
	mode := os.Args[1]
	fl := flag.NewFlagSet("loadgen "+mode, flag.ExitOnError)
	base := fl.String("url", "", "server base URL, on a loopback address")
	var paths pathList
	fl.Var(&paths, "path", "request path (repeatable)")
	conc := fl.String("c", "1,50,200", "concurrent connections, comma-separated")
	dur := fl.Duration("d", 5*time.Second, "duration of each run")
	ae := fl.String("ae", "gzip, deflate, br, zstd", "Accept-Encoding to send (a browser's)")
	pid := fl.Int("pid", 0, "drain: process to send SIGTERM")
	after := fl.Duration("after", time.Second, "drain: when to send SIGTERM")
	fl.Parse(os.Args[2:])

	u, err := url.Parse(*base)
	if err != nil || u.Scheme != "http" || !isLoopback(u.Hostname()) {
		fmt.Fprintln(os.Stderr, "loadgen: -url must be http:// on a loopback address")
		os.Exit(2)
	}
	if len(paths) == 0 {
		paths = pathList{"/"}
	}
	var cs []int
	for _, f := range strings.Split(*conc, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 || c > 1000 {
			fmt.Fprintf(os.Stderr, "loadgen: bad -c %q\n", f)
			os.Exit(2)
		}
		cs = append(cs, c)
	}
	if *dur <= 0 || *dur > time.Minute {
		fmt.Fprintln(os.Stderr, "loadgen: -d must be in (0, 1m]")
		os.Exit(2)
	}

	switch mode {
	case "bench":
		fmt.Printf("%-34s %5s %9s %9s %9s %9s %7s %9s\n", "path", "conns", "req/s", "p50", "p99", "max", "errors", "bytes/rsp")
		for _, p := range paths {
			for _, c := range cs {
				r := run(*base+p, c, *dur, *ae, nil)
				fmt.Printf("%-34s %5d %9.0f %9s %9s %9s %7d %9d\n", short(p), c, r.rate(), ms(r.pct(50)), ms(r.pct(99)), ms(r.pct(100)), r.errors, r.bytesPer())
				for msg, n := range r.errSamples {
					fmt.Printf("    error x%d: %s\n", n, msg)
				}
			}
		}
	case "drain":
		if *pid <= 0 {
			fmt.Fprintln(os.Stderr, "loadgen drain: -pid is required")
			os.Exit(2)
		}
		term := func() {
			if err := syscall.Kill(*pid, syscall.SIGTERM); err != nil {
				fmt.Fprintln(os.Stderr, "loadgen: kill:", err)
			}
		}
		d := &drain{after: *after, term: term}
		r := run(*base+paths[0], cs[0], *dur, *ae, d)
		fmt.Printf("drain: %d requests completed (%.0f req/s); %d were in flight when SIGTERM was sent and %d of them completed; %d refused after the listener closed; %d lost\n",
			r.ok, r.rate(), d.inFlight.Load(), d.inFlightOK.Load(), d.refused.Load(), r.errors)
		for msg, n := range r.errSamples {
			fmt.Printf("    lost x%d: %s\n", n, msg)
		}
		if r.errors > 0 || d.inFlight.Load() == 0 {
			if d.inFlight.Load() == 0 {
				fmt.Println("drain: no request was in flight at SIGTERM; the check proved nothing")
			}
			os.Exit(1)
		}
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func short(p string) string {
	if len(p) > 34 {
		return "..." + p[len(p)-31:]
	}
	return p
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + "ms"
}

// drain is the SIGTERM part of a run.
type drain struct {
	after      time.Duration
	term       func()
	termAt     atomic.Int64 // unix nanos when SIGTERM was sent
	inFlight   atomic.Int64 // requests started before and finished after SIGTERM
	inFlightOK atomic.Int64
	refused    atomic.Int64
}

type result struct {
	lat        []time.Duration
	ok, errors int
	bytes      int64
	elapsed    time.Duration
	errSamples map[string]int
}

func (r *result) rate() float64 { return float64(r.ok) / r.elapsed.Seconds() }
func (r *result) bytesPer() int64 {
	if r.ok == 0 {
		return 0
	}
	return r.bytes / int64(r.ok)
}
func (r *result) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(float64(len(r.lat))*p/100+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(r.lat) {
		i = len(r.lat) - 1
	}
	return r.lat[i]
}

// run drives c connections against target for d and merges their results.
func run(target string, c int, d time.Duration, ae string, dr *drain) *result {
	tr := &http.Transport{
		MaxIdleConnsPerHost: c,
		MaxConnsPerHost:     c,
		DisableCompression:  true, // Accept-Encoding is sent as given, bodies are not decoded
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if dr != nil {
		go func() {
			select {
			case <-time.After(dr.after):
				dr.termAt.Store(time.Now().UnixNano())
				dr.term()
			case <-ctx.Done():
			}
		}()
	}
	results := make([]*result, c)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < c; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res := &result{errSamples: map[string]int{}}
			results[i] = res
			buf := make([]byte, 64<<10)
			for ctx.Err() == nil {
				t0 := time.Now()
				n, err := get(client, target, ae, buf)
				t1 := time.Now()
				if dr != nil {
					if at := dr.termAt.Load(); at != 0 && t0.UnixNano() < at && t1.UnixNano() > at {
						dr.inFlight.Add(1)
						if err == nil {
							dr.inFlightOK.Add(1)
						}
					}
					if err != nil && dr.termAt.Load() != 0 && isRefused(err) {
						dr.refused.Add(1)
						return // the server is gone; this connection is done
					}
				}
				if err != nil {
					res.errors++
					if len(res.errSamples) < 5 {
						res.errSamples[err.Error()]++
					}
					if ctx.Err() == nil && dr == nil {
						time.Sleep(10 * time.Millisecond)
					}
					continue
				}
				res.ok++
				res.bytes += n
				res.lat = append(res.lat, t1.Sub(t0))
			}
		}(i)
	}
	wg.Wait()
	all := &result{elapsed: time.Since(start), errSamples: map[string]int{}}
	for _, r := range results {
		all.lat = append(all.lat, r.lat...)
		all.ok += r.ok
		all.errors += r.errors
		all.bytes += r.bytes
		for k, v := range r.errSamples {
			all.errSamples[k] += v
		}
	}
	sort.Slice(all.lat, func(i, j int) bool { return all.lat[i] < all.lat[j] })
	return all
}

// get fetches target and checks the status and the length of the body.
// A request still running when the run's time is up is let finish: the
// run's context is not attached to it, so the drain check sees it complete.
func get(client *http.Client, target, ae string, buf []byte) (int64, error) {
	req, err := http.NewRequest("GET", target, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept-Encoding", ae)
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	var n int64
	for {
		k, err := res.Body.Read(buf)
		n += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, fmt.Errorf("body after %d bytes: %w", n, err)
		}
	}
	if res.StatusCode != http.StatusOK {
		return n, fmt.Errorf("status %d", res.StatusCode)
	}
	if res.ContentLength >= 0 && n != res.ContentLength {
		return n, fmt.Errorf("short body: %d of %d bytes", n, res.ContentLength)
	}
	return n, nil
}

// isRefused reports a failure to connect: the request never reached the server.
func isRefused(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}
