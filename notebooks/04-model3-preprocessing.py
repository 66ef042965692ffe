# ---
# title: "04 · model3: preprocessing"
# description: "Scale the pixels to [-1, 1] before anything else, the way MobileNetV2 expects them, and measure what it changes."
# date: 2026-11-24
# categories: [model3, preprocessing, training]
# image: ../images/cover.png
# ---

# %% [markdown]
# Our models so far received raw pixel values between 0 and 255. Neural networks train best when
# their inputs are small and centred around zero: the first layer's outputs, and the gradients
# that flow back into its weights, grow with the size of the inputs, so raw pixels call for a
# smaller learning rate and make the first steps of training erratic. In this post we put a
# *preprocessor* in front of the model that scales pixels to [-1, 1], exactly as the pretrained
# MobileNetV2 of the next post expects, and measure what it changes.

# %% [markdown]
# ## Setup
#
# The setup of post 01, folded (click to unfold): imports, the seed, and the functions that
# download and check the data, split it into train / validation / test and build the cached
# input pipeline. Each post runs on its own, so each post carries it. `CATS_DOGS_EPOCHS` and
# `CATS_DOGS_BATCHES` are a quick mode for our tests; leave them unset for the real run.

# %%
#| code-fold: true
#| code-summary: "Setup: imports, seed and data loading (as in post 01)"
import glob
import json
import os
import time
import warnings
import zipfile

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from IPython.display import Markdown, display
from keras import layers

SEED = 42
keras.utils.set_random_seed(SEED)
# Keras warns that fit's default shuffle=True does nothing on a tf.data pipeline (ours shuffles itself).
warnings.filterwarnings("ignore", message="`shuffle=True` was passed")

IMAGE_SIZE = (160, 160)
BATCH_SIZE = 32
EPOCHS = int(os.environ.get("CATS_DOGS_EPOCHS", 20))  # quick mode: fewer epochs
MAX_BATCHES = int(os.environ.get("CATS_DOGS_BATCHES", 0))  # quick mode: batches per split, 0 = all
KERAS_HOME = os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras"))
ARCHIVE = os.path.join(KERAS_HOME, "datasets", "cats_and_dogs.zip")
RESULTS_DIR = os.path.join(KERAS_HOME, "cats_vs_dogs")  # histories and the saved model, shared by the posts
DATA_URL = "https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip"
EXPECTED_COUNTS = {"train": {"cats": 1000, "dogs": 1000}, "validation": {"cats": 500, "dogs": 500}}
IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")  # the files image_dataset_from_directory reads


def count_images(data_dir):
    """{split: {class: number of image files}} for the sub-folders found in data_dir."""
    return {
        split: {label: len([name for name in os.listdir(os.path.join(data_dir, split, label))
                            if name.lower().endswith(IMAGE_EXTENSIONS)])
                for label in sorted(os.listdir(os.path.join(data_dir, split)))
                if os.path.isdir(os.path.join(data_dir, split, label))}
        for split in sorted(os.listdir(data_dir)) if os.path.isdir(os.path.join(data_dir, split))
    } if os.path.isdir(data_dir) else {}


def download_data():
    """Return the cats_and_dogs_filtered folder, downloading the archive on the first run."""
    try:
        path = keras.utils.get_file("cats_and_dogs.zip", origin=DATA_URL, extract=True)
    except zipfile.BadZipFile:
        path = os.path.dirname(ARCHIVE)  # the archive is damaged: the count check below says so
    except Exception as error:
        raise SystemExit(f"Could not download the data: {error}\nNo network? Download {DATA_URL} "
                         f"elsewhere and copy it to {ARCHIVE}, then run this cell again.") from None
    # Keras 3 returns the folder it extracted into; Keras 2 returns the archive, extracted beside it.
    data_dir = os.path.join(path if os.path.isdir(path) else os.path.dirname(path), "cats_and_dogs_filtered")
    found = count_images(data_dir)
    if found != EXPECTED_COUNTS:
        raise SystemExit(f"The archive {ARCHIVE} is damaged or incomplete (a half-finished download?):\n"
                         f"expected {EXPECTED_COUNTS} images, found {found or 'none'}.\n"
                         f"Delete it and run this cell again to download a fresh copy:\n"
                         f"    rm {ARCHIVE}")
    return data_dir


def check_layout(data_dir):
    """Stop unless data_dir holds train/ and validation/, each with cats/ and dogs/ images."""
    found = count_images(data_dir)
    layout_ok = all(sorted(found.get(split, {})) == ["cats", "dogs"] and all(found[split].values())
                    for split in EXPECTED_COUNTS)
    if not layout_ok:
        raise SystemExit(f"{data_dir} is not laid out as expected.\n"
                         f"Expected: train/ and validation/, each with image folders cats/ and dogs/.\n"
                         f"Found: {found or 'no sub-folders'}")
    return data_dir


def find_data():
    """The data folder: $CATS_DOGS_DIR if you set it, else the tutorial archive."""
    own_dir = os.environ.get("CATS_DOGS_DIR")
    return check_layout(own_dir if own_dir else download_data())


def find_unreadable_images(data_dir):
    """The image files under data_dir that TensorFlow cannot decode."""
    unreadable = []
    for path in sorted(glob.glob(os.path.join(data_dir, "*", "*", "*"))):
        if path.lower().endswith(IMAGE_EXTENSIONS):
            try:
                tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
            except tf.errors.OpError:
                unreadable.append(path)
    return unreadable


def load_splits(data_dir):
    """Train, validation and test datasets of (image, label): the validation folder split 80/20, fixed by the seed."""
    unreadable = find_unreadable_images(data_dir)
    if unreadable:
        raise SystemExit("These image files cannot be decoded; remove or replace them, then run again:\n"
                         + "\n".join(unreadable))
    options = dict(image_size=IMAGE_SIZE, batch_size=None, seed=SEED, verbose=False)
    train = keras.utils.image_dataset_from_directory(os.path.join(data_dir, "train"), **options)
    validation, test = keras.utils.image_dataset_from_directory(
        os.path.join(data_dir, "validation"), validation_split=0.2, subset="both", **options)
    return train, validation, test


def prepare(dataset, shuffle=False):
    """Cache decoded images, shuffle every epoch (training only), batch and prefetch."""
    if MAX_BATCHES:
        dataset = dataset.take(MAX_BATCHES * BATCH_SIZE)
    dataset = dataset.cache()
    if shuffle:
        dataset = dataset.shuffle(buffer_size=2000, seed=SEED)
    return dataset.batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)

# %% [markdown]
# ## The data
#
# The fixed splits of post 01, through the cached pipeline, and the baseline (always answering
# the most frequent training label).

# %%
data_dir = find_data()
train_images, validation_images, test_images = load_splits(data_dir)
train, validation = prepare(train_images, shuffle=True), prepare(validation_images)
class_names = train_images.class_names

training_labels = np.concatenate([labels for _, labels in train])
baseline_accuracy = np.bincount(training_labels).max() / len(training_labels)
print(f"{len(training_labels)} training images, classes {class_names}, baseline accuracy {baseline_accuracy:.1%}")

# %% [markdown]
# The helpers of post 02, folded: the training recipe, the learning-curve plot, the printed
# summary, and a table that compares this post's model with the earlier ones.

# %%
#| code-fold: true
#| code-summary: "Helpers: training recipe, plots, printed statements (as in post 02)"
def compile_model(model, epochs=EPOCHS, learning_rate=1e-3):
    """Adam with a learning rate that decays along a cosine over `epochs`; cross-entropy on two logits."""
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=epochs * len(train))
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])


def plot_history(histories, title, fine_tune_epoch=None):
    """Training (solid) and validation (dashed) accuracy and loss per epoch, one colour per model."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for (name, history), colour in zip(histories.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"]):
        epochs = range(1, len(history["accuracy"]) + 1)
        for ax, metric in zip(axes, ["accuracy", "loss"]):
            ax.plot(epochs, history[metric], color=colour, marker=".", label=f"{name} training")
            ax.plot(epochs, history[f"val_{metric}"], color=colour, marker=".", linestyle="--",
                    label=f"{name} validation")
    for ax, metric in zip(axes, ["Accuracy", "Loss"]):
        if fine_tune_epoch:
            ax.axvline(fine_tune_epoch + 0.5, color="grey", linestyle=":", label="start of fine-tuning")
        ax.set(title=f"{metric} per epoch", xlabel="epoch", ylabel=metric.lower())
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend()
    fig.suptitle(title)
    plt.show()


def summarize(name, history, baseline_accuracy):
    """Print, from the history: where validation accuracy settled, the gain over the baseline, the overfitting gap."""
    last_validation = np.array(history["val_accuracy"][-5:])
    last_training = np.array(history["accuracy"][-5:])
    gap = last_training.mean() - last_validation.mean()
    gain = last_validation.mean() - baseline_accuracy
    if gap > 0.10:
        verdict = f"{name} overfits clearly: it has learned the training images far better than new ones."
    elif gap > 0.03:
        verdict = f"{name} overfits a little."
    else:
        verdict = f"{name} does not overfit: it does as well on new images as on the ones it trained on."
    display(Markdown(
        f"**{name}: over the last {len(last_validation)} epoch(s), validation accuracy stabilised between "
        f"{last_validation.min():.1%} and {last_validation.max():.1%} (mean {last_validation.mean():.1%}).**\n\n"
        f"That is {100 * abs(gain):.1f} percentage points {'above' if gain >= 0 else 'below'} the "
        f"baseline of {baseline_accuracy:.1%} (always answering the most frequent label).\n\n"
        f"Training accuracy averaged {last_training.mean():.1%} over the same epochs, "
        f"{100 * abs(gap):.1f} points {'above' if gap >= 0 else 'below'} validation: {verdict}"),
        # The stored history lets the README table and the tests read this result from the notebook.
        metadata={"results": {name: {"accuracy": history["accuracy"], "val_accuracy": history["val_accuracy"]}}})
    os.makedirs(RESULTS_DIR, exist_ok=True)
    with open(os.path.join(RESULTS_DIR, f"history_{name}.json"), "w") as file:
        json.dump(history, file)


EARLIER_POSTS = {"model1": "post 02", "model2": "post 03", "model3": "post 04", "model4": "post 05"}


def compare_with_earlier_posts(name, history):
    """Table of validation accuracy (mean of the last 5 epochs): this post's model and the earlier posts'
    models, read from the histories those posts saved on this machine (never typed in)."""
    rows = []
    for model_name, post in EARLIER_POSTS.items():
        if model_name == name:
            rows.append((model_name, "this post", history))
            break
        path = os.path.join(RESULTS_DIR, f"history_{model_name}.json")
        if os.path.exists(path):
            with open(path) as file:
                rows.append((model_name, f"{post} (saved history)", json.load(file)))
        else:
            rows.append((model_name, f"{post}: run it first to see its numbers here", None))
    table = "| model | measured in | epochs | validation accuracy (mean of last 5 epochs) |\n|---|---|---:|---:|\n"
    for model_name, source, saved in rows:
        if saved is None:
            table += f"| {model_name} | {source} | | |\n"
        else:
            table += (f"| {model_name} | {source} | {len(saved['val_accuracy'])} "
                      f"| {np.mean(saved['val_accuracy'][-5:]):.1%} |\n")
    display(Markdown(table))
# %% [markdown]
# ## The preprocessor
#
# `keras.applications.mobilenet_v2.preprocess_input` is the function that prepared MobileNetV2's
# training images: it maps a pixel value `x` in [0, 255] to `x / 127.5 - 1` in [-1, 1]. We wrap it
# in a small `keras.Model` so it becomes a layer of our model and travels with it when the model
# is saved: whoever uses the model later feeds it ordinary photos.

# %%
inputs = keras.Input(shape=IMAGE_SIZE + (3,))
preprocessor = keras.Model(inputs, keras.applications.mobilenet_v2.preprocess_input(inputs), name="preprocessor")

images, _ = next(iter(train))
scaled = preprocessor(images)
rescaling = layers.Rescaling(1 / 127.5, offset=-1)
print(f"Pixels before: {float(tf.reduce_min(images)):.0f} to {float(tf.reduce_max(images)):.0f}; "
      f"after: {float(tf.reduce_min(scaled)):.3f} to {float(tf.reduce_max(scaled)):.3f}")
print(f"Largest difference from Rescaling(1/127.5, offset=-1) on a batch of {len(images)} images: "
      f"{float(tf.reduce_max(tf.abs(scaled - rescaling(images)))):.1e}")

# %% [markdown]
# The difference is at the level of float32 rounding: the preprocessor *is* a rescaling layer.
#
# ## model3
#
# The preprocessor comes first, then the augmentation of post 03, then model1's layers. Scaling
# first means augmentation and the network both work on [-1, 1] values.

# %%
#| code-fold: true
#| code-summary: "model1's layers (as in post 02)"
def conv_block(filters, batch_norm=True):
    """3×3 convolution, batch normalisation, ReLU, then 2×2 max pooling (halves the image)."""
    if not batch_norm:
        return [layers.Conv2D(filters, 3, padding="same", activation="relu"), layers.MaxPooling2D()]
    return [layers.Conv2D(filters, 3, padding="same", use_bias=False), layers.BatchNormalization(),
            layers.Activation("relu"), layers.MaxPooling2D()]


def cnn_layers(widths=(16, 32, 64, 128), batch_norm=True):
    """Average 2×2 pixels, one block per width, then Flatten, Dropout and two output logits."""
    blocks = [layer for filters in widths for layer in conv_block(filters, batch_norm)]
    return [layers.AveragePooling2D(2), *blocks, layers.Flatten(), layers.Dropout(0.3), layers.Dense(2)]

# %%
ROTATION = 0.05  # as in post 03
augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(ROTATION)], name="augmentation")
model3 = keras.Sequential([keras.Input(shape=IMAGE_SIZE + (3,)), preprocessor, augmentation, *cnn_layers()], name="model3")
model3.summary()

# %%
compile_model(model3)
start = time.perf_counter()
history3 = model3.fit(train, epochs=EPOCHS, validation_data=validation, verbose=2).history
print(f"Training took {time.perf_counter() - start:.0f} s for {EPOCHS} epochs.")

# %%
plot_history({"model3": history3}, "model3: preprocessing, augmentation and model1's layers")

# %% [markdown]
# ## How well does it do?
#
# Printed from the history, and compared with model1 and model2 as posts 02 and 03 measured them.

# %%
summarize("model3", history3, baseline_accuracy)
compare_with_earlier_posts("model3", history3)

# %% [markdown]
# Note what the comparison can and cannot say. Our network normalises the output of its first
# convolution with batch normalisation, which already undoes most of the effect of the input's
# scale; without it, raw pixels would hurt much more. And two runs that differ only in their
# random numbers (initial weights, augmentation) can differ by a point or two, so a difference of
# that size between model2 and model3 is weak evidence either way.
#
# ## What's next
#
# Three models trained from scratch on 2000 photos. In the next post we stop starting from
# scratch: MobileNetV2 has already learned to see from 1.4 million ImageNet photos, and with the
# same preprocessor in front we can reuse what it knows.
