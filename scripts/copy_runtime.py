"""Copy the ONNX runtime that the photo classifier of post 06 needs into posts/widget/ort/.

The runtime is the npm package onnxruntime-web, pinned in package.json / package-lock.json
and installed with `npm ci`. The widget needs three of its files (about 14 MB): the ES module
ort.wasm.min.mjs and the WebAssembly build it loads (ort-wasm-simd-threaded.mjs + .wasm, which
also runs single-threaded). They are copies, not committed (see .gitignore): run this after
`npm ci`, before `quarto render` or the widget's tests.

Usage: python scripts/copy_runtime.py
"""

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "node_modules" / "onnxruntime-web"
TARGET = ROOT / "posts" / "widget" / "ort"
FILES = ("ort.wasm.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")


def pinned_version():
    """The version of onnxruntime-web that package.json asks for."""
    dependencies = json.loads((ROOT / "package.json").read_text())["dependencies"]
    return dependencies["onnxruntime-web"]


def copy_runtime():
    if not PACKAGE.is_dir():
        sys.exit(f"{PACKAGE} is missing: run `npm ci` in {ROOT} first.")
    installed = json.loads((PACKAGE / "package.json").read_text())["version"]
    if installed != pinned_version():
        sys.exit(f"node_modules has onnxruntime-web {installed}, package.json pins {pinned_version()}: run `npm ci`.")
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(PACKAGE / "dist" / name, TARGET / name)
    # The runtime's licence travels with it.
    licence = PACKAGE / "LICENSE"
    (TARGET / "LICENSE.txt").write_text(
        licence.read_text() if licence.exists()
        else f"onnxruntime-web {installed}: Copyright (c) Microsoft Corporation. Licensed under the MIT License.\n")
    size = sum((TARGET / name).stat().st_size for name in FILES)
    print(f"Copied onnxruntime-web {installed} ({size / 1e6:.1f} MB) into {TARGET.relative_to(ROOT)}/")


if __name__ == "__main__":
    copy_runtime()
