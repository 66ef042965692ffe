"""The ONNX export of model4 (catsdogs/onnx_export.py) and the committed model, without a browser.

- A model exported HERE from a quick-mode model4 (ImageNet MobileNetV2 + an untrained head)
  loads in onnxruntime and gives, on real photos of the test split, Keras's classes; its maps'
  mean plus the dense bias is its logit; its float32 version matched Keras within 1e-4 (the
  export checks it, and the JSON records it); its weights are stored compactly (8 bits), so the
  file is under a third of the float32 one; its JSON fits the schema and describes it.
- compact_onnx on a small graph: 8-bit convolution weights (float16 depthwise ones) give what
  the float32 graph gives, within the rounding of the weights; check_compact notices a file
  whose weights are wrong.
- The schema of model4.json (posts/widget/model4.schema.json) means the same to Python's
  validate, to the page's (posts/widget/description.js, run with node) and to the jsonschema package.
- The export refuses clearly: bad arguments, Keras 2, a model whose maps are not exact, and an
  exported file that disagrees with Keras (then no file is left behind).
- The committed run/model4.onnx matches run/model4.json (input name and shape, outputs,
  classes; the schema) and, on the 1,000 validation and test photos (catsdogs.data.load_splits),
  gets as many right as the run's records say Keras's model4 did, within 0.3 points.

Needs TensorFlow, onnx, tf2onnx and onnxruntime (requirements.txt); no browser (the widget's
browser tests are in tests/test_widget.py).
"""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

from widget_harness import (
    COMMITTED_METADATA,
    COMMITTED_MODEL,
    QUICK_MAX_DISAGREEMENT,
    ROOT,
    SCHEMA,
    SHARES_THE_QUICK_MODEL4,
    committed_model_on_the_splits,
    quick_export,
    quick_model4,
    split_photos,
)

pytestmark = SHARES_THE_QUICK_MODEL4

MAX_MODEL_BYTES = 10 * 1024 * 1024  # the committed model must stay below this
MAX_COMPACT_SHARE = 0.3  # the compact file's size, as a share of the float32 file's
TOLERANCE = 1e-4  # logits, and a map's mean + bias against the logit (float32)
MAP_TOLERANCE = 1e-3  # single map values (float32)
MAX_ACCURACY_CHANGE = 0.003  # the compact file's accuracy against Keras's


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

    from catsdogs import map_drawing, onnx_export
    from catsdogs.config import IMAGE_SIZE

    assert exported.onnx_path.name == "model4.onnx" and exported.json_path.name == "model4.json"
    assert sorted(path.name for path in exported.onnx_path.parent.iterdir()) == ["model4.json", "model4.onnx"]
    size = exported.onnx_path.stat().st_size
    metadata = json.loads(exported.json_path.read_text())
    assert onnx_export.validate(json.loads(SCHEMA.read_text()), metadata) == []
    assert metadata["size_bytes"] == size
    assert size < MAX_COMPACT_SHARE * metadata["weights"]["float32_size_bytes"], (
        f"{exported.onnx_path} is {size / 1e6:.1f} MB, the float32 file {metadata['weights']['float32_size_bytes'] / 1e6:.1f} MB")
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
    assert class_map["colours"] == list(map_drawing.CLASS_COLOURS) and class_map["opacity"] == map_drawing.MAP_OPACITY
    assert class_map["scale"] > 0 and len(class_map["bias"]) == 2
    assert "test_accuracy" not in metadata, "the model's accuracies are the run's records (run/run.json)"
    float_check = metadata["check_float32"]
    assert float_check["images"] == len(images) and float_check["map_difference"] < MAP_TOLERANCE
    assert max(float_check["logit_difference"], float_check["identity_difference"]) < TOLERANCE
    assert metadata["check"]["images"] == len(images) and metadata["check"]["max_disagreement"] == QUICK_MAX_DISAGREEMENT
    assert metadata["check"]["disagreements"] <= QUICK_MAX_DISAGREEMENT * len(images)
    graph = onnx.load(str(exported.onnx_path)).graph
    operators = {node.op_type for node in graph.node}
    assert not any("Random" in op for op in operators), f"random (augmentation) operators left in: {operators}"
    stored = {tensor.data_type for tensor in graph.initializer}
    assert {onnx.TensorProto.INT8, onnx.TensorProto.FLOAT16} <= stored and {"DequantizeLinear", "Cast"} <= operators
    counts = metadata["weights"]["tensors"]
    assert counts["int8"] >= 20 and counts["float16"] >= 30, counts
    print(f"compact model4.onnx: {size / 1e6:.2f} MB (float32 {metadata['weights']['float32_size_bytes'] / 1e6:.2f} MB), {counts}")


def test_onnx_gives_keras_classes_and_maps(model4, exported, images):
    """Computed here, not taken from the export's own check: the compact file gives Keras's class
    for every photo, logits and maps close to Keras's, and its map mean + bias is its logit."""
    from catsdogs import cam

    metadata = json.loads(exported.json_path.read_text())
    logits, maps = onnx_session(exported.onnx_path).run(
        [metadata["output"]["name"], metadata["class_map"]["name"]], {metadata["input"]["name"]: images})
    keras_logits = model4.predict(images, verbose=0)
    keras_maps = cam.class_maps(model4, images)
    logit_difference = np.abs(logits - keras_logits).max()
    identity_difference = np.abs(maps.mean(axis=(1, 2)) + np.array(metadata["class_map"]["bias"]) - logits).max()
    map_difference = np.abs(maps - keras_maps).max()
    print(f"{len(images)} photos, compact ONNX vs. Keras: logits {logit_difference:.1e} (largest logit "
          f"{np.abs(keras_logits).max():.1f}), maps {map_difference:.1e} (scale {metadata['class_map']['scale']:.2f}), "
          f"map mean + bias vs. its logits {identity_difference:.1e}")
    disagreements = int((logits.argmax(axis=1) != keras_logits.argmax(axis=1)).sum())
    assert disagreements <= QUICK_MAX_DISAGREEMENT * len(images), f"another class than Keras for {disagreements} of {len(images)} photos"
    assert identity_difference < 1e-3
    # 8-bit weights move the logits and single map values by up to a fifth of their size (measured:
    # 14 % of the largest logit, 21 % of the map's colour scale on these photos): visible as a
    # slightly different map at most. Far larger differences mean wrong weights.
    assert logit_difference < 0.25 * np.abs(keras_logits).max() and map_difference < 0.25 * metadata["class_map"]["scale"]
    assert np.abs(maps).max() > 100 * TOLERANCE, "maps of (almost) zeros would pass trivially"


def test_the_feature_output_is_what_model4_s_head_reads(model4, exported, images):
    """The third output (post 05's trainer in the page fits its head on it): model4's 5×5×1280
    feature map, whose mean over the cells, through model4's own dense layer, gives the logits."""
    from catsdogs import cam

    metadata = json.loads(exported.json_path.read_text())
    assert metadata["features"]["shape"] == [None, 5, 5, 1280]
    logits, features = onnx_session(exported.onnx_path).run(
        [metadata["output"]["name"], metadata["features"]["name"]], {metadata["input"]["name"]: images})
    assert features.shape == (len(images), 5, 5, 1280)
    kernel, bias = cam.split_model4(model4)[1][-1].get_weights()
    identity_difference = np.abs(features.mean(axis=(1, 2)) @ kernel + bias - logits).max()
    assert identity_difference < 1e-3, f"pooled features through the dense layer differ from the logits by {identity_difference}"
    assert np.abs(features).max() > 100 * TOLERANCE, "features of (almost) zeros would pass trivially"


def test_compact_onnx_on_a_small_graph(tmp_path):
    """Two convolutions (an ordinary one and a depthwise one) stored compactly give the float32
    graph's output within the rounding of their weights; the file shrinks by almost 4."""
    import onnx
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    from catsdogs.onnx_export import compact_onnx

    generator = np.random.default_rng(0)
    weights = (generator.normal(size=(64, 32, 3, 3)) * np.linspace(0.1, 10, 64).reshape(-1, 1, 1, 1)).astype(np.float32)
    depthwise = generator.normal(size=(64, 1, 3, 3)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["h"], pads=[1, 1, 1, 1]),
         helper.make_node("Conv", ["h", "d"], ["y"], pads=[1, 1, 1, 1], group=64)],
        "small", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 32, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 64, 8, 8])],
        [numpy_helper.from_array(weights, "w"), numpy_helper.from_array(depthwise, "d")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
    onnx.save(model, str(tmp_path / "float.onnx"))
    assert compact_onnx(tmp_path / "float.onnx", tmp_path / "compact.onnx") == {"int8": 1, "float16": 1}
    pixels = {"x": generator.normal(size=(1, 32, 8, 8)).astype(np.float32)}
    wanted, got = (onnxruntime.InferenceSession(str(tmp_path / name), providers=["CPUExecutionProvider"]).run(None, pixels)[0]
                   for name in ("float.onnx", "compact.onnx"))
    relative = np.abs(got - wanted).max() / np.abs(wanted).max()
    assert 0 < relative < 0.01, f"the compact graph differs by {relative:.2%} of the largest output"
    sizes = [(tmp_path / name).stat().st_size for name in ("float.onnx", "compact.onnx")]
    assert sizes[1] < 0.3 * sizes[0], sizes


def test_check_compact_notices_wrong_weights(model4, exported, images, tmp_path):
    """A compact file whose scales are off (each channel's weights stretched at random) is refused."""
    import onnx
    from onnx import numpy_helper

    from catsdogs.onnx_export import check_compact

    model = onnx.load(str(exported.onnx_path))
    generator = np.random.default_rng(0)
    for tensor in model.graph.initializer:
        if tensor.name.endswith("_scale"):
            scale = numpy_helper.to_array(tensor)
            tensor.CopyFrom(numpy_helper.from_array(scale * generator.uniform(0, 3, scale.shape).astype(np.float32), tensor.name))
    onnx.save(model, str(tmp_path / "model4.onnx"))
    labels = np.array([0] * (len(images) // 2) + [1] * (len(images) - len(images) // 2))  # split_photos: cats, then dogs
    good = check_compact(model4, exported.onnx_path, images, max_disagreement=QUICK_MAX_DISAGREEMENT)
    bad = check_compact(model4, tmp_path / "model4.onnx", images, labels, max_disagreement=QUICK_MAX_DISAGREEMENT)
    assert good.ok and good.accuracy_change is None, str(good)
    assert not bad.ok and "IT DISAGREES" in str(bad) and bad.disagreements > bad.allowed_disagreements, str(bad)
    assert bad.accuracy_change is not None and "accuracy" in str(bad)


def test_schema_means_the_same_in_python_javascript_and_jsonschema(exported):
    """Python's validate (catsdogs/onnx_export.py), the page's (posts/widget/description.js) and
    the jsonschema package give the same verdict on model4.json and on broken copies of it."""
    import copy

    import jsonschema

    from catsdogs.onnx_export import validate

    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    good = json.loads(exported.json_path.read_text())
    breakages = {
        "no labels": lambda d: d.pop("labels"),
        "three classes": lambda d: d["class_names"].append("foxes"),
        "colour name": lambda d: d["class_map"].__setitem__("colours", ["purple", "#e66101"]),
        "zero scale": lambda d: d["class_map"].__setitem__("scale", 0),
        "opacity 2": lambda d: d["class_map"].__setitem__("opacity", 2),
        "shape of 3": lambda d: d["input"].__setitem__("shape", [None, 160, 160]),
        "float16 input": lambda d: d["input"].__setitem__("dtype", "float16"),
        "no check": lambda d: d.pop("check"),
        "size as text": lambda d: d.__setitem__("size_bytes", "2 MB"),
        "no output name": lambda d: d["output"].pop("name"),
        "not an object": lambda d: d.clear(),
    }
    cases = {"good": good, "committed": json.loads(COMMITTED_METADATA.read_text())}
    for name, breaking in breakages.items():
        cases[name] = copy.deepcopy(good)
        breaking(cases[name])
    cases["not an object"] = []
    script = ("import { validate } from './posts/widget/description.js';"
              "import { readFileSync } from 'node:fs';"
              f"const schema = JSON.parse(readFileSync('{SCHEMA.relative_to(ROOT).as_posix()}', 'utf8'));"
              "const cases = JSON.parse(readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, validate(schema, v)]))));")
    result = subprocess.run(["node", "--input-type=module", "-e", script], cwd=ROOT, input=json.dumps(cases),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    javascript = json.loads(result.stdout)
    for name, case in cases.items():
        python = validate(schema, case)
        assert python == javascript[name], f"{name}: Python says {python}, JavaScript {javascript[name]}"
        assert (not python) == jsonschema.Draft202012Validator(schema).is_valid(case), f"{name}: jsonschema disagrees"
        assert (not python) == (name in ("good", "committed")), f"{name}: {python}"


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
    from catsdogs.onnx_export import validate

    assert COMMITTED_MODEL.exists() and COMMITTED_METADATA.exists(), (
        f"{COMMITTED_MODEL} and {COMMITTED_METADATA} are committed by the full run (make series)")
    assert COMMITTED_MODEL.stat().st_size < MAX_MODEL_BYTES
    metadata = json.loads(COMMITTED_METADATA.read_text())
    assert validate(json.loads(SCHEMA.read_text()), metadata) == [], "the committed model4.json does not fit its schema"
    assert metadata["size_bytes"] == COMMITTED_MODEL.stat().st_size, "model4.json describes another file"
    assert metadata["class_names"] == ["cats", "dogs"] and metadata["labels"] == ["cat", "dog"]
    session = onnx_session(COMMITTED_MODEL)
    (model_input,) = session.get_inputs()
    assert model_input.name == metadata["input"]["name"]
    assert list(model_input.shape[1:]) == metadata["input"]["shape"][1:] == [*IMAGE_SIZE, 3]
    outputs = [output.name for output in session.get_outputs()]
    declared = [metadata["output"], metadata["class_map"]]
    for output in declared:
        assert output["name"] in outputs, f"model4.json declares an output {output['name']} that the file lacks"
    pixels = np.zeros((1, *IMAGE_SIZE, 3), np.float32)
    logits, maps = session.run([output["name"] for output in declared], {model_input.name: pixels})
    assert logits.shape == (1, len(metadata["class_names"]))
    assert list(maps.shape[1:]) == metadata["class_map"]["shape"][1:]


def test_committed_model_reproduces_the_run_s_accuracy():
    """The committed file, on all 1,000 validation and test photos, with the pixels the posts score
    (image_dataset_from_directory's decoding and resizing), gets as many right as the published
    run's model4 did in Keras (its records: the test score, and the fine-tuned history's last
    validation epoch, the weights that were saved), within MAX_ACCURACY_CHANGE (its weights are
    stored in 8 bits)."""
    from catsdogs import results

    run = results.read_run_file(ROOT / results.RUN_FILE_IN_REPOSITORY)
    test_score = results.from_json(run["records"][results.TEST])
    fine_tuned = results.from_json(run["records"][results.FINE_TUNED])
    outputs = committed_model_on_the_splits()
    correct, photos, declared = 0, 0, 0.0
    for split, keras_accuracy in [("test", test_score.accuracy), ("validation", fine_tuned.val_accuracy[-1])]:
        labels, logits, _ = outputs[split]
        correct += int((logits.argmax(axis=1) == labels).sum())
        photos += len(labels)
        declared += keras_accuracy * len(labels)
    print(f"committed model: {correct} of {photos} right; the run's records: {declared:.1f}")
    assert abs(correct - declared) <= MAX_ACCURACY_CHANGE * photos + 0.5, (
        f"the committed ONNX model gets {correct} of {photos} validation and test photos right, "
        f"the run's model4 {declared:.1f}")
