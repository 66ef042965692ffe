# ---
# title: "03 · model2: data augmentation"
# description: >-
#   Flip and rotate every training photo at random, a little differently in every epoch: more
#   varied data for free. Does it help on new photos?
# date: 2026-11-24
# categories: [augmentation, training]
# image: ../run/figures/03-model2-augmentation.png
# image-alt: >-
#   Learning curves of model2, model1 with data augmentation: accuracy and loss per
#   epoch, training solid, validation dashed.
# ---

# %% [markdown]
# model1 of post 02 did far better on its 2000 training photos than on new ones: it overfits.
# One cure is more varied data, and we can make some ourselves: a cat flipped
# left to right, or tilted a little, is still a cat. *Data augmentation* applies such random
# changes to every training image, anew in every epoch, so the model never sees exactly the same
# picture twice. Keras does it with layers at the start of the model, which are active only
# during training (TensorFlow's [data augmentation tutorial](https://www.tensorflow.org/tutorials/images/data_augmentation)
# shows more of them).

# %% [markdown]
# ## Setup
#
# The series' package `catsdogs` (in Colab, the first lines install it at the commit that
# produced this page).

# %%
#| code-fold: true
import sys

if "google.colab" in sys.modules:  # in Colab only: the package, as the run used it
    get_ipython().run_line_magic("pip", "install -q git+https://github.com/cats-vs-dogs-tutorial/cats-vs-dogs@b93ee998f83610199495a14f7b8f63658a558c7a")
from catsdogs import config, data, models, report, results

# %% [markdown]
# The data of post 01 in one call: the fixed train / validation / test split, through the
# cached input pipeline.

# %%
train, validation, test, class_names = data.load_data()

# %% [markdown]
# ## Flipping
#
# [`keras.layers.RandomFlip(mode)`](https://keras.io/api/layers/preprocessing_layers/image_augmentation/random_flip/)
# flips each image with probability one half. `mode` is `"horizontal"` (left-right),
# `"vertical"` (upside down) or `"horizontal_and_vertical"`. A cat mirrored left to right is still
# a plausible photo of a cat; upside down it would be unlike the photos the model will be asked
# about (post 01 shows a sample, all the right way up), so we only flip left to right. Like all
# random preprocessing layers it does nothing at *inference* (when the trained model classifies
# a photo); to see its effect we call it with `training=True`.
#
# A flip only shows on a photo that is not symmetric, so we pick, from the first batch, the
# photo that differs most from its mirror image. The code leaves out photos in which more than 2%
# of the pixels are almost black or almost white (borders, or the background of a collage of
# several photos), a rule of thumb of ours: such borders make a photo very asymmetric without
# making it a good example.
# Each copy is labelled by comparing it with the mirrored original: RandomFlip mirrors the image
# exactly as `tf.image.flip_left_right` does, with no blending of pixel values ([its
# source](https://github.com/keras-team/keras/blob/v3.15.1/keras/src/layers/preprocessing/image_preprocessing/random_flip.py)
# in Keras 3.15.1), so a flipped copy
# equals it exactly; a copy that was not flipped does not, because we picked the photo that
# differs most from its mirror image.

# %%
#| fig-alt: "One photo from the training set six times in a row: the original, then
#|   five copies after RandomFlip, each titled flipped or not flipped; a flipped copy
#|   is its mirror image."
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import layers

images, _ = next(iter(train))
asymmetry = tf.reduce_mean(tf.abs(images - tf.image.flip_left_right(images)),
                           axis=[1, 2, 3])
border_pixel = ((tf.reduce_max(images, axis=-1) < 10)  # almost black
                | (tf.reduce_min(images, axis=-1) > 245))  # almost white
border_share = tf.reduce_mean(tf.cast(border_pixel, tf.float32), axis=[1, 2])
example_image = images[int(tf.argmax(tf.where(border_share < 0.02, asymmetry, -1.0)))]


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
flip_titles = ["flipped" if np.array_equal(copy, mirrored) else "not flipped"
               for copy in flipped_copies]
show_copies(example_image, flipped_copies, flip_titles,
            "RandomFlip('horizontal'): each copy is flipped left-right "
            "with probability 1/2")

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
#| fig-alt: "The same photo six times in a row: the original, then five copies each
#|   rotated by a random angle given in its title; the corners the rotation uncovers
#|   are filled with a mirror image of the photo's edge."
rotation = models.ROTATION
angles = np.random.default_rng(config.SEED).uniform(-rotation, rotation, size=5)
rotated_copies = [
    layers.RandomRotation((angle, angle))(example_image[tf.newaxis], training=True)[0]
    for angle in angles]
show_copies(example_image, rotated_copies,
            [f"rotated {360 * angle:+.0f}°" for angle in angles],
            f"RandomRotation({rotation}): random angles up to ±{rotation * 360:.0f}°")

# %% [markdown]
# Both layers together, as model2 uses them:

# %%
report.show_source(models.make_augmentation)

# %% [markdown]
# ## model2
#
# model2 is model1 with the augmentation in front; the layers after it are exactly model1's
# (`models.cnn_layers()`, shown in post 02). Everything else, the data, the optimiser, the
# number of epochs, stays the same, so a difference larger than the spread between seeds is a
# hint that augmentation made it (a hint: the verdict below says how often chance alone would
# give one).

# %%
import keras


def make_model2():
    """model2: augmentation, then model1's layers."""
    return keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)),
                             models.make_augmentation(), *models.cnn_layers()],
                            name="model2")


model2 = make_model2()
report.print_summary(model2)

# %% [markdown]
# Trained with the recipe of post 02 (Adam, a learning rate that decays along a cosine, the same
# number of [epochs](../glossary.qmd#epoch)):

# %%
history2 = models.train(model2, train, validation)
models.save_model(model2)

# %% [markdown]
# ## How well does it do, and did augmentation help?
#
# The same steps as in post 02: the learning curves, and the summary printed from the history.

# %%
#| fig-alt: "Two line charts side by side, one point per epoch: accuracy on the left,
#|   loss on the right, each with a solid line for the training images and a dashed
#|   line for the validation images of model2."
report.plot_history({"model2": history2}, "model2: model1 with data augmentation",
                    save_as="03-model2-augmentation.png")
summary2 = report.summarize("model2", history2, data.baseline_accuracy(train))
results.record("model2", history2, shown=summary2)

# %% [markdown]
# What to look at: put these curves next to model1's in post 02. There the solid training line
# climbed to nearly 100%; here it climbs more slowly and ends lower, closer to the dashed
# validation line (the summary prints both means). Whether that is a better model is the
# question of the next cells. In this run's accuracy chart the dashed line never lies above the
# solid one, but it could, and that would be no bug: training accuracy is measured on augmented photos with dropout
# on, and averaged over the epoch while the weights still change; validation accuracy is
# measured without either, with the weights at the end of the epoch.
#
# Two more runs with other [seeds](../glossary.qmd#seed): how much of the number is luck?

# %%
seeds2 = models.train_with_seeds(make_model2, train, validation, history2)
results.record(results.seeds_name("model2"), seeds2,
               shown=report.seeds_table("model2", seeds2))

# %% [markdown]
# Now model2 against model1, over all their seeds. model1's runs come from post 02 on this
# machine if you ran it here with the same settings; otherwise from the series' published run,
# which the package reads from the series' repository, so they are there even in a fresh Colab
# runtime. The table says which. Each verdict is printed by this rule:

# %%
report.show_source(report.verdict)

# %%
report.compare_with_earlier_models("model2", seeds2)

# %% [markdown]
# Why that probability: if the two models were equally good, their six runs would be six draws
# from the same spread, and every way of ordering them would be equally likely. Of the 20 ways
# to choose which three of six places model2's runs take, 2 put all three above or all three
# below model1's, so "every run of one above every run of the other" happens by chance one time
# in ten. Non-overlapping ranges are a hint, not a proof, and they say nothing about *how much*
# better a model is; the mean difference printed first is the best single guess at that. When
# the two ranges only just touch, the verdict can hang on the last decimal of a single run: read
# the ranges in the table, not only the verdict.
#
# How did the gap between training and validation accuracy change from model1 to model2, and
# where did the change come from? The cell below splits it into its two parts, from the two
# histories (model1's from the same place as in the table above). The gap is training minus
# validation accuracy, so a change in training accuracy moves it the same way and a change in
# validation accuracy the opposite way: each part is printed with the sign it gives the gap.

# %%
model1_history, model1_source = results.history_of("model1")
if model1_history is None:
    print(f"No history of model1: {model1_source}.")
else:
    print(f"Mean of the last {results.WINDOW} epochs, "
          f"model1 ({model1_source}) -> model2:")
    changes = {}
    for metric, label in [("accuracy", "training"), ("val_accuracy", "validation")]:
        before = np.mean(results.counted_epochs(model1_history, metric))
        after = np.mean(results.counted_epochs(history2, metric))
        changes[label] = after - before
        print(f"  {label} accuracy {before:.1%} -> {after:.1%} "
              f"({100 * changes[label]:+.1f} points)")
    gap_change = changes["training"] - changes["validation"]
    direction = {label: "rise" if change >= 0 else "fall"
                 for label, change in changes.items()}
    print(f"The gap (training minus validation) changed by "
          f"{100 * gap_change:+.1f} points (each number rounded on its own):\n"
          f"  {100 * changes['training']:+.1f} from the {direction['training']} "
          f"in training accuracy,\n"
          f"  {-100 * changes['validation']:+.1f} from the {direction['validation']} "
          f"in validation accuracy.")

# %% [markdown]
# Training accuracy is measured on the training images *as the model sees them during
# training*: augmented, and with dropout switched on (Keras logs the training metrics during
# training, and switches dropout off only for evaluation; see the
# [Keras FAQ](https://keras.io/getting_started/faq/#why-is-my-training-loss-much-higher-than-my-testing-loss)).
# Augmentation makes those images vary more, which can lower the accuracy measured on them; a
# fall there narrows the gap whether or not the model gets any better on new photos. The lines
# above show how much of the change came from each side.
# Whether augmentation helped on new photos is a question for validation accuracy alone, and
# the comparison above judged its change by whether the two models' seed runs overlap.
#
# ## What's next
#
# So far the network has received raw pixel values from 0 to 255 (`image_dataset_from_directory`
# gives float pixels in that range; post 04 prints it). In the next post we rescale
# them to [-1, 1] first, the input range that the pretrained network of post 05 expects.

# %% [markdown]
# ## What you learned
#
# What this post's experiment showed, from its runs: the verdict of the comparison above, and
# where the gap between training and validation accuracy went.

# %%
from IPython.display import Markdown, display

display(Markdown(report.comparison("model2", seeds2, "model1")))
if model1_history is not None:
    moved = {part: f"{'rose' if change >= 0 else 'fell'} {abs(100 * change):.1f} points"
             for part, change in changes.items()}
    print(f"Seed-42 runs, model1 -> model2: training accuracy {moved['training']}\n"
          "(measured on augmented images), "
          f"validation accuracy {moved['validation']};\n"
          f"the gap between them changed by {100 * gap_change:+.1f} points "
          "(each number rounded on its own).")

# %% [markdown]
# Data augmentation makes new training images from the ones we have, with random changes that
# keep the label, such as left-right flips and small rotations, different in every epoch. In
# Keras it is a group of layers at the front of the model that work only during training, so
# the saved model classifies ordinary photos unchanged. A smaller gap between training and
# validation accuracy is not by itself a better model: training accuracy is measured on the
# harder, augmented images, so only validation accuracy, judged by whether the two
# models' seed runs overlap, says whether new photos are classified better.

# %% [markdown]
# ## Questions
#
# 1. What do `RandomFlip` and `RandomRotation` do when the model classifies a photo after
#    training, and how did we see their effect in this post?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Nothing: random preprocessing layers are active only during training. To draw the augmented
# copies we called the layers with `training=True`.
# :::
#
# 2. What range of angles does `RandomRotation(0.05)` draw from, and what fills the corners that
#    a rotation uncovers?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# `factor` is a fraction of a full turn: ±0.05 × 360° = ±18°, drawn uniformly. The uncovered
# corners are filled by `fill_mode`, `"reflect"` by default: the image mirrored at its edge.
# :::
#
# 3. Why do we flip only left to right, not upside down?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# A mirrored pet photo is still a plausible photo; an upside-down one would be unlike the
# photos the model will be asked about (the samples of post 01 are all the right way up).
# :::
#
# 4. How does the flip figure know whether a copy was flipped?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# It compares each copy with the mirrored original: RandomFlip mirrors exactly as
# `tf.image.flip_left_right` does, so a flipped copy equals the mirrored image exactly; a copy
# that was not flipped does not, because the photo was chosen to differ most from its mirror
# image (on a symmetric photo both would match).
# :::
#
# 5. model2's gap between training and validation accuracy is much smaller than model1's. Why is
#    that not, by itself, evidence that model2 classifies new photos better?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Training accuracy is measured on augmented images with dropout on; harder training images
# lower it and narrow the gap even if the model does no better on new photos. The split printed
# after the comparison shows how much of the change came from training accuracy and how much
# from validation accuracy; only the validation part, judged by whether the two models' seed runs overlap,
# speaks about new photos.
# :::
#
# 6. What does the comparison's verdict "the runs of the two models overlap" mean, and what
#    should you look at besides it?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# That neither model's runs are all above the other's: the ranges of their runs over the seeds
# share some values, so the luck of the seeds alone could explain the difference of the means.
# It does not say that the models are equally good. And the opposite verdict is no proof
# either: with three runs each, two equally good models keep their ranges apart one time in
# ten. When the ranges only just touch, the verdict can depend on the last decimal of one run,
# so read the ranges in the table too.
# :::
#
# ### Try it
#
# These change the code; run them after the first two code cells of this post (the setup
# and the data).
#
# 7. Train a model2 with much stronger rotation, `RandomRotation(0.2)` (up to ±72°). Is it better
#    or worse than model2?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# `models.make_augmentation` takes the rotation factor:
#
# ```python
# import keras
#
# from catsdogs import results
#
# model = keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)),
#                           models.make_augmentation(rotation=0.2),
#                           *models.cnn_layers()], name="model2_rotation_02")
# history = models.train(model, train, validation)
# accuracy = results.settled_accuracy(history)
# print(f"validation accuracy, mean of the last epochs: {accuracy:.1%}")
# ```
#
# Compare it with the range of model2's seeds, not with one number: a single run that falls
# inside that range cannot rank the two. Large rotations make the training images less like the
# photos the model is asked about, which can cost accuracy as well as help.
# :::
#
# 8. Add a random zoom (`keras.layers.RandomZoom(0.1)`) to the augmentation and draw a few
#    augmented copies of one photo.
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# ```python
# import keras
# import matplotlib.pyplot as plt
# from keras import layers
#
# augmentation = keras.Sequential([layers.RandomFlip("horizontal"),
#                                  layers.RandomRotation(models.ROTATION),
#                                  layers.RandomZoom(0.1)])
# images, _ = next(iter(train))
# fig, axes = plt.subplots(1, 5, figsize=(13, 3))
# for ax in axes:
#     ax.imshow(augmentation(images[:1], training=True)[0].numpy().astype("uint8"))
#     ax.axis("off")
# plt.show()
# ```
#
# To train with it, put `augmentation` where `make_model2` has `models.make_augmentation()`.
# :::
