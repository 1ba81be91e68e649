//go:build js && wasm

// Command worker serves nnplay on Cloudflare Workers: the handler of package
// server, through github.com/syumai/workers, over the bundle uploaded as
// Workers static assets.
//
// The bundle's bytes are not in this program (the app's wasm alone is larger
// than a free Worker script may be). entry.mjs, the worker's JavaScript entry,
// sets globalThis.nnplayManifest to build/worker/manifest.txt (the files,
// sizes and SHA-256 hashes, from server.WriteManifest) and the handler reads
// bodies through the ASSETS binding when it sends them; the headers, the
// encoding choice, ETags and 304s are decided here, exactly as natively.
//
// Configuration: the FRAME_ANCESTORS variable (wrangler.toml [vars]) is the
// -frame-ancestors of the native server; empty means "*".
//
// Build with scripts/build-worker.sh (make worker); docs/hosting.md deploys it.
package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"syscall/js"

	"github.com/nnplay/nnplay/server"
	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/fetch"
)

func main() {
	manifest := js.Global().Get("nnplayManifest")
	if manifest.Type() != js.TypeString {
		panic("nnplay worker: globalThis.nnplayManifest is not set (entry.mjs sets it)")
	}
	fsys, err := server.ManifestFS(manifest.String(), openAsset)
	if err != nil {
		panic("nnplay worker: " + err.Error())
	}
	// An invalid FRAME_ANCESTORS makes server.New panic: every request then
	// fails, and the reason is in the worker's log (wrangler tail).
	opts := server.Options{FrameAncestors: cloudflare.Getenv("FRAME_ANCESTORS")}
	// One Go instance serves all the requests of an isolate (entry.mjs), so
	// main must not return: workers.Serve would, once a response body has
	// been read.
	workers.ServeNonBlock(server.New(fsys, opts))
	workers.Ready()
	select {}
}

// openAsset fetches a bundle file from the ASSETS binding (Workers static
// assets). The body it returns hands its JavaScript stream straight to the
// response when the handler copies it, without passing through Go memory.
func openAsset(name string) (io.ReadCloser, error) {
	binding := cloudflare.GetBinding("ASSETS")
	if binding.IsUndefined() {
		return nil, errors.New("no ASSETS binding")
	}
	u := url.URL{Scheme: "http", Host: "assets.local", Path: "/" + name}
	req, err := fetch.NewRequest(context.Background(), http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	res, err := fetch.NewClient(fetch.WithBinding(binding)).Do(req, nil)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, errors.New("asset fetch: " + res.Status)
	}
	return res.Body, nil
}
