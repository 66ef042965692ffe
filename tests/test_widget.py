"""The in-browser photo classifier ("the widget"), tested in a real headless Chromium.

What is checked, on the post's own fragment (the raw cell of the stored post that holds
`<div class="cdc">`, served at the post's address), with a model exported HERE from a
quick-mode model4 (MobileNetV2 with its ImageNet weights + an untrained head;
tests/widget_harness.py):
- before the reader asks, it reads only the small descriptions (model4.json, its schema and
  the runtime's list of files), and says the real download size; then it shows the progress;
- on 24 photos of the test split it gives the label and probabilities that Keras `predict`
  gives for the SAME 160x160 pixels (uploaded as 160x160 PNGs, so that the browser's resize is
  the identity), and model4's class map (catsdogs.cam) within the compact model's tolerance,
  and draws that map over the photo as catsdogs.map_drawing.overlay_rgba would (the switch hides it);
- it reads the input size and the labels from model4.json (a JSON with another size and other
  labels changes what the page does), and refuses a model4.json that does not fit its schema;
- it handles a file that is not an image, an image it cannot decode, a 6000x4500 photo and a
  browser without WebAssembly with a clear message, and keeps working after each; it applies
  EXIF orientation; nothing is fetched from outside this machine (no CDN);
- the keyboard: pressing "Load the model first" moves the focus to "Choose a photo";
- every state (before, loading, after a photo, after an error), in the site's light and dark
  colours, has no serious or critical axe-core violation;
- the committed model run/model4.onnx, in the page exactly as the post includes it.

The same widget in Firefox and WebKit: tests/test_widget_engines.py. The pure parts of its
JavaScript (the class map's pixels, the schema check): tests/widget_js/*.test.mjs, run by
node --test from test_widget_javascript_units. The export itself and the committed model's
accuracy are tested without a browser in tests/test_onnx_export.py.

Needs Debian's chromium (apt-get install chromium chromium-driver), Playwright's Python package
(requirements.txt; its own browsers are never downloaded), and the runtime copied into
posts/widget/ort/ (npm ci && python scripts/copy_runtime.py). Without Chromium the browser tests
are skipped with a message, except when the environment variable CI is set: then they fail.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import numpy as np
import pytest

from widget_harness import (
    COMMITTED_METADATA,
    COMMITTED_MODEL,
    N_TEST_PHOTOS,
    ROOT,
    SHARES_THE_QUICK_MODEL4,
    WIDGET_DIR,
    WidgetServer,
    busy_probe_result,
    choose_file,
    launch,
    missing_runtime,
    phone_sized_jpeg,
    png_bytes,
    quick_export,
    quick_model4,
    report,
    split_photos,
    start_busy_probe,
    widget_cells,
    widget_post,
)

pytestmark = SHARES_THE_QUICK_MODEL4

N_PHOTOS = N_TEST_PHOTOS  # test photos classified in the browser and by Keras
MIN_MAP_PHOTOS = 8  # photos whose drawn map is compared, pixel by pixel, with catsdogs.cam's
PROBABILITY_TOLERANCE = 0.01
# Largest difference between the browser's map values and Keras's, as a share of the map's colour
# scale: the model's weights are stored in 8 bits (catsdogs.onnx_export.compact_onnx), which moves
# single map values (measured: by up to 21 % of the scale on the quick model's 24 photos).
MAP_TOLERANCE = 0.25
MAP_TOLERANCE_ONNXRUNTIME = 1e-3  # the browser against onnxruntime in Python, the same file
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
DESCRIPTIONS = ("model4.json", "model4.schema.json", "runtime.json")  # what the page reads before the reader asks


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


class Widget:
    """A page with the widget in it, served from 127.0.0.1; requests elsewhere are blocked and recorded."""

    def __init__(self, browser, server, model_url=None, metadata_url=None, scheme="light", **context):
        self.server = server
        self.errors: list[str] = []  # uncaught exceptions in the page
        self.outside: list[str] = []  # requests to anywhere but the local server
        self.context = browser.new_context(**context)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(server.add_post(model_url, metadata_url, scheme))
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
    """The runtime and model files that the page requested so far (not the small descriptions)."""
    return [path for path in server.requests if path.endswith((".onnx", ".mjs", ".gz", ".wasm"))]


def jpeg_bytes(pixels, quality=90, exif=None) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, format="JPEG", quality=quality, **({"exif": exif} if exif else {}))
    return buffer.getvalue()


# --- The post's fragment -------------------------------------------------------------------------

def test_one_post_holds_the_widget_in_a_small_local_fragment():
    """One raw HTML cell of one post holds the widget; its URLs, relative to the post's page, are
    the widget's files and the committed model; nothing refers to another site."""
    cells = widget_cells()
    assert len(cells) == 1, f"exactly one raw cell of one post must hold <div class=\"cdc\">; found {len(cells)}"
    # (That Quarto passes the cell through as HTML is checked on the rendered site: tests/test_rendered_site.py.)
    page, fragment = widget_post()
    assert len(fragment) < 600, "keep the fragment tiny: the widget builds itself in classifier.js"
    named = dict(re.findall(r'(href|src|data-model|data-metadata)="([^"]+)"', fragment))
    on_site = {attribute: urljoin(page, url) for attribute, url in named.items()}
    committed = {"data-model": COMMITTED_MODEL, "data-metadata": COMMITTED_METADATA}
    for attribute, file in committed.items():
        assert on_site.get(attribute) == "/" + file.relative_to(ROOT).as_posix(), (
            f"the post's {attribute} ({named.get(attribute)}) is not the committed {file.relative_to(ROOT)}")
    assert on_site.get("src") == "/posts/widget/classifier.js" and on_site.get("href") == "/posts/widget/classifier.css"
    assert '<script type="module"' in fragment
    for file in sorted(WIDGET_DIR.glob("*.*")):
        text = file.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, (
            f"posts/widget/{file.name} refers to another site: the widget must work offline, from this site only")


def test_widget_javascript_units():
    """node --test runs the tests of the widget's pure modules (tests/widget_js/*.test.mjs)."""
    tests = sorted((ROOT / "tests" / "widget_js").glob("*.test.mjs"))
    assert tests, "no JavaScript unit tests found"
    result = subprocess.run(["node", "--test", *map(str, tests)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    print(result.stdout[-600:])
    assert result.returncode == 0, f"node --test failed:\n{result.stdout[-4000:]}{result.stderr[-2000:]}"


# --- The widget in Chromium -----------------------------------------------------------------------

def test_nothing_is_downloaded_until_the_reader_asks(runtime_copied, exported, browser, test_photos):
    """Before the reader asks, the page reads only the small descriptions, and says the download's
    real size (the runtime's files and the model, from their descriptions); then it shows the progress."""
    runtime = json.loads((WIDGET_DIR / "ort" / "runtime.json").read_text())
    size = sum(file["bytes"] for file in runtime["files"]) + exported[1].stat().st_size
    with WidgetServer(exported[0]) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        widget.page.wait_for_function("document.querySelector('.cdc').dataset.downloadBytes !== undefined")
        time.sleep(0.5)
        assert downloads(server) == [], f"the page downloaded {downloads(server)} before the reader asked"
        assert sorted(Path(path).name for path in server.requests if not path.endswith(".html")) == sorted(
            DESCRIPTIONS + ("classifier.css", "classifier.js", "model.js", "photo.js", "classmap.js", "description.js"))
        assert int(widget.page.get_attribute(".cdc", "data-download-bytes")) == size
        stated = f"({size / 1e6:.1f} MB)"
        assert widget.page.inner_text(".cdc-load") == f"Load the model first {stated}"
        assert stated in widget.page.inner_text(".cdc-privacy")
        assert widget.page.is_visible(".cdc-load") and widget.page.is_hidden(".cdc-progress")
        result = widget.choose("cat.png", "image/png", png_bytes(test_photos[0][1]))
        assert result["state"] == "done", result
        assert {"/posts/widget/ort/ort-wasm-simd-threaded.wasm.gz", "/exported/model4.onnx"} <= set(downloads(server))
        assert result["received_bytes"] == size, "the progress counted another size than it announced"
        assert widget.page.is_hidden(".cdc-progress"), "the progress bar stays only while downloading"
        widget.close()

    with WidgetServer(exported[0]) as server:  # the other way to ask: the button; the progress while it loads
        release = server.hold("/exported/model4.onnx")
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        widget.page.wait_for_function("document.querySelector('.cdc').dataset.downloadBytes !== undefined")
        assert downloads(server) == []
        widget.page.click(".cdc-load")
        widget.page.wait_for_function("document.querySelector('.cdc').dataset.receivedBytes > 0")
        assert widget.page.is_visible(".cdc-progress") and widget.page.is_hidden(".cdc-load")
        assert re.fullmatch(rf"[\d.]+ MB of {size / 1e6:.1f} MB", widget.page.inner_text(".cdc-progress-text"))
        assert report(widget.page)["message"] == f"Loading the model ({size / 1e6:.1f} MB, only this once)…"
        release.set()
        widget.page.wait_for_function("document.querySelector('.cdc').dataset.runs === '1'", timeout=60_000)
        state = report(widget.page)
        assert state["state"] == "idle" and "ready" in state["message"], state
        assert "/exported/model4.onnx" in downloads(server) and widget.page.is_hidden(".cdc-load")
        widget.close()


def test_focus_after_load_the_model_first(runtime_copied, exported, browser):
    """The button hides once pressed: the focus moves to "Choose a photo", not to the page's <body>."""
    with WidgetServer(exported[0]) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        widget.page.focus(".cdc-load")
        widget.page.keyboard.press("Enter")
        focused = widget.page.evaluate("document.activeElement.className")
        assert focused == "cdc-input", f"after pressing the button the focus is on {focused!r}"
        widget.page.wait_for_function("document.querySelector('.cdc').dataset.runs === '1'", timeout=60_000)
        assert widget.page.evaluate("document.activeElement.className") == "cdc-input"
        widget.close()


def run_axe(page):
    """axe-core's serious and critical violations in the widget (as tests/support/site_audit.py runs it on the site)."""
    assert AXE_SCRIPT.is_file(), f"axe-core is missing ({AXE_SCRIPT}): run `npm ci`"
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate("""async () => {
        const results = await axe.run(document.querySelector('.cdc'), {resultTypes: ['violations']});
        return results.violations.map((v) => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ': ' + (n.failureSummary || ''))}));
    }""")
    return [violation for violation in violations if violation["impact"] in SERIOUS]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_state_passes_axe(runtime_copied, exported, browser, test_photos, scheme):
    """Before, while loading, after a photo and after an error, in the site's light and dark
    colours: no serious or critical axe-core violation (contrast, names, roles)."""
    found = {}
    with WidgetServer(exported[0]) as server:
        release = server.hold("/exported/model4.onnx")
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json", scheme=scheme)
        widget.page.wait_for_function("document.querySelector('.cdc').dataset.downloadBytes !== undefined")
        found["before"] = run_axe(widget.page)
        widget.page.click(".cdc-load")
        widget.page.wait_for_function("document.querySelector('.cdc').dataset.receivedBytes > 0")
        found["loading"] = run_axe(widget.page)
        release.set()
        widget.page.wait_for_function("document.querySelector('.cdc').dataset.runs === '1'", timeout=60_000)
        result = widget.choose("cat.png", "image/png", png_bytes(test_photos[0][1]))
        assert result["state"] == "done" and widget.page.is_visible(".cdc-map-key")
        found["after a photo"] = run_axe(widget.page)
        widget.page.screenshot(path=str(Path(os.environ.get("WIDGET_SCREENSHOTS", "/tmp")) / f"widget-{scheme}-done.png"))
        result = widget.choose("notes.txt", "text/plain", b"not a photo")
        assert result["state"] == "error"
        found["after an error"] = run_axe(widget.page)
        widget.close()
    assert not any(found.values()), f"{scheme} mode: {found}"


def drawn_map(page):
    """The map canvas's pixels as the page drew them: [height, width, 4] uint8 (RGBA)."""
    width, height, data = page.evaluate("""() => {
        const canvas = document.querySelector('.cdc-map');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        return [canvas.width, canvas.height, Array.from(data)];
    }""")
    return np.array(data, np.uint8).reshape(height, width, 4)


def onnxruntime_outputs(onnx_path, images):
    """(probabilities, maps) that onnxruntime gives in Python for `images` with the file `onnx_path`."""
    import onnxruntime

    metadata = json.loads(Path(onnx_path).with_suffix(".json").read_text())
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    logits, maps = session.run([metadata["output"]["name"], metadata["class_map"]["name"]],
                               {metadata["input"]["name"]: np.asarray(images, np.float32)})
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    return probabilities / probabilities.sum(axis=1, keepdims=True), maps


def test_browser_agrees_with_keras(runtime_copied, quick_model, exported, browser, test_photos):
    """Each photo as a 160x160 PNG in the page, and the same pixels through Keras and through
    onnxruntime in Python: Keras's label and map (within the compact weights' tolerance), the
    file's probabilities and map exactly, and the map drawn over the photo as Python draws it.
    (On this quick model, whose untrained head leaves some photos near 50 %, the 8-bit weights
    give another class than Keras for a few of the 24 photos; the browser gives the file's.)"""
    from catsdogs import cam, map_drawing

    images = np.stack([pixels for _, pixels in test_photos]).astype(np.float32)
    logits = quick_model.predict(images, verbose=0)
    keras_probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    keras_probabilities /= keras_probabilities.sum(axis=1, keepdims=True)
    keras_maps = cam.class_maps(quick_model, images)
    expected, onnx_maps = onnxruntime_outputs(exported[1], images)
    metadata = json.loads(exported[2].read_text())
    scale = metadata["class_map"]["scale"]
    largest, largest_keras, largest_map, largest_drawn, keras_disagreements, maps_drawn = 0.0, 0.0, 0.0, 0, 0, 0
    with WidgetServer(exported[0]) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        for (path, pixels), wanted, keras_wanted, keras_map, onnx_map in zip(
                test_photos, expected, keras_probabilities, keras_maps, onnx_maps):
            name = Path(path).name
            result = widget.choose(name.replace(".jpg", ".png"), "image/png", png_bytes(pixels))
            assert result["state"] == "done", f"{name}: {result}"
            assert result["input_value"] == "", "the file input must be reset after each photo"
            browser_probabilities = np.array(result["probabilities"])
            difference = np.abs(browser_probabilities - wanted).max()
            largest = max(largest, difference)
            largest_keras = max(largest_keras, np.abs(browser_probabilities - keras_wanted).max())
            assert difference < PROBABILITY_TOLERANCE, f"{name}: browser {browser_probabilities}, onnxruntime {wanted}"
            label = ["cat", "dog"][int(wanted.argmax())]
            assert result["label"] == label, f"{name}: browser says {result['label']}, onnxruntime {label}"
            assert result["answer"].startswith(label + ", ") and result["answer"].endswith("%")
            keras_disagreements += int(keras_wanted.argmax() != wanted.argmax())

            browser_map = np.array(result["class_map"], np.float32).reshape(keras_map.shape)
            assert np.abs(browser_map - onnx_map).max() < MAP_TOLERANCE_ONNXRUNTIME, f"{name}: the map differs from onnxruntime's"
            map_difference = np.abs(browser_map - keras_map).max()
            largest_map = max(largest_map, map_difference)
            assert map_difference < MAP_TOLERANCE * scale, (
                f"{name}: the browser's map differs from Keras's by {map_difference:.3f} (scale {scale:.3f})")
            assert widget.page.is_visible(".cdc-map") and widget.page.is_visible(".cdc-map-key")
            if maps_drawn >= MIN_MAP_PHOTOS:
                continue
            # What the page drew, against what catsdogs.map_drawing draws from the same map (the first photos).
            maps_drawn += 1
            wanted_rgba = map_drawing.overlay_rgba(cam.upsample(cam.evidence_for(browser_map, 1)), scale) * 255
            drawn = drawn_map(widget.page).astype(np.float32)
            alpha_difference = np.abs(drawn[..., 3] - wanted_rgba[..., 3]).max()
            strong = wanted_rgba[..., 3] > 64  # colours read back from a canvas are exact only where opaque enough
            colour_difference = np.abs(drawn[strong][:, :3] - wanted_rgba[strong][:, :3]).max() if strong.any() else 0
            largest_drawn = max(largest_drawn, alpha_difference, colour_difference)
            assert alpha_difference <= 2 and colour_difference <= 4, (
                f"{name}: the drawn map differs from catsdogs.cam's: opacity by {alpha_difference}, "
                f"colour by {colour_difference} (of 255)")
        assert strong.any(), "the last map compared is too faint to check its colours"
        widget.page.click(".cdc-map-switch")  # the reader turns the map off
        assert widget.page.is_hidden(".cdc-map") and widget.page.is_visible(".cdc-canvas")
        widget.close()
    # As the export's check allows (tests/widget_harness.py: QUICK_MAX_DISAGREEMENT).
    assert keras_disagreements <= metadata["check"]["max_disagreement"] * N_PHOTOS, (
        f"the browser gives another class than Keras for {keras_disagreements} photos")
    print(f"{N_PHOTOS} photos, browser vs. onnxruntime: largest probability difference {largest:.2e}; vs. Keras "
          f"{largest_keras:.2e}, map {largest_map:.2e} (scale {scale:.2f}); drawn map vs. catsdogs.cam "
          f"{largest_drawn:.0f} of 255")


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
    metadata["class_map"]["colours"] = ["purple", "#e66101"]  # not the form the schema asks for
    (tmp_path / "model4.json").write_text(json.dumps(metadata))
    with WidgetServer(tmp_path) as server:
        widget = Widget(browser, server, "/exported/model4.onnx", "/exported/model4.json")
        result = widget.choose("photo.png", "image/png", png_bytes(test_photos[0][1]))
        assert result["state"] == "error" and "model4.json) does not fit the widget" in result["message"], result
        assert "class_map.colours[0]" in result["message"] and downloads(server) == [], result
        widget.close()
    metadata["class_map"]["colours"] = ["#5e3c99", "#e66101"]
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
        start_busy_probe(widget.page)
        result = widget.choose("huge.jpg", "image/jpeg", huge)
        # The longest the page's main thread was busy while the widget handled the photo (not while
        # Playwright handed the 7 MB file to the page, which blocks it too, but is no reader's case).
        started_at = float(widget.page.get_attribute(".cdc", "data-started-at"))
        probe = busy_probe_result(widget.page, started_at, started_at + result["total_ms"])
        longest_gap = probe["longestGapMs"]
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
            assert downloads(server) == [], "no runtime or model download without WebAssembly"
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
        page.goto(server.add_post("/exported/model4.onnx", "/exported/model4.json"))
        page.wait_for_function("document.querySelector('.cdc').dataset.state === 'idle'")
        assert page.is_visible(".cdc-camera") and page.get_attribute(".cdc-camera input", "capture") == "environment"
        assert page.get_attribute(".cdc-camera input", "accept") == "image/*"
        phone.close()


# --- The committed model (from the full run) -------------------------------------------------------

def test_committed_model(runtime_copied, browser, test_photos):
    """The committed model in the page exactly as the post includes it: the same answers and maps as
    onnxruntime gives in Python for the same pixels."""
    images = np.stack([pixels for _, pixels in test_photos]).astype(np.float32)
    expected, maps = onnxruntime_outputs(COMMITTED_MODEL, images)
    labels = json.loads(COMMITTED_METADATA.read_text())["labels"]
    with WidgetServer() as server:
        widget = Widget(browser, server)  # the page exactly as the post includes it
        for (path, pixels), wanted, photo_map in zip(test_photos, expected, maps):
            result = widget.choose("photo.png", "image/png", png_bytes(pixels))
            assert result["state"] == "done", result
            assert result["label"] == labels[int(wanted.argmax())], f"{Path(path).name}: {result}"
            assert np.abs(np.array(result["probabilities"]) - wanted).max() < PROBABILITY_TOLERANCE
            assert widget.page.is_visible(".cdc-map")
            browser_map = np.array(result["class_map"]).reshape(photo_map.shape)
            assert np.abs(browser_map - photo_map).max() < MAP_TOLERANCE_ONNXRUNTIME, f"{Path(path).name}: map differs"
        widget.close()
