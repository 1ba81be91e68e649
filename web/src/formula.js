// Typesets a function's formula and derivative (LaTeX strings from the registry) with KaTeX.
import katex from "katex";

function block(label, tex) {
  const row = document.createElement("div");
  row.className = "formula-row";
  const l = document.createElement("span");
  l.className = "formula-label";
  l.textContent = label;
  const m = document.createElement("div");
  m.className = "formula-math";
  try {
    katex.render(tex, m, { displayMode: true, throwOnError: false, strict: "ignore", output: "htmlAndMathml" });
  } catch {
    m.textContent = tex; // never reached with throwOnError false, but never a blank
  }
  row.append(l, m);
  return row;
}

export function renderFormula(el, formula, derivative) {
  el.textContent = "";
  if (formula) el.append(block("value", formula));
  if (derivative) el.append(block("derivative", derivative));
}
