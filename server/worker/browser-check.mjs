// browser-check.mjs BASE_URL...: open the playground (/) and the embed page (/embed) from each
// host in headless Chromium and check that they work: no console errors (CSP violations are
// reported there), no page errors, no failed requests, the app's wasm fetched with 200 as
// application/wasm, and the plots drawn (canvas elements present). scripts/test-worker.sh runs it
// against the native server and the worker. It uses playwright-core from web/node_modules (the
// front end's) and Debian's /usr/bin/chromium; exit status 3 means "cannot run here".
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
let chromium;
try {
  ({ chromium } = createRequire(path.join(here, "../../web/package.json"))("playwright-core"));
} catch {
  console.log("browser-check: playwright-core is not installed in web/node_modules");
  process.exit(3);
}
if (!existsSync(chromiumPath)) {
  console.log(`browser-check: no Chromium at ${chromiumPath}`);
  process.exit(3);
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failures = 0;
for (const base of process.argv.slice(2)) {
  for (const route of ["/", "/embed"]) {
    const url = base + route;
    const page = await browser.newPage();
    const problems = [];
    let wasm = null;
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
      if (r.url().endsWith(".wasm")) wasm = `${r.status()} ${r.headers()["content-type"]}`;
    });
    try {
      await page.goto(url, { waitUntil: "networkidle", timeout: 30000 });
      await page.waitForTimeout(1000);
    } catch (e) {
      problems.push(`load: ${e.message}`);
    }
    const canvases = await page.locator("canvas").count().catch(() => 0);
    if (wasm !== "200 application/wasm") problems.push(`wasm response: ${wasm}`);
    if (canvases === 0) problems.push("no canvas drawn");
    console.log(`${problems.length ? "FAIL" : "ok  "} ${url}: wasm ${wasm}, ${canvases} canvases`);
    for (const p of problems) console.log(`     ${p}`);
    failures += problems.length ? 1 : 0;
    await page.close();
  }
}
await browser.close();
process.exit(failures ? 1 : 0);
