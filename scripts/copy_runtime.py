"""Copy the ONNX runtime that the in-browser photo classifier needs into posts/widget/ort/.

The runtime is the npm package onnxruntime-web, pinned in package.json / package-lock.json
and installed with `npm ci`. The widget loads its smallest build that runs model4, the
WebAssembly-only one: two files of the package's dist/ folder,

- ort.wasm.bundle.min.mjs (73 kB): the ES module, with the WebAssembly module's loader inside;
- ort-wasm-simd-threaded.wasm (14.2 MB; it also runs single-threaded), stored here
  gzip-compressed as ort-wasm-simd-threaded.wasm.gz (3.7 MB), which the widget decompresses in
  the browser (DecompressionStream): so a reader downloads 3.7 MB, not 14.2 MB, even from a
  server that compresses nothing;

and writes runtime.json, the list of those files with their sizes, from which the widget says
how much it downloads. They are copies, not committed (see .gitignore): run this after `npm ci`,
before `quarto render` or the widget's tests.

Usage: python scripts/copy_runtime.py
"""

import gzip
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "node_modules" / "onnxruntime-web"
TARGET = ROOT / "posts" / "widget" / "ort"
SCRIPT = "ort.wasm.bundle.min.mjs"
WASM = "ort-wasm-simd-threaded.wasm"
FILES = (SCRIPT, WASM + ".gz", "runtime.json")  # what the widget reads from ort/


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
    shutil.rmtree(TARGET, ignore_errors=True)  # no file of an older copy is left behind
    TARGET.mkdir(parents=True)
    shutil.copyfile(PACKAGE / "dist" / SCRIPT, TARGET / SCRIPT)
    wasm = (PACKAGE / "dist" / WASM).read_bytes()
    (TARGET / (WASM + ".gz")).write_bytes(gzip.compress(wasm, compresslevel=9, mtime=0))
    files = [{"name": SCRIPT, "bytes": (TARGET / SCRIPT).stat().st_size},
             {"name": WASM + ".gz", "bytes": (TARGET / (WASM + ".gz")).stat().st_size, "decompressed_bytes": len(wasm)}]
    description = {"package": "onnxruntime-web", "version": installed,
                   "files": files, "note": "written by scripts/copy_runtime.py; the widget reads the files in this order"}
    (TARGET / "runtime.json").write_text(json.dumps(description, indent=2) + "\n")
    # The runtime's licence travels with it.
    licence = PACKAGE / "LICENSE"
    (TARGET / "LICENSE.txt").write_text(
        licence.read_text() if licence.exists()
        else f"onnxruntime-web {installed}: Copyright (c) Microsoft Corporation. Licensed under the MIT License.\n")
    size = sum(file["bytes"] for file in files)
    print(f"Copied onnxruntime-web {installed} into {TARGET.relative_to(ROOT)}/: {size / 1e6:.1f} MB to download "
          f"({len(wasm) / 1e6:.1f} MB of WebAssembly, gzip-compressed)")


if __name__ == "__main__":
    copy_runtime()
