"""How fast is the in-browser photo classifier on a phone's connection? Measured in headless Chromium.

(a) model ready over the network: from the reader's press of "Load the model first" until the
    runtime and the model are downloaded, loaded by onnxruntime-web and run once, over a link
    emulated by Chromium (DevTools protocol, Network.emulateNetworkConditions: 10 Mbit/s down,
    40 ms latency by default), from a plain server and from a compressing one (gzip, as many
    web servers do for every file; GitHub Pages compresses text but serves .onnx as it is).
    A fresh browser context each time, with nothing cached; the bytes are what crossed the link
    (encodedDataLength), the page's own files included. Goals: compressed download <= 6 MB,
    ready <= 6 s compressed and <= 10 s plain;
(b) one photo: a 500x375 JPEG of the data set, from the file input to the answer on the page
    (decode, squash to the model's input size, run the model, show the bars and draw the class
    map), the model being ready, without network emulation (goal: 100 ms);
(c) a 6000x4500 JPEG of about 10 MB (a phone photo's size), the same way (goal: 500 ms).

Usage: python benchmarks/widget_speed.py [--model DIR] [--revision REV] [--tries N] [--photo JPEG]
  --model DIR     folder with model4.onnx and model4.json (default: run/, the committed model)
  --revision REV  measure the widget as it was in git revision REV instead (its classifier.js,
                  classifier.css, its fragment posts/widget/widget.html, its model in
                  posts/widget/, and the runtime files it loaded, from node_modules): the
                  "before" of a change
  --mbit, --latency  the emulated link (default 10 Mbit/s, 40 ms)
Needs: Debian's chromium, Playwright's Python package, the runtime in posts/widget/ort/
(npm ci && python scripts/copy_runtime.py). Does not use TensorFlow.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from widget_harness import (  # noqa: E402
    COMMITTED_MODEL,
    ROOT,
    WidgetServer,
    choose_file,
    launch,
    missing_runtime,
    phone_sized_jpeg,
    widget_page,
    widget_post,
)

GOALS = {"compressed download MB": 6, "ready, compressing server s": 6, "ready, plain server s": 10,
         "one photo ms": 100, "6000x4500 photo ms": 500}
ARCHIVE_PHOTO = "cats_and_dogs_filtered/validation/dogs/dog.2000.jpg"
OLD_RUNTIME = ("ort.wasm.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")
# Press the button in the page and wait there for the model: the time is the page's own clock.
PRESS_AND_WAIT = """async () => {
    const root = document.querySelector('.cdc');
    const started = performance.now();
    root.querySelector('.cdc-load').click();
    while (root.dataset.runs !== '1') await new Promise((resolve) => setTimeout(resolve, 10));
    return {ms: performance.now() - started, state: root.dataset.state, message: root.querySelector('.cdc-status').textContent};
}"""


def default_photo() -> bytes:
    from catsdogs import config  # the settings only: no TensorFlow

    archive = config.archive_path()
    if not os.path.exists(archive):
        sys.exit(f"No photo given and no data archive at {archive}: pass --photo PATH.JPG")
    with zipfile.ZipFile(archive) as files:
        return files.read(ARCHIVE_PHOTO)


def site_of_revision(revision: str, folder: Path) -> tuple[str, str]:
    """The widget of git revision `revision`, laid out in `folder` as the site served it; returns
    (page path, fragment)."""
    def show(path):
        return subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True, check=True).stdout

    widget = folder / "posts" / "widget"
    (widget / "ort").mkdir(parents=True)
    for name in ("classifier.js", "classifier.css", "model4.onnx", "model4.json"):
        (widget / name).write_bytes(show(f"posts/widget/{name}"))
    for name in OLD_RUNTIME:
        shutil.copyfile(ROOT / "node_modules" / "onnxruntime-web" / "dist" / name, widget / "ort" / name)
    return "/posts/06-test-score.html", show("posts/widget/widget.html").decode("utf-8")


def ready_over_network(browser, url: str, mbit: float, latency_ms: float) -> dict:
    """One fresh load of the model over the emulated link: seconds to ready and bytes transferred."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency_ms,
                                                  "downloadThroughput": mbit * 1e6 / 8, "uploadThroughput": mbit * 1e6 / 8})
    urls, transferred = {}, {}  # request id -> URL, bytes over the link (headers and body)
    cdp.on("Network.responseReceived", lambda event: urls.__setitem__(event["requestId"], event["response"]["url"]))
    # loadingFinished's total where it is larger: files read as a stream (fetch) report their
    # bytes in dataReceived events only.
    cdp.on("Network.dataReceived", lambda event: transferred.__setitem__(
        event["requestId"], transferred.get(event["requestId"], 0) + event["encodedDataLength"]))
    cdp.on("Network.loadingFinished", lambda event: transferred.__setitem__(
        event["requestId"], max(transferred.get(event["requestId"], 0), event["encodedDataLength"])))
    page.goto(url)
    page.wait_for_function("document.querySelector('.cdc') && document.querySelector('.cdc').dataset.state === 'idle'")
    page.wait_for_timeout(500)  # the small descriptions the new widget reads at once
    result = page.evaluate(PRESS_AND_WAIT)
    assert result["state"] == "idle" and "ready" in result["message"], result
    page.wait_for_timeout(500)  # the DevTools events of the last responses arrive
    context.close()
    files = {Path(urls.get(request, request)).name: size for request, size in transferred.items()}
    return {"seconds": result["ms"] / 1000, "bytes": sum(files.values()), "files": files}


def photo_times(browser, url: str, photo: bytes, huge: bytes) -> dict[str, list[float]]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("document.querySelector('.cdc').dataset.state === 'idle'")
    page.evaluate(PRESS_AND_WAIT)
    times = {"one photo ms": [], "6000x4500 photo ms": [], "inference only ms": []}
    for _ in range(3):
        result = choose_file(page, "photo.jpg", "image/jpeg", photo)
        assert result["state"] == "done", result
        times["one photo ms"].append(result["total_ms"])
        times["inference only ms"].append(result["inference_ms"])
    result = choose_file(page, "huge.jpg", "image/jpeg", huge)
    assert result["state"] == "done", result
    times["6000x4500 photo ms"].append(result["total_ms"])
    context.close()
    return times


def measure(root: Path, page_path: str, fragment: str, model_dir: Path | None, args) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    photo = args.photo.read_bytes() if args.photo else default_photo()
    huge = phone_sized_jpeg(photo)
    times: dict[str, list[float]] = {name: [] for name in GOALS}
    model_urls = ("/exported/model4.onnx", "/exported/model4.json") if model_dir else (None, None)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        print(f"Chromium {browser.version}, headless, single-threaded WebAssembly, {os.cpu_count()} CPU cores; "
              f"link {args.mbit:g} Mbit/s, {args.latency:g} ms")
        for compress in (False, True):
            with WidgetServer(model_dir, compress=compress, root=root) as server:
                url = server.add_page(page_path, widget_page(fragment, *model_urls))
                for _ in range(args.tries):
                    result = ready_over_network(browser, url, args.mbit, args.latency)
                    name = "ready, compressing server s" if compress else "ready, plain server s"
                    times[name].append(result["seconds"])
                    if compress:
                        times["compressed download MB"].append(result["bytes"] / 1e6)
                    else:
                        times.setdefault("plain download MB", []).append(result["bytes"] / 1e6)
                largest = sorted(result["files"].items(), key=lambda item: -item[1])[:4]
                print(f"{'compressing' if compress else 'plain'} server, bytes over the link: "
                      + ", ".join(f"{name} {size / 1e6:.2f} MB" for name, size in largest))
        with WidgetServer(model_dir, root=root) as server:
            times.update(photo_times(browser, server.add_page(page_path, widget_page(fragment, *model_urls)), photo, huge))
        browser.close()
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, help="folder with model4.onnx and model4.json (default: run/, the committed model)")
    parser.add_argument("--revision", help="measure the widget of this git revision instead (the 'before')")
    parser.add_argument("--photo", type=Path, help="a JPEG photo (default: one of the data set)")
    parser.add_argument("--tries", type=int, default=3)
    parser.add_argument("--mbit", type=float, default=10)
    parser.add_argument("--latency", type=float, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        if args.revision:
            page_path, fragment = site_of_revision(args.revision, Path(scratch))
            root, model_dir = Path(scratch), None
            print(f"The widget of revision {args.revision}")
        else:
            if missing_runtime():
                sys.exit(f"The runtime is not in posts/widget/ort/ ({missing_runtime()} missing): "
                         f"npm ci && python scripts/copy_runtime.py")
            page_path, fragment = widget_post()
            root, model_dir = ROOT, args.model
            model = (model_dir or COMMITTED_MODEL.parent) / "model4.onnx"
            print(f"The widget of this work tree, model {model} ({model.stat().st_size / 1e6:.2f} MB), "
                  f"runtime {json.loads((ROOT / 'posts/widget/ort/runtime.json').read_text())['files']}")
        times = measure(root, page_path, fragment, model_dir, args)
    print(f"\n{'measure':<30} {'median':>9} {'min':>9} {'max':>9} {'goal':>7}")
    for name, values in times.items():
        goal = GOALS.get(name)
        median = statistics.median(values)
        verdict = "" if goal is None else ("  met" if median <= goal else "  MISSED")
        print(f"{name:<30} {median:>9.2f} {min(values):>9.2f} {max(values):>9.2f} {'' if goal is None else goal:>7}{verdict}")


if __name__ == "__main__":
    main()
