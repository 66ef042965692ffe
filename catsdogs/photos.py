"""Classify photos of your own with a trained model (post 07)."""

import os

from catsdogs import config

config.import_tensorflow_quietly()  # before TensorFlow's first import (see config)
import tensorflow as tf

from catsdogs import data
from catsdogs.config import IMAGE_SIZE

FORMATS = "JPEG, PNG, GIF or BMP"  # what tf.io.decode_image reads


def load_photo(path):
    """An image file as a 160×160×3 float tensor, decoded and resized as for training."""
    image = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
    return tf.image.resize(image, IMAGE_SIZE)


def classify(model, paths, class_names=("cats", "dogs")):
    """Print 'cat' or 'dog' and its probability for each image file (named without its folder);
    unreadable files get a one-line message, and the others are still classified."""
    for path in paths:
        name = os.path.basename(path)
        if not os.path.isfile(path):
            print(f"{name}: skipped, no such file")
            continue
        try:
            image = load_photo(path)
        except tf.errors.OpError:
            print(f"{name}: skipped, not a readable {FORMATS} image")
            continue
        probabilities = tf.nn.softmax(model(image[tf.newaxis], training=False))[0].numpy()
        answer = probabilities.argmax()
        print(f"{name}: {data.singular(class_names[answer])} ({probabilities[answer]:.1%})")
