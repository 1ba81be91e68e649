// nnplay's browser benchmark (make bench runs it through scripts/bench.sh; it is never a test).
//
//   cd web && node bench/run.mjs --server ../bin/nnplay --bench-wasm /tmp/wasmbench.wasm \
//                                --out /tmp/browser.json [--loads 7] [--moves 200] [--quick]
//
// It starts the real server on a free loopback port and drives Debian's Chromium (headless,
// the flags of the e2e tests, a fresh profile) with playwright-core. It measures:
//
//   load     time from navigation to the first plot (body[data-ready="1"], set by the page after
//            its first frame is drawn) and to the end of that frame's rendering, cold cache (a new
//            browser context per load), median of --loads loads, for the default page and for a
//            loss with its surface; with the Navigation/Resource Timing entries;
//   bytes    every response of the first load (CDP Network.loadingFinished encodedDataLength,
//            Chromium sends Accept-Encoding br) and the raw/br/gz sizes of the same files as
//            the server sends them;
//   compute  the 2,048-point sampling of relu, gelu, softplus and sigmoid (f, f' and the central
//            difference: 3 evaluations per point) by plain JavaScript written here, against the
//            wasm bulk path (core/view.Curves, the code the page runs each frame) compiled into
//            a bench module (bench/wasmbench) that is loaded into the same page;
//   depth    the depth lab (?lab=depth): per slider key press (the depth slider, alternately right
//            and left), the time until the sample of the new settings is on screen
//            (#card-depth-signal[data-sample="1"]) and the longest main-thread task meanwhile
//            (the longest gap between MessageChannel pings, which run between tasks); the same for
//            a large network (depth 50, width 512, batch 1024) with whether progress is shown;
//   sliders  for each scenario, --moves real key presses on a control (ArrowRight/ArrowLeft on
//            input[type=range][data-param=...], ArrowDown/ArrowUp on a select), one at a time:
//            the main-thread time per update (CDP Performance.getMetrics TaskDuration over the
//            run, minus the idle main-thread time over the same wall time), the latency from the key event to the end
//            of the rendering of the frame that drew it (median, p95), and whether each update was
//            drawn in the first frame after its input event.
//
// The hooks it installs in the page (web/e2e/README.md lists the page's own): it wraps
// window.requestAnimationFrame (to time the wasm's Frame callback) and the drawing functions in
// __nnplay.glue (curves, surface, point, vector, drawn). Nothing of this ships in the bundle.

import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    server: { type: 'string', default: '../bin/nnplay' },
    'bench-wasm': { type: 'string', default: '' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
    out: { type: 'string', default: '' },
    loads: { type: 'string', default: '7' },
    moves: { type: 'string', default: '200' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: '' }, // comma list of sections: load,bytes,compute,sliders,profile,depth
    // an unstripped build of the page's wasm (names in the profile): for the profile section,
    // served in place of the bundle's wasm
    'profile-wasm': { type: 'string', default: '' },
  },
});
const LOADS = opt.quick ? 3 : Number(opt.loads);
const MOVES = opt.quick ? 40 : Number(opt.moves);
const sections = new Set((opt.only || 'load,bytes,compute,sliders,profile,depth').split(','));
const log = (...a) => console.error('bench:', ...a);

// ---------------------------------------------------------------------------------------------
// Statistics.

const sorted = (a) => [...a].sort((x, y) => x - y);
function quantile(a, q) {
  const s = sorted(a.filter((v) => Number.isFinite(v)));
  if (!s.length) return null;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}
const median = (a) => quantile(a, 0.5);
const r3 = (v) => (v == null ? null : Math.round(v * 1000) / 1000);

// ---------------------------------------------------------------------------------------------
// Server and browser.

async function startServer(bin) {
  if (!existsSync(bin)) throw new Error(`server binary ${bin} not found (make server)`);
  const proc = spawn(bin, ['-addr', '127.0.0.1:0', '-access-log=false'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const base = await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`server did not start within 15 s:\n${out}`)), 15_000);
    const on = (d) => {
      out += d;
      const m = out.match(/serving on (http:\/\/[^\s/]+)/);
      if (m) {
        clearTimeout(t);
        res(m[1]);
      }
    };
    proc.stdout.on('data', on);
    proc.stderr.on('data', on);
    proc.on('exit', (c) => rej(new Error(`server exited with ${c}:\n${out}`)));
  });
  return {
    base,
    stop: () =>
      new Promise((res) => {
        if (proc.exitCode !== null) return res();
        proc.on('exit', () => res());
        proc.kill('SIGTERM');
      }),
  };
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

async function launch() {
  // playwright's launch() starts Chromium with a fresh, empty profile directory of its own (it
  // refuses --user-data-dir here) and newContext() gives each load its own empty cache.
  return chromium.launch({ executablePath: opt.chromium, args: ARGS });
}

const VIEWPORT = { width: 1280, height: 800 };

// ---------------------------------------------------------------------------------------------
// Load: navigation to first plot.

const LOAD_HOOK = () => {
  const L = (window.__load = { ready: null, rendered: null });
  const obs = new MutationObserver(() => {
    if (L.ready === null && document.body && document.body.dataset.ready === '1') {
      L.ready = performance.now();
      const ch = new MessageChannel(); // runs after the rendering steps of the current frame
      ch.port1.onmessage = () => { L.rendered = performance.now(); };
      ch.port2.postMessage(0);
      obs.disconnect();
    }
  });
  obs.observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
};

async function oneLoad(browser, base, path, withNetwork) {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  try {
    await ctx.addInitScript(LOAD_HOOK);
    const page = await ctx.newPage();
    const reqs = new Map();
    let cdp = null;
    if (withNetwork) {
      cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      cdp.on('Network.requestWillBeSent', (e) => reqs.set(e.requestId, { url: e.request.url, type: e.type }));
      cdp.on('Network.responseReceived', (e) => {
        const r = reqs.get(e.requestId);
        if (!r) return;
        const h = e.response.headers;
        r.status = e.response.status;
        r.encoding = h['content-encoding'] || h['Content-Encoding'] || '';
        r.mime = e.response.mimeType;
        r.fromCache = e.response.fromDiskCache || false;
      });
      cdp.on('Network.loadingFinished', (e) => {
        const r = reqs.get(e.requestId);
        if (r) r.encodedDataLength = e.encodedDataLength;
      });
    }
    const t0 = Date.now();
    await page.goto(base + path, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__load && window.__load.rendered !== null, null, { timeout: 60_000, polling: 20 });
    const m = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource');
      const wasm = res.find((e) => e.name.endsWith('.wasm'));
      const js = res.find((e) => /\/assets\/app-.*\.js$/.test(e.name));
      const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
      const marks = performance.getEntriesByType('mark').map((e) => ({ name: e.name, t: e.startTime }));
      return {
        ready: window.__load.ready,
        rendered: window.__load.rendered,
        responseEnd: nav && nav.responseEnd,
        domContentLoaded: nav && nav.domContentLoadedEventEnd,
        loadEvent: nav && nav.loadEventEnd,
        jsEnd: js && js.responseEnd,
        wasmStart: wasm && wasm.startTime,
        wasmEnd: wasm && wasm.responseEnd,
        fcp: paint['first-contentful-paint'] ?? null,
        marks,
      };
    });
    let requests = null;
    if (withNetwork) {
      // let the fonts and anything late finish: no request in flight for 500 ms
      const t1 = Date.now();
      for (;;) {
        const pending = [...reqs.values()].filter((r) => r.encodedDataLength === undefined && r.status !== 204);
        if (!pending.length || Date.now() - t1 > 10_000) break;
        await page.waitForTimeout(100);
      }
      await page.waitForTimeout(500);
      requests = [...reqs.values()];
    }
    m.wall = Date.now() - t0;
    return { m, requests };
  } finally {
    await ctx.close();
  }
}

async function loads(browser, base) {
  const out = {};
  let requests = null;
  for (const path of ['/', '/?f=cross_entropy']) {
    const runs = [];
    // one warm-up load (the server's first responses, the OS page cache) not counted
    await oneLoad(browser, base, path, false);
    for (let i = 0; i < LOADS; i++) {
      const { m, requests: rq } = await oneLoad(browser, base, path, i === 0 && path === '/');
      if (rq) requests = rq;
      runs.push(m);
    }
    const pick = (k) => runs.map((r) => r[k]).filter((v) => v != null);
    out[path] = {
      loads: runs.length,
      readyMs: { median: r3(median(pick('ready'))), min: r3(Math.min(...pick('ready'))), max: r3(Math.max(...pick('ready'))) },
      renderedMs: { median: r3(median(pick('rendered'))), min: r3(Math.min(...pick('rendered'))), max: r3(Math.max(...pick('rendered'))) },
      responseEndMs: r3(median(pick('responseEnd'))),
      jsEndMs: r3(median(pick('jsEnd'))),
      fcpMs: r3(median(pick('fcp'))),
      domContentLoadedMs: r3(median(pick('domContentLoaded'))),
      wasmFetchStartMs: r3(median(pick('wasmStart'))),
      wasmFetchEndMs: r3(median(pick('wasmEnd'))),
      loadEventMs: r3(median(pick('loadEvent'))),
      marks: runs[0].marks,
      each: runs.map((r) => r3(r.ready)),
    };
    log(`load ${path}: first plot median ${out[path].readyMs.median} ms (${out[path].each.join(', ')})`);
  }
  return { out, requests };
}

// ---------------------------------------------------------------------------------------------
// Bytes.

// bodySize returns the size of the body the server sends for path with Accept-Encoding enc, as
// sent (no decoding), or null if the server does not answer with that encoding.
function bodySize(base, path, enc) {
  return new Promise((res) => {
    const req = http.get(base + path, { headers: { 'Accept-Encoding': enc } }, (r) => {
      let n = 0;
      r.on('data', (d) => { n += d.length; });
      r.on('end', () => {
        const got = r.headers['content-encoding'] || 'identity';
        res(r.statusCode === 200 && (got === enc || enc === 'identity') ? n : null);
      });
    });
    req.on('error', () => res(null));
  });
}

// bytes: what the first load transferred (from Chromium), and for the same files the raw,
// brotli and gzip sizes as the server sends them (its embedded copy of web/dist; a web/dist
// rebuilt since the server was built could differ).
async function bytes(base, requests) {
  const seen = new Map();
  for (const r of requests) {
    const u = new URL(r.url);
    if (u.protocol !== 'http:') continue;
    const path = u.pathname + u.search;
    const prev = seen.get(path);
    // a file requested twice (the favicon: <link> and the browser's own request) counts once
    if (!prev || (r.encodedDataLength ?? 0) > (prev.transferred ?? 0)) {
      seen.set(path, { path, status: r.status, encoding: r.encoding, transferred: r.encodedDataLength ?? null });
    }
  }
  const files = [...seen.values()];
  for (const f of files) {
    f.raw = await bodySize(base, f.path, 'identity');
    f.br = (await bodySize(base, f.path, 'br')) ?? f.raw; // woff2 and svg-less formats: sent as they are
    f.gz = (await bodySize(base, f.path, 'gzip')) ?? f.raw;
  }
  const sum = (k) => files.reduce((s, f) => s + (f[k] ?? 0), 0);
  const wasm = files.find((f) => f.path.endsWith('.wasm')) || {};
  return {
    files,
    wasm: { raw: wasm.raw, br: wasm.br, gz: wasm.gz, transferred: wasm.transferred, encoding: wasm.encoding },
    page: {
      raw: sum('raw'), br: sum('br'), gz: sum('gz'),
      transferred: requests.reduce((s, r) => s + (r.encodedDataLength ?? 0), 0),
      requests: requests.length,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Compute: plain JS against the wasm bulk path, in the same page.

// The plain-JavaScript side, evaluated in the page. Each function writes f(x) and f'(x) for the
// 2,048 points and the central difference with core/view's step (cbrt(eps) * max(1, |x|), made
// representable), exactly the work of view.Curves.Activation. One loop per function, so that V8
// sees a monomorphic call it can inline (the best case for JS).
const JS_IMPL = String.raw`(() => {
  const CBRT_EPS = Math.cbrt(2 ** -52);
  const SQRT1_2 = Math.SQRT1_2, INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
  // erf: Numerical Recipes' erfc (Chebyshev fit, |relative error| < 1.2e-7), not a full-precision
  // erf: Go's math.Erf is exact to an ulp or so. It is a speed comparison.
  function erf(x) {
    const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
    const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? 1 - r : r - 1;
  }
  let D = 0; // the derivative of the last call
  const fns = {
    relu(x) { D = x > 0 ? 1 : 0; return x > 0 ? x : 0; },
    gelu(x) { const c = 0.5 * (1 + erf(x * SQRT1_2)); D = c + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x); return x * c; },
    softplus(x) { // beta 1, threshold 20, as PyTorch's defaults
      if (x > 20) { D = 1; return x; }
      const e = Math.exp(x); D = e / (1 + e); return Math.log1p(e);
    },
    sigmoid(x) {
      if (x >= 0) { const e = Math.exp(-x), y = 1 / (1 + e); D = y * (1 - y); return y; }
      const e = Math.exp(x), y = e / (1 + e); D = y * (1 - y); return y;
    },
  };
  function linspace(X, a, b) {
    const n = X.length, d = b - a;
    for (let i = 0; i < n; i++) X[i] = a + (i / (n - 1)) * d;
    X[0] = a; X[n - 1] = b;
  }
  const make = (f) => (X, Y, DY, FD, a, b) => {
    linspace(X, a, b);
    for (let i = 0; i < X.length; i++) {
      const x = X[i];
      Y[i] = f(x); DY[i] = D;
      let h = CBRT_EPS * Math.max(1, Math.abs(x));
      h = (x + h) - x;
      const xp = x + h, xm = x - h;
      FD[i] = (f(xp) - f(xm)) / (xp - xm);
    }
  };
  // four separate closures over four separate function literals: each loop's call site stays
  // monomorphic
  const runs = {
    relu: ((f) => (X, Y, DY, FD, a, b) => { linspace(X, a, b); for (let i = 0; i < X.length; i++) { const x = X[i]; Y[i] = f(x); DY[i] = D; let h = CBRT_EPS * Math.max(1, Math.abs(x)); h = (x + h) - x; const xp = x + h, xm = x - h; FD[i] = (f(xp) - f(xm)) / (xp - xm); } })(fns.relu),
    gelu: ((f) => (X, Y, DY, FD, a, b) => { linspace(X, a, b); for (let i = 0; i < X.length; i++) { const x = X[i]; Y[i] = f(x); DY[i] = D; let h = CBRT_EPS * Math.max(1, Math.abs(x)); h = (x + h) - x; const xp = x + h, xm = x - h; FD[i] = (f(xp) - f(xm)) / (xp - xm); } })(fns.gelu),
    softplus: ((f) => (X, Y, DY, FD, a, b) => { linspace(X, a, b); for (let i = 0; i < X.length; i++) { const x = X[i]; Y[i] = f(x); DY[i] = D; let h = CBRT_EPS * Math.max(1, Math.abs(x)); h = (x + h) - x; const xp = x + h, xm = x - h; FD[i] = (f(xp) - f(xm)) / (xp - xm); } })(fns.softplus),
    sigmoid: ((f) => (X, Y, DY, FD, a, b) => { linspace(X, a, b); for (let i = 0; i < X.length; i++) { const x = X[i]; Y[i] = f(x); DY[i] = D; let h = CBRT_EPS * Math.max(1, Math.abs(x)); h = (x + h) - x; const xp = x + h, xm = x - h; FD[i] = (f(xp) - f(xm)) / (xp - xm); } })(fns.sigmoid),
  };
  void make;
  window.__jsbench = { runs };
})()`;

// timeRounds alternates JS and wasm rounds (so that a burst of load from the other agents on the
// machine hits both) and returns the median ns per frame of each.
const COMPUTE_PAGE = (args) => {
  const { id, n, xmin, xmax, rounds, targetMs } = args;
  const X = new Float64Array(n), Y = new Float64Array(n), DY = new Float64Array(n), FD = new Float64Array(n);
  const js = window.__jsbench.runs[id];
  const nb = window.__nnbench;
  const timeJS = (reps) => { const t = performance.now(); for (let r = 0; r < reps; r++) js(X, Y, DY, FD, xmin, xmax); return performance.now() - t; };
  const timeWasm = (reps, copy) => { const t = performance.now(); nb.curves(id, n, reps, copy); return performance.now() - t; };
  // calibrate: reps for about targetMs per round (and warm up the JITs)
  const cal = (fn) => { let reps = 1; for (;;) { const t = fn(reps); if (t > targetMs / 4 || reps > 1e6) return Math.max(1, Math.round((reps * targetMs) / Math.max(t, 0.01))); reps *= 4; } };
  const rj = cal(timeJS), rw = cal((r) => timeWasm(r, false)), rc = cal((r) => timeWasm(r, true));
  const tj = [], tw = [], tc = [];
  for (let k = 0; k < rounds; k++) {
    tj.push((timeJS(rj) * 1e6) / rj);
    tw.push((timeWasm(rw, false) * 1e6) / rw);
    tc.push((timeWasm(rc, true) * 1e6) / rc);
  }
  const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[(s.length - 1) >> 1] / 2 + s[s.length >> 1] / 2; };
  // agreement: the two sides' f and f' (the JS erf is an approximation)
  js(X, Y, DY, FD, xmin, xmax);
  const w = nb.curves(id, n, 1, false);
  let dy = 0, ddy = 0;
  for (let i = 0; i < n; i++) {
    dy = Math.max(dy, Math.abs(w.y[i] - Y[i]) / Math.max(1, Math.abs(Y[i])));
    ddy = Math.max(ddy, Math.abs(w.dy[i] - DY[i]) / Math.max(1, Math.abs(DY[i])));
  }
  return { jsNs: med(tj), wasmNs: med(tw), wasmCopyNs: med(tc), maxRelDiffY: dy, maxRelDiffDY: ddy, repsJS: rj, repsWasm: rw };
};

async function compute(browser, base) {
  if (!opt['bench-wasm'] || !existsSync(opt['bench-wasm'])) {
    log('compute: no --bench-wasm module; skipped');
    return null;
  }
  const wasmBytes = readFileSync(opt['bench-wasm']);
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await ctx.newPage();
    await page.route('**/__bench/wasmbench.wasm', (r) => r.fulfill({ status: 200, body: wasmBytes, contentType: 'application/wasm' }));
    await page.goto(base + '/?f=gelu');
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    // the bench module runs in a second Go instance (the page's wasm_exec.js defines Go)
    await page.evaluate(async () => {
      const go = new globalThis.Go();
      const { instance } = await WebAssembly.instantiateStreaming(fetch('/__bench/wasmbench.wasm'), go.importObject);
      await new Promise((res) => {
        window.__nnbenchReady = res;
        go.run(instance);
      });
    });
    await page.evaluate(JS_IMPL);
    const out = {};
    for (const id of ['relu', 'gelu', 'softplus', 'sigmoid']) {
      // the default x range of the page (view.Default), from the bench module
      const [xmin, xmax] = await page.evaluate((i) => window.__nnbench.range(i), id);
      const r = await page.evaluate(COMPUTE_PAGE, { id, n: 2048, xmin, xmax, rounds: opt.quick ? 5 : 9, targetMs: opt.quick ? 20 : 40 });
      r.ratioWasmToJS = r.wasmNs / r.jsNs;
      r.xmin = xmin;
      r.xmax = xmax;
      out[id] = r;
      log(`compute ${id}: js ${(r.jsNs / 1e3).toFixed(1)} µs/frame, wasm ${(r.wasmNs / 1e3).toFixed(1)} µs (+copy ${(r.wasmCopyNs / 1e3).toFixed(1)}), wasm/js ${r.ratioWasmToJS.toFixed(2)}`);
    }
    // the public API path, for reference: nnplay.evaluate(id, {}, xs) converts 2,048 JS numbers
    // into Go values and back one by one
    out._api = await page.evaluate(() => {
      const xs = Array.from({ length: 2048 }, (_, i) => -4 + (8 * i) / 2047);
      for (let k = 0; k < 3; k++) nnplay.evaluate('gelu', {}, xs);
      const t = [];
      for (let k = 0; k < 9; k++) { const s = performance.now(); nnplay.evaluate('gelu', {}, xs); t.push(performance.now() - s); }
      t.sort((a, b) => a - b);
      return { id: 'gelu', points: 2048, medianMs: t[4], note: 'nnplay.evaluate: f and f\' only (no difference), with a Go<->JS conversion per number' };
    });
    log(`compute: nnplay.evaluate('gelu', {}, 2048 xs) ${out._api.medianMs.toFixed(2)} ms`);
    return out;
  } finally {
    await ctx.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Sliders.

const SLIDER_HOOK = () => {
  const B = (window.__bm = { frames: 0, recs: [], cur: null, waiter: null, inputs: 0, glueNames: {}, surf: [] });
  const raf = window.requestAnimationFrame.bind(window);
  const loop = () => { B.frames++; raf(loop); };
  raf(loop);
  // the wasm asks for its frame with requestAnimationFrame(b.frame), looked up on window each
  // time: time that callback
  window.requestAnimationFrame = (cb) =>
    raf((ts) => {
      const s = performance.now();
      B.inFrame = { start: s, drew: false };
      try {
        cb(ts);
      } finally {
        const e = performance.now();
        // every frame that drew the surface: its grid size (coarse or full) and the callback's
        // time (compute and draw calls)
        if (B.inFrame.nx) B.surf.push({ nx: B.inFrame.nx, ms: e - s, during: !!B.cur });
        const c = B.inFrame.rec;
        if (c && c.frameStart === undefined) {
          c.frameStart = s;
          c.frameEnd = e;
        }
        B.inFrame = null;
      }
    });
  const glue = window.__nnplay.glue;
  for (const name of ['curves', 'surface', 'point', 'vector']) {
    const orig = glue[name];
    glue[name] = function (...a) {
      if (name === 'surface' && B.inFrame && a[2]) B.inFrame.nx = a[2].nx;
      const s = performance.now();
      try {
        return orig.apply(this, a);
      } finally {
        if (B.cur) B.cur.glue[name] = (B.cur.glue[name] || 0) + performance.now() - s;
      }
    };
  }
  const drawn = glue.drawn;
  glue.drawn = function (seq) {
    const r = drawn.call(this, seq);
    const c = B.cur;
    if (c && c.handled && c.drawnAt === undefined) {
      c.drawnAt = performance.now();
      c.drawnFrame = B.frames;
      if (B.inFrame) B.inFrame.rec = c;
      const ch = new MessageChannel(); // after this frame's style, layout and paint
      ch.port1.onmessage = () => {
        c.rendered = performance.now();
        B.recs.push(c);
        B.cur = null;
        if (B.waiter) { const w = B.waiter; B.waiter = null; w(true); }
      };
      ch.port2.postMessage(0);
    }
    return r;
  };
  window.addEventListener('keydown', (e) => {
    if (!e.key.startsWith('Arrow')) return; // the harness baseline presses Shift: no update
    B.cur = { t0: e.timeStamp, start: performance.now(), frame: B.frames, glue: {} };
  }, true);
  for (const ev of ['input', 'change']) {
    window.addEventListener(ev, () => { if (B.cur && B.cur.hStart === undefined) B.cur.hStart = performance.now(); }, true);
    window.addEventListener(ev, () => {
      B.inputs++;
      if (B.cur) { B.cur.handled = true; B.cur.hEnd = performance.now(); }
    }, false);
  }
  B.wait = (ms) => new Promise((res) => {
    if (!B.cur) return res(B.recs.length > 0);
    const t = setTimeout(() => { B.waiter = null; B.cur = null; res(false); }, ms);
    B.waiter = (v) => { clearTimeout(t); res(v); };
  });
};

const SCENARIOS = [
  { name: 'gelu', kind: 'activation', path: '/?f=gelu', sel: 'select[data-param="approximate"]', keys: ['ArrowDown', 'ArrowUp'], what: 'approximate (select, ArrowDown/ArrowUp): f, f\' and the difference overlay' },
  { name: 'softplus', kind: 'activation', path: '/?f=softplus', sel: 'input[type=range][data-param="beta"]', keys: ['ArrowRight', 'ArrowLeft'], what: 'beta (range slider): f, f\' and the difference overlay' },
  { name: 'cross_entropy', kind: 'loss', path: '/?f=cross_entropy', sel: 'input[type=range][data-param="label_smoothing"]', keys: ['ArrowRight', 'ArrowLeft'], what: 'label_smoothing (range slider): loss curve, derivative, surface and point' },
  { name: 'mse_loss', kind: 'loss', path: '/?f=mse_loss', sel: 'input[type=range][data-param="t"]', keys: ['ArrowRight', 'ArrowLeft'], what: 'target t (range slider): loss curve, derivative, surface and point' },
];

async function metrics(cdp) {
  const { metrics: m } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(m.map((x) => [x.name, x.value]));
}

async function slider(browser, base, sc) {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await ctx.newPage();
    await page.goto(base + sc.path);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    const el = await page.$(sc.sel);
    if (!el) throw new Error(`${sc.name}: no control ${sc.sel}`);
    await page.evaluate(SLIDER_HOOK);
    await el.focus();
    await page.waitForTimeout(300);
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    // the direction flips at the ends of a range; for a select, each press alternates
    let dir = 0;
    const press = async () => {
      if (sc.keys[0] === 'ArrowDown') {
        dir ^= 1;
        await page.keyboard.press(sc.keys[dir ^ 1]);
        return;
      }
      const at = await el.evaluate((e) => ({ v: Number(e.value), min: Number(e.min), max: Number(e.max), step: Number(e.step) || 1 }));
      if (dir === 0 && at.v + at.step > at.max + 1e-9) dir = 1;
      if (dir === 1 && at.v - at.step < at.min - 1e-9) dir = 0;
      await page.keyboard.press(sc.keys[dir]);
    };
    // warm-up
    for (let i = 0; i < 10; i++) {
      await press();
      await page.evaluate(() => window.__bm.wait(2000));
    }
    await page.evaluate(() => { window.__bm.recs = []; window.__bm.inputs = 0; });
    const t0 = Date.now();
    const m0 = await metrics(cdp);
    let missed = 0;
    for (let i = 0; i < MOVES; i++) {
      await press();
      const ok = await page.evaluate(() => window.__bm.wait(2000));
      if (!ok) missed++;
    }
    const m1 = await metrics(cdp);
    const wall = Date.now() - t0;
    // idle baseline: TaskDuration with no input for IDLE_MS, scaled to the run's wall time
    const IDLE_MS = Math.min(wall, 5000);
    const i0 = await metrics(cdp);
    await page.waitForTimeout(IDLE_MS);
    const i1 = await metrics(cdp);
    // harness baseline: the same CDP calls per update (read the control, press a key, wait) with
    // a key that changes nothing (Shift), so that what the harness itself costs the page's main
    // thread is not counted as the update's
    const HN = Math.min(MOVES, 60);
    const h0 = await metrics(cdp);
    const th = Date.now();
    for (let i = 0; i < HN; i++) {
      if (sc.keys[0] !== 'ArrowDown') await el.evaluate((e) => ({ v: Number(e.value), min: Number(e.min), max: Number(e.max), step: Number(e.step) || 1 }));
      await page.keyboard.press('Shift');
      await page.evaluate(() => window.__bm.wait(2000));
    }
    const h1 = await metrics(cdp);
    const hwall = Date.now() - th;
    const recs = await page.evaluate(() => window.__bm.recs);
    const inputs = await page.evaluate(() => window.__bm.inputs);
    const d = (a, b, k) => ((b[k] ?? 0) - (a[k] ?? 0)) * 1000; // s -> ms
    const moves = recs.length || 1;
    const task = d(m0, m1, 'TaskDuration');
    const idle = (d(i0, i1, 'TaskDuration') * wall) / IDLE_MS;
    const harness = ((d(h0, h1, 'TaskDuration') - (d(i0, i1, 'TaskDuration') * hwall) / IDLE_MS) / HN) * moves;
    // a loss whose full surface is over the app's per-frame budget draws a coarse one while it
    // changes and the full one RefineMs after the last change: the cost of that refinement,
    // from REFINES single presses each followed by a pause
    let refine = null;
    const surfDuring = await page.evaluate(() => window.__bm.surf.filter((f) => f.during));
    if (sc.kind === 'loss') {
      const REFINES = 5;
      await page.evaluate(() => { window.__bm.surf = []; });
      for (let i = 0; i < REFINES; i++) {
        await press();
        await page.evaluate(() => window.__bm.wait(2000));
        await page.waitForTimeout(600);
      }
      const frames = await page.evaluate(() => window.__bm.surf);
      const nxs = frames.map((f) => f.nx);
      const full = Math.max(0, ...nxs, ...surfDuring.map((f) => f.nx));
      const fullFrames = frames.filter((f) => f.nx === full && !f.during);
      // a surface that does not depend on the slider (mse_loss's target) is not redrawn at all
      if (full > 0) refine = {
        fullGrid: full,
        coarseWhileChanging: surfDuring.filter((f) => f.nx < full).length,
        fullWhileChanging: surfDuring.filter((f) => f.nx === full).length,
        refineFrames: fullFrames.length,
        fullFrameCallbackMs: r3(median(fullFrames.map((f) => f.ms))),
        changeFrameCallbackMs: r3(median(surfDuring.map((f) => f.ms))),
      };
    }
    const lat = recs.map((r) => r.rendered - r.t0);
    const glueT = (k) => median(recs.map((r) => r.glue[k] ?? 0));
    const res = {
      scenario: sc.name,
      kind: sc.kind,
      what: sc.what,
      moves: recs.length,
      keyPresses: MOVES,
      inputEvents: inputs,
      notRedrawn: missed,
      wallMs: wall,
      mainThreadMsPerUpdate: {
        taskGross: r3(task / moves),
        idleBaseline: r3(idle / moves),
        task: r3((task - idle) / moves),
        harness: r3(harness / moves),
        net: r3((task - idle - harness) / moves),
        script: r3(d(m0, m1, 'ScriptDuration') / moves),
        layout: r3(d(m0, m1, 'LayoutDuration') / moves),
        style: r3(d(m0, m1, 'RecalcStyleDuration') / moves),
      },
      // from the hooks, medians per update
      hooksMs: {
        inputHandler: r3(median(recs.map((r) => r.hEnd - r.hStart))),
        frameCallback: r3(median(recs.map((r) => r.frameEnd - r.frameStart))),
        glueCurves: r3(glueT('curves')),
        glueSurface: r3(glueT('surface')),
        gluePoint: r3(glueT('point')),
        wasmInFrame: r3(median(recs.map((r) => r.frameEnd - r.frameStart - Object.values(r.glue).reduce((s, v) => s + v, 0)))),
        renderAfterFrame: r3(median(recs.map((r) => r.rendered - r.frameEnd))),
      },
      surface: refine,
      latencyMs: { median: r3(median(lat)), p95: r3(quantile(lat, 0.95)), max: r3(Math.max(...lat)) },
      nextFrame: { drawnInNextFrame: recs.filter((r) => r.drawnFrame === r.frame + 1).length, of: recs.length, frameHistogram: {} },
    };
    for (const r of recs) {
      const k = String(r.drawnFrame - r.frame);
      res.nextFrame.frameHistogram[k] = (res.nextFrame.frameHistogram[k] || 0) + 1;
    }
    log(`sliders ${sc.name}: ${res.moves} updates, main thread ${res.mainThreadMsPerUpdate.net} ms/update net of the harness's ${res.mainThreadMsPerUpdate.harness} (minus idle ${res.mainThreadMsPerUpdate.task}, gross ${res.mainThreadMsPerUpdate.taskGross})${refine ? `, surface ${refine.fullGrid}x${refine.fullGrid}: ${refine.coarseWhileChanging} coarse + ${refine.fullWhileChanging} full while changing, full frame ${refine.fullFrameCallbackMs} ms` : ''}, latency median ${res.latencyMs.median} p95 ${res.latencyMs.p95} ms, next frame ${res.nextFrame.drawnInNextFrame}/${res.nextFrame.of}`);
    return res;
  } finally {
    await ctx.close();
  }
}


// ---------------------------------------------------------------------------------------------
// Profile: where the main thread's time goes during slider updates (V8's sampling profiler over
// PROFILE_MOVES updates, with the wasm swapped for an unstripped build of the same program so
// that its functions have names). Self time by function, top entries.

const PROFILE_MOVES = 60;

// selfTimes sums a V8 CPU profile's samples by function (self time, idle and "(program)" left
// out) and returns the total in µs and the top 25 as ms per unit (per update, or per load).
function selfTimes(p, units) {
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const cf = nodes.get(p.samples[i]).callFrame;
    const dt = p.timeDeltas[i] || 0;
    const name = cf.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    const file = cf.url ? cf.url.replace(/^.*\//, '') : '';
    const key = file && !/\.wasm$/.test(file) && !name.startsWith('(') ? `${name} (${file}:${cf.lineNumber + 1}:${cf.columnNumber + 1})` : name;
    self.set(key, (self.get(key) || 0) + dt);
    total += dt;
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)
    .map(([fn, us]) => ({ fn, msPerUpdate: r3(us / 1000 / units), pct: Math.round((1000 * us) / total) / 10 }));
  return { total, top };
}

// profileLoad: one cold load of path with the profiler running from before navigation to the
// first plot; the main thread's self time by function (names for the wasm as above).
async function profileLoad(browser, base, path, wasmBytes) {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  try {
    await ctx.addInitScript(LOAD_HOOK);
    const page = await ctx.newPage();
    await page.route(/\/assets\/nnplay-[^/]*\.wasm$/, (r) => r.fulfill({ status: 200, body: wasmBytes, contentType: 'application/wasm' }));
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.goto(base + path, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__load && window.__load.rendered !== null, null, { timeout: 60_000, polling: 20 });
    const { profile: p } = await cdp.send('Profiler.stop');
    const ready = await page.evaluate(() => window.__load.ready);
    const { total, top } = selfTimes(p, 1);
    log(`profile load ${path}: first plot ${r3(ready)} ms (profiled), ${r3(total / 1000)} ms of samples; top: ${top.slice(0, 4).map((t) => `${t.fn} ${t.pct}%`).join(', ')}`);
    return { path, firstPlotMs: r3(ready), msSampled: r3(total / 1000), top: top.map((t) => ({ fn: t.fn, ms: t.msPerUpdate, pct: t.pct })) };
  } finally {
    await ctx.close();
  }
}

async function profile(browser, base, sc, wasmBytes) {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await ctx.newPage();
    await page.route(/\/assets\/nnplay-[^/]*\.wasm$/, (r) => r.fulfill({ status: 200, body: wasmBytes, contentType: 'application/wasm' }));
    await page.goto(base + sc.path);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    const el = await page.$(sc.sel);
    await page.evaluate(SLIDER_HOOK);
    await el.focus();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    let dir = 0;
    const press = async () => {
      if (sc.keys[0] === 'ArrowDown') {
        dir ^= 1;
        return page.keyboard.press(sc.keys[dir ^ 1]);
      }
      const at = await el.evaluate((e) => ({ v: Number(e.value), min: Number(e.min), max: Number(e.max), step: Number(e.step) || 1 }));
      if (dir === 0 && at.v + at.step > at.max + 1e-9) dir = 1;
      if (dir === 1 && at.v - at.step < at.min - 1e-9) dir = 0;
      return page.keyboard.press(sc.keys[dir]);
    };
    for (let i = 0; i < 10; i++) {
      await press();
      await page.evaluate(() => window.__bm.wait(2000));
    }
    await cdp.send('Profiler.start');
    for (let i = 0; i < PROFILE_MOVES; i++) {
      await press();
      await page.evaluate(() => window.__bm.wait(2000));
    }
    const { profile: p } = await cdp.send('Profiler.stop');
    const { total, top } = selfTimes(p, PROFILE_MOVES);
    log(`profile ${sc.name}: ${r3(total / 1000 / PROFILE_MOVES)} ms of samples per update; top: ${top.slice(0, 4).map((t) => `${t.fn} ${t.pct}%`).join(', ')}`);
    return { scenario: sc.name, updates: PROFILE_MOVES, msSampledPerUpdate: r3(total / 1000 / PROFILE_MOVES), top };
  } finally {
    await ctx.close();
  }
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// The depth lab: slider change to the sample on screen, and the main thread meanwhile.

const DEPTH_CASES = [
  { name: 'default (relu, depth 20, width 64, batch 256)', path: '/?lab=depth', presses: opt.quick ? 6 : 20 },
  { name: 'large (depth 50, width 512, batch 1024)', path: '/?lab=depth&depth=49&width=512&batch=1024', presses: opt.quick ? 1 : 2, skip: !!process.env.DEPTH_DEBUG },
];

async function depthLab(browser, base) {
  const out = [];
  for (const dc of DEPTH_CASES.filter((d) => !d.skip)) {
    const ctx = await browser.newContext({ viewport: VIEWPORT });
    const page = await ctx.newPage();
    try {
      await page.goto(base + dc.path);
      await page.waitForSelector('#card-depth-signal[data-sample="1"]', { timeout: 600_000 });
      const each = [];
      for (let i = 0; i < dc.presses; i++) {
        await page.focus('input[type=range][data-param="depth"]');
        // the probe is installed before the key press, and read after it
        await page.evaluate(() => { window.__depthProbe = new Promise((resolve) => {
          const el = document.querySelector('#card-depth-signal');
          const ch = new MessageChannel();
          let last = performance.now();
          let maxGap = 0;
          let progress = false;
          let t0 = null;
          let stop = false;
          ch.port1.onmessage = () => {
            const now = performance.now();
            if (now - last > maxGap && t0 !== null) window.__gapAt = [now - last, last - t0];
            maxGap = Math.max(maxGap, now - last);
            last = now;
            if (!stop) ch.port2.postMessage(0);
          };
          ch.port2.postMessage(0);
          addEventListener('keydown', () => { t0 = performance.now(); }, { once: true, capture: true });
          const mo = new MutationObserver(() => {
            const bar = el.querySelector('[role="progressbar"]');
            if (el.dataset.sample === '0' && bar && bar.getClientRects().length) progress = true;
            if (t0 !== null && el.dataset.sample === '1') {
              mo.disconnect();
              // the end of the frame that drew it
              requestAnimationFrame(() => setTimeout(() => {
                stop = true;
                resolve({ ms: performance.now() - t0, maxTaskMs: maxGap, progress, gapAt: window.__gapAt });
              }, 0));
            }
          });
          mo.observe(el, { attributes: true, subtree: true, childList: true });
        }); });
        await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
        each.push(await page.evaluate(() => window.__depthProbe));
        if (process.env.DEPTH_DEBUG) log(JSON.stringify(each[each.length - 1]));
        await page.waitForTimeout(150);
      }
      const ms = each.map((e) => e.ms);
      const r = {
        case: dc.name, presses: dc.presses,
        sampleMs: { median: r3(median(ms)), p95: r3(quantile(ms, 0.95)), max: r3(Math.max(...ms)) },
        maxTaskMs: r3(Math.max(...each.map((e) => e.maxTaskMs))),
        progressShown: each.some((e) => e.progress),
      };
      log(`depth ${dc.name}: sample on screen median ${r.sampleMs.median} ms (p95 ${r.sampleMs.p95}), longest task ${r.maxTaskMs} ms, progress ${r.progressShown}`);
      out.push(r);
    } finally {
      await ctx.close();
    }
  }
  return out;
}

async function main() {
  const server = await startServer(resolve(process.cwd(), opt.server));
  log(`server on ${server.base}`);
  const browser = await launch();
  const result = { chromium: browser.version(), node: process.version, cores: cpus().length, cpu: cpus()[0]?.model, date: new Date().toISOString() };
  try {
    if (sections.has('load') || sections.has('bytes')) {
      const { out, requests } = await loads(browser, server.base);
      result.load = out;
      if (requests) result.bytes = await bytes(server.base, requests);
    }
    if (sections.has('compute')) result.compute = await compute(browser, server.base);
    if (sections.has('depth')) {
      try {
        result.depth = await depthLab(browser, server.base);
      } catch (e) {
        log(`depth: ${e.message}`);
        result.depth = { error: String(e.message || e) };
      }
    }
    if (sections.has('sliders')) {
      result.sliders = [];
      for (const sc of SCENARIOS) {
        try {
          result.sliders.push(await slider(browser, server.base, sc));
        } catch (e) {
          log(`sliders ${sc.name}: ${e.message}`);
          result.sliders.push({ scenario: sc.name, kind: sc.kind, error: String(e.message || e) });
        }
      }
    }
    if (sections.has('profile') && opt['profile-wasm'] && existsSync(opt['profile-wasm'])) {
      const bytes = readFileSync(opt['profile-wasm']);
      try {
        result.profileLoad = await profileLoad(browser, server.base, '/', bytes);
      } catch (e) {
        log(`profile load: ${e.message}`);
      }
      result.profile = [];
      for (const sc of SCENARIOS) {
        try {
          result.profile.push(await profile(browser, server.base, sc, bytes));
        } catch (e) {
          log(`profile ${sc.name}: ${e.message}`);
        }
      }
    }
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
  const json = JSON.stringify(result, null, 2);
  if (opt.out) writeFileSync(opt.out, json + '\n');
  else console.log(json);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
