# ---
# title: "02 · model1: a CNN from scratch"
# description: >-
#   A small convolutional network trained from scratch on 2000 photos: how far does it get,
#   how fast, and does it overfit?
# date: 2026-11-24
# categories: [CNN, training]
# image: ../run/figures/02-model1-cnn.png
# image-alt: >-
#   Learning curves of model1, a small CNN trained from scratch: accuracy and loss per
#   epoch, training solid, validation dashed.
# ---

# %% [markdown]
# Our first model is a small convolutional neural network (CNN) trained from scratch: it starts
# from random *weights* (the numbers inside the network that training adjusts) and learns
# everything it knows about cats and dogs from our 2000 training photos. We train it, plot its
# learning curves, read off how well it does and whether it overfits, measure how much of the
# result is luck, and compare it with a few variants we tried.

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
# The baseline to beat, as in post 01: the accuracy of always answering the most frequent label.

# %%
baseline_accuracy = data.baseline_accuracy(train)
print(f"Baseline accuracy: {baseline_accuracy:.1%}")

# %% [markdown]
# ## What a convolution does
#
# A CNN is a stack of small filters that slide over the image. A *filter* is a small grid of
# weights, here 3×3. At every position of the image it multiplies the 3×3 pixels under it by its
# weights and adds the nine products up: one number per position, so the output is an image
# again, a *feature map*, large where the pixels look like the filter's pattern. This is a
# [convolution](https://d2l.ai/chapter_convolutional-neural-networks/conv-layer.html) (d2l's
# chapter works one through by hand). Here is one on a validation photo, in grey, with a filter
# we write ourselves: it subtracts the pixels on the left from those on the right, so it
# responds to vertical edges (the Sobel filter of image processing):

# %%
#| fig-alt: "Three panels: a validation photo; the same photo after a 3x3 vertical-edge
#|   filter, a map that is red where brightness rises from left to right, blue where
#|   it falls and white where it stays the same; and that map after 2x2 max pooling,
#|   half as wide and half as high. A colour bar gives the filter's output."
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

photos, _ = next(iter(validation))  # a fixed order: the same photo every time
photo = photos[0]
grey = tf.image.rgb_to_grayscale(photo)[tf.newaxis]  # [1, height, width, 1 channel]
edge_filter = tf.constant([[-1.0, 0.0, 1.0],
                           [-2.0, 0.0, 2.0],
                           [-1.0, 0.0, 1.0]])[:, :, tf.newaxis, tf.newaxis]
edges = tf.nn.conv2d(grey, edge_filter, strides=1, padding="SAME")
pooled = tf.nn.max_pool2d(edges, ksize=2, strides=2, padding="VALID")

fig, axes = plt.subplots(1, 3, figsize=(10, 3.8), layout="constrained")
largest = float(tf.reduce_max(tf.abs(edges)))
axes[0].imshow(photo.numpy().astype("uint8"))
axes[0].set_title(f"the photo, {photo.shape[0]}×{photo.shape[1]}")
for ax, image, title in [(axes[1], edges, "after the edge filter"),
                         (axes[2], pooled, "after 2×2 max pooling")]:
    shown = ax.imshow(image[0, :, :, 0], cmap="RdBu_r", vmin=-largest, vmax=largest)
    ax.set_title(f"{title}, {image.shape[1]}×{image.shape[2]}")
for ax in axes:
    ax.axis("off")
fig.colorbar(shown, ax=axes[1:], shrink=0.8, label="filter output")
fig.suptitle("One 3×3 filter on one photo")
plt.show()

# %% [markdown]
# The filtered image is as large as the photo (`padding="SAME"` pads the border with zeros),
# red where brightness rises from left to right, blue where it falls, near white on smooth
# areas. *Max pooling* then keeps the largest value of each 2×2 square: half the width, half the
# height, and the strongest rising edges survive. After pooling, each value stands for a 2×2
# square, so a 3×3 filter in the next layer sees 6×6 pixels of the layer before: deeper layers
# see larger parts of the photo.
#
# A convolution layer learns its filters instead of taking ours: `Conv2D(16, 3)` has 16 filters,
# each 3×3 in size and as deep as its input has channels (3 for a colour photo), and writes 16
# feature maps, one *channel* each. In trained CNNs the first layers respond to edges and colours
# and later ones to larger parts, as [Zeiler and Fergus](https://arxiv.org/abs/1311.2901) showed
# by visualising them; after training model1 we look at its own first filters.
#
# ## model1, block by block
#
# Each *block* of model1 is four layers:
#
# - a 3×3 [convolution](https://keras.io/api/layers/convolution_layers/convolution2d/), as above;
# - [batch normalisation](https://keras.io/api/layers/normalization_layers/batch_normalization/),
#   which rescales the values of each channel to a steady mean and spread (its authors,
#   [Ioffe and Szegedy](https://arxiv.org/abs/1502.03167), found that this lets training converge
#   in fewer steps and tolerate larger learning rates);
# - a ReLU, which keeps positive values and sets negative ones to zero;
# - 2×2 max pooling, which halves the image.
#
# Four blocks with 16, 32, 64 and 128 filters take the image down to 5×5 positions. Then the
# *head*: `Flatten` lays the last feature maps out as one vector, `Dropout` switches off 30% of
# it at random during training (so the model cannot lean on a few features;
# [Srivastava et al.](https://jmlr.org/papers/v15/srivastava14a.html) introduced it against
# overfitting), and `Dense(2)` gives two numbers, one per class.
#
# Those two numbers are the model's *logits*: unbounded scores, where the larger one is the
# model's answer. *Softmax* turns them into two probabilities that add up to 1: each logit `z`
# becomes `exp(z) / (exp(z_cat) + exp(z_dog))`, so the larger logit gets the larger probability.
# The model itself stops at the logits; the loss below applies softmax itself
# (`from_logits=True`), and so do posts 06 and 07 when they print probabilities.
# ([Glossary](../glossary.qmd#logits).)
#
# One choice is about speed: the first layer averages each 2×2 square of pixels, so the
# convolutions work on 80×80 images, a quarter of the pixels and so about a quarter of the work
# of every convolution. Whether that throws away detail the model could use we do not measure
# here; one of the exercises at the end trains model1 on the full 160×160 pixels. These
# functions live in the package, because posts 03 and 04 reuse them:

# %%
report.show_source(models.conv_block, models.cnn_layers)

# %%
import keras


def make_model1():
    """A fresh model1: four convolution blocks and a two-logit head, for 160×160 colour
    images."""
    return keras.Sequential(
        [keras.Input(shape=config.IMAGE_SIZE + (3,)), *models.cnn_layers()],
        name="model1")


model1 = make_model1()
report.print_summary(model1)

# %% [markdown]
# ## Reading the summary
#
# Each row is a layer; its output shape lists the batch first, then height, width and channels.
# The batch is `None`: the model takes any number of photos at once. Follow the image down: 160
# pixels, 80 after the averaging, then half again after each block's pooling. The parameters are
# the numbers the model stores: the trainable ones are those the optimiser's gradient steps
# change; the non-trainable ones (the summary's last line counts them) are the moving means and
# variances that batch normalisation updates as running averages during training.
# They follow from the layers' settings, as the cell below works out for the first block and
# the head:

# %%
first_convolution, first_normalisation = model1.layers[1], model1.layers[2]
height, width, channels_in, filters = first_convolution.kernel.shape
weights = height * width * channels_in * filters
print(f"{first_convolution.name}: {height}×{width} weights × {channels_in} input "
      f"channels × {filters} filters = {weights} weights\n"
      f"  (Keras counts {first_convolution.count_params()}); no bias, because "
      "batch normalisation adds its own shift.")
channels = first_normalisation.gamma.shape[0]
print(f"{first_normalisation.name}: 4 numbers per channel × {channels} channels = "
      f"{4 * channels} (Keras counts {first_normalisation.count_params()}):\n"
      "  a scale and a shift that training learns, and a moving mean and variance\n"
      "  that it only tracks (the non-trainable parameters).")
shapes = " -> ".join(f"{layer.output.shape[1]}×{layer.output.shape[2]}"
                     for layer in model1.layers if len(layer.output.shape) == 4
                     and "pooling" in layer.name)
print(f"height × width after each pooling layer: {shapes}")
dense = model1.layers[-1]
inputs, outputs = dense.kernel.shape
print(f"{dense.name}: {inputs} inputs × {outputs} logits + {outputs} biases = "
      f"{inputs * outputs + outputs} (Keras counts {dense.count_params()}).")

# %% [markdown]
# The moving mean and variance are updated as running averages over the batches during
# training, not by the gradient steps (next section) that change the trainable weights; see
# Keras's [BatchNormalization](https://keras.io/api/layers/normalization_layers/batch_normalization/)
# documentation.
#
# ## Training
#
# Training repeats one *step* many times: the model answers one batch of 32 photos, the *loss*
# measures how wrong the answers are, and the optimiser changes every trainable weight a little in
# the direction that makes the loss smaller. One pass over all training photos is an *epoch*:
# with all the data, 2000 photos in batches of 32 make 63 steps per epoch
# (the last batch holds 16). We train for 20 epochs.
#
# - The loss is cross-entropy on the two logits: minus the logarithm of the probability (after
#   softmax) that the model gives the true class. It is small when the model is confidently
#   right and grows fast when it is confidently wrong. `from_logits=True` tells the loss that the
#   model outputs logits, not probabilities, so it applies softmax itself; TensorFlow's
#   [beginner tutorial](https://www.tensorflow.org/tutorials/quickstart/beginner) recommends this
#   because the loss can then be computed in a numerically stable way.
# - The *gradient* of the loss says, for each weight, how much the loss changes when that
#   weight changes a little; the optimiser steps against it
#   ([glossary](../glossary.qmd#gradient)).
# - The *learning rate* sets the size of each step. [Adam](https://keras.io/api/optimizers/adam/)
#   ([Kingma and Ba](https://arxiv.org/abs/1412.6980)), the optimiser, divides a running average
#   of each weight's gradients by the root of a running average of their squares, so each
#   weight moves by at most about the learning rate per step, whatever the size of its
#   gradients.
# - The *schedule* changes the learning rate during training: ours starts at 0.001 and decays
#   along a cosine to almost zero at the last step (it would reach zero one step later:
#   `decay_steps` = epochs × steps per epoch). The idea,
#   from [Loshchilov and Hutter](https://arxiv.org/abs/1608.03983): large steps while the weights
#   are far from good ones, ever smaller steps at the end, so the last epochs change the model
#   less and less.
#
# Every model of the series is trained with this recipe ([glossary](../glossary.qmd#epoch)):

# %%
report.show_source(models.compile_model)

# %% [markdown]
# Keras's own training log is wide; `EpochLog`, a [callback](https://keras.io/api/callbacks/)
# that `fit` calls after every epoch, prints one short line instead: accuracy on the training
# and on the validation images, the two losses, and the time. `models.train` puts the recipe,
# `fit` and the log together; every later post trains its models with it.

# %%
report.show_source(models.EpochLog, models.train)

# %%
history1 = models.train(model1, train, validation)

# %%
#| fig-alt: "Two line charts side by side, one point per epoch: accuracy on the left,
#|   loss on the right, each with a solid line for the training images and a dashed
#|   line for the validation images of model1."
report.plot_history({"model1": history1}, "model1: a CNN from scratch",
                    save_as="02-model1-cnn.png")

# %% [markdown]
# ## How well does it do?
#
# Validation accuracy jumps from one epoch to the next (look at the log above), so the value of
# the last epoch depends on where the run happened to stop. The series therefore judges a run by
# the *mean validation accuracy of its last 5 epochs*: the end of the schedule, where the
# learning rate is smallest, and five values average out much of the jumping
# ([glossary](../glossary.qmd#settled-accuracy)).
#
# The sentences below are printed by `report.summarize` from the training history, so they always
# describe the run you see. Read its code first: it averages the last 5 epochs of validation and
# of training accuracy, compares the first with the baseline, and names the gap between the two
# with an `if` ladder. The thresholds of that ladder (10 points for "overfits clearly", 3 for
# "a little") are our own convention, a way to put the gap into words, not a law. The rule of
# which epochs count lives in `catsdogs.results`, which every post, the results table and the
# tests share:

# %%
report.show_source(results.counted_epochs, results.settled_accuracy, report.summarize)

# %%
summary1 = report.summarize("model1", history1, baseline_accuracy)
results.record("model1", history1, shown=summary1)

# %% [markdown]
# Look at the gap between the curves: training accuracy approaches 100% while validation
# accuracy settles far below it (the summary prints the gap). Part of what model1 learned holds
# only for its 2000 training photos; this is *overfitting*
# ([glossary](../glossary.qmd#overfitting)). But it also learned something that carries over to
# photos it never trained on: its validation accuracy is well above the baseline (the summary
# prints by how much). The next post tries to make model1 do better on photos it has not seen,
# by showing it more varied training images; the one after it measures whether scaling the
# pixels changes anything.

# %% [markdown]
# ## What model1's first layer learned
#
# Our edge filter was written by hand; model1 learned its 16 first filters from the photos.
# Each is 3×3 and three colours deep, so it can be drawn as a tiny colour image (stretched to
# use the whole colour range: mid-grey is zero). Next to them, the 16 feature maps that the
# first block (convolution, batch normalisation, ReLU, pooling) makes of the photo above:

# %%
#| fig-alt: "Left, model1's 16 learned first-layer filters drawn as tiny 3x3 colour
#|   images in a 2 by 8 grid. Right, the 16 feature maps of the validation photo after
#|   model1's first block, as grey images in a 2 by 8 grid, bright where a channel
#|   responds strongly."
kernels = model1.layers[1].kernel.numpy()  # [3, 3, 3 colours, 16 filters]
stretched = 0.5 + kernels / (2 * np.abs(kernels).max())
first_block = keras.Model(model1.inputs, model1.layers[4].output)
feature_maps = first_block(photos[:1], training=False)[0].numpy()  # [40, 40, 16]

fig = plt.figure(figsize=(11, 3.4), layout="constrained")
left, right = fig.subfigures(1, 2)
for number, ax in enumerate(left.subplots(2, 8).flat):
    ax.imshow(stretched[:, :, :, number])
    ax.axis("off")
left.suptitle("the 16 learned 3×3 filters")
for number, ax in enumerate(right.subplots(2, 8).flat):
    ax.imshow(feature_maps[:, :, number], cmap="gray")
    ax.axis("off")
right.suptitle(f"their 16 feature maps of the photo, {feature_maps.shape[0]}×"
               f"{feature_maps.shape[1]}")
plt.show()

# %% [markdown]
# Compare the maps with the photo: a map that is bright along the animal's outline or its
# fur's stripes responds to edges or textures there, one that is bright over large areas
# responds to a colour. After the ReLU a map is zero (black) wherever its filter's response,
# after batch normalisation's scale and shift, was negative, and after the pooling drawn here
# wherever that held for all four values of a 2×2 square (each map is drawn on its own grey
# scale). These 16 maps are all the second block sees of the photo; it combines them into 32
# new ones, and so on up to the head.
#
# ## How much of that is luck?
#
# Each run gets other random numbers, and they change the result. A run's seed sets its initial
# weights and its dropout masks (and, from post 03 on, its augmentation). The order of the
# batches differs from run to run too, but it comes from the data pipeline, which was seeded
# once when post 01's code (`data.load_data()`) built it, so the run's seed does not set it.
# Before we compare models, we measure how much the result moves: two more runs of model1, same
# recipe, other seeds ([glossary](../glossary.qmd#seed)). The function that trains them is
# shown before it runs. A difference between two models that is smaller than this spread could
# be luck alone.

# %%
report.show_source(models.train_with_seeds)

# %%
seeds1 = models.train_with_seeds(make_model1, train, validation, history1)
results.record(results.seeds_name("model1"), seeds1,
               shown=report.seeds_table("model1", seeds1))

# %% [markdown]
# ## A few things we tried
#
# Before settling on model1 we trained a few variants. Here each one trains for half the epochs
# with the same recipe, so they can be compared with each other, not with the longer run above.
# The sentences under the table say how each differs from model1's design and whether that is
# within the spread between model1's seeds. Each variant ran once, so even a difference larger
# than that spread is only a hint, not a verdict: only several seeds of each could rank two
# designs. (`report.variants_table` writes the table and the sentences.)

# %%
import time

from IPython.display import display

variant_epochs = max(1, config.epochs() // 2)
# Each variant's options for models.cnn_layers. The layers are made after seeding: a
# layer draws its initial weights and dropout seed when it is created.
variants = {
    "model1's design: 4 blocks (16-32-64-128), batch norm": {},
    "without batch normalisation": {"batch_norm": False},
    "3 blocks (16-32-64), batch norm": {"widths": (16, 32, 64)},
}
rows = []
for description, options in variants.items():
    keras.utils.set_random_seed(config.SEED)
    variant = keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)),
                                *models.cnn_layers(**options)])
    models.compile_model(variant, train, epochs=variant_epochs)
    start = time.perf_counter()
    with models.retracing_warnings_hidden():
        history = models.fit_validating_last(variant, train, validation, variant_epochs,
                                             validated_epochs=results.WINDOW)
    rows.append((description, variant.count_params(), results.settled_accuracy(history),
                 time.perf_counter() - start))

display(report.variants_table(rows, seeds1, variant_epochs))

# %% [markdown]
# ## Saving the model
#
# Post 06 scores model1 on the test set if it finds it saved on this machine, so we keep it in
# the Keras cache.

# %%
models.save_model(model1)

# %% [markdown]
# ## What's next
#
# model1 clearly beats the baseline but overfits. In the next post we show it more varied
# pictures without collecting any new ones: *data augmentation* flips and rotates every training
# image at random, a little differently in every epoch.
#
# Further reading: TensorFlow's [image classification tutorial](https://www.tensorflow.org/tutorials/images/classification)
# trains a similar CNN on flower photos.

# %% [markdown]
# ## What you learned
#
# A convolution slides a small filter over the image and writes a feature map that is large
# where the image looks like the filter's pattern (our hand-made edge filter showed it on a
# photo); max pooling halves the map, so deeper layers see larger parts of the photo, and a
# convolution layer learns its filters from the data (model1's first 16 are drawn above). A
# small CNN is a stack of such blocks followed by a layer that turns what they found into one
# logit per class, and its parameter counts follow from the layers' settings. Softmax turns
# logits into probabilities, and the loss applies it itself when told `from_logits=True`.
# Training takes one step per batch and one epoch per pass over the training photos, with Adam
# and a learning rate that shrinks along a cosine. A run is judged by the mean validation
# accuracy of its last 5 epochs, and the gap to training accuracy shows overfitting. Runs with
# other seeds show how much of a result is luck: a difference between two models within that
# spread could be luck alone.
#
# What this post's experiment showed, from its run and its seeds:

# %%
from IPython.display import Markdown, display

print(f"model1: validation accuracy {summary1.validation:.1%}, "
      f"{100 * summary1.gain:.1f} points above the baseline;\n"
      f"training accuracy {100 * summary1.gap:.1f} points above validation.\n"
      f"With other seeds: {report.describe_runs(results.runs(seeds1))}.")
display(Markdown(summary1.verdict))

# %% [markdown]
# ## Questions
#
# 1. What are the two numbers that model1's last layer outputs, and how does softmax turn them
#    into probabilities?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Two logits, one per class: unbounded scores, the larger one being the model's answer. Softmax
# maps each logit `z` to `exp(z) / (exp(z_cat) + exp(z_dog))`, so the two results are positive,
# add up to 1, and keep the order of the logits.
# :::
#
# 2. What does `from_logits=True` in `compile_model` tell the loss, and what would go wrong if it
#    were `False` for our model?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# That the model's outputs are logits, so the loss applies softmax before taking the logarithm
# of the true class's probability. With `False`, the loss would treat the raw logits as
# probabilities, although they are not between 0 and 1 and do not add up to 1. In Keras 3.15
# with TensorFlow (this page's versions; `keras/src/backend/tensorflow/nn.py`), it clips each
# output to between 1e-7 and 1 − 1e-7 before the logarithm: every logit below 0 or above 1 is
# cut off, and a cut-off value passes no gradient back, so training would learn only from the
# outputs that happen to lie between 0 and 1, from a loss that is not the cross-entropy of
# the model's answers.
# :::
#
# 3. What is a step, what is an epoch, and how many steps does one epoch of model1 take with all
#    the data?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# A step is one update of the weights from one batch; an epoch is one pass over all training
# photos. 2000 photos in batches of 32 make 63 steps (62 full batches and one of 16).
# :::
#
# 4. Where in the code is the learning-rate schedule set, and what is the learning rate at the
#    last step of a run?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# In `compile_model`: `keras.optimizers.schedules.CosineDecay(learning_rate,
# decay_steps=epochs * len(train_data))`, which starts at 0.001 and falls along the cosine to
# practically zero at the last step of the run (`decay_steps` is the number of steps in it):
# with N steps, the last one (number N − 1, counting from 0) gets
# 0.001 · ½(1 + cos(π(N − 1)/N)), about 0.001 · (π / 2N)², a few billionths for a thousand steps.
# :::
#
# 5. Why does the series judge a run by the mean validation accuracy of its last 5 epochs rather
#    than by its last epoch?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Validation accuracy jumps from one epoch to the next, so a single epoch's value depends on
# where the run happened to stop. The last epochs come at the end of the schedule, where
# the learning rate is smallest, and their mean averages out much of the jumping.
# :::
#
# 6. How does `report.summarize` decide that a model "overfits clearly"?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# It averages training and validation accuracy over the same last epochs and takes the
# difference; above 10 points it says "overfits clearly", above 3 "a little". From there down to
# minus 1 point it says the model does not overfit by this measure; below that, validation is
# the higher one, and it says why that is no bug (dropout and augmentation are off for
# validation, and the training figure averages over weights that were still changing). These
# thresholds are the series' own convention for putting the gap into words.
# :::
#
# 7. Why train model1 with two more seeds before comparing it with any other model?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# A run's random numbers change its result: the seed sets the initial weights and the dropout
# masks (the order of the batches changes from run to run too, but the data pipeline sets it,
# not the seed). The spread between seeds shows how large a difference luck alone produces, so
# a later model's difference within it could be luck; post 03 shows how to weigh runs that do
# not overlap.
# :::
#
# ### Try it
#
# These change the code; run them after the first two code cells of this post (the setup
# and the data).
#
# 8. Train model1 on the full 160×160 pixels, without the first layer's 2×2 averaging. How do the
#    number of parameters and the time per epoch change? Is it more accurate?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# `models.cnn_layers()` starts with the `AveragePooling2D` layer; leave it out:
#
# ```python
# import keras
#
# from catsdogs import results
#
# model = keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)),
#                           *models.cnn_layers()[1:]], name="model1_160")
# print(f"{model.count_params():,} parameters")
# history = models.train(model, train, validation)
# accuracy = results.settled_accuracy(history)
# print(f"validation accuracy, mean of the last epochs: {accuracy:.1%}")
# ```
#
# The blocks now end on a 10×10 map instead of 5×5, so `Flatten` passes four times as many values
# and `Dense(2)` has four times as many weights (25,602 instead of 6,402 with its biases): the
# whole model grows from 104,562 to 123,762 parameters. The convolutions keep their weights
# (a filter's size does not depend on the image's), but every convolution does four times the
# work, so an epoch takes longer. Whether it is more accurate: compare its number with the spread between
# model1's seeds; one run cannot settle a difference within that spread.
# :::
#
# 9. Compute softmax by hand for the logits of a fresh (untrained) model1 on four validation
#    photos, and check it against `keras.activations.softmax`.
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# ```python
# import keras
# import numpy as np
#
# model = keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)), *models.cnn_layers()])
# images, labels = next(iter(validation))
# logits = np.asarray(model(images[:4], training=False))
# by_hand = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
# by_keras = np.asarray(keras.activations.softmax(logits))
# print(by_hand.round(3), "\nlargest difference:", np.abs(by_hand - by_keras).max())
# ```
#
# Each row adds up to 1 and the two agree to float rounding. An untrained model's probabilities
# mean nothing yet: its weights are random.
# :::
#
# 10. Train model1 with a constant learning rate of 0.001 instead of the cosine schedule. What does
#    the log of the last epochs look like?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Compile it yourself with a plain number as the learning rate:
#
# ```python
# import keras
#
# model = keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)), *models.cnn_layers()])
# model.compile(optimizer=keras.optimizers.Adam(1e-3),
#               loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
#               metrics=["accuracy"])
# history = model.fit(train, validation_data=validation, epochs=config.epochs(), verbose=0,
#                     callbacks=[models.EpochLog()]).history
# ```
#
# Compare the last epochs' validation accuracy with model1's log: with full-size steps until the
# end, expect it to keep jumping more from epoch to epoch. One run of each shows a tendency, not
# a proof.
# :::
