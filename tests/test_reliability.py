"""Bad input ends in a clear message, never a bare stack trace.

Each test runs a real post with nbclient (a real kernel, real TensorFlow, real files) against a
bad Keras cache or data folder built in a temporary directory, and checks what the reader sees.
The posts stop on bad data with the package's own CatsDogsError, whose message says what to do
and names the cause; Jupyter shows that message alone, without a stack trace.
"""

import os
import re
import shutil
import zipfile

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from catsdogs import config
from catsdogs.config import ARCHIVE_NAME, WEIGHTS_NAME
from catsdogs.data import DATA_URL
from helpers import POSTS_DIR, QUICK, linked_keras_cache

# A proxy on a closed local port: every download fails at once, as on an offline machine.
OFFLINE = {name: "http://127.0.0.1:9" for name in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"]}
OFFLINE.update(no_proxy="", NO_PROXY="")


def run_post(slug, env, extra_code=None, up_to=None):
    """Run a post in a fresh kernel with `env` added to the environment; return (error output or None, text).

    up_to: run the post only down to the first code cell that contains this text (what the test
    is about), then `extra_code`; the later cells are left out."""
    notebook = nbformat.read(POSTS_DIR / f"{slug}.ipynb", as_version=4)
    if up_to is not None:
        last = next(index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code" and up_to in cell.source)
        notebook.cells = notebook.cells[:last + 1]
    for cell in notebook.cells:  # cells after a stop must not show the stored outputs of the published run
        if cell.cell_type == "code":
            cell.outputs = []
    if extra_code:
        notebook.cells.append(nbformat.v4.new_code_cell(extra_code))
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(POSTS_DIR)}})
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    error = None
    try:
        client.execute()
    except CellExecutionError:
        pass
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                error = output
            texts.append(output.get("text", "") or output.get("data", {}).get("text/plain", ""))
    return error, "".join(texts)


def assert_clear_stop(error, *phrases):
    """The post stopped with CatsDogsError (its message only, no stack trace) saying every phrase."""
    assert error is not None, "the post did not stop"
    assert error.ename == "CatsDogsError", f"stopped with a bare {error.ename}: {error.evalue[:300]}"
    shown = "\n".join(error.traceback)
    assert "Traceback" not in shown and 'File "' not in shown, f"a stack trace is shown:\n{shown[:1000]}"
    for phrase in phrases:
        assert phrase in error.evalue, f"the message does not say {phrase!r}:\n{error.evalue}"


@pytest.fixture(scope="session")
def real_cache():
    """A Keras cache with the real archive and MobileNetV2 weights (the one `make test` staged)."""
    archive, weights = config.archive_path(), config.weights_path()
    if not (os.path.exists(archive) and os.path.exists(weights)):
        import keras  # on a machine with network (GitHub Actions), fetch both into the cache once
        keras.utils.get_file(ARCHIVE_NAME, origin=DATA_URL, extract=False)
        keras.applications.MobileNetV2(input_shape=config.IMAGE_SIZE + (3,), include_top=False, weights="imagenet")
    return archive, weights


@pytest.fixture
def small_data(tmp_path, real_cache):
    """A data folder laid out like the real one, with 12 real photos per class and split."""
    archive, _ = real_cache
    folder = tmp_path / "photos"
    with zipfile.ZipFile(archive) as zipped:
        for split in ["train", "validation"]:
            for label in ["cats", "dogs"]:
                (folder / split / label).mkdir(parents=True)
                names = sorted(name for name in zipped.namelist()
                               if name.startswith(f"cats_and_dogs_filtered/{split}/{label}/") and name.endswith(".jpg"))
                for name in names[:12]:
                    (folder / split / label / os.path.basename(name)).write_bytes(zipped.read(name))
    return folder


def cache_with(tmp_path, real_cache, archive_bytes=None, weights=True):
    """A fresh KERAS_HOME holding the given archive bytes (or the real archive) and the weights."""
    archive, weights_file = real_cache
    keras_home = tmp_path / "keras"
    (keras_home / "datasets").mkdir(parents=True)
    (keras_home / "models").mkdir()
    target = keras_home / "datasets" / ARCHIVE_NAME
    if archive_bytes is None:
        shutil.copyfile(archive, target)
    else:
        target.write_bytes(archive_bytes)
    if weights:
        shutil.copyfile(weights_file, keras_home / "models" / WEIGHTS_NAME)
    return keras_home


# 1. No network and no cached archive.
def test_no_network_and_no_archive(tmp_path):
    keras_home = tmp_path / "empty-keras-home"
    error, _ = run_post("01-load-data", {"KERAS_HOME": str(keras_home), **OFFLINE})
    assert_clear_stop(error, "Could not download the data", DATA_URL,
                      str(keras_home / "datasets" / ARCHIVE_NAME), "copy it to")
    # the cause is kept: Keras's error, with its type, inside the message
    assert re.search(r"Could not download the data \(\w+: .*" + re.escape(DATA_URL), error.evalue), error.evalue


# 2. A truncated or corrupt archive in the cache.
@pytest.mark.parametrize("damage", ["truncated", "corrupt member"])
def test_damaged_archive(tmp_path, real_cache, damage):
    data = bytearray(open(real_cache[0], "rb").read())
    if damage == "truncated":  # half a download
        data = data[: len(data) // 2]
    else:  # the archive's directory is intact, but bytes inside a file were overwritten
        middle = len(data) // 2
        data[middle: middle + 4096] = bytes(4096)
    keras_home = cache_with(tmp_path, real_cache, bytes(data))
    error, _ = run_post("01-load-data", {"KERAS_HOME": str(keras_home), **QUICK})
    archive = str(keras_home / "datasets" / "cats_and_dogs.zip")
    assert_clear_stop(error, "is damaged or incomplete", "expected {'train': {'cats': 1000", f"rm {archive}")
    assert os.path.exists(archive), "the reader's file must not be deleted for them"


# 3. A wrong folder layout.
@pytest.mark.parametrize("layout", ["no train and validation", "other classes"])
def test_wrong_layout(tmp_path, small_data, layout):
    if layout == "no train and validation":
        shutil.rmtree(small_data / "validation")
        (small_data / "train").rename(small_data / "pictures")
        found = "'pictures': {'cats': 12, 'dogs': 12}"
    else:
        (small_data / "validation" / "dogs").rename(small_data / "validation" / "birds")
        found = "'validation': {'birds': 12, 'cats': 12}"
    error, _ = run_post("01-load-data", {"CATS_DOGS_DIR": str(small_data), **QUICK})
    assert_clear_stop(error, "is not laid out as expected",
                      "Expected: train/ and validation/, each with image folders cats/ and dogs/", found)


# 4. A corrupt or non-image file among the images: post 01 names it, a training post refuses to train.
@pytest.mark.parametrize("slug", ["01-load-data", "02-model1-cnn"])
def test_unreadable_image_is_named(tmp_path, small_data, slug):
    broken = small_data / "train" / "cats" / "cat.broken.jpg"
    broken.write_text("not a JPEG at all")
    truncated = small_data / "validation" / "dogs" / "dog.truncated.jpg"
    some_photo = next((small_data / "validation" / "dogs").glob("dog.*.jpg"))
    truncated.write_bytes(some_photo.read_bytes()[:2000])
    error, text = run_post(slug, {"CATS_DOGS_DIR": str(small_data), **QUICK})
    assert_clear_stop(error, "cannot be decoded; remove or replace them", str(broken), str(truncated))
    assert "epoch " not in text and "val " not in text, "training started despite unreadable files"


# 5 and 6. Post 07 with its saved model missing (the post down to the cell that loads it, which
# trains one), then classify() on good and bad files; a saved model that cannot be loaded.
LOADS_MODEL4 = "models.saved_model4_or_train("
@pytest.fixture
def photo_files(tmp_path, small_data):
    from PIL import Image
    cat = Image.open(next((small_data / "train" / "cats").glob("*.jpg")))
    files = {"missing": tmp_path / "no-such-photo.jpg", "text": tmp_path / "notes.png",
             "rgba": tmp_path / "cat-alpha.png", "gray": tmp_path / "cat-gray.jpg",
             "tiny": tmp_path / "tiny.jpg", "huge": tmp_path / "huge.jpg"}
    files["text"].write_text("a text file, not a PNG")
    cat.convert("RGBA").save(files["rgba"])
    cat.convert("L").save(files["gray"])
    cat.resize((3, 2)).save(files["tiny"])
    cat.resize((6000, 4500)).save(files["huge"])
    return files


def test_missing_model_is_retrained_and_classify_handles_every_file(tmp_path, photo_files):
    keras_home = linked_keras_cache(tmp_path / "keras")  # the test cache's photos and weights, no saved model
    order = ["rgba", "missing", "gray", "text", "tiny", "huge"]
    call = "photos.classify(model4, [" + ", ".join(repr(str(photo_files[name])) for name in order) + "], class_names)"
    error, text = run_post("07-what-the-model-sees", {"KERAS_HOME": str(keras_home), **QUICK}, extra_code=call,
                           up_to=LOADS_MODEL4)
    assert error is None, f"post 07 failed: {error.ename if error else ''}: {error.evalue[:300] if error else ''}"
    assert "No saved model at $KERAS_HOME/cats_vs_dogs/model4.keras" in text
    assert "So this post trains model4 itself, with post 05's recipe, and saves it" in text
    assert "1. Training the head on the frozen MobileNetV2:" in text and "2. Fine-tuning from layer" in text
    assert "parameters, trained by post 07" in text
    assert (keras_home / "cats_vs_dogs" / "model4.keras").exists(), "post 07 did not save the model it trained"
    lines = {line.split(": ", 1)[0]: line for line in text.splitlines()}
    assert f"{photo_files['missing']}: skipped, no such file; check the name and the folder" in text.splitlines()
    assert lines[photo_files["text"].name].endswith("skipped, TensorFlow cannot decode it as an image:")
    message = text.split(f"{photo_files['text'].name}: ", 1)[1].splitlines()
    assert message[1].strip() and message[2] == (
        "    If it is a photo in another format (HEIC, say), save it as JPEG or PNG and try again."), message[:3]
    for name in ["rgba", "gray", "tiny", "huge"]:
        answer = lines[photo_files[name].name].split(": ", 1)[1]
        assert answer.startswith(("cat (", "dog (")) and answer.endswith("%)"), f"{name}: {answer}"


def test_incompatible_saved_model_is_reported(tmp_path, monkeypatch):
    """A saved model4 that Keras cannot load is reported with its cause, whole; then post 07 trains
    its own, as when there is none (the test above runs that path through the post)."""
    from catsdogs import models

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    model_path = tmp_path / "cats_vs_dogs" / "model4.keras"
    model_path.parent.mkdir()
    model_path.write_bytes(b"PK\x03\x04 not a Keras model from any version")
    model, problem = models.load_saved_model("model4")
    assert model is None
    assert "The saved model $KERAS_HOME/cats_vs_dogs/model4.keras cannot be loaded" in problem
    assert "It may come from another Keras version or be damaged" in problem
    # the cause is shown whole: Keras's own error type and message, not cut short
    cause = next(line for line in problem.splitlines() if line.startswith(("ValueError:", "BadZipFile:", "OSError:")))
    assert len(cause) > 30 and not cause.endswith("..."), cause


def test_missing_weights_stop_with_a_message(tmp_path, real_cache):
    keras_home = cache_with(tmp_path, real_cache, weights=False)
    error, text = run_post("05-model4-transfer-learning", {"KERAS_HOME": str(keras_home), **OFFLINE, **QUICK})
    assert_clear_stop(error, "Could not load MobileNetV2's ImageNet weights", str(keras_home / "models" / WEIGHTS_NAME))
    assert "val " not in text and "epoch " not in text, "training started without the ImageNet weights"
