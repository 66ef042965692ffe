# ---
# title: "01 · Load the data"
# description: >-
#   Download 3000 photos of cats and dogs, split them into train, validation and a truly held-
#   out test set, and build a cached input pipeline.
# date: 2026-11-24
# categories: [data]
# image: ../run/figures/01-load-data.png
# image-alt: >-
#   Three cat photos above three dog photos from the training set, each titled with
#   its label.
# ---

# %% [markdown]
# Can a model tell a cat from a dog in a single photo? Over posts 02 to 05 we build four image
# classifiers with TensorFlow and Keras, from a small CNN trained from scratch to a fine-tuned
# MobileNetV2; post 06 scores the best one on photos it has never seen, and post 07 looks at
# where in a photo it finds its evidence. This first post gets the
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
# [fastbook](https://github.com/fastai/fastbook) share their code). In Colab the setup cell
# installs it with pip; the package declares no dependencies (see its `pyproject.toml`), so pip
# installs nothing else and Colab's TensorFlow stays as it is. Below, each function is shown
# where it is explained, and then called.

# %%
#| code-fold: true
import sys

if "google.colab" in sys.modules:  # in Colab only: the package, as the run used it
    get_ipython().run_line_magic("pip", "install -q git+https://github.com/cats-vs-dogs-tutorial/cats-vs-dogs@b93ee998f83610199495a14f7b8f63658a558c7a")
from catsdogs import config, data, report

# %% [markdown]
# The versions of TensorFlow and Keras this page ran with, and one seed for everything random:

# %%
import keras
import tensorflow as tf

keras.utils.set_random_seed(config.SEED)
print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}")

# %% [markdown]
# [`keras.utils.set_random_seed`](https://keras.io/api/utils/python_utils/#setrandomseed-function)
# seeds Python, NumPy and TensorFlow in one call, so a re-run draws the same "random" pictures;
# the splits below are fixed by the seed we pass to `image_dataset_from_directory`. The package's
# `config` holds the few settings every post shares: the seed (42), the image size (160×160) and
# the batch size (32: the number of images the model processes together in one step).
#
# ## Download the data
#
# The data is the "cats_and_dogs_filtered" set of TensorFlow's tutorials: 3000 JPEG photos from
# the Kaggle "Dogs vs. Cats" competition, 1000 cats and 1000 dogs for training and 500 of each
# for validation. [`keras.utils.get_file`](https://keras.io/api/utils/python_utils/#getfile-function)
# downloads the archive once into the Keras cache (`~/.keras/datasets`, or `$KERAS_HOME/datasets`)
# and extracts it; later runs find it there.
#
# The photos will play three roles, and keeping them apart is what makes the last number
# honest. The *training set* is what a model learns from. The *validation set* is what we
# measure while we compare models and make choices; a choice we keep because it did well there
# may have done well partly by luck on those particular photos, so the validation accuracy of
# the model we end up with can flatter it. The *test set* is scored once, at the very end, on
# photos that influenced no choice. (These and the other terms of the series are collected in
# the [glossary](../glossary.qmd#validation-test).)
#
# TensorFlow's [transfer learning tutorial](https://www.tensorflow.org/tutorials/images/transfer_learning)
# then writes `PATH = os.path.join(os.path.dirname(path_to_zip), "cats_and_dogs_filtered")`.
# That is right on Keras 2, where `get_file` returns the path of the *archive*, but wrong on
# recent Keras 3 (3.15.1, the version this page ran with, printed above), where it returns the
# *folder it extracted into* (the data folder printed below is
# inside `cats_and_dogs_extracted/`, which that line misses). `download_data` handles both. It also
# stops with a message that says what to do when the download fails (no network) or the archive
# is damaged (a half-finished download), instead of training on half the data. To use your own
# photos, set `CATS_DOGS_DIR` to a folder laid out like this one (`train/` and `validation/`,
# each with `cats/` and `dogs/`); `find_data` checks the layout.

# %%
report.show_source(data.count_images, data.download_data, data.check_layout,
                   data.find_data)

# %%
data_dir = data.find_data()
print("Data folder:", config.shown_path(data_dir))
print("Images found:", data.count_images(data_dir))

# %% [markdown]
# ## Is every file readable?
#
# This data set is clean, but larger ones are not: the full Kaggle "PetImages" set, for example,
# has files that are not valid JPEGs, which Keras's
# [image classification from scratch](https://keras.io/examples/vision/image_classification_from_scratch/)
# example deletes before training. What does TensorFlow do with such a file? We write a small
# text file named `not-a-photo.jpg` into a temporary folder and hand its bytes to
# `tf.io.decode_image`, the decoder the datasets use:

# %%
import os
import tempfile
import textwrap

with tempfile.TemporaryDirectory() as folder:
    not_a_photo = os.path.join(folder, "not-a-photo.jpg")
    with open(not_a_photo, "w") as file:
        file.write("This is text, not a photo.\n")
    try:
        tf.io.decode_image(tf.io.read_file(not_a_photo), channels=3,
                           expand_animations=False)
        print("not-a-photo.jpg was decoded without an error.")
    except tf.errors.OpError as error:
        # the message starts with the name of TensorFlow's internal function: drop it
        first_line = error.message.splitlines()[0].split("}} ")[-1].split(" [Op:")[0]
        print(textwrap.fill(f"not-a-photo.jpg: {type(error).__name__}: {first_line}",
                            width=88))

# %% [markdown]
# The decoder raises an error instead of returning an image. `image_dataset_from_directory`
# only lists the files; it decodes each photo when the dataset is read (its
# [source](https://github.com/keras-team/keras/blob/master/keras/src/utils/image_dataset_utils.py)
# decodes inside `Dataset.map`). So a broken file raises its error wherever the dataset is
# first read through: in a plain training script, during the first *epoch* (one pass over all
# the training photos), possibly in the middle of it. We therefore decode every image file
# once, with that same decoder, before we use any of them. If a file fails, the post stops and
# names it. Every later post runs the same check before training, so you can remove or replace
# the file before any training starts.

# %%
report.show_source(data.image_files, data.find_unreadable_images,
                   data.stop_if_unreadable)

# %%
n_files = data.stop_if_unreadable(data_dir)
print(f"Checked {n_files} image files: all of them can be decoded.")

# %% [markdown]
# ## Why the usual test set is not a test set
#
# TensorFlow's [transfer learning tutorial](https://www.tensorflow.org/tutorials/images/transfer_learning)
# takes its test set from the validation data:
# `test = validation.take(n // 5)` and `validation = validation.skip(n // 5)`. But
# [`image_dataset_from_directory`](https://keras.io/api/data_loading/image/) shuffles again on
# every pass over the data, so `take` picks *different* images each time it is iterated, and
# `skip` leaves a different remainder. Let us measure it. To compare images we fingerprint their
# pixels.

# %%
import hashlib


def fingerprints(dataset):
    """Fingerprints of the pixels of every image in a batched dataset of
    (images, labels)."""
    return {hashlib.sha1(image.numpy().tobytes()).hexdigest()
            for images, _ in dataset for image in images}


validation_dir = os.path.join(data_dir, "validation")
shuffled_validation = keras.utils.image_dataset_from_directory(
    validation_dir, image_size=config.IMAGE_SIZE, batch_size=config.BATCH_SIZE,
    seed=config.SEED)
n_batches = int(shuffled_validation.cardinality())
take_test = shuffled_validation.take(n_batches // 5)
skip_validation = shuffled_validation.skip(n_batches // 5)

first_pass, second_pass = fingerprints(take_test), fingerprints(take_test)
validation_pass = fingerprints(skip_validation)
print(f"take/skip test set: {len(first_pass)} images per pass; "
      f"two passes share only {len(first_pass & second_pass)} of them.")
print(f"{len(first_pass & validation_pass)} of the {len(first_pass)} test images of "
      "one pass "
      f"also appear in one pass\nover the take/skip validation set.")

# %% [markdown]
# So a "test" score computed this way comes from a different random sample at every call, and
# from images that had also served as validation data while the model was chosen.
#
# ## A fixed, disjoint split
#
# The fix: split the validation *files* once, with a seed. `validation_split=0.2` with
# `subset="both"` returns two datasets over two disjoint, fixed lists of files: 80% for
# validation, 20% for a test set that no model sees until post 06. (Keras calls the two
# parts "training" and "validation"; for us they are validation and test, so `load_splits`
# keeps Keras's messages about them quiet.) We load images one at a time (`batch_size=None`)
# and batch them in the pipeline below. `load_splits` runs the readability check again, so that
# no later post can skip it, through `check_once`: it decodes the photos only if these very
# files have not passed the check before. It keeps a fingerprint of each folder that passed (the
# path, size and modification time of every image file) in the Keras cache: a folder in which
# a file was added, replaced or rewritten is decoded again, an unchanged one is not.

# %%
report.show_source(data.check_once, data.load_splits)

# %%
train_images, validation_images, test_images = data.load_splits(data_dir)
class_names = train_images.class_names
for name, split in [("train", train_images), ("validation", validation_images),
                    ("test", test_images)]:
    print(f"{name:>10}: {len(split.file_paths):4d} images")
print("Classes:", class_names)
print("Files in both validation and test:",
      len(set(validation_images.file_paths) & set(test_images.file_paths)))

# %% [markdown]
# ## The input pipeline
#
# Decoding and resizing every JPEG again in every epoch is wasted work, so we do it once
# (see TensorFlow's guide to [better performance with tf.data](https://www.tensorflow.org/guide/data_performance)):
# `cache()` keeps the decoded images in memory after the first epoch, `shuffle` draws a new
# order every epoch (training only), `batch` groups 32 images, and `prefetch` prepares the next
# batch while the model works on this one. A *batch* is the group of images the model
# processes together; the next post trains on one batch at a time. (Our tests set
# `CATS_DOGS_BATCHES` to keep only the first few batches of each split, a quick mode; unset, the
# pipeline uses all the data.)

# %%
report.show_source(data.prepare)

# %%
train = data.prepare(train_images, shuffle=True)
validation = data.prepare(validation_images)
test = data.prepare(test_images)

validation_prints, test_prints = fingerprints(validation), fingerprints(test)
print(f"Our split: {len(validation_prints)} validation and {len(test_prints)} test "
      f"images; overlap {len(validation_prints & test_prints)};\ntwo passes over the "
      "test set share "
      f"{len(test_prints & fingerprints(test))} of {len(test_prints)}.")

# %% [markdown]
# Later posts do all of this in one call, `data.load_data()`, which returns the three prepared
# datasets and the class names.
#
# ## A look at the pictures
#
# A small function draws three random cats in the first row and three random dogs in the
# second. `image_dataset_from_directory` resizes every photo to 160×160 without keeping its
# proportions (`crop_to_aspect_ratio=False` by default, see its
# [documentation](https://keras.io/api/data_loading/image/)), so a photo that is not square is
# squashed.

# %%
#| fig-alt: "A grid of six photos from the training set, squashed to 160 by 160 pixels:
#|   three cats in the top row and three dogs in the bottom row, each titled with its
#|   label."
import matplotlib.pyplot as plt


def show_cats_and_dogs(dataset, class_names, per_class=3):
    """Draw `per_class` random images of each class, one row per class."""
    fig, axes = plt.subplots(len(class_names), per_class,
                             figsize=(3 * per_class, 3.2 * len(class_names)))
    for row, class_name in enumerate(class_names):
        examples = dataset.unbatch().filter(
            lambda image, label, row=row: label == row).take(per_class)
        for ax, (image, _) in zip(axes[row], examples):
            ax.imshow(image.numpy().astype("uint8"))
            ax.set_title(data.singular(class_name))  # "cats" -> "cat"
            ax.axis("off")
    fig.suptitle(
        "Three random cats (top row) and dogs (bottom row) from the training set")
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
import numpy as np

labels_iterator = train.unbatch().map(lambda image, label: label).as_numpy_iterator()
label_counts = np.bincount(list(labels_iterator), minlength=len(class_names))
for class_name, count in zip(class_names, label_counts):
    print(f"{class_name}: {count} training images")
baseline_accuracy = label_counts.max() / label_counts.sum()
if label_counts.min() == label_counts.max():
    print(f"Baseline accuracy: {baseline_accuracy:.1%} "
          "(the classes are balanced: either answer scores that)")
else:
    print(f"Baseline accuracy (always answer '{class_names[label_counts.argmax()]}'): "
          f"{baseline_accuracy:.1%}")

# %% [markdown]
# ## What's next
#
# We have 2000 training images, a fixed validation set and a test set we keep locked away until
# post 06, a pipeline that decodes every photo once, and a baseline to beat. In the next post we
# train our first model, a small convolutional network, from scratch.

# %% [markdown]
# ## What you learned
#
# A test set is only a test set if it is fixed and shares no photo with the data that guided our
# choices; `take` and `skip` on a dataset that reshuffles on every pass give neither, and
# fingerprinting the pixels shows it. Splitting the *files* once, with a seed, gives a fixed,
# disjoint validation and test set. Decoding every JPEG once and caching it saves decoding it
# again in every epoch (TensorFlow's tf.data guide, linked above, explains why; this post does
# not time it: exercise 8 and `benchmarks/epoch_time.py` in the repository time the difference
# on your machine). And before training anything
# you need a baseline to beat, and the certainty that every file can be read.

# %% [markdown]
# ## Questions
#
# 1. What are the training, validation and test sets for, and why can the validation accuracy of
#    the model we finally pick flatter it?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# The training set is what a model learns from; the validation set is what we measure while we
# compare models and make choices; the test set is scored once, at the end. A choice kept because
# it did well on the validation photos may owe part of that to luck on exactly those photos, so
# the chosen model's validation accuracy can be higher than what it achieves on new photos.
# :::
#
# 2. TensorFlow's tutorial takes its test set with `validation.take(n // 5)`. What goes wrong, and
#    which printed numbers show it?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# `image_dataset_from_directory` shuffles again on every pass, so `take` picks other images each
# time it is iterated and `skip` leaves another remainder. The cell prints how few images two
# passes over that "test set" share, and how many of its images also appear in one pass over the
# validation part.
# :::
#
# 3. What does `validation_split=0.2` with `subset="both"` return here, and how do we know that no
#    photo is in both parts?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Two datasets over two fixed, disjoint lists of files, 80% and 20% of the validation folder,
# chosen once with the seed. The cell after `load_splits` counts the files in both lists, and the
# one after the pipeline compares the pixels' fingerprints: both print an overlap of zero.
# :::
#
# 4. What do `cache()`, `shuffle`, `batch` and `prefetch` each do in `data.prepare`, and which of
#    them spares later epochs the decoding?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# `cache()` keeps the decoded images in memory after the first pass, `shuffle` draws a new order
# of the training images every epoch, `batch` groups 32 images, and `prefetch` prepares the next
# batch while the model works on the current one. `cache()` is the one: later passes read the
# decoded images from memory instead of decoding the JPEGs again.
# :::
#
# 5. What is the baseline accuracy, and why must a classifier beat it?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# The accuracy of always answering the most frequent label. Our classes are balanced, so the
# baseline is the share of either class (the last cell prints it). A model that does not beat it
# does no better than a constant answer that looks at no photo at all.
# :::
#
# 6. Why decode every image file once before training, when the datasets decode them anyway?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Decoding a file that is not a valid image raises an error (the cell with `not-a-photo.jpg`
# shows it), and the datasets decode each photo only when they are read, in a plain training
# script once training has started. The check finds such files before any training starts and
# names them, so you can remove or replace them.
# :::
#
# ### Try it
#
# These change the code; run them after the first two code cells of this post (the setup
# and the seed).
#
# 7. How many cats and how many dogs are in the validation and in the test split? Count them from
#    the file names that `data.load_splits` returns, without iterating over the datasets
#    (which would decode every photo).
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Each file sits in a folder named after its class, so the folder's name is the label:
#
# ```python
# import os
# from collections import Counter
#
# train_images, validation_images, test_images = data.load_splits(data.find_data())
# for name, split in [("validation", validation_images), ("test", test_images)]:
#     folders = [os.path.basename(os.path.dirname(path)) for path in split.file_paths]
#     print(f"{name}: {dict(Counter(folders))}")
# ```
#
# It prints 399 cats and 401 dogs for validation, 101 cats and 99 dogs for test: the two parts
# are drawn at random from a folder with as many cats as dogs, so each is close to balanced but
# not exactly.
# :::
#
# 8. Time two passes over the training pipeline `data.prepare(train_images, shuffle=True)`. Which
#    pass is faster, and which step of the pipeline is responsible?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# The first pass decodes and resizes every JPEG; the second reads the images from the memory
# that `cache()` filled during the first, so it should be faster (how much depends on your
# machine; the post does not measure it):
#
# ```python
# import time
#
# train_images, _, _ = data.load_splits(data.find_data())
# pipeline = data.prepare(train_images, shuffle=True)
# for pass_number in (1, 2):
#     start = time.perf_counter()
#     for images, labels in pipeline:
#         pass
#     print(f"pass {pass_number}: {time.perf_counter() - start:.2f} s")
# ```
# :::
