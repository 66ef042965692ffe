"""The settings every post uses: image size, batch size, seed, quick mode, and where files go.

The constants below never change during a run. The settings that come from environment
variables are functions, read each time they are used, so that a reader who sets one in a
running notebook (`os.environ["CATS_DOGS_EPOCHS"] = "5"`) is heard by the next cell:

- `CATS_DOGS_EPOCHS`: training epochs per model (default 20, the published full run);
- `CATS_DOGS_BATCHES`: use only this many batches of each split (default 0 = all data);
  our tests set both for a quick run;
- `CATS_DOGS_DIR`: photos of your own, laid out as `train/{cats,dogs}` and `validation/{cats,dogs}`;
- `KERAS_HOME`: the Keras cache (default `~/.keras`), where downloads and our results go;
- `CATS_DOGS_FIGURES_DIR`: set by the series runner only: where figures for the blog's home page go.
"""

import os

from catsdogs.errors import CatsDogsError

SEED = 42
IMAGE_SIZE = (160, 160)
BATCH_SIZE = 32
DEFAULT_EPOCHS = 20  # the published full run
DEFAULT_KERAS_HOME = os.path.join("~", ".keras")
RESULTS_FOLDER = "cats_vs_dogs"  # inside the Keras cache: the posts' saved models and results
ARCHIVE_NAME = "cats_and_dogs.zip"  # the photos, in the Keras cache's datasets/ folder
# MobileNetV2's ImageNet weights, in the Keras cache's models/ folder: Keras names the file after
# the input size, 160 for our 160x160 images.
WEIGHTS_NAME = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{IMAGE_SIZE[0]}_no_top.h5"


def _whole_number(variable, default, minimum=0):
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise CatsDogsError(f"{variable}={text!r} is not a whole number; set it to one (for example "
                            f"{variable}={default}) or unset it.") from None
    if value < minimum:
        raise CatsDogsError(f"{variable}={value} is less than {minimum}; set it to {minimum} or more, or unset it.")
    return value


def epochs():
    """Training epochs per model: $CATS_DOGS_EPOCHS, else 20."""
    return _whole_number("CATS_DOGS_EPOCHS", DEFAULT_EPOCHS, minimum=1)


def max_batches():
    """Use only this many batches of each split: $CATS_DOGS_BATCHES, else 0 (all data)."""
    return _whole_number("CATS_DOGS_BATCHES", 0)


def settings():
    """The settings that change results, as {name: value}: compare two runs only if these agree."""
    return {"epochs": epochs(), "batches": max_batches()}


def keras_home():
    """The Keras cache: $KERAS_HOME, else ~/.keras."""
    return os.path.abspath(os.path.expanduser(os.environ.get("KERAS_HOME") or DEFAULT_KERAS_HOME))


def results_dir():
    """Where the posts keep their trained models and results, for later posts on this machine."""
    return os.path.join(keras_home(), RESULTS_FOLDER)


def archive_path():
    """Where `keras.utils.get_file` keeps the photo archive."""
    return os.path.join(keras_home(), "datasets", ARCHIVE_NAME)


def checked_folders_path():
    """Where data.check_once keeps the fingerprints of the image folders that passed the readability
    check: beside the photo archive, in the Keras cache's datasets/ folder."""
    return os.path.join(keras_home(), "datasets", "checked_image_folders.txt")


def weights_path():
    """Where `MobileNetV2(weights="imagenet")` keeps its weights."""
    return os.path.join(keras_home(), "models", WEIGHTS_NAME)


def own_data_dir():
    """$CATS_DOGS_DIR, your own photos, or None for the tutorial data."""
    return os.environ.get("CATS_DOGS_DIR") or None


def figures_dir():
    """$CATS_DOGS_FIGURES_DIR, set by the series runner, or None (Colab, a plain run: keep no copies)."""
    return os.environ.get("CATS_DOGS_FIGURES_DIR") or None


def shown_path(path):
    """A path as the posts print it: inside the Keras cache as `~/.keras/...` (or `$KERAS_HOME/...`),
    so that the published outputs show no folder of the machine they ran on."""
    path, home = os.path.abspath(path), keras_home()
    if path == home or path.startswith(home + os.sep):
        shown_home = "~/.keras" if home == os.path.abspath(os.path.expanduser(DEFAULT_KERAS_HOME)) else "$KERAS_HOME"
        return shown_home + path[len(home):].replace(os.sep, "/")
    return os.path.basename(path)


def import_tensorflow_quietly():
    """Import TensorFlow without the C++ log lines it prints on a machine without a GPU ("Could not
    find cuda drivers", "failed call to cuInit", oneDNN notices) or while it works (warnings such as
    "Local rendezvous is aborting" when a file is not an image, which `photos.classify` reports in
    its own words). TensorFlow writes its start-up lines to the process's standard error before it
    reads any log setting, so standard error points at nothing while TensorFlow starts; its later
    C++ log keeps only errors (TF_CPP_MIN_LOG_LEVEL=2, unless you set it yourself). Errors raised in
    Python still show. Importing the package calls it, before anything imports TensorFlow."""
    import importlib.util
    import sys

    if importlib.util.find_spec("tensorflow") is None:  # e.g. the site's build, which needs no TensorFlow
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.stderr.flush()
    saved_stderr, nothing = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(nothing, 2)
    try:
        import tensorflow as tf

        tf.config.list_physical_devices()  # looks for GPUs now, while its messages go nowhere
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
        os.close(nothing)
