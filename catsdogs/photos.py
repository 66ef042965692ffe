"""Photos outside the datasets: classify photos of your own with a trained model (post 07), and
the sample photos of post 05's trainer in the page."""

import json
import os
import re

from catsdogs import config

config.import_tensorflow_quietly()  # before TensorFlow's first import (see config)
import numpy as np
import tensorflow as tf

from catsdogs import config, data
from catsdogs.config import IMAGE_SIZE

SAMPLES_FOLDER = "trainer-photos"  # inside the runner's figures folder: published with the site


def load_photo(path):
    """An image file as a 160×160×3 float tensor, decoded and resized as for training."""
    image = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
    return tf.image.resize(image, IMAGE_SIZE)


def classify(model, paths, class_names=("cats", "dogs")):
    """Print 'cat' or 'dog' and its probability for each image file (named without its folder). A
    missing file (named by the path as given) or one TensorFlow cannot decode gets a message that
    says why and what to do, and the others are still classified."""
    for path in paths:
        name = os.path.basename(path)
        if not os.path.isfile(path):
            print(f"{path}: skipped, no such file; check the name and the folder")
            continue
        try:
            image = load_photo(path)
        except tf.errors.OpError as error:
            print(f"{name}: skipped, TensorFlow cannot decode it as an image:\n"
                  f"    {decoding_problem(error)}\n"
                  "    If it is a photo in another format (HEIC, say), save it as JPEG or PNG and try again.")
            continue
        probabilities = tf.nn.softmax(model(image[tf.newaxis], training=False))[0].numpy()
        answer = probabilities.argmax()
        print(f"{name}: {data.singular(class_names[answer])} ({probabilities[answer]:.1%})")


def decoding_problem(error):
    """TensorFlow's reason for not decoding a file, from its error's message without the name of
    the graph node before it ("{{function_node ...}}") and the name of the operation after it."""
    reason = re.sub(r"\{\{.*?\}\}", "", error.message).split("[Op:")[0].strip()
    return reason or type(error).__name__


def sample_photos(train_dir, class_names, per_class):
    """`per_class` photos of each class from the training folder, chosen with the series' seed:
    (pixels as uint8 [N, 160, 160, 3], decoded and resized as for training, then rounded to whole
    values so that a PNG file keeps them exactly; labels [N]; file names)."""
    rng = np.random.default_rng(config.SEED)
    pixels, labels, names = [], [], []
    for label, class_name in enumerate(class_names):
        folder = os.path.join(train_dir, class_name)
        files = sorted(os.listdir(folder))
        if len(files) < per_class:
            raise ValueError(f"{folder} has {len(files)} photos; the sample needs {per_class}")
        for file_name in sorted(rng.choice(files, per_class, replace=False)):
            image = load_photo(os.path.join(folder, file_name)).numpy()
            pixels.append(np.clip(np.round(image), 0, 255).astype(np.uint8))
            labels.append(label)
            names.append(str(file_name))
    return np.stack(pixels), np.array(labels), names


def save_sample_photos(pixels, labels, names, class_names, directory=None):
    """Write the sample photos as PNG files (exactly these pixels) and photos.json, which lists them,
    into `directory`; by default into the series runner's figures folder (published with the site),
    and nowhere in Colab or a plain run. Returns the folder written, or None."""
    from PIL import Image

    if directory is None:
        figures = config.figures_dir()
        if not figures:
            return None
        directory = os.path.join(figures, SAMPLES_FOLDER)
    os.makedirs(directory, exist_ok=True)
    listed = []
    counts = dict.fromkeys(range(len(class_names)), 0)
    for image, label, source in zip(pixels, labels, names):
        counts[int(label)] += 1
        file_name = f"{data.singular(class_names[label])}-{counts[int(label)]:02d}.png"
        Image.fromarray(image).save(os.path.join(directory, file_name), optimize=True)
        listed.append({"file": file_name, "label": int(label), "source": source})
    description = {"class_names": list(class_names), "labels": [data.singular(name) for name in class_names],
                   "photos": listed}
    with open(os.path.join(directory, "photos.json"), "w", encoding="utf-8") as file:
        json.dump(description, file, indent=1)
        file.write("\n")
    return directory
