"""The in-browser photo classifier of post 06, tested in a real headless Chromium.

What is checked, on a page built from the widget's HTML fragment (which post 06's raw cell
repeats), with a model exported HERE from a quick-mode model4 (MobileNetV2 with its ImageNet
weights + an untrained head; tests/widget_harness.py):
- it downloads nothing until the reader asks;
- on 24 photos of the test split it gives the label and probabilities that Keras `predict`
  gives for the SAME 160x160 pixels (uploaded as 160x160 PNGs, so that the browser's resize is
  the identity), and model4's class map (catsdogs.cam) within 1e-3, and draws that map over
  the photo as catsdogs.cam.overlay_rgba would (the switch hides it);
- it reads the input size and the labels from model4.json (a JSON with another size and other
  labels changes what the page does);
- it handles a file that is not an image, an image it cannot decode, a 6000x4500 photo and a
  browser without WebAssembly with a clear message, and keeps working after each; it applies
  EXIF orientation; nothing is fetched from outside this machine (no CDN);
- the committed model posts/widget/model4.onnx, in the page exactly as post 06 includes it.

The export itself and the committed model's accuracy are tested without a browser in
tests/test_onnx_export.py.

Needs Debian's chromium (apt-get install chromium chromium-driver), Playwright's Python package
(requirements.txt; its own browsers are never downloaded), and the runtime copied into
posts/widget/ort/ (npm ci && python scripts/copy_runtime.py). Without Chromium the browser tests
are skipped with a message, except when the environment variable CI is set: then they fail.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import sync_playwright

from widget_harness import (
    CHROMIUM,
    FRAGMENT,
    N_TEST_PHOTOS,
    ROOT,
    TEST_PAGE,
    WIDGET_DIR,
    WidgetServer,
    choose_file,
    launch,
    missing_runtime,
    phone_sized_jpeg,
    png_bytes,
    quick_export,
    quick_model4,
    report,
    split_photos,
    widget_page,
)

N_PHOTOS = N_TEST_PHOTOS  # test photos classified in the browser and by Keras
MIN_MAP_PHOTOS = 8  # photos whose map the browser must reproduce
PROBABILITY_TOLERANCE = 0.01
MAP_TOLERANCE = 1e-3  # largest difference between the browser's map values and Keras's
COMMITTED_MODEL = WIDGET_DIR / "model4.onnx"


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


# --- Fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def runtime_copied():
    missing = missing_runtime()
    assert not missing, (f"The ONNX runtime is not in posts/widget/ort/ (missing {missing}): "
                         f"run `npm ci && python scripts/copy_runtime.py` in {ROOT}")


@pytest.fixture(scope="module")
def quick_model():
    """model4 as post 05 builds it (quick mode: ImageNet MobileNetV2, an untrained head)."""
    return quick_model4()


@pytest.fixture(scope="module")
def test_photos():
    """(path, 160x160x3 uint8 pixels) for N_PHOTOS photos of the test split, both classes."""
    return split_photos()


@pytest.fixture(scope="module")
def exported():
    """(folder, model4.onnx, model4.json) exported from the quick-mode model4 by catsdogs.onnx_export."""
    export = quick_export()
    return export.onnx_path.parent, export.onnx_path, export.json_path


@pytest.fixture(scope="module")
def playwright():
    chromium_or_skip()
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


def drawn_map(page):
    """The map canvas's pixels as the page drew them: [height, width, 4] uint8 (RGBA)."""
    width, height, data = page.evaluate("""() => {
        const canvas = document.querySelector('.cdc-map');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        return [canvas.width, canvas.height, Array.from(data)];
    }""")
    return np.array(data, np.uint8).reshape(height, width, 4)


def test_browser_agrees_with_keras(runtime_copied, quick_model, exported, browser, test_photos):
    """Each photo as a 160x160 PNG in the page, and the same pixels through Keras: the same
    probabilities, label and class map, and the map drawn over the photo as Python draws it."""
    from catsdogs import cam

    images = np.stack([pixels for _, pixels in test_photos]).astype(np.float32)
    logits = quick_model.predict(images, verbose=0)
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    keras_maps = cam.class_maps(quick_model, images)
    metadata = json.loads(exported[2].read_text())
    largest, largest_map, largest_drawn, maps_compared = 0.0, 0.0, 0, 0
    with WidgetServer(exported[0]) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        for (path, pixels), keras_probabilities, keras_map in zip(test_photos, expected, keras_maps):
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

            browser_map = np.array(result["class_map"], np.float32).reshape(keras_map.shape)
            map_difference = np.abs(browser_map - keras_map).max()
            largest_map = max(largest_map, map_difference)
            assert map_difference < MAP_TOLERANCE, f"{name}: the browser's map differs from Keras's by {map_difference}"
            maps_compared += 1
            # What the page drew, against what catsdogs.cam draws from Keras's map.
            assert widget.page.is_visible(".cdc-map") and widget.page.is_visible(".cdc-map-key")
            scale = metadata["class_map"]["scale"]
            wanted = cam.overlay_rgba(cam.upsample(cam.evidence_for(keras_map, 1)), scale) * 255
            drawn = drawn_map(widget.page).astype(np.float32)
            alpha_difference = np.abs(drawn[..., 3] - wanted[..., 3]).max()
            strong = wanted[..., 3] > 64  # colours read back from a canvas are exact only where opaque enough
            colour_difference = np.abs(drawn[strong][:, :3] - wanted[strong][:, :3]).max() if strong.any() else 0
            largest_drawn = max(largest_drawn, alpha_difference, colour_difference)
            assert alpha_difference <= 2 and colour_difference <= 4, (
                f"{name}: the drawn map differs from catsdogs.cam's: opacity by {alpha_difference}, "
                f"colour by {colour_difference} (of 255)")
        assert strong.any(), "the last map is too faint to check its colours"
        widget.page.click(".cdc-map-switch")  # the reader turns the map off
        assert widget.page.is_hidden(".cdc-map") and widget.page.is_visible(".cdc-canvas")
        widget.close()
    assert maps_compared >= MIN_MAP_PHOTOS
    print(f"{N_PHOTOS} photos, browser vs. Keras: largest probability difference {largest:.2e}, "
          f"map difference {largest_map:.2e}; drawn map vs. catsdogs.cam {largest_drawn:.0f} of 255")


def test_input_size_and_labels_come_from_the_json(runtime_copied, exported, browser, test_photos, tmp_path):
    """A model4.json that names other labels changes the page's answer; one that declares another
    input size makes the page squash photos to that size (and the model then refuses them)."""
    import shutil

    metadata = json.loads(exported[2].read_text())
    shutil.copy(exported[1], tmp_path / "model4.onnx")
    metadata["labels"] = ["kitty", "puppy"]
    (tmp_path / "model4.json").write_text(json.dumps(metadata))
    with WidgetServer(tmp_path) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        result = widget.choose("photo.png", "image/png", png_bytes(test_photos[0][1]))
        assert result["state"] == "done" and result["label"] in ("kitty", "puppy"), result
        widget.close()
    metadata["input"]["shape"] = [None, 96, 128, 3]
    (tmp_path / "model4.json").write_text(json.dumps(metadata))
    with WidgetServer(tmp_path) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        result = widget.choose("photo.png", "image/png", png_bytes(test_photos[0][1]))
        size = widget.page.evaluate("[document.querySelector('.cdc-canvas').width, "
                                    "document.querySelector('.cdc-canvas').height]")
        assert size == [128, 96], f"the page squashed the photo to {size}, not the JSON's 128x96"
        assert result["state"] == "error", "a 96x128 input into a 160x160 model should fail"
        widget.errors.clear()  # onnxruntime's own complaint may reach the console; the page said so
        widget.close()


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
    """The committed model in the page exactly as post 06 includes it: the same answers as
    onnxruntime gives in Python for the same pixels, and its map drawn if model4.json declares one."""
    import onnxruntime

    metadata = json.loads((WIDGET_DIR / "model4.json").read_text())
    session = onnxruntime.InferenceSession(str(COMMITTED_MODEL), providers=["CPUExecutionProvider"])
    images = np.stack([pixels for _, pixels in test_photos]).astype(np.float32)
    has_map = "class_map" in metadata
    outputs = [metadata["output"]["name"]] + ([metadata["class_map"]["name"]] if has_map else [])
    results = session.run(outputs, {metadata["input"]["name"]: images})
    maps = results[1] if has_map else [None] * len(images)
    with WidgetServer() as server:
        widget = Widget(browser, server)  # the page exactly as post 06 includes it
        for (path, pixels), photo_logits, photo_map in zip(test_photos, results[0], maps):
            result = widget.choose("photo.png", "image/png", png_bytes(pixels))
            assert result["state"] == "done", result
            assert result["label"] == metadata["labels"][int(photo_logits.argmax())], f"{Path(path).name}: {result}"
            assert has_map == (result["class_map"] is not None) == widget.page.is_visible(".cdc-map")
            if has_map:
                browser_map = np.array(result["class_map"]).reshape(photo_map.shape)
                assert np.abs(browser_map - photo_map).max() < MAP_TOLERANCE, f"{Path(path).name}: map differs"
        widget.close()
