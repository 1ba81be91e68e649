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

function heightFor(width) {
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

// yRange scales the derivative plot to the analytic derivative alone, so that the finite
// difference's spike at a jump (heaviside, threshold) does not flatten everything else; the
// spike is clipped at the plot's edge.
function yRange(u, dmin, dmax) {
  const d = u.data[1];
  let lo = Infinity;
  let hi = -Infinity;
  if (d) {
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (v != null && Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (!(lo <= hi)) {
    lo = dmin;
    hi = dmax;
  }
  if (!(lo <= hi)) return [-1, 1];
  return uPlot.rangeNum(lo, hi, 0.1, true);
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
    this.ro = new ResizeObserver(() => this.resize());
    this.ro.observe(elF);
    this.ro.observe(elDF);
  }

  configure(meta) {
    const key = `${meta.kind}|${meta.xLabel}|${meta.fLabel}|${meta.dfLabel}`;
    if (key === this.key && this.pf) return;
    this.key = key;
    this.destroy();
    const xr = () => [this.xmin, this.xmax];
    const wf = this.elF.clientWidth || 320;
    const wdf = this.elDF.clientWidth || 320;
    const xSeries = { label: meta.xName || "x", value: (u, v) => fmt(v) };
    const common = (yLabel, yr) => ({
      scales: { x: { time: false, range: xr }, y: yr ? { auto: true, range: yr } : { auto: true } },
      axes: [
        { ...AXIS, label: fitLabel(meta.xLabel, Math.min(wf, wdf)), size: 34, labelSize: 20 },
        { ...AXIS, label: yLabel, size: 56, labelSize: 20, values: (u, vals) => vals.map((v) => fmt(v, 4)) },
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
    this.pf = new uPlot(
      {
        ...common(meta.fLabel),
        width: wf,
        height: heightFor(wf),
        series: [xSeries, { label: meta.fLabel, stroke: PALETTE.blue, width: 2.5, value: (u, v) => fmt(v) }],
      },
      [[], []],
      this.elF,
    );
    this.pdf = new uPlot(
      {
        ...common(meta.dfLabel, yRange),
        width: wdf,
        height: heightFor(wdf),
        series: [
          xSeries,
          { label: meta.dfLabel, stroke: PALETTE.vermillion, width: 2.5, value: (u, v) => fmt(v) },
          { label: "finite difference (dashed)", stroke: PALETTE.black, width: 1.5, dash: [7, 5], value: (u, v) => fmt(v) },
        ],
      },
      [[], [], []],
      this.elDF,
    );
  }

  draw(x, y, dy, fd, info) {
    if (!this.pf) return;
    this.xmin = info.xmin;
    this.xmax = info.xmax;
    this.t = info.t;
    this.pf.setData([x, finiteOrNull(y)]);
    this.pdf.setData([x, finiteOrNull(dy), finiteOrNull(fd)]);
  }

  resize() {
    for (const [p, el] of [
      [this.pf, this.elF],
      [this.pdf, this.elDF],
    ]) {
      if (!p) continue;
      const w = el.clientWidth;
      if (w > 0 && Math.abs(w - p.width) > 1) p.setSize({ width: w, height: heightFor(w) });
    }
  }

  destroy() {
    if (this.pf) this.pf.destroy();
    if (this.pdf) this.pdf.destroy();
    this.pf = this.pdf = null;
  }
}
