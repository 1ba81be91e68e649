// The table of make bench: reads the Go benchmark outputs (native and wasm), the browser
// benchmark's JSON (web/bench/run.mjs), the machine description and the wasm symbol sizes,
// prints one table with the budgets (MET/MISSED) and writes the same as JSON.
//
//   node bench/report.mjs --native n.txt --wasm w.txt --browser b.json --machine m.json \
//                         [--wasmsize s.json] --json bench/results.json
//
// Plain Node, no dependencies. It always exits 0 when it could read its inputs: a missed budget
// is reported, not a failure (make test never times anything).

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    native: { type: 'string' },
    wasm: { type: 'string' },
    browser: { type: 'string' },
    machine: { type: 'string' },
    wasmsize: { type: 'string' },
    json: { type: 'string' },
  },
});

const read = (f) => (f && existsSync(f) ? readFileSync(f, 'utf8') : '');
const readJSON = (f) => {
  const s = read(f);
  try {
    return s ? JSON.parse(s) : null;
  } catch {
    return null;
  }
};

const KB = 1024; // as web/build.mjs prints its budget
const POINTS = 2048; // core/view/bench_test.go
const EVALS = { ActivationCurves: 3 * POINTS, LossCurves: 3 * POINTS, Surface: 256 * 256 };
const BUDGET = {
  wasmBrKB: 600,
  pageKB: 900,
  firstPlotMs: 300,
  activationUpdateMs: 4,
  lossUpdateMs: 8,
  wasmOverNative: 2,
  depthSampleMs: 150, // the depth lab's default configuration on screen after a slider change (issue 10)
  depthTaskMs: 8, // the longest main-thread task meanwhile
};

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  if (!s.length) return null;
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
}

// parseBench returns {"Surface/cross_entropy": {nsOp: median, runs: n}} from `go test -bench`.
function parseBench(text) {
  const runs = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns\/op/);
    if (!m) continue;
    (runs[m[1]] ||= []).push(Number(m[2]));
  }
  const out = {};
  for (const [k, v] of Object.entries(runs)) out[k] = { nsOp: median(v), runs: v.length, min: Math.min(...v), max: Math.max(...v) };
  return out;
}

const native = parseBench(read(opt.native));
const wasm = parseBench(read(opt.wasm));
const browser = readJSON(opt.browser) || {};
const machine = readJSON(opt.machine) || {};

// ---- core rows ------------------------------------------------------------------------------
const core = [];
for (const [name, n] of Object.entries(native)) {
  const [group, id] = name.split('/');
  if (!id || !(group in EVALS) || id.startsWith('zz_')) continue; // zz_*: the tests' own functions
  const w = wasm[name];
  const evals = EVALS[group];
  const view = group === 'Surface' ? 'surface 256x256' : group === 'LossCurves' ? 'loss curve' : 'curve';
  core.push({
    id,
    view,
    evaluations: evals,
    nativeNsPerEval: n.nsOp / evals,
    wasmNsPerEval: w ? w.nsOp / evals : null,
    ratio: w ? w.nsOp / n.nsOp : null,
    nativeUsPerFrame: n.nsOp / 1e3,
    wasmUsPerFrame: w ? w.nsOp / 1e3 : null,
    runs: n.runs,
  });
}
const ratios = core.map((r) => r.ratio).filter((v) => v > 0);
const geomean = ratios.length ? Math.exp(ratios.reduce((s, v) => s + Math.log(v), 0) / ratios.length) : null;

// ---- wasm size by package (bench/wasmsize.mjs) ----------------------------------------------
const wsize = readJSON(opt.wasmsize);

// ---- budgets --------------------------------------------------------------------------------
const budgets = [];
const budget = (name, value, limit, unit, met, detail = '') =>
  budgets.push({ name, value, limit, unit, status: value == null ? 'NOT MEASURED' : met ? 'MET' : 'MISSED', detail });
const bytes = browser.bytes || {};
const wasmBr = bytes.wasm && (bytes.wasm.br ?? bytes.wasm.transferred);
budget('wasm brotli', wasmBr == null ? null : wasmBr / KB, BUDGET.wasmBrKB, 'KB', wasmBr / KB <= BUDGET.wasmBrKB);
const page = bytes.page && bytes.page.transferred;
budget('whole first load, compressed (transferred)', page == null ? null : page / KB, BUDGET.pageKB, 'KB', page / KB <= BUDGET.pageKB,
  bytes.page ? `${bytes.page.requests} responses` : '');
const load = browser.load || {};
const fp = load['/'] && load['/'].readyMs.median;
budget('first plot after navigation (default page)', fp, BUDGET.firstPlotMs, 'ms', fp <= BUDGET.firstPlotMs, 'median, cold cache');
const fpl = load['/?f=cross_entropy'] && load['/?f=cross_entropy'].readyMs.median;
budget('first plot after navigation (cross_entropy, with surface)', fpl, BUDGET.firstPlotMs, 'ms', fpl <= BUDGET.firstPlotMs, 'median, cold cache');
for (const s of browser.sliders || []) {
  const lim = s.kind === 'loss' ? BUDGET.lossUpdateMs : BUDGET.activationUpdateMs;
  const m = s.mainThreadMsPerUpdate;
  const v = m ? (m.net ?? m.task) : null;
  const sf = s.surface;
  const how = m && m.net != null ? "TaskDuration minus idle and the harness's own calls, per update" : 'TaskDuration minus idle, per update';
  const coarse = sf && sf.coarseWhileChanging ? `; surface coarse while changing, the full ${sf.fullGrid}x${sf.fullGrid} one after: ${sf.fullFrameCallbackMs == null ? "-" : sf.fullFrameCallbackMs.toFixed(1)} ms` : '';
  budget(`main-thread time per update: ${s.scenario}`, v, lim, 'ms', v <= lim, s.error ? `error: ${s.error}` : how + coarse);
}
{
  const sl = (browser.sliders || []).filter((s) => s.nextFrame);
  const ok = sl.reduce((a, s) => a + s.nextFrame.drawnInNextFrame, 0);
  const of = sl.reduce((a, s) => a + s.nextFrame.of, 0);
  budget('every update drawn in the next frame', of ? (100 * ok) / of : null, 100, '%', of > 0 && ok === of, `${ok} of ${of} updates`);
}
for (const d of Array.isArray(browser.depth) ? browser.depth : []) {
  if (/^default/.test(d.case)) {
    budget(`depth lab: sample on screen after a slider change, ${d.case}`, d.sampleMs.median, BUDGET.depthSampleMs, 'ms', d.sampleMs.median <= BUDGET.depthSampleMs,
      `median of ${d.presses} key presses, p95 ${d.sampleMs.p95} ms`);
  }
  budget(`depth lab: longest main-thread task, ${d.case}`, d.maxTaskMs, BUDGET.depthTaskMs, 'ms', d.maxTaskMs <= BUDGET.depthTaskMs,
    `gaps between MessageChannel pings (script, style, layout, paint)${/^large/.test(d.case) ? `; sample ${(d.sampleMs.median / 1000).toFixed(1)} s, progress shown: ${d.progressShown}` : ''}`);
}
{
  const over = core.filter((r) => r.ratio > BUDGET.wasmOverNative);
  const worst = core.filter((r) => r.ratio).sort((a, b) => b.ratio - a.ratio)[0];
  budget('wasm no slower than 2x native, every function and view', worst ? worst.ratio : null, BUDGET.wasmOverNative, 'x', over.length === 0,
    worst ? `${over.length} of ${core.length} over; worst ${worst.id} ${worst.view}; geometric mean ${geomean.toFixed(2)}x` : '');
}

// ---- the table ------------------------------------------------------------------------------
const L = [];
const f = (v, d = 1) => (v == null || !Number.isFinite(v) ? '-' : v.toFixed(d));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
L.push('nnplay make bench');
L.push(`machine: ${machine.cores ?? browser.cores} cores (${machine.cpu ?? browser.cpu ?? '?'}), ${machine.go ?? '?'}, node ${machine.node ?? browser.node ?? '?'}, Chromium ${browser.chromium ?? '?'}; ${machine.date ?? browser.date ?? ''}`);
L.push(`note: a shared 2-core machine is noisy; core figures are medians of ${core[0] ? core[0].runs : "?"} rounds (native and wasm alternating), browser figures medians as stated.`);
L.push('');
L.push('CORE  ns per evaluation (value and derivative) through core/view: curve = 2,048 points x 3 evaluations (f and f\' at x, f at x+-h);');
L.push('      surface = 256x256 Surface.Eval calls plus the colour scale and the RGBA heatmap. wasm = GOOS=js GOARCH=wasm under Node (go_js_wasm_exec).');
L.push(`${pad('function', 34)}${pad('view', 17)}${lpad('native', 9)}${lpad('wasm', 9)}${lpad('wasm/nat', 10)}${lpad('native µs/frame', 17)}${lpad('wasm µs/frame', 15)}`);
for (const r of core) {
  L.push(`${pad(r.id, 34)}${pad(r.view, 17)}${lpad(f(r.nativeNsPerEval), 9)}${lpad(f(r.wasmNsPerEval), 9)}${lpad(f(r.ratio, 2), 10)}${lpad(f(r.nativeUsPerFrame, 0), 17)}${lpad(f(r.wasmUsPerFrame, 0), 15)}`);
}
L.push(`${pad('geometric mean of wasm/native', 60)}${lpad(f(geomean, 2), 10)}`);
L.push('');
if (browser.compute) {
  L.push('PLAIN JS vs WASM in the same Chromium page: 2,048 points, f, f\' and the central difference (µs per frame, median of rounds)');
  L.push('      wasm = core/view.Curves.Activation compiled to wasm (bench/wasmbench), +copy = with the 4 buffers copied to Float64Arrays as the page does.');
  L.push('      JS gelu uses an erf approximation (Numerical Recipes erfc, rel. error < 1.2e-7): a speed comparison, not an accuracy one.');
  L.push(`${pad('function', 12)}${lpad('JS', 9)}${lpad('wasm', 9)}${lpad('+copy', 9)}${lpad('wasm/JS', 9)}   max rel diff f, f'`);
  for (const [id, r] of Object.entries(browser.compute)) {
    if (id.startsWith('_')) continue;
    L.push(`${pad(id, 12)}${lpad(f(r.jsNs / 1e3), 9)}${lpad(f(r.wasmNs / 1e3), 9)}${lpad(f(r.wasmCopyNs / 1e3), 9)}${lpad(f(r.ratioWasmToJS, 2), 9)}   ${r.maxRelDiffY.toExponential(1)}, ${r.maxRelDiffDY.toExponential(1)}`);
  }
  if (browser.compute._api) L.push(`nnplay.evaluate('gelu', {}, 2,048 xs), the API path (f and f' only, a conversion per number): ${f(browser.compute._api.medianMs, 2)} ms per call`);
  L.push('');
}
if (browser.load) {
  L.push('FIRST PLOT  headless Chromium, real server on loopback, cold cache (new context per load); ms after navigation start, median [min-max]');
  for (const [p, r] of Object.entries(browser.load)) {
    L.push(`${pad(p, 20)} first plot ${f(r.readyMs.median, 0)} [${f(r.readyMs.min, 0)}-${f(r.readyMs.max, 0)}], frame rendered ${f(r.renderedMs.median, 0)}; html ${f(r.responseEndMs, 0)}, js ${f(r.jsEndMs, 0)}, FCP ${f(r.fcpMs, 0)}, DOMContentLoaded ${f(r.domContentLoadedMs, 0)}, wasm fetch ${f(r.wasmFetchStartMs, 0)}-${f(r.wasmFetchEndMs, 0)}, load ${f(r.loadEventMs, 0)} (${r.loads} loads)`);
  }
  L.push('');
}
if (browser.sliders) {
  L.push('SLIDER UPDATES  real key presses, one at a time; main thread = CDP TaskDuration per update minus an idle run of the same length and minus');
  L.push('      the harness\'s own CDP calls (the same calls with a key that changes nothing: "harness"); gross = TaskDuration alone');
  L.push(`${pad('scenario', 15)}${lpad('updates', 8)}${lpad('main ms', 9)}${lpad('harness', 8)}${lpad('gross', 7)}${lpad('script', 8)}${lpad('input', 7)}${lpad('frame', 7)}${lpad('wasm', 7)}${lpad('glue', 7)}${lpad('render', 8)}${lpad('lat p50', 9)}${lpad('p95', 7)}  next frame`);
  for (const s of browser.sliders) {
    if (s.error) {
      L.push(`${pad(s.scenario, 15)} error: ${s.error}`);
      continue;
    }
    const m = s.mainThreadMsPerUpdate;
    const h = s.hooksMs;
    const glue = (h.glueCurves || 0) + (h.glueSurface || 0) + (h.gluePoint || 0);
    L.push(`${pad(s.scenario, 15)}${lpad(s.moves, 8)}${lpad(f(m.net ?? m.task, 2), 9)}${lpad(f(m.harness, 2), 8)}${lpad(f(m.taskGross, 1), 7)}${lpad(f(m.script, 1), 8)}${lpad(f(h.inputHandler, 1), 7)}${lpad(f(h.frameCallback, 1), 7)}${lpad(f(h.wasmInFrame, 1), 7)}${lpad(f(glue, 1), 7)}${lpad(f(h.renderAfterFrame, 1), 8)}${lpad(f(s.latencyMs.median, 1), 9)}${lpad(f(s.latencyMs.p95, 1), 7)}  ${s.nextFrame.drawnInNextFrame}/${s.nextFrame.of}`);
  }
  L.push('      (per-update medians from the page hooks: input = the input/change handlers (wasm), frame = the wasm rAF callback, of which glue = the');
  L.push('       JS drawing calls and wasm = the rest; render = from the end of that callback to the end of the frame\'s rendering, incl. uPlot\'s');
  L.push('       deferred redraw; lat = key event to the end of the rendering of the frame that drew it)');
  for (const s of browser.sliders) if (s.what) L.push(`      ${s.scenario}: ${s.what}`);
  for (const s of browser.sliders) {
    const sf = s.surface;
    if (!sf) continue;
    L.push(`      ${s.scenario} surface (${sf.fullGrid}x${sf.fullGrid} in full): while changing ${sf.coarseWhileChanging} coarse and ${sf.fullWhileChanging} full frames, frame callback ${f(sf.changeFrameCallbackMs, 1)} ms;` +
      ` the full one after a pause: ${sf.refineFrames} frames, ${f(sf.fullFrameCallbackMs, 1)} ms each (compute and draw calls)`);
  }
  L.push('');
}
if (browser.profileLoad) {
  const p = browser.profileLoad;
  L.push(`PROFILE OF ONE COLD LOAD of ${p.path} (main thread, navigation to first plot at ${f(p.firstPlotMs, 0)} ms with the profiler on; ${f(p.msSampled, 0)} ms of samples); self ms, top 8:`);
  L.push('  ' + p.top.slice(0, 8).map((t) => `${t.fn.replace(/^github\.com_nnplay_nnplay_/, '').slice(0, 50)} ${f(t.ms, 1)}`).join('; '));
  L.push('');
}
if (browser.profile && browser.profile.length) {
  L.push('PROFILE  V8 sampling profiler over slider updates (wasm with names: an unstripped build of ./wasm); self ms per update, top 6');
  for (const p of browser.profile) {
    L.push(`${pad(p.scenario, 15)}${f(p.msSampledPerUpdate, 1)} ms sampled: ` + p.top.slice(0, 6).map((t) => `${t.fn.replace(/^github\.com_nnplay_nnplay_/, '').slice(0, 60)} ${f(t.msPerUpdate, 2)}`).join('; '));
  }
  L.push('');
}
if (bytes.wasm) {
  L.push('BYTES');
  const w = bytes.wasm;
  L.push(`wasm: raw ${f(w.raw / KB)} KB, brotli ${f(w.br / KB)} KB, gzip ${f(w.gz / KB)} KB; transferred ${f(w.transferred / KB)} KB (${w.encoding})`);
  const p = bytes.page;
  L.push(`first load (${p.requests} responses): raw ${f(p.raw / KB)} KB, brotli ${f(p.br / KB)} KB, gzip ${f(p.gz / KB)} KB; transferred ${f(p.transferred / KB)} KB (bodies + headers)`);
  for (const x of bytes.files) L.push(`  ${pad(x.path, 52)} raw ${lpad(f(x.raw / KB), 7)}  br ${lpad(f(x.br / KB), 6)}  gz ${lpad(f(x.gz / KB), 6)}  sent ${lpad(f((x.transferred ?? 0) / KB), 6)} ${x.encoding || ''}`);
  if (wsize) {
    L.push(`wasm (unstripped build, uncompressed): code ${f(wsize.codeBytes / KB, 0)} KB in ${wsize.functions} functions, data ${f(wsize.dataBytes / KB, 0)} KB; code KB by package:`);
    L.push('  ' + wsize.packages.slice(0, 12).map((t) => `${t.pkg.replace(/^github\.com_nnplay_nnplay_/, '')} ${f(t.bytes / KB, 0)}`).join(', '));
  }
  L.push('');
}
L.push('BUDGETS');
for (const b of budgets) L.push(`${pad(b.status, 13)}${pad(b.name, 62)}${lpad(b.value == null ? '-' : f(b.value, 1), 8)} ${pad(b.unit, 3)} (limit ${b.limit} ${b.unit})${b.detail ? '  ' + b.detail : ''}`);
const missed = budgets.filter((b) => b.status !== 'MET');
L.push(`summary: ${budgets.length - missed.length} of ${budgets.length} budgets met${missed.length ? '; missed: ' + missed.map((b) => b.name).join('; ') : ''}`);

console.log(L.join('\n'));
if (opt.json) {
  const out = { machine: { ...machine, chromium: browser.chromium }, budgets, core, coreGeomeanWasmOverNative: geomean, compute: browser.compute, load: browser.load, sliders: browser.sliders, depth: browser.depth, profile: browser.profile, profileLoad: browser.profileLoad, bytes, wasmSize: wsize, table: L };
  writeFileSync(opt.json, JSON.stringify(out, null, 2) + '\n');
}
