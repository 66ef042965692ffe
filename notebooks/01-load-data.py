# ---
# title: "01 · Load the data"
# description: >-
#   Download 3000 photos of cats and dogs, split them into train, validation and a truly held-
#   out test set, and build a fast input pipeline.
# date: 2026-11-24
# categories: [data]
# image: ../images/posts/01-load-data.png
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
# The functions this post explains are used by every later post, so they live in a small
# package, `catsdogs`, in the series' repository (the way [d2l](https://d2l.ai) and
# [fastbook](https://github.com/fastai/fastbook) share their code). In Colab the first line
# installs it; it installs nothing else, so Colab's TensorFlow stays as it is. Below, each
# function is shown where it is explained, and then called.

# %%
import importlib.util
import subprocess
import sys

if "google.colab" in sys.modules:  # in Colab: install the series' helper package (a few seconds)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/cats-vs-dogs-tutorial/cats-vs-dogs"], check=True)
if importlib.util.find_spec("catsdogs") is None:
    raise SystemExit("This post needs the series' helper package: pip install git+https://github.com/cats-vs-dogs-tutorial/cats-vs-dogs")
import hashlib
import os

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

from catsdogs import config, data, report

keras.utils.set_random_seed(config.SEED)
print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}")

# %% [markdown]
# `keras.utils.set_random_seed` seeds Python, NumPy and TensorFlow in one call, so a re-run
# draws the same "random" pictures and splits. The package's `config` holds the few settings
# every post shares: the seed (42), the image size (160×160) and the batch size (32).
#
# ## Download the data
#
# The data is the "cats_and_dogs_filtered" set of TensorFlow's tutorials: 3000 JPEG photos from
# the Kaggle "Dogs vs. Cats" competition, 1000 cats and 1000 dogs for training and 500 of each
# for validation. [`keras.utils.get_file`](https://keras.io/api/utils/python_utils/#getfile-function)
# downloads the archive once into the Keras cache (`~/.keras/datasets`, or `$KERAS_HOME/datasets`)
# and extracts it; later runs find it there.
#
# Older tutorials then write `os.path.join(os.path.dirname(path), "cats_and_dogs_filtered")`.
# That is right on Keras 2, where `get_file` returns the path of the *archive*, but wrong on
# Keras 3, where it returns the *folder it extracted into*. `download_data` handles both. It also
# stops with a message that says what to do when the download fails (no network) or the archive
# is damaged (a half-finished download), instead of training on half the data. To use your own
# photos, set `CATS_DOGS_DIR` to a folder laid out like this one (`train/` and `validation/`,
# each with `cats/` and `dogs/`); `find_data` checks the layout.

# %%
report.show_source(data.count_images, data.download_data, data.check_layout, data.find_data)

# %%
data_dir = data.find_data()
print("Data folder:", config.shown_path(data_dir))
print("Images found:", data.count_images(data_dir))

# %% [markdown]
# ## Is every file readable?
#
# This data set is clean, but larger ones are not: the full Kaggle "PetImages" set, for example,
# has files that are not valid JPEGs, and a single one stops training with a decoding error
# halfway through an epoch. So we decode every image file once, with the same decoder the
# datasets use, before we use any of them. If a file fails, the post stops and names it. Every
# later post runs the same check before training, so you can remove or replace the file
# instead of losing an hour of training to it.

# %%
report.show_source(data.find_unreadable_images, data.stop_if_unreadable)

# %%
n_files = data.stop_if_unreadable(data_dir)
print(f"Checked {n_files} image files: all of them can be decoded.")

# %% [markdown]
# ## Why the usual test set is not a test set
#
# TensorFlow's [transfer learning tutorial](https://www.tensorflow.org/tutorials/images/transfer_learning),
# and the student blog posts that follow it, take their test set from the validation data:
# `test = validation.take(n // 5)` and `validation = validation.skip(n // 5)`. But
# [`image_dataset_from_directory`](https://keras.io/api/data_loading/image/) shuffles again on
# every pass over the data, so `take` picks *different* images each time it is iterated, and
# `skip` leaves a different remainder. Let us measure it. To compare images we fingerprint their
# pixels.

# %%
def fingerprints(dataset):
    """Fingerprints of the pixels of every image in a batched dataset of (images, labels)."""
    return {hashlib.sha1(image.numpy().tobytes()).hexdigest() for images, _ in dataset for image in images}


validation_dir = os.path.join(data_dir, "validation")
shuffled_validation = keras.utils.image_dataset_from_directory(
    validation_dir, image_size=config.IMAGE_SIZE, batch_size=config.BATCH_SIZE, seed=config.SEED)
n_batches = int(shuffled_validation.cardinality())
take_test = shuffled_validation.take(n_batches // 5)
skip_validation = shuffled_validation.skip(n_batches // 5)

first_pass, second_pass = fingerprints(take_test), fingerprints(take_test)
validation_pass = fingerprints(skip_validation)
print(f"take/skip test set: {len(first_pass)} images per pass; "
      f"two passes share only {len(first_pass & second_pass)} of them.")
print(f"{len(first_pass & validation_pass)} of the {len(first_pass)} test images of one pass "
      f"also appear in one pass\nover the take/skip validation set.")

# %% [markdown]
# So a "test" score computed this way comes from a different random sample at every call, and
# from images that had also served as validation data while the model was chosen.
#
# ## A fixed, disjoint split
#
# The fix: split the validation *files* once, with a seed. `validation_split=0.2` with
# `subset="both"` returns two datasets over two disjoint, fixed lists of files: 80% for
# validation, 20% for a test set that no model sees until the last post. (Keras calls the two
# parts "training" and "validation"; for us they are validation and test, so `load_splits`
# keeps Keras's messages about them quiet.) We load images one at a time (`batch_size=None`)
# and batch them in the pipeline below. `load_splits` runs the readability check again, so that
# no later post can skip it.

# %%
report.show_source(data.load_splits)

# %%
train_images, validation_images, test_images = data.load_splits(data_dir)
class_names = train_images.class_names
for name, split in [("train", train_images), ("validation", validation_images), ("test", test_images)]:
    print(f"{name:>10}: {len(split.file_paths):4d} images")
print("Classes:", class_names)
print("Files in both validation and test:", len(set(validation_images.file_paths) & set(test_images.file_paths)))

# %% [markdown]
# ## The input pipeline
#
# Decoding and resizing every JPEG again in every epoch is wasted work, so we do it once
# (see TensorFlow's guide to [better performance with tf.data](https://www.tensorflow.org/guide/data_performance)):
# `cache()` keeps the decoded images in memory after the first epoch, `shuffle` draws a new
# order every epoch (training only), `batch` groups 32 images, and `prefetch` prepares the next
# batch while the model works on this one. (`config.MAX_BATCHES` is a quick mode for our tests:
# 0, all data, unless you set `CATS_DOGS_BATCHES`.)

# %%
report.show_source(data.prepare)

# %%
train = data.prepare(train_images, shuffle=True)
validation = data.prepare(validation_images)
test = data.prepare(test_images)

validation_prints, test_prints = fingerprints(validation), fingerprints(test)
print(f"Our split: {len(validation_prints)} validation and {len(test_prints)} test images; "
      f"overlap {len(validation_prints & test_prints)};\ntwo passes over the test set share "
      f"{len(test_prints & fingerprints(test))} of {len(test_prints)}.")

# %% [markdown]
# Later posts do all of this in one call, `data.load_data()`, which returns the three prepared
# datasets and the class names.
#
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
        examples = dataset.unbatch().filter(lambda image, label, row=row: label == row).take(per_class)
        for ax, (image, _) in zip(axes[row], examples):
            ax.imshow(image.numpy().astype("uint8"))
            ax.set_title(class_name.rstrip("s"))  # "cats" -> "cat"
            ax.axis("off")
    fig.suptitle("Three random cats (top row) and dogs (bottom row) from the training set")
    report.save_figure(fig, "01-load-data.png")
    plt.show()


show_cats_and_dogs(train, class_names)

# %% [markdown]
# ## How many of each?
#
# Before training anything we need a baseline: the accuracy of a "model" that always answers
# the most frequent label. A classifier is only useful if it beats it. We count the labels with
# an iterator over the training labels.

# %%
labels_iterator = train.unbatch().map(lambda image, label: label).as_numpy_iterator()
label_counts = np.bincount(list(labels_iterator), minlength=len(class_names))
for class_name, count in zip(class_names, label_counts):
    print(f"{class_name}: {count} training images")
baseline_accuracy = label_counts.max() / label_counts.sum()
if label_counts.min() == label_counts.max():
    print(f"Baseline accuracy: {baseline_accuracy:.1%} (the classes are balanced: either answer scores that)")
else:
    print(f"Baseline accuracy (always answer '{class_names[label_counts.argmax()]}'): {baseline_accuracy:.1%}")

# %% [markdown]
# ## What's next
#
# We have 2000 training images, a fixed validation set and a test set we keep locked away until
# post 06, a pipeline that decodes every photo once, and a baseline to beat. In the next post we
# train our first model, a small convolutional network, from scratch.
