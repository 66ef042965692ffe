"""How fast is the photo classifier of post 06 in a browser? Measured in headless Chromium.

Three numbers, each the median of several tries, against the goals of the widget:

(a) model ready: from the reader's request (the "Load the model" button) until the model has
    been downloaded, loaded by onnxruntime-web and run once (goal: 2 s). A fresh browser
    context each time, with nothing cached. The files come from this machine (127.0.0.1), so
    this is the time the browser needs, without the network: over a real connection, add the
    download of about 23 MB (the first time only; then the browser's cache serves them);
(b) one photo: a 500x375 JPEG of the data set, from the file input to the answer on the page
    (decode, squash to the model's input size, run the model, show the bars and draw the class
    map over the photo, when model4.json declares one), the model being ready (goal: 100 ms);
(c) a 6000x4500 JPEG of about 10 MB (a phone photo's size), the same way (goal: 500 ms).

The times are the widget's own (performance.now(), reported in data-* attributes of the page).

Usage: python benchmarks/widget_speed.py [--model DIR] [--photo JPEG] [--tries N]
  --model DIR   folder with model4.onnx and model4.json (default: posts/widget/, the committed model)
  --photo JPEG  the photo for (b); (c) is it enlarged to 6000x4500 with fine grain (default: a photo of the data
                set, read from $KERAS_HOME/datasets/cats_and_dogs.zip)
Needs: Debian's chromium, Playwright's Python package, the runtime in posts/widget/ort/
(npm ci && python scripts/copy_runtime.py). Does not use TensorFlow.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from widget_harness import (  # noqa: E402
    FRAGMENT,
    TEST_PAGE,
    WIDGET_DIR,
    WidgetServer,
    choose_file,
    launch,
    missing_runtime,
    phone_sized_jpeg,
    widget_page,
)

GOALS_MS = {"model ready": 2000, "one photo": 100, "6000x4500 photo": 500}
ARCHIVE_PHOTO = "cats_and_dogs_filtered/validation/dogs/dog.2000.jpg"


def default_photo() -> bytes:
    from catsdogs import config  # the settings only: no TensorFlow

    archive = config.archive_path()
    if not os.path.exists(archive):
        sys.exit(f"No photo given and no data archive at {archive}: pass --photo PATH.JPG")
    with zipfile.ZipFile(archive) as files:
        return files.read(ARCHIVE_PHOTO)


def measure(model_dir: Path, photo: bytes, tries: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    huge = phone_sized_jpeg(photo)
    print(f"photo: {len(photo) / 1e3:.0f} kB; enlarged 6000x4500 JPEG: {len(huge) / 1e6:.1f} MB")
    times: dict[str, list[float]] = {name: [] for name in GOALS_MS}
    times["inference only"] = []
    fragment = FRAGMENT.read_text(encoding="utf-8")
    has_map = "class_map" in json.loads((model_dir / "model4.json").read_text())
    print(f"model: {model_dir / 'model4.onnx'} ({(model_dir / 'model4.onnx').stat().st_size / 1e6:.1f} MB), "
          + ("with its class map" if has_map else "without a class map (an older export)"))
    with WidgetServer(model_dir) as server, sync_playwright() as playwright:
        url = server.add_page(TEST_PAGE, widget_page(fragment, "/exported/model4.onnx", "/exported/model4.json"))
        browser = launch(playwright)
        for _ in range(tries):
            context = browser.new_context()  # nothing cached: every try downloads and compiles again
            page = context.new_page()
            page.goto(url)
            page.wait_for_function("document.querySelector('.cdc').dataset.state === 'idle'")
            page.click(".cdc-load")
            page.wait_for_function("document.querySelector('.cdc').dataset.runs === '1'", timeout=120_000)
            times["model ready"].append(float(page.get_attribute(".cdc", "data-model-ms")))
            for _ in range(3):
                result = choose_file(page, "photo.jpg", "image/jpeg", photo)
                assert result["state"] == "done", result
                assert (result["class_map"] is not None) == has_map, "the map should be drawn iff the model has one"
                times["one photo"].append(result["total_ms"])
                times["inference only"].append(result["inference_ms"])
            result = choose_file(page, "huge.jpg", "image/jpeg", huge)
            assert result["state"] == "done", result
            times["6000x4500 photo"].append(result["total_ms"])
            context.close()
        version = browser.version
        browser.close()
    print(f"Chromium {version}, headless, single-threaded WebAssembly, {os.cpu_count()} CPU cores")
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=WIDGET_DIR, help="folder with model4.onnx and model4.json")
    parser.add_argument("--photo", type=Path, help="a JPEG photo (default: one of the data set)")
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()
    if missing_runtime():
        sys.exit(f"The runtime is not in posts/widget/ort/ ({missing_runtime()} missing): "
                 f"npm ci && python scripts/copy_runtime.py")
    for name in ("model4.onnx", "model4.json"):
        if not (args.model / name).exists():
            sys.exit(f"{args.model / name} is missing: export the model first (catsdogs.onnx_export) or pass --model DIR")
    photo = args.photo.read_bytes() if args.photo else default_photo()
    times = measure(args.model, photo, args.tries)
    print(f"\n{'measure':<18} {'median':>9} {'min':>9} {'max':>9} {'goal':>9}")
    missed = []
    for name, values in times.items():
        goal = GOALS_MS.get(name)
        median = statistics.median(values)
        verdict = "" if goal is None else ("  met" if median <= goal else "  MISSED")
        if goal is not None and median > goal:
            missed.append(name)
        print(f"{name:<18} {median:>7.0f}ms {min(values):>7.0f}ms {max(values):>7.0f}ms "
              f"{'' if goal is None else f'{goal:>7}ms'}{verdict}")
    print(f"({len(times['model ready'])} fresh loads, {len(times['one photo'])} photos, "
          f"{len(times['6000x4500 photo'])} large photos)")
    if missed:
        print("Goals missed: " + ", ".join(missed))


if __name__ == "__main__":
    main()
