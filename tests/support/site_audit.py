"""Render the Quarto site and audit its pages in headless Chromium.

Shared by tests/test_rendered_site.py (the checks) and benchmarks/page_weight.py (the numbers),
which import it as `tests.support.site_audit`.

- `find_quarto()` / `render_site()`: Quarto from the PATH, else the copy that .ci/run installs
  into .cache/quarto (from ../shared/tools/quarto); `quarto render` writes _site/. It must be the
  version written in .quarto-version (`render_site` refuses another).
- `SiteServer`: serves a rendered site (default _site/) on 127.0.0.1, optionally gzip-compressed,
  and records every request with its status and the bytes it sent.
- `open_page()` / `audit_page()`: a page at a given width in light or dark mode, with what went
  wrong while loading (console errors, page errors, failed or outside requests) and what axe-core
  (node_modules/axe-core, pinned in package.json) and a few layout measurements say about it.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers import POST_SLUGS, ROOT, quarto_config
from tests.widget_harness import CHROMIUM, CHROMIUM_ARGS, LocalServer

SITE_DIR = ROOT / "_site"
QUARTO_HOME = ROOT / ".cache" / "quarto"  # where .ci/run installs Quarto (see its README)
QUARTO_BIN = QUARTO_HOME / "dist" / "bin" / "quarto"
# The version the site is built with here, in CI and in publish.yml: written once, in .quarto-version.
QUARTO_VERSION = (ROOT / ".quarto-version").read_text(encoding="utf-8").strip()
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (360, 1280)  # a small phone and a desktop window, in CSS pixels
SCHEMES = ("light", "dark")
SERIOUS = ("serious", "critical")  # axe-core impacts that fail the audit



def site_pages() -> tuple[str, ...]:
    """Every page of the site, as rendered file names: what _quarto.yml's `project: render` lists
    (index.qmd -> index.html, posts/*.ipynb -> posts/NN-slug.html)."""
    pages = []
    for pattern in quarto_config()["project"]["render"]:
        for source in sorted(ROOT.glob(pattern)):
            pages.append(source.relative_to(ROOT).with_suffix(".html").as_posix())
    assert {f"posts/{slug}.html" for slug in POST_SLUGS} <= set(pages), f"a post is not rendered: {pages}"
    return tuple(pages)


PAGES = site_pages()

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
         ".mjs": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml",
         ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".wasm": "application/wasm",
         ".woff": "font/woff", ".woff2": "font/woff2", ".ico": "image/x-icon", ".xml": "application/xml",
         ".txt": "text/plain", ".onnx": "application/octet-stream"}
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".wasm", ".onnx"}


# --- Quarto -------------------------------------------------------------------------------------

def quarto_environment() -> dict[str, str]:
    """The environment to run Quarto in: .cache/quarto's env.sh applied when Quarto is installed there."""
    environment = dict(os.environ)
    if shutil.which("quarto") is None and QUARTO_BIN.is_file():
        environment["PATH"] = f"{QUARTO_BIN.parent}{os.pathsep}{environment.get('PATH', '')}"
        state = QUARTO_HOME / "state"
        environment.update(DENO_DIR=str(state / "deno"), DENO_NO_UPDATE_CHECK="1",
                           XDG_CACHE_HOME=str(state / "cache"), XDG_DATA_HOME=str(state / "data"),
                           XDG_CONFIG_HOME=str(state / "config"), XDG_STATE_HOME=str(state / "state"))
    return environment


def find_quarto() -> str | None:
    """The quarto executable (PATH first, then .cache/quarto), or None."""
    return shutil.which("quarto", path=quarto_environment()["PATH"])


def quarto_version(quarto: str) -> str:
    return subprocess.run([quarto, "--version"], env=quarto_environment(), capture_output=True, text=True,
                          check=True).stdout.strip()


def render_site(quarto: str, output_dir: Path | None = None) -> float:
    """`quarto render` the whole site (into _site/, or `output_dir`); returns the seconds it took.

    Fails with Quarto's output when Quarto fails, and before rendering when `quarto` is not the
    version of .quarto-version (scripts/lighten_pages.py rewrites that version's markup)."""
    version = quarto_version(quarto)
    if version != QUARTO_VERSION:
        raise RuntimeError(f"{quarto} is Quarto {version}; the site is built with {QUARTO_VERSION} (.quarto-version)")
    start = time.monotonic()
    command = [quarto, "render"] + (["--output-dir", str(output_dir)] if output_dir else [])
    result = subprocess.run(command, cwd=ROOT, env=quarto_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"quarto render failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return time.monotonic() - start


# --- A local server for the rendered site -------------------------------------------------------

@dataclass
class Request:
    path: str
    status: int
    bytes_sent: int


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def __init__(self, *args, site, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)

    def log_message(self, *args):  # quiet: requests are recorded in site.requests
        pass

    def do_GET(self):  # noqa: N802 (the name http.server expects)
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if self.site.prefix and path.startswith(self.site.prefix):  # the 404 page's absolute links
            path = "/" + path[len(self.site.prefix):]
        file = (self.site.root / path.lstrip("/")).resolve()
        if file.is_dir():
            file = file / "index.html"
        if self.site.root not in file.parents or not file.is_file():
            body = b"Not found"
            self._send(404, body, "text/plain", path)
            return
        body = file.read_bytes()
        headers = {}
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if self.site.compress and accepts_gzip and file.suffix in COMPRESSIBLE:
            body = gzip.compress(body, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
        self._send(200, body, TYPES.get(file.suffix, "application/octet-stream"), path, headers)

    def _send(self, status, body, content_type, path, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        cache = f"max-age={self.site.cache_seconds}" if self.site.cache_seconds else "no-store"
        self.send_header("Cache-Control", cache)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        with self.site.lock:
            self.site.requests.append(Request(path, status, len(body)))


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser that closes a kept-alive connection is not an error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SiteServer(LocalServer):
    """A rendered site served from 127.0.0.1 (a free port) in a background thread; a context manager.

    `compress`: gzip text files, as a real host does; `cache_seconds`: let the browser cache files
    (0: no-store, every request reaches the server). The site is served at the root and also under
    the path of its site-url (/cats-vs-dogs/...), where GitHub Pages serves it: Quarto writes the
    404 page's links as absolute paths, since that page is shown at any address."""

    def __init__(self, root: Path = SITE_DIR, compress: bool = False, cache_seconds: int = 0):
        self.root = Path(root).resolve()
        self.prefix = urllib.parse.urlsplit(str(quarto_config()["website"].get("site-url", ""))).path.rstrip("/") + "/"
        self.prefix = "" if self.prefix == "/" else self.prefix
        self.compress = compress
        self.cache_seconds = cache_seconds
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        super().__init__(functools.partial(_Handler, site=self), server_class=_QuietServer)

    def url(self, page: str) -> str:
        return f"{self.base}/{page}"


# --- The browser --------------------------------------------------------------------------------

def launch(playwright):
    """Headless Debian Chromium (never a browser downloaded by Playwright)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@dataclass
class OpenPage:
    """A page loaded in its own browser context, with what went wrong while it loaded."""

    context: object
    page: object
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)  # the site's own files that did not load
    outside_requests: list[str] = field(default_factory=list)  # requests to other hosts (blocked)
    loaded_urls: set[str] = field(default_factory=set)  # the site's own files that arrived (status < 400)
    aborted_urls: list[str] = field(default_factory=list)  # requests the browser aborted (net::ERR_ABORTED)
    scheme_applied: str = ""  # what Quarto's script chose (the body's class quarto-dark / quarto-light)
    scheme_shown: str = ""  # what the reader sees: the page's background colour, dark or light

    def close(self):
        self.context.close()

    def files_that_did_not_load(self):
        """The site's own files that did not load: an error status, a network failure, or a request
        the browser aborted for a file that never arrived. (A CI run under load saw Chromium abort
        the classifier's two downloads while the classifier still answered every photo: the
        files had arrived.)"""
        return self.failed_requests + [f"net::ERR_ABORTED {url}" for url in self.aborted_urls
                                       if url not in self.loaded_urls]


def open_page(browser, server: SiteServer, page_name: str, width: int, scheme: str) -> OpenPage:
    """Load one page at `width` CSS pixels in light or dark mode; requests off 127.0.0.1 are blocked.

    Dark mode is chosen the way a reader chooses it: the browser prefers dark, and Quarto's
    toggle state (localStorage "quarto-color-scheme") says so too.
    """
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                  service_workers="block")
    toggle = "alternate" if scheme == "dark" else "default"
    context.add_init_script(f"try {{ localStorage.setItem('quarto-color-scheme', '{toggle}'); }} catch (e) {{}}")
    opened = OpenPage(context=context, page=context.new_page())

    def route(route):
        url = route.request.url
        if url.startswith(server.base + "/") or url.startswith("data:"):
            route.continue_()
        else:
            opened.outside_requests.append(url)
            route.abort()

    def on_response(response):
        if not response.url.startswith(server.base + "/"):
            return
        if response.status >= 400:
            opened.failed_requests.append(f"{response.status} {response.url}")
        else:
            opened.loaded_urls.add(response.url)

    def on_failed(request):
        if not request.url.startswith(server.base + "/"):
            return
        if request.failure == "net::ERR_ABORTED":
            opened.aborted_urls.append(request.url)
        else:
            opened.failed_requests.append(f"{request.failure} {request.url}")

    def on_console(message):
        if message.type == "error":
            opened.console_errors.append(message.text)

    context.route("**/*", route)
    opened.page.on("response", on_response)
    opened.page.on("requestfailed", on_failed)
    opened.page.on("console", on_console)
    opened.page.on("pageerror", lambda error: opened.page_errors.append(str(error)))
    opened.page.goto(server.url(page_name), wait_until="load")
    opened.page.wait_for_load_state("networkidle")
    opened.scheme_applied, opened.scheme_shown = color_schemes(opened.page)
    return opened


COLOR_SCHEMES_SCRIPT = """() => {
  const [red, green, blue] = getComputedStyle(document.body).backgroundColor
    .match(/[0-9.]+/g).slice(0, 3).map(Number);
  const luminance = (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255;
  return [document.body.classList.contains('quarto-dark') ? 'dark' : 'light',
          luminance < 0.5 ? 'dark' : 'light'];
}"""


def color_schemes(page, settle_ms: int = 5000) -> tuple[str, str]:
    """(the scheme Quarto's script chose, the scheme the page shows), each "dark" or "light".

    Quarto's class on <body> says what its script switched on; whether the dark stylesheets
    really apply shows in the background colour (luminance of the body's background below 0.5).
    A stylesheet that Quarto switches on loads asynchronously, so this waits up to `settle_ms`
    for the two to agree before it reads them.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(f"(({COLOR_SCHEMES_SCRIPT})()).every((scheme, _, both) => scheme === both[0])",
                               timeout=settle_ms)
    except PlaywrightTimeoutError:  # they still disagree: the caller reports what it reads below
        pass
    return tuple(page.evaluate(COLOR_SCHEMES_SCRIPT))


# Measurements made in the page (all in CSS pixels):
# - widest: the element reaching furthest right, among those not inside a box that scrolls or
#   clips sideways (their overflow is the box's business, not the page's);
# - clipped: blocks (code, outputs, tables) whose content is wider than the block while the block
#   neither shows nor scrolls it (overflow hidden/clip): text the reader cannot reach;
# - unwrapped_outputs: text outputs (stdout, stderr, errors) that scroll sideways instead of wrapping
#   (tables drawn with box-drawing characters, marked by accessibility.html, may scroll);
# - scrolling_code: the posts' code cells wider than their column (with the start of their longest
#   line); code shown as a cell's output (the package's source) is not counted;
# - images_without_alt: <img> elements with no or empty alt text.
LAYOUT_SCRIPT = """() => {
  const viewport = document.documentElement.clientWidth;
  const cuts = new Map();
  const cutBySideways = (element) => {
    if (!element || element === document.body || element === document.documentElement) return false;
    if (cuts.has(element)) return cuts.get(element);
    const overflow = getComputedStyle(element).overflowX;
    const result = overflow !== 'visible' || cutBySideways(element.parentElement);
    cuts.set(element, result);
    return result;
  };
  const describe = (element) => {
    let text = element.tagName.toLowerCase();
    if (element.id) text += '#' + element.id;
    if (element.classList.length) text += '.' + Array.from(element.classList).slice(0, 3).join('.');
    return text;
  };
  let widest = {right: 0, element: ''};
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.position === 'fixed') continue;
    const right = box.right + window.scrollX;
    if (right > widest.right && !cutBySideways(element.parentElement)) {
      widest = {right: Math.round(right), element: describe(element)};
    }
  }
  const blocks = 'pre, div.sourceCode, div.cell-output, div.cell-output-display, table';
  const clipped = [];
  for (const element of document.querySelectorAll(blocks)) {
    if (element.getBoundingClientRect().width === 0) continue;
    const overflow = getComputedStyle(element).overflowX;
    if (element.scrollWidth > element.clientWidth + 1 && (overflow === 'hidden' || overflow === 'clip')) {
      clipped.push(describe(element) + ` (${element.scrollWidth} px in ${element.clientWidth} px)`);
    }
  }
  const outputs = 'div.cell-output-stdout:not(.cell-output-drawn-table) pre, div.cell-output-stderr pre, '
    + 'div.cell-output-error pre';
  const unwrapped = [];
  for (const element of document.querySelectorAll(outputs)) {
    if (element.scrollWidth > element.clientWidth + 1) {
      unwrapped.push(describe(element.parentElement) + ` (${element.scrollWidth} px in ${element.clientWidth} px)`);
    }
  }
  const scrollingCode = [];
  for (const element of document.querySelectorAll('div.sourceCode.cell-code')) {
    if (element.scrollWidth > element.clientWidth + 1) {
      scrollingCode.push(describe(element) + ` (${element.scrollWidth} px in ${element.clientWidth} px): `
        + element.textContent.split('\\n').reduce((a, b) => (b.length > a.length ? b : a), '').slice(0, 60));
    }
  }
  const noAlt = Array.from(document.images).filter((image) => !(image.getAttribute('alt') || '').trim())
    .map((image) => image.getAttribute('src'));
  return {viewport, page_width: document.documentElement.scrollWidth, widest, clipped,
          unwrapped_outputs: unwrapped, scrolling_code: scrollingCode,
          images_without_alt: noAlt};
}"""


def measure_layout(page) -> dict:
    return page.evaluate(LAYOUT_SCRIPT)


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page (WCAG 2.x A/AA rules and best practices), each summarised."""
    if not AXE_SCRIPT.is_file():
        raise FileNotFoundError(f"axe-core is not installed ({AXE_SCRIPT} is missing): run `npm ci` in {ROOT}")
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate("""async () => {
      const results = await axe.run(document, {resultTypes: ['violations']});
      return results.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')),
        count: v.nodes.length}));
    }""")
    return violations


def serious(violations: list[dict]) -> list[dict]:
    return [violation for violation in violations if violation["impact"] in SERIOUS]
