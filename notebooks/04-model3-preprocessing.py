# ---
# title: "04 · model3: preprocessing"
# description: "Scale the pixels to [-1, 1] before anything else, the way MobileNetV2 expects them, and measure what it changes."
# date: 2026-11-24
# categories: [preprocessing, training]
# image: ../run/figures/04-model3-preprocessing.png
# image-alt: >-
#   Learning curves of model3, model2 with pixels scaled to -1 to 1: accuracy and loss
#   per epoch, training solid, validation dashed.
# ---

# %% [markdown]
# Our models so far received raw pixel values between 0 and 255. The usual advice
# ([LeCun et al., "Efficient BackProp"](http://yann.lecun.com/exdb/publis/pdf/lecun-98b.pdf),
# section 4.3) is to feed a network inputs centred around zero and of similar size: with
# all-positive inputs, the update that one training example gives the weights feeding a unit of
# the first layer has the same sign for all of them (all up or all down), so, one example at a
# time, those weights can only move together; and inputs of different sizes make some weights
# learn faster than others. In this post we put a
# *preprocessor* in front of the model that scales pixels to [-1, 1], exactly as the pretrained
# MobileNetV2 of the next post expects, and measure whether it changes anything for our network.

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
# ## The preprocessor
#
# [`keras.applications.mobilenet_v2.preprocess_input`](https://keras.io/api/applications/mobilenet/#mobilenetv2-function)
# applies the input scaling that MobileNetV2's ImageNet weights expect: it maps a pixel value `x` in
# [0, 255] to `x / 127.5 - 1` in [-1, 1]. We wrap it in a small `keras.Model` so it becomes a
# layer of our model and travels with it when the model is saved: whoever uses the model later
# feeds it ordinary photos.

# %%
report.show_source(models.make_preprocessor)

# %%
import tensorflow as tf
from keras import layers

preprocessor = models.make_preprocessor()
images, _ = next(iter(train))
scaled = preprocessor(images)
rescaling = layers.Rescaling(1 / 127.5, offset=-1)
print(f"Pixels before: {float(tf.reduce_min(images)):.0f} to "
      f"{float(tf.reduce_max(images)):.0f}; after: {float(tf.reduce_min(scaled)):.3f} "
      f"to {float(tf.reduce_max(scaled)):.3f}")
print("Largest difference from Rescaling(1/127.5, offset=-1) on a batch of "
      f"{len(images)} images: "
      f"{float(tf.reduce_max(tf.abs(scaled - rescaling(images)))):.1e}")

# %% [markdown]
# The difference is at the level of float32 rounding: the preprocessor *is* a
# [rescaling layer](https://keras.io/api/layers/preprocessing_layers/image_preprocessing/rescaling/).
#
# ## model3
#
# The preprocessor comes first, then the augmentation of post 03, then model1's layers. Scaling
# first means augmentation and the network both work on [-1, 1] values.

# %%
import keras


def make_model3():
    """model3: the preprocessor, augmentation, then model1's layers."""
    return keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)),
                             models.make_preprocessor(), models.make_augmentation(),
                             *models.cnn_layers()], name="model3")


model3 = make_model3()
model1_parameters = keras.Sequential(
    [keras.Input(shape=config.IMAGE_SIZE + (3,)), *models.cnn_layers()]).count_params()
first_layers = ", ".join(layer.name for layer in model3.layers[:2])
print(f"model3's layers: {first_layers}, then model1's.\n"
      f"{model3.count_params():,} parameters; model1 has {model1_parameters:,}"
      + (": scaling and augmentation learn nothing."
         if model3.count_params() == model1_parameters else "."))

# %%
history3 = models.train(model3, train, validation)
models.save_model(model3)

# %% [markdown]
# ## How well does it do, and did preprocessing help?
#
# As in post 03: the learning curves and the printed summary (validation accuracy as the
# [mean of the last 5 epochs](../glossary.qmd#settled-accuracy)),

# %%
#| fig-alt: "Two line charts side by side, one point per epoch: accuracy on the left,
#|   loss on the right, each with a solid line for the training images and a dashed
#|   line for the validation images of model3."
report.plot_history({"model3": history3},
                    "model3: preprocessing, augmentation and model1's layers",
                    save_as="04-model3-preprocessing.png")
summary3 = report.summarize("model3", history3, data.baseline_accuracy(train))
results.record("model3", history3, shown=summary3)
print("Validation accuracy in the first epochs: "
      + ", ".join(f"{value:.1%}" for value in history3.val_accuracy[:3]))

# %% [markdown]
# What to look at: the first epochs of the dashed validation line, printed above. An accuracy
# near 50% is no better than guessing: a model that answers one class for every validation
# photo gets the share of that class, a little under or over 50% because the validation photos
# are not exactly half cats (post 01's exercise 7 counts them). Meanwhile the solid training
# line already rises. Validation uses the weights at the end of each epoch and the batch
# normalisation layers' moving averages, training the statistics of each batch; why the two
# part ways in the first epochs, this post does not measure. What counts for the comparison is
# where the run settles.
#
# Then two more seeds,

# %%
seeds3 = models.train_with_seeds(make_model3, train, validation, history3)
results.record(results.seeds_name("model3"), seeds3,
               shown=report.seeds_table("model3", seeds3))

# %% [markdown]
# and model3 against model1 and model2 over all their seeds (this machine's runs where posts 02
# and 03 ran here with the same settings, else the published run's; the table says which).

# %%
report.compare_with_earlier_models("model3", seeds3)

# %% [markdown]
# The table and the verdicts above are what we measured. Why the difference can be small for
# *this* network follows from its first layers. The preprocessor maps every pixel `x` to
# `x / 127.5 - 1`. Flips and rotations only move pixels and mix neighbours with weights that add
# up to 1, so applying them before or after that map gives the same result, and so does the 2×2
# averaging that opens model1's layers (post 02). The first convolution
# has no bias and is linear: its output for scaled pixels is its output for raw pixels divided by
# 127.5, minus a constant per channel (the sum of the channel's weights). Batch normalisation then
# subtracts each channel's mean over the batch and divides by its spread, which removes both the
# factor and the constant. Three things break the argument: next to the image border the
# convolution's zero padding makes the constant differ; batch normalisation adds a small
# constant (`epsilon`) to the variance; and in validation batch normalisation uses its moving
# statistics instead of the batch's, which start at mean 0 and variance 1 and catch up with the
# data only over many steps (`momentum=0.99` by default, see the
# [layer's documentation](https://keras.io/api/layers/normalization_layers/batch_normalization/)),
# so early validation epochs can differ.
#
# The cell below checks the argument and its first two exceptions on one batch of training
# photos: a fresh convolution (model1's first: 16 filters of 3×3, no bias) and batch
# normalisation in training mode (the batch's own statistics), fed once with the raw pixels and
# once with the preprocessed ones. It prints how far apart the two outputs are, as a share of
# an output value's mean size: first for model1's layers, away from the border and on it (the
# outermost pixel of each side); then without a border (`padding="valid"`: the convolution
# skips the edge instead of padding it with zeros); then also with a negligible `epsilon`. It
# leaves out the 2×2 averaging (which, as above, commutes with the map), so its convolution
# sees the 160×160 photo, not the 80×80 image model1's first convolution sees.

# %%
import numpy as np
from keras import layers

images, _ = next(iter(train))
preprocessed = models.make_preprocessor()(images)


def outputs_apart(padding, epsilon):
    """For each output value: |output for raw pixels - output for preprocessed pixels|,
    divided by the mean size of an output for raw pixels."""
    keras.utils.set_random_seed(config.SEED)  # the same convolution weights every time
    convolution = layers.Conv2D(16, 3, padding=padding, use_bias=False)
    normalisation = layers.BatchNormalization(epsilon=epsilon)
    raw = np.asarray(normalisation(convolution(images), training=True))
    scaled = np.asarray(normalisation(convolution(preprocessed), training=True))
    return np.abs(raw - scaled) / np.abs(raw).mean()


keras_epsilon = layers.BatchNormalization().epsilon
apart = outputs_apart("same", keras_epsilon)
on_border = np.ones(apart.shape[1:3], dtype=bool)
on_border[1:-1, 1:-1] = False
print("Mean difference between the outputs for raw and preprocessed pixels,\n"
      "as a share of an output value's mean size:")
print(f"  model1's layers (zero padding, epsilon {keras_epsilon:g}): "
      f"away from the border {apart[:, ~on_border].mean():.2%},\n"
      f"  on the border {apart[:, on_border].mean():.2%}")
print(f"  no border, epsilon {keras_epsilon:g}: "
      f"{outputs_apart('valid', keras_epsilon).mean():.2%}")
print(f"  no border, epsilon 1e-9: {outputs_apart('valid', 1e-9).mean():.2%}")

# %% [markdown]
# Read the lines from the bottom up. Without a border and with a negligible `epsilon`, the
# argument is exact, and the two outputs differ only by float32 rounding. Keras's `epsilon`
# alone leaves a difference: the preprocessed pixels are 127.5 times smaller, so the variance
# of their convolution's outputs is 127.5² times smaller, and `epsilon`, which batch
# normalisation adds to that variance, is no longer negligible next to it. The
# border adds the most, right where the zero padding changes the constant; and since batch
# normalisation takes its mean and spread over all positions, the border's included, the
# border shifts them a little everywhere.
#
# The argument says nothing about a network without batch normalisation, and this post does not
# measure one; exercise 7 lets you try it. Post 02's
# [table of variants](02-model1-cnn.ipynb#a-few-things-we-tried) has a network without batch
# normalisation on unscaled pixels (model1's layers minus batch normalisation, no augmentation,
# trained once for half the epochs), but no twin of it on scaled pixels, so it cannot say whether scaling matters there.
# The preprocessor still matters for the next post: MobileNetV2 was trained on [-1, 1] inputs
# and expects them.
#
# ## What's next
#
# Three models trained from scratch on 2000 photos. In the next post we stop starting from
# scratch: MobileNetV2 has already learned to see from ImageNet, a collection of about 1.3
# million labelled photos of 1000 kinds of things, and with the same preprocessor in front we
# can reuse what it knows.

# %% [markdown]
# ## What you learned
#
# What this post's experiment showed, in one line each from its runs (the verdicts of the
# comparison above):

# %%
from IPython.display import Markdown, display

for earlier in ["model1", "model2"]:
    display(Markdown(report.comparison("model3", seeds3, earlier)))

# %% [markdown]
# Of the two verdicts, the one against model2 isolates the preprocessor: model3 is model2 with
# the preprocessor in front. The one against model1 also includes post 03's augmentation.
#
# A preprocessor scales the pixels to the range a network expects; wrapped in a small Keras model,
# it becomes the first layer of ours and is saved with it, so whoever uses the model feeds it
# ordinary photos. MobileNetV2's `preprocess_input` is exactly a rescaling to [-1, 1]. For a
# network whose first convolution is followed by batch normalisation, a rescaling of the input
# is largely undone by that normalisation away from the image's border (the check above prints
# how much remains), which may be why the scale of the input matters little here; this post
# does not train a network without batch normalisation to test it. Whether
# rescaling helps is decided by the comparison against the spread between seeds, as for the
# steps from scratch in posts 02 and 03.

# %% [markdown]
# ## Questions
#
# 1. What does `preprocess_input` turn the pixel values 0, 127.5 and 255 into?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# −1, 0 and 1: it computes `x / 127.5 - 1`.
# :::
#
# 2. Why do we wrap the preprocessor in a `keras.Model` and put it inside model3, instead of
#    rescaling the images in the input pipeline?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# As a layer of the model it is saved with it, so whoever loads the model later feeds it
# ordinary photos with pixels from 0 to 255 and gets the same scaling.
# :::
#
# 3. How does the post show that the preprocessor is the same as `Rescaling(1/127.5, offset=-1)`?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# It applies both to a batch of 32 training images and prints the largest difference, which is
# at the level of float32 rounding.
# :::
#
# 4. Why does model3 have exactly as many parameters as model1?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# The preprocessor and the augmentation learn nothing: they have no weights. The layers with
# weights are model1's.
# :::
#
# 5. Explain in your own words why batch normalisation after the first convolution almost undoes
#    a rescaling of the input. Where does the argument not hold exactly?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# The convolution is linear and has no bias, so scaling the input scales its output by the same
# factor, and shifting the input shifts each output channel by a constant. Batch normalisation
# subtracts each channel's mean and divides by its spread, removing both. It is not exact next
# to the border (the zero padding, and a little everywhere, since the batch's mean and spread
# include the border positions), because of batch normalisation's small `epsilon`, and in
# validation, where batch normalisation uses its moving statistics, which catch up with the data
# only over many steps, so early validation epochs can differ.
# :::
#
# 6. Why do we still keep the preprocessor, if it may change little for model3?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# MobileNetV2, the pretrained network of the next post, was trained on pixels in [-1, 1] and
# expects them; model4 starts with the same preprocessor.
# :::
#
# ### Try it
#
# These change the code; run them after the first two code cells of this post (the setup
# and the data).
#
# 7. Train model2 and model3 *without* batch normalisation (`models.cnn_layers(batch_norm=False)`)
#    and compare them. Does the preprocessor matter more there?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# ```python
# import keras
#
# fronts = {"without preprocessor": [], "with preprocessor": [models.make_preprocessor()]}
# for name, front in fronts.items():
#     keras.utils.set_random_seed(config.SEED)
#     model = keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)), *front,
#                               models.make_augmentation(),
#                               *models.cnn_layers(batch_norm=False)])
#     history = models.train(model, train, validation)
#     print(f"{name}: validation accuracy {results.settled_accuracy(history):.1%}")
# ```
#
# One run of each is not enough to rank them: train each with a few seeds, as the posts do,
# before you draw a conclusion. Post 02's
# [table of variants](02-model1-cnn.ipynb#a-few-things-we-tried) includes model1 without batch
# normalisation, which is also a model on unscaled pixels (no preprocessor, and no
# augmentation), trained once for half the epochs; without a twin on scaled pixels it cannot
# answer this question, and since it has no augmentation and trained for half the epochs, do
# not compare it with your two runs either.
# :::
#
# 8. Repeat the check of this post with batch normalisation in *inference* mode
#    (`training=False`), as in validation, with a fresh layer whose moving statistics still
#    have their starting values. How large is the share now, and why?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# ```python
# import keras
# import numpy as np
# from keras import layers
#
# keras.utils.set_random_seed(config.SEED)
# convolution = layers.Conv2D(16, 3, padding="same", use_bias=False)
# fresh = layers.BatchNormalization()
# images, _ = next(iter(train))
# raw = np.asarray(fresh(convolution(images), training=False))
# preprocessed = models.make_preprocessor()(images)
# scaled = np.asarray(fresh(convolution(preprocessed), training=False))
# print(f"{np.abs(raw - scaled).mean() / np.abs(raw).mean():.2%}")
# ```
#
# Close to 100%: the moving statistics start at mean 0 and variance 1, so the layer barely
# changes its input. The preprocessed pixels lie in [-1, 1] instead of [0, 255], so the output
# for them is tiny next to the output for the raw pixels, and their difference is almost the
# whole raw output. Only over many
# training steps do the moving statistics follow the data; this is the third exception above.
# :::
