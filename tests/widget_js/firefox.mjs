// The widget's check in Firefox (headless, over WebDriver BiDi), driven by puppeteer-core
// (package.json; it never downloads a browser): called by tests/widget_engines.py as
//   node tests/widget_js/firefox.mjs FIREFOX_BINARY PAGE_URL JOB.json
// It does what tests/widget_engines.py does for Chromium and WebKitGTK: open the page, press Tab
// until "Load the model first" has the focus, press Enter, wait for the model, note where the
// focus went, then run engine_check.js in the page. Prints one JSON object.
import { readFileSync } from "node:fs";
import puppeteer from "puppeteer-core";

const [executablePath, url, jobPath] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobPath, "utf8"));
const check = readFileSync(new URL("engine_check.js", import.meta.url), "utf8");
const focused = "(() => { const e = document.activeElement; return e && e !== document.body ? e.className || e.tagName : 'body'; })()";

const browser = await puppeteer.launch({ browser: "firefox", executablePath, headless: true });
const errors = [];
try {
  const page = await browser.newPage();
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  const opened = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector(".cdc") && document.querySelector(".cdc").dataset.downloadBytes,
    { timeout: 60_000 });
  const keyboard = { tabs: 0, reached: false };
  while (keyboard.tabs < job.maxTabs) {
    await page.keyboard.press("Tab");
    keyboard.tabs += 1;
    if (await page.evaluate(focused) === "cdc-button cdc-load") { keyboard.reached = true; break; }
  }
  const pressed = Date.now();
  if (keyboard.reached) {
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector(".cdc").dataset.runs === "1", { timeout: job.timeoutMs });
  }
  keyboard.readyMs = Date.now() - pressed;
  keyboard.focused = await page.evaluate(focused);
  keyboard.state = await page.evaluate(() => document.querySelector(".cdc").dataset.state);
  keyboard.message = await page.evaluate(() => document.querySelector(".cdc-status").textContent);
  const result = await page.evaluate(`(${check})(${JSON.stringify(job)})`);
  console.log(JSON.stringify({ engine: "firefox", version: await browser.version(), openedMs: Date.now() - opened,
    keyboard, check: result, errors }));
} finally {
  await browser.close();
}
