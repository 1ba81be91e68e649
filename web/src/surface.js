// The loss surface: a canvas painted from the RGBA buffer that Go fills (viridis), d3-contour
// lines over the loss values stroked on a canvas above it, SVG axes, a colour bar, and a
// draggable point that shows the loss and the negative gradient as an arrow. Dragging works
// with a mouse, a pen or a finger (pointer events); the arrow keys move the point when it has
// the focus.
import { contours } from "d3-contour";
import { PALETTE, fmt } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const M = { left: 54, right: 74, top: 12, bottom: 46 }; // plot margins (CSS px), narrower on phones

function svg(tag, attrs = {}, parent) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.append(e);
  return e;
}

// niceTicks returns about n round values covering [a, b].
function niceTicks(a, b, n = 5) {
  const span = b - a;
  if (!(span > 0)) return [a];
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= n + 0.5) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(a / step - 1e-9) * step; v <= b + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

export class SurfaceView {
  constructor(root, onPoint) {
    this.root = root;
    this.onPoint = onPoint;
    this.meta = null;
    this.grid = null; // last {rgba, z, info}
    this.pt = null; // last point
    root.textContent = "";
    this.wrap = document.createElement("div");
    this.wrap.className = "surface-wrap";
    // The heatmap is a canvas of the grid's own size (one pixel per sample) that the browser
    // scales to the plot with bilinear filtering, inside a box that clips its half-cell margin;
    // the contours are stroked on a second, full-resolution canvas above it. Scaling by CSS
    // leaves the main thread out of the upscaling (issue 5: drawImage to a 600x500 canvas cost
    // 1.5-3 ms of software rasterisation per frame).
    this.heatBox = document.createElement("div");
    this.heatBox.className = "surface-canvas";
    this.heatBox.style.overflow = "hidden";
    this.heatBox.setAttribute("aria-hidden", "true");
    this.heat = document.createElement("canvas");
    Object.assign(this.heat.style, { position: "absolute", display: "block" });
    this.canvas = document.createElement("canvas"); // the contours
    Object.assign(this.canvas.style, { position: "absolute", left: "0", top: "0", width: "100%", height: "100%", display: "block" });
    this.heatBox.append(this.heat, this.canvas);
    this.svg = svg("svg", { class: "surface-svg", role: "img" });
    this.bar = document.createElement("canvas"); // the colour bar, from Go's viridis
    this.bar.className = "surface-bar";
    this.bar.setAttribute("aria-hidden", "true");
    this.wrap.append(this.heatBox, this.bar, this.svg);
    this.readout = document.createElement("p");
    this.readout.className = "surface-readout";
    this.readout.setAttribute("aria-live", "polite");
    this.note = document.createElement("p");
    this.note.className = "surface-note";
    root.append(this.wrap, this.readout, this.note);
    this.dragging = false;
    this.ro = new ResizeObserver(() => this.layout());
    this.ro.observe(root);
  }

  configure(meta) {
    this.meta = { ...meta };
    this.note.textContent = meta.note || "";
    this.svg.setAttribute("aria-label", `Loss surface over ${meta.xLabel} and ${meta.yLabel}; drag the point to read the loss and its gradient`);
    // colour bar image: 1x256 from Go's viridis
    const bar = meta.colorbar;
    this.bar.width = 1;
    this.bar.height = 256;
    const img = new ImageData(1, 256);
    for (let i = 0; i < 256; i++) {
      // row 0 = top = the highest value
      const s = (255 - i) * 4;
      img.data.set(bar.subarray(s, s + 4), i * 4);
    }
    this.bar.getContext("2d").putImageData(img, 0, 0);
    this.layout();
  }

  layout() {
    const W = Math.max(240, this.root.clientWidth || 0);
    M.left = W < 420 ? 46 : 54;
    M.right = W < 420 ? 64 : 74;
    this.barDigits = W < 420 ? 2 : 3;
    const pw = Math.max(120, W - M.left - M.right);
    const embed = document.body.classList.contains("embed");
    const ph = Math.round(Math.max(embed ? 170 : 200, Math.min(pw * (embed ? 0.6 : 0.82), embed ? 280 : 460)));
    this.pw = pw;
    this.ph = ph;
    this.W = W;
    this.H = ph + M.top + M.bottom;
    this.wrap.style.height = `${this.H}px`;
    const dpr = window.devicePixelRatio || 1;
    Object.assign(this.heatBox.style, { left: `${M.left}px`, top: `${M.top}px`, width: `${pw}px`, height: `${ph}px` });
    Object.assign(this.bar.style, { left: `${M.left + pw + 14}px`, top: `${M.top}px`, width: "12px", height: `${ph}px` });
    this.canvas.width = Math.round(pw * dpr);
    this.canvas.height = Math.round(ph * dpr);
    this.svg.setAttribute("width", W);
    this.svg.setAttribute("height", this.H);
    this.svg.setAttribute("viewBox", `0 0 ${W} ${this.H}`);
    this.redraw();
  }

  // draw takes what Go's surface view handed over this frame: the grid (rgba, z and its scale)
  // when it was recomputed, the point (px, py, loss, dx, dy) when it moved, and the axes when
  // they follow the curve's x range.
  draw(d) {
    const m = this.meta;
    if (!m) return;
    let relayout = false;
    if (d.xMin !== undefined && (d.xMin !== m.xMin || d.xMax !== m.xMax || d.yMin !== m.yMin || d.yMax !== m.yMax)) {
      Object.assign(m, { xMin: d.xMin, xMax: d.xMax, yMin: d.yMin, yMax: d.yMax });
      relayout = true;
    }
    if (d.px !== undefined) {
      this.pt = { x: d.px, y: d.py, loss: d.loss, dx: d.dx, dy: d.dy };
      this.gradLabel = d.gradLabel;
    }
    if (d.rgba) {
      const info = {
        nx: d.nx, ny: d.ny, zmin: d.zmin, zmax: d.zmax, log: !!d.log, levels: d.levels, ticks: d.ticks,
        xmin: d.gxmin, xmax: d.gxmax, ymin: d.gymin, ymax: d.gymax,
      };
      this.grid = { rgba: d.rgba, z: d.z, info };
      this.redraw();
    } else if (relayout) this.redraw();
    else if (d.px !== undefined) this.drawPoint();
  }

  // data <-> pixel (within the plot area)
  px(x) {
    const m = this.meta;
    return ((x - m.xMin) / (m.xMax - m.xMin)) * this.pw;
  }
  py(y) {
    const m = this.meta;
    return this.ph - ((y - m.yMin) / (m.yMax - m.yMin)) * this.ph;
  }

  redraw() {
    if (!this.meta || !this.grid || !this.pw) return;
    const { rgba, z, info } = this.grid;
    const { nx, ny } = info;
    // heatmap: pixel centres of the nx*ny image sit on the sample points, so the scaled image
    // reaches half a cell beyond the plot on every side (clipped by heatBox)
    if (this.heat.width !== nx || this.heat.height !== ny) {
      this.heat.width = nx;
      this.heat.height = ny;
    }
    this.heat.getContext("2d").putImageData(new ImageData(rgba, nx, ny), 0, 0);
    const cx = this.pw / Math.max(1, nx - 1);
    const cy = this.ph / Math.max(1, ny - 1);
    const geo = { left: `${-cx / 2}px`, top: `${-cy / 2}px`, width: `${this.pw + cx}px`, height: `${this.ph + cy}px` };
    const key = Object.values(geo).join();
    if (key !== this.heatGeo) {
      Object.assign(this.heat.style, geo);
      this.heatGeo = key;
    }
    const ctx = this.canvas.getContext("2d");
    const cw = this.canvas.width;
    const ch = this.canvas.height;
    ctx.clearRect(0, 0, cw, ch);
    this.drawContours(ctx, cw, ch);
    this.drawSvg();
  }

  // drawContours strokes d3-contour's level lines on the contour canvas (grid coordinates: value
  // i at i + 0.5; row 0 = y min), dark under light so that they read on every colour. On the
  // canvas rather than as SVG paths: two paths of thousands of points cost 5-10 ms of style,
  // layout and paint per frame in Chromium (issue 5); a Path2D costs its stroke alone.
  drawContours(ctx, cw, ch) {
    const { info, z } = this.grid;
    const levels = info.levels.map((l) => l.value);
    if (!levels.length || !(info.zmax > info.zmin)) return;
    const cs = contours().size([info.nx, info.ny]).thresholds(levels)(z);
    const fx = cw / Math.max(1, info.nx - 1);
    const fy = ch / Math.max(1, info.ny - 1);
    const path = new Path2D();
    for (const c of cs) {
      for (const poly of c.coordinates) {
        for (const ring of poly) {
          for (let i = 0; i < ring.length; i++) {
            const X = (ring[i][0] - 0.5) * fx;
            const Y = ch - (ring[i][1] - 0.5) * fy;
            if (i) path.lineTo(X, Y);
            else path.moveTo(X, Y);
          }
          path.closePath();
        }
      }
    }
    const dpr = cw / this.pw;
    ctx.save();
    ctx.lineJoin = "round";
    ctx.strokeStyle = "rgba(0,0,0,0.45)";
    ctx.lineWidth = 2.2 * dpr;
    ctx.stroke(path);
    ctx.strokeStyle = "rgba(255,255,255,0.85)";
    ctx.lineWidth = 0.9 * dpr;
    ctx.stroke(path);
    ctx.restore();
  }

  // build creates the SVG's layers for the current size and axes: frame, ticks, labels, the
  // colour bar's frame, the point layer and the pointer target. draw only updates the colour
  // bar's labels and the point.
  build() {
    const m = this.meta;
    const s = this.svg;
    s.textContent = "";
    const g = svg("g", { transform: `translate(${M.left},${M.top})` }, s);
    svg("rect", { width: this.pw, height: this.ph, fill: "none", stroke: "#3b4256", "stroke-width": 1 }, g);
    const ax = svg("g", { class: "axis" }, g);
    for (const t of niceTicks(m.xMin, m.xMax, Math.max(3, Math.round(this.pw / 80)))) {
      const X = this.px(t);
      svg("line", { x1: X, x2: X, y1: this.ph, y2: this.ph + 5, stroke: "#3b4256" }, ax);
      svg("text", { x: X, y: this.ph + 18, "text-anchor": "middle" }, ax).textContent = fmt(t, 4);
    }
    for (const t of niceTicks(m.yMin, m.yMax, Math.max(3, Math.round(this.ph / 60)))) {
      const Y = this.py(t);
      svg("line", { x1: -5, x2: 0, y1: Y, y2: Y, stroke: "#3b4256" }, ax);
      svg("text", { x: -8, y: Y + 4, "text-anchor": "end" }, ax).textContent = fmt(t, 4);
    }
    svg("text", { x: this.pw / 2, y: this.ph + 38, "text-anchor": "middle", class: "axis-label" }, ax).textContent = m.xLabel;
    svg("text", { transform: `translate(${-42},${this.ph / 2}) rotate(-90)`, "text-anchor": "middle", class: "axis-label" }, ax).textContent = m.yLabel;
    const bar = svg("g", { transform: `translate(${this.pw + 14},0)`, class: "axis" }, g);
    svg("rect", { width: 12, height: this.ph, fill: "none", stroke: "#3b4256", "stroke-width": 1 }, bar);
    this.barTicks = svg("g", {}, bar);
    // the point's layer: the arrow (shadow, line, head), the handle and its centre, built once
    // here and moved by drawPoint
    const L = (this.ptLayer = svg("g", { class: "point-layer" }, g));
    this.arrow = svg("g", {}, L);
    this.arrowShadow = svg("line", { stroke: "#000", "stroke-width": 5, "stroke-linecap": "round", opacity: 0.55 }, this.arrow);
    this.arrowLine = svg("line", { stroke: PALETTE.orange, "stroke-width": 2.6, "stroke-linecap": "round" }, this.arrow);
    this.arrowHead = svg("path", { fill: PALETTE.orange, stroke: "#000", "stroke-width": 1 }, this.arrow);
    this.handle = svg("circle", { r: 7, fill: "#fff", stroke: "#000", "stroke-width": 2, class: "handle", tabindex: 0, role: "slider" }, L);
    this.handle.setAttribute("aria-label", "surface point: arrow keys move it");
    this.handle.addEventListener("keydown", (e) => this.key(e));
    this.handle.addEventListener("pointerdown", (e) => this.down(e));
    this.dot = svg("circle", { r: 2.2, fill: "#000" }, L);
    this.ptKey = "";
    const hit = svg("rect", { width: this.pw, height: this.ph, fill: "transparent", class: "hit" }, g);
    hit.addEventListener("pointerdown", (e) => this.down(e));
    hit.addEventListener("pointermove", (e) => this.move(e));
    hit.addEventListener("pointerup", (e) => this.up(e));
    hit.addEventListener("pointercancel", (e) => this.up(e));
    this.hit = hit;
    this.built = `${this.pw}x${this.ph}|${m.xLabel}|${m.yLabel}|${m.xMin},${m.xMax},${m.yMin},${m.yMax}`;
  }

  drawSvg() {
    const m = this.meta;
    const key = `${this.pw}x${this.ph}|${m.xLabel}|${m.yLabel}|${m.xMin},${m.xMax},${m.yMin},${m.yMax}`;
    if (this.built !== key) this.build();
    const { info } = this.grid;
    const bt = this.barTicks;
    // rounding noise of a zero ("−5.74e−17" on a scale to 4) shows as 0
    const label = (t) => fmt(Math.abs(t.value) < 1e-12 * Math.max(Math.abs(info.zmin), Math.abs(info.zmax)) ? 0 : t.value, this.barDigits || 3);
    // The ticks' places and the level lines change with the layout; while a slider moves, only
    // the ticks' values do: then their text is rewritten in place.
    const barKey = `${this.ph}|${this.barDigits || 3}|${info.log}|${info.ticks.map((t) => t.pos).join(",")}|${info.levels.map((l) => l.pos).join(",")}`;
    if (bt === this.barEl && barKey === this.barKey) {
      info.ticks.forEach((t, i) => {
        const v = label(t);
        if (this.barTexts[i].data !== v) this.barTexts[i].data = v;
      });
      this.drawPoint();
      return;
    }
    this.barEl = bt;
    this.barKey = barKey;
    this.barTexts = [];
    bt.textContent = "";
    for (const t of info.ticks) {
      const Y = this.ph - t.pos * this.ph;
      svg("line", { x1: 12, x2: 16, y1: Y, y2: Y, stroke: "#3b4256" }, bt);
      const tx = document.createTextNode(label(t));
      svg("text", { x: 18, y: Y + 4 }, bt).append(tx);
      this.barTexts.push(tx);
    }
    for (const l of info.levels) {
      const Y = this.ph - l.pos * this.ph;
      svg("line", { x1: 0, x2: 12, y1: Y, y2: Y, stroke: "rgba(255,255,255,0.85)", "stroke-width": 0.9 }, bt);
    }
    if (info.log) svg("text", { x: -2, y: this.ph + 20, class: "bar-note" }, bt).textContent = "log scale";
    this.drawPoint();
  }

  toData(e) {
    const r = this.hit.getBoundingClientRect();
    const m = this.meta;
    const fx = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
    const fy = Math.min(1, Math.max(0, (e.clientY - r.top) / r.height));
    return [m.xMin + fx * (m.xMax - m.xMin), m.yMax - fy * (m.yMax - m.yMin)];
  }

  down(e) {
    if (e.button !== undefined && e.button > 0) return;
    this.dragging = true;
    this.hit.setPointerCapture(e.pointerId);
    const [x, y] = this.toData(e);
    this.onPoint(x, y);
    e.preventDefault();
  }

  move(e) {
    if (!this.dragging) return;
    const [x, y] = this.toData(e);
    this.onPoint(x, y);
  }

  up(e) {
    this.dragging = false;
    if (this.hit.hasPointerCapture && this.hit.hasPointerCapture(e.pointerId)) this.hit.releasePointerCapture(e.pointerId);
  }

  key(e) {
    const m = this.meta;
    const p = this.pt;
    if (!p) return;
    const dx = (m.xMax - m.xMin) / 100;
    const dy = (m.yMax - m.yMin) / 100;
    const k = e.shiftKey ? 10 : 1;
    const moves = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] };
    const mv = moves[e.key];
    if (!mv) return;
    e.preventDefault();
    this.onPoint(p.x + k * mv[0], p.y + k * mv[1]);
  }

  // drawPoint moves the point, its arrow and the readout. Only what changed is written: the
  // attributes of elements built once in build, and the readout's four values.
  drawPoint() {
    const L = this.ptLayer;
    const p = this.pt;
    if (!L || !p || !this.meta) return;
    const X = this.px(p.x);
    const Y = this.py(p.y);
    // The negative gradient with respect to the axes' quantities, drawn in screen space: on
    // the screen the loss is L(x(X), y(Y)) with x = xMin + X·sx, so its gradient there is
    // (∂L/∂x·sx, ∂L/∂y·sy) (times −1 for the direction of steepest descent), which crosses the
    // contours at right angles whatever the axes' scales. The arrow's length saturates at 30% of
    // the plot and grows with |∇| against a typical slope of this surface.
    const gx = -p.dx;
    const gy = -p.dy;
    const info = this.grid ? this.grid.info : null;
    const g = Math.hypot(gx, gy);
    let arrow = null;
    if (Number.isFinite(g) && g > 0 && info) {
      const m = this.meta;
      const sx = (m.xMax - m.xMin) / this.pw; // data units per pixel
      const sy = (m.yMax - m.yMin) / this.ph;
      const vx = gx * sx;
      const vy = -gy * sy; // screen y grows downwards
      const vlen = Math.hypot(vx, vy);
      // A typical slope of this surface per pixel: the rise to its median colour over half the
      // plot (on a log colour scale the median is far below the maximum, so steep edges do not
      // make every other arrow vanish).
      const mid = info.ticks.length > 2 ? info.ticks[2].value : (info.zmin + info.zmax) / 2;
      const gref = Math.max(1e-300, (2 * (mid - info.zmin)) / Math.max(this.pw, this.ph));
      const r = vlen / gref;
      const maxL = Math.min(this.pw, this.ph) * 0.3;
      const len = Math.max(26, maxL * (r / (1 + r)));
      const ux = vx / vlen;
      const uy = vy / vlen;
      const ex = X + ux * len;
      const ey = Y + uy * len;
      const hx = ex - ux * 9;
      const hy = ey - uy * 9;
      arrow = { hx, hy, head: `M${ex},${ey} L${hx - uy * 5},${hy + ux * 5} L${hx + uy * 5},${hy - ux * 5} Z` };
    }
    const key = `${X},${Y}|${arrow ? `${arrow.hx},${arrow.hy}` : ""}`;
    if (key !== this.ptKey) {
      this.ptKey = key;
      for (const c of [this.handle, this.dot]) {
        c.setAttribute("cx", X);
        c.setAttribute("cy", Y);
      }
      if (arrow) {
        for (const l of [this.arrowShadow, this.arrowLine]) {
          l.setAttribute("x1", X);
          l.setAttribute("y1", Y);
          l.setAttribute("x2", arrow.hx);
          l.setAttribute("y2", arrow.hy);
        }
        this.arrowHead.setAttribute("d", arrow.head);
      }
      this.arrow.style.display = arrow ? "" : "none";
    }
    const m = this.meta;
    this.handle.setAttribute("aria-valuetext", `x ${fmt(p.x)}, y ${fmt(p.y)}, loss ${fmt(p.loss)}`);
    const parts = [
      [m.xLabel, fmt(p.x, 4)],
      [m.yLabel, fmt(p.y, 4)],
      ["loss", fmt(p.loss)],
      [this.gradLabel ? `${this.gradLabel}, the arrow:` : "−∇ (arrow)", `(${fmt(-p.dx, 4)}, ${fmt(-p.dy, 4)})`],
    ];
    if (!this.readoutSpans || this.readoutSpans.length !== parts.length) {
      this.readout.textContent = "";
      this.readoutSpans = parts.map(() => {
        const s = document.createElement("span");
        const b = document.createElement("b");
        const v = document.createTextNode("");
        s.append(b, v);
        this.readout.append(s);
        return { b, v };
      });
    }
    parts.forEach(([k, v], i) => {
      const sp = this.readoutSpans[i];
      if (sp.b.textContent !== `${k} `) sp.b.textContent = `${k} `;
      if (sp.v.data !== v) sp.v.data = v;
    });
  }
}
