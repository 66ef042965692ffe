"""A local web server and a headless Chromium for the photo classifier of post 06.

Shared by tests/test_widget.py and benchmarks/widget_speed.py. The server listens on
127.0.0.1 only and serves:

- /posts/...        the repository's posts/ folder (the widget's files, the committed model);
- /exported/...     a folder of the caller's (a model that a test exported itself);
- /posts/widget-test.html  a page made of the widget's HTML fragment (posts/widget/widget.html),
  so that its relative paths resolve exactly as in posts/06-test-score.html.

Every request is logged, so a test can check what the page downloaded and when.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import shutil
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTS_DIR = ROOT / "posts"
WIDGET_DIR = POSTS_DIR / "widget"
FRAGMENT = WIDGET_DIR / "widget.html"
RUNTIME_DIR = WIDGET_DIR / "ort"
RUNTIME_FILES = ("ort.wasm.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")
TEST_PAGE = "/posts/widget-test.html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# A browser without WebAssembly. V8's --noexpose_wasm no longer hides it in Chromium 156; --jitless
# does (V8 without its compilers cannot run WebAssembly), like browsers' "JIT off" security modes.
NO_WEBASSEMBLY_ARGS = ["--js-flags=--jitless"]
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".onnx": "application/octet-stream", ".json": "application/json", ".css": "text/css",
         ".html": "text/html; charset=utf-8"}


def missing_runtime():
    """The runtime files not yet copied into posts/widget/ort/ (empty when all are there)."""
    return [name for name in RUNTIME_FILES if not (RUNTIME_DIR / name).is_file()]


def widget_page(fragment: str, model_url: str | None = None, metadata_url: str | None = None) -> str:
    """A page around the widget's fragment; model_url/metadata_url replace its data-model/data-metadata."""
    if model_url is not None:
        fragment, count = re.subn(r'data-model="[^"]*"', f'data-model="{model_url}"', fragment)
        assert count == 1, "the fragment has no data-model attribute to point at another model"
    if metadata_url is not None:
        fragment, count = re.subn(r'data-metadata="[^"]*"', f'data-metadata="{metadata_url}"', fragment)
        assert count == 1, "the fragment has no data-metadata attribute"
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Widget test</title>"
            f"</head><body><main>\n{fragment}\n</main></body></html>\n")


class _Handler(http.server.BaseHTTPRequestHandler):
    def __init__(self, *args, server_state, **kwargs):
        self.state = server_state
        super().__init__(*args, **kwargs)

    def log_message(self, *args):  # keep the test output quiet; requests go to state.requests
        pass

    def do_GET(self):  # noqa: N802 (the name http.server expects)
        path = self.path.split("?", 1)[0]
        self.state.requests.append(path)
        if path in self.state.pages:
            return self._send(self.state.pages[path].encode("utf-8"), TYPES[".html"])
        for prefix, folder in self.state.folders.items():
            if path.startswith(prefix):
                file = (folder / path[len(prefix):]).resolve()
                if folder.resolve() in file.parents and file.is_file():
                    return self._send_file(file)
        self.send_error(404, "Not found")

    def _send(self, body: bytes, content_type: str):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _send_file(self, file: Path):
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(file.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(file.stat().st_size))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        with open(file, "rb") as source:
            shutil.copyfileobj(source, self.wfile)


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
    """The posts/ folder (and an exported model) plus test pages, served on 127.0.0.1."""

    def __init__(self, exported_dir: str | Path | None = None):
        self.folders = {"/posts/": POSTS_DIR}
        if exported_dir is not None:
            self.folders["/exported/"] = Path(exported_dir)
        self.pages: dict[str, str] = {}
        self.requests: list[str] = []
        super().__init__(functools.partial(_Handler, server_state=self))

    def add_page(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.base + path


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
def quick_export():
    """model4.onnx and model4.json exported from quick_model4() by catsdogs.onnx_export, checked
    on split_photos(); returns the OnnxExport (its files are in a temporary folder)."""
    import tempfile

    import numpy as np

    from catsdogs.onnx_export import export_onnx

    directory = Path(tempfile.mkdtemp(prefix="quick-export-"))
    images = np.stack([pixels for _, pixels in split_photos()]).astype(np.float32)
    return export_onnx(quick_model4(), directory, ["cats", "dogs"], images,
                       validation_accuracy=0.5, test_accuracy=0.25)
