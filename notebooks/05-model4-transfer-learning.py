# ---
# title: "05 · model4: transfer learning with MobileNetV2"
# description: >-
#   Reuse a network that learned to see from 1.3 million ImageNet photos: train a small head
#   on top of frozen MobileNetV2, then fine-tune its top layers.
# date: 2026-11-24
# categories: [transfer learning, training]
# image: ../images/posts/05-model4-transfer-learning.png
# ---

# %% [markdown]
# Our models from scratch had to learn from 2000 photos what edges, fur, eyes and ears look like.
# [MobileNetV2](https://arxiv.org/abs/1801.04381) learned all that, and much more, from the
# about 1.3 million training photos of ImageNet (1000 kinds of things, many of them breeds of
# cats and dogs). *Transfer learning* reuses it: we keep
# its convolutional part, the *base*, frozen, and train only a small new *head* that turns its
# features into "cat" or "dog". Then we *fine-tune*: unfreeze the top of the base and let it
# adapt, very gently, to our photos. The recipe follows TensorFlow's
# [transfer learning and fine-tuning tutorial](https://www.tensorflow.org/tutorials/images/transfer_learning),
# with a fixed test set (post 01) and one fix for fine-tuning (below).

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
from catsdogs import data, models, report

train, validation, test, class_names = data.load_data()

# %% [markdown]
# ## The pretrained base
#
# [`keras.applications.MobileNetV2`](https://keras.io/api/applications/mobilenet/#mobilenetv2-function)
# with `weights="imagenet"` downloads the ImageNet weights once into the Keras cache
# (`~/.keras/models`) and reads them from there afterwards; `include_top=False` drops ImageNet's
# 1000-class classifier and keeps the feature extractor. For 160×160 inputs it returns a 5×5 map
# of 1280 features. If the weights cannot be had, `load_base_model` stops with a message instead
# of silently going on with random weights, which would train without error and teach you
# nothing.

# %%
report.show_source(models.load_base_model, models.describe_weights_file)

# %%
base_model = models.load_base_model()
print(f"{len(base_model.layers)} layers, {base_model.count_params():,} parameters; output {base_model.output_shape}")
print("ImageNet weights loaded from:\n" + models.describe_weights_file().replace(", SHA-256", ",\nSHA-256"))

# %% [markdown]
# The size and SHA-256 above identify the weights file this run used. Our published run was made
# on a machine without internet access, with substitute ImageNet weights placed in the cache
# under Keras's file name; the [About page](../about.qmd#numbers) says which, and why your
# numbers in Colab, with Keras's own download, can differ slightly.
#
# model4 is the preprocessor of post 04 (MobileNetV2 expects pixels in [-1, 1]), the
# augmentation of post 03, the frozen base, and a head: global average pooling (one number per
# feature), dropout, and two logits. `base_model.trainable = False` freezes every layer of the
# base, its batch normalisation layers included, and a frozen BatchNormalization layer in
# Keras 3 always runs in inference mode: it keeps its ImageNet statistics instead of taking
# those of each batch of ours. We also call the base with `training=False`, as TensorFlow's
# tutorial does. In Keras 3 that call alone would not keep the batch normalisation layers in
# inference mode during `fit` (the model passes `training=True` on to the layers inside);
# freezing them does, and that difference matters for fine-tuning below.

# %%
report.show_source(models.build_model4)

# %%
import numpy as np

model4 = models.build_model4(base_model)
model4.summary()
trainable = sum(int(np.prod(weight.shape)) for weight in model4.trainable_weights)
frozen = sum(int(np.prod(weight.shape)) for weight in model4.non_trainable_weights)
print(f"Trainable parameters: {trainable:,}; frozen (non-trainable) parameters: {frozen:,}\n"
      f"({trainable / (trainable + frozen):.2%} of the model is trained).")

# %% [markdown]
# Only the head, one weight per feature and class plus two biases, is trained: everything
# MobileNetV2 knows stays as it is, which is why 2000 photos are enough.
#
# ## Training the head
#
# The same recipe as for models 1–3: Adam with a cosine-decaying learning rate, 20 epochs.

# %%
history4 = models.train(model4, train, validation)

# %%
baseline_accuracy = data.baseline_accuracy(train)
report.plot_history({"model4": history4}, "model4: frozen MobileNetV2 with a new head")
report.summarize("model4", history4, baseline_accuracy)

# %% [markdown]
# ## model4 against the models from scratch
#
# One run of model4 against every run of models 1–3 (this machine's where their posts ran here,
# else the published run's):

# %%
report.compare_with_earlier_models("model4", {"val_accuracy": [report.last_epochs_mean(history4)]})

# %% [markdown]
# ## Fine-tuning
#
# The base's lower layers detect generic patterns (edges, textures) that suit any photo; its
# upper layers combine them into ImageNet-specific parts. We unfreeze the upper third, from
# layer `FINE_TUNE_AT` = 100 on: MobileNetV2's building blocks 12 to 16 (each a small stack of
# convolutions with a shortcut around it), most of block 11, and its final 1×1 convolution
# (one that mixes the features at each position). We train them together with the head for a few more
# epochs. The learning rate must be much lower (1e-5 instead of 1e-3): large updates can
# quickly damage the pretrained features. Changing what is trainable requires
# compiling again; `models.train` compiles every time.
#
# One trap: the batch normalisation layers inside the unfrozen part must stay frozen. A
# trainable BatchNormalization layer runs in training mode during `fit` and replaces its
# ImageNet statistics with those of our small batches, which can sharply hurt accuracy (an
# earlier version of this series did that, and fine-tuning made model4 worse). So
# `unfreeze_top` unfreezes the convolutions from layer `FINE_TUNE_AT` on and leaves every
# BatchNormalization layer frozen.

# %%
report.show_source(models.unfreeze_top)

# %%
models.unfreeze_top(base_model)
trainable_layers = sum(layer.trainable and bool(layer.weights) for layer in base_model.layers)
print(f"{len(base_model.layers)} layers in the base; from layer {models.FINE_TUNE_AT} "
      f"('{base_model.layers[models.FINE_TUNE_AT].name}') on,\n{trainable_layers} layers with weights are trainable "
      f"(all but the batch normalisation layers).")
fine_tune_history = models.train(model4, train, validation, epochs=models.FINE_TUNE_EPOCHS, learning_rate=1e-5)

# %%
combined = {metric: history4[metric] + fine_tune_history[metric] for metric in history4}
report.plot_history({"model4": combined}, "model4: head training, then fine-tuning",
                    fine_tune_epoch=len(history4["accuracy"]), save_as="05-model4-transfer-learning.png")
report.summarize("model4 fine-tuned", combined, baseline_accuracy)

# %% [markdown]
# ## Did fine-tuning help?
#
# At this accuracy a few photos decide the difference, so we count them. As a rough yardstick:
# on `n` validation photos, an accuracy `p` is uncertain by about one standard error,
# √(p(1 − p)/n), from the choice of photos alone (before counting the luck of the seed).

# %%
n_validation = sum(len(labels) for _, labels in validation)
before, after = report.last_epochs_mean(history4), report.last_epochs_mean(combined)
standard_error = np.sqrt(after * (1 - after) / n_validation)
difference = after - before
print(f"Before fine-tuning {before:.1%}, after {after:.1%}: {100 * difference:+.1f} points,\n"
      f"about {difference * n_validation:+.0f} of {n_validation} validation photos.")
print(f"One standard error at {after:.1%} on {n_validation} photos: {100 * standard_error:.1f} points.\n"
      + ("The change is within two standard errors: within noise, not a clear improvement."
         if abs(difference) <= 2 * standard_error else
         f"The change is larger than two standard errors: fine-tuning {'helped' if difference > 0 else 'hurt'}."))

# %% [markdown]
# ## Saving the model
#
# Post 06 scores this model on the test set that no model has seen yet. We save it in the Keras
# format next to the data in the Keras cache; post 06 loads it from there (or, in a fresh Colab
# runtime where it does not exist, trains it again with this recipe, `models.train_model4`).

# %%
models.save_model(model4)

# %% [markdown]
# ## What's next
#
# The validation set has guided every choice we made, so its accuracy may flatter us; the last
# post measures by how much. In it we take out the test set we locked away in post 01, score
# model4 on it, look at every photo it gets wrong, and classify photos of your own, in Colab or
# right on the page.
