"""The widget in three browser engines: Chromium, Firefox and WebKit, each driven the same way.

- Chromium: Debian's /usr/bin/chromium through Playwright's Python package (headless);
- Firefox: Debian's firefox-esr (headless) over WebDriver BiDi, through npm's puppeteer-core
  (tests/widget_js/firefox.mjs, run with node);
- WebKit: Debian's WebKitGTK (webkit2gtk-driver: WebKitWebDriver and MiniBrowser with
  --automation) through Selenium, under xvfb-run (WebKitGTK needs a display): this file run as
  a script, `xvfb-run -a python tests/widget_engines.py webkit URL JOB.json`.

Each opens the page, presses Tab until "Load the model first" has the focus and Enter to load
the model, notes where the focus went, then runs tests/widget_js/engine_check.js in the page
(the photos in one go, a file that is not an image, an empty file). run_engine returns what it
saw as a dict: {engine, version, keyboard: {tabs, reached, readyMs, focused, state, message},
check: {photos: [...], bad: [...], again, photosMs}, errors, seconds}.

None of them downloads a browser: they drive the machine's own (`apt-get install chromium
firefox-esr webkit2gtk-driver xvfb`; .ci/run installs them where missing).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
ROOT = TESTS_DIR.parent
ENGINE_CHECK = TESTS_DIR / "widget_js" / "engine_check.js"
FIREFOX_DRIVER = TESTS_DIR / "widget_js" / "firefox.mjs"
ENGINES = ("chromium", "firefox", "webkit")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The Firefox binary itself (Debian's /usr/bin/firefox-esr is a shell script that starts it).
FIREFOX = os.environ.get("FIREFOX", "/usr/lib/firefox-esr/firefox-esr")
WEBKIT_DRIVER = os.environ.get("WEBKIT_DRIVER", "/usr/bin/WebKitWebDriver")
MINIBROWSER = os.environ.get("MINIBROWSER") or next(iter(sorted(glob.glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser"))), "")
FOCUSED = ("(() => { const e = document.activeElement; "
           "return e && e !== document.body ? e.className || e.tagName : 'body'; })()")
LOAD_BUTTON = "cdc-button cdc-load"
MAX_TABS = 8
TIMEOUT_MS = 120_000
ENGINE_TIMEOUT_S = 300


def missing(engine: str) -> str | None:
    """What is missing to run `engine` here (None when nothing is)."""
    if engine == "chromium":
        needed = {CHROMIUM: "apt-get install chromium"}
    elif engine == "firefox":
        needed = {FIREFOX: "apt-get install firefox-esr", shutil.which("node") or "node": "Node.js",
                  str(ROOT / "node_modules" / "puppeteer-core" / "package.json"): "npm ci (puppeteer-core)"}
    else:
        needed = {WEBKIT_DRIVER: "apt-get install webkit2gtk-driver", MINIBROWSER or "MiniBrowser": "apt-get install webkit2gtk-driver",
                  shutil.which("xvfb-run") or "xvfb-run": "apt-get install xvfb"}
    absent = [f"{path} ({how})" for path, how in needed.items() if not os.path.exists(path)]
    return f"{engine} cannot run: missing {', '.join(absent)}" if absent else None


def _job(photos) -> dict:
    return {"photos": photos, "timeoutMs": TIMEOUT_MS, "maxTabs": MAX_TABS}


def _check_script(job) -> str:
    return f"({ENGINE_CHECK.read_text(encoding='utf-8')})({json.dumps(job)})"


def run_chromium(url: str, job: dict) -> dict:
    from playwright.sync_api import sync_playwright

    from widget_harness import launch

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            opened = time.monotonic()
            page.goto(url)
            page.wait_for_function("document.querySelector('.cdc') && document.querySelector('.cdc').dataset.downloadBytes")
            keyboard = {"tabs": 0, "reached": False}
            while keyboard["tabs"] < job["maxTabs"]:
                page.keyboard.press("Tab")
                keyboard["tabs"] += 1
                if page.evaluate(FOCUSED) == LOAD_BUTTON:
                    keyboard["reached"] = True
                    break
            pressed = time.monotonic()
            if keyboard["reached"]:
                page.keyboard.press("Enter")
                page.wait_for_function("document.querySelector('.cdc').dataset.runs === '1'", timeout=job["timeoutMs"])
            keyboard["readyMs"] = (time.monotonic() - pressed) * 1000
            keyboard.update(page.evaluate(f"""() => ({{focused: {FOCUSED}, state: document.querySelector('.cdc').dataset.state,
                message: document.querySelector('.cdc-status').textContent}})"""))
            check = page.evaluate(_check_script(job))
            return {"engine": "chromium", "version": browser.version, "openedMs": (time.monotonic() - opened) * 1000,
                    "keyboard": keyboard, "check": check, "errors": errors}
        finally:
            browser.close()


def run_firefox(url: str, job: dict) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json") as job_file:
        json.dump(job, job_file)
        job_file.flush()
        result = subprocess.run(["node", str(FIREFOX_DRIVER), FIREFOX, url, job_file.name], cwd=ROOT,
                                capture_output=True, text=True, timeout=ENGINE_TIMEOUT_S)
    if result.returncode != 0:
        raise RuntimeError(f"the Firefox driver failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_webkit(url: str, job: dict) -> dict:
    """WebKitGTK needs a display: this file runs itself under xvfb-run (a virtual one)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as job_file:
        json.dump(job, job_file)
        job_file.flush()
        result = subprocess.run(["xvfb-run", "-a", sys.executable, __file__, "webkit", url, job_file.name], cwd=ROOT,
                                capture_output=True, text=True, timeout=ENGINE_TIMEOUT_S)
    if result.returncode != 0:
        raise RuntimeError(f"the WebKitGTK driver failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _webkit_here(url: str, job: dict) -> dict:
    """In the xvfb-run process: Selenium drives WebKitWebDriver, which starts MiniBrowser --automation."""
    from selenium import webdriver
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.webkitgtk.options import Options
    from selenium.webdriver.webkitgtk.service import Service

    options = Options()
    options.binary_location = MINIBROWSER
    options.add_argument("--automation")
    driver = webdriver.WebKitGTK(options=options, service=Service(executable_path=WEBKIT_DRIVER))
    try:
        driver.set_script_timeout(ENGINE_TIMEOUT_S)

        def wait_for(expression, timeout_s=job["timeoutMs"] / 1000):
            end = time.monotonic() + timeout_s
            while not driver.execute_script(f"return Boolean({expression})"):
                if time.monotonic() > end:
                    raise TimeoutError(f"timed out waiting for {expression}")
                time.sleep(0.02)

        opened = time.monotonic()
        driver.get(url)
        wait_for("document.querySelector('.cdc') && document.querySelector('.cdc').dataset.downloadBytes")
        keyboard = {"tabs": 0, "reached": False}
        while keyboard["tabs"] < job["maxTabs"]:
            ActionChains(driver).send_keys(Keys.TAB).perform()
            keyboard["tabs"] += 1
            if driver.execute_script(f"return {FOCUSED}") == LOAD_BUTTON:
                keyboard["reached"] = True
                break
        pressed = time.monotonic()
        if keyboard["reached"]:
            ActionChains(driver).send_keys(Keys.ENTER).perform()
            wait_for("document.querySelector('.cdc').dataset.runs === '1'")
        keyboard["readyMs"] = (time.monotonic() - pressed) * 1000
        keyboard.update(driver.execute_script(f"""return {{focused: {FOCUSED}, state: document.querySelector('.cdc').dataset.state,
            message: document.querySelector('.cdc-status').textContent}}"""))
        check = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"{_check_script(job)}.then(done, (error) => done({{failed: String(error)}}));")
        if "failed" in check:
            raise RuntimeError(f"the check failed in WebKitGTK: {check['failed']}")
        version = driver.capabilities.get("browserVersion", "?")
        return {"engine": "webkit", "version": f"WebKitGTK {version}", "openedMs": (time.monotonic() - opened) * 1000,
                "keyboard": keyboard, "check": check, "errors": []}
    finally:
        driver.quit()


def run_engine(engine: str, url: str, photos: list[dict]) -> dict:
    """The widget's check at `url` in `engine`, with `photos` ([{name, url, type}]); see the module's docstring."""
    started = time.monotonic()
    result = {"chromium": run_chromium, "firefox": run_firefox, "webkit": run_webkit}[engine](url, _job(photos))
    result["seconds"] = time.monotonic() - started
    return result


if __name__ == "__main__":  # the WebKitGTK half of run_webkit, in its xvfb-run process
    _, engine_name, page_url, job_path = sys.argv
    assert engine_name == "webkit", "only WebKitGTK runs through this entry point"
    print(json.dumps(_webkit_here(page_url, json.loads(Path(job_path).read_text()))))
