// nnplay's benchmark: one table (and bench/results.json) with
//   - core: ns per evaluation of every function (value and derivative, bulk over 2,048 points),
//     native Go and the same Go compiled to wasm under Node (go_js_wasm_exec), and their ratio;
//   - in headless Chromium against the real server: time to the first plot (cold cache, median
//     of several loads), bytes transferred (wasm and the whole page, raw and compressed), and for
//     a few hundred slider moves the main-thread time per update (CDP Performance.getMetrics
//     TaskDuration) and the latency from the key press to the repainted frame (median, p95), for
//     an activation and for a loss with its surface;
//   - plain JavaScript against the wasm path (nnplay.evaluate) in the same page, for ReLU, GELU
//     (tanh), Softplus and sigmoid at 2,048 points;
//   - the machine (cores, CPU, Go, Node, Chromium), since the figures vary between machines;
// and checks the budgets of issue 5, saying which are missed. Timing is never part of make test.
//
//   node bench/run.mjs --server bin/nnplay [--loads 7] [--moves 300] [--benchtime 100ms]
//                      [--skip-go] [--skip-browser] [--strict]   (run from the repository root)
//
// --strict exits 1 when a budget is missed (by default it only reports).
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    server: { type: 'string', default: join(root, 'bin/nnplay') },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
    loads: { type: 'string', default: '7' },
    moves: { type: 'string', default: '300' },
    benchtime: { type: 'string', default: '100ms' },
    'skip-go': { type: 'boolean', default: false },
    'skip-browser': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench/results.json') },
  },
});

// playwright-core is a devDependency of web/ (web/node_modules), not of this folder.
const requireWeb = createRequire(join(root, 'web/package.json'));
const { chromium } = await import(pathToFileURL(requireWeb.resolve('playwright-core')).href);

const BUDGET = {
  wasmBrotliKB: 600,
  firstLoadKB: 900,
  firstPlotMs: 300,
  updateMsActivation: 4,
  updateMsLoss: 8,
  wasmOverNative: 2,
};

const median = (a) => { const s = [...a].sort((x, y) => x - y); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN; };
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN; };
const kb = (n) => n / 1024;
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : String(x));
const log = (...a) => console.error('bench:', ...a);

function sh(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts }).trim();
  } catch (e) {
    return `(${cmd} failed: ${(e.stderr || e.message || '').toString().trim().split('\n')[0]})`;
  }
}

// ---- core: go test -bench natively and under wasm ---------------------------------------------

function goBench(wasm) {
  const goroot = sh('go', ['env', 'GOROOT']);
  const args = ['test', '-run', '^$', '-bench', '^BenchmarkEval$', '-benchtime', opt.benchtime, '-count', '1'];
  const env = { ...process.env };
  if (wasm) {
    env.GOOS = 'js';
    env.GOARCH = 'wasm';
    args.push(`-exec=${goroot}/lib/wasm/go_js_wasm_exec`);
  }
  args.push('./bench');
  log(`go ${args.join(' ')}${wasm ? ' (GOOS=js GOARCH=wasm)' : ''}`);
  const out = execFileSync('go', args, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 24 });
  const res = {};
  for (const line of out.split('\n')) {
    const m = /^BenchmarkEval\/(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns\/op\s+([\d.]+) ns\/eval/.exec(line);
    if (m) res[m[1]] = Number(m[3]);
  }
  return res;
}

// ---- browser ----------------------------------------------------------------------------------

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

async function startServer() {
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  const proc = spawn(opt.server, ['-addr', addr, '-access-log=false'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const base = `http://${addr}`;
  for (let i = 0; i < 150; i++) {
    try { if ((await fetch(base + '/')).ok) return { base, proc }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`server did not start: ${err}`);
}

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Records when body[data-ready] becomes "1" (ms since navigation start).
const READY_PROBE = () => {
  new MutationObserver((_, obs) => {
    if (document.body && document.body.dataset.ready === '1' && window.__firstPlot === undefined) {
      window.__firstPlot = performance.now();
      obs.disconnect();
    }
  }).observe(document.documentElement, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
};

async function coldLoads(browser, base, n) {
  const times = [];
  let sizes = null;
  for (let i = 0; i < n; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } }); // a fresh, empty cache
    await ctx.addInitScript(READY_PROBE);
    const page = await ctx.newPage();
    const enc = {};
    page.on('response', (r) => { enc[r.url()] = r.headers()['content-encoding'] || 'identity'; });
    await page.goto(`${base}/?f=gelu`);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 60_000 });
    times.push(await page.evaluate(() => window.__firstPlot));
    if (!sizes) {
      await page.waitForTimeout(200);
      const entries = await page.evaluate(() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
        .map((e) => ({ name: e.name, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize })));
      sizes = entries.map((e) => ({ ...e, encoding: enc[e.name] || '?' }));
    }
    await ctx.close();
  }
  return { times, sizes };
}

// The instrumentation of the slider runs: a frame counter (rAF), the key press time, and the
// first canvas draw after it; the latency ends after the frame holding that draw has rendered
// (a task queued from inside the frame runs after its rendering).
const FRAME_PROBE = () => {
  const b = (window.__bench = { frame: 0, recs: [], pending: null });
  const loop = () => requestAnimationFrame(() => { b.frame++; loop(); });
  loop();
  const start = (e) => { if (!b.pending) b.pending = { t0: e.timeStamp, frame0: b.frame }; };
  document.addEventListener('keydown', start, true);
  document.addEventListener('input', start, true);
  const mark = () => {
    const p = b.pending;
    if (!p || p.drawFrame !== undefined) return;
    p.drawFrame = b.frame;
    setTimeout(() => { b.recs.push({ lat: performance.now() - p.t0, frames: p.drawFrame - p.frame0 }); b.pending = null; }, 0);
  };
  const C = CanvasRenderingContext2D.prototype;
  for (const name of ['stroke', 'fill', 'fillRect', 'putImageData', 'drawImage']) {
    const orig = C[name];
    C[name] = function (...a) { mark(); return orig.apply(this, a); };
  }
};

async function sliderRun(browser, base, id, param, moves) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ctx.addInitScript(FRAME_PROBE);
  const page = await ctx.newPage();
  await page.goto(`${base}/?f=${id}`);
  await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 60_000 });
  await page.waitForTimeout(300);
  const slider = page.locator(`[data-param="${param}"]`).first();
  await slider.focus();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  const task = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  // Warm up (the first moves compile code paths), then measure.
  for (let i = 0; i < 10; i++) await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
  await page.waitForTimeout(200);
  await page.evaluate(() => { window.__bench.recs = []; window.__bench.pending = null; });
  const t0 = await task();
  let missed = 0;
  for (let i = 0; i < moves; i++) {
    await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
    const ok = await page.evaluate(() => new Promise((res) => {
      const t = performance.now();
      const chk = () => (window.__bench.pending === null ? res(true) : performance.now() - t > 1000 ? res(false) : setTimeout(chk, 2));
      chk();
    }));
    if (!ok) { missed++; await page.evaluate(() => { window.__bench.pending = null; }); }
  }
  const t1 = await task();
  const recs = await page.evaluate(() => window.__bench.recs);
  await ctx.close();
  const lat = recs.map((r) => r.lat);
  return {
    id, param, moves, measured: recs.length, missed,
    mainThreadMsPerUpdate: ((t1 - t0) * 1000) / moves,
    latencyMedianMs: median(lat), latencyP95Ms: pct(lat, 95),
    notNextFrame: recs.filter((r) => r.frames > 1).length,
  };
}

// Plain JS against the wasm path (nnplay.evaluate: Go fills the values, then they cross to JS).
async function jsVsWasm(browser, base) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${base}/?f=relu`);
  await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 60_000 });
  const res = await page.evaluate(() => {
    const N = 2048;
    const xs = new Float64Array(N);
    for (let i = 0; i < N; i++) xs[i] = -4 + (8 * i) / (N - 1);
    const arr = Array.from(xs);
    const y = new Float64Array(N), dy = new Float64Array(N);
    const sig = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
    const K = Math.sqrt(2 / Math.PI), A = 0.044715;
    const js = {
      relu: () => { for (let i = 0; i < N; i++) { const x = xs[i]; y[i] = x > 0 ? x : 0; dy[i] = x > 0 ? 1 : 0; } },
      sigmoid: () => { for (let i = 0; i < N; i++) { const s = sig(xs[i]); y[i] = s; dy[i] = s * (1 - s); } },
      softplus: () => { for (let i = 0; i < N; i++) { const x = xs[i]; y[i] = x > 20 ? x : Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); dy[i] = x > 20 ? 1 : sig(x); } },
      gelu: () => {
        for (let i = 0; i < N; i++) {
          const x = xs[i], u = K * (x + A * x * x * x), t = Math.tanh(u);
          y[i] = 0.5 * x * (1 + t);
          dy[i] = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * A * x * x);
        }
      },
    };
    const params = { relu: {}, sigmoid: {}, softplus: {}, gelu: { approximate: 'tanh' } };
    const time = (fn) => { // ns per evaluation, over at least 200 ms
      for (let i = 0; i < 20; i++) fn();
      let n = 0; const t0 = performance.now(); let t = t0;
      while (t - t0 < 200) { fn(); n++; t = performance.now(); }
      return ((t - t0) * 1e6) / (n * N);
    };
    const out = {};
    for (const id of Object.keys(js)) {
      out[id] = { js: time(js[id]), wasm: time(() => window.nnplay.evaluate(id, params[id], arr)) };
    }
    return out;
  });
  await ctx.close();
  return res;
}

// ---- report -----------------------------------------------------------------------------------

function distSizes() {
  const dir = join(root, 'web/dist/assets');
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir);
  const wasm = files.find((f) => /\.wasm$/.test(f));
  const size = (f) => (existsSync(join(dir, f)) ? statSync(join(dir, f)).size : NaN);
  return wasm ? { wasm, raw: size(wasm), br: size(wasm + '.br'), gz: size(wasm + '.gz') } : null;
}

function machine(browserVersion) {
  const c = cpus();
  return {
    date: new Date().toISOString(),
    cores: c.length,
    cpu: c[0] ? c[0].model.trim() : '?',
    memGiB: Math.round(totalmem() / 2 ** 30),
    go: sh('go', ['version']),
    node: process.version,
    chromium: browserVersion || sh(opt.chromium, ['--version']),
    commit: sh('git', ['-C', root, 'rev-parse', '--short', 'HEAD']),
    load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}

async function main() {
  const t0 = Date.now();
  const out = { budgets: BUDGET };
  if (!opt['skip-go']) {
    const native = goBench(false);
    const wasm = goBench(true);
    out.core = Object.keys(native).map((id) => ({ id, nativeNs: native[id], wasmNs: wasm[id], ratio: wasm[id] / native[id] }));
  }
  let browserVersion = null;
  if (!opt['skip-browser']) {
    const server = await startServer();
    const browser = await chromium.launch({ executablePath: opt.chromium, args: LAUNCH_ARGS });
    browserVersion = browser.version();
    try {
      log(`cold loads of ${server.base}/?f=gelu x ${opt.loads}`);
      const loads = await coldLoads(browser, server.base, Number(opt.loads));
      const wasmE = loads.sizes.find((e) => /\.wasm(\?|$)/.test(e.name)) || {};
      const sum = (k) => loads.sizes.reduce((s, e) => s + (e[k] || 0), 0);
      out.load = {
        firstPlotMs: loads.times, firstPlotMedianMs: median(loads.times),
        requests: loads.sizes.length,
        wasm: { transfer: wasmE.transfer, encoded: wasmE.encoded, decoded: wasmE.decoded, encoding: wasmE.encoding },
        page: { transfer: sum('transfer'), encoded: sum('encoded'), decoded: sum('decoded') },
        files: loads.sizes,
        dist: distSizes(),
      };
      log(`slider runs: ${opt.moves} moves each`);
      out.sliders = [
        await sliderRun(browser, server.base, 'elu', 'alpha', Number(opt.moves)),
        await sliderRun(browser, server.base, 'smooth_l1_loss', 'beta', Number(opt.moves)),
      ];
      log('plain JS against wasm');
      out.jsVsWasm = await jsVsWasm(browser, server.base);
    } finally {
      await browser.close();
      server.proc.kill('SIGTERM');
    }
  }
  out.machine = machine(browserVersion);
  out.seconds = (Date.now() - t0) / 1000;

  // Budgets.
  const checks = [];
  const check = (name, value, limit, unit, ok = value <= limit) => checks.push({ name, value, limit, unit, ok });
  if (out.load) {
    const br = out.load.dist && Number.isFinite(out.load.dist.br) ? out.load.dist.br : out.load.wasm.encoded;
    check('wasm, brotli', kb(br), BUDGET.wasmBrotliKB, 'KB');
    check(`whole first load, compressed (${out.load.wasm.encoding} wasm)`, kb(out.load.page.encoded), BUDGET.firstLoadKB, 'KB');
    check('first plot after navigation (median, cold)', out.load.firstPlotMedianMs, BUDGET.firstPlotMs, 'ms');
  }
  for (const s of out.sliders || []) {
    const lim = s.id === 'smooth_l1_loss' ? BUDGET.updateMsLoss : BUDGET.updateMsActivation;
    check(`main thread per update, ${s.id} (${s.id === 'smooth_l1_loss' ? 'loss + surface' : 'activation'})`, s.mainThreadMsPerUpdate, lim, 'ms');
    check(`updates not painted in the next frame, ${s.id}`, s.notNextFrame + s.missed, 0, 'of ' + s.moves);
  }
  if (out.core) {
    const worst = out.core.filter((c) => Number.isFinite(c.ratio)).sort((a, b) => b.ratio - a.ratio)[0];
    const over = out.core.filter((c) => c.ratio > BUDGET.wasmOverNative).length;
    if (worst) check(`wasm / native per evaluation, worst (${worst.id}); ${over} of ${out.core.length} over`, worst.ratio, BUDGET.wasmOverNative, 'x');
  }
  out.checks = checks;
  writeFileSync(opt.out, JSON.stringify(out, null, 2) + '\n');

  // The table.
  const L = [];
  const m = out.machine;
  L.push(`nnplay bench at ${m.commit}, ${m.date}`);
  L.push(`machine: ${m.cores} cores (${m.cpu}), ${m.memGiB} GiB, load ${m.load}; ${m.go}; node ${m.node}; chromium ${m.chromium}`);
  if (out.core) {
    L.push('', 'core: ns per evaluation (value and derivative), bulk over 2,048 points, default parameters');
    L.push(`${'function'.padEnd(34)} ${'native'.padStart(10)} ${'wasm'.padStart(10)} ${'wasm/native'.padStart(12)}`);
    for (const c of out.core) L.push(`${c.id.padEnd(34)} ${f1(c.nativeNs).padStart(10)} ${f1(c.wasmNs).padStart(10)} ${f1(c.ratio).padStart(11)}x`);
  }
  if (out.jsVsWasm) {
    L.push('', 'in the page: plain JavaScript against the wasm path (nnplay.evaluate), ns per evaluation at 2,048 points');
    L.push(`${'function'.padEnd(34)} ${'plain JS'.padStart(10)} ${'wasm'.padStart(10)} ${'wasm/JS'.padStart(12)}`);
    for (const [id, r] of Object.entries(out.jsVsWasm)) L.push(`${(id === 'gelu' ? 'gelu (tanh)' : id).padEnd(34)} ${f1(r.js).padStart(10)} ${f1(r.wasm).padStart(10)} ${f1(r.wasm / r.js).padStart(11)}x`);
  }
  if (out.load) {
    const l = out.load;
    L.push('', `page load (cold cache, ${l.firstPlotMs.length} loads of /?f=gelu): first plot median ${f1(l.firstPlotMedianMs)} ms (${l.firstPlotMs.map(f1).join(', ')})`);
    L.push(`  wasm: ${f1(kb(l.wasm.decoded))} KB raw, ${f1(kb(l.wasm.encoded))} KB transferred as ${l.wasm.encoding}` +
      (l.dist ? `; on disk ${f1(kb(l.dist.br))} KB brotli, ${f1(kb(l.dist.gz))} KB gzip` : ''));
    L.push(`  whole page: ${l.requests} requests, ${f1(kb(l.page.decoded))} KB raw, ${f1(kb(l.page.encoded))} KB compressed (${f1(kb(l.page.transfer))} KB with headers)`);
  }
  for (const s of out.sliders || []) {
    L.push(`slider ${s.id}.${s.param}, ${s.moves} moves: main thread ${f2(s.mainThreadMsPerUpdate)} ms/update; key press to painted frame median ${f1(s.latencyMedianMs)} ms, p95 ${f1(s.latencyP95Ms)} ms; ${s.notNextFrame} drawn later than the next frame, ${s.missed} not drawn`);
  }
  L.push('', 'budgets (issue 5):');
  for (const c of checks) L.push(`  ${c.ok ? 'met   ' : 'MISSED'} ${c.name}: ${f2(c.value)} ${c.unit} (budget ${c.limit})`);
  L.push('', `bench: ${checks.filter((c) => !c.ok).length} of ${checks.length} budgets missed; ${out.seconds.toFixed(0)} s; JSON in ${opt.out}`);
  console.log(L.join('\n'));
  if (opt.strict && checks.some((c) => !c.ok)) process.exitCode = 1;
}

main().catch((e) => { console.error('bench: error:', e && e.stack || e); process.exitCode = 2; });
