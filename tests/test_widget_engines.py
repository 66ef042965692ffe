"""The in-browser classifier in three browser engines: Chromium, Firefox and WebKit.

The post's own fragment (the raw cell that holds `<div class="cdc">`) with the committed model
(run/model4.onnx), served on 127.0.0.1, in each engine (tests/widget_engines.py drives them):

- the keyboard alone loads the model: Tab reaches "Load the model first", Enter presses it, and
  the focus then moves to "Choose a photo" (not to the page's <body>);
- 24 photos of the test split (160x160 PNGs, so that no browser resizes them) get the same class
  as onnxruntime gives in Python for the same pixels, and probabilities within 0.01 of it and of
  Chromium's; the class map is drawn over each photo;
- a file that is not an image and an empty file get a clear message, and the next photo works.

One page load per engine, the photos classified in one go. A missing engine skips its test
with a message, except when the environment variable CI is set: then it fails.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from widget_engines import ENGINES, missing, run_engine

from widget_harness import COMMITTED_METADATA, COMMITTED_MODEL, WidgetServer, missing_runtime, png_bytes, split_photos

# One process renders the site (or starts each engine) once for all these tests (`make test` runs
# the tests in several processes, pytest-xdist --dist loadgroup).
pytestmark = pytest.mark.xdist_group("engines")

PROBABILITY_TOLERANCE = 0.01


def engine_or_skip(engine):
    problem = missing(engine)
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{problem} (CI is set: every engine's test must run there)")
    pytest.skip(problem)


@pytest.fixture(scope="module")
def served():
    """The post's page and the photos on a local server: (server, page URL, photos for the check)."""
    missing_files = missing_runtime()
    assert not missing_files, f"the runtime is not in posts/widget/ort/ (missing {missing_files}): run `make widget`"
    with WidgetServer() as server:
        photos = []
        for index, (path, pixels) in enumerate(split_photos()):
            name = f"{index:02d}-{os.path.basename(path).replace('.jpg', '.png')}"
            photos.append({"name": name, "url": server.add_file(f"/photos/{name}", png_bytes(pixels)), "type": "image/png"})
        yield server, server.add_post(), photos


@pytest.fixture(scope="module")
def reference():
    """onnxruntime's probabilities (in Python) for the same pixels, with the committed model."""
    import onnxruntime

    metadata = json.loads(COMMITTED_METADATA.read_text())
    session = onnxruntime.InferenceSession(str(COMMITTED_MODEL), providers=["CPUExecutionProvider"])
    images = np.stack([pixels for _, pixels in split_photos()]).astype(np.float32)
    logits = session.run([metadata["output"]["name"]], {metadata["input"]["name"]: images})[0]
    probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
    return probabilities / probabilities.sum(axis=1, keepdims=True), metadata["labels"]


_results: dict[str, dict] = {}


def result_of(engine, served):
    """Each engine runs once per test session (the comparison with Chromium reuses its result)."""
    if engine not in _results:
        _results[engine] = run_engine(engine, served[1], served[2])
    return _results[engine]


@pytest.mark.parametrize("engine", ENGINES)
def test_widget_in_engine(engine, served, reference):
    engine_or_skip(engine)
    expected, labels = reference
    assert np.ptp(expected[:, 1]) > 0.5, "the reference answers are all alike: the photos would test nothing"
    result = result_of(engine, served)
    check, keyboard = result["check"], result["keyboard"]
    photos = check["photos"]
    largest = max(np.abs(np.array(photo["probabilities"]) - wanted).max() for photo, wanted in zip(photos, expected))
    print(f"\n{engine} ({result['version']}): {result['seconds']:.1f} s in all, model ready {keyboard['readyMs']:.0f} ms "
          f"after Enter, {len(photos)} photos in {check['photosMs']:.0f} ms; largest probability difference "
          f"from onnxruntime {largest:.1e}; labels {[photo['label'] for photo in photos]}")

    # The keyboard alone: Tab to the button, Enter, and the focus on "Choose a photo" after it.
    assert keyboard["reached"], f"{engine}: {keyboard['tabs']} presses of Tab never reached “Load the model first”"
    assert keyboard["state"] == "idle" and "ready" in keyboard["message"], f"{engine}: after Enter: {keyboard}"
    assert keyboard["focused"] == "cdc-input", f"{engine}: after loading, the focus is on {keyboard['focused']}, not the photo input"

    assert len(photos) == len(expected)
    for photo, wanted in zip(photos, expected):
        assert photo["state"] == "done", f"{engine}, {photo['name']}: {photo['message']}"
        assert photo["label"] == labels[int(wanted.argmax())], f"{engine}, {photo['name']}: {photo['label']} vs. {wanted}"
        difference = np.abs(np.array(photo["probabilities"]) - wanted).max()
        assert difference < PROBABILITY_TOLERANCE, f"{engine}, {photo['name']}: {photo['probabilities']} vs. {wanted}"
        assert photo["answer"].startswith(photo["label"] + ", ")
        assert photo["mapShown"] and photo["mapKeyShown"] and photo["mapAlpha"] > 0, f"{engine}, {photo['name']}: no map drawn"
    if engine != "chromium" and missing("chromium") is None:
        chromium = result_of("chromium", served)["check"]["photos"]
        for photo, other in zip(photos, chromium):
            assert photo["label"] == other["label"], f"{engine} and Chromium disagree on {photo['name']}"
            assert np.abs(np.array(photo["probabilities"]) - other["probabilities"]).max() < PROBABILITY_TOLERANCE

    not_image, empty = check["bad"]
    assert not_image["state"] == "error" and "“notes.txt” is not an image" in not_image["message"], not_image
    assert empty["state"] == "error" and "“empty.jpg” is empty" in empty["message"], empty
    assert not_image["messageShown"] and empty["messageShown"]
    assert check["again"]["state"] == "done" and check["again"]["label"] == photos[0]["label"], check["again"]
    assert not result["errors"], f"{engine}: errors in the page: {result['errors']}"
