// The depth lab's renderer: what an activation does to a signal through many random fully
// connected layers. Go (core/lab) samples the network and computes the mean-field theory; this
// module only draws what it hands over, in four cards:
//
//	card-depth-signal    the diagnosis line; per configuration two density strips (the
//	                     pre-activations hₗ and the outputs f(hₗ) of each layer, shaded by how
//	                     many values fall there) with the sample's mean and mean ± std (solid) and
//	                     the theory's (dashed); a readout of the layer under the pointer; the
//	                     numbers per layer in a table (the plots' text alternative)
//	card-depth-dead      the fraction of dead units per layer, as bars (B hatched beside A)
//	card-depth-grad      the RMS gradient ∂L/∂hₗ per layer on a log axis, sample and theory, with
//	                     q* and χ₁
//	card-depth-collapse  the linear-collapse sentence and, for a linear network, the singular
//	                     values of the one matrix it equals
//
// Data contract (draw(d), typed arrays refilled in place by Go every frame, so what is kept is
// copied): d.depth = L and d.bins = nb; Float64Arrays of length L (index l−1 is layer l)
// pre_mean, pre_std, post_mean, post_std, dead, grad and the theory's th_pre_mean, th_pre_std,
// th_post_mean, th_post_std, th_grad (NaN where it has no value); pre_hist and post_hist (L·nb,
// row l−1 is layer l's density over nb equal bins of [pre_lo, pre_hi], [post_lo, post_hi]);
// sample (1: the sample arrays are current; 0: they are still being computed: progress in
// 0..1 is the whole job's fraction, A's sample then B's, and progress_layer, if given, the layer
// being computed); diagnosis, theory_note, q_star, chi, chi_text, collapse, linear_residual,
// sv; with cmp = 1 the per-configuration names again prefixed b_ for configuration B
// (b_sample, b_pre_mean, b_pre_hist, b_pre_lo, b_dead, b_grad, b_th_grad, b_diagnosis,
// b_theory_note, b_collapse, b_sv...) and label_a, label_b. B's q* and χ₁ (b_q_star, b_chi,
// b_chi_text) are shown when present.
//
// Cost per frame (draw runs every animation frame while a slider moves): the density images
// are painted at one pixel per layer and bin into small canvases that the browser scales (no
// software upscaling on the main thread); the plots are redrawn with setData; the DOM is built
// once (or when A/B comparison is switched) and texts and attributes are written only when
// they change.
import uPlot from "uplot";
import { PALETTE, AXIS, fmt, tickValues } from "./format.js";
import "./depth.css";

// SYNC is the cursor key shared by the plots whose x axis is the layer: pointing at layer 7 in
// one shows it in all of them.
const SYNC = "nnplay-depth";


// CFG are the two configurations' styles: A blue, B vermillion; the theory is the same hue,
// darker and dashed; B's markers are hollow and its bars hatched, so colour is never the only
// difference.
const CFG = {
  a: { key: "a", prefix: "", color: PALETTE.blue, dark: "#00466e", dash: [7, 4], name: "A" },
  b: { key: "b", prefix: "b_", color: PALETTE.vermillion, dark: "#8a3a00", dash: [3, 3], name: "B" },
};

// RAMP is the density shade: white (no values) to slate (the layer's peak), one hue, readable
// in print and under coloured lines.
const RAMP = [
  [0, [255, 255, 255]],
  [0.3, [226, 230, 238]],
  [0.65, [164, 173, 194]],
  [1, [88, 99, 128]],
];
const LUT = (() => {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let k = 1;
    while (k < RAMP.length - 1 && RAMP[k][0] < t) k++;
    const [t0, c0] = RAMP[k - 1];
    const [t1, c1] = RAMP[k];
    const f = (t - t0) / (t1 - t0);
    for (let j = 0; j < 3; j++) lut[i * 4 + j] = Math.round(c0[j] + f * (c1[j] - c0[j]));
    lut[i * 4 + 3] = 255;
  }
  return lut;
})();
const DECADES = 2; // the density shade's range: from the layer's peak down to 1/100 of it
const RAMP_CSS = `linear-gradient(to right, ${RAMP.map(([t, c]) => `rgb(${c.join(",")}) ${t * 100}%`).join(", ")})`;

// the per-layer quantities of one configuration, as Go names them (after the b_ prefix)
const LAYER_KEYS = ["pre_mean", "pre_std", "post_mean", "post_std", "dead", "grad", "th_pre_mean", "th_pre_std", "th_post_mean", "th_post_std", "th_grad"];
const SAMPLE_KEYS = new Set(["pre_mean", "pre_std", "post_mean", "post_std", "dead", "grad"]);

const TABLE_MS = 250; // the open table's refresh interval while a slider moves

const LAYER_INCRS = [1, 2, 5, 10, 20, 50, 100];
const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";

// pow10 labels a decade: 1, 10, 10², 10⁻³.
function pow10(k) {
  if (k === 0) return "1";
  if (k === 1) return "10";
  return "10" + (k < 0 ? "⁻" : "") + String(Math.abs(k)).replace(/\d/g, (c) => SUP[c]);
}

function el(tag, cls, parent, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  if (parent) parent.append(e);
  return e;
}

// text appends a text node to parent and returns it: the node the renderer rewrites.
function text(parent, s = "") {
  const t = document.createTextNode(s);
  parent.append(t);
  return t;
}

function setText(node, s) {
  if (node.data !== s) node.data = s;
}

function setAttr(e, name, v) {
  if (e.getAttribute(name) !== v) e.setAttribute(name, v);
}

function setHidden(e, h) {
  if (e.hidden !== h) e.hidden = h;
}

function setData(e, name, v) {
  if (e.dataset[name] !== v) e.dataset[name] = v;
}

const f2 = (v) => fmt(v, 2);
const f3 = (v) => fmt(v, 3);


const layerAxis = (label) => ({
  ...AXIS,
  label,
  labelSize: label ? 16 : 0,
  size: 26,
  incrs: LAYER_INCRS,
  space: 22,
  grid: { show: false },
  values: (u, splits) => splits.map((v) => String(v)),
});

// logSplits returns the decades of [lo, hi] (powers of ten), every step-th one so that labels
// are at least about 26 px apart.
function logSplits(lo, hi, px) {
  const k0 = Math.round(Math.log10(lo));
  const k1 = Math.round(Math.log10(hi));
  const n = Math.max(1, Math.floor(px / 26));
  const step = [1, 2, 3, 5, 10, 20, 50, 100].find((s) => (k1 - k0) / s <= n) || 100;
  const out = [];
  for (let k = Math.ceil(k0 / step) * step; k <= k1; k += step) out.push(10 ** k);
  return out;
}

// logRange is a log axis's range: whole decades around the positive finite values of arrays
// (null when there are none).
function logRange(arrays) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    if (!a) continue;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v > 0 && v < Infinity) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (!(lo <= hi)) return null;
  // a value within a fifth of a decade of a power of ten gets that decade's room too, so that
  // no line runs along the plot's edge
  let k0 = Math.floor(Math.log10(lo) - 0.2);
  let k1 = Math.ceil(Math.log10(hi) + 0.2);
  if (k1 <= k0) k1 = k0 + 1;
  k0 = Math.max(k0, -320);
  k1 = Math.min(k1, 308);
  return [10 ** k0, 10 ** k1];
}

// logAxis is a log y axis labelled in decades.
const logAxis = (getRange, label) => ({
  ...AXIS,
  label,
  labelSize: label ? 18 : 0,
  size: 50,
  splits: (u) => {
    const r = getRange();
    return logSplits(r[0], r[1], u.bbox.height / uPlot.pxRatio);
  },
  values: (u, splits) => splits.map((v) => (v > 0 ? pow10(Math.round(Math.log10(v))) : "")),
  filter: (u, splits) => splits, // uPlot's default for log axes drops most decades
});

// positiveOrNull copies a's positive finite values into out (a plain array, reused), null
// elsewhere: uPlot draws null as a gap, and a log axis has no place for 0, negatives or ∞.
function positiveOrNull(a, n, out) {
  out.length = n;
  for (let i = 0; i < n; i++) {
    const v = a && i < a.length ? a[i] : NaN;
    out[i] = v > 0 && v < Infinity ? v : null;
  }
  return out;
}

// Snap holds one configuration's copy of the per-layer arrays (Go refills its own in place).
class Snap {
  constructor() {
    this.L = 0;
    this.arr = {};
    for (const k of LAYER_KEYS) this.arr[k] = new Float64Array(64);
  }

  // take copies configuration cfg's arrays of d; stale sample arrays read as NaN.
  take(d, cfg, fresh) {
    const L = d.depth | 0;
    this.L = L;
    for (const k of LAYER_KEYS) {
      if (this.arr[k].length < L) this.arr[k] = new Float64Array(Math.max(L, 2 * this.arr[k].length));
      const dst = this.arr[k];
      const src = d[cfg.prefix + k];
      const ok = src && src.length >= L && (fresh || !SAMPLE_KEYS.has(k));
      for (let i = 0; i < L; i++) dst[i] = ok ? src[i] : NaN;
    }
  }

  get(k) {
    return this.arr[k];
  }
}

// sizes of the plots for a width (CSS px); the embed page is compact
const embedded = () => document.body.classList.contains("embed");
const stripHeight = (w) => Math.round(embedded() ? 140 : Math.max(150, Math.min(210, w * 0.42)));
const deadHeight = (w) => Math.round(embedded() ? 150 : Math.max(200, Math.min(330, w * 0.64)));
const gradHeight = (w) => Math.round(embedded() ? 160 : Math.max(200, Math.min(270, w * 0.52)));
const svHeight = (w) => Math.round(embedded() ? 140 : Math.max(160, Math.min(210, w * 0.36)));

// Plot is one uPlot in a container with an accessible name, sized to its container's width
// (the view's ResizeObserver reports it).
class Plot {
  constructor(parent, cls, label, height) {
    this.box = el("div", `depth-plot ${cls || ""}`, parent);
    this.box.setAttribute("role", "img");
    this.box.setAttribute("aria-label", label);
    this.height = height;
    this.u = null;
    this.width = 0;
  }

  // make builds the uPlot (again) with opts(width); data is its first data.
  make(opts, data) {
    this.destroy();
    const w = this.width || this.box.clientWidth || 320;
    this.width = w;
    this.u = new uPlot({ ...opts, width: w, height: this.height(w) }, data, this.box);
    return this.u;
  }

  resize(w) {
    this.width = w;
    if (this.u && w > 0 && (Math.abs(w - this.u.width) > 1 || this.u.height !== this.height(w))) this.u.setSize({ width: w, height: this.height(w) });
  }

  label(s) {
    setAttr(this.box, "aria-label", s);
  }

  destroy() {
    if (this.u) this.u.destroy();
    this.u = null;
  }
}

// Strip is one density strip: layer on x, value on y, the density of each layer's values as a
// column of shades, and the mean and mean ± std lines of the sample (solid) and the theory
// (dashed) over it, each with a white halo so that it reads on every shade.
class Strip {
  constructor(parent, title, which, cfg, view) {
    this.which = which; // "pre" | "post"
    this.cfg = cfg;
    this.view = view;
    const wrap = el("div", "depth-strip", parent);
    this.title = el("p", "depth-strip-title", wrap, title);
    this.plot = new Plot(wrap, "depth-strip-plot", title, stripHeight);
    this.heat = document.createElement("canvas");
    this.heat.className = "depth-heat";
    this.heatGeo = "";
    this.img = null; // {L, lo, hi}: what the heat canvas holds
    this.fresh = false;
    this.yr = [-1, 1];
    this.L = 1;
    this.lines = { m: [], lo: [], hi: [], tm: [], tlo: [], thi: [] };
    this.xs = [];
    this.ys = [];
  }

  build() {
    const u = this.plot.make(
      {
        padding: [6, 10, 0, 0],
        scales: {
          x: { time: false, range: () => [0.5, this.L + 0.5] },
          y: { auto: true, range: () => this.yr },
        },
        axes: [layerAxis("layer"), { ...AXIS, size: 46, space: 26, values: tickValues }],
        series: [{ label: "layer" }, { label: "mean", paths: () => null, points: { show: false } }],
        legend: { show: false },
        cursor: { sync: { key: SYNC }, drag: { x: false, y: false, setScale: false }, points: { show: false }, y: false },
        hooks: {
          draw: [(u) => this.paint(u)],
          setCursor: [(u) => this.view.cursorAt(u.cursor.idx, this)],
        },
      },
      [this.xs, this.ys],
    );
    u.under.append(this.heat);
    this.heatGeo = "";
  }

  // update takes this frame's data: the image when the sample is current, the lines always.
  update(d, snap, fresh) {
    const L = snap.L;
    const p = this.cfg.prefix;
    const w = this.which;
    this.L = Math.max(1, L);
    this.fresh = fresh;
    const lo = d[`${p}${w}_lo`];
    const hi = d[`${p}${w}_hi`];
    const nb = d.bins | 0;
    const hist = d[`${p}${w}_hist`];
    if (fresh && hist && nb > 0 && hist.length >= L * nb && L > 0) {
      this.paintImage(hist, L, nb);
      this.img = { L, lo, hi };
    }
    // the lines
    const m = snap.get(`${w}_mean`);
    const s = snap.get(`${w}_std`);
    const tm = snap.get(`th_${w}_mean`);
    const ts = snap.get(`th_${w}_std`);
    const ln = this.lines;
    for (const k in ln) ln[k].length = L;
    this.xs.length = L;
    this.ys.length = L;
    let tmin = Infinity;
    let tmax = -Infinity;
    for (let i = 0; i < L; i++) {
      this.xs[i] = i + 1;
      this.ys[i] = Number.isFinite(m[i]) ? m[i] : null;
      ln.m[i] = m[i];
      ln.lo[i] = m[i] - s[i];
      ln.hi[i] = m[i] + s[i];
      ln.tm[i] = tm[i];
      ln.tlo[i] = tm[i] - ts[i];
      ln.thi[i] = tm[i] + ts[i];
      for (const v of [ln.tlo[i], ln.thi[i], tm[i]]) {
        if (Number.isFinite(v)) {
          if (v < tmin) tmin = v;
          if (v > tmax) tmax = v;
        }
      }
    }
    // y: the histogram's range while the sample is current; while it is computed, the last
    // sample's range widened to hold the theory's band
    let a;
    let b;
    if (fresh && Number.isFinite(lo) && Number.isFinite(hi)) [a, b] = [lo, hi];
    else {
      a = this.img ? this.img.lo : Infinity;
      b = this.img ? this.img.hi : -Infinity;
      if (tmin < a) a = tmin;
      if (tmax > b) b = tmax;
      if (!(a <= b)) [a, b] = [-1, 1];
    }
    if (!(b > a)) {
      const pad = Math.max(Math.abs(a) * 0.5, 1);
      [a, b] = [a - pad, b + pad];
    }
    this.yr = [a, b];
    if (!this.plot.u) this.build();
    else this.plot.u.setData([this.xs, this.ys]);
    // stale: the last image stays, faint, where its layers and values were
    const op = fresh ? "1" : "0.22";
    if (this.heat.style.opacity !== op) this.heat.style.opacity = op;
  }

  // paintImage writes the densities into the heat canvas, one pixel per layer (x) and bin (y,
  // the top row the highest bin), each layer scaled to its own peak on a log scale over
  // DECADES decades, so that the thin tails still show beside a peak (ReLU's outputs: half of
  // them in the bin at 0).
  paintImage(hist, L, nb) {
    const c = this.heat;
    if (c.width !== L || c.height !== nb) {
      c.width = L;
      c.height = nb;
      this.imageData = null;
    }
    if (!this.imageData) this.imageData = new ImageData(L, nb);
    const px = this.imageData.data;
    for (let l = 0; l < L; l++) {
      let peak = 0;
      const row = l * nb;
      for (let j = 0; j < nb; j++) {
        const v = hist[row + j];
        if (v > peak && v < Infinity) peak = v;
      }
      for (let j = 0; j < nb; j++) {
        const v = hist[row + j];
        const t = peak > 0 && v > 0 ? Math.max(0, 1 + Math.log10(Math.min(1, v / peak)) / DECADES) : 0;
        const q = Math.round(t * 255) * 4;
        const o = ((nb - 1 - j) * L + l) * 4;
        px[o] = LUT[q];
        px[o + 1] = LUT[q + 1];
        px[o + 2] = LUT[q + 2];
        px[o + 3] = 255;
      }
    }
    c.getContext("2d").putImageData(this.imageData, 0, 0);
  }

  // paint places the heat canvas under the plot area where its layers and values are (CSS px,
  // written only when they change) and strokes the lines.
  paint(u) {
    const img = this.img;
    if (img) {
      const x0 = u.valToPos(0.5, "x");
      const x1 = u.valToPos(img.L + 0.5, "x");
      const y0 = u.valToPos(img.hi, "y");
      const y1 = u.valToPos(img.lo, "y");
      const geo = `${x0.toFixed(1)},${y0.toFixed(1)},${(x1 - x0).toFixed(1)},${(y1 - y0).toFixed(1)}`;
      if (geo !== this.heatGeo) {
        this.heatGeo = geo;
        Object.assign(this.heat.style, { left: `${x0}px`, top: `${y0}px`, width: `${x1 - x0}px`, height: `${y1 - y0}px` });
      }
    }
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const dpr = uPlot.pxRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    const ln = this.lines;
    const c = this.cfg;
    const X = (i) => u.valToPos(i + 1, "x", true);
    const path = (a) => {
      const p = new Path2D();
      let on = false;
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (!Number.isFinite(v)) {
          on = false;
          continue;
        }
        const Y = u.valToPos(v, "y", true);
        if (on) p.lineTo(X(i), Y);
        else p.moveTo(X(i), Y);
        on = true;
      }
      return p;
    };
    // [line, colour, width, dash]: the sample's (while current) under the theory's, so that
    // where they agree the theory's dashes show over the sample's solid line
    const lines = [];
    if (this.fresh) lines.push([ln.lo, c.color, 1.2], [ln.hi, c.color, 1.2], [ln.m, c.color, 2.4]);
    lines.push([ln.tlo, c.dark, 1.2, [5, 4]], [ln.thi, c.dark, 1.2, [5, 4]], [ln.tm, c.dark, 1.8, [7, 4]]);
    const paths = lines.map((l) => path(l[0]));
    // first every line's white halo, then the lines: a halo never covers another line
    ctx.strokeStyle = "rgba(255, 255, 255, 0.85)";
    lines.forEach((l, i) => {
      ctx.lineWidth = (l[2] + 2.4) * dpr;
      ctx.stroke(paths[i]);
    });
    lines.forEach((l, i) => {
      ctx.setLineDash(l[3] ? l[3].map((x) => x * dpr) : []);
      ctx.strokeStyle = l[1];
      ctx.lineWidth = l[2] * dpr;
      ctx.stroke(paths[i]);
    });
    ctx.restore();
  }

  destroy() {
    this.plot.destroy();
  }
}

export function createDepthView(card) {
  return new DepthView(card);
}

class DepthView {
  constructor(card) {
    this.cards = ["card-depth-signal", "card-depth-dead", "card-depth-grad", "card-depth-collapse"];
    this.meta = { fname: "", torch: "" };
    this.snaps = { a: new Snap(), b: new Snap() };
    this.cmp = -1; // the comparison state the plots were built for
    this.last = null; // {fresh, bfresh, cmp, L} of the last draw
    this.cursorIdx = null;
    this.ro = new ResizeObserver((entries) => {
      for (const e of entries) {
        const p = this.byBox.get(e.target);
        if (p) p.resize(e.contentRect.width);
      }
    });
    this.byBox = new Map();
    this.buildSignal(card("card-depth-signal", "The signal through the layers"));
    this.buildDead(card("card-depth-dead", "Dead units per layer"));
    this.buildGrad(card("card-depth-grad", "Gradient size flowing back"));
    this.buildCollapse(card("card-depth-collapse", "Linear collapse"));
    this.gradArrays = [[], [], [], [], []];
    this.svArrays = [[], [], []];
    this.deadArrays = [[], [], []];
  }

  observe(plot) {
    this.byBox.set(plot.box, plot);
    this.ro.observe(plot.box);
  }

  // ---- DOM, built once ----

  buildSignal(root) {
    root.classList.add("depth-card");
    this.sig = root;
    const diag = el("div", "depth-diag", root);
    diag.setAttribute("aria-live", "polite");
    this.diag = {};
    for (const c of [CFG.a, CFG.b]) {
      const line = el("p", `depth-diag-line cfg-${c.key}`, diag);
      const who = el("span", "depth-who", line);
      el("span", `depth-id cfg-${c.key}`, who);
      const whoText = text(el("span", "depth-who-name", who));
      this.diag[c.key] = { line, who, whoText, text: text(line) };
    }
    const prog = el("div", "depth-progress", root);
    prog.setAttribute("role", "progressbar");
    prog.setAttribute("aria-valuemin", "0");
    prog.setAttribute("aria-valuemax", "100");
    prog.hidden = true;
    const track = el("div", "depth-progress-track", prog);
    this.progFill = el("div", "depth-progress-fill", track);
    this.progText = text(el("span", "depth-progress-text", prog));
    this.prog = prog;

    const key = el("p", "depth-key", root);
    const item = (swatch, words) => {
      const it = el("span", "depth-key-item", key);
      it.append(swatch);
      text(it, words);
      return it;
    };
    const ramp = el("span", "depth-ramp");
    ramp.style.background = RAMP_CSS;
    item(ramp, "shade: how many values fall there (darkest: the layer's most common value; faintest: 100× rarer)");
    item(el("span", "depth-line-swatch solid"), "solid: this sample's mean, and mean ± one standard deviation (thin)");
    item(el("span", "depth-line-swatch dashed"), "dashed: the mean-field theory's");

    this.rows = {};
    for (const c of [CFG.a, CFG.b]) {
      const row = el("div", `depth-row cfg-${c.key}`, root);
      const label = el("p", "depth-row-label", row);
      el("span", `depth-id cfg-${c.key}`, label);
      const labelText = text(label);
      const strips = el("div", "depth-strips", row);
      const pre = new Strip(strips, "pre-activations hₗ", "pre", c, this);
      const post = new Strip(strips, "outputs f(hₗ)", "post", c, this);
      this.observe(pre.plot);
      this.observe(post.plot);
      this.rows[c.key] = { row, label, labelText, strips: [pre, post] };
    }
    this.rows.b.row.hidden = true;

    this.readout = el("div", "depth-readout", root);
    this.readoutLines = [CFG.a, CFG.b].map((c) => {
      const p = el("p", `depth-readout-line cfg-${c.key}`, this.readout);
      return { p, t: text(p) };
    });
    this.thNote = el("p", "plot-note depth-note", root);
    this.thNoteText = text(this.thNote);

    const det = el("details", "depth-table", root);
    el("summary", "", det, "The numbers per layer (a table)");
    this.tableBox = el("div", "depth-table-box", det);
    this.tables = null;
    det.addEventListener("toggle", () => det.open && this.last && this.fillTables());
    this.details = det;
  }

  buildDead(root) {
    root.classList.add("depth-card");
    this.deadCard = root;
    el("p", "depth-sub", root, "A unit is dead when f′ = 0 for every input in the batch: no gradient reaches its weights, so training cannot revive it.");
    // the key, shown when two configurations are compared: solid bars A, hatched bars B
    this.deadKey = el("p", "depth-key depth-dead-key", root);
    this.deadKey.hidden = true;
    this.deadKeyText = [CFG.a, CFG.b].map((c) => {
      const it = el("span", "depth-key-item", this.deadKey);
      el("span", `depth-bar-swatch cfg-${c.key}`, it);
      return text(it);
    });
    this.deadPlot = new Plot(root, "", "Dead units per layer", deadHeight);
    this.observe(this.deadPlot);
    this.deadHover = text(el("p", "depth-hover", root));
    this.deadNote = text(el("p", "plot-note depth-note", root));
  }

  buildGrad(root) {
    root.classList.add("depth-card");
    this.gradCard = root;
    const rd = el("div", "depth-qchi", root);
    this.qchi = [CFG.a, CFG.b].map((c) => {
      const p = el("p", `depth-qchi-line cfg-${c.key}`, rd);
      const who = el("span", "depth-who", p);
      el("span", `depth-id cfg-${c.key}`, who);
      const whoText = text(el("span", "depth-who-name", who));
      const nums = text(el("span", "depth-qchi-nums", p));
      const words = text(el("span", "depth-qchi-words", p));
      return { p, who, whoText, nums, words };
    });
    el("p", "depth-gloss", rd, "q*: the variance the pre-activations settle to; χ₁: the factor by which each layer multiplies the gradient's square (mean-field theory).");
    const key = el("p", "depth-key", root);
    const it1 = el("span", "depth-key-item", key);
    el("span", "depth-sample-swatch cfg-a", it1);
    this.gradKeyB = el("span", "depth-sample-swatch cfg-b", it1);
    this.gradKeyB.hidden = true;
    this.gradKeySample = text(it1);
    const it2 = el("span", "depth-key-item", key);
    el("span", "depth-line-swatch dashed", it2);
    text(it2, "dashed: the mean-field theory");
    this.gradPlot = new Plot(root, "", "Gradient size per layer", gradHeight);
    this.observe(this.gradPlot);
    this.gradHover = text(el("p", "depth-hover", root));
    this.gradNote = text(el("p", "plot-note depth-note", root));
  }

  buildCollapse(root) {
    root.classList.add("depth-card");
    this.colCard = root;
    this.colLines = [CFG.a, CFG.b].map((c) => {
      const p = el("p", `depth-collapse-line cfg-${c.key}`, root);
      const who = el("span", "depth-who", p);
      el("span", `depth-id cfg-${c.key}`, who);
      const whoText = text(el("span", "depth-who-name", who));
      return { p, who, whoText, t: text(p) };
    });
    this.svBox = el("div", "depth-sv", root);
    el("p", "depth-strip-title", this.svBox, "The singular values of the one matrix the network equals, largest first (log scale): how much it stretches each direction.");
    this.svPlot = new Plot(this.svBox, "", "Singular values", svHeight);
    this.observe(this.svPlot);
    this.svHover = text(el("p", "depth-hover", this.svBox));
    this.svNote = text(el("p", "plot-note depth-note", this.svBox));
    this.svBox.hidden = true;
  }

  // ---- the plots whose series depend on the comparison: built when it is switched ----

  buildGrad2(cmp) {
    const series = [{ label: "layer" }];
    for (const c of cmp ? [CFG.a, CFG.b] : [CFG.a]) {
      series.push({
        label: `${c.name} sample`,
        stroke: c.color,
        width: 2.2,
        points: { show: true, size: 6.5, width: 1.6, fill: c.key === "a" ? c.color : "#fff", stroke: c.color },
      });
      series.push({ label: `${c.name} theory`, stroke: c.dark, width: 1.8, dash: c.dash, points: { show: false } });
    }
    this.gradRange = [1e-3, 1];
    this.gradPlot.make(
      {
        padding: [10, 12, 0, 0],
        scales: { x: { time: false, range: () => [0.5, this.L + 0.5] }, y: { distr: 3, log: 10, auto: true, range: () => this.gradRange } },
        axes: [layerAxis("layer l"), logAxis(() => this.gradRange, "RMS of ∂L/∂hₗ")],
        series,
        legend: { show: false },
        cursor: { sync: { key: SYNC }, drag: { x: false, y: false, setScale: false }, points: { size: 8, width: 2 } },
      },
      series.map(() => []),
    );
  }

  buildDead2(cmp) {
    const series = [{ label: "layer" }];
    for (const c of cmp ? [CFG.a, CFG.b] : [CFG.a]) series.push({ label: `${c.name} dead`, stroke: c.color, paths: () => null, points: { show: false } });
    this.deadPlot.make(
      {
        padding: [10, 12, 0, 0],
        scales: { x: { time: false, range: () => [0.5, this.L + 0.5] }, y: { auto: false, range: () => [0, 100] } },
        axes: [layerAxis("layer"), { ...AXIS, size: 46, splits: () => [0, 25, 50, 75, 100], values: (u, s) => s.map((v) => `${v}%`) }],
        series,
        legend: { show: false },
        cursor: { sync: { key: SYNC }, drag: { x: false, y: false, setScale: false }, points: { show: false } },
        hooks: { draw: [(u) => this.paintBars(u)] },
      },
      series.map(() => []),
    );
  }

  buildSv2(two) {
    const series = [{ label: "index" }];
    for (const c of two ? [CFG.a, CFG.b] : [CFG.a]) {
      series.push({
        label: `${c.name} singular values`,
        stroke: c.color,
        width: 1.6,
        points: { show: true, size: 5, width: 1.4, fill: c.key === "a" ? c.color : "#fff", stroke: c.color },
      });
    }
    this.svRange = [0.1, 10];
    this.svPlot.make(
      {
        padding: [10, 12, 0, 0],
        scales: { x: { time: false, range: () => [0.5, this.svN + 0.5] }, y: { distr: 3, log: 10, auto: true, range: () => this.svRange } },
        axes: [layerAxis("index, largest first"), logAxis(() => this.svRange, "")],
        series,
        legend: { show: false },
        cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7, width: 2 } },
        hooks: { setCursor: [(u) => this.svCursor(u)] },
      },
      series.map(() => []),
    );
    this.svTwo = two;
  }

  // svCursor writes the singular value under the pointer.
  svCursor(u) {
    const i = u.cursor.idx;
    if (i == null || !(i < this.svN)) {
      setText(this.svHover, "");
      return;
    }
    const parts = [];
    for (let s = 1; s < u.data.length; s++) parts.push(`${this.svTwo ? `${this.labels[s === 1 ? "a" : "b"]}: ` : ""}${u.data[s][i] == null ? "—" : f3(u.data[s][i])}`);
    setText(this.svHover, `singular value ${i + 1}: ${parts.join("; ")}`);
  }

  // paintBars draws the dead fractions as bars: A solid, B hatched beside it.
  paintBars(u) {
    const st = this.deadState;
    if (!st) return;
    const ctx = u.ctx;
    const dpr = uPlot.pxRatio;
    const { left, top, width, height } = u.bbox;
    if (!st.fresh || st.none) {
      ctx.save();
      ctx.fillStyle = "#5a6377";
      ctx.font = `${13 * dpr}px system-ui, sans-serif`;
      ctx.textAlign = "center";
      ctx.fillText(st.fresh ? "no dead units in any layer" : "waiting for the sample…", left + width / 2, top + height / 2);
      ctx.restore();
      return;
    }
    const col = u.valToPos(1.5, "x", true) - u.valToPos(0.5, "x", true);
    const n = st.cmp ? 2 : 1;
    const bw = Math.max(1, (col * (n === 2 ? 0.84 : 0.66)) / n);
    const y0 = u.valToPos(0, "y", true);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    for (let s = 0; s < n; s++) {
      const c = s ? CFG.b : CFG.a;
      const a = this.snaps[c.key].get("dead");
      const L = this.snaps[c.key].L;
      ctx.fillStyle = s ? this.hatch(ctx, dpr) : c.color;
      ctx.strokeStyle = c.color;
      ctx.lineWidth = Math.max(1, dpr);
      for (let i = 0; i < L; i++) {
        const v = a[i];
        if (!(v > 0)) continue;
        const xc = u.valToPos(i + 1, "x", true) + (n === 2 ? (s - 0.5) * bw : 0);
        const Y = u.valToPos(Math.min(1, v) * 100, "y", true);
        const h = Math.max(1, y0 - Y);
        ctx.fillRect(xc - bw / 2, y0 - h, bw, h);
        if (s && bw > 3 * dpr) ctx.strokeRect(xc - bw / 2 + ctx.lineWidth / 2, y0 - h + ctx.lineWidth / 2, bw - ctx.lineWidth, h - ctx.lineWidth / 2);
      }
    }
    ctx.restore();
  }

  hatch(ctx, dpr) {
    if (this.hatchFill && this.hatchDpr === dpr) return this.hatchFill;
    const s = Math.round(6 * dpr);
    const c = document.createElement("canvas");
    c.width = c.height = s;
    const g = c.getContext("2d");
    g.fillStyle = "rgba(213, 94, 0, 0.18)";
    g.fillRect(0, 0, s, s);
    g.strokeStyle = PALETTE.vermillion;
    g.lineWidth = 1.6 * dpr;
    g.beginPath();
    for (const o of [-s, 0, s]) {
      g.moveTo(o, s);
      g.lineTo(o + s, 0);
    }
    g.stroke();
    this.hatchFill = ctx.createPattern(c, "repeat");
    this.hatchDpr = dpr;
    return this.hatchFill;
  }

  // ---- the renderer's interface ----

  configure(d) {
    this.meta = { fname: d.fname || "", torch: d.torch || "" };
  }

  draw(d) {
    const L = Math.max(0, d.depth | 0);
    const cmp = d.cmp ? 1 : 0;
    const fresh = !!d.sample;
    const bfresh = cmp ? !!d.b_sample : true;
    this.L = Math.max(1, L);
    const name = this.meta.fname ? `${this.meta.fname}${this.meta.torch ? ` (${this.meta.torch})` : ""}` : "this network";
    const labels = { a: cmp ? d.label_a || "A" : name, b: d.label_b || "B" };
    this.labels = labels;
    this.snaps.a.take(d, CFG.a, fresh);
    if (cmp) this.snaps.b.take(d, CFG.b, bfresh);

    if (cmp !== this.cmp) {
      this.cmp = cmp;
      setHidden(this.rows.b.row, !cmp);
      for (const c of [this.sig, this.deadCard, this.gradCard, this.colCard]) c.classList.toggle("depth-cmp", !!cmp);
      setHidden(this.deadKey, !cmp);
      setHidden(this.gradKeyB, !cmp);
      setText(this.gradKeySample, cmp ? "solid, with dots or rings: the sample" : "solid, with dots: this sample");
      this.buildGrad2(cmp);
      this.buildDead2(cmp);
    }
    if (cmp) {
      setText(this.deadKeyText[0], `${labels.a} (solid)`);
      setText(this.deadKeyText[1], `${labels.b} (hatched)`);
    }
    this.last = { fresh, bfresh, cmp, L };

    this.drawSignal(d, cmp, fresh, bfresh, labels);
    this.drawDead(cmp, fresh, bfresh, labels);
    this.drawGrad(d, cmp, fresh, bfresh, labels);
    this.drawCollapse(d, cmp, labels);
    if (this.details.open) this.tableSoon();
    if (this.cursorIdx != null) this.cursorAt(this.cursorIdx);
  }

  drawSignal(d, cmp, fresh, bfresh, labels) {
    const L = this.snaps.a.L;
    const root = this.sig;
    setData(root, "depth", String(L));
    setData(root, "sample", fresh ? "1" : "0");
    setData(root, "diagnosis", d.diagnosis || "");
    // the diagnosis, one line per configuration
    for (const c of [CFG.a, CFG.b]) {
      const g = this.diag[c.key];
      const on = c.key === "a" || cmp;
      setHidden(g.line, !on);
      if (!on) continue;
      setHidden(g.who, !cmp);
      setText(g.whoText, cmp ? `${labels[c.key]}: ` : "");
      setText(g.text, d[`${c.prefix}diagnosis`] || "");
    }
    // progress
    const waitA = !fresh;
    const waitB = cmp && !bfresh;
    setHidden(this.prog, !(waitA || waitB));
    if (waitA || waitB) {
      // progress is the whole job's fraction (A's sample, then B's when compared);
      // progress_layer, when given, the layer being computed
      const p = d.progress;
      const frac = Math.max(0, Math.min(1, Number.isFinite(p) ? p : 0));
      const pl = d.progress_layer;
      const layer = Math.min(Math.max(1, L), pl >= 1 ? Math.round(pl) : Math.floor((cmp ? (waitA ? 2 * frac : 2 * frac - 1) : frac) * L) + 1);
      const who = cmp ? (waitA && waitB ? "the samples" : waitA ? `${labels.a}'s sample` : `${labels.b}'s sample`) : "the sample";
      const t = `computing ${who}: layer ${layer} of ${L}; the dashed theory is already current`;
      setText(this.progText, t);
      const pct = String(Math.round(frac * 100));
      setAttr(this.prog, "aria-valuenow", pct);
      setAttr(this.prog, "aria-valuetext", t);
      const w = `${(frac * 100).toFixed(1)}%`;
      if (this.progFill.style.width !== w) this.progFill.style.width = w;
    }
    // the strips
    for (const c of cmp ? [CFG.a, CFG.b] : [CFG.a]) {
      const r = this.rows[c.key];
      const f = c.key === "a" ? fresh : bfresh;
      const snap = this.snaps[c.key];
      setHidden(r.label, !cmp);
      setText(r.labelText, labels[c.key]);
      r.row.classList.toggle("stale", !f);
      for (const s of r.strips) {
        s.update(d, snap, f);
        s.plot.label(this.stripSummary(s, snap, f, labels[c.key]));
      }
    }
    // the note on theory against sample
    let note = d.theory_note || "";
    if (cmp && d.b_theory_note) note = `${labels.a}: ${note} ${labels.b}: ${d.b_theory_note}`;
    setText(this.thNoteText, note);
  }

  stripSummary(s, snap, fresh, label) {
    const L = snap.L;
    const w = s.which;
    const what = w === "pre" ? "pre-activations hₗ" : "outputs f(hₗ)";
    const at = (k) => f2(snap.get(k)[L - 1]);
    const sample = fresh ? `the sample's mean ${at(`${w}_mean`)} and standard deviation ${at(`${w}_std`)}` : "the sample is being computed";
    return `Density of the ${what} of ${label} over layers 1 to ${L}, darker where more values fall. At layer ${L}: ${sample}; the theory's mean ${at(`th_${w}_mean`)} and standard deviation ${at(`th_${w}_std`)}.`;
  }

  // cursorAt writes the readouts of the layer under the pointer (in any plot of the lab: their
  // cursors are synchronised): the signal card's, the dead units' and the gradient's.
  cursorAt(idx, from) {
    if (from && from !== this.rows.a.strips[0]) return; // one report per move
    this.cursorIdx = idx;
    const last = this.last;
    if (!last) return;
    const lines = this.readoutLines;
    const cfgs = last.cmp ? [CFG.a, CFG.b] : [CFG.a];
    if (idx == null || idx < 0 || idx >= this.snaps.a.L) {
      setText(lines[0].t, "Point at a plot to read a layer's numbers here and under the other plots.");
      lines[0].p.classList.add("hint");
      setHidden(lines[1].p, true);
      setText(this.deadHover, "");
      setText(this.gradHover, "");
      return;
    }
    const dead = [];
    const grad = [];
    for (const c of cfgs) {
      const s = this.snaps[c.key];
      const fresh = c.key === "a" ? last.fresh : last.bfresh;
      const g = (k) => f3(s.get(k)[idx]);
      const part = (w, name) =>
        `${name}: ${fresh ? `mean ${g(`${w}_mean`)}, std ${g(`${w}_std`)}` : "sample being computed"} (theory ${g(`th_${w}_mean`)}, ${g(`th_${w}_std`)})`;
      const who = last.cmp ? `${this.labels[c.key]}, ` : "";
      const line = lines[c.key === "a" ? 0 : 1];
      line.p.classList.remove("hint");
      setHidden(line.p, false);
      setText(line.t, `${who}layer ${idx + 1}: ${part("pre", "h")}; ${part("post", "f(h)")}`);
      const w = last.cmp ? `${this.labels[c.key]}: ` : "";
      dead.push(`${w}${fresh ? `${fmt(s.get("dead")[idx] * 100, 3)}% dead` : "being computed"}`);
      grad.push(`${w}${fresh ? `sample ${g("grad")}` : "sample being computed"}, theory ${g("th_grad")}`);
    }
    if (!last.cmp) setHidden(lines[1].p, true);
    setText(this.deadHover, `layer ${idx + 1}: ${dead.join("; ")}`);
    setText(this.gradHover, `layer ${idx + 1}: ${grad.join("; ")}`);
  }

  drawDead(cmp, fresh, bfresh, labels) {
    const a = this.snaps.a;
    const L = a.L;
    const xs = this.deadArrays[0];
    xs.length = L;
    for (let i = 0; i < L; i++) xs[i] = i + 1;
    const data = [xs];
    let max = -Infinity;
    let none = true;
    const summary = [];
    for (const c of cmp ? [CFG.a, CFG.b] : [CFG.a]) {
      const s = this.snaps[c.key];
      const f = c.key === "a" ? fresh : bfresh;
      const out = this.deadArrays[c.key === "a" ? 1 : 2];
      out.length = L;
      let m = -Infinity;
      let at = 0;
      for (let i = 0; i < L; i++) {
        const v = s.get("dead")[i];
        out[i] = f && Number.isFinite(v) ? v * 100 : null;
        if (f && v > m) {
          m = v;
          at = i;
        }
      }
      data.push(out);
      if (c.key === "a") max = m;
      if (f && m > 0) none = false;
      const who = cmp ? `${labels[c.key]}: ` : "";
      if (!f) summary.push(`${who}the sample is being computed.`);
      else if (!(m > 0)) summary.push(`${who}no dead units in any layer.`);
      else summary.push(`${who}most dead units at layer ${at + 1}: ${fmt(m * 100, 3)}%${m >= 0.999 ? " (the whole layer: nothing flows back through it)" : ""}.`);
    }
    setData(this.deadCard, "deadMax", fresh && max > -Infinity ? String(max) : "");
    this.deadState = { fresh: fresh || (cmp && bfresh), cmp, none };
    this.deadPlot.u.setData(data);
    const t = summary.join(" ");
    // with no dead unit anywhere the plot itself says so
    setText(this.deadNote, none && (fresh || (cmp && bfresh)) ? "" : cap(t));
    this.deadPlot.label(`Bar chart of the percentage of dead units in each of ${L} layers. ${cap(t)}`);
  }

  drawGrad(d, cmp, fresh, bfresh, labels) {
    const L = this.snaps.a.L;
    const arrs = this.gradArrays;
    const xs = arrs[0];
    xs.length = L;
    for (let i = 0; i < L; i++) xs[i] = i + 1;
    const data = [xs];
    const notes = [];
    const summary = [];
    let k = 1;
    for (const c of cmp ? [CFG.a, CFG.b] : [CFG.a]) {
      const s = this.snaps[c.key];
      const f = c.key === "a" ? fresh : bfresh;
      const g = s.get("grad");
      const tg = s.get("th_grad");
      data.push(positiveOrNull(f ? g : null, L, arrs[k++]));
      data.push(positiveOrNull(tg, L, arrs[k++]));
      const who = cmp ? `${labels[c.key]}: ` : "";
      if (f) {
        let zero = 0;
        let inf = 0;
        for (let i = 0; i < L; i++) {
          if (g[i] === 0 || g[i] < 0) zero++;
          else if (!Number.isFinite(g[i])) inf++;
        }
        const layers = (n) => (n === L ? "every layer" : `${n} ${n === 1 ? "layer" : "layers"}`);
        const parts = [];
        if (zero) parts.push(`at ${layers(zero)} the gradient is exactly 0`);
        if (inf) parts.push(`at ${layers(inf)} it overflowed (not finite)`);
        if (parts.length) notes.push(`${who}${cap(parts.join(", and "))}: not drawn, a log axis has no place for ${zero + inf === 1 ? "it" : "them"}.`);
      }
      let thNaN = 0;
      for (let i = 0; i < L; i++) if (!(tg[i] > 0 && tg[i] < Infinity)) thNaN++;
      if (thNaN === L) notes.push(`${who}${cap("the mean-field theory gives no gradient prediction here.")}`);
      else if (thNaN) notes.push(`${who}${cap(`the theory has no value at ${thNaN} ${thNaN === 1 ? "layer" : "layers"}.`)}`);
      summary.push(`${who}${f ? `sample ${f3(g[0])} at layer 1 and ${f3(g[L - 1])} at layer ${L}` : "sample being computed"}; theory ${f3(tg[0])} and ${f3(tg[L - 1])}.`);
      // q* and χ₁
      const q = this.qchi[c.key === "a" ? 0 : 1];
      const has = c.key === "a" || d.b_q_star !== undefined || d.b_chi !== undefined;
      setHidden(q.p, !has);
      if (!has) continue;
      setHidden(q.who, !cmp);
      setText(q.whoText, cmp ? `${labels[c.key]}: ` : "");
      setText(q.nums, `q* = ${num(d[`${c.prefix}q_star`])}, χ₁ = ${num(d[`${c.prefix}chi`])}`);
      const words = d[`${c.prefix}chi_text`] || "";
      setText(q.words, words ? ` (${words})` : "");
    }
    if (!cmp) setHidden(this.qchi[1].p, true);
    const a = d.grad;
    setData(this.gradCard, "gradFirst", fresh && a && a.length >= L && L > 0 ? String(a[0]) : "");
    setData(this.gradCard, "gradLast", fresh && a && a.length >= L && L > 0 ? String(a[L - 1]) : "");
    this.gradRange = logRange(data.slice(1)) || [1e-3, 1];
    this.gradPlot.u.setData(data);
    const t = notes.join(" ");
    setText(this.gradNote, `Each layer's gradient is the root mean square of ∂L/∂hₗ, where L is half the mean of the squared final output; the backward pass starts at the last layer, on the right, and runs leftwards. ${t}`);
    this.gradPlot.label(`Line chart, log scale: the size of the gradient at each of ${L} layers. ${summary.join(" ")}`);
  }

  drawCollapse(d, cmp, labels) {
    let anySv = false;
    let nmax = 0;
    for (const c of [CFG.a, CFG.b]) {
      const g = this.colLines[c.key === "a" ? 0 : 1];
      const on = c.key === "a" || cmp;
      setHidden(g.p, !on);
      if (!on) continue;
      setHidden(g.who, !cmp);
      setText(g.whoText, cmp ? `${labels[c.key]}: ` : "");
      setText(g.t, d[`${c.prefix}collapse`] || "");
      const sv = d[`${c.prefix}sv`];
      if (sv && sv.length) {
        anySv = true;
        nmax = Math.max(nmax, sv.length);
      }
    }
    setHidden(this.svBox, !anySv);
    if (!anySv) return;
    const two = !!(cmp && d.b_sv && d.b_sv.length);
    if (!this.svPlot.u || this.svTwo !== two) {
      this.svN = nmax;
      this.buildSv2(two);
    }
    this.svN = nmax;
    const xs = this.svArrays[0];
    xs.length = nmax;
    for (let i = 0; i < nmax; i++) xs[i] = i + 1;
    const data = [xs, positiveOrNull(d.sv, nmax, this.svArrays[1])];
    if (two) data.push(positiveOrNull(d.b_sv, nmax, this.svArrays[2]));
    this.svRange = logRange(data.slice(1)) || [0.1, 10];
    this.svPlot.u.setData(data);
    let zero = 0;
    for (let i = 0; d.sv && i < d.sv.length; i++) if (!(d.sv[i] > 0)) zero++;
    setText(this.svNote, zero ? `${zero} singular ${zero === 1 ? "value is" : "values are"} 0 and not drawn on the log axis: the matrix has lower rank.` : "");
    const sv = d.sv || [];
    this.svPlot.label(sv.length ? `Singular values of the equivalent matrix, ${sv.length} of them on a log scale, from ${f3(sv[0])} down to ${f3(sv[sv.length - 1])}.` : "Singular values");
  }

  // ---- the table: the numbers per layer, the plots' text alternative (filled while open) ----

  // tableSoon refills the open table at most every TABLE_MS while the data changes, and once
  // more after the last change: hundreds of cells rewritten each frame (and the layout of the
  // table) would cost more than the plots.
  tableSoon() {
    const now = performance.now();
    if (!(now - (this.tableAt || 0) < TABLE_MS)) {
      this.tableAt = now;
      this.fillTables();
      return;
    }
    if (!this.tableTimer) {
      this.tableTimer = setTimeout(() => {
        this.tableTimer = 0;
        this.tableAt = performance.now();
        if (this.details.open) this.fillTables();
      }, TABLE_MS);
    }
  }

  fillTables() {
    const last = this.last;
    const cfgs = last.cmp ? [CFG.a, CFG.b] : [CFG.a];
    const key = `${last.cmp}|${this.snaps.a.L}|${this.labels.a}|${this.labels.b}`;
    if (key !== this.tableKey) {
      this.tableKey = key;
      this.tableBox.textContent = "";
      this.tables = cfgs.map((c) => this.makeTable(c, this.snaps[c.key].L));
    }
    cfgs.forEach((c, ti) => {
      const s = this.snaps[c.key];
      const fresh = c.key === "a" ? last.fresh : last.bfresh;
      const cells = this.tables[ti];
      const cols = ["pre_mean", "pre_std", "th_pre_mean", "th_pre_std", "post_mean", "post_std", "th_post_mean", "th_post_std", "dead", "grad", "th_grad"];
      for (let i = 0; i < cells.length; i++) {
        for (let j = 0; j < cols.length; j++) {
          const k = cols[j];
          const v = s.get(k)[i];
          const t = !fresh && SAMPLE_KEYS.has(k) ? "…" : k === "dead" ? `${fmt(v * 100, 3)}%` : f3(v);
          setText(cells[i][j], t);
        }
      }
    });
  }

  makeTable(c, L) {
    const wrap = el("div", "depth-table-wrap", this.tableBox);
    const t = el("table", "", wrap);
    el("caption", "", t, this.cmp ? this.labels[c.key] : this.labels.a);
    const head = el("thead", "", t);
    const r1 = el("tr", "", head);
    const th = (row, s, span, cls) => {
      const e = el("th", cls || "", row, s);
      if (span > 1) e.colSpan = span;
      e.scope = span > 1 ? "colgroup" : "col";
      return e;
    };
    th(r1, "", 1);
    th(r1, "pre-activations hₗ", 4, "grp");
    th(r1, "outputs f(hₗ)", 4, "grp");
    th(r1, "", 1);
    th(r1, "gradient RMS", 2, "grp");
    const r2 = el("tr", "", head);
    for (const s of ["layer", "mean", "std", "theory mean", "theory std", "mean", "std", "theory mean", "theory std", "dead", "sample", "theory"]) th(r2, s, 1);
    const body = el("tbody", "", t);
    const cells = [];
    for (let i = 0; i < L; i++) {
      const tr = el("tr", "", body);
      const h = el("th", "", tr, String(i + 1));
      h.scope = "row";
      const row = [];
      for (let j = 0; j < 11; j++) row.push(text(el("td", "", tr)));
      cells.push(row);
    }
    return cells;
  }
}

// num formats q* or χ₁: "—" where the theory has no value (NaN), ∞ where it diverges.
function num(v) {
  if (v == null || Number.isNaN(v)) return "—";
  if (v === Infinity) return "∞";
  return f2(v);
}

function cap(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
