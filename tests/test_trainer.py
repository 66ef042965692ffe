"""Post 05's trainer in the page (posts/widget/trainer.js, head.js), tested against catsdogs/head.py.

What is checked:
- head.js's constants (steps, learning rate, L2, photos per class) are head.py's, and head.js
  computes what head.py computes (node runs it on the same features: losses, accuracies,
  probabilities, raw weights, class map, leave-one-out);
- in Chromium, on the post's own fragment with a model exported HERE from the quick-mode model4
  (tests/widget_harness.py) and sample photos written by catsdogs.photos from the test Keras
  cache: "Use sample photos" then Train gives, for every photo, the probabilities (final head
  and leave-one-out) that head.py gives on onnxruntime's features of the same PNGs, within 1e-3;
  and a new photo's probability and class map are head.py's;
- nothing heavy is fetched before the reader asks (the sample photos only on their button);
- bad input: fewer than 2 photos in a box, the same photo in both boxes, a file that is not an
  image, an empty file, a 6000x4500 photo, Train pressed while training, empty or equal labels:
  each a clear message, and the page keeps working;
- the keyboard, and axe-core (no serious or critical violation) before, while loading, after
  training, after a new photo and after an error, in the site's light and dark colours.

Needs what tests/test_widget.py needs (Debian's chromium, Playwright, the runtime in
posts/widget/ort/, axe-core from npm ci) and node for the head.js checks.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from widget_harness import (
    COMMITTED_MODEL,
    ROOT,
    SHARES_THE_QUICK_MODEL4,
    WIDGET_DIR,
    WidgetServer,
    busy_probe_result,
    committed_model_on_the_splits,
    missing_runtime,
    phone_sized_jpeg,
    png_bytes,
    quick_export,
    split_photos,
    start_busy_probe,
    trainer_add,
    trainer_do,
    trainer_page,
    trainer_post,
    trainer_report,
    trainer_wait,
)

HEAD_JS = WIDGET_DIR / "head.js"
PROBABILITY_TOLERANCE = 1e-3  # the page's head against head.py's (issue 25)
MAP_TOLERANCE = 1e-2  # a class map cell (logit units) against head.py's, on onnxruntime's features
# While the trainer trains, the page returns to its event loop between photos, steps and folds, at
# least every 30 ms of work (trainer.js's pause), so the longest time its main thread stays busy is a
# small share of the whole training, however fast or loaded the machine (about 6 % here). Without
# those pauses it stayed busy for the whole training at once (checked on purpose: 1352 of 1316 ms).
MAX_BUSY_SHARE = 1 / 3
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
HEAVY = (".onnx", ".mjs", ".gz", ".wasm")
MODEL = ("/exported/model4.onnx", "/exported/model4.json")
PHOTOS_URL = "/photos/photos.json"
PUBLISHED_PHOTOS = ROOT / "run" / "figures" / "trainer-photos"  # written by the full run (post 05)
MIN_VALIDATION_SCORE = 0.94  # issue 25's goal for the published head


# --- head.js against head.py, without a browser ------------------------------------------------------

def test_head_js_constants_are_head_py_constants():
    from catsdogs import head

    text = HEAD_JS.read_text(encoding="utf-8")
    for name in ("STEPS", "LEARNING_RATE", "L2", "PER_CLASS"):
        match = re.search(rf"^export const {name} = ([0-9.e-]+);", text, re.M)
        assert match, f"head.js has no `export const {name} = <number>;`"
        assert float(match.group(1)) == getattr(head, name), (
            f"head.js's {name} is {match.group(1)}, head.py's {getattr(head, name)}: the page would train another head")


def run_head_js(script: str, data: dict) -> dict:
    """Run `script` (an ES module body with `head` = head.js and `data` = the given JSON) in node."""
    module = (f"import * as head from {json.dumps(HEAD_JS.as_uri())};\n"
              f"const data = JSON.parse(await new Promise((resolve) => {{ let text = '';\n"
              f"  process.stdin.on('data', (chunk) => text += chunk); process.stdin.on('end', () => resolve(text)); }}));\n"
              f"{script}")
    result = subprocess.run(["node", "--input-type=module", "-e", module], input=json.dumps(data),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_head_js_computes_what_head_py_computes():
    """On the same features (made up, with a feature that never varies), node's head.js gives
    head.py's losses, accuracies, probabilities, raw weights, class map and leave-one-out."""
    from catsdogs import head

    rng = np.random.default_rng(0)
    count, channels = 12, 1280
    labels = np.array([0] * 6 + [1] * 6)
    maps = rng.gamma(0.5, 1.0, size=(count, 5, 5, channels)).astype(np.float32)
    maps[labels == 1, :, :, :40] += 0.8  # something to learn
    maps[:, :, :, 7] = 0.25  # a feature that never varies (scale 1)
    features = head.pooled(maps)
    wanted = head.train_head(features, labels)
    weights, bias = head.raw_weights(wanted)
    got = run_head_js("""
        const features = data.maps.map((map) => head.pooled(Float32Array.from(map), data.channels));
        const trained = head.trainHead(features, data.labels);
        const raw = head.rawWeights(trained);
        console.log(JSON.stringify({losses: trained.losses, accuracies: trained.accuracies,
            probabilities: head.probabilities(trained, features), weights: Array.from(raw.weights), bias: raw.bias,
            map: Array.from(head.classMap(trained, Float32Array.from(data.maps[0]))),
            heldOut: head.leaveOneOut(features, data.labels), interval: head.wilsonInterval(38, 40)}));
    """, {"maps": maps.reshape(count, -1).tolist(), "labels": labels.tolist(), "channels": channels})
    from catsdogs.stats import wilson_interval

    assert len(got["losses"]) == head.STEPS
    np.testing.assert_allclose(got["losses"], wanted.losses, atol=1e-9)
    np.testing.assert_array_equal(got["accuracies"], wanted.accuracies)
    np.testing.assert_allclose(got["probabilities"], head.probabilities(wanted, features), atol=1e-9)
    np.testing.assert_allclose(got["weights"], weights, rtol=1e-9, atol=1e-12)
    assert abs(got["bias"] - bias) < 1e-9
    np.testing.assert_allclose(got["map"], head.class_map(wanted, maps[0]).ravel(), atol=1e-7)
    np.testing.assert_allclose(got["heldOut"], head.leave_one_out(features, labels), atol=1e-9)
    np.testing.assert_allclose(got["interval"], wilson_interval(38, 40), atol=1e-12)
    assert wanted.losses[-1] < wanted.losses[0] and wanted.accuracies[-1] == 1.0, "nothing was learnt: a weak check"


# --- Fixtures for the page ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def runtime_copied():
    missing = missing_runtime()
    assert not missing, f"The ONNX runtime is not in posts/widget/ort/ (missing {missing}): run `npm ci`"


@pytest.fixture(scope="module")
def exported():
    """(folder, model4.onnx, model4.json) exported from the quick-mode model4 (with the features output)."""
    export = quick_export()
    assert "features" in json.loads(export.json_path.read_text()), "the export has no features output"
    return export.onnx_path.parent, export.onnx_path, export.json_path


@pytest.fixture(scope="module")
def sample_photos(tmp_path_factory):
    """The sample photos as post 05 writes them (catsdogs.photos, from the test Keras cache's
    training folder): (folder, photos.json's content)."""
    from catsdogs import head, photos
    from catsdogs.data import find_data

    folder = tmp_path_factory.mktemp("trainer-photos")
    pixels, labels, names = photos.sample_photos(os.path.join(find_data(), "train"), ["cats", "dogs"], head.PER_CLASS)
    photos.save_sample_photos(pixels, labels, names, ["cats", "dogs"], folder)
    return folder, json.loads((folder / "photos.json").read_text())


class Trainer:
    """A page with the trainer in it, served from 127.0.0.1; requests elsewhere are blocked."""

    def __init__(self, browser, server, photos_dir=None, scheme="light", model=MODEL, **context):
        self.server = server
        if photos_dir is not None:
            server.folders["/photos/"] = Path(photos_dir)
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context = browser.new_context(**context)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        page_path, fragment = trainer_post()
        self.page.goto(server.add_page(page_path, trainer_page(fragment, *model, PHOTOS_URL, scheme)))
        self.page.wait_for_function("document.querySelector('.cdt') && document.querySelector('.cdt').dataset.downloadBytes")

    def _route(self, route):
        if route.request.url.startswith(self.server.base + "/"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def do(self, action, timeout_ms=180_000):
        return trainer_do(self.page, action, timeout_ms)

    def click(self, selector, timeout_ms=180_000):
        return self.do(lambda: self.page.click(selector), timeout_ms)

    def add(self, box, files):
        return trainer_add(self.page, box, files)

    def new_photo(self, name, mime, data):
        return self.do(lambda: self.page.locator(".cdt-new-input").set_input_files(
            {"name": name, "mimeType": mime, "buffer": data}))

    def close(self):
        assert not self.errors, f"uncaught errors in the page: {self.errors}"
        assert not self.outside, f"the page tried to fetch from outside this site: {self.outside}"
        self.context.close()


def heavy(server):
    return [path for path in server.requests if path.endswith(HEAVY)]


def onnx_feature_maps(onnx_path, files):
    """onnxruntime's feature maps [N, 5, 5, 1280] of the PNG files, read by PIL as float32."""
    from PIL import Image

    from catsdogs.onnx_export import run_onnx

    images = np.stack([np.asarray(Image.open(file).convert("RGB"), np.float32) for file in files])
    return run_onnx(onnx_path, images, features=True)[2]


# --- The trainer in Chromium --------------------------------------------------------------------------

# The words of the trained head's plot that the SVG's edges cut off (a JavaScript expression, run
# in the page in every engine).
PLOT_WORDS_CUT_OFF = """(() => {
    const chart = document.querySelector('.cdt-chart').getBoundingClientRect();
    return [...document.querySelectorAll('.cdt-chart text')].filter((text) => {
        const box = text.getBoundingClientRect();
        return box.left < chart.left - 0.5 || box.right > chart.right + 0.5;
    }).map((text) => text.textContent);
})()"""


@SHARES_THE_QUICK_MODEL4
def test_page_head_is_the_numpy_head(runtime_copied, exported, sample_photos, browser):
    """The sample photos and Train in the page; head.py on onnxruntime's features of the same PNGs:
    the same probabilities for every photo (the final head's and leave-one-out's), the same losses,
    and for a new photo the same probability and class map."""
    from catsdogs import head

    folder, listing = sample_photos
    ordered = sorted(listing["photos"], key=lambda photo: photo["label"])  # the boxes' order: box 0, then box 1
    maps = onnx_feature_maps(exported[1], [folder / photo["file"] for photo in ordered])
    labels = np.array([photo["label"] for photo in ordered])
    features = head.pooled(maps)
    wanted = head.train_head(features, labels)
    with WidgetServer(exported[0]) as server:
        trainer = Trainer(browser, server, folder)
        assert heavy(server) == [] and PHOTOS_URL not in server.requests, "fetched before the reader asked"
        result = trainer.click(".cdt-sample")
        assert result["state"] == "idle" and result["photosInBoxes"] == [head.PER_CLASS] * 2, result
        assert PHOTOS_URL in server.requests and heavy(server), "the sample button fetches the photos and the model"
        assert trainer.page.input_value(".cdt-label >> nth=0") == "cat"
        start_busy_probe(trainer.page)
        result = trainer.click(".cdt-train")
        assert result["state"] == "trained", result
        probe = busy_probe_result(trainer.page)
        longest_gap = probe["longestGapMs"]
        # The page stays responsive because the work is sliced (MAX_BUSY_SHARE). The longest wait in
        # milliseconds depends on the machine and its load (about 130 ms idle; 1.2 s once in a CI run,
        # 4 test processes on 2 cores), so it is measured, not asserted: benchmarks/trainer_speed.py
        # reports it against its goal of 1 s.
        assert longest_gap < MAX_BUSY_SHARE * result["totalMs"], (
            f"the page's main thread stayed busy for {longest_gap:.0f} ms of the {result['totalMs']:.0f} ms of training")
        assert all(result[name] > 0 for name in ("featuresMs", "trainMs", "heldOutMs", "totalMs")), result
        probabilities = np.array(result["probabilities"])
        largest = np.abs(probabilities - head.probabilities(wanted, features)).max()
        assert largest < PROBABILITY_TOLERANCE, f"the page's head differs from head.py's by {largest:.2e}"
        held_out = np.array(result["heldOut"])
        wanted_held_out = head.leave_one_out(features, labels)
        largest_held_out = np.abs(held_out - wanted_held_out).max()
        assert largest_held_out < PROBABILITY_TOLERANCE, f"leave-one-out differs from head.py's by {largest_held_out:.2e}"
        right = int(((wanted_held_out > 0.5) == labels).sum())
        assert result["heldOutRight"] == right and f"{right} of {len(labels)}" in trainer.page.inner_text(".cdt-score")
        np.testing.assert_allclose(result["losses"], wanted.losses, atol=1e-4)
        assert len(result["accuracies"]) == head.STEPS
        weights, bias = head.raw_weights(wanted)
        page_head = result["head"]
        assert np.abs(features @ np.array(page_head["weights"]) + page_head["bias"]
                      - (features @ weights + bias)).max() < 0.01, "data-head is not the trained head"
        caption = trainer.page.inner_text(".cdt-plot-caption")
        assert f"{wanted.losses[0]:.3f}" in caption and f"{wanted.losses[-1]:.3f}" in caption, caption
        assert trainer.page.get_attribute(".cdt-chart", "role") == "img"
        outside = trainer.page.evaluate(f"() => {PLOT_WORDS_CUT_OFF}")
        assert outside == [], f"the plot cuts off {outside}"

        path, pixels = split_photos()[0]  # a photo of the test split: new to the head
        new_map = onnx_feature_maps(exported[1], [_png_file(folder, pixels)])[0]
        result = trainer.new_photo("new.png", "image/png", png_bytes(pixels))
        assert result["state"] == "trained", result
        second = head.probabilities(wanted, head.pooled(new_map[None]))[0]
        assert abs(result["newProbabilities"][1] - second) < PROBABILITY_TOLERANCE
        assert abs(sum(result["newProbabilities"]) - 1) < 1e-9
        page_map = np.array(result["newClassMap"])
        assert np.abs(page_map - head.class_map(wanted, new_map).ravel()).max() < MAP_TOLERANCE
        assert abs(page_map.mean() + bias - np.log(second / (1 - second))) < 0.01, "the map's mean + bias is not the logit"
        assert trainer.page.is_visible(".cdt-map") and trainer.page.is_visible(".cdt-answer")
        trainer.close()
    print(f"page vs head.py: probabilities {largest:.1e}, leave-one-out {largest_held_out:.1e} ({right} of {len(labels)} "
          f"right); features {result['featuresMs']:.0f} ms, training {result['trainMs']:.0f} ms, "
          f"leave-one-out {result['heldOutMs']:.0f} ms, new photo {result['newMs']:.0f} ms; main thread busy at most "
          f"{longest_gap:.0f} ms at a time (the timer ticked {probe['ticks']} times)")


@SHARES_THE_QUICK_MODEL4
def test_the_published_trainer_scores_its_head_on_the_validation_photos(runtime_copied, browser):
    """Issue 25's goal, on what the site publishes (run/: the committed model and the run's 40 sample
    photos): the head the page trains on the sample photos, applied to onnxruntime's features of
    the 800 validation photos, gets at least MIN_VALIDATION_SCORE of them right, and on every one
    gives head.py's probability (a head trained in NumPy on the same PNGs' features) within 1e-3."""
    from catsdogs import head, stats

    listing = json.loads((PUBLISHED_PHOTOS / "photos.json").read_text())
    ordered = sorted(listing["photos"], key=lambda photo: photo["label"])
    features = head.pooled(onnx_feature_maps(COMMITTED_MODEL, [PUBLISHED_PHOTOS / photo["file"] for photo in ordered]))
    wanted = head.train_head(features, np.array([photo["label"] for photo in ordered]))
    with WidgetServer() as server:
        trainer = Trainer(browser, server, PUBLISHED_PHOTOS, model=("/run/model4.onnx", "/run/model4.json"))
        trainer.click(".cdt-sample")
        result = trainer.click(".cdt-train")
        assert result["state"] == "trained", result
        trainer.close()
    labels, _, feature_maps = committed_model_on_the_splits()["validation"]
    validation_features = head.pooled(feature_maps)
    page_probabilities = 1 / (1 + np.exp(-(validation_features @ np.array(result["head"]["weights"])
                                           + result["head"]["bias"])))
    largest = np.abs(page_probabilities - head.probabilities(wanted, validation_features)).max()
    right = int(((page_probabilities > 0.5) == labels).sum())
    low, high = stats.wilson_interval(right, len(labels))
    print(f"the page's head on the {len(labels)} validation photos: {right} right ({right / len(labels):.1%}, "
          f"95% interval {low:.1%} to {high:.1%}); head.py's probabilities within {largest:.1e}")
    assert largest < PROBABILITY_TOLERANCE, f"the page's head differs from head.py's by {largest:.2e}"
    assert right >= MIN_VALIDATION_SCORE * len(labels), f"{right} of {len(labels)} right"


def _png_file(folder, pixels):
    path = Path(folder).parent / f"new-{os.getpid()}.png"
    path.write_bytes(png_bytes(pixels))
    return path


@SHARES_THE_QUICK_MODEL4
def test_bad_input_gets_a_clear_message(runtime_copied, exported, browser):
    photos = [png_bytes(pixels) for _, pixels in split_photos()]
    cats, dogs = photos[:3], photos[-3:]
    with WidgetServer(exported[0]) as server:
        trainer = Trainer(browser, server)
        page = trainer.page

        result = trainer.click(".cdt-train")  # no photos at all
        assert result["state"] == "error" and "Add at least 2 photos to each box" in result["message"], result
        assert heavy(server) == [], "nothing to train on: no download either"
        result = trainer.add(0, [("cat1.png", "image/png", cats[0])])
        assert result["state"] == "idle" and result["photosInBoxes"] == [1, 0], result
        result = trainer.add(1, [("dog1.png", "image/png", dogs[0]), ("dog2.png", "image/png", dogs[1])])
        result = trainer.click(".cdt-train")
        assert result["state"] == "error" and "Add at least 2 photos to each box (cat: 1, dog: 2)" in result["message"], result

        result = trainer.add(0, [("notes.txt", "text/plain", b"not a photo\n"), ("empty.jpg", "image/jpeg", b""),
                                 ("same-as-dog.png", "image/png", dogs[1]), ("cat2.png", "image/png", cats[1])])
        assert result["state"] == "error", result
        assert "“notes.txt” is not an image" in result["message"] and "“empty.jpg” is empty" in result["message"]
        assert ("“same-as-dog.png” is the same photo as “dog2.png” in the other box (dog)" in result["message"]
                and "Added 1 photo to cat." in result["message"]), result
        assert result["photosInBoxes"] == [2, 2]
        result = trainer.add(0, [("cat2-again.png", "image/png", cats[1])])
        assert "is the same photo as “cat2.png”, already in cat" in result["message"] and result["photosInBoxes"] == [2, 2]

        page.fill(".cdt-label >> nth=1", " ")
        result = trainer.click(".cdt-train")
        assert result["state"] == "error" and "The label of the second box is empty" in result["message"], result
        page.fill(".cdt-label >> nth=1", "Cat")
        result = trainer.click(".cdt-train")
        assert result["state"] == "error" and "the same label (“cat”)" in result["message"], result
        page.fill(".cdt-label >> nth=1", "dog")

        huge = phone_sized_jpeg(split_photos()[-1][0])
        result = trainer.add(1, [("huge.jpg", "image/jpeg", huge)])
        assert result["state"] == "idle" and result["photosInBoxes"] == [2, 3], result

        runs = result["runs"]
        # Pressed three times in a row (a double click and one more): the first trains, the others
        # are ignored while it trains (the button says so, and stays focusable).
        disabled = page.evaluate("""() => {
            const button = document.querySelector('.cdt-train');
            button.click();
            const disabled = button.getAttribute('aria-disabled');
            button.click();
            button.click();
            return disabled;
        }""")
        assert disabled == "true"
        result = trainer_wait(page, runs, 180_000)
        assert result["state"] == "trained" and len(result["probabilities"]) == 5, result
        time.sleep(0.5)
        assert trainer_report(page)["runs"] == runs + 1, "one press trained once; the others were ignored"
        assert page.get_attribute(".cdt-train", "aria-disabled") == "false"

        result = trainer.new_photo("notes.txt", "text/plain", b"still not a photo")
        assert result["state"] == "error" and "is not an image" in result["message"]
        result = trainer.new_photo("cat.png", "image/png", cats[2])
        assert result["state"] == "trained" and result["newProbabilities"], result

        page.click(".cdt-remove >> nth=0")  # removing a photo; then too few again
        assert trainer_report(page)["photosInBoxes"] == [1, 3]
        result = trainer.click(".cdt-train")
        assert result["state"] == "error" and "at least 2 photos" in result["message"]
        trainer.close()


@SHARES_THE_QUICK_MODEL4
def test_keyboard(runtime_copied, exported, sample_photos, browser):
    """Every control is reached with Tab and works with Enter or Space; the focus stays on Train
    while it trains, and moves to the next photo when a photo is removed."""
    with WidgetServer(exported[0]) as server:
        trainer = Trainer(browser, server, sample_photos[0])
        page = trainer.page
        page.focus(".cdt-label >> nth=0")
        order = []
        for _ in range(6):
            order.append(page.evaluate("document.activeElement.className"))
            page.keyboard.press("Tab")
        assert order == ["cdt-label", "cdt-input", "cdt-label", "cdt-input", "cdt-button cdt-sample",
                         "cdt-button cdt-train"], f"the Tab order is {order}"
        page.focus(".cdt-sample")
        result = trainer.do(lambda: page.keyboard.press("Enter"))
        assert result["photosInBoxes"] == [20, 20], result
        page.focus(".cdt-train")
        result = trainer.do(lambda: page.keyboard.press("Space"))
        assert result["state"] == "trained", result
        assert page.evaluate("document.activeElement.classList.contains('cdt-train')"), "the focus left Train"
        page.focus(".cdt-remove >> nth=0")
        page.keyboard.press("Enter")
        focused = page.evaluate("document.activeElement.getAttribute('aria-label') || document.activeElement.tagName")
        assert focused.startswith("Remove cat-02"), f"after removing a photo the focus is on {focused!r}, not the next photo's button"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('cdt-remove')")
        trainer.close()


@SHARES_THE_QUICK_MODEL4
def test_drop_photos_into_a_box(runtime_copied, exported, browser):
    """Photos dropped on a box go into that box; a drop without files says what to drop."""
    photos = [list(png_bytes(pixels)) for _, pixels in split_photos()[:2]]
    drop = """([photos, box]) => {
        const transfer = new DataTransfer();
        photos.forEach((bytes, i) => transfer.items.add(new File([new Uint8Array(bytes)], `dropped${i}.png`, {type: 'image/png'})));
        document.querySelectorAll('.cdt-box')[box].dispatchEvent(
            new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }"""
    with WidgetServer(exported[0]) as server:
        trainer = Trainer(browser, server)
        result = trainer.do(lambda: trainer.page.evaluate(drop, [photos, 1]))
        assert result["state"] == "idle" and result["photosInBoxes"] == [0, 2], result
        result = trainer.do(lambda: trainer.page.evaluate(drop, [[], 0]))
        assert result["state"] == "error" and "Drop photo files into a box" in result["message"], result
        trainer.close()


@SHARES_THE_QUICK_MODEL4
def test_model_that_cannot_be_downloaded(runtime_copied, exported, browser):
    """A missing model file: Train says so (with the server's answer), and the page still answers."""
    photos = [png_bytes(pixels) for _, pixels in split_photos()]
    with WidgetServer(exported[0]) as server:
        trainer = Trainer(browser, server, model=("/exported/missing.onnx", MODEL[1]))
        trainer.add(0, [(f"cat{i}.png", "image/png", photos[i]) for i in range(2)])
        result = trainer.add(1, [(f"dog{i}.png", "image/png", photos[-1 - i]) for i in range(2)])
        assert result["photosInBoxes"] == [2, 2], result
        for _ in range(2):  # tried again on the second press
            result = trainer.click(".cdt-train")
            assert result["state"] == "error" and "Could not download the model" in result["message"], result
            assert "404" in result["message"] and trainer.page.get_attribute(".cdt-train", "aria-disabled") == "false"
        assert server.requests.count("/exported/missing.onnx") >= 2
        trainer.close()


def run_axe(page):
    assert AXE_SCRIPT.is_file(), f"axe-core is missing ({AXE_SCRIPT}): run `npm ci`"
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate("""async () => {
        const results = await axe.run(document.querySelector('.cdt'), {resultTypes: ['violations']});
        return results.violations.map((v) => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ': ' + (n.failureSummary || ''))}));
    }""")
    return [violation for violation in violations if violation["impact"] in SERIOUS]


@SHARES_THE_QUICK_MODEL4
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_state_passes_axe(runtime_copied, exported, sample_photos, browser, scheme):
    found = {}
    shots = Path(os.environ.get("WIDGET_SCREENSHOTS", "/tmp"))
    with WidgetServer(exported[0]) as server:
        release = server.hold(MODEL[0])
        trainer = Trainer(browser, server, sample_photos[0], scheme=scheme, viewport={"width": 360, "height": 800})
        page = trainer.page
        found["before"] = run_axe(page)
        page.click(".cdt-sample")
        page.wait_for_function("document.querySelector('.cdt').dataset.receivedBytes > 0")
        assert page.is_visible(".cdt-progress") and re.fullmatch(r"[\d.]+ MB of [\d.]+ MB", page.inner_text(".cdt-progress-text"))
        found["loading"] = run_axe(page)
        release.set()
        trainer_wait(page, 0)
        result = trainer.click(".cdt-train")
        assert result["state"] == "trained", result
        found["trained"] = run_axe(page)
        result = trainer.new_photo("new.png", "image/png", png_bytes(split_photos()[0][1]))
        assert result["state"] == "trained", result
        found["after a new photo"] = run_axe(page)
        page.screenshot(path=str(shots / f"trainer-{scheme}-360.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(shots / f"trainer-{scheme}-1280.png"), full_page=True)
        page.fill(".cdt-label >> nth=1", "")
        result = trainer.click(".cdt-train")
        assert result["state"] == "error"
        found["after an error"] = run_axe(page)
        trainer.close()
    assert not any(found.values()), f"{scheme} mode: {found}"


# --- The same head in Firefox and WebKit -----------------------------------------------------------------
# Driven as tests/widget_engines.py drives the classifier (Firefox: puppeteer-core over WebDriver
# BiDi; WebKitGTK: Selenium under xvfb-run), with one check that runs in the page: "Use sample
# photos", then Train, then the trainer's report.

IN_THE_PAGE = """async () => {
    const root = document.querySelector('.cdt');
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    async function handled(button) {
        const runs = Number(root.dataset.runs);
        root.querySelector(button).click();
        const end = performance.now() + 240000;
        while (Number(root.dataset.runs) <= runs) {
            if (performance.now() > end) throw new Error('timed out after ' + button);
            await sleep(20);
        }
    }
    while (!root.dataset.downloadBytes) await sleep(20);
    await handled('.cdt-sample');
    await handled('.cdt-train');
    return {state: root.dataset.state, message: root.querySelector('.cdt-status').textContent,
            probabilities: JSON.parse(root.dataset.probabilities || 'null'),
            heldOut: JSON.parse(root.dataset.heldOut || 'null'), totalMs: Number(root.dataset.totalMs),
            plotWordsCutOff: """ + PLOT_WORDS_CUT_OFF + """};
}"""

FIREFOX_DRIVER = """
import puppeteer from "puppeteer-core";
const [executablePath, url, check] = process.argv.slice(1);
const browser = await puppeteer.launch({ browser: "firefox", executablePath, headless: true });
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector(".cdt"), { timeout: 60000 });
  const result = await page.evaluate(`(${check})()`);
  console.log(JSON.stringify({ ...result, errors }));
} finally {
  await browser.close();
}
"""

WEBKIT_DRIVER_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
from widget_engines import MINIBROWSER, WEBKIT_DRIVER
from selenium import webdriver
from selenium.webdriver.webkitgtk.options import Options
from selenium.webdriver.webkitgtk.service import Service
options = Options()
options.binary_location = MINIBROWSER
options.add_argument("--automation")
driver = webdriver.WebKitGTK(options=options, service=Service(executable_path=WEBKIT_DRIVER))
try:
    driver.set_script_timeout(300)
    driver.get(sys.argv[2])
    result = driver.execute_async_script("const done = arguments[arguments.length - 1];"
                                         f"({sys.argv[3]})().then(done, (error) => done({{failed: String(error)}}));")
    print(json.dumps({**result, "errors": []}))
finally:
    driver.quit()
"""


@SHARES_THE_QUICK_MODEL4
@pytest.mark.parametrize("engine", ["firefox", "webkit"])
def test_other_engines_train_the_same_head(runtime_copied, exported, sample_photos, engine):
    """Firefox and WebKitGTK train the head that head.py trains (within 1e-3 on every photo)."""
    import sys

    import widget_engines

    from catsdogs import head

    absent = widget_engines.missing(engine)
    if absent:
        if os.environ.get("CI"):
            pytest.fail(f"{engine} is missing: {absent} (CI is set: browser tests must run there)")
        pytest.skip(f"{engine} is missing: {absent}")
    folder, listing = sample_photos
    ordered = sorted(listing["photos"], key=lambda photo: photo["label"])
    features = head.pooled(onnx_feature_maps(exported[1], [folder / photo["file"] for photo in ordered]))
    labels = np.array([photo["label"] for photo in ordered])
    wanted = head.probabilities(head.train_head(features, labels), features)
    wanted_held_out = head.leave_one_out(features, labels)
    with WidgetServer(exported[0]) as server:
        server.folders["/photos/"] = Path(folder)
        page_path, fragment = trainer_post()
        url = server.add_page(page_path, trainer_page(fragment, *MODEL, PHOTOS_URL))
        if engine == "firefox":
            command = ["node", "--input-type=module", "-e", FIREFOX_DRIVER, widget_engines.FIREFOX, url, IN_THE_PAGE]
        else:
            command = ["xvfb-run", "-a", sys.executable, "-c", WEBKIT_DRIVER_SCRIPT, str(ROOT / "tests"), url, IN_THE_PAGE]
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"the {engine} driver failed:\n{run.stderr[-3000:]}"
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert not result["errors"] and result["state"] == "trained", result
    largest = np.abs(np.array(result["probabilities"]) - wanted).max()
    largest_held_out = np.abs(np.array(result["heldOut"]) - wanted_held_out).max()
    print(f"{engine}: probabilities {largest:.1e}, leave-one-out {largest_held_out:.1e}, trained in {result['totalMs']:.0f} ms")
    assert largest < PROBABILITY_TOLERANCE and largest_held_out < PROBABILITY_TOLERANCE, (largest, largest_held_out)
    assert result["plotWordsCutOff"] == [], f"{engine}: the plot cuts off {result['plotWordsCutOff']}"
