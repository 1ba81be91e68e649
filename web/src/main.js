// nnplay's JavaScript glue. It loads the Go program (wasm), which owns the state, builds the
// controls and computes every number; this file only draws what Go hands over (typed arrays
// filled in bulk) and exposes window.nnplay. It does no mathematics.
//
// Go talks to this file through the private global __nnplay: Go sets __nnplay.go (its API) and
// calls the drawing functions in __nnplay.glue (show, configure, draw, drawn), one draw per view
// per frame,
// passing Float64Arrays that it refills in place with one js.CopyBytesToJS per buffer.
//
// window.nnplay, for course pages that script the widget (and for the browser tests):
//
//   await nnplay.ready                     resolves once the wasm runs and the first plot is drawn
//   nnplay.functions()                     [{id, name, class, torch, kind, group, params: [{name, type,
//                                          default, min, max, step, choices?}], inputs?}]
//   nnplay.state()                         {f, ...parameters} (choice: string, bool: boolean,
//                                          vector: array or null for None)
//   nnplay.view()                          the view keys of the function shown, by URL key: {xmin,
//                                          xmax, cmp, yf, ...} / {t, px, py, ...} / {x, k}
//   nnplay.views()                         the views shown: [{id, renderer, title, keys: [...]}]
//   await nnplay.setState({f, ...})        all or nothing; resolves when the plots show it,
//                                          rejects with the message the UI shows
//   nnplay.evaluate("elu", {alpha: 2}, [-1, 0, 1])            -> {value, grad}
//   nnplay.evaluate("softmax", {}, [1, 2, 3])                 -> {value, grad} (grad = Jᵀ·1)
//   nnplay.evaluate("cross_entropy", {}, {input: [[1, 2, 3]], target: [0], reduction: "sum"})
//                                          -> {loss, grad[, notes]}; grad is an object keyed
//                                          by input name when a loss has several inputs
//   await nnplay.reset()                   the current function's defaults
//
// evaluate throws an Error with the UI's message for invalid parameters or inputs.
import "go-wasm-exec"; // Go's wasm_exec.js from the toolchain that built the wasm (see build.mjs)
import "uplot/dist/uPlot.min.css";
import "katex/dist/katex.min.css"; // KaTeX's JavaScript is a separate chunk (formula.js), its CSS is here
import "./style.css";

import { renderer, primeRenderers } from "./views.js";
import { renderFormula } from "./formula.js";

/* global __NNPLAY_WASM__, __NNPLAY_LAB_WASM__ */
// A ?lab= page runs the labs' program (the function page's plus the labs), any other page the
// function page's: what the function page loads does not grow with the labs.
const LAB = new URLSearchParams(location.search).has("lab");
const WASM_URL = new URL(LAB ? __NNPLAY_LAB_WASM__ : __NNPLAY_WASM__, import.meta.url);

// The wasm's download (preloaded by the HTML's <link rel="preload" as="fetch" crossorigin>: the
// same URL and the same cors mode as this fetch, so the preload is reused) and its compilation
// start as soon as the module runs, not after DOMContentLoaded.
const earlyModule =
  typeof WebAssembly === "object" && typeof WebAssembly.compileStreaming === "function"
    ? WebAssembly.compileStreaming(fetch(WASM_URL))
    : null;
if (earlyModule) earlyModule.catch(() => {}); // handled (or retried) in instantiate

const $ = (id) => document.getElementById(id);

// ---- window.nnplay -------------------------------------------------------------------------

let resolveReady, rejectReady;
const ready = new Promise((res, rej) => {
  resolveReady = res;
  rejectReady = rej;
});
ready.catch(() => {}); // the failure is shown on the page; avoid an unhandled-rejection log

let goApi = null; // set by Go through glue.goReady
let failed = null;
let drawnSeq = 0;
const waiters = []; // {seq, resolve}

function go() {
  if (goApi) return goApi;
  throw new Error(failed ? `nnplay failed to start: ${failed}` : "nnplay is still loading: await nnplay.ready first");
}

// unwrap turns Go's {error: msg} answer into a thrown Error with the message the UI shows.
function unwrap(r) {
  if (r && typeof r === "object" && typeof r.error === "string") throw new Error(r.error);
  return r;
}

function whenDrawn(seq) {
  if (drawnSeq >= seq) return Promise.resolve();
  return new Promise((resolve) => waiters.push({ seq, resolve }));
}

const api = {
  ready,
  version: "1",
  /** Every function in the registry, with its parameters (PyTorch's names, defaults, ranges). */
  functions: () => go().functions(),
  /** The current state: {f, ...parameters}. */
  state: () => go().state(),
  /** The view's extra state (x range, target, surface point, input vector), as URL keys. */
  view: () => go().view(),
  /** The views of the function shown, with their keys (from core/view's registry). */
  views: () => go().views(),
  /** Changes the state; resolves once the plots show it, rejects with the UI's message. */
  setState(s) {
    return ready.then(() => {
      const r = unwrap(go().setState(s ?? {}));
      return whenDrawn(r.seq).then(() => go().state());
    });
  },
  /** Evaluates a function with the wasm core: see README (value/grad, or loss/grad). */
  evaluate(id, params, x) {
    return unwrap(go().evaluate(id, params ?? {}, x));
  },
  /** Resets every parameter of the current function to PyTorch's default. */
  reset() {
    return ready.then(() => whenDrawn(unwrap(go().reset()).seq).then(() => go().state()));
  },
};
// A lab page's program adds the labs' calls (nnplay.depth) when it starts: the object is frozen
// then (see glue.goReady).
Object.defineProperty(window, "nnplay", { value: api, enumerable: true });

// ---- messages ------------------------------------------------------------------------------

function fatal(text, detail) {
  failed = text;
  document.body.dataset.failed = "1";
  const box = $("messages");
  if (box) {
    box.textContent = "";
    const p = document.createElement("p");
    p.className = "msg error";
    p.textContent = text;
    box.append(p);
    if (detail) {
      const d = document.createElement("p");
      d.className = "msg detail";
      d.textContent = detail;
      box.append(d);
    }
  }
  const title = $("fname");
  if (title && title.textContent === "Loading…") title.textContent = "nnplay could not start";
  rejectReady(new Error(text));
}

// ---- drawing (called by Go) ----------------------------------------------------------------
//
// Go describes the page's views (core/view's registry) and calls, per frame, glue.draw once per
// view that has something new, with one data object per view whose typed arrays it refills in
// place. Each view names its renderer, registered in views.js; this file knows none of them.

let kind = null;
let firstDrawn = false;
let pendingFormula = null;
const active = new Map(); // view id -> renderer instance

function show(meta) {
  kind = meta.kind;
  document.body.dataset.kind = kind;
  document.body.dataset.f = meta.id;
  $("fname").textContent = meta.lab ? `${meta.labTitle}: ${meta.name}` : meta.name;
  document.title = meta.lab ? `${meta.labTitle}: ${meta.name} · nnplay` : `${meta.name} (${meta.torch.split(" · ")[0]}) · nnplay`;
  $("fclass").textContent = meta.torch;
  if (firstDrawn) {
    pendingFormula = null; // a deferred typesetting of an earlier function is stale
    renderFormula($("formula"), meta.formula, meta.derivative);
  } else pendingFormula = meta; // typeset once the first plot is drawn (KaTeX is loaded then)
  const src = $("source");
  src.textContent = "";
  if (meta.source) {
    const a = document.createElement("a");
    a.href = meta.source;
    a.target = "_blank";
    a.rel = "noopener";
    a.textContent = meta.source.includes("pytorch.org") ? `PyTorch documentation of ${meta.torch.split(" · ")[0]}` : "Source";
    src.append("Definition: ", a);
  }
  // The playground page (not the embed page) links to this function's section of the
  // conformance page: docs/conformance.md has a section per function, its heading the function id.
  const acc = $("accuracy");
  if (acc) {
    const a = document.createElement("a");
    a.href = `conformance.html#${encodeURIComponent(meta.id)}`;
    a.textContent = "conformance page";
    acc.replaceChildren("Accuracy: see the ", a, " (error in ulps against a 50-digit reference).");
  }
  // The views of this function: their cards are shown, every other view's hidden.
  const want = new Set(meta.views.map((v) => v.id));
  for (const [id, r] of active) {
    if (!want.has(id)) {
      setCards(r, true);
      active.delete(id);
    }
  }
  for (const v of meta.views) {
    if (!active.has(v.id)) active.set(v.id, renderer(v.renderer, goApi));
    setCards(active.get(v.id), false);
  }
  // the page's own cards (the function page's plots in the HTML) that no view shown draws in
  const drawn = new Set([...active.values()].flatMap((r) => r.cards || []));
  for (const el of document.querySelectorAll(".plots > .card")) el.hidden = !drawn.has(el.id);
  document.body.dataset.views = meta.views.map((v) => v.id).join(" ");
}

function setCards(r, hidden) {
  for (const id of r.cards || []) {
    const el = $(id);
    if (el) el.hidden = hidden;
  }
}

const glue = {
  goReady(g) {
    goApi = g;
    for (const name of g.labCalls || []) {
      if (!(name in api)) api[name] = (arg) => unwrap(go()["lab_" + name](arg ?? {}));
    }
    Object.freeze(api);
  },
  show,
  configure(id, data) {
    const r = active.get(id);
    if (r) r.configure(data);
  },
  draw(id, data) {
    const r = active.get(id);
    if (r) r.draw(data);
  },
  drawn(seq) {
    drawnSeq = seq;
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].seq <= seq) {
        waiters[i].resolve();
        waiters.splice(i, 1);
      }
    }
    if (!firstDrawn) {
      firstDrawn = true;
      document.body.dataset.ready = "1";
      if (performance.mark) performance.mark("nnplay:first-plot");
      if (pendingFormula) {
        // KaTeX's chunk is imported now, off the first plot's path; the formula appears once
        // it has arrived (formula.js).
        const meta = pendingFormula;
        pendingFormula = null;
        renderFormula($("formula"), meta.formula, meta.derivative).then(() => {
          if (performance.mark) performance.mark("nnplay:formula");
        });
      }
      resolveReady(api);
    }
  },
  fatal,
};
globalThis.__nnplay = { glue };

// ---- loading the wasm ----------------------------------------------------------------------

async function instantiate(goRuntime) {
  const imports = goRuntime.importObject;
  if (earlyModule) {
    try {
      const module = await earlyModule;
      return { module, instance: await WebAssembly.instantiate(module, imports) };
    } catch (err) {
      // A server that does not send application/wasm (or a failed response) makes streaming
      // fail; retry with bytes.
      if (!(err instanceof TypeError)) throw err;
    }
  } else if (WebAssembly.instantiateStreaming) {
    try {
      return await WebAssembly.instantiateStreaming(fetch(WASM_URL), imports);
    } catch (err) {
      // A server that does not send application/wasm makes streaming fail; retry with bytes.
      if (!(err instanceof TypeError)) throw err;
    }
  }
  const resp = await fetch(WASM_URL);
  if (!resp.ok) throw new Error(`HTTP ${resp.status} for ${WASM_URL.pathname}`);
  return WebAssembly.instantiate(await resp.arrayBuffer(), imports);
}

async function start() {
  // The curve plots take their widths from the skeleton's layout, before Go builds the controls
  // (after that, reading a width would force a layout in the middle of the first frame). Once
  // the skeleton has been painted its layout is current and reading costs nothing; before that
  // it would force the layout early, so the first frame reads it then (CurvePlots.width).
  primeRenderers(performance.getEntriesByType && performance.getEntriesByType("paint").length > 0);
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    fatal("This browser cannot run WebAssembly, which nnplay needs to compute the functions.", "Use a current version of Firefox, Chrome, Edge or Safari.");
    return;
  }
  if (typeof globalThis.Go !== "function") {
    fatal("nnplay's loader (wasm_exec.js) is missing from the bundle.");
    return;
  }
  const goRuntime = new globalThis.Go();
  let result;
  try {
    result = await instantiate(goRuntime);
  } catch (err) {
    fatal("nnplay could not load its WebAssembly core.", `${err && err.message ? err.message : err}. Reload the page; if it persists, the server may not be serving ${WASM_URL.pathname}.`);
    return;
  }
  goRuntime
    .run(result.instance)
    .then(() => {
      if (!failed) fatal("nnplay's WebAssembly core stopped unexpectedly.", "Reload the page. The browser console has the details.");
    })
    .catch((err) => fatal("nnplay's WebAssembly core crashed.", String(err)));
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
