// The two curve plots (uPlot): f(x) in #plot-f; f'(x) with the finite-difference overlay in
// #plot-df. For a loss: the loss of one sample and its derivative against the prediction.
// The cursor is synchronised between the two, and each legend reads out the values under it.
import uPlot from "uplot";
import { PALETTE, AXIS, fmt, finiteOrNull, tickDigits, tickValues } from "./format.js";


// fitLabel shortens an axis label that would not fit the plot's width: first the part in
// parentheses goes, then the end (the caption above the plot keeps the full text).
function fitLabel(label, width) {
  const fits = (t) => t.length * 6.6 <= width - 70;
  if (!label || fits(label)) return label;
  const short = label.replace(/\s*\(.*\)\s*/g, " ").trim();
  if (fits(short)) return short;
  const n = Math.max(4, Math.floor((width - 70) / 6.6) - 1);
  return short.slice(0, n) + "…";
}

// heightFor is a plot's height for its width; the embed page is compact, so that an iframe
// of about 560 px shows the controls and both plots.
function heightFor(width) {
  if (document.body.classList.contains("embed")) return Math.round(Math.max(150, Math.min(210, width * 0.6)));
  return Math.round(Math.max(190, Math.min(300, width * 0.62)));
}

// guides draws y = 0 and x = 0 faintly, and for a loss a dotted vertical line where the target
// lives on the x axis (Curve.Mark: the target itself, or the logit where σ(x) = y, or where the
// loss becomes 0), with its label in words.
function guides(getMark) {
  return (u) => {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.lineWidth = 1 * devicePixelRatio;
    ctx.strokeStyle = "rgba(30, 35, 50, 0.35)";
    const y0 = u.scales.y.distr === 3 ? NaN : u.valToPos(0, "y", true);
    if (y0 >= top && y0 <= top + height) {
      ctx.beginPath();
      ctx.moveTo(left, y0);
      ctx.lineTo(left + width, y0);
      ctx.stroke();
    }
    const x0 = u.valToPos(0, "x", true);
    if (x0 >= left && x0 <= left + width) {
      ctx.beginPath();
      ctx.moveTo(x0, top);
      ctx.lineTo(x0, top + height);
      ctx.stroke();
    }
    const [t, label] = getMark();
    if (Number.isFinite(t)) {
      const xt = u.valToPos(t, "x", true);
      if (xt >= left && xt <= left + width) {
        ctx.strokeStyle = PALETTE.green;
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
        ctx.beginPath();
        ctx.moveTo(xt, top);
        ctx.lineTo(xt, top + height);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = PALETTE.green;
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        const text = label || "target";
        const w = ctx.measureText(text).width;
        const right = xt + 4 * devicePixelRatio + w > left + width;
        ctx.fillText(text, right ? xt - 4 * devicePixelRatio - w : xt + 4 * devicePixelRatio, top + 12 * devicePixelRatio);
      }
    }
    ctx.restore();
  };
}

// SERIES are the compared curves' styles: a colour-blind-safe colour (Okabe–Ito) and a dash
// pattern, so that no series is told apart by colour alone. The main curve is solid.
export const SERIES = [
  { stroke: PALETTE.orange, dash: [9, 4], name: "dashed" },
  { stroke: PALETTE.green, dash: [2, 3], name: "dotted" },
  { stroke: PALETTE.purple, dash: [10, 3, 2, 3], name: "dash-dot" },
  { stroke: PALETTE.sky, dash: [4, 6], name: "sparse dashes" },
];

// VANISH and DEAD are the shades of the f′ plot's vanishing and dead regions.
const VANISH = "rgba(230, 159, 0, 0.16)";
const DEAD = "rgba(60, 60, 70, 0.22)";


// tickSpace is the room each x tick label needs (px): long labels (far from 0 on a narrow range)
// get fewer ticks instead of overlapping.
function tickSpace(u, axisIdx, min, max, dim) {
  return Math.max(50, labelChars(min, max, dim) * 7 + 16);
}

// labelChars estimates the length of the longest x tick label of [min, max] over dim px.
function labelChars(min, max, dim) {
  const span = max - min;
  if (!(span > 0) || !(dim > 0)) return 4;
  const incr = span / Math.max(1, dim / 60);
  const mag = Math.max(Math.abs(min), Math.abs(max));
  return Math.max(fmt(min, tickDigits(mag, incr)).length, fmt(max, tickDigits(mag, incr)).length);
}

// finiteSorted returns the finite values of a, sorted.
function finiteSorted(a) {
  const out = [];
  if (a) for (let i = 0; i < a.length; i++) if (a[i] != null && Number.isFinite(a[i])) out.push(a[i]);
  return out.sort((p, q) => p - q);
}

// robustRange returns [lo, hi] holding the values of sorted `v` except far outliers: the 2nd to
// 98th percentile, widened to the extremes when they lie within one such span of it. A flat
// curve gets a range around it rather than uPlot's [0, 100].
function robustRange(v) {
  const n = v.length;
  if (!n) return null;
  let lo = v[Math.floor(0.02 * (n - 1))];
  let hi = v[Math.ceil(0.98 * (n - 1))];
  const span = hi - lo || Math.max(Math.abs(hi), 1);
  if (v[0] >= lo - span) lo = v[0];
  if (v[n - 1] <= hi + span) hi = v[n - 1];
  return [lo, hi];
}

function padRange(lo, hi) {
  if (!(lo < hi)) {
    const pad = Math.max(Math.abs(lo) * 0.5, 1);
    return [lo - pad, hi + pad];
  }
  // nearly flat relative to its magnitude: uPlot would treat it as flat; widen a little
  const mag = Math.max(Math.abs(lo), Math.abs(hi));
  if (hi - lo < mag * 1e-12) return [lo - mag * 1e-12, hi + mag * 1e-12];
  const r = uPlot.rangeNum(lo, hi, 0.1, true);
  return r[0] < r[1] ? r : [lo, hi];
}

// yRangeF scales the f plot to its finite values: from the smallest to the largest (of equal
// values such as -0 and 0, the first smallest and the last largest, as a stable sort has them).
function yRangeF(u, dmin, dmax) {
  const a = u.data[1];
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  if (a) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v == null || !Number.isFinite(v)) continue;
      if (n++ === 0 || v < lo) lo = v;
      if (v >= hi) hi = v;
    }
  }
  if (!n) return padRange(Number.isFinite(dmin) ? dmin : -1, Number.isFinite(dmax) ? dmax : 1);
  return padRange(lo, hi);
}

// yRangeDF scales the derivative plot to the analytic derivative alone, without far outliers,
// so that the finite difference's spike at a jump (heaviside: 1/(2h) at 0) or a derivative
// that explodes at the plot's edge (binary_cross_entropy at 0 and 1) does not flatten the
// rest; what is cut off is said under the plot (CurvePlots.clipNote).
function yRangeDF(u, dmin, dmax) {
  const r = robustRange(finiteSorted(u.data[1])) || robustRange(finiteSorted(u.data[2]));
  if (!r) return [-1, 1];
  return padRange(r[0], r[1]);
}

export class CurvePlots {
  constructor(elF, elDF) {
    this.elF = elF;
    this.elDF = elDF;
    this.xmin = -4;
    this.xmax = 4;
    this.mark = [NaN, ""];
    this.key = "";
    this.meta = null;
    this.pf = null;
    this.pdf = null;
    // widths holds each plot element's clientWidth as of the last ResizeObserver callback, which
    // runs after layout, so reading it there costs nothing. build takes the plots' widths from
    // it rather than from clientWidth, which right after Go has built the controls would force a
    // layout of the whole page in the middle of the first frame (see prime).
    this.widths = new Map();
    this.ro = new ResizeObserver((entries) => {
      for (const e of entries) this.widths.set(e.target, e.target.clientWidth);
      this.resize();
    });
    this.ro.observe(elF);
    this.ro.observe(elDF);
    this.gen = 0; // counts draws: the derivative plot's y range is computed once per draw
    this.dfRange = null; // {u, gen, r}
    this.noteText = "";
    this.fixed = { f: [-1, 1], df: [-1, 1] };
    this.vanish = 0;
    this.dy = null;
  }

  // prime records the plots' widths now. main.js calls it before the wasm starts, once the
  // skeleton has been painted: its layout is up to date then, so reading costs no layout, and
  // the first frame (which runs before the ResizeObserver's first report) finds the widths.
  prime() {
    for (const el of [this.elF, this.elDF]) if (!this.widths.has(el)) this.widths.set(el, el.clientWidth);
  }

  // width is el's width: as last observed (no layout), else clientWidth (a layout, if one is due).
  width(el) {
    return this.widths.get(el) || el.clientWidth || 320;
  }

  // yRangeDF is the derivative plot's y range in auto mode (the range callback of uPlot's y
  // scale, and the limits clipNote reports against): computed from the plot's data once per draw.
  yRangeDF(u) {
    const c = this.dfRange;
    if (c && c.u === u && c.gen === this.gen) return c.r;
    const r = yRangeDF(u);
    this.dfRange = { u, gen: this.gen, r };
    return r;
  }

  // configure takes the view's labels (Go's curves view); the plots are built at the next draw,
  // which knows how many series there are and how each y axis is scaled.
  configure(meta) {
    this.meta = meta;
    this.key = "";
    const capF = document.getElementById("cap-f");
    const capDF = document.getElementById("cap-df");
    if (capF) capF.textContent = capF.title = meta.fCaption;
    if (capDF) capDF.textContent = capDF.title = meta.dfCaption;
  }

  // yScale is the y scale of a plot for its mode: auto (range follows the data), fixed (the
  // typed range), or log (base 10, positive values only).
  yScale(mode, plot, auto) {
    if (mode === "fixed") return { auto: false, range: () => this.fixed[plot] };
    if (mode === "log") return { distr: 3, log: 10, auto: true, range: (u, min, max) => logRange(min, max) };
    return { auto: true, range: auto };
  }

  build(n, yf, ydf) {
    const meta = this.meta;
    this.destroy();
    const xr = () => [this.xmin, this.xmax];
    const wf = this.width(this.elF);
    const wdf = this.width(this.elDF);
    const xSeries = { label: meta.xName || "x", value: (u, v) => fmt(v) };
    const common = (yLabel, scale) => ({
      scales: { x: { time: false, range: xr }, y: scale },
      // room for the last x tick's label, centred on the right edge
      padding: [10, () => Math.max(14, labelChars(this.xmin, this.xmax, 400) * 4 + 6), 0, 0],
      axes: [
        { ...AXIS, label: fitLabel(meta.xLabel, Math.min(wf, wdf)), size: 34, labelSize: 20, values: tickValues, space: tickSpace },
        { ...AXIS, label: yLabel, size: 60, labelSize: 20, values: tickValues },
      ],
      cursor: {
        sync: { key: "nnplay-x" },
        drag: { x: false, y: false, setScale: false },
        points: { size: 8, width: 2 },
      },
      // legend markers drawn as short lines in each series' style: dashed for the finite
      // difference and the compared series
      legend: { live: true, markers: { width: 2, dash: (u, i) => (u.series[i].dash ? "dashed" : "solid"), fill: () => "transparent" } },
      hooks: { drawAxes: [guides(() => this.mark)] },
    });
    const extra = (stroke) =>
      SERIES.slice(0, n).map((st, i) => ({ label: `series ${i + 1}`, stroke: st.stroke, width: 2.2, dash: st.dash, value: (u, v) => fmt(v) }));
    const base = common(meta.fLabel, this.yScale(yf, "f", yRangeF));
    this.pf = new uPlot(
      {
        ...base,
        hooks: { ...base.hooks, draw: [(u) => this.drawMarks(u)], setScale: [(u, k) => k === "y" && this.markRange(u, this.elF)] },
        width: wf,
        height: heightFor(wf),
        series: [xSeries, { label: meta.fLabel, stroke: PALETTE.blue, width: 2.5, value: (u, v) => fmt(v) }, ...extra()],
      },
      [[], [], ...extra().map(() => [])],
      this.elF,
    );
    const bdf = common(meta.dfLabel, this.yScale(ydf, "df", (u) => this.yRangeDF(u)));
    this.pdf = new uPlot(
      {
        ...bdf,
        hooks: { ...bdf.hooks, drawClear: [(u) => this.shadeVanishing(u)], setScale: [(u, k) => k === "y" && this.markRange(u, this.elDF)] },
        width: wdf,
        height: heightFor(wdf),
        series: [
          xSeries,
          { label: meta.dfLabel, stroke: PALETTE.vermillion, width: 2.5, value: (u, v) => fmt(v) },
          { label: document.body.classList.contains("embed") ? "finite diff. (dashed)" : "finite difference (dashed)", stroke: PALETTE.black, width: 1.5, dash: [7, 5], value: (u, v) => fmt(v) },
          ...extra(),
        ],
      },
      [[], [], [], ...extra().map(() => [])],
      this.elDF,
    );
    this.labelsShown = [];
  }

  // drawMarks puts a dot on f at the few points where f′ is undefined (heaviside at 0): the
  // value there (heaviside's `values`) is a single sample, invisible in the line alone.
  drawMarks(u) {
    const m = this.marks;
    if (!m || !m.length) return;
    const ctx = u.ctx;
    const dpr = devicePixelRatio;
    ctx.save();
    ctx.fillStyle = PALETTE.blue;
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 1.5 * dpr;
    for (const [x, y] of m) {
      const X = u.valToPos(x, "x", true);
      const Y = u.valToPos(y, "y", true);
      if (!Number.isFinite(Y)) continue;
      ctx.beginPath();
      ctx.arc(X, Y, 4.5 * dpr, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();
  }

  // shadeVanishing shades, under the f′ curves, the x intervals where 0 < |f′| < vanish (the
  // gradient vanishes there) and marks where f′ is exactly 0 (dead: no gradient at all) with a
  // darker shade and a bar along the x axis. The key under the plot says it in words.
  shadeVanishing(u) {
    const dy = this.dy;
    const th = this.vanish;
    if (!dy || !(th > 0 || hasZero(dy))) return;
    const x = u.data[0];
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    const run = (test, style, bar) => {
      let i = 0;
      while (i < dy.length) {
        if (!test(dy[i])) {
          i++;
          continue;
        }
        let j = i;
        while (j + 1 < dy.length && test(dy[j + 1])) j++;
        // the interval reaches halfway to the neighbouring samples
        const a = i > 0 ? (x[i - 1] + x[i]) / 2 : x[i];
        const b = j < dy.length - 1 ? (x[j] + x[j + 1]) / 2 : x[j];
        const X0 = u.valToPos(a, "x", true);
        const X1 = u.valToPos(b, "x", true);
        ctx.fillStyle = style;
        ctx.fillRect(X0, top, Math.max(1, X1 - X0), height);
        if (bar) {
          ctx.fillStyle = "rgba(40, 40, 50, 0.85)";
          ctx.fillRect(X0, top + height - 5 * devicePixelRatio, Math.max(1, X1 - X0), 5 * devicePixelRatio);
        }
        i = j + 1;
      }
    };
    if (th > 0) run((v) => v !== 0 && Math.abs(v) < th, VANISH, false);
    run((v) => v === 0, DEAD, true);
    ctx.restore();
  }

  // draw takes what Go's curves view handed over: x, y, dy, fd and per compared series
  // s<i>y and s<i>dy; the labels; the x range; the target's mark; the y axes' modes and fixed
  // ranges; the vanishing threshold.
  draw(d) {
    if (!this.meta) return;
    const n = d.series | 0;
    const key = `${n}|${d.yf}|${d.ydf}`;
    if (key !== this.key || !this.pf) {
      this.key = key;
      this.build(n, d.yf, d.ydf);
    }
    this.xmin = d.xmin;
    this.xmax = d.xmax;
    this.mark = [d.mark, d.markLabel];
    this.fixed = { f: [d.yfmin, d.yfmax], df: [d.ydfmin, d.ydfmax] };
    this.vanish = d.vanish;
    this.dy = d.dy;
    const { x, y, dy, fd } = d;
    const marks = [];
    for (let i = 0; i < dy.length && marks.length <= 20; i++) if (!Number.isFinite(dy[i]) && Number.isFinite(y[i])) marks.push([x[i], y[i]]);
    this.marks = marks.length <= 20 ? marks : null; // many: a region, not isolated points
    this.gen++;
    const fLog = d.yf === "log";
    const dfLog = d.ydf === "log";
    const prep = (a, log) => (log ? positiveOrNull(a) : finiteOrNull(a));
    const fs = [x, prep(y, fLog)];
    const dfs = [x, prep(dy, dfLog), prep(fd, dfLog)];
    for (let i = 0; i < n; i++) {
      fs.push(prep(d[`s${i}y`], fLog));
      dfs.push(prep(d[`s${i}dy`], dfLog));
    }
    this.pf.setData(fs);
    this.pdf.setData(dfs);
    const labels = [];
    for (let i = 0; n && i <= n; i++) labels.push(d[`label${i}`]);
    this.legendLabels(n ? labels : null);
    this.clipNote(dy, fd, d);
    this.vanishKey(dy, d);
  }

  // markRange writes the plot's y range as uPlot set it into data-yrange ("min,max"): the
  // page's hook for what the axis shows (browser tests), written only when it changes.
  markRange(u, el) {
    const r = `${u.scales.y.min},${u.scales.y.max}`;
    if (el.dataset.yrange !== r) el.dataset.yrange = r;
  }

  // legendLabels names each series in the legends with its parameters (written only when a
  // label changes: rebuilding the plots for a label would cost a frame).
  legendLabels(labels) {
    const want = labels ? labels : [this.meta.fLabel];
    const same = want.length === this.labelsShown.length && want.every((l, i) => l === this.labelsShown[i]);
    if (same) return;
    this.labelsShown = want.slice();
    const set = (u, idx, text) => {
      const el = u.root.querySelectorAll(".u-legend .u-series")[idx];
      const lab = el && el.querySelector(".u-label");
      if (lab) lab.textContent = text;
    };
    for (let i = 0; i < want.length; i++) {
      const text = labels ? (i === 0 ? `${want[0]}` : `${want[i]} (${SERIES[i - 1].name})`) : want[0];
      set(this.pf, i + 1, text);
      set(this.pdf, i === 0 ? 1 : i + 2, i === 0 && labels ? `${this.meta.dfLabel} of ${want[0]}` : i === 0 ? this.meta.dfLabel : text);
    }
  }

  // clipNote says under the derivative plot which values its y range cuts off (auto: the
  // robust range; fixed: the typed one; log: values ≤ 0 are not drawn). The text is written
  // only when it changes (a text write makes the next frame lay out again).
  clipNote(dy, fd, d) {
    if (!this.note) {
      this.note = document.createElement("p");
      this.note.className = "plot-note";
      this.elDF.after(this.note);
    }
    let text = "";
    if (d.ydf === "log") {
      text = hasNonPositive(dy) ? "Log scale: where f′ ≤ 0 nothing is drawn." : "";
    } else {
      const [min, max] = d.ydf === "fixed" ? this.fixed.df : this.yRangeDF(this.pdf);
      const out = (a) => {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = 0; i < a.length; i++) {
          const v = a[i];
          if (Number.isFinite(v)) {
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
        }
        if (lo < min) return lo;
        if (hi > max) return hi;
        return null;
      };
      const parts = [];
      const a = out(dy);
      if (a != null) parts.push(`the derivative reaches ${fmt(a, 3)}`);
      const b = out(fd);
      if (b != null) parts.push(`the finite difference reaches ${fmt(b, 3)}${a == null ? " (at a jump or a kink it is not a derivative)" : ""}`);
      const rest = d.ydf === "fixed" ? "the y range is fixed" : "the y range follows the rest of the curve";
      text = parts.length ? `Clipped: ${parts.join("; ")}; ${rest}.` : "";
    }
    if (d.yf === "log" && hasNonPositive(d.y)) text = `${text ? `${text} ` : ""}On the f plot's log scale, values ≤ 0 are not drawn.`;
    if (text !== this.noteText) {
      this.noteText = text;
      this.note.textContent = text;
    }
  }

  // vanishKey is the f′ plot's key to its shading, in words: how much of the plotted range
  // has a vanishing gradient (0 < |f′| < threshold) and how much a dead one (f′ = 0).
  vanishKey(dy, d) {
    if (!this.keyEl) {
      this.keyEl = document.createElement("p");
      this.keyEl.className = "plot-key";
      this.keyEl.setAttribute("data-key", "vanish");
      (this.note || this.elDF).after(this.keyEl);
    }
    let nv = 0;
    let nd = 0;
    let n = 0;
    for (let i = 0; i < dy.length; i++) {
      const v = dy[i];
      if (Number.isNaN(v)) continue;
      n++;
      if (v === 0) nd++;
      else if (Math.abs(v) < d.vanish) nv++;
    }
    if (!this.keyItems) {
      // two items built once: a swatch and a text each; only the texts change afterwards
      this.keyItems = ["vanish", "dead"].map((cls) => {
        const item = document.createElement("span");
        item.className = "key-item";
        const sw = document.createElement("span");
        sw.className = `swatch ${cls}`;
        const text = document.createTextNode("");
        item.append(sw, text);
        this.keyEl.append(item);
        return { item, text };
      });
    }
    const pct = (k) => `${Math.round((100 * k) / Math.max(1, n))}%`;
    const [v, dd] = this.keyItems;
    const vt = d.vanish > 0 ? `vanishing gradient, 0 < |f′| < ${fmt(d.vanish, 3)}: ${pct(nv)} of the plotted x range` : "";
    const dt = `dead, f′ = 0 exactly (no gradient flows): ${pct(nd)}`;
    if (v.text.data !== vt) v.text.data = vt;
    if (v.item.hidden !== !vt) v.item.hidden = !vt;
    if (dd.text.data !== dt) dd.text.data = dt;
    // the sample counts, for tests: written only when they change
    if (this.keyEl.dataset.vanishing !== String(nv)) this.keyEl.dataset.vanishing = String(nv);
    if (this.keyEl.dataset.dead !== String(nd)) this.keyEl.dataset.dead = String(nd);
  }

  resize() {
    for (const [p, el] of [
      [this.pf, this.elF],
      [this.pdf, this.elDF],
    ]) {
      if (!p) continue;
      const w = this.widths.get(el) ?? el.clientWidth;
      if (w > 0 && Math.abs(w - p.width) > 1) p.setSize({ width: w, height: heightFor(w) });
    }
  }

  destroy() {
    if (this.pf) this.pf.destroy();
    if (this.pdf) this.pdf.destroy();
    this.pf = this.pdf = null;
  }
}

function hasZero(a) {
  for (let i = 0; i < a.length; i++) if (a[i] === 0) return true;
  return false;
}

function hasNonPositive(a) {
  for (let i = 0; i < a.length; i++) if (a[i] <= 0) return true;
  return false;
}

// positiveOrNull is finiteOrNull for a log scale: values ≤ 0 are gaps too.
function positiveOrNull(a) {
  const out = new Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number.isFinite(a[i]) && a[i] > 0 ? a[i] : null;
  return out;
}

// logRange is a log axis's range: whole decades around the positive values.
function logRange(min, max) {
  if (!(min > 0) || !(max > 0)) return [0.1, 10];
  const lo = 10 ** Math.floor(Math.log10(min));
  let hi = 10 ** Math.ceil(Math.log10(max));
  if (hi <= lo) hi = lo * 10;
  return [lo, hi];
}
