package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds this command once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "nnplay")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// fakeDist writes a small bundle with a large "wasm" (big enough that the
// server is still writing it when the signal comes) and returns its dir.
func fakeDist(t *testing.T, bigSize int) (dir string, big []byte) {
	t.Helper()
	dir = t.TempDir()
	big = make([]byte, bigSize)
	rand.Read(big)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "assets"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>nnplay</title>"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "embed.html"), []byte("<!doctype html><title>embed</title>"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "assets", "app-ABCDEFGH.wasm"), big, 0o644))
	must(os.WriteFile(filepath.Join(dir, ".secret"), []byte("no"), 0o644))
	return dir, big
}

type proc struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // its exit status, once done is closed
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func start(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	p := &proc{cmd: cmd, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("no URL line: %v; stderr:\n%s", err, p.stderr.String())
	}
	const prefix = "nnplay: serving on "
	if !strings.HasPrefix(line, prefix) || !strings.HasPrefix(line[len(prefix):], "http://127.0.0.1:") {
		cmd.Process.Kill()
		t.Fatalf("URL line %q", line)
	}
	p.url = strings.TrimSuffix(strings.TrimSpace(line[len(prefix):]), "/")
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
	})
	return p
}

func TestServeAndAccessLog(t *testing.T) {
	bin := buildBinary(t)
	dir, _ := fakeDist(t, 1000)
	p := start(t, bin, "-dir", dir, "-frame-ancestors", "'self' https://course.example.edu")
	res, err := http.Get(p.url + "/embed?fn=relu")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "embed") {
		t.Fatalf("GET /embed: %d %q", res.StatusCode, body)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors 'self' https://course.example.edu") {
		t.Errorf("CSP %q", csp)
	}
	res, err = http.Get(p.url + "/.secret")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("GET /.secret: %d", res.StatusCode)
	}
	p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("exit after SIGINT: %v", p.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit 10 s after SIGINT")
	}
	log := p.stderr.String()
	for _, want := range []string{`GET "/embed" 200 `, `GET "/.secret" 404 10 `, "nnplay: stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("stderr lacks %q:\n%s", want, log)
		}
	}
}

func TestFlags(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-frame-ancestors", "*; script-src *"}, &out, &errb); code != 2 {
		t.Errorf("bad -frame-ancestors: exit %d", code)
	}
	if code := run([]string{"-dir", "/nonexistent/dir"}, &out, &errb); code != 2 {
		t.Errorf("bad -dir: exit %d", code)
	}
	if code := run([]string{"extra"}, &out, &errb); code != 2 {
		t.Errorf("extra argument: exit %d", code)
	}
}

// TestSIGTERMDrains starts slow downloads of a large file, sends SIGTERM while
// they are in flight, and checks that every one of them completes intact, that
// new connections are refused, and that the process exits 0.
func TestSIGTERMDrains(t *testing.T) {
	bin := buildBinary(t)
	dir, big := fakeDist(t, 16<<20)
	want := sha256.Sum256(big)
	p := start(t, bin, "-dir", dir, "-access-log=false")

	const n = 20
	var started, wg sync.WaitGroup
	started.Add(n)
	wg.Add(n)
	errs := make(chan string, n)
	resume := make(chan struct{}) // readers stall after their first chunk until the checks are done
	client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxConnsPerHost: n}}
	for i := 0; i < n; i++ {
		go func() {
			defer wg.Done()
			res, err := client.Get(p.url + "/assets/app-ABCDEFGH.wasm")
			if err != nil {
				started.Done()
				errs <- err.Error()
				return
			}
			defer res.Body.Close()
			h := sha256.New()
			buf := make([]byte, 64<<10)
			first := true
			for {
				k, err := res.Body.Read(buf)
				h.Write(buf[:k])
				if first {
					started.Done()
					first = false
					<-resume
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					errs <- "read: " + err.Error()
					return
				}
				time.Sleep(time.Millisecond) // a slow reader keeps the server writing
			}
			if !bytes.Equal(h.Sum(nil), want[:]) {
				errs <- "body differs"
			}
		}()
	}
	started.Wait()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The listener closes: a new connection is refused while the downloads
	// are still stalled in flight (the server is blocked writing them).
	refused := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		res, err := (&http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}).Get(p.url + "/")
		if err != nil {
			refused = true
			break
		}
		res.Body.Close()
	}
	if !refused {
		t.Errorf("new requests still served 10 s after SIGTERM")
	}
	time.Sleep(100 * time.Millisecond)
	select {
	case <-p.done:
		t.Errorf("the process exited while downloads were in flight")
	default:
	}
	close(resume)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("in-flight request lost: %s", e)
	}
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("exit: %v", p.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit 10 s after the downloads finished")
	}
	if !strings.Contains(p.stderr.String(), "nnplay: stopped") {
		t.Errorf("stderr:\n%s", p.stderr.String())
	}
}
