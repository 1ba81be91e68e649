# Runs the built worker locally in workerd (copied to build/worker/workerd.capnp by
# scripts/build-worker.sh). No account and no network:
#   cd build/worker && ../../server/worker/node_modules/.bin/workerd serve workerd.capnp
# The "assets" disk service stands in for Workers static assets (the ASSETS binding).
# scripts/test-worker.sh overrides the port with --socket-addr http=127.0.0.1:PORT.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "nnplay", worker = .nnplay),
    (name = "assets", disk = (path = "public", writable = false, allowDotfiles = false)),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:8787", http = (), service = "nnplay"),
  ],
);

const nnplay :Workerd.Worker = (
  modules = [
    (name = "entry.mjs", esModule = embed "entry.mjs"),
    (name = "runtime.mjs", esModule = embed "runtime.mjs"),
    (name = "wasm_exec.js", esModule = embed "wasm_exec.js"),
    (name = "app.wasm", wasm = embed "app.wasm"),
    (name = "manifest.txt", text = embed "manifest.txt"),
  ],
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "ASSETS", service = "assets"),
    (name = "FRAME_ANCESTORS", text = "*"),
  ],
);
