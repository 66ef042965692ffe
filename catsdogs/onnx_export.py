"""Export model4 to ONNX, so that a web page can run it in the reader's browser.

The last post of the series lets you classify a photo of your own in the page itself: the
browser runs the model with onnxruntime-web, and the photo never leaves your machine. This
module writes the two files that the page loads:

- ``model4.onnx``: the network, from pixels (0-255) to two logits;
- ``model4.json``: what the page needs to know about it (class names, input size and layout,
  pixel range, the model's measured accuracies).

Two details matter:

1. model4 contains the augmentation layers of post 03 (RandomFlip, RandomRotation). They do
   nothing at inference, but they are still in the graph, and ONNX has no operator for the
   random numbers that RandomFlip draws (TensorFlow's ``StatelessRandomUniformV2``): the exported
   file is one that onnxruntime refuses to load (``INVALID_GRAPH``). So we first rebuild the
   inference path from model4's own layer objects, without the augmentation. Because the
   layers are the same objects, the rebuilt model shares model4's trained weights.
2. Keras 3 exports ONNX itself (``model.export(path, format="onnx")``, which uses the
   ``tf2onnx`` and ``onnx`` packages). Keras 2 cannot: there ``export_onnx`` raises
   :class:`OnnxExportError`, which a notebook can catch and print.

Typical use, at the end of post 06::

    from catsdogs.onnx_export import OnnxExportError, check_onnx, export_onnx

    try:
        onnx_path, json_path = export_onnx(model4, "widget", ["cats", "dogs"], test_accuracy=0.97)
        print(check_onnx(model4, onnx_path, test_pixels))
    except OnnxExportError as error:
        print(error)
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

IMAGE_SIZE = (160, 160)  # the input size of model4 (height, width)
OPSET = 15  # the ONNX operator set; onnxruntime-web runs it, and tf2onnx converts MobileNetV2 with it
AUGMENTATION_LAYER = "augmentation"  # the name of model4's augmentation layer, left out of the export
LOGITS_TOLERANCE = 1e-4  # largest difference between Keras and ONNX logits that check_onnx accepts


class OnnxExportError(RuntimeError):
    """The model cannot be exported to ONNX here (Keras 2, missing packages) or the export is wrong."""


def inference_model(model4):
    """model4 without its augmentation layer: a new Keras model built from model4's own layers.

    model4 is a Sequential model: preprocessor, augmentation, base_model_layer, pooling, dropout,
    dense. We call every layer except the augmentation, in order, on a new input. Dropout does
    nothing at inference, so the result computes exactly what ``model4.predict`` computes.
    """
    image = keras.Input(shape=IMAGE_SIZE + (3,), name="image")
    x = image
    skipped = []
    for layer in model4.layers:
        if layer.name == AUGMENTATION_LAYER:
            skipped.append(layer.name)
            continue
        x = layer(x)
    if not skipped:
        raise OnnxExportError(
            f"The model {model4.name!r} has no layer named {AUGMENTATION_LAYER!r}; "
            f"its layers are {[layer.name for layer in model4.layers]}. Is it model4?")
    return keras.Model(image, x, name=f"{model4.name}_inference")


def singular(class_name):
    """The label the page shows for a class folder name: 'cats' -> 'cat', 'dogs' -> 'dog'."""
    return class_name[:-1] if class_name.endswith("s") and len(class_name) > 1 else class_name


def export_onnx(model4, directory, class_names, validation_accuracy=None, test_accuracy=None):
    """Write ``model4.onnx`` and ``model4.json`` into `directory`; return their paths.

    model4: the trained Keras model (input: float32 pixels 0-255, shape [N, 160, 160, 3];
        output: two logits).
    directory: the folder to write into (created if missing); existing files are replaced.
    class_names: the class of each logit, e.g. ``["cats", "dogs"]``.
    validation_accuracy, test_accuracy: optional measured accuracies (between 0 and 1),
        stored in the JSON file so that the page can quote them.

    Raises OnnxExportError when this Keras cannot export ONNX (Keras 2) or the packages it
    needs (tf2onnx, onnx) are missing.
    """
    if not keras.__version__.startswith("3."):
        raise OnnxExportError(
            f"Exporting to ONNX needs Keras 3 (model.export(..., format='onnx')); this is Keras "
            f"{keras.__version__}. The rest of the post does not need it: skip this step, or run "
            f"it where Keras 3 is installed.")
    try:
        import onnx  # noqa: F401  (Keras uses them; we check here to give a clear message)
        import tf2onnx  # noqa: F401
    except ImportError as error:
        raise OnnxExportError(f"Exporting to ONNX needs the packages tf2onnx and onnx ({error}): "
                              f"pip install tf2onnx onnx") from None
    if len(class_names) != 2:
        raise ValueError(f"model4 has two outputs, so give two class names, not {list(class_names)}")
    for name, accuracy in (("validation_accuracy", validation_accuracy), ("test_accuracy", test_accuracy)):
        if accuracy is not None and not 0 <= accuracy <= 1:
            raise ValueError(f"{name} must be a fraction between 0 and 1, not {accuracy}")

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    onnx_path = directory / "model4.onnx"
    json_path = directory / "model4.json"

    model = inference_model(model4)
    # The input signature is the model's own input: any batch size, 160x160 RGB, float32.
    with warnings.catch_warnings():  # tf2onnx checks for np.object, which NumPy 2 warns about
        warnings.simplefilter("ignore", FutureWarning)
        model.export(str(onnx_path), format="onnx", input_signature=model.inputs, opset_version=OPSET, verbose=False)
    input_name, output_name = onnx_names(onnx_path)

    metadata = {
        "model": model4.name,
        "file": onnx_path.name,
        "class_names": list(class_names),
        "labels": [singular(name) for name in class_names],
        "input": {
            "name": input_name,
            "shape": [None, IMAGE_SIZE[0], IMAGE_SIZE[1], 3],
            "layout": "NHWC (batch, height, width, RGB channels)",
            "dtype": "float32",
            "range": [0, 255],
            "resize": "the whole photo squashed to 160x160 (no crop), as in training",
        },
        "output": {"name": output_name, "meaning": "logits; softmax gives the probabilities"},
        "validation_accuracy": None if validation_accuracy is None else float(validation_accuracy),
        "test_accuracy": None if test_accuracy is None else float(test_accuracy),
        "opset": OPSET,
        "keras_version": keras.__version__,
        "size_bytes": onnx_path.stat().st_size,
    }
    json_path.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return onnx_path, json_path


def onnx_names(onnx_path):
    """The names of the graph's input and output, as stored in the ONNX file."""
    import onnx

    graph = onnx.load(str(onnx_path), load_external_data=False).graph
    return graph.input[0].name, graph.output[0].name


@dataclass
class OnnxCheck:
    """The result of check_onnx: how closely the ONNX model reproduces the Keras model."""

    images: int
    max_difference: float  # largest absolute difference between the logits
    same_labels: int  # images for which both give the same class
    tolerance: float = LOGITS_TOLERANCE

    @property
    def ok(self):
        return self.max_difference < self.tolerance and self.same_labels == self.images

    def __str__(self):
        verdict = "they agree" if self.ok else "THEY DISAGREE: do not use this ONNX file"
        return (f"ONNX vs. Keras on {self.images} images: largest logit difference "
                f"{self.max_difference:.2e} (tolerance {self.tolerance:.0e}),\nsame class for "
                f"{self.same_labels} of {self.images}: {verdict}.")


def check_onnx(model4, onnx_path, images, tolerance=LOGITS_TOLERANCE):
    """Run the same images through Keras and through onnxruntime and compare the logits.

    images: float pixels 0-255, shape [N, 160, 160, 3] (a NumPy array or a tensor).
    Returns an OnnxCheck (print it); its ``ok`` is True when every logit differs by less than
    `tolerance` and every predicted class is the same. Raises OnnxExportError if onnxruntime is
    not installed.
    """
    try:
        import onnxruntime
    except ImportError:
        raise OnnxExportError("Checking the ONNX file needs onnxruntime: pip install onnxruntime") from None
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[1:] != IMAGE_SIZE + (3,):
        raise ValueError(f"images must have shape [N, 160, 160, 3], not {list(images.shape)}")
    keras_logits = model4.predict(images, verbose=0)
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    onnx_logits = session.run(None, {input_name: images})[0]
    return OnnxCheck(
        images=len(images),
        max_difference=float(np.abs(keras_logits - onnx_logits).max()),
        same_labels=int((keras_logits.argmax(axis=1) == onnx_logits.argmax(axis=1)).sum()),
        tolerance=tolerance,
    )


if __name__ == "__main__":  # python -m catsdogs.onnx_export MODEL.keras DIRECTORY
    import sys

    if len(sys.argv) != 3:
        raise SystemExit("Usage: python -m catsdogs.onnx_export MODEL.keras DIRECTORY")
    model = keras.models.load_model(sys.argv[1])
    for path in export_onnx(model, sys.argv[2], ["cats", "dogs"]):
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
