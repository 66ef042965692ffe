# ---
# title: "01 · Load the data"
# description: "Download 3000 photos of cats and dogs, split them into train, validation and a truly held-out test set, and build a fast input pipeline."
# date: 2026-11-24
# categories: [data, tf.data, series]
# image: ../images/cover.png
# ---

# %% [markdown]
# Can a model tell a cat from a dog in a single photo? Over six posts we build four image
# classifiers with TensorFlow and Keras, from a small CNN trained from scratch to a fine-tuned
# MobileNetV2, and score the best one on photos it has never seen. This first post gets the
# data ready: we download it, split it so that the final score is honest, build an input
# pipeline that decodes each JPEG only once, look at a few pictures, count the labels and
# check that every file is readable.
#
# Every post runs on its own, top to bottom, in Colab or on your machine.

# %% [markdown]
# ## Setup
#
# Imports and a fixed seed: `keras.utils.set_random_seed` seeds Python, NumPy and TensorFlow in
# one call, so a re-run draws the same "random" pictures and splits. `CATS_DOGS_BATCHES` is a
# quick mode for our tests (a few batches per split instead of all data); leave it unset.

# %%
import glob
import hashlib
import os
import zipfile

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

SEED = 42
keras.utils.set_random_seed(SEED)

IMAGE_SIZE = (160, 160)
BATCH_SIZE = 32
MAX_BATCHES = int(os.environ.get("CATS_DOGS_BATCHES", 0))  # quick mode: batches per split, 0 = all
print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}")

# %% [markdown]
# ## Download the data
#
# The data is the "cats_and_dogs_filtered" set of TensorFlow's tutorials: 3000 JPEG photos from
# the Kaggle "Dogs vs. Cats" competition, 1000 cats and 1000 dogs for training and 500 of each
# for validation. `keras.utils.get_file` downloads the archive once into the Keras cache
# (`~/.keras/datasets`, or `$KERAS_HOME/datasets`) and extracts it; later runs find it there.
#
# Older tutorials then write `os.path.join(os.path.dirname(path), "cats_and_dogs_filtered")`.
# That is right on Keras 2, where `get_file` returns the path of the *archive*, but wrong on
# Keras 3, where it returns the *folder it extracted into*. The function below handles both.
# It also stops with a message that says what to do when the download fails (no network) or the
# archive is damaged (a half-finished download), instead of training on half the data. To use
# your own photos, set `CATS_DOGS_DIR` to a folder laid out like this one (`train/` and
# `validation/`, each with `cats/` and `dogs/`).

# %%
DATA_URL = "https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip"
ARCHIVE = os.path.join(os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras")), "datasets", "cats_and_dogs.zip")
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


data_dir = find_data()
print("Data folder:", data_dir)
print("Images found:", count_images(data_dir))

# %% [markdown]
# ## Is every file readable?
#
# This data set is clean, but larger ones are not: the full Kaggle "PetImages" set, for example,
# has files that are not valid JPEGs, and a single one stops training with a decoding error
# halfway through an epoch. So we decode every image file once, with the same decoder the
# datasets use, before we use any of them. If a file fails, this post stops and names it; the
# later posts run the same check before training and refuse to start in the same way, so you can
# remove or replace the file instead of losing an hour of training to it.

# %%
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


unreadable = find_unreadable_images(data_dir)
n_files = sum(sum(classes.values()) for classes in count_images(data_dir).values())
print(f"Checked {n_files} image files: {len(unreadable)} unreadable.")
if unreadable:
    raise SystemExit("These image files cannot be decoded; remove or replace them, then run again:\n"
                     + "\n".join(unreadable))

# %% [markdown]
# ## Why the usual test set is not a test set
#
# The assignment this series grew from takes its test set from the validation data:
# `test = validation.take(n // 5)` and `validation = validation.skip(n // 5)`. But
# `image_dataset_from_directory` shuffles again on every pass over the data, so `take` picks
# *different* images each time it is iterated, and `skip` leaves a different remainder. Let us
# measure it. To compare images we fingerprint their pixels.

# %%
def fingerprints(dataset):
    """Fingerprints of the pixels of every image in a batched dataset of (images, labels)."""
    return {hashlib.sha1(image.numpy().tobytes()).hexdigest() for images, _ in dataset for image in images}


validation_dir = os.path.join(data_dir, "validation")
seed_era_validation = keras.utils.image_dataset_from_directory(
    validation_dir, image_size=IMAGE_SIZE, batch_size=BATCH_SIZE, seed=SEED, verbose=False)
n_batches = int(seed_era_validation.cardinality())
seed_era_test = seed_era_validation.take(n_batches // 5)
seed_era_validation = seed_era_validation.skip(n_batches // 5)

first_pass, second_pass = fingerprints(seed_era_test), fingerprints(seed_era_test)
validation_pass = fingerprints(seed_era_validation)
print(f"Seed-era test set: {len(first_pass)} images per pass; "
      f"two passes share only {len(first_pass & second_pass)} of them.")
print(f"{len(first_pass & validation_pass)} of the {len(first_pass)} test images of one pass "
      f"also appear in one pass over the validation set.")

# %% [markdown]
# So the "test" score of the seed-era posts was computed on a different random sample at every
# call, and on images that had also served as validation data while the model was chosen.
#
# ## A fixed, disjoint split
#
# The fix: split the validation *files* once, with a seed. `validation_split=0.2` with
# `subset="both"` returns two datasets over two disjoint, fixed lists of files: 80% for
# validation, 20% for a test set that no model sees until the last post. (Keras reports the two
# parts as "training" and "validation" files; for us they are validation and test.) We load
# images one at a time (`batch_size=None`) and batch them in the pipeline below. `load_splits`
# runs the readability check again, so that no later post can skip it.

# %%
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


train_images, validation_images, test_images = load_splits(data_dir)
class_names = train_images.class_names
for name, split in [("train", train_images), ("validation", validation_images), ("test", test_images)]:
    print(f"{name:>10}: {len(split.file_paths):4d} images")
print("Classes:", class_names)
print("Files in both validation and test:", len(set(validation_images.file_paths) & set(test_images.file_paths)))

# %% [markdown]
# ## The input pipeline
#
# Decoding a JPEG and resizing it costs more than a small model's step on it, so we do it once:
# `cache()` keeps the decoded images in memory after the first epoch, `shuffle` draws a new
# order every epoch (training only), `batch` groups 32 images, and `prefetch` prepares the next
# batch while the model works on this one.

# %%
def prepare(dataset, shuffle=False):
    """Cache decoded images, shuffle every epoch (training only), batch and prefetch."""
    if MAX_BATCHES:
        dataset = dataset.take(MAX_BATCHES * BATCH_SIZE)
    dataset = dataset.cache()
    if shuffle:
        dataset = dataset.shuffle(buffer_size=2000, seed=SEED)
    return dataset.batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)


train = prepare(train_images, shuffle=True)
validation = prepare(validation_images)
test = prepare(test_images)

validation_prints, test_prints = fingerprints(validation), fingerprints(test)
print(f"Our split: {len(validation_prints)} validation and {len(test_prints)} test images; "
      f"overlap {len(validation_prints & test_prints)}; two passes over the test set share "
      f"{len(test_prints & fingerprints(test))} of {len(test_prints)}.")

# %% [markdown]
# ## A look at the pictures
#
# A small function draws three random cats in the first row and three random dogs in the
# second. The photos come in every size and framing; `image_dataset_from_directory` resized them
# to 160×160, which squashes some of them a little.

# %%
def show_cats_and_dogs(dataset, class_names, per_class=3):
    """Draw `per_class` random images of each class, one row per class."""
    fig, axes = plt.subplots(len(class_names), per_class, figsize=(3 * per_class, 3.2 * len(class_names)))
    for row, class_name in enumerate(class_names):
        examples = dataset.unbatch().filter(lambda image, label: label == row).take(per_class)
        for ax, (image, _) in zip(axes[row], examples):
            ax.imshow(image.numpy().astype("uint8"))
            ax.set_title(class_name.rstrip("s"))  # "cats" -> "cat"
            ax.axis("off")
    fig.suptitle("Three random cats (top row) and dogs (bottom row) from the training set")
    plt.show()


show_cats_and_dogs(train, class_names)

# %% [markdown]
# ## How many of each?
#
# Before training anything we need a baseline: the accuracy of a "model" that always answers
# the most frequent label. A classifier is only useful if it beats it. We count the labels with
# an iterator over the training labels, as the assignment does.

# %%
labels_iterator = train.unbatch().map(lambda image, label: label).as_numpy_iterator()
label_counts = np.bincount(list(labels_iterator), minlength=len(class_names))
for class_name, count in zip(class_names, label_counts):
    print(f"{class_name}: {count} training images")
baseline_accuracy = label_counts.max() / label_counts.sum()
print(f"Baseline accuracy (always answer '{class_names[label_counts.argmax()]}'): {baseline_accuracy:.1%}")

# %% [markdown]
# ## What's next
#
# We have 2000 training images, a fixed validation set and a test set we keep locked away until
# post 06, a pipeline that decodes every photo once, and a baseline to beat. In the next post we
# train our first model, a small convolutional network, from scratch.
