// Typesets a function's formula and derivative (LaTeX strings from the registry) with KaTeX.
//
// KaTeX is about three quarters of the page's JavaScript, and the formula card is not on the
// path to the first plot, so KaTeX is not in the main bundle: import("katex") makes esbuild put
// it in a chunk of its own (assets/katex-<hash>.js, see build.mjs), fetched and evaluated the
// first time a formula is typeset (main.js asks for that once the first plot is drawn). Until it
// arrives the card shows the rows' labels with blank rows of one line's height (so that the plots
// below move as little as possible when the formula appears); if it cannot be loaded, the card
// shows the LaTeX source as plain text rather than nothing.
//
// KaTeX's CSS stays in the main style sheet (it is small, and the formula needs it the moment
// it is typeset); its fonts are only requested once typeset text uses them.

let katex = null; // the module's default export, once loaded
let loading = null; // the import's promise
let failed = false;

/** loadKatex starts loading KaTeX (once) and resolves to it; it rejects if the chunk fails. */
export function loadKatex() {
  if (!loading) {
    // import() runs in a task of its own: its synchronous part (1-7 ms in Chromium here) stays
    // out of the frame that draws the first plot, which is when main.js first asks for KaTeX.
    loading = new Promise((resolve) => setTimeout(resolve, 0)).then(() => import("katex")).then(
      (m) => (katex = m.default),
      (err) => {
        failed = true;
        throw err;
      },
    );
  }
  return loading;
}

function block(label, tex) {
  const row = document.createElement("div");
  row.className = "formula-row";
  const l = document.createElement("span");
  l.className = "formula-label";
  l.textContent = label;
  const m = document.createElement("div");
  m.className = "formula-math";
  if (katex) {
    try {
      katex.render(tex, m, { displayMode: true, throwOnError: false, strict: "ignore", output: "htmlAndMathml" });
    } catch {
      m.textContent = tex; // never reached with throwOnError false, but never a blank
    }
  } else if (!failed) {
    m.classList.add("pending"); // KaTeX is on its way: the row keeps a line's height meanwhile
  } else {
    const code = document.createElement("code");
    code.className = "formula-tex";
    code.textContent = tex;
    m.append(code);
  }
  row.append(l, m);
  return row;
}

function typeset(el, formula, derivative) {
  const rows = [];
  if (formula) rows.push(block("value", formula));
  if (derivative) rows.push(block("derivative", derivative));
  el.replaceChildren(...rows);
}

// The formula el should show: only the latest request is typeset once KaTeX arrives.
const wanted = new WeakMap();

/**
 * renderFormula shows formula and derivative in el: at once if KaTeX is loaded (or failed to
 * load: then as LaTeX source), otherwise once it has loaded, if no later call has replaced the
 * request by then. The returned promise resolves when el shows this request (or a later one).
 */
export function renderFormula(el, formula, derivative) {
  const req = { formula, derivative };
  wanted.set(el, req);
  typeset(el, formula, derivative); // without KaTeX yet: the labels and empty rows (see block)
  if (katex || failed) return Promise.resolve();
  const settle = () => {
    if (wanted.get(el) === req) typeset(el, formula, derivative);
  };
  return loadKatex().then(settle, settle);
}
