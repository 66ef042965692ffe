# ---
# title: "02 · model1: a CNN from scratch"
# description: >-
#   A small convolutional network trained from scratch on 2000 photos: how far does it get,
#   how fast, and does it overfit?
# date: 2026-11-24
# categories: [CNN, training]
# image: ../images/posts/02-model1-cnn.png
# ---

# %% [markdown]
# Our first model is a small convolutional neural network (CNN) trained from scratch: it starts
# from random weights and learns everything it knows about cats and dogs from our 2000 training
# photos. We train it, plot its learning curves, read off how well it does and whether it
# overfits, measure how much of the result is luck, and compare it with a few variants we tried.

# %% [markdown]
# ## Setup
#
# The series' helper package (installed in the first lines when you run this in Colab) and the
# data of post 01 in one call: the fixed train / validation / test split through the cached
# input pipeline.

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
# The baseline to beat, as in post 01: the accuracy of always answering the most frequent label.

# %%
baseline_accuracy = data.baseline_accuracy(train)
print(f"Baseline accuracy: {baseline_accuracy:.1%}")

# %% [markdown]
# ## model1
#
# A CNN is a stack of small filters that slide over the image. Each *block* below is a 3×3
# [convolution](https://keras.io/api/layers/convolution_layers/convolution2d/) (it detects local
# patterns such as edges, then fur and ears in later blocks),
# [batch normalisation](https://keras.io/api/layers/normalization_layers/batch_normalization/)
# (it keeps the values in each layer at a steady scale, which often lets training converge in
# fewer epochs and makes it less fussy about the learning rate), a ReLU (which keeps positive
# values and sets negative ones to zero), and 2×2 max pooling, which halves the image so the next
# block sees a larger area. Four blocks with 16, 32, 64 and 128 filters take the image down to
# 5×5 positions; `Flatten` lays those out as one vector, `Dropout` switches off 30% of it at
# random during training (so the model cannot lean on a few features), and `Dense(2)` gives one
# score (a logit) per class.
#
# One choice is about speed: the first layer averages each 2×2 square of pixels, so the
# convolutions work on 80×80 images, a quarter of the pixels, and 80×80 is still plenty to tell
# a cat from a dog. These functions live in the package, because posts 03 and 04 reuse them:

# %%
report.show_source(models.conv_block, models.cnn_layers)

# %%
def make_model1():
    """A fresh model1: four convolution blocks and a two-logit head, for 160×160 colour images."""
    return keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)), *models.cnn_layers()], name="model1")


model1 = make_model1()
model1.summary()

# %% [markdown]
# ## Training
#
# [Adam](https://keras.io/api/optimizers/adam/), a standard optimiser, with a learning rate that
# starts at 0.001 and decays along a cosine to zero over the run: large steps early, small
# careful ones at the end, so the last epochs settle instead of bouncing around. The loss is
# cross-entropy on the two logits: it is small when the model gives the true class a high
# probability, and grows fast when it is confidently wrong. Every model of the series is trained with this recipe:

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
report.plot_history({"model1": history1}, "model1: a CNN from scratch", save_as="02-model1-cnn.png")

# %% [markdown]
# ## How well does it do?
#
# The sentences below are printed by code from the training history, so they always describe
# the run you see.

# %%
report.summarize("model1", history1, baseline_accuracy)

# %% [markdown]
# Look at the gap between the curves: training accuracy approaches 100% while validation
# accuracy settles far below it (the summary prints the gap). The network memorises its 2000
# training photos rather than learning what makes a cat a cat. The next two posts attack exactly
# that.
#
# ## How much of that is luck?
#
# The random numbers of a run (the initial weights, the order of the batches, the dropout masks)
# change the result. Before we compare models, we measure by how much: two more runs of model1,
# same recipe, other seeds. A later model is only clearly better if it beats this spread.

# %%
seeds1 = report.train_with_seeds("model1", make_model1, train, validation, history1)

# %% [markdown]
# ## A few things we tried
#
# Before settling on model1 we trained a few variants. Here each one trains for half the epochs
# with the same recipe, so they can be compared with each other (not with the 20-epoch run above).

# %%
import time

import numpy as np
from IPython.display import Markdown, display

variant_epochs = max(1, config.EPOCHS // 2)
variants = {
    "model1's design: 4 blocks (16-32-64-128), batch norm": models.cnn_layers(),
    "without batch normalisation": models.cnn_layers(batch_norm=False),
    "3 blocks (16-32-64), batch norm": models.cnn_layers(widths=(16, 32, 64)),
}
rows = []
for description, variant_layers in variants.items():
    keras.utils.set_random_seed(config.SEED)
    variant = keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)), *variant_layers])
    models.compile_model(variant, train, epochs=variant_epochs)
    start = time.perf_counter()
    history = report.fit_validating_last(variant, train, validation, variant_epochs, validated_epochs=3)
    rows.append((description, variant.count_params(), report.last_epochs_mean(history, 3), time.perf_counter() - start))

table = "| variant | parameters | validation accuracy (last 3 epochs) | training time |\n|---|---:|---:|---:|\n"
table += "\n".join(f"| {d} | {p:,} | {a:.1%} | {t:.0f} s |" for d, p, a, t in rows)
kept, others = rows[0], rows[1:]
closest = min(others, key=lambda row: abs(row[2] - kept[2]))
spread = np.ptp(np.round(seeds1["val_accuracy"], 3))  # highest − lowest, as the seeds' table shows them
gap = kept[2] - closest[2]
ranking = "ahead of" if gap >= 0 else "behind"
noise = (f"within the {100 * spread:.1f}-point spread between model1's seeds, so one run of each cannot rank them"
         if abs(gap) <= spread else f"more than the {100 * spread:.1f}-point spread between model1's seeds")
display(Markdown(f"{table}\n\nAfter {variant_epochs} epochs, model1's design reached {kept[2]:.1%}, "
                 f"{100 * abs(gap):.1f} points {ranking} the closest variant, '{closest[0]}': {noise}. "
                 "(The spread comes from 20-epoch runs, so it is only a rough yardstick here.) We keep model1's design "
                 "for this post and the next two: four blocks reduce the image to a small map before `Flatten`, "
                 "which keeps the dense layer small, although the fourth block itself adds weights."))

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
