"""How fast is post 05's trainer in the page, and how good is the head it trains? Headless Chromium.

(a) the model ready: from "Use sample photos" until the runtime and the model are downloaded
    (from a local server, no network emulation: benchmarks/widget_speed.py measures the link)
    and loaded; reported, not part of the goal;
(b) Train on the 40 sample photos, the model ready: each photo's features (model4.onnx's feature
    map, in onnxruntime-web), the head trained (head.js), and its leave-one-out score (40 more
    heads); goal: features + trained head <= 5 s (the leave-one-out is reported besides, and in
    the total);
(c) a new photo (a 500x375 JPEG of the validation folder) classified by the trained head with its
    class map, from the file input to the answer on the page; goal: <= 100 ms;
(d) the page's head (data-head: its weights on the raw features) applied in Python to
    onnxruntime's features of the 800 validation photos (the split of catsdogs.data.load_splits,
    as post 05 scores its head), with the Wilson interval; next to it, head.py's head trained on
    onnxruntime's features of the same sample PNGs (they should agree: tests/test_trainer.py).

Usage: python benchmarks/trainer_speed.py [--model DIR] [--photos DIR] [--tries N]
  --model DIR    folder with model4.onnx and model4.json (default: run/, the committed model)
  --photos DIR   folder with photos.json and the sample PNGs (default: run/figures/trainer-photos)
Needs: Debian's chromium, Playwright, the runtime in posts/widget/ort/ (npm ci); (d) needs the
data set (the Keras cache, $KERAS_HOME) and TensorFlow to decode the validation photos as training does.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from widget_harness import (  # noqa: E402
    COMMITTED_MODEL,
    ROOT,
    WidgetServer,
    busy_probe_result,
    launch,
    missing_runtime,
    start_busy_probe,
    trainer_do,
    trainer_page,
    trainer_post,
)

GOALS = {"features + trained head s": 5, "new photo ms": 100, "main thread busy at most ms": 1000}


def validation_photos():
    """(paths, labels) of the 800 validation photos of catsdogs.data.load_splits."""
    from catsdogs.data import find_data, load_splits

    _, validation, _ = load_splits(find_data())
    paths = list(validation.file_paths)
    labels = np.array([0 if "/cats/" in path else 1 for path in paths])
    return paths, labels


def features_of(onnx_path, images, batch=50):
    """Pooled features [N, 1280] of uint8 images [N, 160, 160, 3], by onnxruntime."""
    from catsdogs import head
    from catsdogs.onnx_export import run_onnx

    return np.concatenate([head.pooled(run_onnx(onnx_path, images[start:start + batch].astype(np.float32), features=True)[2])
                           for start in range(0, len(images), batch)])


def in_the_page(model_dir: Path, photos_dir: Path, new_photo: bytes, tries: int):
    """Timings of each try (a fresh page each time) and the last try's report."""
    from playwright.sync_api import sync_playwright

    times = {name: [] for name in ("model ready s", "features s", "trained head s", "leave-one-out s",
                                   "features + trained head s", "total with leave-one-out s", "new photo ms",
                                   "main thread busy at most ms")}
    page_path, fragment = trainer_post()
    with sync_playwright() as playwright, WidgetServer(model_dir) as server:
        server.folders["/photos/"] = photos_dir
        url = server.add_page(page_path, trainer_page(fragment, "/exported/model4.onnx", "/exported/model4.json",
                                                      "/photos/photos.json"))
        browser = launch(playwright)
        print(f"Chromium {browser.version}, headless, single-threaded WebAssembly")
        for _ in range(tries):
            context = browser.new_context()
            page = context.new_page()
            page.goto(url)
            page.wait_for_function("document.querySelector('.cdt').dataset.downloadBytes")
            result = trainer_do(page, lambda page=page: page.click(".cdt-sample"))
            assert result["state"] == "idle", result
            page.wait_for_function("document.querySelector('.cdt').dataset.modelMs", timeout=120_000)
            start_busy_probe(page)
            result = trainer_do(page, lambda page=page: page.click(".cdt-train"))
            assert result["state"] == "trained", result
            times["main thread busy at most ms"].append(busy_probe_result(page)["longestGapMs"])
            times["model ready s"].append(float(page.get_attribute(".cdt", "data-model-ms")) / 1000)
            times["features s"].append(result["featuresMs"] / 1000)
            times["trained head s"].append(result["trainMs"] / 1000)
            times["leave-one-out s"].append(result["heldOutMs"] / 1000)
            times["features + trained head s"].append((result["featuresMs"] + result["trainMs"]) / 1000)
            times["total with leave-one-out s"].append(result["totalMs"] / 1000)
            for _ in range(3):
                new = trainer_do(page, lambda page=page: page.locator(".cdt-new-input").set_input_files(
                    {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": new_photo}))
                assert new["state"] == "trained" and new["newClassMap"], new
                times["new photo ms"].append(new["newMs"])
            context.close()
        browser.close()
    return times, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=COMMITTED_MODEL.parent,
                        help="folder with model4.onnx and model4.json (default: run/)")
    parser.add_argument("--photos", type=Path, default=ROOT / "run" / "figures" / "trainer-photos",
                        help="folder with photos.json and the sample photos (default: run/figures/trainer-photos)")
    parser.add_argument("--tries", type=int, default=3)
    args = parser.parse_args()
    if missing_runtime():
        sys.exit(f"The runtime is not in posts/widget/ort/ ({missing_runtime()} missing): npm ci")
    onnx_path = args.model / "model4.onnx"
    print(f"Model {onnx_path} ({onnx_path.stat().st_size / 1e6:.2f} MB), sample photos {args.photos}")

    from PIL import Image

    from catsdogs import head, stats
    from catsdogs.photos import load_photo

    paths, labels = validation_photos()
    new_photo = Path(paths[0]).read_bytes()
    times, result = in_the_page(args.model, args.photos, new_photo, args.tries)

    print(f"\n{'measure':<30} {'median':>9} {'min':>9} {'max':>9} {'goal':>7}")
    for name, values in times.items():
        goal = GOALS.get(name)
        median = statistics.median(values)
        verdict = "" if goal is None else ("  met" if median <= goal else "  MISSED")
        print(f"{name:<30} {median:>9.2f} {min(values):>9.2f} {max(values):>9.2f} {'' if goal is None else goal:>7}{verdict}")

    images = np.stack([np.clip(np.round(load_photo(path).numpy()), 0, 255).astype(np.uint8) for path in paths])
    validation = features_of(onnx_path, images)
    page_head = result["head"]
    page_right = ((validation @ np.array(page_head["weights"]) + page_head["bias"] > 0) == labels)
    listing = json.loads((args.photos / "photos.json").read_text())
    ordered = sorted(listing["photos"], key=lambda photo: photo["label"])
    samples = np.stack([np.asarray(Image.open(args.photos / photo["file"]).convert("RGB")) for photo in ordered])
    numpy_head = head.train_head(features_of(onnx_path, samples), [photo["label"] for photo in ordered])
    numpy_right = (head.probabilities(numpy_head, validation) > 0.5) == labels
    print(f"\nThe page's head on the sample photos: leave-one-out {result['heldOutRight']} of {len(ordered)} right")
    for name, right in (("the page's head", page_right), ("head.py's head", numpy_right)):
        low, high = stats.wilson_interval(int(right.sum()), len(right))
        print(f"{name:<16} on the {len(right)} validation photos: {right.sum()} right, {right.mean():.1%} "
              f"(95% interval {low:.1%} to {high:.1%})")
    print(f"they answer differently on {(page_right != numpy_right).sum()} photos")


if __name__ == "__main__":
    main()
