// A measurement behind bench/FINDINGS.md (F3): d3-contour's contours() against a plain
// marching-squares pass that only emits the segments a stroke needs, on the page's 180x180 grid
// with 10 levels, for the mse_loss surface (x - y)^2 and a cross_entropy-like surface.
//
//   cd web && node bench/contours.mjs
//
// Both produce an SVG path string in grid coordinates (what surface.js builds); the segment
// version does not join segments into rings (a stroke does not need it) and interpolates the
// crossing linearly as d3 does. Not part of make bench.

import { contours } from 'd3-contour';

const NX = 180;
const NY = 180;

function grid(f, lo, hi) {
  const z = new Float64Array(NX * NY);
  for (let j = 0; j < NY; j++) {
    const y = lo + ((hi - lo) * j) / (NY - 1);
    for (let i = 0; i < NX; i++) z[j * NX + i] = f(lo + ((hi - lo) * i) / (NX - 1), y);
  }
  return z;
}

function levels(z, n) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of z) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Array.from({ length: n }, (_, k) => lo + ((hi - lo) * (k + 1)) / (n + 1));
}

function viaD3(z, th) {
  const parts = [];
  for (const c of contours().size([NX, NY]).thresholds(th)(z)) {
    for (const poly of c.coordinates) {
      for (const ring of poly) {
        for (let i = 0; i < ring.length; i++) parts.push((i ? 'L' : 'M') + Math.round(ring[i][0] * 10) / 10 + ',' + Math.round(ring[i][1] * 10) / 10);
        parts.push('Z');
      }
    }
  }
  return parts.join('');
}

// marching squares: for each cell and level, the 0-2 segments between edge crossings
function viaSegments(z, th) {
  let d = '';
  const r = (v) => Math.round(v * 10) / 10;
  for (const t of th) {
    for (let j = 0; j + 1 < NY; j++) {
      for (let i = 0; i + 1 < NX; i++) {
        const a = z[j * NX + i];
        const b = z[j * NX + i + 1];
        const c = z[(j + 1) * NX + i + 1];
        const e = z[(j + 1) * NX + i];
        const code = (a >= t ? 1 : 0) | (b >= t ? 2 : 0) | (c >= t ? 4 : 0) | (e >= t ? 8 : 0);
        if (code === 0 || code === 15) continue;
        // crossing points on the four edges: bottom (a-b), right (b-c), top (e-c), left (a-e)
        const px = [];
        if ((code & 1) !== (code >> 1 & 1)) px.push(i + (t - a) / (b - a), j);
        if ((code >> 1 & 1) !== (code >> 2 & 1)) px.push(i + 1, j + (t - b) / (c - b));
        if ((code >> 3 & 1) !== (code >> 2 & 1)) px.push(i + (t - e) / (c - e), j + 1);
        if ((code & 1) !== (code >> 3 & 1)) px.push(i, j + (t - a) / (e - a));
        for (let k = 0; k + 3 < px.length; k += 4) d += 'M' + r(px[k]) + ',' + r(px[k + 1]) + 'L' + r(px[k + 2]) + ',' + r(px[k + 3]);
      }
    }
  }
  return d;
}

// the same pass writing the segments' end points to a reused Float64Array (for a canvas
// Path2D or one CopyBytesToJS-style transfer): the cost without building a string
const SEG = new Float64Array(4 * 200000);
function viaSegmentArray(z, th) {
  let n = 0;
  for (const t of th) {
    for (let j = 0; j + 1 < NY; j++) {
      for (let i = 0; i + 1 < NX; i++) {
        const a = z[j * NX + i];
        const b = z[j * NX + i + 1];
        const c = z[(j + 1) * NX + i + 1];
        const e = z[(j + 1) * NX + i];
        const code = (a >= t ? 1 : 0) | (b >= t ? 2 : 0) | (c >= t ? 4 : 0) | (e >= t ? 8 : 0);
        if (code === 0 || code === 15) continue;
        const m = n;
        if ((code & 1) !== (code >> 1 & 1)) { SEG[n++] = i + (t - a) / (b - a); SEG[n++] = j; }
        if ((code >> 1 & 1) !== (code >> 2 & 1)) { SEG[n++] = i + 1; SEG[n++] = j + (t - b) / (c - b); }
        if ((code >> 3 & 1) !== (code >> 2 & 1)) { SEG[n++] = i + (t - e) / (c - e); SEG[n++] = j + 1; }
        if ((code & 1) !== (code >> 3 & 1)) { SEG[n++] = i; SEG[n++] = j + (t - a) / (e - a); }
        if ((n - m) % 4) n = m; // a degenerate cell (a level exactly at a corner): skipped here
      }
    }
  }
  return n;
}

function time(fn, reps) {
  const t = [];
  for (let k = 0; k < reps; k++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((x, y) => x - y);
  return t[t.length >> 1];
}

const surfaces = {
  mse_loss: grid((x, y) => (x - y) ** 2, -3, 3),
  cross_entropy: grid((x, y) => Math.log(Math.exp(x) + Math.exp(y) + 1) - x, -6, 6),
};
for (const [name, z] of Object.entries(surfaces)) {
  const th = levels(z, 10);
  for (let k = 0; k < 20; k++) { viaD3(z, th); viaSegments(z, th); viaSegmentArray(z, th); } // JIT warm-up
  const a = time(() => viaD3(z, th), 30);
  const b = time(() => viaSegments(z, th), 30);
  const c = time(() => viaSegmentArray(z, th), 30);
  console.log(`${name}: d3-contour ${a.toFixed(2)} ms (path ${viaD3(z, th).length} chars), segments as a path string ${b.toFixed(2)} ms (${viaSegments(z, th).length} chars, ${(a / b).toFixed(1)}x), segments into a Float64Array ${c.toFixed(2)} ms (${viaSegmentArray(z, th) / 4} segments, ${(a / c).toFixed(1)}x)`);
}
