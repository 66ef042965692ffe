# ---
# title: "05 · model4: transfer learning with MobileNetV2"
# description: >-
#   Reuse a network that learned to see from 1.3 million ImageNet photos: train a small head
#   on top of frozen MobileNetV2, then fine-tune its top layers.
# date: 2026-11-24
# categories: [transfer learning, training]
# image: ../run/figures/05-model4-transfer-learning.png
# image-alt: >-
#   Learning curves of model4, head training then fine-tuning, with a dotted line
#   where fine-tuning starts: accuracy and loss per epoch, training solid, validation
#   dashed.
# ---

# %% [markdown]
# Our models from scratch had to learn from 2000 photos what edges, fur, eyes and ears look like.
# [MobileNetV2](https://arxiv.org/abs/1801.04381) learned all that, and much more, from the
# about 1.3 million training photos of ImageNet (1000 kinds of things, among them over a hundred
# breeds of dogs, which the [challenge's paper](https://arxiv.org/abs/1409.0575) counts among its
# fine-grained classes, and a few kinds of cats). *Transfer learning* reuses it: we keep
# its convolutional part, the *base*, frozen, and train only a small new *head* that turns its
# features into "cat" or "dog". Then we *fine-tune*: unfreeze the top of the base and let it
# adapt, very gently, to our photos. The recipe follows TensorFlow's
# [transfer learning and fine-tuning tutorial](https://www.tensorflow.org/tutorials/images/transfer_learning),
# with a fixed test set (post 01) and other settings in several places: the series' own
# training recipe, epochs and augmentation, a head of two logits, and batch normalisation kept
# frozen during fine-tuning (below; post 06 lists the differences).

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
from catsdogs import data, models, report, results

# %% [markdown]
# The data of post 01 in one call: the fixed train / validation / test split, through the
# cached input pipeline.

# %%
train, validation, test, class_names = data.load_data()

# %% [markdown]
# ## The pretrained base
#
# [`keras.applications.MobileNetV2`](https://keras.io/api/applications/mobilenet/#mobilenetv2-function)
# with `weights="imagenet"` downloads the ImageNet weights once into the Keras cache
# (`~/.keras/models`) and reads them from there afterwards; `include_top=False` drops ImageNet's
# 1000-class classifier and keeps the feature extractor. For 160×160 inputs it returns a 5×5 map
# of 1280 features. If the weights cannot be loaded (no network and no cached file, or a
# damaged file), Keras raises an error; `load_base_model` turns it into a message that says what
# to do: copy the weights file into the cache, or delete a damaged one.

# %%
report.show_source(models.load_base_model)

# %%
base_model = models.load_base_model()
print(f"{len(base_model.layers)} layers, {base_model.count_params():,} parameters; "
      f"output {base_model.output_shape}")
print("ImageNet weights loaded from:\n"
      + models.describe_weights_file().replace(", SHA-256", ",\nSHA-256"))

# %% [markdown]
# The size and SHA-256 above identify the weights file this run used. Our published run was made
# on a machine without internet access, with substitute ImageNet weights placed in the cache
# under Keras's file name; the [About page](../about.qmd#numbers) says which, and why your
# numbers in Colab, with Keras's own download, can differ (we have not measured by how much).
#
# model4 is the preprocessor of post 04 (MobileNetV2 expects pixels in [-1, 1]), the
# augmentation of post 03, the frozen base, and a head: global average pooling (one number per
# feature), dropout, and two logits. `base_model.trainable = False` freezes every layer of the
# base, its batch normalisation layers included, and a frozen BatchNormalization layer runs in
# inference mode, in Keras 2 (tf.keras, TensorFlow 2) and in Keras 3 (the
# [layer's documentation](https://keras.io/api/layers/normalization_layers/batch_normalization/)
# says so for `trainable = False`): it keeps its ImageNet statistics instead of taking those of
# each batch of ours. We also call the base with `training=False`, as TensorFlow's tutorial
# does. Whether that call *alone* would keep a trainable batch normalisation layer in inference
# mode during `fit` depends on the Keras version: in Keras 2 it does; in Keras 3.15.1, the
# version this page ran with, it does not (the model passes `training=True` on to the layers
# inside, as reported in [keras-team/keras#20285](https://github.com/keras-team/keras/issues/20285));
# [keras-team/keras#23364](https://github.com/keras-team/keras/pull/23364) changes that for
# Keras 3.16. The cell
# below asks your Keras: it calls a small sub-model holding one trainable batch normalisation
# layer with `training=False`, trains once, and looks whether the layer's moving mean moved.
# Freezing works on every version, which is why this series freezes, and why it matters for
# fine-tuning below.

# %%
import keras
import numpy as np

inner = keras.Sequential([keras.Input((4,)), keras.layers.BatchNormalization()])
inputs = keras.Input((4,))
outer = keras.Model(inputs, inner(inputs, training=False))
outer.compile(optimizer="sgd", loss="mse")
values = np.random.default_rng(0).normal(5.0, 1.0, (64, 4)).astype("float32")
outer.fit(values, values, epochs=1, batch_size=32, shuffle=False, verbose=0)
moved = not np.allclose(inner.layers[0].moving_mean.numpy(), 0.0)
mode = "still trains" if moved else "stays in inference mode"
print(f"Keras {keras.__version__}: a trainable batch normalisation layer called with "
      f"training=False\n{mode} during fit "
      f"(its moving mean {'moved' if moved else 'stayed at 0'}).")

# %%
report.show_source(models.build_model4)

# %%
import numpy as np

model4 = models.build_model4(base_model)
report.print_summary(model4)
trainable = sum(int(np.prod(weight.shape)) for weight in model4.trainable_weights)
frozen = sum(int(np.prod(weight.shape)) for weight in model4.non_trainable_weights)
print(f"Trainable parameters: {trainable:,}; "
      f"frozen (non-trainable) parameters: {frozen:,}\n"
      f"({trainable / (trainable + frozen):.2%} of the model is trained).")

# %% [markdown]
# Only the head, one weight per feature and class plus two biases, learns from our 2000 photos;
# everything MobileNetV2 knows stays as ImageNet left it. The results below show how far that
# gets.
#
# ## Training the head
#
# The same recipe as for models 1–3: Adam with a learning rate that decays along a cosine, for
# the same number of epochs ([glossary](../glossary.qmd#learning-rate)). First, as TensorFlow's
# tutorial does, the untrained model: its head's weights are random, so it should do no better
# than guessing, and it can do worse (a random head can even tell cats from dogs the wrong way
# round; the line below prints what this one does).

# %%
validation_labels = np.concatenate([labels for _, labels in validation])
untrained = model4.predict(validation, verbose=0).argmax(axis=1) == validation_labels
print(f"Before training, with the head's random weights: validation accuracy "
      f"{untrained.mean():.1%}.")

# %%
history4 = models.train(model4, train, validation)

# %%
#| fig-alt: "Two line charts side by side, one point per epoch: accuracy on the left,
#|   loss on the right, each with a solid line for the training images and a dashed
#|   line for the validation images of model4 while only its new head trains on top of
#|   the frozen MobileNetV2."
baseline_accuracy = data.baseline_accuracy(train)
report.plot_history({"model4": history4}, "model4: frozen MobileNetV2 with a new head")
summary4 = report.summarize("model4", history4, baseline_accuracy)
results.record("model4", history4, shown=summary4)
print(f"First epoch: training accuracy {history4.accuracy[0]:.1%}, "
      f"validation accuracy {history4.val_accuracy[0]:.1%}.")

# %% [markdown]
# What to look at: the first epoch. After one pass over our photos the head is already far
# beyond the models from scratch, and its validation accuracy above its training accuracy (the
# line above prints both). Two things can make the training figure the lower one (the
# [Keras FAQ](https://keras.io/getting_started/faq/#why-is-my-training-loss-much-higher-than-my-testing-loss)
# names both). Dropout (and the
# augmentation) are on during training and off for validation, so training is harder than
# validation. And Keras's training accuracy for an epoch is the average over its batches, measured
# while the weights were still changing from their random start, whereas validation is
# measured once, with the weights at the end of the epoch.

# %% [markdown]
# ## model4 against the models from scratch
#
# One run of model4 against every run of models 1–3 (this machine's where their posts ran here,
# else the published run's):

# %%
report.compare_with_earlier_models("model4", history4)

# %% [markdown]
# ## A head from 40 photos
#
# Does such a head need all our photos? We try one small number: 40. A head on these features
# is a *logistic regression*: a weighted sum of the 1,280 numbers the base computes for a photo,
# plus a bias, gives one logit, and the sigmoid turns it into the probability of the second
# class, dog. (model4's head has two logits, but a softmax over two logits depends only on their
# difference, so a single logit, with weights w₁ − w₀ and bias b₁ − b₀, can make exactly the same
# predictions: the same kind of model.) It is small enough to train in NumPy, where every
# step is visible. We take 20 cats and 20 dogs of the training folder (chosen with the series'
# seed), compute their features once with the frozen base (its 5×5 map averaged over the cells,
# as model4's pooling does), and train `catsdogs.head` on them: each feature *standardised*
# (minus its mean over the 40 photos, divided by its standard deviation, so that all 1,280 are
# on one scale), then plain gradient descent from zero weights on the cross-entropy plus a
# small L2 penalty on the weights (with 1,280 weights and 40 photos, large weights could fit
# anything), with no dropout and no randomness: 200 steps with a learning rate of 0.005 and an
# L2 weight of 0.1 (the constants `STEPS`, `LEARNING_RATE` and `L2` of `catsdogs/head.py`).
# The 800 validation photos score it.

# %%
from catsdogs import head

report.show_source(head.train_head)

# %%
import os

from catsdogs import photos, stats

preprocess = models.make_preprocessor()


def features_of(pixels):
    """Each photo's 1,280 features: the base's 5×5 map, averaged over the cells."""
    return head.pooled(base_model.predict(preprocess(pixels), verbose=0))


sample_pixels, sample_labels, sample_names = photos.sample_photos(
    os.path.join(data.find_data(), "train"), class_names, head.PER_CLASS)
# the series' run keeps a copy for the page's trainer below (in Colab it writes nothing)
photos.save_sample_photos(sample_pixels, sample_labels, sample_names, class_names)
small_head = head.train_head(features_of(sample_pixels), sample_labels)
validation_features = np.concatenate([features_of(images) for images, _ in validation])
says_second = head.probabilities(small_head, validation_features) > 0.5  # dogs
right_40 = says_second == validation_labels
low, high = stats.wilson_interval(int(right_40.sum()), len(right_40))
print(f"Trained on {len(sample_labels)} photos for {head.STEPS} steps: loss "
      f"{small_head.losses[0]:.3f} -> {small_head.losses[-1]:.3f}, training accuracy "
      f"{small_head.accuracies[-1]:.0%}.")
print(f"Validation: {right_40.sum()} of {len(right_40)} right, {right_40.mean():.1%} "
      f"(95% interval {low:.1%} to {high:.1%}).")

# %% [markdown]
# ### Try it: a head on photos of your own
#
# The same head, in your browser: drop photos of two kinds of thing into the two boxes (your own
# cat and dog, two mugs, two friends), or press "Use sample photos" for the 40 photos above, and
# press Train. The page computes each photo's features with the model of the classifier in
# post 07: model4 after fine-tuning, exported to ONNX with most of its weights stored in 8 bits. That
# model was trained on our cats and dogs, these 40 photos among them, so with the sample photos
# its head has an easier job than the cell above, which used the frozen ImageNet base. The page
# cannot score its head on our validation photos; it shows a *leave-one-out* score instead:
# each of your photos is classified by a head trained on all the others, so no photo is scored
# by a head that saw it. Nothing leaves your browser.

# %% [raw]
# <link rel="stylesheet" href="widget/trainer.css">
# <div class="cdt" data-model="../run/model4.onnx" data-metadata="../run/model4.json"
#   data-photos="../run/figures/trainer-photos/photos.json">
# <p>The trainer needs JavaScript (and WebAssembly): turn them on to try it.</p>
# </div>
# <script type="module" src="widget/trainer.js"></script>

# %% [markdown]
# Before we fine-tune, we keep model4's answer on every validation photo: right or wrong.
# After fine-tuning we will compare, photo by photo.

# %%
validation_labels = np.concatenate([labels for _, labels in validation])
right_before = model4.predict(validation, verbose=0).argmax(axis=1) == validation_labels
print(f"model4 before fine-tuning: {right_before.sum()} of {len(right_before)} "
      "validation photos right.")

# %% [markdown]
# ## Fine-tuning
#
# In a network trained on ImageNet, the lower layers detect generic patterns (edges, textures)
# that suit almost any photo, and the upper layers more and more specific parts of ImageNet's
# classes ([Yosinski et al.](https://arxiv.org/abs/1411.1792) measured this). So we unfreeze
# only the upper third, from layer `FINE_TUNE_AT` = 100 on, the layer TensorFlow's tutorial
# uses: building block 11 from the ReLU after its widening convolution on, blocks 12 to 16,
# and its final 1×1 convolution
# (one that mixes the features at each position). Each building block is an "inverted residual"
# ([Sandler et al.](https://arxiv.org/abs/1801.04381)): a 1×1 convolution that widens, a 3×3
# convolution on each channel separately, and a 1×1 convolution that narrows again; a block that
# keeps the size and width of its input also adds that input to its output (a shortcut), while
# the blocks that halve the image or change the width (13 and 16 here) have none. We train
# these layers together with the head for a few more epochs, with a learning rate 100 times
# smaller (1e-5 instead of 1e-3): Keras's [transfer learning guide](https://keras.io/guides/transfer_learning/)
# warns that large updates to a large model trained on a small data set quickly overfit.
# Changing what is trainable requires compiling again; `models.train` compiles every time.
#
# One trap: the batch normalisation layers inside the unfrozen part must stay frozen. A
# trainable one can run in training mode during `fit` even inside a base called with
# `training=False` (on Keras 3.15; the check cell above prints what your Keras does): it
# normalises with the statistics of each of our batches of 32 and updates its stored ImageNet
# statistics towards them. The Keras guide warns that this can destroy what the model has learned; this post does
# not measure it, and one of the exercises at the end tries it. So `unfreeze_top` unfreezes the
# convolutions from layer `FINE_TUNE_AT` on and leaves every BatchNormalization layer frozen.

# %%
report.show_source(models.unfreeze_top)

# %%
models.unfreeze_top(base_model)
trainable_layers = sum(layer.trainable and bool(layer.weights)
                       for layer in base_model.layers)
print(f"{len(base_model.layers)} layers in the base; from layer {models.FINE_TUNE_AT} "
      f"('{base_model.layers[models.FINE_TUNE_AT].name}') on,\n"
      f"{trainable_layers} layers with weights are trainable "
      f"(all but the batch normalisation layers).")
fine_tune_history = models.train(model4, train, validation,
                                 epochs=models.fine_tune_epochs(),
                                 learning_rate=models.FINE_TUNE_LEARNING_RATE)

# %%
#| fig-alt: "Two line charts side by side, one point per epoch, of model4's whole
#|   training: accuracy on the left, loss on the right, training solid and validation
#|   dashed; a dotted vertical line marks the epoch where fine-tuning of MobileNetV2's
#|   top layers starts after the head training."
combined = history4.followed_by(fine_tune_history)  # only fine-tuning epochs count
report.plot_history({"model4": combined}, "model4: head training, then fine-tuning",
                    fine_tune_epoch=combined.fine_tune_from,
                    save_as="05-model4-transfer-learning.png")
summary = report.summarize(results.FINE_TUNED, combined, baseline_accuracy)
results.record(results.FINE_TUNED, combined, shown=summary)
head_epochs = combined.fine_tune_from
for name, values in [("training", combined.accuracy),
                     ("validation", combined.val_accuracy)]:
    print(f"{name:>10} accuracy, last head epoch, then fine-tuning: "
          + ", ".join(f"{value:.1%}" for value in values[head_epochs - 1:]))

# %% [markdown]
# What to look at: right of the dotted line. The two lines printed above follow the last epoch
# of head training into the fine-tuning epochs: read how much each moves. A training line that
# climbs while the validation line stays where it was means the fine-tuned layers fit our
# training photos better without the model getting better at new ones; the photo-by-photo count
# below says whether validation changed at all.

# %% [markdown]
# ## Did fine-tuning help?
#
# At this accuracy a few photos decide the difference, so we count them: model4 as it stood
# after training the head, and model4 after fine-tuning, each answering the same validation
# photos. Comparing two accuracies as if they came from different photos would throw away what
# we know: most photos both get right, and only the photos on which they *disagree* say which is
# better. [McNemar's test](https://en.wikipedia.org/wiki/McNemar%27s_test) uses exactly those.
# If fine-tuning had changed nothing, each disagreement would be equally likely to go either way,
# like a coin toss. The exact test counts, among all the ways the disagreements could have split
# under that assumption, how probable each split is, and adds up the probabilities of every
# split at most as likely as the one observed: that sum is the *p-value*
# ([glossary](../glossary.qmd#mcnemar)). A small p-value says a split as lopsided as ours would
# be rare if fine-tuning changed nothing; it is not the probability that fine-tuning changed
# nothing. Post 06 uses the same kind of p-value. The code, from the package's `stats` module:

# %%
from catsdogs import stats

report.show_source(stats.p_value, stats.disagreements, stats.mcnemar_exact)

# %%
right_after = model4.predict(validation, verbose=0).argmax(axis=1) == validation_labels
only_before, only_after = stats.disagreements(right_before, right_after)
p_value = stats.mcnemar_exact(only_before, only_after)
agreeing = len(validation_labels) - only_before - only_after
print(f"The same {len(validation_labels)} validation photos: "
      f"{right_before.sum()} right "
      f"before fine-tuning, {right_after.sum()} after.\n"
      f"Right only before: {only_before}; right only after: {only_after}; "
      f"the other {agreeing} photos got the same answer.")
print(f"McNemar's exact test, two-sided: p = {p_value:.3f}.")
if p_value < 0.05:
    direction = "more" if only_after > only_before else "fewer"
    print("Below 0.05: a split this lopsided would be rare if fine-tuning changed "
          f"nothing.\nOn these photos, fine-tuned model4 gets {direction} photos right "
          "than before.")
else:
    print("Not below 0.05: a split like this would not be rare if fine-tuning changed "
          "nothing.\nOn these photos, this run does not show that fine-tuning changed "
          "model4's accuracy.")

# %% [markdown]
# ## Saving the model
#
# Post 06 scores this model on the test set that no model has seen yet, and post 07 looks at
# where it finds its evidence. We save it in the Keras format next to the data in the Keras
# cache; both load it from there (or, in a fresh Colab runtime where it does not exist, train it
# again with this recipe, `models.train_model4`).

# %%
models.save_model(model4)

# %% [markdown]
# ## What's next
#
# The validation set guided our comparisons, so its accuracy may flatter the models we kept;
# post 06 checks: it takes out the test set we locked away in post 01, scores model4 on it and
# looks at every photo it gets wrong. Post 07 then looks at where in a photo model4 finds its
# evidence, and lets you classify photos of your own, in Colab or right on the page.

# %% [markdown]
# ## What you learned
#
# What this post's experiments showed, in one line each from its runs: the head on ImageNet's
# features against model3 (the last model from scratch), a head trained on 40 photos only, and
# fine-tuning against the head alone, photo by photo:

# %%
from IPython.display import Markdown, display

display(Markdown(report.comparison("model4", history4, "model3")))
print(f"A head on the frozen base's features, trained on {len(sample_labels)} photos "
      f"in NumPy:\n{right_40.mean():.1%} of the {len(right_40)} validation photos "
      "right.")
if p_value < 0.05:
    direction = "more" if only_after > only_before else "fewer"
    finding = f"fine-tuned model4 gets {direction} photos right"
else:
    finding = "this run does not show that fine-tuning changed model4's accuracy"
print(f"Fine-tuning: right only before {only_before}, right only after {only_after}; "
      f"McNemar's p = {p_value:.3f}:\n{finding}.")

# %% [markdown]
# Transfer learning reuses a network trained on a large data set: its convolutional base stays
# frozen and only a small new head learns from our photos; with ImageNet's features, that head
# went far beyond the models from scratch on our 2000 photos, and a head trained on only 40 of
# them (a logistic regression, a few lines of NumPy) made more mistakes than model4's head
# (compare its validation accuracy, printed above, with model4's in "Training the head") and
# still did far better than every model from scratch: the features made a far larger
# difference than the number of photos. The gap between 40 and 2000 photos is also a gap
# between recipes: model4's head also had augmentation, dropout and Adam. Fine-tuning then unfreezes the
# top of the base and trains it with a much smaller learning rate, its batch normalisation
# layers kept frozen so that they keep their ImageNet statistics. To compare two
# models on the same photos, count the photos on which they disagree and test the split with
# McNemar's exact test.

# %% [markdown]
# ## Questions
#
# 1. Which weights of model4 are trained before fine-tuning, and which stay frozen?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Only the head's `Dense(2)` layer: one weight per feature and class plus two biases. Every
# weight of MobileNetV2, its batch normalisation statistics included, stays frozen; the
# preprocessor and the augmentation have no weights.
# :::
#
# 2. What keeps the base's batch normalisation layers in inference mode during `fit` in this
#    post, on every Keras version: calling the base with `training=False`, or freezing the
#    layers? Why does it matter for fine-tuning?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Freezing them: a frozen BatchNormalization layer runs in inference mode in Keras 2 (tf.keras)
# and Keras 3. What the call with `training=False` alone does depends on the version ("The
# pretrained base" says which; the check cell prints what your Keras does). When fine-tuning
# unfreezes the top of the base, `unfreeze_top` keeps every BatchNormalization layer frozen, so
# they still use their ImageNet statistics on any version.
# :::
#
# 3. Which layers does `unfreeze_top` make trainable?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Every layer from `FINE_TUNE_AT` (100) on, except the BatchNormalization layers; the cell after
# it prints the first unfrozen layer's name and how many layers with weights became trainable.
# :::
#
# 4. Why is fine-tuning done with a learning rate 100 times smaller than head training?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Fine-tuning trains many more weights, pretrained ones, on only 2000 photos; large steps would
# move them far from what they learned on ImageNet and overfit quickly, as Keras's transfer
# learning guide warns.
# :::
#
# 5. Why does "Did fine-tuning help?" use McNemar's test instead of comparing two accuracies with
#    their standard errors (the spread an accuracy on `n` photos has from the choice of photos
#    alone, √(p(1 − p)/n))?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Both accuracies are measured on the same photos, so they are not independent: most photos are
# right both times. Only the photos on which the two versions disagree carry information about
# which is better, and McNemar's test uses exactly those.
# :::
#
# 6. If model4 before and after fine-tuning disagreed on 10 photos, 5 each way, what p-value
#    would McNemar's exact test give, and why?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# 1: a 5-to-5 split is the most likely split of 10 disagreements if fine-tuning changed nothing,
# so every possible split is at most as likely as it, and their probabilities add up to 1.
# :::
#
# ### Try it
#
# These change the code; run them after the first two code cells of this post (the setup
# and the data).
#
# 7. Fine-tune with *trainable* BatchNormalization layers in the unfrozen part. Compare the
#    validation accuracy before and after fine-tuning with what this post printed.
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Train the head as in the post, unfreeze the top, then make its BatchNormalization layers
# trainable too:
#
# ```python
# import numpy as np
# from keras import layers
#
# from catsdogs import stats
#
# base_model = models.load_base_model()
# model = models.build_model4(base_model)
# models.train(model, train, validation)
# labels = np.concatenate([batch_labels for _, batch_labels in validation])
# right_before = model.predict(validation, verbose=0).argmax(axis=1) == labels
# models.unfreeze_top(base_model)
# for layer in base_model.layers[models.FINE_TUNE_AT:]:
#     if isinstance(layer, layers.BatchNormalization):
#         layer.trainable = True
# models.train(model, train, validation, epochs=models.fine_tune_epochs(),
#              learning_rate=models.FINE_TUNE_LEARNING_RATE)
# right_after = model.predict(validation, verbose=0).argmax(axis=1) == labels
# print(f"right before: {right_before.sum()}, after: {right_after.sum()}, McNemar's p = "
#       f"{stats.mcnemar_exact(*stats.disagreements(right_before, right_after)):.3f}")
# ```
#
# Watch the validation accuracy in the log of the fine-tuning epochs against the last epochs of
# head training. On Keras 3.15.1 the trainable layers now normalise with the statistics of each
# batch of 32 during training and move their stored statistics towards them; where the
# `training=False` call keeps them in inference mode (Keras 2; Keras 3.16 after
# keras-team/keras#23364), this exercise changes little: the check cell near the top says
# which your Keras does. The last line compares the before and after photo by photo, as the
# post does: read its p-value before you call a change real.
# :::
#
# 8. Fine-tune fewer layers: unfreeze from layer 130 on instead of 100. How many layers with
#    weights become trainable?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# ```python
# base_model = models.load_base_model()
# models.unfreeze_top(base_model, fine_tune_at=130)
# trainable = sum(layer.trainable and bool(layer.weights) for layer in base_model.layers)
# first = base_model.layers[130].name
# print(f"from layer 130 ('{first}') on: {trainable} layers with weights")
# ```
#
# It prints 8 layers with weights (from layer 100 on there are 18, as the post prints): the
# counting needs no training. To see what it changes, build model4 on this base and train it
# as the post does.
# :::
#
# 9. Suppose fine-tuning had turned 3 wrong answers right and 12 right answers wrong. Compute the
#    p-value of McNemar's exact test with `stats.mcnemar_exact`, and by hand from the binomial
#    distribution.
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# ```python
# from math import comb
#
# from catsdogs import stats
#
# disagreeing = 3 + 12
# by_hand = 2 * sum(comb(disagreeing, k) for k in range(3 + 1)) / 2**disagreeing
# print(f"stats: {stats.mcnemar_exact(12, 3):.4f}, by hand: {by_hand:.4f}")
# ```
#
# The splits at most as likely as 3-to-12 are those with 3 or fewer on one side: 0, 1, 2, 3 and,
# by symmetry, 12, 13, 14, 15. So the p-value is twice the probability of 3 or fewer, about
# 0.035: below 0.05, a split this lopsided would be rare if fine-tuning changed nothing.
# :::
#
# 10. Is model4 better than model1 because of ImageNet's features, or would model1 catch up with
#     more photos? Train both on *half* of the training photos and compare each with its run on
#     all of them: the model that loses more from half the data leans more on the data.
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# ```python
# import keras
#
# from catsdogs import config, results
#
# half = data.prepare(data.load_splits(data.find_data())[0].take(1000), shuffle=True)
# keras.utils.set_random_seed(config.SEED)
# model1_half = keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)),
#                                 *models.cnn_layers()])
# accuracy1 = results.settled_accuracy(models.train(model1_half, half, validation))
# keras.utils.set_random_seed(config.SEED)
# model4_half = models.build_model4(models.load_base_model())
# accuracy4 = results.settled_accuracy(models.train(model4_half, half, validation))
# print(f"half the photos: model1 {accuracy1:.1%}, model4's head {accuracy4:.1%}")
# ```
#
# The half is fixed by the `cache()` in `data.prepare`: the training split comes in a new order
# on every pass (post 01 showed it), so `take(1000)` alone would pick another 1000 photos in every
# epoch, and over 20 epochs the model would see nearly every photo; the cache keeps the 1000 of
# the first pass. They are about, not exactly, 500 of each class. Compare each number with the same model's full run (the tables of posts 02
# and 05) and with the spread between model1's seeds. The question is which model loses more:
# a model whose features come from ImageNet has less left to learn from our photos than one
# that learns every feature from them, so the exercise tests whether model4's head indeed
# loses less. One run of each is a hint, not a proof.
# :::
#
# 11. The head of "A head from 40 photos" is a logistic regression on 1,280 numbers per photo,
#     trained on 40 photos. Why can it come close to model4's head, trained on 2000, when model1
#     could not get near either with all 2000? Which photos would you give the trainer in the
#     page to make it fail?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# The features do the work. MobileNetV2 learned them on ImageNet, whose 1000 classes include over
# a hundred breeds of dogs and a few kinds of cats, so cats and dogs already lie apart in those
# 1,280 numbers, and a head only has to find the direction that separates them: 40 examples
# are enough to find it roughly. With all 2000 photos, but also with augmentation, dropout and
# Adam, model4's head makes fewer mistakes on the validation photos (compare the two accuracies
# printed above); this run cannot say how much of that is the extra photos and how much the
# recipe. model1 had to learn its features from our photos
# first, and 2000 are few for that. The trainer fails where its features (model4's after
# fine-tuning) do not separate the two kinds: two things that look alike to them (two people's
# faces, two similar mugs, two kinds of X-ray), or two boxes whose photos differ in something
# else than what you meant (all the cats indoors, all the dogs outdoors: the head learns indoor
# against outdoor). And with very few photos per box its score means little: with 3 photos in
# each, leave-one-out can only say 0 to 6 of 6, and the interval the page prints is wide even
# when all 6 are right. The leave-one-out score tells you how well the head separates your photos, not what
# it learned.
# :::
