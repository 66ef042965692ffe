"""How much does storing model4's weights in 8 bits change its answers? Measured on 1,000 photos.

Exports a trained model4 (default: the full run's, $KERAS_HOME/cats_vs_dogs/model4.keras) with
catsdogs.onnx_export.export_onnx, checked on every photo of the validation and test splits
(800 + 200, the pixels the posts score) with their true labels, and prints the check: how many
photos the compact file answers differently from Keras (goal: at most 0.5 %), both accuracies
(goal: within 0.3 points), the largest differences of logits and maps, and the file's size.

Usage: KERAS_HOME=... python benchmarks/compact_model.py [--model PATH.keras] [--out DIR]
Needs TensorFlow, tf2onnx, onnx, onnxruntime (requirements.txt) and the photos in the Keras cache.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path


def main():
    from catsdogs import config

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=Path(config.results_dir()) / "model4.keras")
    parser.add_argument("--out", type=Path, help="folder to keep model4.onnx and model4.json in (default: a temporary one)")
    args = parser.parse_args()
    config.import_tensorflow_quietly()
    import keras
    import numpy as np

    from catsdogs.data import find_data, load_splits
    from catsdogs.onnx_export import export_onnx

    model4 = keras.models.load_model(args.model)
    _, validation, test = load_splits(find_data())
    pairs = [(image.numpy(), int(label)) for split in (validation, test) for image, label in split]
    images = np.stack([image for image, _ in pairs]).astype(np.float32)
    labels = np.array([label for _, label in pairs])
    out = args.out or Path(tempfile.mkdtemp(prefix="compact-model4-"))
    started = time.monotonic()
    export = export_onnx(model4, out, validation.class_names, images, labels=labels)
    metadata = json.loads(export.json_path.read_text())
    print(f"{args.model} ({os.path.getsize(args.model) / 1e6:.1f} MB), {len(images)} photos (validation + test), "
          f"export and checks in {time.monotonic() - started:.0f} s")
    print(export.float_check)
    print(export.check)
    print(f"model4.onnx: {metadata['size_bytes'] / 1e6:.2f} MB (float32: {metadata['weights']['float32_size_bytes'] / 1e6:.2f} MB), "
          f"{metadata['weights']['tensors']}; written to {out}")


if __name__ == "__main__":
    main()
