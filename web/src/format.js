// Shared presentation helpers: the Okabe–Ito palette (safe for the common colour-vision
// deficiencies) and number formatting for readouts.
export const PALETTE = {
  black: "#1b1b1f",
  orange: "#E69F00",
  sky: "#56B4E9",
  green: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  purple: "#CC79A7",
};

// fmt formats a number for a readout: up to `digits` significant digits, no trailing zeros,
// "−" for minus, and words for the non-finite values (never a blank).
export function fmt(v, digits = 5) {
  if (v == null) return "—";
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+∞";
  if (v === -Infinity) return "−∞";
  if (v === 0) return "0"; // also -0: displayed as 0 (edge-case policy 4)
  const a = Math.abs(v);
  let s;
  if (a >= 1e6 || a < 1e-4) s = v.toExponential(digits - 1).replace(/\.?0+e/, "e").replace("e+", "e");
  else s = String(Number(v.toPrecision(digits)));
  return s.replaceAll("-", "−"); // the sign and the exponent's sign
}

// finiteOrNull returns the array itself when every value is finite; otherwise a plain array
// with null in place of NaN and ±Infinity, which uPlot draws as a gap.
export function finiteOrNull(a) {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      const out = new Array(a.length);
      for (let j = 0; j < a.length; j++) out[j] = Number.isFinite(a[j]) ? a[j] : null;
      return out;
    }
  }
  return a;
}

// AXIS is the uPlot axis style every plot shares.
export const AXIS = {
  stroke: "#3b4256",
  font: "12px system-ui, -apple-system, 'Segoe UI', sans-serif",
  labelFont: "600 12px system-ui, -apple-system, 'Segoe UI', sans-serif",
  grid: { stroke: "rgba(60, 70, 100, 0.10)", width: 1 },
  ticks: { stroke: "rgba(60, 70, 100, 0.25)", width: 1, size: 4 },
};

// tickDigits returns the significant digits that tell ticks `incr` apart at magnitude `mag`
// (−999999.8 next to −999999.6 needs 7, 2e−10 next to 4e−10 needs 1).
export function tickDigits(mag, incr) {
  if (!(incr > 0) || !(mag > 0)) return 3;
  return Math.min(15, Math.max(1, Math.ceil(Math.log10(mag / incr) - 1e-9) + 1));
}

// tickValues formats an axis's ticks with the digits their spacing needs (uPlot's values hook).
export function tickValues(u, splits, axisIdx, space, incr) {
  let mag = 0;
  for (const v of splits) if (Number.isFinite(v)) mag = Math.max(mag, Math.abs(v));
  const d = tickDigits(mag, incr);
  return splits.map((v) => (v == null ? "" : Math.abs(v) < incr * 1e-6 ? "0" : fmt(v, d)));
}
