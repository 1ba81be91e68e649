// nnplay's browser tests: playwright-core driving Debian's Chromium against the real server.
//
//   cd web && node e2e/run.mjs --server ../bin/nnplay [--only gelu,softmax] [--grep url]
//                              [--workers 2] [--headed] [--update-docs-screenshot] [-v]
//                              [--server-arg=-dir=/path/to/dist]
//
// It starts the server on a free loopback port, opens the page in /usr/bin/chromium (never a
// downloaded browser), and checks what a user does: every function of the registry opens,
// plots, and reacts to its sliders; values against independent numbers; the URL round trip;
// bad URLs; the embed page in an iframe; the phone layout with touch; a failed wasm load; and
// screenshots (web/e2e/screenshots/, looked at by a person, not compared).
//
// Plain Node ESM, no test framework. Prints one line per test and a summary; exits 1 on any
// failure. The page's hooks it relies on are listed in web/e2e/README.md.

import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import http from 'node:http';
import { mkdirSync, copyFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { depthTests } from './depth.mjs';
import { LECTURE_IDS, EDGE_CASES, INVALID, LOSS_SAMPLES, ACT_PROBE, VEC_PROBE, EXPECT, NO_EFFECT, NO_VISIBLE } from './cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    server: { type: 'string', default: '../bin/nnplay' },
    'server-arg': { type: 'string', multiple: true, default: [] }, // extra server flags, e.g. --server-arg=-dir=/tmp/dist
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
    only: { type: 'string', default: '' }, // function ids for the per-function tests
    grep: { type: 'string', default: '' }, // substring of test names to run
    workers: { type: 'string', default: process.env.E2E_WORKERS || '2' },
    headed: { type: 'boolean', default: false },
    'update-docs-screenshot': { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
});

const T_READY = 30_000; // first paint, wasm instantiated (a cold wasm compile on a busy 2-core box)
const T_STEP = 5_000; // one UI reaction (state change, redraw, message)
const T_URL = 5_000; // the debounced history.replaceState
const SHOTS = join(here, 'screenshots');

// ---------------------------------------------------------------------------------------------
// A tiny harness: tests are async functions of a Check; a check records failures and goes on,
// check.fatal throws. A test fails if it threw or recorded a failure.

class Failure extends Error {}

class Check {
  constructor() { this.failures = []; this.notes = []; }
  ok(cond, msg) { if (!cond) this.failures.push(msg); return !!cond; }
  fatal(cond, msg) { if (!cond) throw new Failure(msg); }
  note(msg) { this.notes.push(msg); }
  eq(got, want, msg) { return this.ok(same(got, want), `${msg}: got ${show(got)}, want ${show(want)}`); }
  close(got, want, msg, ulps = 4) {
    return this.ok(closeDeep(got, want, ulps), `${msg}: got ${show(got)}, want ${show(want)} (within ${ulps} ulps)`);
  }
}

const tests = [];
function test(name, fn) { tests.push({ name, fn }); }

// ---------------------------------------------------------------------------------------------
// Numbers.

function show(v) {
  return JSON.stringify(v, (k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : Object.is(x, -0) ? '-0' : x));
}

function same(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return same(ka, kb) && ka.every((k) => same(a[k], b[k]));
  }
  return a === b;
}

const f64 = new Float64Array(1), i64 = new BigInt64Array(f64.buffer);
function ordered(x) { f64[0] = x; const i = i64[0]; return i < 0n ? -(i & 0x7fffffffffffffffn) : i; }
function ulpDist(a, b) {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0; // +0 == -0 (policy 4: negative zero displays as 0)
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}
function closeDeep(got, want, ulps) {
  if (typeof want === 'number') return typeof got === 'number' && ulpDist(got, want) <= ulps;
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => closeDeep(got[i], w, ulps));
  if (want && typeof want === 'object') return got && typeof got === 'object' && Object.keys(want).every((k) => closeDeep(got[k], want[k], ulps));
  return got === want;
}
const relClose = (a, b, rel = 1e-12) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

// A loss gradient comes back either as the gradient of the only differentiable input or keyed by
// input name ({input: ...}); gradOf picks the named one.
function gradOf(res, name = 'input') {
  const g = res && res.grad;
  if (g && !Array.isArray(g) && typeof g === 'object') return g[name];
  return g;
}

// ---------------------------------------------------------------------------------------------
// The server.

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

async function startServer(bin) {
  if (!existsSync(bin)) throw new Error(`server binary ${bin} not found (make server)`);
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  const proc = spawn(bin, ['-addr', addr, ...opt['server-arg']], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  let exited = null;
  proc.on('exit', (code, sig) => { exited = `exited with ${code ?? sig}`; });
  const base = `http://${addr}`;
  const t0 = Date.now();
  for (;;) {
    if (exited) throw new Error(`server ${exited}:\n${log}`);
    try {
      const r = await fetch(base + '/');
      if (r.ok) break;
    } catch { /* not yet listening */ }
    if (Date.now() - t0 > 15_000) throw new Error(`server did not answer on ${base} within 15 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, proc, log: () => log, stop: () => new Promise((r) => { if (exited) return r(); proc.on('exit', r); proc.kill('SIGTERM'); setTimeout(() => { proc.kill('SIGKILL'); r(); }, 5000).unref(); }) };
}

// ---------------------------------------------------------------------------------------------
// Pages. open() gives a page whose console errors, page errors and failed requests are recorded
// as problems; each test checks that there are none unless it causes them on purpose.

let browser, server;

async function newContext(options = {}) {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
}

async function open(ctx, path, { ready = true, allowHttp = () => false } = {}) {
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400 && !allowHttp(r.url())) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  page.on('requestfailed', (r) => { if (!allowHttp(r.url())) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`); });
  page.problems = problems;
  await page.goto(server.base + path, { waitUntil: 'load' });
  if (ready) await waitReady(page);
  return page;
}

async function waitReady(page) {
  await page.waitForSelector('body[data-ready="1"]', { timeout: T_READY, state: 'attached' });
  await page.evaluate(() => window.nnplay && window.nnplay.ready);
}

function noProblems(c, page, what = '') {
  // Console messages arrive asynchronously; the caller has already waited for the page to settle.
  c.ok(page.problems.length === 0, `${what}no console errors, page errors or failed requests; got:\n      ${page.problems.join('\n      ')}`);
}

// The registry as the page reports it, normalised to [{id, kind, params: [{name, type, default,
// min, max, step}]}]. functions() may return an array or an object keyed by id.
async function registry(page) {
  const raw = await page.evaluate(() => window.nnplay.functions());
  const list = Array.isArray(raw) ? raw : Object.entries(raw).map(([id, f]) => ({ id, ...f }));
  return list.map((f) => ({
    ...f,
    params: (Array.isArray(f.params) ? f.params : Object.entries(f.params || {}).map(([name, p]) => ({ name, ...p }))),
  }));
}

const state = (page) => page.evaluate(() => window.nnplay.state());
// state() is {f, ...params}; paramsOf drops f (and accepts a nested {f, params} too).
function paramsOf(s) {
  if (s && s.params && typeof s.params === 'object' && !Array.isArray(s.params)) return { ...s.params };
  const { f, ...rest } = s || {};
  return rest;
}

// evaluate in the page; returns {ok, value} or {ok: false, error}. Playwright carries NaN,
// +-Infinity and -0 both ways.
async function evaluate(page, id, params, input) {
  return page.evaluate(async ([id, params, input]) => {
    try {
      return { ok: true, value: await window.nnplay.evaluate(id, params, input) };
    } catch (e) {
      return { ok: false, error: String((e && e.message) || e) };
    }
  }, [id, params, input]);
}

// The views each kind must show, and a test for "non-empty": a canvas with ink, an svg with
// shapes, or (for DOM bars) sized children.
const VIEWS = { activation: ['#plot-f', '#plot-df'], vector: ['#vector'], loss: ['#plot-f', '#surface'] };

async function viewsDrawn(page, kind) {
  const sels = VIEWS[kind] || VIEWS.activation;
  const out = {};
  for (const sel of sels) {
    try {
      await page.waitForFunction((sel) => {
        const el = document.querySelector(sel);
        if (!el) return false;
        const r = el.getBoundingClientRect();
        if (r.width < 20 || r.height < 20) return false;
        const canvases = el.tagName === 'CANVAS' ? [el] : [...el.querySelectorAll('canvas')];
        for (const c of canvases) {
          if (!c.width || !c.height) continue;
          let ctx = null;
          try { ctx = c.getContext('2d', { willReadFrequently: true }); } catch { ctx = null; }
          if (!ctx) return true; // a webgl canvas: cannot read it back, trust its size
          const d = ctx.getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < d.length; i += 4 * 7) if (d[i] !== 0) return true;
        }
        if (el.querySelector('svg path, svg rect, svg line, svg circle, svg polyline')) return true;
        const kids = [...el.querySelectorAll('*')].filter((k) => { const b = k.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
        return canvases.length === 0 && kids.length >= 3;
      }, sel, { timeout: T_STEP });
      out[sel] = true;
    } catch {
      out[sel] = false;
    }
  }
  return out;
}

// A fingerprint of what the views show: a hash of each canvas's pixels and each svg's markup.
async function viewPrint(page) {
  return page.evaluate(() => {
    let h = 2166136261 >>> 0;
    const mix = (x) => { h ^= x; h = Math.imul(h, 16777619) >>> 0; };
    for (const sel of ['#plot-f', '#plot-df', '#surface', '#vector']) {
      const el = document.querySelector(sel);
      if (!el) continue;
      for (const c of el.tagName === 'CANVAS' ? [el] : el.querySelectorAll('canvas')) {
        let ctx = null;
        try { ctx = c.getContext('2d', { willReadFrequently: true }); } catch { /* webgl */ }
        if (!ctx || !c.width || !c.height) continue;
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 3) mix(d[i]);
      }
      for (const s of el.querySelectorAll('svg')) { const t = s.outerHTML; for (let i = 0; i < t.length; i++) mix(t.charCodeAt(i)); }
      const t = el.innerText || '';
      for (let i = 0; i < t.length; i++) mix(t.charCodeAt(i));
    }
    return h;
  });
}

async function scrollFits(page) {
  return page.evaluate(() => ({
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    innerWidth: window.innerWidth,
  }));
}

async function messagesText(page) {
  return page.evaluate(() => {
    const m = document.querySelector('#messages');
    if (!m) return null;
    const visible = !!(m.offsetWidth || m.offsetHeight || m.getClientRects().length) && getComputedStyle(m).visibility !== 'hidden';
    return { text: (m.innerText || '').trim(), visible };
  });
}

async function waitMessage(page, re = /\S/) {
  try {
    await page.waitForFunction((src) => {
      const m = document.querySelector('#messages');
      if (!m) return false;
      const visible = !!(m.offsetWidth || m.offsetHeight || m.getClientRects().length) && getComputedStyle(m).visibility !== 'hidden';
      return visible && new RegExp(src, 'i').test(m.innerText || '');
    }, re.source, { timeout: T_STEP });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Sliders. A user moves a range input with the keyboard (focus + arrow keys): Chromium then fires
// real input and change events, exactly as for a person.

async function sliderInfo(page, name) {
  return page.evaluate((name) => {
    const s = document.querySelector(`[data-param="${CSS.escape(name)}"]`);
    const b = document.querySelector(`[data-param-box="${CSS.escape(name)}"]`);
    if (!s) return null;
    // a slider over a parameter's stops (ignore_index) runs over their indices and carries the
    // parameter's value in data-value, data-min and data-max
    const d = s.dataset;
    return { type: s.type, value: d.value ?? s.value, min: d.min ?? s.min, max: d.max ?? s.max, step: s.step, box: b ? b.value : null, index: s.value };
  }, name);
}

async function pressOn(page, name, key, times = 1) {
  const loc = page.locator(`[data-param="${name}"]`).first();
  await loc.scrollIntoViewIfNeeded().catch(() => {});
  await loc.focus();
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

async function waitStateChange(page, name, old) {
  try {
    await page.waitForFunction(([name, old]) => {
      const s = window.nnplay.state();
      const p = s.params && typeof s.params === 'object' ? s.params : s;
      return p[name] !== old;
    }, [name, old], { timeout: T_STEP });
    return true;
  } catch {
    return false;
  }
}

async function waitUrlParam(page, name, want) {
  try {
    await page.waitForFunction(([name, want]) => {
      const v = new URLSearchParams(location.search).get(name);
      return v !== null && Math.abs(Number(v) - want) <= 1e-9 * Math.max(1, Math.abs(want));
    }, [name, want], { timeout: T_URL });
    return true;
  } catch {
    return false;
  }
}

// The sample an evaluate call takes for a function: a grid for activations, a vector for vector
// functions, a per-loss input from cases.mjs.
function sampleFor(f) {
  if (f.kind === 'activation') return ACT_PROBE;
  if (f.kind === 'vector') return VEC_PROBE;
  return LOSS_SAMPLES[f.id] || null;
}

const isNumeric = (p) => p.type === 'real' || p.type === 'int' || p.type === 'number' || p.type === undefined;

// ---------------------------------------------------------------------------------------------
// Tests.

let REG = []; // filled in main() from nnplay.functions() on the page

function perFunctionTests() {
  const only = opt.only ? new Set(opt.only.split(',')) : null;
  for (const f of REG) {
    if (only && !only.has(f.id)) continue;
    test(`function ${f.id}: opens, plots, sliders take effect`, async (c) => {
      const ctx = await newContext();
      try {
        const page = await open(ctx, `/?f=${encodeURIComponent(f.id)}`);
        const s0 = await state(page);
        c.eq(s0.f, f.id, 'state().f after opening /?f=' + f.id);
        const drawn = await viewsDrawn(page, f.kind);
        for (const [sel, okDrawn] of Object.entries(drawn)) c.ok(okDrawn, `${sel} is drawn (visible, non-empty) for a ${f.kind}`);
        // KaTeX is a chunk of its own, imported once the first plot is drawn: the formula follows.
        c.ok(await page.waitForSelector('#formula .katex, #formula math, #formula .katex-mathml', { timeout: T_STEP, state: 'attached' }).then(() => true, () => false), '#formula holds a KaTeX formula');

        const sample = sampleFor(f);
        if (!sample) c.ok(false, `no sample input for loss ${f.id} in web/e2e/cases.mjs LOSS_SAMPLES (add one)`);

        for (const p of f.params.filter(isNumeric)) {
          const info = await sliderInfo(page, p.name);
          if (!c.ok(info, `a slider [data-param="${p.name}"] exists`)) continue;
          c.ok(info.type === 'range', `[data-param="${p.name}"] is a range input (type ${info.type})`);
          const before = paramsOf(await state(page));
          const old = before[p.name];
          const print0 = await viewPrint(page);
          const up = Number(info.value) < Number(info.max);
          await pressOn(page, p.name, up ? 'ArrowRight' : 'ArrowLeft');
          if (!c.ok(await waitStateChange(page, p.name, old), `${p.name}: ${up ? 'ArrowRight' : 'ArrowLeft'} on the slider changes state().${p.name} (was ${old})`)) continue;
          const after = paramsOf(await state(page));
          const now = after[p.name];
          const info2 = await sliderInfo(page, p.name);
          c.ok(up ? now > old : now < old, `${p.name} moved ${up ? 'up' : 'down'}: ${old} -> ${now}`);
          c.ok(relClose(now, Number(info2.value), 1e-9), `${p.name}: state ${now} matches the slider ${info2.value}`);
          if (info2.box !== null) c.ok(relClose(now, Number(info2.box), 1e-6), `${p.name}: the typed box shows ${info2.box}, state ${now}`);
          c.ok(await waitUrlParam(page, p.name, now), `${p.name}: location.search has ${p.name}=${now} after the debounce (is ${await page.evaluate(() => location.search)})`);

          if (sample) {
            // For an activation, add points at and between the old and new value: a threshold
            // or shrinkage parameter changes the function only there.
            const probe = f.kind === 'activation' && typeof old === 'number'
              ? [...sample, ...[old, now, (old + now) / 2].flatMap((v) => [v, -v])]
              : sample;
            const r0 = await evaluate(page, f.id, before, probe);
            const r1 = await evaluate(page, f.id, after, probe);
            c.ok(r0.ok, `${p.name}: evaluate with the old params works: ${r0.error || ''}`);
            c.ok(r1.ok, `${p.name}: evaluate with the new params works: ${r1.error || ''}`);
            const key = `${f.id}.${p.name}`;
            if (r0.ok && r1.ok) {
              if (NO_EFFECT[key]) c.note(`${key}: a one-step change need not change this sample (${NO_EFFECT[key]})`);
              else c.ok(!same(r0.value, r1.value), `${p.name}: evaluate differs after ${old} -> ${now}`);
              // The plots repaint with the new value.
              if (!NO_EFFECT[key] && NO_VISIBLE[key]) c.note(`${key}: the plots need not change (${NO_VISIBLE[key]})`);
              if (!NO_EFFECT[key] && !NO_VISIBLE[key]) {
                let changed = false;
                for (let i = 0; i < 20 && !changed; i++) { changed = (await viewPrint(page)) !== print0; if (!changed) await page.waitForTimeout(100); }
                c.ok(changed, `${p.name}: the plots changed after ${old} -> ${now}`);
              }
            }
            const ex = EXPECT[key];
            if (ex) {
              const { input, want, pick } = ex(after);
              const r = await evaluate(page, f.id, after, input);
              if (c.ok(r.ok, `${key}=${now}: evaluate works: ${r.error || ''}`)) {
                const got = pick ? pick(r.value) : r.value.value;
                c.ok(Array.isArray(want) ? want.every((w, i) => relClose(got[i], w, 1e-12)) : relClose(got, want, 1e-12),
                  `${key}=${now}: evaluate gives ${show(got)}, independent value ${show(want)}`);
                c.note(`${key}=${now}: evaluate ${show(got)} vs independent ${show(want)}`);
              }
            }
          }
          // Back to where it was, so each parameter is tested from the defaults.
          await pressOn(page, p.name, up ? 'ArrowLeft' : 'ArrowRight');
          await waitStateChange(page, p.name, now);
        }
        await page.waitForTimeout(50);
        noProblems(c, page);
      } finally {
        await ctx.close();
      }
    });
  }
}

function staticTests() {
  test('registry: every function of the lecture is present', async (c) => {
    const ids = new Set(REG.map((f) => f.id));
    const missing = LECTURE_IDS.filter((id) => !ids.has(id));
    c.ok(missing.length === 0, `nnplay.functions() lacks: ${missing.join(', ')}`);
    for (const f of REG) {
      c.ok(['activation', 'vector', 'loss'].includes(f.kind), `${f.id}: kind is activation, vector or loss (got ${f.kind})`);
      for (const p of f.params) {
        if (isNumeric(p)) c.ok(typeof p.default === 'number' && typeof p.min === 'number' && typeof p.max === 'number' && p.min <= p.default && p.default <= p.max,
          `${f.id}.${p.name}: default ${p.default} lies in [min ${p.min}, max ${p.max}]`);
      }
    }
  });

  test('values: evaluate against independent numbers (edge-cases.md)', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/');
      for (const e of EDGE_CASES) {
        const r = await evaluate(page, e.id, e.params, e.input);
        if (!c.ok(r.ok, `${e.name}: evaluate(${e.id}) works: ${r.error || ''}`)) continue;
        for (const [what, want] of Object.entries(e.want)) {
          const got = what === 'loss' ? r.value.loss : what.startsWith('grad') ? gradOf(r.value, what.split('.')[1]) : r.value[what];
          c.close(got, want, `${e.name} ${what}`, e.ulps ?? 4);
        }
      }
      for (const e of INVALID) {
        const r = await evaluate(page, e.id, e.params, e.input);
        c.ok(!r.ok, `${e.name}: evaluate rejects (got ${show(r.value)})`);
        if (!r.ok) c.ok(e.message.test(r.error), `${e.name}: message ${show(r.error)} matches ${e.message}`);
      }
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  test('values: an invalid typed value shows the same message as evaluate (celu alpha 0)', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/?f=celu');
      const r = await evaluate(page, 'celu', { alpha: 0 }, [1]);
      const box = page.locator('[data-param-box="alpha"]').first();
      await box.fill('0');
      await box.press('Enter');
      c.ok(await waitMessage(page, /alpha/), `typing 0 into the alpha box shows a message in #messages (shows ${show(await messagesText(page))})`);
      const m = await messagesText(page);
      if (!r.ok && m) c.ok(m.text.includes(r.error), `#messages ${show(m.text)} contains evaluate's error ${show(r.error)}`);
      const s = paramsOf(await state(page));
      c.ok(s.alpha !== 0, `state().alpha is not the invalid 0 (is ${s.alpha})`);
      c.ok(await page.evaluate(() => document.body.dataset.ready === '1'), 'the page still shows its plots');
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  test('url: /?f=elu&alpha=2 shows alpha 2 in slider, box and state', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/?f=elu&alpha=2');
      const s = await state(page);
      c.eq(s.f, 'elu', 'state().f');
      c.eq(paramsOf(s).alpha, 2, 'state().alpha');
      const info = await sliderInfo(page, 'alpha');
      c.ok(info && Number(info.value) === 2, `slider value is 2 (is ${info && info.value})`);
      c.ok(info && Number(info.box) === 2, `box value is 2 (is ${info && info.box})`);
      const m = await messagesText(page);
      c.ok(!m || !m.visible || m.text === '', `no message for a valid URL (got ${show(m)})`);
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  // Issue 9: compare, axes a teacher controls, the vanishing region, the function switch.
  test('compare: sigmoid against tanh on one fixed y axis, and the URL round trip', async (c) => {
    const ctx = await newContext();
    try {
      const q = '/?f=sigmoid&xmin=-6&xmax=6&cmp=tanh&ydf=fixed&ydfmin=0&ydfmax=1';
      const page = await open(ctx, q);
      const s = await state(page);
      c.eq(s.cmp, [{ f: 'tanh' }], 'state().cmp');
      const v = await page.evaluate(() => nnplay.view());
      c.eq([v.ydf, v.ydfmin, v.ydfmax], ['fixed', 0, 1], 'view() y axis of f′');
      const legend = await page.$$eval('#plot-df .u-legend .u-series .u-label', (els) => els.map((e) => e.textContent));
      c.ok(legend.some((t) => /tanh/.test(t)), `the f′ legend names tanh (${legend.join(' | ')})`);
      // one fixed axis: sigmoid′ peaks at σ(0)(1 − σ(0)) = 0.25 and tanh′ at 1 − tanh(0)² = 1, and the
      // f′ plot's y axis is the typed 0..1 (auto would follow the data), so 0.25 reads as a quarter of 1
      c.eq(await page.$eval('#plot-df', (e) => e.dataset.yrange), '0,1', 'the f′ plot\'s y range');
      await page.evaluate(() => nnplay.setState({ ydf: 'auto', cmp: [] }));
      const auto = (await page.$eval('#plot-df', (e) => e.dataset.yrange)).split(',').map(Number);
      c.ok(auto[1] < 0.5 && auto[1] > 0.25, `without tanh, auto scales sigmoid′ to its own peak 0.25 (${auto})`);
      await page.evaluate(() => nnplay.setState({ ydf: 'fixed', cmp: [{ f: 'tanh' }] }));
      // the same link, reloaded, gives the same state
      await page.reload({ waitUntil: 'load' });
      await waitReady(page);
      c.eq((await state(page)).cmp, [{ f: 'tanh' }], 'cmp after reload');
      const url = new URL(page.url());
      c.eq(url.searchParams.get('cmp'), 'tanh', 'cmp stays in the URL');
      // pin, then remove, through the controls
      await page.click('[data-action="pin"]');
      await page.waitForFunction(() => (nnplay.state().cmp || []).length === 2, null, { timeout: T_STEP });
      await page.click('[data-series="1"] [data-action="remove"]');
      await page.waitForFunction(() => (nnplay.state().cmp || []).length === 1, null, { timeout: T_STEP });
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  test('switch: ELU alpha=2 then CELU keeps alpha 2; Back returns to ELU', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/?f=elu&alpha=2');
      await page.selectOption('#picker', 'celu');
      await page.waitForFunction(() => nnplay.state().f === 'celu', null, { timeout: T_STEP });
      c.eq(paramsOf(await state(page)).alpha, 2, 'celu alpha after the switch');
      await page.goBack();
      await page.waitForFunction(() => nnplay.state().f === 'elu', null, { timeout: T_STEP });
      c.eq(paramsOf(await state(page)).alpha, 2, 'elu alpha after Back');
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  test('vanishing: sigmoid′ is shaded where |f′| < 0.1, relu′ is dead on x < 0', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/?f=sigmoid&xmin=-6&xmax=6');
      const key = await page.$eval('.plot-key', (e) => ({ v: Number(e.dataset.vanishing), d: Number(e.dataset.dead), text: e.textContent }));
      // sigmoid′(x) = σ(1−σ) < 0.1 where |x| > 2·acosh(√(1/(4·0.1)))... counted from the formula:
      const n = 801;
      let want = 0;
      for (let i = 0; i < n; i++) {
        const x = -6 + (12 * i) / (n - 1);
        const sg = 1 / (1 + Math.exp(-x));
        if (sg * (1 - sg) < 0.1) want++;
      }
      c.ok(Math.abs(key.v - want) <= 2, `vanishing samples ${key.v}, want ${want} (±2 at the edges)`);
      c.ok(/vanishing gradient/.test(key.text) && /dead/.test(key.text), `the key says it in words: ${key.text}`);
      await page.evaluate(() => nnplay.setState({ f: 'relu' }));
      await page.waitForFunction(() => Number(document.querySelector('.plot-key').dataset.dead) > 0, null, { timeout: T_STEP });
      const d = await page.$eval('.plot-key', (e) => Number(e.dataset.dead));
      c.ok(d >= 395 && d <= 401, `relu′ = 0 on x < 0: ${d} of 801 samples`);
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  test('fixed bugs: the Jacobian row of softmax, the arrow in screen space, ignore_index\'s stops, the surface point beyond ±3', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/?f=softmax&x=2,1,0.1,-1&k=0');
      const title = await page.$$eval('#vector text.panel-title', (els) => els.map((e) => e.textContent).join(' | '));
      c.ok(/Jacobian/.test(title), `the gradient panel names the Jacobian row: ${title}`);
      // row 0 of softmax's Jacobian, s0(δ0j − sj), from the formula, against the bars' labels
      const x = [2, 1, 0.1, -1];
      const e = x.map(Math.exp);
      const z = e.reduce((a, b) => a + b);
      const sm = e.map((v) => v / z);
      const want = sm.map((sj, j) => sm[0] * ((j === 0 ? 1 : 0) - sj));
      const bars = await page.$$eval('#vector svg.vector-out text.bar-value', (els) => els.map((t) => Number(t.textContent.replaceAll('−', '-'))));
      const got = bars.slice(-4);
      c.ok(got.every((g, j) => Math.abs(g - want[j]) <= 0.0051 * Math.max(Math.abs(want[j]), 0.01)), `the gradient bars ${got} are row 0, ${want.map((w) => w.toPrecision(3))}`);
      // the surface's −∇ is drawn in screen space: BCE with logits over logit x (−6..6) and target
      // y (0..1), at (1.5, 0.2): ∂L/∂x = σ(x) − y, ∂L/∂y = −x (from the definition); on the screen
      // the descent direction is (−∂L/∂x · sx, ∂L/∂y · sy), sx and sy the data units per pixel
      const p3 = await open(ctx, '/?f=binary_cross_entropy_with_logits&px=1.5&py=0.2');
      const geo = await p3.evaluate(() => {
        const l = document.querySelector('#surface line[stroke="#E69F00"], #surface .point-layer line:nth-of-type(2)');
        const box = document.querySelector('#surface .surface-canvas').getBoundingClientRect();
        return { x1: +l.getAttribute('x1'), y1: +l.getAttribute('y1'), x2: +l.getAttribute('x2'), y2: +l.getAttribute('y2'), w: box.width, h: box.height };
      });
      const sig = 1 / (1 + Math.exp(-1.5));
      const wx = -(sig - 0.2) * (12 / geo.w);
      const wy = -1.5 * (1 / geo.h);
      const ang = (a, b) => Math.atan2(b, a);
      const dAng = Math.abs(((ang(geo.x2 - geo.x1, geo.y2 - geo.y1) - ang(wx, wy) + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
      c.ok(dAng < (2 * Math.PI) / 180, `the arrow points along the screen-space −∇ (off by ${(dAng * 180 / Math.PI).toFixed(2)}°)`);
      const readout = await p3.$eval('.surface-readout', (el) => el.textContent);
      c.ok(/with respect to \(logit x, target y\)/.test(readout), `the readout says what it is the gradient of: ${readout}`);
      noProblems(c, p3);
      // ignore_index's slider offers PyTorch's -100 (none) and the classes 0..9, not -100..9 step 1:
      // one step right from the default is class 0
      const p4 = await open(ctx, '/?f=nll_loss');
      const ig = await sliderInfo(p4, 'ignore_index');
      c.eq([ig.value, ig.min, ig.max, ig.index], ['-100', '-100', '9', '0'], 'ignore_index slider: value, ends, position');
      await pressOn(p4, 'ignore_index', 'ArrowRight');
      await waitStateChange(p4, 'ignore_index', -100);
      c.eq(paramsOf(await state(p4)).ignore_index, 0, 'ignore_index after one step right');
      noProblems(c, p4);
      // the surface point follows a wider x range (it was limited to ±3)
      const p2 = await open(ctx, '/?f=mse_loss&xmin=-10&xmax=10&px=8&py=-7');
      const v = await p2.evaluate(() => nnplay.view());
      c.eq([v.px, v.py], [8, -7], 'px, py beyond ±3 with the x range −10..10');
      noProblems(c, page);
      noProblems(c, p2);
    } finally {
      await ctx.close();
    }
  });

  test('controls: the picker switches function, reset restores the defaults', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/?f=elu&alpha=2');
      await page.selectOption('#picker', 'softmax');
      try {
        await page.waitForFunction(() => window.nnplay.state().f === 'softmax', null, { timeout: T_STEP });
      } catch {
        c.ok(false, `choosing softmax in #picker makes it the state (state ${show(await state(page))})`);
      }
      c.ok(Object.values(await viewsDrawn(page, 'vector')).every(Boolean), 'the vector view is drawn after the switch');
      c.ok(await page.waitForFunction(() => new URLSearchParams(location.search).get('f') === 'softmax', null, { timeout: T_URL }).then(() => true, () => false),
        `location.search follows the picker (is ${await page.evaluate(() => location.search)})`);
      await page.selectOption('#picker', 'elu');
      await page.waitForFunction(() => window.nnplay.state().f === 'elu', null, { timeout: T_STEP }).catch(() => {});
      await pressOn(page, 'alpha', 'ArrowRight', 3);
      await waitStateChange(page, 'alpha', 1);
      c.ok(paramsOf(await state(page)).alpha !== 1, 'three ArrowRight presses moved alpha away from its default');
      await page.click('#reset');
      try {
        await page.waitForFunction(() => window.nnplay.state().alpha === 1, null, { timeout: T_STEP });
      } catch {
        c.ok(false, `#reset brings alpha back to 1 (is ${paramsOf(await state(page)).alpha})`);
      }
      const info = await sliderInfo(page, 'alpha');
      c.ok(info && Number(info.value) === 1 && Number(info.box) === 1, `after reset the slider and box show 1 (${show(info)})`);
      c.ok(await page.waitForFunction(() => !new URLSearchParams(location.search).has('alpha'), null, { timeout: T_URL }).then(() => true, () => false),
        `after reset the URL drops alpha (is ${await page.evaluate(() => location.search)})`);
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  test('url: /?f=smooth_l1_loss&beta=0.5', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/?f=smooth_l1_loss&beta=0.5');
      const s = await state(page);
      c.eq(s.f, 'smooth_l1_loss', 'state().f');
      c.eq(paramsOf(s).beta, 0.5, 'state().beta');
      const info = await sliderInfo(page, 'beta');
      c.ok(info && Number(info.value) === 0.5, `slider value is 0.5 (is ${info && info.value})`);
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  test('url: setState then reload gives the same state', async (c) => {
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/');
      const cases = [
        { f: 'softplus', beta: 2, threshold: 10 },
        { f: 'gelu', approximate: 'tanh' },
        { f: 'smooth_l1_loss', beta: 0.5 },
        { f: 'leaky_relu', negative_slope: 0.2 },
      ];
      for (const want of cases) {
        await page.evaluate((s) => window.nnplay.setState(s), want);
        const s1 = await state(page);
        for (const [k, v] of Object.entries(want)) c.eq(k === 'f' ? s1.f : paramsOf(s1)[k], v, `after setState(${show(want)}) state().${k}`);
        try {
          await page.waitForFunction((f) => new URLSearchParams(location.search).get('f') === f, want.f, { timeout: T_URL });
        } catch {
          c.ok(false, `location.search names f=${want.f} after setState (is ${await page.evaluate(() => location.search)})`);
        }
        await page.waitForTimeout(600); // the debounce of the remaining keys
        const search = await page.evaluate(() => location.search);
        await page.reload({ waitUntil: 'load' });
        await waitReady(page);
        const s2 = await state(page);
        c.eq(s2, s1, `state after reload of ${search}`);
      }
      noProblems(c, page);
    } finally {
      await ctx.close();
    }
  });

  const long = '/?f=elu&alpha=' + '9'.repeat(4000) + '&' + 'x=1&'.repeat(1500);
  const BAD = [
    { path: '/?f=nope', why: 'unknown id' },
    { path: '/?f=elu&alpha=abc', why: 'non-numeric', f: 'elu', param: ['alpha', 1] },
    { path: '/?f=elu&alpha=1e999', why: 'overflow', f: 'elu', param: ['alpha', 1] },
    { path: '/?f=elu&alpha=-1e9', why: 'out of range', f: 'elu', param: ['alpha', 1] },
    { path: '/?f=elu&alpha=NaN', why: 'NaN', f: 'elu', param: ['alpha', 1] },
    { path: '/?f=elu&alpha=Infinity', why: 'Infinity', f: 'elu', param: ['alpha', 1] },
    { path: '/?f=elu&alpha=%00', why: 'NUL in a value', f: 'elu', param: ['alpha', 1] },
    { path: '/?f=elu%00', why: 'NUL in the id' },
    { path: long, why: 'a very long query', f: 'elu', param: ['alpha', 1] },
    { path: '/?f=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E', why: '<script> as the id', xss: true },
    { path: '/?f=elu&alpha=%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D1%22%3E', why: '<img onerror> as a value', f: 'elu', param: ['alpha', 1], xss: true },
    { path: '/?f=elu&%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E=1', why: '<script> as a key', f: 'elu', xss: true },
  ];
  for (const b of BAD) {
    test(`bad url (${b.why}): ${b.path.length > 80 ? b.path.slice(0, 60) + `... (${b.path.length} chars)` : b.path}`, async (c) => {
      const ctx = await newContext();
      try {
        const page = await open(ctx, b.path, { ready: false });
        try { await waitReady(page); } catch { c.ok(false, 'the page still becomes ready (body[data-ready="1"])'); }
        // An unknown id or key and a bad value must be explained.
        if (!b.quiet) c.ok(await waitMessage(page), `#messages shows a visible message (shows ${show(await messagesText(page))})`);
        const s = await state(page).catch(() => null);
        c.ok(s && REG.some((f) => f.id === s.f), `state().f is a registered function (is ${s && s.f})`);
        if (b.f) c.eq(s && s.f, b.f, 'the valid id is kept');
        if (b.param) c.eq(s && paramsOf(s)[b.param[0]], b.param[1], `${b.param[0]} falls back to its default`);
        const kind = (REG.find((f) => f.id === (s && s.f)) || {}).kind;
        const drawn = await viewsDrawn(page, kind || 'activation');
        c.ok(Object.values(drawn).every(Boolean), `the page is not blank: ${show(drawn)}`);
        const pwned = await page.evaluate(() => ({
          flag: window.__pwned,
          img: !!document.querySelector('img[src="x"]'),
          scripts: [...document.scripts].filter((s) => /__pwned/.test(s.textContent)).length,
        }));
        c.ok(pwned.flag === undefined && !pwned.img && pwned.scripts === 0, `nothing injected: ${show(pwned)}`);
        // A message about a bad link is expected; errors in the console are not.
        noProblems(c, page);
      } finally {
        await ctx.close();
      }
    });
  }

  test('embed: /embed?f=softmax inside an iframe of a course page', async (c) => {
    const ctx = await newContext();
    const closers = [];
    try {
      // A course page on another origin, served by a second loopback server (a page that
      // page.route fulfils has no address, and Chromium's local-network-access checks then block
      // its frame from loading a loopback server).
      const W = 640, H = 560;
      const html = `<!doctype html><meta charset=utf-8><title>course</title><body style="margin:0"><h1>Lecture 3</h1>
<iframe id=w src="${server.base}/embed?f=softmax" width="${W}" height="${H}" style="border:0" loading="lazy" title="nnplay: softmax"></iframe></body>`;
      const course = http.createServer((req, res) => { res.setHeader('content-type', 'text/html; charset=utf-8'); res.end(html); });
      await new Promise((r) => course.listen(0, 'localhost', r));
      closers.push(() => new Promise((r) => course.close(r)));
      const host = `http://localhost:${course.address().port}/lecture.html`;
      const page = await ctx.newPage();
      const problems = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
      page.problems = problems;
      await page.goto(host);
      const handle = await page.waitForSelector('#w');
      const frame = await handle.contentFrame();
      c.fatal(frame, 'the iframe has a frame');
      await frame.waitForSelector('body[data-ready="1"]', { timeout: T_READY, state: 'attached' });
      const s = await frame.evaluate(() => window.nnplay.state());
      c.eq(s.f, 'softmax', 'state().f in the frame');
      const drawn = await viewsDrawn(frame, 'vector');
      c.ok(Object.values(drawn).every(Boolean), `the vector view is drawn in the frame: ${show(drawn)}`);
      const fit = await frame.evaluate(() => ({
        scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
        innerWidth: window.innerWidth,
        vec: document.querySelector('#vector')?.getBoundingClientRect().width ?? 0,
        picker: !!document.querySelector('#picker') && !!document.querySelector('#picker').offsetParent,
      }));
      c.ok(fit.innerWidth === W, `the frame is ${W} px wide (is ${fit.innerWidth})`);
      c.ok(fit.scrollWidth <= fit.innerWidth, `no horizontal scroll in the frame: scrollWidth ${fit.scrollWidth} > ${fit.innerWidth}`);
      c.ok(fit.vec >= W * 0.5, `the vector view uses the frame's width (${fit.vec} of ${W} px)`);
      noProblems(c, page, 'course page and frame: ');
    } finally {
      await ctx.close();
      for (const f of closers) await f();
    }
  });

  for (const id of ['gelu', 'softmax', 'mse_loss']) {
    test(`phone: 375x800 with touch, ${id} has no horizontal scroll`, async (c) => {
      const ctx = await newContext({ viewport: { width: 375, height: 800 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
      try {
        const page = await open(ctx, `/?f=${id}`);
        const kind = (REG.find((f) => f.id === id) || {}).kind || 'activation';
        const drawn = await viewsDrawn(page, kind);
        c.ok(Object.values(drawn).every(Boolean), `views drawn: ${show(drawn)}`);
        const fit = await scrollFits(page);
        c.ok(fit.scrollWidth <= fit.innerWidth, `scrollWidth ${fit.scrollWidth} <= innerWidth ${fit.innerWidth}`);
        if (fit.scrollWidth > fit.innerWidth) {
          // Name the culprits: elements that reach past the right edge and are not clipped.
          const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.katex-mathml'))
            .slice(0, 8).map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${[...e.classList].map((k) => '.' + k).join('')} right=${Math.round(e.getBoundingClientRect().right)}`));
          c.note(`elements past the right edge: ${wide.join(', ')}`);
          c.ok(false, `elements past the right edge: ${wide.join(', ')}`);
        }
        if (id === 'mse_loss') await surfaceDrag(c, page, ctx);
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `phone-${id}.png`), fullPage: true });
        noProblems(c, page);
      } finally {
        await ctx.close();
      }
    });
  }

  test('wasm load failure shows a clear message', async (c) => {
    const ctx = await newContext();
    try {
      await ctx.route(/\.wasm(\?.*)?$/, (r) => r.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
      const page = await open(ctx, '/?f=gelu', { ready: false, allowHttp: (u) => /\.wasm/.test(u) });
      c.ok(await waitMessage(page, /wasm|WebAssembly|load/), `#messages explains the failure (shows ${show(await messagesText(page))})`);
      const body = await page.evaluate(() => ({ ready: document.body.dataset.ready, text: document.body.innerText.trim().length }));
      c.ok(body.ready !== '1', 'the page does not claim to be ready');
      c.ok(body.text > 0, 'the page is not blank (its skeleton shows)');
      // The 404 itself is logged by Chromium as a console error; an unhandled rejection is not ok.
      const bad = page.problems.filter((p) => !/^console\.error: Failed to load resource/.test(p) && !/\.wasm/.test(p));
      c.ok(bad.length === 0, `no page errors besides the 404: ${bad.join('; ')}`);
    } finally {
      await ctx.close();
    }
  });

  test('screenshots: gelu, softmax, triplet_margin_loss at 1280x800', async (c) => {
    mkdirSync(SHOTS, { recursive: true });
    const ctx = await newContext();
    try {
      for (const id of ['gelu', 'softmax', 'triplet_margin_loss']) {
        const page = await open(ctx, `/?f=${id}`);
        const kind = (REG.find((f) => f.id === id) || {}).kind || 'activation';
        await viewsDrawn(page, kind);
        await page.waitForSelector('#formula .katex', { timeout: T_STEP, state: 'attached' }).catch(() => {}); // KaTeX's chunk
        await page.waitForTimeout(300); // fonts and the last frame
        const path = join(SHOTS, `${id}.png`);
        await page.screenshot({ path });
        await page.screenshot({ path: join(SHOTS, `${id}-full.png`), fullPage: true });
        c.note(`wrote ${path} and ${id}-full.png`);
        noProblems(c, page, `${id}: `);
        await page.close();
      }
      if (opt['update-docs-screenshot']) {
        const docs = resolve(here, '../../docs/screenshot.png');
        mkdirSync(dirname(docs), { recursive: true });
        copyFileSync(join(SHOTS, 'triplet_margin_loss-full.png'), docs);
        c.note(`updated ${docs}`);
      }
    } finally {
      await ctx.close();
    }
  });
}

depthTests({ test, base: () => server.base, open, newContext, waitReady, noProblems, T_STEP, T_READY, SHOTS, join, mkdirSync });

// Drag the surface's point with touch and check that the readout changes.
async function surfaceDrag(c, page, ctx) {
  const surf = page.locator('#surface').first();
  await surf.scrollIntoViewIfNeeded();
  const box = await surf.boundingBox();
  if (!c.ok(box && box.width > 20 && box.height > 20, `#surface has a size (${show(box)})`)) return;
  const readout = () => page.evaluate(() => {
    const s = window.nnplay.state();
    const el = document.querySelector('#surface');
    return JSON.stringify({ view: window.nnplay.view ? window.nnplay.view() : null, point: s.point ?? null, text: el ? el.innerText : '' , readout: document.querySelector('#surface-readout, [data-readout]')?.innerText ?? '' });
  });
  const r0 = await readout();
  const print0 = await viewPrint(page);
  // Where the point is: a [data-point] handle if the page marks one, else the surface's centre.
  const handle = await page.evaluate(() => {
    const h = document.querySelector('#surface [data-point], #surface .point, #surface circle');
    if (!h) return null;
    const b = h.getBoundingClientRect();
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  });
  const from = handle || { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const to = { x: box.x + box.width * 0.25, y: box.y + box.height * 0.3 };
  const cdp = await ctx.newCDPSession(page);
  const touch = (type, p) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ x: p.x, y: p.y, id: 1 }] : [] });
  await touch('touchStart', from);
  for (let i = 1; i <= 8; i++) {
    await touch('touchMove', { x: from.x + (to.x - from.x) * i / 8, y: from.y + (to.y - from.y) * i / 8 });
    await page.waitForTimeout(16);
  }
  await touch('touchEnd');
  let r1 = r0;
  for (let i = 0; i < 30 && r1 === r0; i++) { await page.waitForTimeout(100); r1 = await readout(); }
  c.ok(r1 !== r0, `dragging the surface point with touch changes the readout (${r0} -> ${r1})`);
  c.note(`surface drag: ${r0} -> ${r1}`);
  c.ok((await viewPrint(page)) !== print0, 'dragging the surface point repaints the views');
  const fit = await scrollFits(page);
  c.ok(fit.scrollWidth <= fit.innerWidth, `still no horizontal scroll after the drag (${fit.scrollWidth} > ${fit.innerWidth})`);
}

// ---------------------------------------------------------------------------------------------

async function runPool(list, workers) {
  const results = new Array(list.length);
  let next = 0;
  async function worker() {
    while (next < list.length) {
      const i = next++;
      const t = list[i];
      const c = new Check();
      const t0 = Date.now();
      let err = null;
      try {
        await t.fn(c);
      } catch (e) {
        err = e instanceof Failure ? e.message : (e && e.stack) || String(e);
      }
      const failures = err ? [...c.failures, err] : c.failures;
      const ms = Date.now() - t0;
      results[i] = { name: t.name, ok: failures.length === 0, failures, notes: c.notes, ms };
      const line = `${failures.length === 0 ? 'ok  ' : 'FAIL'} ${t.name} (${(ms / 1000).toFixed(1)} s)`;
      console.log(line);
      for (const f of failures) console.log(`      - ${f.split('\n').join('\n        ')}`);
      if (opt.verbose) for (const n of c.notes) console.log(`      . ${n}`);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
  return results;
}

async function main() {
  const t0 = Date.now();
  const bin = resolve(process.cwd(), opt.server);
  server = await startServer(bin);
  console.log(`e2e: server ${bin} on ${server.base}; chromium ${opt.chromium}`);
  browser = await chromium.launch({
    executablePath: opt.chromium,
    headless: !opt.headed,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'].filter((a) => !(opt.headed && a === '--headless')),
  });
  let results = [];
  try {
    // The registry, from the page itself.
    const ctx = await newContext();
    try {
      const page = await open(ctx, '/');
      REG = await registry(page);
    } catch (e) {
      results.push({ name: 'the page loads and reports nnplay.functions()', ok: false, failures: [String(e && e.message || e)], notes: [], ms: 0 });
    } finally {
      await ctx.close();
    }
    console.log(`e2e: ${REG.length} functions in the registry: ${REG.map((f) => f.id).join(' ')}`);
    if (REG.length) {
      staticTests();
      perFunctionTests();
    }
    const grep = opt.grep ? opt.grep.toLowerCase() : '';
    const list = tests.filter((t) => !grep || t.name.toLowerCase().includes(grep));
    results = results.concat(await runPool(list, Number(opt.workers) || 1));
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
  const failed = results.filter((r) => !r.ok);
  console.log('');
  console.log(`e2e: ${results.length - failed.length} passed, ${failed.length} failed, ${results.length} tests in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (failed.length) {
    console.log('e2e: FAILED:');
    for (const r of failed) console.log(`  - ${r.name}`);
    if (opt.verbose) console.log(`server log:\n${server.log()}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error('e2e: harness error:', e && e.stack || e);
  if (server) server.stop();
  process.exitCode = 2;
});
