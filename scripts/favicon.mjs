// favicon.mjs renders the logo, web/src/favicon.svg, into the 32 px tab icon web/src/favicon-32.png
// with Debian's Chromium (playwright-core from web/node_modules). Run it after editing the SVG:
//
//	node scripts/favicon.mjs
//
// The PNG is committed: the build (web/build.mjs) only copies it. Why a PNG: see web/build.mjs.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "../web/node_modules/playwright-core/index.mjs";

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "web", "src");
const svg = readFileSync(path.join(src, "favicon.svg"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 32, height: 32 }, deviceScaleFactor: 1 });
  await page.setContent(`<body style="margin:0"><img src="data:image/svg+xml;base64,${svg.toString("base64")}" width="32" height="32" style="display:block"></body>`);
  await page.locator("img").evaluate((img) => img.decode());
  await page.screenshot({ path: path.join(src, "favicon-32.png"), omitBackground: true });
} finally {
  await browser.close();
}
