"""Export model4 to ONNX, so that a web page can run it in the reader's browser.

The series ends with a classifier in the page itself: the browser runs the model with
onnxruntime-web, and the photo never leaves your machine. This module writes the two files
that the page loads:

- ``model4.onnx``: the network, from pixels (0-255) to three outputs: the two logits, the
  class maps of :mod:`catsdogs.cam` at 5×5 (the page enlarges them and draws them over the
  photo), and the 5×5×1280 feature map under them (post 05's trainer fits a new head on it).
  Its convolution weights are stored compactly, in 8 bits (see below);
- ``model4.json``: what the page needs to know about it (class names, input name, size and
  layout, pixel range, the outputs' names, the map's colours and scale, how the weights are
  stored, and how closely the file reproduces Keras; the model's accuracies are the run's
  records, in run/run.json, not copied here). Its
  form is set by one schema, ``posts/widget/model4.schema.json``, which the page checks too:
  :func:`validate` checks every file written here against it.

Four details matter:

1. model4 contains the augmentation layers of post 03 (RandomFlip, RandomRotation). They do
   nothing at inference, but they are still in the graph, and ONNX has no operator for the
   random numbers that RandomFlip draws (TensorFlow's ``StatelessRandomUniformV2``): the exported
   file is one that onnxruntime refuses to load (``INVALID_GRAPH``). So we export
   :func:`catsdogs.cam.class_map_model`, the inference path rebuilt from model4's own layer
   objects without the augmentation (so it shares model4's trained weights), with the maps and
   the feature map as further outputs.
2. Keras 3 exports ONNX itself (``model.export(path, format="onnx")``, which uses the
   ``tf2onnx`` and ``onnx`` packages). Keras 2 cannot: there ``export_onnx`` raises
   :class:`OnnxExportError`, which a notebook can catch and print.
3. A phone should download the model in seconds. In float32 its 2.2 million weights take
   8.9 MB; :func:`compact_onnx` stores the convolutions' weights as 8-bit integers with one
   scale per output channel (``w ≈ scale[c] * q``, ``q`` in -127..127; the depthwise filters
   and the small early layers in float16), turned back into float32 in the graph when the model
   loads: 2.6 MB.
   Everything else (the pixels, the activations, the dense head) stays float32. It changes the
   logits a little, so it has its own check (4.).
4. Nothing wrong is published: ``export_onnx`` first checks the float32 file strictly
   (:func:`check_onnx`: the logits and maps of Keras within ``TOLERANCE``), then the compact
   file against Keras (:func:`check_compact`: the same class for all but ``MAX_DISAGREEMENT``
   of the photos, and, with their true labels, an accuracy within ``MAX_ACCURACY_CHANGE``); it
   raises :class:`OnnxExportError`, deleting the files, when either check fails.

Typical use::

    from catsdogs.onnx_export import OnnxExportError, export_onnx

    try:
        export = export_onnx(model4, "widget", ["cats", "dogs"], test_pixels,
                             labels=test_labels)
        print(export.check)
    except OnnxExportError as error:
        print(error)
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from catsdogs import config

config.import_tensorflow_quietly()  # before TensorFlow's first import (see config)
import keras
import numpy as np

from catsdogs import cam, map_drawing
from catsdogs.config import IMAGE_SIZE
from catsdogs.data import singular
from catsdogs.errors import CatsDogsError

OPSET = 15  # the ONNX operator set; onnxruntime-web runs it, and tf2onnx converts MobileNetV2 with it
TOLERANCE = 1e-4  # largest difference between Keras and float32 ONNX logits (and map mean + bias) accepted
# Largest difference between single map values accepted: a value is a sum of 1280 products, so
# its rounding error is larger than a logit's, and what the page draws needs far less precision.
MAP_TOLERANCE = 1e-3
# The compact file (8-bit weights) may give another class than Keras for at most this share of the
# photos (rounded up: 1 of 200, 5 of 1,000), and, where their true labels are given, an accuracy that
# differs by at most this much.
MAX_DISAGREEMENT = 0.005
MAX_ACCURACY_CHANGE = 0.003
# Its map mean + bias must still give its own logits (the head is float32): the identity holds.
COMPACT_IDENTITY_TOLERANCE = 1e-3
WEIGHT_LEVELS = 127  # 8-bit weights: q in -127..127 (symmetric, so the zero point is 0)
# Convolutions with fewer weights than this keep them in float16: the early layers, where 8 bits
# moved the logits most for the fewest bytes saved (measured per layer on the published model4).
FLOAT16_BELOW = 16384
SCHEMA = Path(__file__).resolve().parents[1] / "posts" / "widget" / "model4.schema.json"


class OnnxExportError(CatsDogsError):
    """The model cannot be exported to ONNX here (Keras 2, missing packages), or the exported
    file does not compute what the Keras model computes (then nothing is written)."""


def onnx_outputs(onnx_path):
    """The names of the ONNX graph's input and of its three outputs, as stored in the file:
    (input, logits, class map, feature map). The logits are the output of rank 2 ([N, 2]), the
    class map the one of rank 4 with 2 channels ([N, 5, 5, 2]), the feature map the other one of
    rank 4 ([N, 5, 5, 1280])."""
    import onnx

    graph = onnx.load(str(onnx_path), load_external_data=False).graph
    kinds = {}
    for output in graph.output:
        dims = output.type.tensor_type.shape.dim
        kind = "logits" if len(dims) == 2 else "map" if len(dims) == 4 and dims[-1].dim_value == 2 else "features"
        kinds.setdefault(kind, []).append(output.name)
    if sorted(kinds) != ["features", "logits", "map"] or any(len(names) != 1 for names in kinds.values()):
        raise OnnxExportError(f"{onnx_path} should have three outputs, the logits (rank 2), the class map "
                              f"(rank 4, 2 channels) and the feature map (rank 4); it has "
                              f"{[output.name for output in graph.output]}")
    return graph.input[0].name, kinds["logits"][0], kinds["map"][0], kinds["features"][0]


# --- The checks ----------------------------------------------------------------------------------

@dataclass
class OnnxCheck:
    """How closely the float32 ONNX file reproduces the Keras model, on `images` photos."""

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
                f"{self.identity_difference:.1e} (tolerance {self.tolerance:.0e}),\nmap cells before averaging "
                f"{self.map_difference:.1e} (tolerance {self.map_tolerance:.0e});\nsame class for "
                f"{self.same_labels} of {self.images}: {verdict}.")


@dataclass
class CompactCheck:
    """How closely the compact file (8-bit weights) reproduces the Keras model, on `images` photos."""

    images: int
    disagreements: int  # photos for which the compact file gives another class than Keras
    logit_difference: float  # largest |ONNX logit - Keras logit| (reported, not judged)
    map_difference: float  # largest |ONNX map value - Keras map value| (reported, not judged)
    identity_difference: float  # largest |mean of the ONNX map + bias - ONNX logit|
    keras_accuracy: float | None = None  # with true labels only
    onnx_accuracy: float | None = None
    max_disagreement: float = MAX_DISAGREEMENT
    max_accuracy_change: float = MAX_ACCURACY_CHANGE

    @property
    def allowed_disagreements(self):
        return math.ceil(self.max_disagreement * self.images - 1e-9)

    @property
    def accuracy_change(self):
        return None if self.keras_accuracy is None else self.onnx_accuracy - self.keras_accuracy

    @property
    def ok(self):
        accuracy_ok = self.accuracy_change is None or abs(self.accuracy_change) <= self.max_accuracy_change + 1e-12
        return (self.disagreements <= self.allowed_disagreements and accuracy_ok
                and self.identity_difference < COMPACT_IDENTITY_TOLERANCE)

    def __str__(self):
        verdict = "it agrees" if self.ok else "IT DISAGREES: do not use this ONNX file"
        accuracy = ("" if self.keras_accuracy is None else
                    f";\naccuracy {self.onnx_accuracy:.2%} vs. Keras's {self.keras_accuracy:.2%} "
                    f"(allowed: at most {100 * self.max_accuracy_change:.1f} points apart)")
        return (f"Compact ONNX file (8- and 16-bit weights) vs. Keras on {self.images} photos:\n"
                f"another class than Keras for {self.disagreements} of them (allowed: at most "
                f"{self.allowed_disagreements}, {self.max_disagreement:.1%} rounded up){accuracy};\n"
                f"largest differences: logits {self.logit_difference:.2f}, map cells before averaging "
                f"{self.map_difference:.2f},\nits own map mean + bias vs. its logit {self.identity_difference:.1e}: "
                f"{verdict}.")

    def as_dict(self):
        return {"images": self.images, "disagreements": self.disagreements,
                "max_disagreement": self.max_disagreement, "logit_difference": self.logit_difference,
                "map_difference": self.map_difference, "identity_difference": self.identity_difference,
                "keras_accuracy": self.keras_accuracy, "onnx_accuracy": self.onnx_accuracy,
                "max_accuracy_change": self.max_accuracy_change}


def run_onnx(onnx_path, images, features=False):
    """(logits [N, 2], class maps [N, 5, 5, 2]) of `images` computed by onnxruntime; with
    features=True, also the feature maps [N, 5, 5, 1280]."""
    try:
        import onnxruntime
    except ImportError as error:
        raise OnnxExportError("Checking the ONNX file needs onnxruntime: pip install onnxruntime") from error
    input_name, logits_name, map_name, features_name = onnx_outputs(onnx_path)
    session = onnxruntime.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    names = [logits_name, map_name] + ([features_name] if features else [])
    return tuple(session.run(names, {input_name: np.asarray(images, np.float32)}))


def check_images(images):
    """`images` as float32 pixels [N, 160, 160, 3], or a ValueError that says what is wrong."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[1:] != IMAGE_SIZE + (3,) or len(images) == 0:
        raise ValueError(f"images must have shape [N, {IMAGE_SIZE[0]}, {IMAGE_SIZE[1]}, 3] with N >= 1, "
                         f"not {list(images.shape)}")
    return images


def keras_outputs(model4, images):
    """(logits, class maps) of `images` computed by Keras."""
    return model4.predict(images, verbose=0), cam.class_maps(model4, images)


def check_onnx(model4, onnx_path, images, tolerance=TOLERANCE, map_tolerance=MAP_TOLERANCE, keras_results=None):
    """Run the same images through Keras (model4 itself, and its class maps) and through
    onnxruntime, and compare. images: float pixels 0-255, [N, 160, 160, 3]; keras_results: Keras's
    (logits, maps) of them, if already computed.
    Returns an OnnxCheck (print it); its ``ok`` is True when the logits (and each map's mean
    plus the bias) differ by less than `tolerance`, the map values by less than
    `map_tolerance`, and every predicted class is the same."""
    images = check_images(images)
    keras_logits, keras_maps = keras_results or keras_outputs(model4, images)
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


def check_compact(model4, onnx_path, images, labels=None, keras_results=None, max_disagreement=MAX_DISAGREEMENT):
    """The compact file against Keras on the same images (float pixels 0-255, [N, 160, 160, 3]):
    how many get another class, the largest differences, and, when `labels` (the true class of
    each image) are given, both accuracies; keras_results: Keras's (logits, maps) of the
    images, if already computed; max_disagreement: the share of the photos that may get another
    class. Returns a CompactCheck (print it)."""
    images = check_images(images)
    keras_logits, keras_maps = keras_results or keras_outputs(model4, images)
    onnx_logits, onnx_maps = run_onnx(onnx_path, images)
    keras_classes, onnx_classes = keras_logits.argmax(axis=1), onnx_logits.argmax(axis=1)
    accuracies = {}
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (len(images),):
            raise ValueError(f"labels must give one class per image ({len(images)}), not shape {list(labels.shape)}")
        accuracies = {"keras_accuracy": float((keras_classes == labels).mean()),
                      "onnx_accuracy": float((onnx_classes == labels).mean())}
    return CompactCheck(
        images=len(images),
        disagreements=int((keras_classes != onnx_classes).sum()),
        logit_difference=float(np.abs(keras_logits - onnx_logits).max()),
        map_difference=float(np.abs(keras_maps - onnx_maps).max()),
        identity_difference=float(np.abs(onnx_maps.mean(axis=(1, 2)) + cam.dense_bias(model4) - onnx_logits).max()),
        max_disagreement=max_disagreement,
        **accuracies,
    )


# --- The compact file ------------------------------------------------------------------------------

def compact_onnx(source, target):
    """Write a copy of the ONNX file `source` to `target` with its convolution weights stored
    compactly, turned back into float32 in the graph when the model loads:

    - the large ordinary convolutions' (97 % of the weights) as 8-bit integers with one scale per
      output channel (``w ≈ scale[c] * q``, ``q`` in -127..127), through a DequantizeLinear
      (ONNX opset 13 and later);
    - the depthwise convolutions' (one 3x3 filter per channel) and those of the small early
      convolutions (fewer than FLOAT16_BELOW weights) as float16, through a Cast: 3 % of the
      weights, where 8 bits moved the logits most (on the published model4, 8 bits everywhere gave
      another class than Keras for 8 of its 1,000 validation and test photos; this, for 3).

    Returns the number of weight tensors stored in 8 and in 16 bits."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    initializers = {tensor.name: tensor for tensor in graph.initializer}
    weights = {node.input[1] for node in graph.node if node.op_type == "Conv" and node.input[1] in initializers}
    restore, counts = [], {"int8": 0, "float16": 0}
    for name in sorted(weights):
        values = numpy_helper.to_array(initializers[name]).astype(np.float32)  # [out channels, in / groups, height, width]
        graph.initializer.remove(initializers[name])
        # Each new node's output takes the weight's name, so every node that used it now reads it from there.
        if values.shape[1] == 1 or values.size < FLOAT16_BELOW:  # depthwise, or small
            graph.initializer.append(numpy_helper.from_array(values.astype(np.float16), f"{name}_float16"))
            restore.append(helper.make_node("Cast", [f"{name}_float16"], [name], name=f"{name}_cast", to=onnx.TensorProto.FLOAT))
            counts["float16"] += 1
            continue
        largest = np.abs(values.reshape(len(values), -1)).max(axis=1)
        scale = np.where(largest > 0, largest / WEIGHT_LEVELS, 1).astype(np.float32)
        levels = np.clip(np.round(values / scale.reshape(-1, 1, 1, 1)), -WEIGHT_LEVELS, WEIGHT_LEVELS).astype(np.int8)
        graph.initializer.extend([numpy_helper.from_array(levels, f"{name}_int8"),
                                  numpy_helper.from_array(scale, f"{name}_scale"),
                                  numpy_helper.from_array(np.zeros(len(values), np.int8), f"{name}_zero_point")])
        restore.append(helper.make_node("DequantizeLinear", [f"{name}_int8", f"{name}_scale", f"{name}_zero_point"],
                                        [name], name=f"{name}_dequantize", axis=0))
        counts["int8"] += 1
    nodes = restore + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(target))
    return counts


# --- model4.json and its schema ----------------------------------------------------------------------

def _type_of(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def validate(schema, value, where="model4.json"):
    """The problems of `value` against `schema` (a list of "where: what" strings; empty when it
    fits): the few keywords of JSON Schema that model4.schema.json uses (its description lists
    them). posts/widget/description.js's validate() is the same function in JavaScript."""
    kind = _type_of(value)
    if "const" in schema and value != schema["const"]:
        return [f"{where}: must be {json.dumps(schema['const'])}"]
    if "type" in schema:
        allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if kind not in allowed and not (kind == "integer" and "number" in allowed):
            return [f"{where}: must be {' or '.join(allowed)}, not {kind}"]
    problems = []
    if kind == "object":
        problems += [f'{where}: "{key}" is missing' for key in schema.get("required", []) if key not in value]
        for key, inner in schema.get("properties", {}).items():
            if key in value:
                problems += validate(inner, value[key], f"{where}.{key}")
    elif kind == "array":
        if "minItems" in schema and len(value) < schema["minItems"]:
            problems.append(f"{where}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            problems.append(f"{where}: more than {schema['maxItems']} items")
        for index, item in enumerate(value if "items" in schema else []):
            problems += validate(schema["items"], item, f"{where}[{index}]")
    elif kind in ("integer", "number"):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{where}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{where}: above {schema['maximum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            problems.append(f"{where}: not above {schema['exclusiveMinimum']}")
    elif kind == "string" and "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(f"{where}: does not match {schema['pattern']}")
    return problems


def load_schema():
    """model4.schema.json, the one description of model4.json (the page reads it too)."""
    if not SCHEMA.is_file():
        raise OnnxExportError(f"The schema of model4.json ({SCHEMA}) is missing: it comes with the repository "
                              f"(install the package from a clone, `pip install -e .`)")
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def describe(model4, model, paths, class_names, float_check, check, scale, float_size):
    """model4.json's content: everything the page needs to know about the written file."""
    input_name, logits_name, map_name, features_name = paths["names"]
    map_height, map_width, classes = model.outputs[1].shape[1:]
    return {
        "model": model4.name,
        "file": paths["onnx"].name,
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
            "colours": list(map_drawing.CLASS_COLOURS),
            "opacity": map_drawing.MAP_OPACITY,
            "scale": scale,
            "scale_meaning": (f"map[..., 1] - map[..., 0] is drawn at full colour from this value on: "
                              f"the {map_drawing.SCALE_PERCENTILE}th percentile of its size on the checked photos"),
        },
        "features": {
            "name": features_name,
            "shape": [None, *model.outputs[2].shape[1:]],
            "meaning": ("the feature map under the class maps: its mean over the cells is the 1280 numbers "
                        "model4's dense head reads (post 05's trainer fits a new head on them)"),
        },
        "weights": {
            "storage": ("convolution weights as 8-bit integers with one float32 scale per output channel "
                        "(DequantizeLinear), depthwise ones as float16 (Cast); everything else float32"),
            "tensors": paths["compacted"],
            "float32_size_bytes": float_size,
        },
        "check": check.as_dict(),
        "check_float32": {"images": float_check.images, "logit_difference": float_check.logit_difference,
                          "identity_difference": float_check.identity_difference, "tolerance": float_check.tolerance,
                          "map_difference": float_check.map_difference, "map_tolerance": float_check.map_tolerance},
        "opset": OPSET,
        "keras_version": keras.__version__,
        "size_bytes": paths["onnx"].stat().st_size,
    }


# --- The export, step by step ------------------------------------------------------------------------

@dataclass
class OnnxExport:
    """What export_onnx wrote, and the checks that the written model passed."""

    onnx_path: Path
    json_path: Path
    check: CompactCheck
    float_check: OnnxCheck


def require_export_tools():
    """Raise OnnxExportError, saying what to do, where ONNX cannot be exported (Keras 2, missing packages)."""
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


def check_arguments(class_names, images):
    """The arguments of export_onnx, checked (a ValueError says what is wrong); returns the images as float32."""
    if len(class_names) != 2:
        raise ValueError(f"model4 has two outputs, so give two class names, not {list(class_names)}")
    return check_images(images)


def export_float(model, onnx_path):
    """Write the Keras model `model` as a float32 ONNX file. Its input signature is the model's own
    input: any batch size, 160x160 RGB, float32."""
    with warnings.catch_warnings():  # tf2onnx checks for np.object, which NumPy 2 warns about
        warnings.simplefilter("ignore", FutureWarning)
        model.export(str(onnx_path), format="onnx", input_signature=model.inputs, opset_version=OPSET, verbose=False)


def export_onnx(model4, directory, class_names, images, labels=None,
                max_disagreement=MAX_DISAGREEMENT):
    """Write ``model4.onnx`` (its weights stored compactly) and ``model4.json`` into `directory`, check them, return an OnnxExport.

    model4: the trained Keras model (input: float32 pixels 0-255, shape [N, 160, 160, 3];
        output: two logits).
    directory: the folder to write into (created if missing); existing files are replaced.
    class_names: the class of each logit, e.g. ``["cats", "dogs"]``.
    images: photos (float pixels 0-255, [N, 160, 160, 3]) on which the float32 file must give
        model4's logits and maps (see check_onnx) and the compact file its classes (see
        check_compact); the colour scale of the page's map is also taken from their maps
        (catsdogs.map_drawing.map_scale).
    labels: optional true class of each image: then the compact file's accuracy on them must
        be within MAX_ACCURACY_CHANGE of Keras's.
    max_disagreement: the share of the images on which the compact file may give another class
        than Keras (MAX_DISAGREEMENT, 0.5 %, for a trained model; the tests' quick model, whose
        untrained head leaves its answers near 50 %, needs more).

    Raises OnnxExportError when this Keras cannot export ONNX (Keras 2), the packages it needs
    (tf2onnx, onnx, onnxruntime) are missing, the model has no head whose maps are exact, or a
    written file disagrees with Keras; in the last case no file is left behind.
    """
    require_export_tools()
    images = check_arguments(class_names, images)
    try:
        model = cam.class_map_model(model4)
    except ValueError as error:
        raise OnnxExportError(f"Cannot export {model4.name!r} with its class map: {error}") from error
    schema = load_schema()

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"onnx": directory / "model4.onnx", "json": directory / "model4.json"}
    paths["json"].unlink(missing_ok=True)  # never leave the description of an older file beside a new one
    paths["onnx"].unlink(missing_ok=True)
    keras_results = keras_outputs(model4, images)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            float_path = Path(scratch) / "model4-float32.onnx"
            export_float(model, float_path)
            float_check = check_onnx(model4, float_path, images, keras_results=keras_results)
            if not float_check.ok:
                raise OnnxExportError(f"The exported file does not compute what {model4.name!r} computes, so "
                                      f"nothing was written:\n{float_check}")
            paths["compacted"] = compact_onnx(float_path, paths["onnx"])
            float_size = float_path.stat().st_size
        check = check_compact(model4, paths["onnx"], images, labels, keras_results=keras_results,
                              max_disagreement=max_disagreement)
        if not check.ok:
            raise OnnxExportError(f"The compact file does not compute what {model4.name!r} computes closely "
                                  f"enough, so it was deleted:\n{check}")
        paths["names"] = onnx_outputs(paths["onnx"])
        scale = map_drawing.map_scale(cam.evidence_for(keras_results[1], 1))
        metadata = describe(model4, model, paths, class_names, float_check, check, scale, float_size)
        problems = validate(schema, metadata)
        if problems:
            raise OnnxExportError(f"model4.json would not fit its schema ({SCHEMA.name}): {'; '.join(problems)}")
    except Exception:
        paths["onnx"].unlink(missing_ok=True)
        raise
    paths["json"].write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return OnnxExport(paths["onnx"], paths["json"], check, float_check)
