// The view of a vector activation (softmax, softmin, log_softmax, glu): the input vector as bars
// that the user drags, the outputs as bars, and the gradient (the vector-Jacobian product with
// a vector of ones, what y.backward(torch.ones_like(y)) leaves in x.grad). Each panel has a title
// and every bar its value, so nothing depends on colour alone.
import { PALETTE, fmt } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";

function el(tag, attrs = {}, parent) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.append(e);
  return e;
}

// scaleFor returns a symmetric (or [0, hi]) range that holds every value, rounded up.
function rangeFor(values, nonNegative) {
  let hi = 0;
  for (const v of values) if (Number.isFinite(v)) hi = Math.max(hi, Math.abs(v));
  if (nonNegative) return [0, hi <= 1 ? 1 : Math.ceil(hi)];
  if (hi === 0) hi = 1;
  const mag = 10 ** Math.floor(Math.log10(hi));
  const r = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= hi) ?? hi;
  return [-r, r];
}

// sub writes a small index as subscript digits (y₂).
const sub = (k) => String(k).replace(/\d/g, (c) => "₀₁₂₃₄₅₆₇₈₉"[c]);

export class VectorView {
  constructor(root, onInput) {
    this.root = root;
    this.onInput = onInput;
    this.data = null;
    this.inRange = [-6, 6];
    this.drag = -1;
    root.textContent = "";
    // Two SVGs: the input panel, where a touch drags a bar (touch-action: none on the svg
    // element itself: browsers ignore it on SVG children), and the outputs, where a touch
    // scrolls the page.
    this.svgIn = el("svg", { class: "vector-svg vector-in", role: "img" });
    this.svgIn.setAttribute("aria-label", "Input vector: drag a bar to change it");
    this.svg = el("svg", { class: "vector-svg vector-out", role: "img" });
    this.svg.setAttribute("aria-label", "Outputs and gradient of the input vector");
    root.append(this.svgIn, this.svg);
    this.ro = new ResizeObserver(() => this.render());
    this.ro.observe(root);
  }

  configure(meta) {
    this.meta = meta;
    this.name = meta.name;
  }

  draw(d) {
    // copy: the typed arrays are reused by Go on the next frame
    this.data = { input: Array.from(d.input), output: Array.from(d.output), grad: Array.from(d.grad), k: d.k };
    if (this.drag < 0) {
      // keep the input scale fixed while dragging so the bar follows the pointer
      const [, r] = rangeFor(this.data.input, false);
      this.inRange = [-Math.max(5, r), Math.max(5, r)];
    }
    this.render();
  }

  render() {
    if (!this.data) return;
    const W = Math.max(260, this.root.clientWidth || 0);
    const { input, output, grad, k } = this.data;
    const panelH = document.body.classList.contains("embed") ? 100 : W < 480 ? 130 : 150;
    const gap = 46;
    const left = 46;
    const right = 10;
    const top = 22;
    const size = (svg, H) => {
      svg.setAttribute("width", W);
      svg.setAttribute("height", H);
      svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
      svg.textContent = "";
    };
    size(this.svgIn, top + panelH + 22);
    size(this.svg, top + 2 * panelH + gap + 26);
    const s = this.svg;
    const outNonNeg = output.every((v) => v >= 0);
    const panels = [
      { title: "input x — drag a bar", values: input, range: this.inRange, color: PALETTE.sky, pattern: "", drag: true },
      { title: `output ${this.name || "y"}(x)`, values: output, range: rangeFor(output, outNonNeg), color: PALETTE.orange, pattern: "" },
      { title: `row k = ${k} of the Jacobian: ∂y${sub(k)}/∂x_j, how each input moves output ${k}`, values: grad, range: rangeFor(grad, false), color: PALETTE.green, pattern: "hatch" },
    ];
    const defs = el("defs", {}, s);
    const pat = el("pattern", { id: "vec-hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, defs);
    el("rect", { width: 6, height: 6, fill: PALETTE.green }, pat);
    el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "rgba(255,255,255,0.55)", "stroke-width": 2 }, pat);
    const pw = W - left - right;
    panels.forEach((p, k) => {
      const y0 = top + Math.max(0, k - 1) * (panelH + gap);
      const g = el("g", { transform: `translate(${left},${y0})` }, k === 0 ? this.svgIn : s);
      el("text", { x: 0, y: -8, class: "panel-title" }, g).textContent = p.title;
      const [lo, hi] = p.range;
      const Y = (v) => panelH - ((v - lo) / (hi - lo)) * panelH;
      el("rect", { width: pw, height: panelH, fill: "#f7f8fb", stroke: "#d5d9e3" }, g);
      for (const t of [lo, (lo + hi) / 2, hi]) {
        el("line", { x1: -4, x2: pw, y1: Y(t), y2: Y(t), stroke: t === 0 ? "#3b4256" : "#e2e5ec", "stroke-width": t === 0 ? 1 : 1 }, g);
        el("text", { x: -7, y: Y(t) + 4, "text-anchor": "end", class: "tick" }, g).textContent = fmt(t, 3);
      }
      const n = p.values.length;
      const slot = pw / Math.max(1, n);
      const bw = Math.min(56, slot * 0.62);
      const zero = Y(Math.min(Math.max(0, lo), hi));
      p.values.forEach((v, i) => {
        const cx = slot * (i + 0.5);
        const fin = Number.isFinite(v);
        const vy = fin ? Y(Math.min(Math.max(v, lo), hi)) : zero;
        const y = Math.min(vy, zero);
        const h = Math.max(1, Math.abs(vy - zero));
        el("rect", { x: cx - bw / 2, y, width: bw, height: h, fill: p.pattern ? "url(#vec-hatch)" : p.color, stroke: "#1b1b1f", "stroke-width": 0.8, rx: 2 }, g);
        const above = v >= 0 || !fin;
        const ty = above ? Math.max(11, y - 5) : Math.min(panelH - 3, y + h + 13);
        el("text", { x: cx, y: ty, "text-anchor": "middle", class: "bar-value" }, g).textContent = fmt(v, 3);
        if (p.drag) {
          const hit = el("rect", { x: cx - slot / 2, y: 0, width: slot, height: panelH, fill: "transparent", class: "drag-bar", "data-index": i }, g);
          hit.addEventListener("pointerdown", (e) => this.down(e, i, g, Y, lo, hi));
          el("line", { x1: cx - bw / 2 - 3, x2: cx + bw / 2 + 3, y1: vy, y2: vy, stroke: "#1b1b1f", "stroke-width": 3, "stroke-linecap": "round", "pointer-events": "none" }, g);
        }
      });
      const idx = el("g", { class: "tick" }, g);
      p.values.forEach((_, i) => {
        el("text", { x: slot * (i + 0.5), y: panelH + 14, "text-anchor": "middle" }, idx).textContent = `${k === 0 ? "x" : k === 1 ? "y" : "g"}${i}`;
      });
    });
  }

  down(e, i, g, Y, lo, hi) {
    if (e.button !== undefined && e.button > 0) return;
    e.preventDefault(); // no text selection, no scroll or zoom gesture from this pointer
    this.drag = i;
    const rect = g.querySelector("rect").getBoundingClientRect();
    const toValue = (ev) => {
      const f = Math.min(1, Math.max(0, (ev.clientY - rect.top) / rect.height));
      return hi - f * (hi - lo);
    };
    const move = (ev) => this.onInput(i, Math.round(toValue(ev) * 100) / 100);
    const up = () => {
      this.drag = -1;
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      window.removeEventListener("pointercancel", up);
    };
    // on window: the SVG is rebuilt on every frame, so the bar under the pointer is replaced
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", up);
    move(e);
  }
}
