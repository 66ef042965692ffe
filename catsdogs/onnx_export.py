"""Export model4 to ONNX, so that a web page can run it in the reader's browser.

The last post of the series lets you classify a photo of your own in the page itself: the
browser runs the model with onnxruntime-web, and the photo never leaves your machine. This
module writes the two files that the page loads:

- ``model4.onnx``: the network, from pixels (0-255) to two outputs: the two logits, and the
  class maps of :mod:`catsdogs.cam` at 5×5 (the page enlarges them and draws them over the photo);
- ``model4.json``: what the page needs to know about it (class names, input name, size and
  layout, pixel range, the outputs' names, the map's colours and scale, the model's measured
  accuracies, and how closely the file reproduced Keras).

Three details matter:

1. model4 contains the augmentation layers of post 03 (RandomFlip, RandomRotation). They do
   nothing at inference, but they are still in the graph, and ONNX has no operator for the
   random numbers that RandomFlip draws (TensorFlow's ``StatelessRandomUniformV2``): the exported
   file is one that onnxruntime refuses to load (``INVALID_GRAPH``). So we export
   :func:`catsdogs.cam.class_map_model`, the inference path rebuilt from model4's own layer
   objects without the augmentation (so it shares model4's trained weights), with the maps as
   a second output.
2. Keras 3 exports ONNX itself (``model.export(path, format="onnx")``, which uses the
   ``tf2onnx`` and ``onnx`` packages). Keras 2 cannot: there ``export_onnx`` raises
   :class:`OnnxExportError`, which a notebook can catch and print.
3. Nothing wrong is published: ``export_onnx`` runs the photos it is given through Keras and
   through the written file (onnxruntime) and raises :class:`OnnxExportError`, deleting both
   files, when the logits or the maps differ by more than ``TOLERANCE``.

Typical use, at the end of post 06::

    from catsdogs.onnx_export import OnnxExportError, export_onnx

    try:
        export = export_onnx(model4, "widget", ["cats", "dogs"], test_pixels, test_accuracy=0.97)
        print(export.check)
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

from catsdogs import cam
from catsdogs.config import IMAGE_SIZE
from catsdogs.errors import CatsDogsError

OPSET = 15  # the ONNX operator set; onnxruntime-web runs it, and tf2onnx converts MobileNetV2 with it
TOLERANCE = 1e-4  # largest difference between Keras and ONNX logits (and map mean + bias) accepted
# Largest difference between single map values accepted: a value is a sum of 1280 products, so
# its rounding error is larger than a logit's, and what the page draws needs far less precision.
MAP_TOLERANCE = 1e-3


class OnnxExportError(CatsDogsError):
    """The model cannot be exported to ONNX here (Keras 2, missing packages), or the exported
    file does not compute what the Keras model computes (then nothing is written)."""


def singular(class_name):
    """The label the page shows for a class folder name: 'cats' -> 'cat', 'dogs' -> 'dog'."""
    return class_name[:-1] if class_name.endswith("s") and len(class_name) > 1 else class_name


def onnx_outputs(onnx_path):
    """The names of the ONNX graph's input and of its two outputs, as stored in the file:
    (input, logits, class map). The logits are the output of rank 2 ([N, 2]), the class map
    the one of rank 4 ([N, 5, 5, 2])."""
    import onnx

    graph = onnx.load(str(onnx_path), load_external_data=False).graph
    by_rank = {len(output.type.tensor_type.shape.dim): output.name for output in graph.output}
    if sorted(by_rank) != [2, 4]:
        raise OnnxExportError(f"{onnx_path} should have two outputs, the logits (rank 2) and the class "
                              f"map (rank 4); it has {[output.name for output in graph.output]}")
    return graph.input[0].name, by_rank[2], by_rank[4]


@dataclass
class OnnxCheck:
    """How closely the ONNX file reproduces the Keras model, on `images` photos."""

    images: int
    logit_difference: float  # largest |ONNX logit - Keras logit|
    map_difference: float  # largest |ONNX map value - Keras map value|
    identity_difference: float  # largest |mean of the ONNX map + bias - Keras logit|
    same_labels: int  # photos for which both give the same class
    tolerance: float = TOLERANCE
    map_tolerance: float = MAP_TOLERANCE

    @property
    def ok(self):
        return (max(self.logit_difference, self.identity_difference) < self.tolerance
                and self.map_difference < self.map_tolerance and self.same_labels == self.images)

    def __str__(self):
        verdict = "they agree" if self.ok else "THEY DISAGREE: do not use this ONNX file"
        return (f"ONNX vs. Keras on {self.images} photos, largest differences:\nlogits "
                f"{self.logit_difference:.1e} and map mean + bias vs. logit "
                f"{self.identity_difference:.1e} (tolerance {self.tolerance:.0e}),\nmap values "
                f"{self.map_difference:.1e} (tolerance {self.map_tolerance:.0e}); same class for "
                f"{self.same_labels} of {self.images}: {verdict}.")


def run_onnx(onnx_path, images):
    """(logits [N, 2], class maps [N, 5, 5, 2]) of `images` computed by onnxruntime."""
    try:
        import onnxruntime
    except ImportError as error:
        raise OnnxExportError("Checking the ONNX file needs onnxruntime: pip install onnxruntime") from error
    input_name, logits_name, map_name = onnx_outputs(onnx_path)
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    logits, maps = session.run([logits_name, map_name], {input_name: np.asarray(images, np.float32)})
    return logits, maps


def check_images(images):
    """`images` as float32 pixels [N, 160, 160, 3], or a ValueError that says what is wrong."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[1:] != IMAGE_SIZE + (3,) or len(images) == 0:
        raise ValueError(f"images must have shape [N, {IMAGE_SIZE[0]}, {IMAGE_SIZE[1]}, 3] with N >= 1, "
                         f"not {list(images.shape)}")
    return images


def check_onnx(model4, onnx_path, images, tolerance=TOLERANCE, map_tolerance=MAP_TOLERANCE):
    """Run the same images through Keras (model4 itself, and its class maps) and through
    onnxruntime, and compare. images: float pixels 0-255, [N, 160, 160, 3].
    Returns an OnnxCheck (print it); its ``ok`` is True when the logits (and each map's mean
    plus the bias) differ by less than `tolerance`, the map values by less than
    `map_tolerance`, and every predicted class is the same."""
    images = check_images(images)
    keras_logits = model4.predict(images, verbose=0)
    keras_maps = cam.class_maps(model4, images)
    onnx_logits, onnx_maps = run_onnx(onnx_path, images)
    onnx_means = onnx_maps.mean(axis=(1, 2)) + cam.dense_bias(model4)
    return OnnxCheck(
        images=len(images),
        logit_difference=float(np.abs(keras_logits - onnx_logits).max()),
        map_difference=float(np.abs(keras_maps - onnx_maps).max()),
        identity_difference=float(np.abs(onnx_means - keras_logits).max()),
        same_labels=int((keras_logits.argmax(axis=1) == onnx_logits.argmax(axis=1)).sum()),
        tolerance=tolerance,
        map_tolerance=map_tolerance,
    )


@dataclass
class OnnxExport:
    """What export_onnx wrote, and the check that the written model passed."""

    onnx_path: Path
    json_path: Path
    check: OnnxCheck


def export_onnx(model4, directory, class_names, images, validation_accuracy=None, test_accuracy=None):
    """Write ``model4.onnx`` and ``model4.json`` into `directory`, check them, return an OnnxExport.

    model4: the trained Keras model (input: float32 pixels 0-255, shape [N, 160, 160, 3];
        output: two logits).
    directory: the folder to write into (created if missing); existing files are replaced.
    class_names: the class of each logit, e.g. ``["cats", "dogs"]``.
    images: photos (float pixels 0-255, [N, 160, 160, 3]) on which the written file must give
        model4's logits and maps (see check_onnx); the colour scale of the page's map is also
        taken from their maps (catsdogs.cam.map_scale).
    validation_accuracy, test_accuracy: optional measured accuracies (between 0 and 1),
        stored in the JSON file so that the page can quote them.

    Raises OnnxExportError when this Keras cannot export ONNX (Keras 2), the packages it needs
    (tf2onnx, onnx, onnxruntime) are missing, the model has no head whose maps are exact, or the
    written file disagrees with Keras; in the last case both files are deleted first.
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
                              f"pip install tf2onnx onnx") from error
    if len(class_names) != 2:
        raise ValueError(f"model4 has two outputs, so give two class names, not {list(class_names)}")
    for name, accuracy in (("validation_accuracy", validation_accuracy), ("test_accuracy", test_accuracy)):
        if accuracy is not None and not 0 <= accuracy <= 1:
            raise ValueError(f"{name} must be a fraction between 0 and 1, not {accuracy}")
    images = check_images(images)
    try:
        model = cam.class_map_model(model4)
    except ValueError as error:
        raise OnnxExportError(f"Cannot export {model4.name!r} with its class map: {error}") from error

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    onnx_path = directory / "model4.onnx"
    json_path = directory / "model4.json"
    json_path.unlink(missing_ok=True)  # never leave the description of an older file beside a new one
    # The input signature is the model's own input: any batch size, 160x160 RGB, float32.
    with warnings.catch_warnings():  # tf2onnx checks for np.object, which NumPy 2 warns about
        warnings.simplefilter("ignore", FutureWarning)
        model.export(str(onnx_path), format="onnx", input_signature=model.inputs, opset_version=OPSET, verbose=False)
    try:
        check = check_onnx(model4, onnx_path, images)
        input_name, logits_name, map_name = onnx_outputs(onnx_path)
    except Exception:
        onnx_path.unlink(missing_ok=True)
        raise
    if not check.ok:
        onnx_path.unlink(missing_ok=True)
        raise OnnxExportError(f"The exported file does not compute what {model4.name!r} computes, so it "
                              f"was deleted:\n{check}")

    map_height, map_width, classes = model.outputs[1].shape[1:]
    evidence = cam.evidence_for(cam.class_maps(model4, images), 1)
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
            "resize": f"the whole photo squashed to {IMAGE_SIZE[1]}x{IMAGE_SIZE[0]} (no crop), as in training",
        },
        "output": {"name": logits_name, "meaning": "logits; softmax gives the probabilities"},
        "class_map": {
            "name": map_name,
            "shape": [None, map_height, map_width, classes],
            "meaning": ("class activation maps (catsdogs.cam): map[i, j, c] is how much region (i, j) "
                        "adds to logit c; the mean over (i, j) plus bias[c] is logit c"),
            "bias": [float(value) for value in cam.dense_bias(model4)],
            "colours": list(cam.CLASS_COLOURS),
            "opacity": cam.MAP_OPACITY,
            "scale": cam.map_scale(evidence),
            "scale_meaning": (f"map[..., 1] - map[..., 0] is drawn at full colour from this value on: "
                              f"the {cam.SCALE_PERCENTILE}th percentile of its size on the checked photos"),
        },
        "check": {"images": check.images, "logit_difference": check.logit_difference,
                  "identity_difference": check.identity_difference, "tolerance": check.tolerance,
                  "map_difference": check.map_difference, "map_tolerance": check.map_tolerance},
        "validation_accuracy": None if validation_accuracy is None else float(validation_accuracy),
        "test_accuracy": None if test_accuracy is None else float(test_accuracy),
        "opset": OPSET,
        "keras_version": keras.__version__,
        "size_bytes": onnx_path.stat().st_size,
    }
    json_path.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return OnnxExport(onnx_path, json_path, check)
