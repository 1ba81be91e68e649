// Where the bytes of a Go wasm binary go: `go tool nm` does not read wasm, so this reads the
// module itself: the size of each function body (code section) named by the name section (an
// unstripped build: no -ldflags=-s), summed by Go package, and the data section.
//
//   node bench/wasmsize.mjs build.wasm [--json out.json]
//
// Prints the top packages and functions by code bytes. Sizes are uncompressed.

import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const jsonOut = process.argv.indexOf('--json') > 0 ? process.argv[process.argv.indexOf('--json') + 1] : '';
const b = readFileSync(file);
let p = 8; // magic + version

function u32() {
  let r = 0;
  let s = 0;
  for (;;) {
    const x = b[p++];
    r += (x & 0x7f) * 2 ** s;
    if (!(x & 0x80)) return r;
    s += 7;
  }
}
function str() {
  const n = u32();
  const s = b.toString('utf8', p, p + n);
  p += n;
  return s;
}

let nImported = 0;
const bodies = [];
const names = new Map();
const sections = {};
while (p < b.length) {
  const id = b[p++];
  const size = u32();
  const end = p + size;
  if (id === 0) {
    const name = str();
    sections[`custom:${name}`] = size;
    if (name === 'name') {
      while (p < end) {
        const sub = b[p++];
        const sz = u32();
        const subEnd = p + sz;
        if (sub === 1) {
          const n = u32();
          for (let i = 0; i < n; i++) {
            const idx = u32();
            names.set(idx, str());
          }
        }
        p = subEnd;
      }
    }
  } else {
    sections[id] = size;
    if (id === 2) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        str();
        str();
        const kind = b[p++];
        if (kind === 0) {
          u32();
          nImported++;
        } else if (kind === 1) {
          p++;
          const f = b[p++];
          u32();
          if (f & 1) u32();
        } else if (kind === 2) {
          const f = b[p++];
          u32();
          if (f & 1) u32();
        } else if (kind === 3) {
          p += 2;
        }
      }
    } else if (id === 10) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        const sz = u32();
        bodies.push(sz);
        p += sz;
      }
    }
  }
  p = end;
}

const pkgOf = (name) => {
  // Go's wasm names: "github.com/x/y.(*T).M", "math.Exp", "runtime.mallocgc"
  // (the linker writes '/' as '_' in names: github.com_nnplay_nnplay_core_view.Parse)
  const m = name.match(/^[a-z0-9-]+\.(?:com|org|io|dev|net|in)_/);
  const from = m ? m[0].length : 0;
  const dot = name.indexOf('.', from);
  return dot > 0 ? name.slice(0, dot) : name;
};
const pk = new Map();
const fns = [];
let code = 0;
bodies.forEach((sz, i) => {
  const name = names.get(i + nImported) || `func${i + nImported}`;
  fns.push({ name, bytes: sz });
  pk.set(pkgOf(name), (pk.get(pkgOf(name)) || 0) + sz);
  code += sz;
});
const out = {
  file,
  totalBytes: b.length,
  codeBytes: code,
  dataBytes: sections[11] || 0,
  functions: bodies.length,
  packages: [...pk.entries()].sort((x, y) => y[1] - x[1]).slice(0, 25).map(([pkg, bytes]) => ({ pkg, bytes })),
  topFunctions: fns.sort((x, y) => y.bytes - x.bytes).slice(0, 25),
};
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(out, null, 2) + '\n');
else {
  console.log(`${file}: ${b.length} bytes; code ${code} in ${bodies.length} functions; data ${out.dataBytes}`);
  for (const x of out.packages) console.log(`${String(x.bytes).padStart(9)}  ${x.pkg}`);
  console.log('--');
  for (const x of out.topFunctions) console.log(`${String(x.bytes).padStart(9)}  ${x.name}`);
}
