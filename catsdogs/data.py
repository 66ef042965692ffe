"""The photos: download and check them, split them once into train / validation / test, and feed
them to a model through a cached input pipeline. Post 01 explains every function here."""

import contextlib
import glob
import hashlib
import io
import os
import zipfile

from catsdogs import config

config.import_tensorflow_quietly()  # before TensorFlow's first import (see config)
import keras
import numpy as np
import tensorflow as tf

from catsdogs.errors import CatsDogsError

DATA_URL = "https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip"
EXPECTED_COUNTS = {"train": {"cats": 1000, "dogs": 1000}, "validation": {"cats": 500, "dogs": 500}}
IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")  # the files image_dataset_from_directory reads


def count_images(data_dir):
    """{split: {class: number of image files}} for the sub-folders found in data_dir."""
    if not os.path.isdir(data_dir):
        return {}
    counts = {}
    for split in sorted(os.listdir(data_dir)):
        split_dir = os.path.join(data_dir, split)
        if not os.path.isdir(split_dir):
            continue
        counts[split] = {}
        for label in sorted(os.listdir(split_dir)):
            label_dir = os.path.join(split_dir, label)
            if os.path.isdir(label_dir):
                names = os.listdir(label_dir)
                counts[split][label] = sum(name.lower().endswith(IMAGE_EXTENSIONS) for name in names)
    return counts


def download_data():
    """Return the cats_and_dogs_filtered folder, downloading and extracting the archive on the first run."""
    archive = config.archive_path()
    # Keras 3's get_file extracts the whole archive again on every call; a complete extraction
    # from an earlier run is used as it is (Keras 3 extracts into datasets/cats_and_dogs_extracted/,
    # Keras 2 beside the archive).
    for extracted in [os.path.join(os.path.dirname(archive), "cats_and_dogs_extracted"), os.path.dirname(archive)]:
        data_dir = os.path.join(extracted, "cats_and_dogs_filtered")
        if os.path.isdir(data_dir) and count_images(data_dir) == EXPECTED_COUNTS:
            return data_dir
    try:
        # cache_dir: Keras 3 would find $KERAS_HOME by itself, Keras 2 always looks in ~/.keras.
        path = keras.utils.get_file(config.ARCHIVE_NAME, origin=DATA_URL, extract=True, cache_dir=config.keras_home())
    except zipfile.BadZipFile:
        path = os.path.dirname(archive)  # the archive is damaged: the count check below says so
    except Exception as error:
        raise CatsDogsError(f"Could not download the data ({type(error).__name__}: {error}).\n"
                            f"Without a network, download {DATA_URL} elsewhere and copy it to "
                            f"{archive}, then run this cell again.") from error
    # Keras 3 returns the folder it extracted into; Keras 2 returns the archive, extracted beside it.
    data_dir = os.path.join(path if os.path.isdir(path) else os.path.dirname(path), "cats_and_dogs_filtered")
    found = count_images(data_dir)
    if found != EXPECTED_COUNTS:
        raise CatsDogsError(f"The archive {archive} is damaged or incomplete (a half-finished download?):\n"
                            f"expected {EXPECTED_COUNTS} images, found {found or 'none'}.\n"
                            f"Delete it and run this cell again to download a fresh copy:\n"
                            f"    rm {archive}")
    return data_dir


def check_layout(data_dir):
    """Stop unless data_dir holds train/ and validation/, each with cats/ and dogs/ images."""
    found = count_images(data_dir)
    layout_ok = all(sorted(found.get(split, {})) == ["cats", "dogs"] and all(found[split].values())
                    for split in EXPECTED_COUNTS)
    if not layout_ok:
        raise CatsDogsError(f"{data_dir} is not laid out as expected.\n"
                            f"Expected: train/ and validation/, each with image folders cats/ and dogs/.\n"
                            f"Found: {found or 'no sub-folders'}")
    return data_dir


def find_data():
    """The data folder: $CATS_DOGS_DIR if you set it, else the tutorial archive."""
    own_dir = config.own_data_dir()
    return check_layout(own_dir if own_dir else download_data())


def image_files(data_dir):
    """The image files of data_dir/split/class/, sorted: those with an extension Keras reads."""
    paths = glob.glob(os.path.join(data_dir, "*", "*", "*"))
    return sorted(path for path in paths if path.lower().endswith(IMAGE_EXTENSIONS))


def find_unreadable_images(data_dir):
    """The image files under data_dir that TensorFlow cannot decode."""
    unreadable = []
    for path in image_files(data_dir):
        try:
            tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
        except tf.errors.OpError:
            unreadable.append(path)
    return unreadable


def stop_if_unreadable(data_dir):
    """Decode every image once; stop with their names if any cannot be decoded. Returns the number checked."""
    unreadable = find_unreadable_images(data_dir)
    if unreadable:
        raise CatsDogsError("These image files cannot be decoded; remove or replace them, then run again:\n"
                            + "\n".join(unreadable))
    return sum(sum(classes.values()) for classes in count_images(data_dir).values())


def fingerprint(data_dir):
    """A fingerprint of the image files under data_dir: it changes when a file is added, removed,
    renamed or rewritten (the path, size and modification time of each). The path is the real one,
    with links resolved: a folder reached through a link is the same folder."""
    files = []
    for path in image_files(os.path.realpath(data_dir)):
        status = os.stat(path)
        files.append(f"{path}\t{status.st_size}\t{status.st_mtime_ns}")
    return hashlib.sha256("\n".join(files).encode()).hexdigest()


def check_once(data_dir):
    """stop_if_unreadable(data_dir), skipped if these very files passed it before: the fingerprints
    of the folders that passed are kept in the Keras cache (config.checked_folders_path())."""
    checked_list, folder = config.checked_folders_path(), fingerprint(data_dir)
    if os.path.exists(checked_list):
        with open(checked_list, encoding="utf-8") as file:
            if folder in file.read().split():
                return
    stop_if_unreadable(data_dir)
    os.makedirs(os.path.dirname(checked_list), exist_ok=True)
    with open(checked_list, "a", encoding="utf-8") as file:
        file.write(folder + "\n")


def load_splits(data_dir):
    """Train, validation and test datasets of (image, label): the validation folder split 80/20, fixed by the seed."""
    check_once(data_dir)
    options = dict(image_size=config.IMAGE_SIZE, batch_size=None, seed=config.SEED)
    # Keras prints "Using 800 files for training" and "Using 200 files for validation" for the two parts
    # of the validation folder; for us they are the validation and the test set, so we keep it quiet.
    with contextlib.redirect_stdout(io.StringIO()):
        train = keras.utils.image_dataset_from_directory(os.path.join(data_dir, "train"), **options)
        validation, test = keras.utils.image_dataset_from_directory(
            os.path.join(data_dir, "validation"), validation_split=0.2, subset="both", **options)
    return train, validation, test


def prepare(dataset, shuffle=False):
    """Cache decoded images, shuffle every epoch (training only), batch and prefetch."""
    if config.max_batches():
        dataset = dataset.take(config.max_batches() * config.BATCH_SIZE)
    dataset = dataset.cache()
    if shuffle:
        dataset = dataset.shuffle(buffer_size=2000, seed=config.SEED)
    return dataset.batch(config.BATCH_SIZE).prefetch(tf.data.AUTOTUNE)


def load_data():
    """Post 01 in one call: seed Python, NumPy and TensorFlow with config.SEED, find and check the
    photos, split them, and return the prepared train, validation and test datasets and the class names."""
    keras.utils.set_random_seed(config.SEED)
    train_images, validation_images, test_images = load_splits(find_data())
    class_names = train_images.class_names
    train, validation, test = prepare(train_images, shuffle=True), prepare(validation_images), prepare(test_images)
    sizes = ", ".join(f"{sum(len(labels) for _, labels in split)} {name}"
                      for name, split in [("training", train), ("validation", validation), ("test", test)])
    print(f"Photos: {sizes}; classes {class_names}.")
    return train, validation, test, class_names


def baseline_accuracy(train):
    """The accuracy of always answering the most frequent training label: the score to beat."""
    labels = np.concatenate([batch_labels for _, batch_labels in train])
    return np.bincount(labels).max() / len(labels)


def singular(class_name):
    """The name of one member of a class, as the posts and the in-browser classifier print it:
    the folder name without its plural s ("cats" -> "cat"); a name without one stays as it is."""
    return class_name[:-1] if class_name.endswith("s") and len(class_name) > 1 else class_name
