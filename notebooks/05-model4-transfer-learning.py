# ---
# title: "05 · model4: transfer learning with MobileNetV2"
# description: "Reuse a network that learned to see from 1.4 million ImageNet photos: train a small head on top of frozen MobileNetV2, then fine-tune its top layers."
# date: 2026-11-24
# categories: [model4, transfer learning, fine-tuning, MobileNetV2]
# image: ../images/cover.png
# ---

# %% [markdown]
# Our models from scratch had to learn from 2000 photos what edges, fur, eyes and ears look like.
# MobileNetV2 learned all that, and much more, from the 1.4 million photos of ImageNet, many of
# them cats and dogs. *Transfer learning* reuses it: we keep its convolutional part, the *base*,
# frozen, and train only a small new *head* that turns its features into "cat" or "dog". Then we
# *fine-tune*: unfreeze the top of the base and let it adapt, very gently, to our photos.

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
# ## The pretrained base
#
# `keras.applications.MobileNetV2` with `weights="imagenet"` downloads the ImageNet weights once
# into the Keras cache (`~/.keras/models`) and reads them from there afterwards;
# `include_top=False` drops ImageNet's 1000-class classifier and keeps the feature extractor. For
# 160×160 inputs it returns a 5×5 map of 1280 features. If the weights cannot be had, the function
# below stops with a message instead of silently going on with random weights, which would train
# without error and teach you nothing.
#
# The base is frozen (`trainable = False`) and wrapped as `base_model_layer`, called with
# `training=False`. That second part matters: MobileNetV2 contains batch normalisation layers,
# which in training mode replace their ImageNet statistics with those of each batch of ours. In
# inference mode they keep them.
#
# model4 is then the preprocessor of post 04 (MobileNetV2 expects pixels in [-1, 1]), the
# augmentation of post 03, the base, and a head: global average pooling (one number per feature),
# dropout, and two logits.

# %%
WEIGHTS_FILE = os.path.join(KERAS_HOME, "models", "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_160_no_top.h5")
MODEL_PATH = os.path.join(RESULTS_DIR, "model4.keras")  # where post 05 saves the final model and post 06 finds it
FINE_TUNE_AT = 100  # MobileNetV2's layers from this one on are unfrozen for fine-tuning
FINE_TUNE_EPOCHS = max(1, EPOCHS // 4)
ROTATION = 0.05  # as in post 03


def load_base_model():
    """MobileNetV2 with its ImageNet weights, without its classifier (weights downloaded once into the Keras cache)."""
    try:
        return keras.applications.MobileNetV2(input_shape=IMAGE_SIZE + (3,), include_top=False, weights="imagenet")
    except Exception as error:  # no network and no cached file, or a damaged file: never go on with random weights
        raise SystemExit(f"Could not load MobileNetV2's ImageNet weights: {error}\n"
                         f"No network? Copy the weights file to {WEIGHTS_FILE} and run this cell again. "
                         f"If that file exists but is damaged, delete it so it is downloaded again.") from None


def build_model4(base_model):
    """preprocessor -> augmentation -> frozen MobileNetV2 (inference mode) -> pooling, dropout, two logits."""
    base_model.trainable = False
    image = keras.Input(shape=IMAGE_SIZE + (3,))
    base_model_layer = keras.Model(image, base_model(image, training=False), name="base_model_layer")
    preprocessor = keras.Model(image, keras.applications.mobilenet_v2.preprocess_input(image), name="preprocessor")
    augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(ROTATION)], name="augmentation")
    return keras.Sequential([keras.Input(shape=IMAGE_SIZE + (3,)), preprocessor, augmentation, base_model_layer,
                             layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(2)], name="model4")


def unfreeze_top(base_model, fine_tune_at=FINE_TUNE_AT):
    """Make the base model's layers from `fine_tune_at` on trainable, except batch normalisation:
    the lower layers and every BatchNormalization layer stay frozen (so it keeps its ImageNet statistics)."""
    base_model.trainable = True
    for index, layer in enumerate(base_model.layers):
        layer.trainable = index >= fine_tune_at and not isinstance(layer, layers.BatchNormalization)

base_model = load_base_model()
model4 = build_model4(base_model)
model4.summary()

# %%
trainable = sum(int(np.prod(weight.shape)) for weight in model4.trainable_weights)
frozen = sum(int(np.prod(weight.shape)) for weight in model4.non_trainable_weights)
print(f"Trainable parameters: {trainable:,}; frozen (non-trainable) parameters: {frozen:,} "
      f"({trainable / (trainable + frozen):.2%} of the model is trained).")

# %% [markdown]
# Only the head, one weight per feature and class plus two biases, is trained: everything
# MobileNetV2 knows stays as it is, which is why 2000 photos are enough.
#
# ## Training the head
#
# The same recipe as for models 1–3: Adam with a cosine-decaying learning rate, 20 epochs.

# %%
compile_model(model4)
start = time.perf_counter()
history4 = model4.fit(train, epochs=EPOCHS, validation_data=validation, verbose=2).history
print(f"Training took {time.perf_counter() - start:.0f} s for {EPOCHS} epochs.")

# %%
plot_history({"model4": history4}, "model4: frozen MobileNetV2 with a new head")

# %%
summarize("model4", history4, baseline_accuracy)
compare_with_earlier_posts("model4", history4)

# %% [markdown]
# ## Fine-tuning
#
# The base's lower layers detect generic patterns (edges, textures) that suit any photo; its
# upper layers combine them into ImageNet-specific parts. We unfreeze the upper third, from
# layer `FINE_TUNE_AT` on: MobileNetV2's inverted-residual blocks 12 to 16, most of block 11, and
# its final 1×1 convolution. We train them together with the head for a few more epochs. The
# learning rate must be much lower (1e-5 instead of 1e-3), or the large updates would wreck the
# pretrained features in the first steps. Changing what is trainable requires compiling again.
#
# One trap: the batch normalisation layers inside the unfrozen part must stay frozen. In Keras 3 a
# frozen BatchNormalization layer always runs in inference mode, whatever else happens. When we
# let them train (our first attempt, with `training=False` still in place), training accuracy fell
# sharply in the first fine-tuning epoch and the model ended up worse than before fine-tuning. So
# `unfreeze_top` unfreezes the convolutions from layer `FINE_TUNE_AT` on and leaves every
# BatchNormalization layer frozen.

# %%
unfreeze_top(base_model)
compile_model(model4, epochs=FINE_TUNE_EPOCHS, learning_rate=1e-5)
trainable_layers = sum(layer.trainable and bool(layer.weights) for layer in base_model.layers)
print(f"{len(base_model.layers)} layers in the base; from layer {FINE_TUNE_AT} "
      f"('{base_model.layers[FINE_TUNE_AT].name}') on, {trainable_layers} layers with weights are trainable "
      f"(all but the batch normalisation layers).")
start = time.perf_counter()
fine_tune_history = model4.fit(train, epochs=FINE_TUNE_EPOCHS, validation_data=validation, verbose=2).history
print(f"Fine-tuning took {time.perf_counter() - start:.0f} s for {FINE_TUNE_EPOCHS} epochs.")

# %%
combined = {metric: history4[metric] + fine_tune_history[metric] for metric in history4}
plot_history({"model4": combined}, "model4: head training, then fine-tuning", fine_tune_epoch=len(history4["accuracy"]))
summarize("model4 fine-tuned", combined, baseline_accuracy)

# %% [markdown]
# ## Saving the model
#
# Post 06 scores this model on the test set that no model has seen yet. We save it in the Keras
# format next to the data in the Keras cache; post 06 loads it from there (or, in a fresh Colab
# runtime where it does not exist, trains it again with this recipe).

# %%
os.makedirs(RESULTS_DIR, exist_ok=True)
model4.save(MODEL_PATH)
print(f"Saved model4 to {MODEL_PATH} ({os.path.getsize(MODEL_PATH) / 1e6:.1f} MB)")

# %% [markdown]
# ## What's next
#
# The validation set has guided every choice we made, so its accuracy flatters us a little. In
# the last post we take out the test set we locked away in post 01, score model4 on it, look at
# every photo it gets wrong, and classify photos of your own.
