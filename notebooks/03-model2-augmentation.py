# ---
# title: "03 · model2: data augmentation"
# description: >-
#   Flip and rotate every training photo at random, a little differently in every epoch: more
#   varied data for free, and less overfitting.
# date: 2026-11-24
# categories: [augmentation, training]
# image: ../images/posts/03-model2-augmentation.png
# ---

# %% [markdown]
# model1 of post 02 learned its 2000 training photos better than it learned cats and dogs in
# general. The cheapest cure is more varied data, and we can make it ourselves: a cat flipped
# left to right, or tilted a little, is still a cat. *Data augmentation* applies such random
# changes to every training image, anew in every epoch, so the model never sees exactly the same
# picture twice. Keras does it with layers at the start of the model, which are active only
# during training (TensorFlow's [data augmentation tutorial](https://www.tensorflow.org/tutorials/images/data_augmentation)
# shows more of them).

# %% [markdown]
# ## Setup
#
# The series' helper package (installed in the first lines when you run this in Colab) and the
# data of post 01 in one call.

# %%
import importlib.util
import subprocess
import sys

if "google.colab" in sys.modules:  # in Colab: install the series' helper package (a few seconds)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/cats-vs-dogs-tutorial/cats-vs-dogs"], check=True)
if importlib.util.find_spec("catsdogs") is None:
    raise SystemExit("This post needs the series' helper package: pip install git+https://github.com/cats-vs-dogs-tutorial/cats-vs-dogs")
import keras

from catsdogs import config, data, models, report

train, validation, test, class_names = data.load_data()

# %% [markdown]
# ## Flipping
#
# [`keras.layers.RandomFlip(mode)`](https://keras.io/api/layers/preprocessing_layers/image_augmentation/random_flip/)
# flips each image with probability one half. `mode` is `"horizontal"` (left-right),
# `"vertical"` (upside down) or `"horizontal_and_vertical"`. Photos of pets are rarely upside
# down, so we only flip left to right. Like all random preprocessing layers it does nothing at
# inference time; to see its effect we call it with `training=True`.
#
# A flip only shows on a photo that is not symmetric, so we pick, from the first batch, the
# photo that differs most from its mirror image (leaving out collages with black borders, which
# win that contest without being good examples). Each copy is labelled by comparing it with the
# mirrored original: a flip moves every pixel, so a flipped copy equals it exactly.

# %%
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import layers

images, _ = next(iter(train))
asymmetry = tf.reduce_mean(tf.abs(images - tf.image.flip_left_right(images)), axis=[1, 2, 3])
black_share = tf.reduce_mean(tf.cast(tf.reduce_max(images, axis=-1) < 10, tf.float32), axis=[1, 2])
example_image = images[int(tf.argmax(tf.where(black_share < 0.02, asymmetry, -1.0)))]


def show_copies(original, copies, titles, title):
    """The original image and its augmented copies in one row, each with a title."""
    fig, axes = plt.subplots(1, len(copies) + 1, figsize=(2.6 * (len(copies) + 1), 3))
    for ax, image, label in zip(axes, [original, *copies], ["original", *titles]):
        ax.imshow(np.asarray(image).astype("uint8"))
        ax.set_title(label)
        ax.axis("off")
    fig.suptitle(title)
    plt.show()


flip = layers.RandomFlip("horizontal", seed=config.SEED)
flipped_copies = [flip(example_image[tf.newaxis], training=True)[0] for _ in range(5)]
mirrored = tf.image.flip_left_right(example_image)
flip_titles = ["flipped" if np.array_equal(copy, mirrored) else "not flipped" for copy in flipped_copies]
show_copies(example_image, flipped_copies, flip_titles,
            "RandomFlip('horizontal'): each copy is flipped left-right with probability 1/2")

# %% [markdown]
# ## Rotating
#
# [`keras.layers.RandomRotation(factor)`](https://keras.io/api/layers/preprocessing_layers/image_augmentation/random_rotation/)
# rotates each image by a random angle. `factor` is a fraction of a full turn: `factor=0.05`
# draws the angle uniformly from ±0.05 × 360° = ±18°. The corners that the rotation uncovers
# are filled by `fill_mode`, `"reflect"` by default (the image mirrored at its edge), with
# bilinear interpolation between pixels. To label each copy with its angle, we draw the angles
# ourselves here and give each one to the layer as a fixed range `(angle, angle)`; positive
# angles turn the image counter-clockwise.

# %%
rotation = models.ROTATION
angles = np.random.default_rng(config.SEED).uniform(-rotation, rotation, size=5)
rotated_copies = [layers.RandomRotation((angle, angle))(example_image[tf.newaxis], training=True)[0] for angle in angles]
show_copies(example_image, rotated_copies, [f"rotated {360 * angle:+.0f}°" for angle in angles],
            f"RandomRotation({rotation}): random angles up to ±{rotation * 360:.0f}°")

# %% [markdown]
# Both layers together, as model2 uses them:

# %%
report.show_source(models.make_augmentation)

# %% [markdown]
# ## model2
#
# model2 is model1 with the augmentation in front; the layers after it are exactly model1's
# (`models.cnn_layers()`, shown in post 02). Everything else, the data, the optimiser, the 20
# epochs, stays the same, so a difference larger than the spread between seeds can be put down
# to augmentation.

# %%
def make_model2():
    """model2: augmentation, then model1's layers."""
    return keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)), models.make_augmentation(),
                             *models.cnn_layers()], name="model2")


model2 = make_model2()
model2.summary()

# %% [markdown]
# Trained with the recipe of post 02:

# %%
history2 = models.train(model2, train, validation)
models.save_model(model2)

# %% [markdown]
# ## How well does it do, and did augmentation help?
#
# `report.review` does what post 02 did step by step: the learning curves, the summary printed
# from the history, two more runs with other seeds (how much of the number is luck?), and then
# model2 against model1 over all their seeds. model1's runs come from post 02 on this machine if
# you ran it here; otherwise from the series' published run, whose numbers ship with the
# package, so they are there even in a fresh Colab runtime. The table says which.

# %%
seeds2 = report.review("model2", make_model2, history2, train, validation,
                       "model2: model1 with data augmentation", "03-model2-augmentation.png")

# %% [markdown]
# Augmentation works against memorising: every epoch shows the network new variations, so
# training accuracy cannot race ahead of validation accuracy as easily. Post 02 printed model1's
# gap between training and validation accuracy: compare it with model2's in the summary above.
#
# ## What's next
#
# So far the network has received raw pixel values from 0 to 255. In the next post we rescale
# them to [-1, 1] first, the input range that the pretrained network of post 05 expects.
