"""The settings every post uses: image size, batch size, seed, quick mode, and where files go.

Two environment variables make a quick test run (our tests use them; leave them unset):
`CATS_DOGS_EPOCHS` (training epochs per model, default 20) and `CATS_DOGS_BATCHES`
(use only this many batches of each split, default 0 = all data). `CATS_DOGS_DIR` points the
posts at photos of your own, laid out as `train/{cats,dogs}` and `validation/{cats,dogs}`.
"""

import os

SEED = 42
IMAGE_SIZE = (160, 160)
BATCH_SIZE = 32
EPOCHS = int(os.environ.get("CATS_DOGS_EPOCHS", 20))
MAX_BATCHES = int(os.environ.get("CATS_DOGS_BATCHES", 0))  # 0 = all data

# The Keras cache: downloads go to its datasets/ and models/ folders; the posts keep their
# training histories and saved models in cats_vs_dogs/, where later posts find them.
DEFAULT_KERAS_HOME = os.path.expanduser(os.path.join("~", ".keras"))
KERAS_HOME = os.path.expanduser(os.environ.get("KERAS_HOME", DEFAULT_KERAS_HOME))
RESULTS_DIR = os.path.join(KERAS_HOME, "cats_vs_dogs")


def shown_path(path):
    """A path as the posts print it: inside the Keras cache as `~/.keras/...` (or `$KERAS_HOME/...`),
    so that the published outputs show no folder of the machine they ran on."""
    path = os.path.abspath(path)
    if path == KERAS_HOME or path.startswith(KERAS_HOME + os.sep):
        home = "~/.keras" if KERAS_HOME == DEFAULT_KERAS_HOME else "$KERAS_HOME"
        return home + path[len(KERAS_HOME):].replace(os.sep, "/")
    return os.path.basename(path)
