"""A local web server and a headless Chromium for the in-browser photo classifier ("the widget").

Shared by tests/test_widget.py, tests/test_widget_engines.py, tests/test_onnx_export.py and
benchmarks/widget_speed.py. The widget is tested as the post shows it: its fragment is the raw
HTML cell, in the stored notebook posts/*.ipynb, that holds `<div class="cdc"` (found by its
content, whichever post it is in), served at the post's own address (/posts/NN-slug.html) so
that its relative URLs (widget/classifier.js, ../run/model4.onnx) resolve as on the site.

The server listens on 127.0.0.1 only and serves:

- /posts/...     the repository's posts/ folder (the widget's files and runtime);
- /run/...       the repository's run/ folder (the published run: the committed model);
- /exported/...  a folder of the caller's (a model that a test exported itself);
- pages and files that the caller adds (add_page, add_file).

Every request is logged, with the bytes sent, so a test can check what the page downloaded and
when; `compress=True` gzips what a compressing web server would (everything but .gz files), and
`hold(path)` keeps a request waiting until the test lets it go.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import re
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
POSTS_DIR = ROOT / "posts"
WIDGET_DIR = POSTS_DIR / "widget"
RUN_DIR = ROOT / "run"
# The committed model of the published run (written by `make series`): the one place the tests name it.
COMMITTED_MODEL = RUN_DIR / "model4.onnx"
COMMITTED_METADATA = RUN_DIR / "model4.json"
SCHEMA = WIDGET_DIR / "model4.schema.json"
RUNTIME_DIR = WIDGET_DIR / "ort"
RUNTIME_FILES = ("ort.wasm.bundle.min.mjs", "ort-wasm-simd-threaded.wasm.gz", "runtime.json")  # scripts/copy_runtime.py
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# A browser without WebAssembly. V8's --noexpose_wasm no longer hides it in Chromium 156; --jitless
# does (V8 without its compilers cannot run WebAssembly), like browsers' "JIT off" security modes.
NO_WEBASSEMBLY_ARGS = ["--js-flags=--jitless"]
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".gz": "application/gzip", ".onnx": "application/octet-stream", ".json": "application/json",
         ".css": "text/css", ".html": "text/html; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg",
         ".txt": "text/plain", ".ico": "image/x-icon"}
# The site's colours around the widget (theme-light.scss / theme-dark.scss on Bootswatch flatly and
# darkly), for the accessibility checks of a test page: text, background, the theme's link colour
# and the muted grey that Quarto gives figure captions. The rendered site is audited with the
# real stylesheets in tests/test_rendered_site.py.
SCHEME_CSS = {
    "light": "body { background: #fff; color: #212529; --bs-link-color: #0f7864; } figcaption { color: #5f6b6d; }",
    "dark": "body { background: #222; color: #fff; --bs-link-color: #00bc8c; } figcaption { color: #adb5bd; }",
}
# The site's text is in the reader's system sans-serif font (theme.scss), wider than a browser's
# default serif: a test page without it would hide words that do not fit.
FONT_CSS = "body { font-family: system-ui, sans-serif; }"


def missing_runtime():
    """The runtime files not yet copied into posts/widget/ort/ (empty when all are there)."""
    return [name for name in RUNTIME_FILES if not (RUNTIME_DIR / name).is_file()]


def widget_cells():
    """(notebook path, raw cell) for every raw cell of a stored post that holds the widget."""
    found = []
    for path in sorted(POSTS_DIR.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] == "raw" and 'class="cdc"' in source:
                found.append((path, {**cell, "source": source}))
    return found


def widget_post():
    """(page path on the site, the fragment): the post whose raw cell holds the widget."""
    cells = widget_cells()
    assert len(cells) == 1, (f"exactly one raw cell of one post must hold the widget (<div class=\"cdc\">); "
                             f"found {[(path.name, cell['source'][:40]) for path, cell in cells]}")
    path, cell = cells[0]
    return f"/posts/{path.stem}.html", cell["source"]


def widget_page(fragment: str, model_url: str | None = None, metadata_url: str | None = None,
                scheme: str = "light") -> str:
    """A page around the widget's fragment, in the site's light or dark colours;
    model_url/metadata_url replace its data-model/data-metadata."""
    if model_url is not None:
        fragment, count = re.subn(r'data-model="[^"]*"', f'data-model="{model_url}"', fragment)
        assert count == 1, "the fragment has no data-model attribute to point at another model"
    if metadata_url is not None:
        fragment, count = re.subn(r'data-metadata="[^"]*"', f'data-metadata="{metadata_url}"', fragment)
        assert count == 1, "the fragment has no data-metadata attribute"
    body = ' class="quarto-dark"' if scheme == "dark" else ""
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Widget test</title>"
            f"<style>{FONT_CSS} {SCHEME_CSS[scheme]}</style></head><body{body}><main>\n{fragment}\n</main></body></html>\n")


class _Handler(http.server.BaseHTTPRequestHandler):
    def __init__(self, *args, server_state, **kwargs):
        self.state = server_state
        super().__init__(*args, **kwargs)

    def log_message(self, *args):  # keep the test output quiet; requests go to state.requests
        pass

    def do_GET(self):  # noqa: N802 (the name http.server expects)
        path = self.path.split("?", 1)[0]
        self.state.requests.append(path)
        held = self.state.held.get(path)
        if held is not None:
            held.wait(timeout=60)
        if path in self.state.pages:
            return self._send(self.state.pages[path].encode("utf-8"), TYPES[".html"], path)
        if path in self.state.files:
            return self._send(self.state.files[path], TYPES.get(Path(path).suffix, "application/octet-stream"), path)
        for prefix, folder in self.state.folders.items():
            if path.startswith(prefix):
                file = (folder / path[len(prefix):]).resolve()
                if folder.resolve() in file.parents and file.is_file():
                    return self._send(file.read_bytes(), TYPES.get(file.suffix, "application/octet-stream"), path)
        self.send_error(404, "Not found")

    def _send(self, body: bytes, content_type: str, path: str):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if (self.state.compress and not path.endswith(".gz")
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(body, compresslevel=6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.state.sent[path] = self.state.sent.get(path, 0) + len(body)
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the page went away: nothing to do
            pass


class LocalServer:
    """An HTTP server on 127.0.0.1 (a free port) in a background thread. Use as a context manager."""

    def __init__(self, handler, server_class=http.server.ThreadingHTTPServer):
        self.httpd = server_class(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class WidgetServer(LocalServer):
    """posts/ and run/ (and an exported model) plus test pages, served on 127.0.0.1."""

    def __init__(self, exported_dir: str | Path | None = None, compress: bool = False, root: Path = ROOT):
        self.folders = {"/posts/": root / "posts", "/run/": root / "run"}
        if exported_dir is not None:
            self.folders["/exported/"] = Path(exported_dir)
        self.pages: dict[str, str] = {}
        self.files: dict[str, bytes] = {"/favicon.ico": b""}  # browsers ask for it on their own
        self.requests: list[str] = []
        self.sent: dict[str, int] = {}  # bytes sent for each path (compressed, when compressing)
        self.held: dict[str, threading.Event] = {}
        self.compress = compress
        super().__init__(functools.partial(_Handler, server_state=self))

    def add_page(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.base + path

    def add_file(self, path: str, data: bytes) -> str:
        self.files[path] = data
        return self.base + path

    def __exit__(self, *exc):
        for event in self.held.values():  # no request waits for ever
            event.set()
        super().__exit__(*exc)

    def hold(self, path: str) -> threading.Event:
        """Requests for `path` wait until the returned event is set (at most 60 s)."""
        self.held[path] = threading.Event()
        return self.held[path]

    def add_post(self, model_url: str | None = None, metadata_url: str | None = None, scheme: str = "light") -> str:
        """The widget's post (its fragment at the post's own address); returns its URL."""
        page, fragment = widget_post()
        return self.add_page(page, widget_page(fragment, model_url, metadata_url, scheme))


def launch(playwright, no_webassembly: bool = False):
    """Headless Debian Chromium (never a browser downloaded by Playwright)."""
    args = CHROMIUM_ARGS + (NO_WEBASSEMBLY_ARGS if no_webassembly else [])
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)


def png_bytes(pixels) -> bytes:
    """A PNG file of an RGB uint8 array (height, width, 3), without colour profile or gamma."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def choose_file(page, name: str, mime_type: str, data: bytes, timeout_ms: float = 60_000) -> dict:
    """Give the widget a file through its "Choose a photo" input; wait until it has handled it.

    Returns the widget's report: state ("done" or "error"), the status message, the label, the
    probabilities and the timings (milliseconds).
    """
    runs = int(page.get_attribute(".cdc", "data-runs"))
    page.locator(".cdc-input").first.set_input_files({"name": name, "mimeType": mime_type, "buffer": data})
    page.wait_for_function(f"Number(document.querySelector('.cdc').dataset.runs) > {runs}", timeout=timeout_ms)
    return report(page)


def report(page) -> dict:
    return page.evaluate("""() => {
        const root = document.querySelector('.cdc');
        const number = (name) => root.dataset[name] === undefined ? null : Number(root.dataset[name]);
        return {
            state: root.dataset.state,
            runs: Number(root.dataset.runs),
            message: root.querySelector('.cdc-status').textContent,
            label: root.dataset.label || null,
            answer: root.querySelector('.cdc-answer').textContent,
            probabilities: root.dataset.probabilities ? JSON.parse(root.dataset.probabilities) : null,
            class_map: root.dataset.classMap ? JSON.parse(root.dataset.classMap) : null,
            model_ms: number('modelMs'), decode_ms: number('decodeMs'),
            inference_ms: number('inferenceMs'), total_ms: number('totalMs'),
            download_bytes: number('downloadBytes'), received_bytes: number('receivedBytes'),
            input_value: Array.from(root.querySelectorAll('.cdc-input')).map((input) => input.value).join(''),
        };
    }""")


def phone_sized_jpeg(photo, size=(6000, 4500), seed=0) -> bytes:
    """A photo (a path or JPEG bytes) enlarged to a phone camera's 6000x4500 pixels, as a JPEG.

    Fine grain is added so that the file is as large as a real photo of that size (about 10 MB):
    a plain enlargement compresses to far less, and decodes faster, than what a phone gives.
    """
    import numpy as np
    from PIL import Image

    source = Image.open(photo if not isinstance(photo, bytes) else io.BytesIO(photo)).convert("RGB")
    pixels = np.asarray(source.resize(size, Image.BILINEAR), dtype=np.int16)
    pixels += np.random.default_rng(seed).integers(-12, 13, size=pixels.shape, dtype=np.int16)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


# --- Models and photos shared by the tests (built once per test run, on first use) --------------
# Plain cached functions rather than fixtures, so that tests/test_onnx_export.py,
# tests/test_widget.py and tests/test_cam.py share one quick model and one export. TensorFlow
# is imported only when they are called (the benchmark never calls them).

N_TEST_PHOTOS = 24  # photos of the test split used by the tests, half cats, half dogs
# The share of those photos on which the quick model's compact export may give another class than
# Keras: its head is untrained, so its answers are near 50 % and the 8-bit weights tip a few of
# them (2 of 24 seen). A trained model4 is held to catsdogs.onnx_export.MAX_DISAGREEMENT (0.5 %).
QUICK_MAX_DISAGREEMENT = 0.15


# The tests that use the quick model4 and its export (made once per process, below) run in one
# process when `make test` runs the tests in several (see helpers.IN_THE_TEST_KERAS_CACHE).
def chromium_or_skip():
    """Skip the calling test when Chromium is missing, or fail when CI is set (there the tests
    must run, not skip away)."""
    if os.access(CHROMIUM, os.X_OK):
        return
    message = (f"Chromium is not installed ({CHROMIUM} is missing): apt-get install chromium chromium-driver "
               f"to run the widget's browser tests")
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: browser tests must run there)")
    pytest.skip(message)


SHARES_THE_QUICK_MODEL4 = pytest.mark.xdist_group("quick-model4")


@functools.lru_cache(maxsize=None)
def quick_model4():
    """model4 as post 05 builds it, in quick mode: ImageNet MobileNetV2 and an untrained head
    (seeded, so every run builds the same one)."""
    import keras

    from catsdogs.models import build_model4, load_base_model

    keras.utils.set_random_seed(0)
    return build_model4(load_base_model())


@functools.lru_cache(maxsize=None)
def split_photos(count=N_TEST_PHOTOS):
    """(path, 160x160x3 uint8 pixels) for `count` photos of the test split, half of each class.

    The pixels are those of training (catsdogs.photos.load_photo: TensorFlow's decoder and
    bilinear resize), rounded to whole numbers so that a PNG holds them exactly.
    """
    import numpy as np

    from catsdogs.data import find_data, load_splits
    from catsdogs.photos import load_photo

    _, _, test = load_splits(find_data())
    paths = sorted(test.file_paths)
    cats = [path for path in paths if os.sep + "cats" + os.sep in path][: count // 2]
    dogs = [path for path in paths if os.sep + "dogs" + os.sep in path][: count - count // 2]
    chosen = cats + dogs
    assert len(chosen) == count, f"the test split has too few photos: {len(cats)} cats, {len(dogs)} dogs"
    return tuple((path, np.clip(np.round(load_photo(path).numpy()), 0, 255).astype(np.uint8)) for path in chosen)


@functools.lru_cache(maxsize=None)
def committed_model_on_the_splits():
    """The committed model (run/model4.onnx) on every validation and test photo, with the pixels the
    posts score (image_dataset_from_directory's decoding and resizing), in one onnxruntime pass
    that the tests reading it share: {"validation": (labels, logits, feature maps), "test": ...}."""
    import numpy as np

    from catsdogs.data import find_data, load_splits
    from catsdogs.onnx_export import run_onnx

    _, validation, test = load_splits(find_data())
    outputs = {}
    for name, dataset in [("validation", validation), ("test", test)]:
        pairs = [(image.numpy(), int(label)) for image, label in dataset]
        images = np.stack([image for image, _ in pairs]).astype(np.float32)
        logits, _, feature_maps = run_onnx(COMMITTED_MODEL, images, features=True)
        outputs[name] = (np.array([label for _, label in pairs]), logits, feature_maps)
    return outputs


@functools.lru_cache(maxsize=None)
def quick_export():
    """model4.onnx and model4.json exported from quick_model4() by catsdogs.onnx_export, checked
    on split_photos(); returns the OnnxExport (its files are in a temporary folder)."""
    import tempfile

    import numpy as np

    from catsdogs.onnx_export import export_onnx

    directory = Path(tempfile.mkdtemp(prefix="quick-export-"))
    images = np.stack([pixels for _, pixels in split_photos()]).astype(np.float32)
    return export_onnx(quick_model4(), directory, ["cats", "dogs"], images,
                       max_disagreement=QUICK_MAX_DISAGREEMENT)


# --- The trainer of post 05 (posts/widget/trainer.js: <div class="cdt">) -------------------------
# tests/test_trainer.py and benchmarks/trainer_speed.py. Its fragment is the raw cell of the stored
# post that holds `<div class="cdt"`, served at the post's own address like the classifier's.

def trainer_post():
    """(page path on the site, the fragment): the post whose raw cell holds the trainer."""
    found = []
    for path in sorted(POSTS_DIR.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] == "raw" and 'class="cdt"' in source:
                found.append((path, source))
    assert len(found) == 1, (f"exactly one raw cell of one post must hold the trainer (<div class=\"cdt\">); "
                             f"found {[(path.name, source[:40]) for path, source in found]}")
    path, source = found[0]
    return f"/posts/{path.stem}.html", source


def trainer_page(fragment: str, model_url: str | None = None, metadata_url: str | None = None,
                 photos_url: str | None = None, scheme: str = "light") -> str:
    """A page around the trainer's fragment (as widget_page does for the classifier); photos_url
    replaces its data-photos."""
    if photos_url is not None:
        fragment, count = re.subn(r'data-photos="[^"]*"', f'data-photos="{photos_url}"', fragment)
        assert count == 1, "the trainer's fragment has no data-photos attribute"
    return widget_page(fragment, model_url, metadata_url, scheme).replace("<title>Widget test</title>",
                                                                          "<title>Trainer test</title>")


def trainer_report(page) -> dict:
    """What the trainer shows: its state, status line and data attributes (JSON ones decoded)."""
    return page.evaluate("""() => {
        const root = document.querySelector('.cdt');
        const data = {};
        for (const [name, value] of Object.entries(root.dataset)) {
            try { data[name] = JSON.parse(value); } catch (error) { data[name] = value; }
        }
        return {...data, state: root.dataset.state, runs: Number(root.dataset.runs),
                message: root.querySelector('.cdt-status').textContent};
    }""")


def trainer_wait(page, runs: int, timeout_ms: float = 120_000) -> dict:
    """Wait until the trainer has handled more than `runs` actions; returns trainer_report."""
    page.wait_for_function(f"Number(document.querySelector('.cdt').dataset.runs) > {runs}", timeout=timeout_ms)
    return trainer_report(page)


# A timer that asks to tick every 10 ms while the trainer works: its ticks show when the page's main
# thread was free. start_busy_probe before an action, busy_probe_result after it.
def start_busy_probe(page):
    page.evaluate("""() => {
        window.ticks = [performance.now()];
        window.probe = setInterval(() => window.ticks.push(performance.now()), 10);
    }""")


def busy_probe_result(page, start_ms: float | None = None, end_ms: float | None = None) -> dict:
    """{"ticks": the timer's ticks since start_busy_probe, "longestGapMs": the longest wait between two}.

    The moment of this call counts as a last tick, so a page that never let the timer tick shows its
    whole wait as one gap. With start_ms and end_ms (the page's performance.now() clock) only the
    part of each gap inside that window counts.
    """
    return page.evaluate("""([startMs, endMs]) => {
        clearInterval(window.probe);
        const ticks = window.ticks.length - 1;
        window.ticks.push(performance.now());
        const start = startMs ?? -Infinity, end = endMs ?? Infinity;
        let longest = 0;
        for (let i = 1; i < window.ticks.length; i++) {
            const from = Math.max(window.ticks[i - 1], start), to = Math.min(window.ticks[i], end);
            longest = Math.max(longest, to - from);
        }
        return {ticks, longestGapMs: longest};
    }""", [start_ms, end_ms])


def trainer_do(page, action, timeout_ms: float = 120_000) -> dict:
    """Run `action()` (a click, a file chosen) and wait until the trainer has handled it."""
    runs = int(page.get_attribute(".cdt", "data-runs"))
    action()
    return trainer_wait(page, runs, timeout_ms)


def trainer_add(page, box: int, files: list[tuple[str, str, bytes]], timeout_ms: float = 120_000) -> dict:
    """Give box `box` (0 or 1) the files [(name, MIME type, bytes)] through its "Choose photos" input."""
    payload = [{"name": name, "mimeType": mime, "buffer": data} for name, mime, data in files]
    return trainer_do(page, lambda: page.locator(".cdt-input").nth(box).set_input_files(payload), timeout_ms)
