// The JavaScript renderers of core/view's views, by the name each view declares (View.Renderer).
// A renderer is a class with configure(data) and draw(data), where data is the object Go fills
// from the view's Out (typed arrays refilled in place, numbers and strings), and `cards`, the ids
// of the page's cards it draws in (shown while its view is). The built-in views' cards are in the
// page's HTML (so the skeleton has its layout before the wasm runs); a new view makes its own
// with card(). Adding a view adds one renderer module and one line here; main.js iterates what
// Go sends and names no view.
import { CurvePlots } from "./curves.js";
import { SurfaceView } from "./surface.js";
import { VectorView } from "./vector.js";

const $ = (id) => document.getElementById(id);

const RENDERERS = {
  curves: (api) => Object.assign(curvePlots(), { cards: ["card-f", "card-df"] }),
  // a drag sets the keys the view names in its configure data (listKey; keyX and keyY)
  vector: (api) => {
    const r = new VectorView($("vector"), (i, v) => api && api.setListValue(r.meta.listKey, i, v));
    return Object.assign(r, { cards: ["card-vector"] });
  },
  surface: (api) => {
    const r = new SurfaceView($("surface"), (x, y) => api && api.drag(r.meta.keyX, x, r.meta.keyY, y));
    return Object.assign(r, { cards: ["card-surface"] });
  },
  // the depth lab's renderer is a chunk of its own (esbuild splitting), loaded by lab pages only
  depth: () =>
    lazy(() => import("./depth.js").then((m) => m.createDepthView(card)), ["card-depth-signal", "card-depth-dead", "card-depth-grad", "card-depth-collapse"]),
};

// lazy stands in for a renderer whose module is loaded on first use: it keeps the latest
// configure and draw data (Go refills the data object in place) and hands them over once the
// module has arrived.
function lazy(load, cards) {
  let real = null;
  let cfg = null;
  let data = null;
  const r = {
    cards,
    configure(d) {
      cfg = d;
      if (real) real.configure(d);
    },
    draw(d) {
      data = d;
      if (real) real.draw(d);
    },
  };
  load()
    .then((x) => {
      real = x;
      if (cfg) x.configure(cfg);
      if (data) x.draw(data);
    })
    .catch((err) => {
      const box = $("messages");
      if (!box) return;
      const p = document.createElement("p");
      p.className = "msg error";
      p.textContent = `nnplay could not load this view's drawing code (${err && err.message ? err.message : err}): reload the page.`;
      box.append(p);
    });
  return r;
}

// The curve plots exist before the wasm runs: they take their widths from the skeleton's layout
// (see primeRenderers).
let curves = null;
function curvePlots() {
  if (!curves) curves = new CurvePlots($("plot-f"), $("plot-df"));
  return curves;
}

// primeRenderers makes the renderers that read the skeleton's layout before the wasm starts
// (after that, reading a width would force a layout in the middle of the first frame). Once the
// skeleton has been painted (painted is true) its layout is current and reading costs nothing.
export function primeRenderers(painted) {
  if ($("plot-f") && $("plot-df")) {
    const c = curvePlots();
    if (painted) c.prime();
  }
}

// card returns the page's card of the given id, made (a figure with a caption, after the other
// plots) when the page's HTML has none: the element a new view's renderer draws in.
export function card(id, caption) {
  let el = $(id);
  if (!el) {
    el = document.createElement("figure");
    el.className = "card plot-card";
    el.id = id;
    const cap = document.createElement("figcaption");
    cap.textContent = caption || "";
    el.append(cap);
    document.querySelector(".plots").append(el);
  }
  return el;
}

// renderer returns a new renderer of the given name (api is Go's, for what the user drags).
export function renderer(name, api) {
  const make = RENDERERS[name];
  if (!make) throw new Error(`nnplay: no renderer named ${name}`);
  return make(api);
}
