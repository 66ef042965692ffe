"""The in-browser photo classifier of post 06, tested in a real headless Chromium.

What is checked:
- the ONNX export (catsdogs/onnx_export.py): a model exported HERE from a quick-mode model4
  (MobileNetV2 with its ImageNet weights + an untrained head) loads in onnxruntime and gives
  Keras's logits; the files are small enough to commit; bad calls fail clearly;
- the widget (posts/widget/), on a page built from its HTML fragment (which post 06's raw cell
  repeats): it downloads nothing until the reader asks; on 24 photos of the test split it gives
  the label and probabilities that Keras `predict` gives for the SAME 160x160 pixels (uploaded as
  160x160 PNGs, so that the browser's resize is the identity); it handles a file that is not an
  image, an image it cannot decode, a 6000x4500 photo and a browser without WebAssembly with a
  clear message, and keeps working after each; it applies EXIF orientation; nothing is fetched
  from outside this machine (no CDN);
- the committed model posts/widget/model4.onnx (from the full run), when it exists.

Needs Debian's chromium (apt-get install chromium chromium-driver; skipped with a message if it is
missing), Playwright's Python package (requirements.txt; its own browsers are never downloaded),
and the runtime copied into posts/widget/ort/ (npm ci && python scripts/copy_runtime.py).
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from widget_harness import (
    CHROMIUM,
    FRAGMENT,
    ROOT,
    TEST_PAGE,
    WIDGET_DIR,
    WidgetServer,
    choose_file,
    launch,
    missing_runtime,
    phone_sized_jpeg,
    png_bytes,
    report,
    widget_page,
)

N_PHOTOS = 24  # test photos classified in the browser and by Keras
MAX_MODEL_BYTES = 10 * 1024 * 1024  # the committed model must stay below this
PROBABILITY_TOLERANCE = 0.01
COMMITTED_MODEL = WIDGET_DIR / "model4.onnx"

if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"Chromium is not installed ({CHROMIUM} is missing): apt-get install chromium chromium-driver "
                f"to run the widget's browser tests", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402  (after the skip: only needed with Chromium)

# --- Fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def runtime_copied():
    missing = missing_runtime()
    assert not missing, (f"The ONNX runtime is not in posts/widget/ort/ (missing {missing}): "
                         f"run `npm ci && python scripts/copy_runtime.py` in {ROOT}")


@pytest.fixture(scope="module")
def quick_model4():
    """model4 as post 05 builds it (quick mode: ImageNet MobileNetV2, an untrained head)."""
    import keras

    from catsdogs.models import build_model4, load_base_model

    keras.utils.set_random_seed(0)
    return build_model4(load_base_model())


@pytest.fixture(scope="module")
def test_photos():
    """(path, 160x160x3 uint8 pixels) for N_PHOTOS photos of the test split, both classes.

    The pixels are those of training (catsdogs.photos.load_photo: TensorFlow's decoder and
    bilinear resize), rounded to whole numbers so that a PNG holds them exactly.
    """
    from catsdogs.data import find_data, load_splits
    from catsdogs.photos import load_photo

    _, _, test = load_splits(find_data())
    paths = sorted(test.file_paths)
    cats = [path for path in paths if os.sep + "cats" + os.sep in path][: N_PHOTOS // 2]
    dogs = [path for path in paths if os.sep + "dogs" + os.sep in path][: N_PHOTOS // 2]
    chosen = cats + dogs
    assert len(chosen) == N_PHOTOS, f"the test split has too few photos: {len(cats)} cats, {len(dogs)} dogs"
    return [(path, np.clip(np.round(load_photo(path).numpy()), 0, 255).astype(np.uint8)) for path in chosen]


@pytest.fixture(scope="module")
def exported(quick_model4, tmp_path_factory):
    """model4.onnx and model4.json exported from the quick-mode model4 by catsdogs.onnx_export."""
    from catsdogs.onnx_export import export_onnx

    directory = tmp_path_factory.mktemp("exported")
    onnx_path, json_path = export_onnx(quick_model4, directory, ["cats", "dogs"],
                                       validation_accuracy=0.5, test_accuracy=0.25)
    return directory, onnx_path, json_path


@pytest.fixture(scope="module")
def playwright():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright):
    browser = launch(playwright)
    yield browser
    browser.close()


class Widget:
    """A page with the widget in it, served from 127.0.0.1; requests elsewhere are blocked and recorded."""

    def __init__(self, browser, server, model_url=None, metadata_url=None):
        self.server = server
        self.errors: list[str] = []  # uncaught exceptions in the page
        self.outside: list[str] = []  # requests to anywhere but the local server
        self.context = browser.new_context()
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        url = server.add_page(TEST_PAGE, widget_page(FRAGMENT.read_text(encoding="utf-8"), model_url, metadata_url))
        self.page.goto(url)
        self.page.wait_for_function("document.querySelector('.cdc') && document.querySelector('.cdc').dataset.state === 'idle'")

    def _route(self, route):
        if route.request.url.startswith(self.server.base + "/"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def choose(self, name, mime_type, data):
        return choose_file(self.page, name, mime_type, data)

    def close(self):
        assert not self.errors, f"uncaught errors in the page: {self.errors}"
        assert not self.outside, f"the page tried to fetch from outside this site (a CDN?): {self.outside}"
        self.context.close()


def downloads(server):
    """The runtime and model files that the page requested so far."""
    return [path for path in server.requests if "/ort/" in path or path.endswith((".onnx", "model4.json"))]


def jpeg_bytes(pixels, quality=90, exif=None) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, format="JPEG", quality=quality, **({"exif": exif} if exif else {}))
    return buffer.getvalue()


# --- The fragment that post 06 includes ---------------------------------------------------------

def test_fragment_is_small_local_and_lazy():
    fragment = FRAGMENT.read_text(encoding="utf-8")
    assert 'class="cdc"' in fragment and 'data-model="widget/model4.onnx"' in fragment
    assert '<script type="module" src="widget/classifier.js"></script>' in fragment
    assert '<link rel="stylesheet" href="widget/classifier.css">' in fragment
    assert len(fragment) < 600, "keep the fragment tiny: the widget builds itself in classifier.js"
    for name in ("widget.html", "classifier.js", "classifier.css"):
        text = (WIDGET_DIR / name).read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, (
            f"posts/widget/{name} refers to another site: the widget must work offline, from this site only")


def test_post_06_includes_the_fragment_verbatim():
    """Post 06 shows the widget through a raw HTML cell equal to posts/widget/widget.html."""
    from helpers import load_notebook, post_path

    fragment = FRAGMENT.read_text(encoding="utf-8")
    cells = [cell for cell in load_notebook(post_path("06-test-score"))["cells"]
             if cell["cell_type"] == "raw" and 'class="cdc"' in cell["source"]]
    assert len(cells) == 1, ("post 06 must have exactly one raw cell with the widget (raw_mimetype text/html) "
                             f"whose source is posts/widget/widget.html; found {len(cells)}")
    assert cells[0].get("metadata", {}).get("raw_mimetype") == "text/html", (
        "the widget's raw cell needs metadata raw_mimetype: text/html, or Quarto does not pass it through as HTML")
    assert cells[0]["source"].strip() == fragment.strip(), (
        "post 06's widget cell differs from posts/widget/widget.html: keep them identical")


# --- The ONNX export ----------------------------------------------------------------------------

def test_export_files(exported):
    import onnxruntime

    _, onnx_path, json_path = exported
    assert onnx_path.name == "model4.onnx" and json_path.name == "model4.json"
    assert onnx_path.stat().st_size < MAX_MODEL_BYTES, f"{onnx_path} is {onnx_path.stat().st_size / 1e6:.1f} MB"
    metadata = json.loads(json_path.read_text())
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    assert metadata["class_names"] == ["cats", "dogs"] and metadata["labels"] == ["cat", "dog"]
    assert metadata["input"]["name"] == session.get_inputs()[0].name
    assert metadata["output"]["name"] == session.get_outputs()[0].name
    assert metadata["input"]["shape"][1:] == [160, 160, 3] and metadata["input"]["range"] == [0, 255]
    assert (metadata["validation_accuracy"], metadata["test_accuracy"]) == (0.5, 0.25)
    operators = {node.op_type for node in __import__("onnx").load(str(onnx_path)).graph.node}
    assert not any("Random" in op for op in operators), f"random (augmentation) operators left in: {operators}"


def test_onnx_gives_keras_logits(quick_model4, exported, test_photos):
    from catsdogs.onnx_export import check_onnx

    images = np.stack([pixels for _, pixels in test_photos]).astype(np.float32)
    check = check_onnx(quick_model4, exported[1], images)
    print(check)
    assert check.ok, str(check)
    assert check.images == N_PHOTOS and check.max_difference < 1e-4


def test_check_onnx_notices_another_model(exported, test_photos):
    """check_onnx must fail for an ONNX file that is not this model (here: another head)."""
    import keras

    from catsdogs.models import build_model4, load_base_model
    from catsdogs.onnx_export import check_onnx

    keras.utils.set_random_seed(1)
    other = build_model4(load_base_model())
    images = np.stack([pixels for _, pixels in test_photos[:4]]).astype(np.float32)
    check = check_onnx(other, exported[1], images)
    assert not check.ok and "DISAGREE" in str(check)


def test_export_refuses_clearly(quick_model4, tmp_path, monkeypatch):
    import keras

    from catsdogs.onnx_export import OnnxExportError, export_onnx

    with pytest.raises(ValueError, match="two class names"):
        export_onnx(quick_model4, tmp_path, ["cats", "dogs", "foxes"])
    with pytest.raises(ValueError, match="between 0 and 1"):
        export_onnx(quick_model4, tmp_path, ["cats", "dogs"], test_accuracy=97)
    no_augmentation = keras.Sequential([keras.Input((160, 160, 3)), keras.layers.GlobalAveragePooling2D(),
                                        keras.layers.Dense(2)], name="not_model4")
    with pytest.raises(OnnxExportError, match="no layer named 'augmentation'"):
        export_onnx(no_augmentation, tmp_path, ["cats", "dogs"])
    monkeypatch.setattr(keras, "__version__", "2.15.0")  # what the post meets on Keras 2
    with pytest.raises(OnnxExportError, match="needs Keras 3"):
        export_onnx(quick_model4, tmp_path, ["cats", "dogs"])
    assert not list(tmp_path.iterdir()), "a refused export must not leave files behind"


# --- The widget in Chromium -----------------------------------------------------------------------

def test_nothing_is_downloaded_until_the_reader_asks(runtime_copied, exported, browser, test_photos):
    with WidgetServer(exported[0]) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        time.sleep(1.0)
        assert downloads(server) == [], f"the page downloaded {downloads(server)} before the reader asked"
        assert widget.page.is_visible(".cdc-load")
        result = widget.choose("cat.png", "image/png", png_bytes(test_photos[0][1]))
        assert result["state"] == "done", result
        assert any(path.endswith("ort-wasm-simd-threaded.wasm") for path in downloads(server))
        assert "/exported/model4.onnx" in downloads(server)
        widget.close()

    with WidgetServer(exported[0]) as server:  # the other way to ask: the button
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        assert downloads(server) == []
        widget.page.click(".cdc-load")
        widget.page.wait_for_function("document.querySelector('.cdc').dataset.runs === '1'", timeout=60_000)
        state = report(widget.page)
        assert state["state"] == "idle" and "ready" in state["message"], state
        assert "/exported/model4.onnx" in downloads(server) and widget.page.is_hidden(".cdc-load")
        widget.close()


def test_browser_agrees_with_keras(runtime_copied, quick_model4, exported, browser, test_photos):
    """Each photo as a 160x160 PNG in the page, and the same pixels through Keras predict."""
    images = np.stack([pixels for _, pixels in test_photos]).astype(np.float32)
    logits = quick_model4.predict(images, verbose=0)
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    largest = 0.0
    with WidgetServer(exported[0]) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        for (path, pixels), keras_probabilities in zip(test_photos, expected):
            name = Path(path).name
            result = widget.choose(name.replace(".jpg", ".png"), "image/png", png_bytes(pixels))
            assert result["state"] == "done", f"{name}: {result}"
            assert result["input_value"] == "", "the file input must be reset after each photo"
            browser_probabilities = np.array(result["probabilities"])
            difference = np.abs(browser_probabilities - keras_probabilities).max()
            largest = max(largest, difference)
            assert difference < PROBABILITY_TOLERANCE, (
                f"{name}: browser {browser_probabilities}, Keras {keras_probabilities}")
            keras_label = ["cat", "dog"][int(keras_probabilities.argmax())]
            assert result["label"] == keras_label, f"{name}: browser says {result['label']}, Keras {keras_label}"
            assert result["answer"].startswith(keras_label + ", ") and result["answer"].endswith("%")
        widget.close()
    print(f"{N_PHOTOS} photos: largest probability difference browser vs. Keras {largest:.2e}")


def test_bad_input_gets_a_clear_message(runtime_copied, exported, browser, test_photos):
    good = png_bytes(test_photos[-1][1])
    with WidgetServer(exported[0]) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")

        def still_works():
            result = widget.choose("good.png", "image/png", good)
            assert result["state"] == "done" and result["probabilities"], result
            assert widget.page.is_visible(".cdc-result")

        still_works()
        result = widget.choose("notes.txt", "text/plain", b"not a photo at all\n")
        assert result["state"] == "error" and "“notes.txt” is not an image" in result["message"], result
        assert widget.page.is_hidden(".cdc-result") and result["input_value"] == ""
        still_works()

        truncated = jpeg_bytes(test_photos[0][1])[:300]  # a JPEG cut short: an image type, undecodable
        result = widget.choose("broken.jpg", "image/jpeg", truncated)
        assert result["state"] == "error" and "cannot read “broken.jpg” as an image" in result["message"], result
        result = widget.choose("empty.jpg", "image/jpeg", b"")
        assert result["state"] == "error" and "is empty" in result["message"], result
        still_works()

        huge = phone_sized_jpeg(test_photos[0][0])
        widget.page.evaluate("""() => {  // a timer that should tick every 10 ms: late ticks = busy main thread
            window.ticks = [performance.now()];
            window.probe = setInterval(() => window.ticks.push(performance.now()), 10);
        }""")
        result = widget.choose("huge.jpg", "image/jpeg", huge)
        # The longest the page's main thread was busy while the widget handled the photo (not while
        # Playwright handed the 7 MB file to the page, which blocks it too, but is no reader's case).
        longest_gap = widget.page.evaluate("""() => {
            clearInterval(window.probe);
            const root = document.querySelector('.cdc');
            const start = Number(root.dataset.startedAt), end = start + Number(root.dataset.totalMs);
            let longest = 0;
            for (let i = 1; i < window.ticks.length; i++) {
                const from = Math.max(window.ticks[i - 1], start), to = Math.min(window.ticks[i], end);
                if (to > from) longest = Math.max(longest, to - from);
            }
            return longest;
        }""")
        assert result["state"] == "done" and result["label"] in ("cat", "dog"), result
        print(f"6000x4500 JPEG ({len(huge) / 1e6:.1f} MB): {result['total_ms']:.0f} ms, main thread busy "
              f"at most {longest_gap:.0f} ms at a time")
        assert longest_gap < 500, f"the tab froze for {longest_gap:.0f} ms on a 6000x4500 photo"
        still_works()

        result = widget.choose("good.png", "image/png", good)  # the same file twice in a row: handled twice
        assert result["state"] == "done" and result["runs"] >= 2
        widget.close()


def test_exif_orientation_is_applied(runtime_copied, exported, browser):
    """A phone photo stored sideways with EXIF orientation 6 is classified upright, as the phone shows it."""
    from PIL import Image

    stored = np.zeros((120, 240, 3), np.uint8)
    stored[:, 120:] = 255  # stored: left half black, right half white
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display": the left half ends up on top
    with WidgetServer(exported[0]) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        result = widget.choose("sideways.jpg", "image/jpeg", jpeg_bytes(stored, quality=95, exif=exif.tobytes()))
        assert result["state"] == "done", result
        top, bottom, left, right = widget.page.evaluate("""() => {
            const data = document.querySelector('.cdc-canvas').getContext('2d').getImageData(0, 0, 160, 160).data;
            const mean = (x0, y0, x1, y1) => { let sum = 0, n = 0;
                for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) { sum += data[(y * 160 + x) * 4]; n++; }
                return sum / n; };
            return [mean(0, 0, 160, 70), mean(0, 90, 160, 160), mean(0, 0, 70, 160), mean(90, 0, 160, 160)];
        }""")
        widget.close()
    assert top < 30 and bottom > 225, f"not shown upright: top {top:.0f}, bottom {bottom:.0f} (left {left:.0f}, right {right:.0f})"


def test_without_webassembly(runtime_copied, exported, playwright, test_photos):
    browser = launch(playwright, no_webassembly=True)
    try:
        with WidgetServer(exported[0]) as server:
            widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
            assert widget.page.evaluate("typeof WebAssembly") == "undefined", "the flag did not turn WebAssembly off"
            for attempt in range(2):  # the second attempt shows the page still works
                result = widget.choose("cat.png", "image/png", png_bytes(test_photos[attempt][1]))
                assert result["state"] == "error" and "cannot run WebAssembly" in result["message"], result
                assert widget.page.is_visible(".cdc-result"), "the photo is still shown as the model would see it"
                assert result["input_value"] == ""
            widget.page.click(".cdc-load")
            widget.page.wait_for_function("document.querySelector('.cdc').dataset.runs === '3'")
            assert "cannot run WebAssembly" in report(widget.page)["message"]
            assert not any("/ort/" in path for path in server.requests), "no runtime download without WebAssembly"
            widget.close()
    finally:
        browser.close()


def test_model_that_cannot_be_downloaded(runtime_copied, exported, browser, test_photos):
    with WidgetServer(exported[0]) as server:
        widget = Widget(browser, server, "/exported/missing.onnx", "/exported/model4.json")
        result = widget.choose("cat.png", "image/png", png_bytes(test_photos[0][1]))
        assert result["state"] == "error" and "Could not download the model" in result["message"], result
        assert "404" in result["message"]
        widget.close()


def test_drop_a_photo_and_the_camera_button(runtime_copied, exported, browser, test_photos):
    """A photo dropped on the widget is classified; phones get a "Take a photo" input with capture."""
    data = list(png_bytes(test_photos[0][1]))
    with WidgetServer(exported[0]) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        assert widget.page.is_hidden(".cdc-camera"), "no camera button with a mouse"
        widget.page.evaluate("""(bytes) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], "dropped.png", {type: "image/png"}));
            document.querySelector('.cdc').dispatchEvent(
                new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""", data)
        widget.page.wait_for_function("document.querySelector('.cdc').dataset.runs === '1'", timeout=60_000)
        assert report(widget.page)["state"] == "done"
        widget.close()
        phone = browser.new_context(is_mobile=True, has_touch=True, viewport={"width": 390, "height": 800})
        page = phone.new_page()
        page.goto(server.base + TEST_PAGE)
        page.wait_for_function("document.querySelector('.cdc').dataset.state === 'idle'")
        assert page.is_visible(".cdc-camera") and page.get_attribute(".cdc-camera input", "capture") == "environment"
        assert page.get_attribute(".cdc-camera input", "accept") == "image/*"
        phone.close()


# --- The committed model (from the full run) -------------------------------------------------------

def test_committed_model(runtime_copied, browser, test_photos):
    if not COMMITTED_MODEL.exists():
        pytest.skip(f"{COMMITTED_MODEL.relative_to(ROOT)} is not there yet: the full run exports it "
                    f"(catsdogs.onnx_export) and it is committed with its model4.json")
    assert COMMITTED_MODEL.stat().st_size < MAX_MODEL_BYTES
    metadata = json.loads((WIDGET_DIR / "model4.json").read_text())
    assert metadata["class_names"] == ["cats", "dogs"]
    correct = 0
    with WidgetServer() as server:
        widget = Widget(browser, server)  # the page exactly as post 06 includes it
        for path, pixels in test_photos:
            result = widget.choose("photo.png", "image/png", png_bytes(pixels))
            assert result["state"] == "done", result
            assert abs(sum(result["probabilities"]) - 1) < 1e-5
            correct += result["label"] + "s" == Path(path).parent.name
        widget.close()
    print(f"committed model: {correct} of {N_PHOTOS} test photos right in the browser")
    assert correct >= N_PHOTOS - 3, f"the committed model got only {correct} of {N_PHOTOS} test photos right"
