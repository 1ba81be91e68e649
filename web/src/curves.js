// The two curve plots (uPlot): f(x) in #plot-f; f'(x) with the finite-difference overlay in
// #plot-df. For a loss: the loss of one sample and its derivative against the prediction.
// The cursor is synchronised between the two, and each legend reads out the values under it.
import uPlot from "uplot";
import { PALETTE, fmt, finiteOrNull } from "./format.js";

const AXIS = {
  stroke: "#3b4256",
  font: "12px system-ui, -apple-system, 'Segoe UI', sans-serif",
  labelFont: "600 12px system-ui, -apple-system, 'Segoe UI', sans-serif",
  grid: { stroke: "rgba(60, 70, 100, 0.10)", width: 1 },
  ticks: { stroke: "rgba(60, 70, 100, 0.25)", width: 1, size: 4 },
};

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

// guides draws y = 0 and x = 0 faintly, and for a loss a dotted vertical line at the target.
function guides(getTarget) {
  return (u) => {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.lineWidth = 1 * devicePixelRatio;
    ctx.strokeStyle = "rgba(30, 35, 50, 0.35)";
    const y0 = u.valToPos(0, "y", true);
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
    const t = getTarget();
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
        ctx.fillText("target", xt + 4 * devicePixelRatio, top + 12 * devicePixelRatio);
      }
    }
    ctx.restore();
  };
}

// tickDigits returns the significant digits that tell ticks `incr` apart at magnitude `mag`
// (−999999.8 next to −999999.6 needs 7, 2e−10 next to 4e−10 needs 1).
function tickDigits(mag, incr) {
  if (!(incr > 0) || !(mag > 0)) return 3;
  return Math.min(15, Math.max(1, Math.ceil(Math.log10(mag / incr) - 1e-9) + 1));
}

// tickValues formats an axis's ticks with the digits their spacing needs.
function tickValues(u, splits, axisIdx, space, incr) {
  let mag = 0;
  for (const v of splits) if (Number.isFinite(v)) mag = Math.max(mag, Math.abs(v));
  const d = tickDigits(mag, incr);
  return splits.map((v) => (v == null ? "" : Math.abs(v) < incr * 1e-6 ? "0" : fmt(v, d)));
}

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
    this.t = NaN;
    this.key = "";
    this.pf = null;
    this.pdf = null;
    // widths holds each plot element's clientWidth as of the last ResizeObserver callback, which
    // runs after layout, so reading it there costs nothing. configure takes the plots' widths
    // from it rather than from clientWidth, which right after Go has built the controls would
    // force a layout of the whole page in the middle of the first frame (see prime).
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

  // yRangeDF is the derivative plot's y range (the range callback of uPlot's y scale, and the
  // limits clipNote reports against): computed from the plot's data once per draw.
  yRangeDF(u) {
    const c = this.dfRange;
    if (c && c.u === u && c.gen === this.gen) return c.r;
    const r = yRangeDF(u);
    this.dfRange = { u, gen: this.gen, r };
    return r;
  }

  configure(meta) {
    const key = `${meta.kind}|${meta.xLabel}|${meta.fLabel}|${meta.dfLabel}`;
    if (key === this.key && this.pf) return;
    this.key = key;
    this.destroy();
    const xr = () => [this.xmin, this.xmax];
    const wf = this.width(this.elF);
    const wdf = this.width(this.elDF);
    const xSeries = { label: meta.xName || "x", value: (u, v) => fmt(v) };
    const common = (yLabel, yr) => ({
      scales: { x: { time: false, range: xr }, y: yr ? { auto: true, range: yr } : { auto: true } },
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
      // legend markers drawn as short lines in each series' style: dashed for the finite difference
      legend: { live: true, markers: { width: 2, dash: (u, i) => (u.series[i].dash ? "dashed" : "solid"), fill: () => "transparent" } },
      hooks: { drawAxes: [guides(() => this.t)] },
    });
    const base = common(meta.fLabel, yRangeF);
    this.pf = new uPlot(
      {
        ...base,
        hooks: { ...base.hooks, draw: [(u) => this.drawMarks(u)] },
        width: wf,
        height: heightFor(wf),
        series: [xSeries, { label: meta.fLabel, stroke: PALETTE.blue, width: 2.5, value: (u, v) => fmt(v) }],
      },
      [[], []],
      this.elF,
    );
    this.pdf = new uPlot(
      {
        ...common(meta.dfLabel, (u) => this.yRangeDF(u)),
        width: wdf,
        height: heightFor(wdf),
        series: [
          xSeries,
          { label: meta.dfLabel, stroke: PALETTE.vermillion, width: 2.5, value: (u, v) => fmt(v) },
          { label: document.body.classList.contains("embed") ? "finite diff. (dashed)" : "finite difference (dashed)", stroke: PALETTE.black, width: 1.5, dash: [7, 5], value: (u, v) => fmt(v) },
        ],
      },
      [[], [], []],
      this.elDF,
    );
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
      ctx.beginPath();
      ctx.arc(X, Y, 4.5 * dpr, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();
  }

  draw(x, y, dy, fd, info) {
    if (!this.pf) return;
    this.xmin = info.xmin;
    this.xmax = info.xmax;
    this.t = info.t;
    const marks = [];
    for (let i = 0; i < dy.length && marks.length <= 20; i++) if (!Number.isFinite(dy[i]) && Number.isFinite(y[i])) marks.push([x[i], y[i]]);
    this.marks = marks.length <= 20 ? marks : null; // many: a region, not isolated points
    this.gen++;
    this.pf.setData([x, finiteOrNull(y)]);
    this.pdf.setData([x, finiteOrNull(dy), finiteOrNull(fd)]);
    this.clipNote(dy, fd);
  }

  // clipNote says under the derivative plot which values its robust y range cuts off. The text
  // is written only when it changes (a text write makes the next frame lay out again).
  clipNote(dy, fd) {
    if (!this.note) {
      this.note = document.createElement("p");
      this.note.className = "plot-note";
      this.elDF.after(this.note);
    }
    const [min, max] = this.yRangeDF(this.pdf); // the range uPlot got for this draw's data
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
    const text = parts.length ? `Clipped: ${parts.join("; ")}; the y range follows the rest of the curve.` : "";
    if (text !== this.noteText) {
      this.noteText = text;
      this.note.textContent = text;
    }
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
