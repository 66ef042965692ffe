"""The ONNX export of model4 (catsdogs/onnx_export.py) and the committed model, without a browser.

- A model exported HERE from a quick-mode model4 (ImageNet MobileNetV2 + an untrained head)
  loads in onnxruntime and gives, on real photos of the test split, Keras's logits and model4's
  class maps (whose mean plus the dense bias is the logit) within 1e-4; its JSON describes it.
- The export refuses clearly: bad arguments, Keras 2, a model whose maps are not exact, and an
  exported file that disagrees with Keras (then no file is left behind).
- The committed posts/widget/model4.onnx matches posts/widget/model4.json (input name and
  shape, outputs, classes) and, on the 200 photos of the test split (catsdogs.data.load_splits),
  reproduces the test accuracy the JSON declares, exactly; the same for validation.

Needs TensorFlow, onnx, tf2onnx and onnxruntime (requirements.txt); no browser (the widget's
browser tests are in tests/test_widget.py).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from widget_harness import WIDGET_DIR, quick_export, quick_model4, split_photos

MAX_MODEL_BYTES = 10 * 1024 * 1024  # the committed model must stay below this
TOLERANCE = 1e-4  # logits, and a map's mean + bias against the logit
MAP_TOLERANCE = 1e-3  # single map values (as the browser's map against Keras's)
COMMITTED_MODEL = WIDGET_DIR / "model4.onnx"
COMMITTED_METADATA = WIDGET_DIR / "model4.json"


@pytest.fixture(scope="module")
def model4():
    return quick_model4()


@pytest.fixture(scope="module")
def images():
    return np.stack([pixels for _, pixels in split_photos()]).astype(np.float32)


@pytest.fixture(scope="module")
def exported():
    return quick_export()


def onnx_session(path):
    import onnxruntime

    return onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def test_export_files(exported, images):
    import onnx

    from catsdogs import cam
    from catsdogs.config import IMAGE_SIZE

    assert exported.onnx_path.name == "model4.onnx" and exported.json_path.name == "model4.json"
    size = exported.onnx_path.stat().st_size
    assert size < MAX_MODEL_BYTES, f"{exported.onnx_path} is {size / 1e6:.1f} MB"
    metadata = json.loads(exported.json_path.read_text())
    session = onnx_session(exported.onnx_path)
    assert metadata["class_names"] == ["cats", "dogs"] and metadata["labels"] == ["cat", "dog"]
    assert metadata["input"]["name"] == session.get_inputs()[0].name
    assert metadata["input"]["shape"] == [None, *IMAGE_SIZE, 3] and metadata["input"]["range"] == [0, 255]
    outputs = {output.name: output.shape for output in session.get_outputs()}
    assert metadata["output"]["name"] in outputs and len(outputs[metadata["output"]["name"]]) == 2
    class_map = metadata["class_map"]
    assert class_map["name"] in outputs and class_map["shape"] == [None, 5, 5, 2]
    maps = session.run([class_map["name"]], {metadata["input"]["name"]: images[:2]})[0]
    assert list(maps.shape) == [2, 5, 5, 2], f"the map output has shape {maps.shape}"
    assert class_map["colours"] == list(cam.CLASS_COLOURS) and class_map["opacity"] == cam.MAP_OPACITY
    assert class_map["scale"] > 0 and len(class_map["bias"]) == 2
    assert (metadata["validation_accuracy"], metadata["test_accuracy"]) == (0.5, 0.25)
    assert metadata["check"]["images"] == len(images) and metadata["check"]["map_difference"] < MAP_TOLERANCE
    operators = {node.op_type for node in onnx.load(str(exported.onnx_path)).graph.node}
    assert not any("Random" in op for op in operators), f"random (augmentation) operators left in: {operators}"


def test_onnx_gives_keras_logits_and_maps(model4, exported, images):
    """Computed here, not taken from the export's own check."""
    from catsdogs import cam

    metadata = json.loads(exported.json_path.read_text())
    logits, maps = onnx_session(exported.onnx_path).run(
        [metadata["output"]["name"], metadata["class_map"]["name"]], {metadata["input"]["name"]: images})
    keras_logits = model4.predict(images, verbose=0)
    logit_difference = np.abs(logits - keras_logits).max()
    identity_difference = np.abs(maps.mean(axis=(1, 2)) + np.array(metadata["class_map"]["bias"]) - keras_logits).max()
    map_difference = np.abs(maps - cam.class_maps(model4, images)).max()
    print(f"{len(images)} photos, ONNX vs. Keras: logits {logit_difference:.1e}, maps {map_difference:.1e}, "
          f"map mean + bias vs. logits {identity_difference:.1e}")
    assert logit_difference < TOLERANCE and identity_difference < TOLERANCE and map_difference < MAP_TOLERANCE
    assert np.abs(maps).max() > 100 * TOLERANCE, "maps of (almost) zeros would pass trivially"


def test_export_refuses_a_file_that_disagrees(model4, images, tmp_path, monkeypatch):
    """If the written file computed something else than model4 (here: the maps and logits of
    another head are exported), the export raises and leaves no file behind."""
    import keras

    from catsdogs import cam, onnx_export
    from catsdogs.models import build_model4, load_base_model

    keras.utils.set_random_seed(1)
    other = build_model4(load_base_model())
    real_class_map_model = cam.class_map_model
    monkeypatch.setattr(cam, "class_map_model", lambda model: real_class_map_model(other))
    with pytest.raises(onnx_export.OnnxExportError, match="THEY DISAGREE"):
        onnx_export.export_onnx(model4, tmp_path, ["cats", "dogs"], images[:4])
    assert not list(tmp_path.iterdir()), "a refused export must not leave files behind"


def test_check_onnx_notices_another_model(exported, images):
    import keras

    from catsdogs.models import build_model4, load_base_model
    from catsdogs.onnx_export import check_onnx

    keras.utils.set_random_seed(1)
    other = build_model4(load_base_model())
    check = check_onnx(other, exported.onnx_path, images[:4])
    assert not check.ok and "DISAGREE" in str(check)


def test_export_refuses_clearly(model4, images, tmp_path, monkeypatch):
    import keras

    from catsdogs.onnx_export import OnnxExportError, export_onnx

    with pytest.raises(ValueError, match="two class names"):
        export_onnx(model4, tmp_path, ["cats", "dogs", "foxes"], images[:2])
    with pytest.raises(ValueError, match="between 0 and 1"):
        export_onnx(model4, tmp_path, ["cats", "dogs"], images[:2], test_accuracy=97)
    with pytest.raises(ValueError, match="images must have shape"):
        export_onnx(model4, tmp_path, ["cats", "dogs"], images[0])
    flatten_head = keras.Sequential([keras.Input((160, 160, 3)), keras.layers.Flatten(), keras.layers.Dense(2)],
                                    name="not_model4")
    with pytest.raises(OnnxExportError, match="Cannot export 'not_model4' with its class map"):
        export_onnx(flatten_head, tmp_path, ["cats", "dogs"], images[:2])
    monkeypatch.setattr(keras, "__version__", "2.15.0")  # what the post meets on Keras 2
    with pytest.raises(OnnxExportError, match="needs Keras 3"):
        export_onnx(model4, tmp_path, ["cats", "dogs"], images[:2])
    assert not list(tmp_path.iterdir()), "a refused export must not leave files behind"


# --- The committed model (from the full run) ----------------------------------------------------

def test_committed_model_matches_its_description():
    from catsdogs.config import IMAGE_SIZE

    assert COMMITTED_MODEL.exists() and COMMITTED_METADATA.exists(), (
        "posts/widget/model4.onnx and model4.json are committed by the full run (make series)")
    assert COMMITTED_MODEL.stat().st_size < MAX_MODEL_BYTES
    metadata = json.loads(COMMITTED_METADATA.read_text())
    assert metadata["size_bytes"] == COMMITTED_MODEL.stat().st_size, "model4.json describes another file"
    assert metadata["class_names"] == ["cats", "dogs"] and metadata["labels"] == ["cat", "dog"]
    session = onnx_session(COMMITTED_MODEL)
    (model_input,) = session.get_inputs()
    assert model_input.name == metadata["input"]["name"]
    assert list(model_input.shape[1:]) == metadata["input"]["shape"][1:] == [*IMAGE_SIZE, 3]
    outputs = [output.name for output in session.get_outputs()]
    declared = [metadata["output"]] + ([metadata["class_map"]] if "class_map" in metadata else [])
    for output in declared:
        assert output["name"] in outputs, f"model4.json declares an output {output['name']} that the file lacks"
    pixels = np.zeros((1, *IMAGE_SIZE, 3), np.float32)
    results = session.run([output["name"] for output in declared], {model_input.name: pixels})
    assert results[0].shape == (1, len(metadata["class_names"]))
    if "class_map" in metadata:
        assert list(results[1].shape[1:]) == metadata["class_map"]["shape"][1:]
    for name in ("validation_accuracy", "test_accuracy"):
        assert 0.5 < metadata[name] <= 1, f"{name} in model4.json: {metadata[name]}"


@pytest.mark.parametrize("split", ["test", "validation"])
def test_committed_model_reproduces_its_accuracy(split):
    """The committed file, on every photo of the split, with the pixels post 06 scores
    (image_dataset_from_directory's decoding and resizing), gives the accuracy model4.json states."""
    from catsdogs.data import find_data, load_splits

    metadata = json.loads(COMMITTED_METADATA.read_text())
    _, validation, test = load_splits(find_data())
    dataset = {"test": test, "validation": validation}[split]
    pairs = [(image.numpy(), int(label)) for image, label in dataset]  # one pass: each pass reshuffles
    images = np.stack([image for image, _ in pairs]).astype(np.float32)
    labels = np.array([label for _, label in pairs])
    logits = onnx_session(COMMITTED_MODEL).run([metadata["output"]["name"]], {metadata["input"]["name"]: images})[0]
    correct = int((logits.argmax(axis=1) == labels).sum())
    declared = metadata[f"{split}_accuracy"]
    print(f"committed model, {split} split: {correct} of {len(labels)} right ({correct / len(labels):.2%}); "
          f"model4.json says {declared:.2%}")
    assert correct == round(declared * len(labels)), (
        f"the committed ONNX model gets {correct} of {len(labels)} {split} photos right, "
        f"model4.json says {declared} ({round(declared * len(labels))})")
