// build.mjs bundles nnplay's front end into one folder that any static server (or the Go server,
// which embeds it) can serve:
//
//	node web/build.mjs --wasm build/nnplay.wasm --wasm-exec $(go env GOROOT)/lib/wasm/wasm_exec.js --out web/dist
//
// Output, all under --out:
//
//	index.html, embed.html          the page and the iframe page (no inline script: CSP-safe)
//	conformance.html                docs/conformance.md (per-function accuracy in ulps), rendered
//	                                with marked; its headings keep the ids the markdown links to
//	assets/app-<hash>.js            src/main.js + Go's wasm_exec.js + uPlot + d3-contour (ESM)
//	assets/katex-<hash>.js          KaTeX, a chunk that src/formula.js imports once the first plot
//	                                is drawn (esbuild's code splitting; not on the first plot's path)
//	assets/app-<hash>.css           src/style.css + uPlot's + KaTeX's CSS
//	assets/KaTeX_*-<hash>.woff2     KaTeX's fonts (woff2 only: every browser that runs wasm reads it)
//	assets/nnplay-<hash>.wasm       the Go program
//	assets/favicon-<hash>.svg      the logo (the header's image)
//	assets/favicon-<hash>.png      the tab icon (see favicon below)
//	*.br, *.gz                      precompressed siblings of every compressible file
//
// Hashed names are safe to cache for a year; the HTML files are the only mutable names.
// Everything comes from npm and the Go toolchain: nothing is loaded from a CDN at run time.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { promisify } from "node:util";
import { execFileSync } from "node:child_process";
import { Marked, Renderer } from "marked";

const here = path.dirname(fileURLToPath(import.meta.url));
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

function parseArgs(argv) {
  const opts = { wasm: null, labWasm: null, wasmExec: null, out: path.join(here, "dist"), conformance: path.join(here, "..", "docs", "conformance.md") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--wasm") opts.wasm = next();
    else if (a === "--lab-wasm") opts.labWasm = next();
    else if (a === "--wasm-exec") opts.wasmExec = next();
    else if (a === "--out") opts.out = next();
    else if (a === "--conformance") opts.conformance = next();
    else if (a === "-h" || a === "--help") {
      console.log("usage: node web/build.mjs [--wasm build/nnplay.wasm] [--wasm-exec $(go env GOROOT)/lib/wasm/wasm_exec.js] [--out web/dist] [--conformance docs/conformance.md]");
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  // Defaults for `npm run build` after `make wasm`: the Makefile's wasm and the toolchain's loader.
  if (!opts.wasm) opts.wasm = path.join(here, "..", "build", "nnplay.wasm");
  if (!opts.labWasm) opts.labWasm = path.join(here, "..", "build", "nnplay-lab.wasm");
  if (!opts.wasmExec) {
    const goroot = execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim();
    opts.wasmExec = path.join(goroot, "lib", "wasm", "wasm_exec.js");
  }
  return opts;
}

const hash = (buf) => createHash("sha256").update(buf).digest("hex").slice(0, 12);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// Removes a previous build's outputs but keeps dotfiles (.placeholder, which lets a fresh
// clone's Go embed compile).
async function clean(out) {
  await fs.mkdir(out, { recursive: true });
  for (const name of await fs.readdir(out)) {
    if (name.startsWith(".")) continue;
    await fs.rm(path.join(out, name), { recursive: true, force: true });
  }
  await fs.mkdir(path.join(out, "assets"), { recursive: true });
}

// goWasmExec resolves the bare import "go-wasm-exec" in src/main.js to the toolchain's
// wasm_exec.js, so the bundle always matches the Go that built the wasm.
function goWasmExec(file) {
  return {
    name: "go-wasm-exec",
    setup(b) {
      b.onResolve({ filter: /^go-wasm-exec$/ }, () => ({ path: path.resolve(file) }));
    },
  };
}

// katexWoff2Only drops the woff and ttf fallbacks from KaTeX's @font-face rules (and so from
// the bundle): woff2 is read by every browser that can run WebAssembly.
function katexWoff2Only() {
  return {
    name: "katex-woff2-only",
    setup(b) {
      b.onLoad({ filter: /katex(\.min)?\.css$/ }, async (args) => {
        let css = await fs.readFile(args.path, "utf8");
        css = css.replace(/,\s*url\([^)]*\.woff\)\s*format\("woff"\)/g, "");
        css = css.replace(/,\s*url\([^)]*\.ttf\)\s*format\("truetype"\)/g, "");
        return { contents: css, loader: "css", resolveDir: path.dirname(args.path) };
      });
    },
  };
}

// The logo (web/src/favicon.svg) is the header's image; the tab icon is its 32 px PNG rendering
// (web/src/favicon-32.png, made by `node scripts/favicon.mjs`). Chromium downloads and decodes the
// page's icon again at every history.replaceState, and an SVG icon is parsed into a whole SVG
// document on the main thread each time (~3 ms per slider update, issue 5); a PNG costs ~0.1 ms.
const favicon = await fs.readFile(path.join(here, "src", "favicon.svg"), "utf8");
const faviconPNG = await fs.readFile(path.join(here, "src", "favicon-32.png"));

const tagline = "PyTorch's activation and loss functions, live: drag a parameter, see f, f′ and the loss surface at once.";

// LABS are the lab pages (view.Lab in Go, built into the labs' wasm) the site's header links
// to, so that a visitor of the function page finds them; a new lab adds a line here.
const LABS = [{ id: "depth", name: "Depth lab", title: "A signal and its gradient through many layers" }];

// siteHeader is the playground's header, shared by index.html and conformance.html.
function siteHeader({ logo }) {
  const labs = LABS.map((l) => `<a href="./?lab=${l.id}" title="${l.title}">${l.name}</a>`).join("");
  return `
<header class="site">
  <div class="brand"><a href="./" class="logo" aria-label="nnplay home"><img src="${logo}" alt="" width="28" height="28">nnplay</a></div>
  <p class="tagline">${tagline}</p>
  <nav class="site-nav" aria-label="Pages"><a href="./">Functions</a>${labs}</nav>
</header>`;
}

function page({ embed, lab, js, css, icon, wasm }) {
  const title = "nnplay · PyTorch activations and losses, live";
  const header = embed ? "" : siteHeader(icon);
  const footer = embed
    ? `
<footer class="embed-foot"><a id="open-full" href="./" target="_blank" rel="noopener">Open in nnplay ↗</a></footer>`
    : `
<footer class="site-foot">
  <p>Values and derivatives follow PyTorch's definitions (float64), including its conventions at kinks; where nnplay knowingly differs it says so next to the formula. The state of the page is in its URL: copy it to share exactly what you see.</p>
  <p>How close each function comes, in ulps against a 50-digit reference: <a id="conformance-link" href="conformance.html">the conformance page</a>.</p>
</footer>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${embed ? "nnplay (embedded)" : title}</title>
<meta name="description" content="Interactive playground for PyTorch's activation and loss functions: the function, its derivative, a finite-difference check and the loss surface, from sliders.">
<meta name="color-scheme" content="light">
<link rel="icon" href="${icon.png}" type="image/png" sizes="32x32">
<link rel="stylesheet" href="${css}">
<link rel="preload" href="${wasm}" as="fetch" type="application/wasm" crossorigin>
<script type="module" src="${js}"></script>
</head>
<body data-mode="${embed ? "embed" : "page"}" class="${embed ? "embed" : "page"}${lab ? " lab-page" : ""}">${header}
<main class="app">
  <aside class="panel controls" aria-label="Function and parameters">
    <div class="field picker-field">
      <label for="picker">Function</label>
      <select id="picker" disabled><option>Loading…</option></select>
    </div>
    <div id="presets" class="presets" hidden></div>
    <div id="controls" class="params"></div>
    <div class="actions">
      <button id="reset" type="button" disabled>Reset to defaults</button>
    </div>
    <div id="snippet" class="snippet" hidden></div>
  </aside>
  <section class="views" aria-label="Plots">
    <div class="title-row">
      <h1 id="fname">${embed ? "" : "Loading…"}</h1>
      <span id="fclass" class="fclass"></span>
    </div>
    <p id="lab-doc" class="lab-doc" hidden></p>
    <div id="messages" role="status" aria-live="polite"><p class="msg info loading">Loading the WebAssembly core…</p></div>
    <div id="formula" class="formula card" aria-label="Formula"></div>
    <div class="plots">
      <figure class="card plot-card" id="card-f"><figcaption id="cap-f">f(x)</figcaption><div id="plot-f" class="plot"></div></figure>
      <figure class="card plot-card" id="card-df"><figcaption id="cap-df">f′(x)</figcaption><div id="plot-df" class="plot"></div></figure>
      <figure class="card vector-card" id="card-vector" hidden><figcaption>Input vector, outputs and gradient</figcaption><div id="vector"></div></figure>
      <figure class="card surface-card" id="card-surface" hidden><figcaption id="cap-surface">Loss surface</figcaption><div id="surface"></div></figure>
    </div>
    <section class="notes card" aria-label="Conventions">
      <h2>Conventions</h2>
      <ul id="kinks"></ul>
      <h2 class="diff-title">Where nnplay differs from PyTorch</h2>
      <ul id="differences"></ul>
      <p id="source" class="source"></p>${embed ? "" : `
      <p id="accuracy" class="source"></p>`}
    </section>
  </section>
</main>${footer}
<noscript><p class="msg error">nnplay needs JavaScript and WebAssembly to draw the functions.</p></noscript>
</body>
</html>
`;
}

// slug turns a heading's plain text into its id the way GitHub does for the markdown's own
// links (docs/conformance.md links its summary rows to "#gelu", "#leaky_relu"...): lower case,
// punctuation other than '-' and '_' dropped, spaces to '-', and "-1", "-2"... for repeats.
function slugger() {
  const seen = new Map();
  return (text) => {
    const base = text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
    const n = seen.get(base) || 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  };
}

const escapeHTML = (s) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

// renderConformance renders docs/conformance.md to the body of conformance.html. Every heading
// gets an id (see slugger); a link to "#x" with no heading x fails the build, so the playground's
// links (conformance.html#<function id>) and the summary table's cannot silently break.
function renderConformance(md) {
  const slug = slugger();
  const ids = new Set();
  const anchors = new Set();
  const marked = new Marked({ gfm: true });
  marked.use({
    walkTokens(t) {
      if (t.type === "link" && t.href.startsWith("#")) anchors.add(decodeURIComponent(t.href.slice(1)));
    },
    renderer: {
      heading({ tokens, depth }) {
        const id = slug(this.parser.parseInline(tokens, this.parser.textRenderer));
        ids.add(id);
        return `<h${depth} id="${escapeHTML(id)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      // Wide tables scroll sideways on a phone instead of widening the page.
      table(token) {
        return `<div class="table-wrap">${Renderer.prototype.table.call(this, token)}</div>\n`;
      },
    },
  });
  const html = marked.parse(md);
  const broken = [...anchors].filter((a) => !ids.has(a));
  if (broken.length) throw new Error(`conformance.md links to #${broken.join(", #")}, which no heading has`);
  return { html, ids };
}

function conformancePage({ body, css, icon }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Conformance · nnplay</title>
<meta name="description" content="How accurate nnplay is: every activation and loss function measured in ulps against a 50-digit reference, at hard inputs.">
<meta name="color-scheme" content="light">
<link rel="icon" href="${icon.png}" type="image/png" sizes="32x32">
<link rel="stylesheet" href="${css}">
</head>
<body class="page prose-page">${siteHeader(icon)}
<main class="prose card">
<nav class="prose-nav"><a href="./">← Back to the playground</a></nav>
${body}
</main>
<footer class="site-foot">
  <p>Generated by <code>go test ./core -run TestConformance -update</code> from nnplay's registry and a 50-digit reference. <a href="./">Back to the playground</a>.</p>
</footer>
</body>
</html>
`;
}

const compressible = /\.(html|js|css|wasm|svg|json|txt|map)$/;

async function compressAll(out) {
  const files = [];
  async function walk(dir) {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.name.startsWith(".")) continue;
      if (e.isDirectory()) await walk(p);
      else if (compressible.test(e.name)) files.push(p);
    }
  }
  await walk(out);
  const sizes = {};
  await Promise.all(
    files.map(async (f) => {
      const buf = await fs.readFile(f);
      const [br, gz] = await Promise.all([
        brotli(buf, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
            [zlib.constants.BROTLI_PARAM_MODE]: /\.wasm$/.test(f) ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
          },
        }),
        gzip(buf, { level: 9 }),
      ]);
      await fs.writeFile(f + ".br", br);
      await fs.writeFile(f + ".gz", gz);
      sizes[path.relative(out, f)] = { raw: buf.length, br: br.length, gz: gz.length };
    }),
  );
  return sizes;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const out = path.resolve(opts.out);
  await clean(out);

  const wasm = await fs.readFile(opts.wasm);
  const wasmName = `nnplay-${hash(wasm)}.wasm`;
  await fs.writeFile(path.join(out, "assets", wasmName), wasm);
  // the labs' program (?lab= pages): the function page's plus the labs (go build -tags lab)
  const labWasm = await fs.readFile(opts.labWasm);
  const labWasmName = `nnplay-lab-${hash(labWasm)}.wasm`;
  await fs.writeFile(path.join(out, "assets", labWasmName), labWasm);

  const iconName = `favicon-${hash(favicon)}.svg`;
  await fs.writeFile(path.join(out, "assets", iconName), favicon);
  const pngName = `favicon-${hash(faviconPNG)}.png`;
  await fs.writeFile(path.join(out, "assets", pngName), faviconPNG);

  const result = await build({
    absWorkingDir: here,
    entryPoints: { app: path.join(here, "src", "main.js") },
    bundle: true,
    format: "esm",
    target: ["es2020", "chrome90", "firefox90", "safari15"],
    minify: true,
    legalComments: "eof",
    outdir: out,
    // splitting: a dynamic import() becomes a chunk of its own, loaded when the import runs
    // (formula.js imports KaTeX so); chunks are hashed assets like the rest.
    splitting: true,
    entryNames: "assets/[name]-[hash]",
    chunkNames: "assets/[name]-[hash]",
    assetNames: "assets/[name]-[hash]",
    loader: { ".woff2": "file", ".woff": "file", ".ttf": "file" },
    define: { __NNPLAY_WASM__: JSON.stringify(wasmName), __NNPLAY_LAB_WASM__: JSON.stringify(labWasmName) },
    plugins: [goWasmExec(opts.wasmExec), katexWoff2Only()],
    metafile: true,
    logLevel: "warning",
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => path.relative(out, path.resolve(here, p)));
  const js = outputs.find((p) => /^assets\/app-.*\.js$/.test(p));
  const css = outputs.find((p) => /^assets\/app-.*\.css$/.test(p));
  if (!js || !css) throw new Error(`esbuild did not write app js and css: ${outputs.join(", ")}`);
  // The JavaScript on the first plot's path (the entry and what it imports statically) and the
  // chunks loaded later by import().
  const staticJS = [js];
  for (let i = 0; i < staticJS.length; i++) {
    const o = result.metafile.outputs[path.relative(here, path.join(out, staticJS[i]))];
    for (const imp of o?.imports || []) {
      const f = path.relative(out, path.resolve(here, imp.path));
      if (imp.kind === "import-statement" && !staticJS.includes(f)) staticJS.push(f);
    }
  }
  const lazyJS = outputs.filter((p) => /\.js$/.test(p) && !staticJS.includes(p));

  const icon = { logo: `assets/${iconName}`, png: `assets/${pngName}` };
  await fs.writeFile(path.join(out, "index.html"), page({ embed: false, js, css, icon, wasm: `assets/${wasmName}` }));
  await fs.writeFile(path.join(out, "embed.html"), page({ embed: true, js, css, icon, wasm: `assets/${wasmName}` }));
  // The same pages for ?lab= links (the server picks them by the query): they preload the
  // labs' wasm instead. A static host serves index.html for ?lab= too; main.js then loads the
  // labs' wasm all the same (after a wasted preload of the function page's).
  await fs.writeFile(path.join(out, "lab.html"), page({ embed: false, lab: true, js, css, icon, wasm: `assets/${labWasmName}` }));
  await fs.writeFile(path.join(out, "embed-lab.html"), page({ embed: true, lab: true, js, css, icon, wasm: `assets/${labWasmName}` }));
  const conformance = renderConformance(await fs.readFile(opts.conformance, "utf8"));
  await fs.writeFile(path.join(out, "conformance.html"), conformancePage({ body: conformance.html, css, icon }));

  const sizes = await compressAll(out);
  const jsSize = (files) => files.reduce((t, f) => ({ raw: t.raw + sizes[f].raw, br: t.br + sizes[f].br, gz: t.gz + sizes[f].gz }), { raw: 0, br: 0, gz: 0 });
  const w = sizes[`assets/${wasmName}`];
  const line = (name, s) => `  ${name.padEnd(34)} ${kb(s.raw).padStart(10)} raw ${kb(s.br).padStart(10)} brotli ${kb(s.gz).padStart(10)} gzip`;
  console.log(`nnplay bundle in ${path.relative(process.cwd(), out) || "."}:`);
  for (const [name, s] of Object.entries(sizes).sort()) console.log(line(name, s));
  const cj = jsSize(staticJS);
  const lj = jsSize(lazyJS);
  console.log(`js before the first plot: ${staticJS.join(", ")}: ${kb(cj.raw)} raw, ${kb(cj.br)} brotli; loaded later: ${lazyJS.join(", ") || "none"}: ${kb(lj.raw)} raw, ${kb(lj.br)} brotli`);
  console.log(`wasm: ${w.raw} bytes raw, ${w.br} bytes brotli (${kb(w.br)}; budget 600 KB)`);
  const lw = sizes[`assets/${labWasmName}`];
  console.log(`labs' wasm (?lab= pages only): ${lw.raw} bytes raw, ${lw.br} bytes brotli (${kb(lw.br)})`);
  if (w.br > 600 * 1024) console.warn("warning: the wasm is over its 600 KB brotli budget");
}

main().catch((err) => {
  console.error(`build.mjs: ${err.message}`);
  process.exit(1);
});
