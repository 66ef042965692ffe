"""The models and the training recipe: model1's layers (post 02), augmentation (post 03), the
preprocessor (post 04), MobileNetV2 and fine-tuning (post 05), and runs with other seeds."""

import contextlib
import hashlib
import logging
import os
import time

from catsdogs import config

config.import_tensorflow_quietly()  # before TensorFlow's first import (see config)
import keras
import numpy as np
import tensorflow as tf
from keras import layers

from catsdogs import results
from catsdogs.config import IMAGE_SIZE, shown_path
from catsdogs.errors import CatsDogsError

ROTATION = 0.05  # RandomRotation's factor: a fraction of a full turn, so up to ±18°
AUGMENTATION_NAME = "augmentation"  # the name of the augmentation layer (the ONNX export leaves it out)
FINE_TUNE_AT = 100  # MobileNetV2's layers from this one on are unfrozen for fine-tuning
FINE_TUNE_LEARNING_RATE = 1e-5  # 100 times smaller than the 1e-3 of every other training run


def fine_tune_epochs():
    """Epochs of fine-tuning: a quarter of the epochs of the head's training, at least one."""
    return max(1, config.epochs() // 4)


def conv_block(filters, batch_norm=True):
    """3×3 convolution, batch normalisation, ReLU, then 2×2 max pooling (halves the image)."""
    if not batch_norm:
        return [layers.Conv2D(filters, 3, padding="same", activation="relu"), layers.MaxPooling2D()]
    return [layers.Conv2D(filters, 3, padding="same", use_bias=False), layers.BatchNormalization(),
            layers.Activation("relu"), layers.MaxPooling2D()]


def cnn_layers(widths=(16, 32, 64, 128), batch_norm=True):
    """Average 2×2 pixels, one block per width, then Flatten, Dropout and two output logits."""
    blocks = [layer for filters in widths for layer in conv_block(filters, batch_norm)]
    return [layers.AveragePooling2D(2), *blocks, layers.Flatten(), layers.Dropout(0.3), layers.Dense(2)]


def compile_model(model, train_data, epochs=None, learning_rate=1e-3):
    """Adam with a learning rate that decays along a cosine to zero over `epochs` passes over
    `train_data` (default: config.epochs()); cross-entropy on the two logits; accuracy as the metric."""
    epochs = epochs or config.epochs()
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=epochs * len(train_data))
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])


class EpochLog(keras.callbacks.Callback):
    """Print one short line per epoch: accuracy and loss on the training and validation data, and the time."""

    def on_train_begin(self, logs=None):
        self.epochs = self.params.get("epochs")

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        print(f"epoch {epoch + 1:2d}/{self.epochs}  train {logs['accuracy']:6.1%}  val {logs['val_accuracy']:6.1%}  "
              f"loss {logs['loss']:.2f} / {logs['val_loss']:.2f}  {time.perf_counter() - self.start:3.0f} s", flush=True)


def train(model, train_data, validation_data, epochs=None, learning_rate=1e-3):
    """Compile `model` with the series' recipe, train it for `epochs` epochs (default: config.epochs())
    with one line of log per epoch, and return its `results.History`: accuracy and loss per epoch,
    and the settings (epochs, batches) read when the training started."""
    settings = config.settings()
    epochs = epochs or settings["epochs"]
    compile_model(model, train_data, epochs=epochs, learning_rate=learning_rate)
    start = time.perf_counter()
    # shuffle=False: our pipeline shuffles itself (data.prepare); Keras would ignore it and warn.
    history = model.fit(train_data, epochs=epochs, validation_data=validation_data, verbose=0,
                        shuffle=False, callbacks=[EpochLog()])
    print(f"Training took {time.perf_counter() - start:.0f} s for {epochs} epochs.")
    return results.History.from_keras(history.history, settings)


def make_augmentation(rotation=ROTATION):
    """Random left-right flips and small random rotations, active only during training."""
    return keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(rotation)], name=AUGMENTATION_NAME)


def make_preprocessor():
    """MobileNetV2's own input scaling as a small model: pixels 0..255 -> x / 127.5 - 1 in [-1, 1]."""
    image = keras.Input(shape=IMAGE_SIZE + (3,))
    return keras.Model(image, keras.applications.mobilenet_v2.preprocess_input(image), name="preprocessor")


def load_base_model():
    """MobileNetV2 with its ImageNet weights, without its classifier. The weights are downloaded once
    into the Keras cache; if that fails, the message says what to do."""
    weights_file = config.weights_path()
    # A file already in $KERAS_HOME/models is used directly (Keras 2 would look in ~/.keras only).
    weights = weights_file if os.path.exists(weights_file) else "imagenet"
    try:
        return keras.applications.MobileNetV2(input_shape=IMAGE_SIZE + (3,), include_top=False, weights=weights)
    except Exception as error:  # no network and no cached file, or a damaged file
        raise CatsDogsError(f"Could not load MobileNetV2's ImageNet weights ({type(error).__name__}: {error}).\n"
                            f"Without a network, copy the weights file to {weights_file} and run this cell "
                            f"again. If that file exists but is damaged, delete it so it is downloaded again.") from error


def describe_weights_file():
    """Which ImageNet weights file the base model was loaded from: its name, size and SHA-256."""
    candidates = [config.weights_path(), os.path.join(os.path.expanduser(config.DEFAULT_KERAS_HOME), "models",
                                                       config.WEIGHTS_NAME)]
    path = next((candidate for candidate in candidates if os.path.exists(candidate)), None)
    if path is None:
        return "the ImageNet weights file is not in the Keras cache"
    with open(path, "rb") as file:
        digest = hashlib.sha256(file.read()).hexdigest()
    return f"{shown_path(path)}, {os.path.getsize(path) / 1e6:.1f} MB, SHA-256 {digest}"


def build_model4(base_model, rotation=ROTATION):
    """preprocessor -> augmentation -> frozen MobileNetV2 -> pooling, dropout, two logits."""
    base_model.trainable = False
    image = keras.Input(shape=IMAGE_SIZE + (3,))
    base_model_layer = keras.Model(image, base_model(image, training=False), name="base_model_layer")
    return keras.Sequential([keras.Input(shape=IMAGE_SIZE + (3,)), make_preprocessor(), make_augmentation(rotation),
                             base_model_layer, layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(2)],
                            name="model4")


def unfreeze_top(base_model, fine_tune_at=FINE_TUNE_AT):
    """Make the base model's layers from `fine_tune_at` on trainable, except batch normalisation:
    the lower layers and every BatchNormalization layer stay frozen (so it keeps its ImageNet statistics)."""
    base_model.trainable = True
    for index, layer in enumerate(base_model.layers):
        layer.trainable = index >= fine_tune_at and not isinstance(layer, layers.BatchNormalization)


def train_model4(train_data, validation_data):
    """Post 05's recipe: train the head on the frozen base for config.epochs() epochs, then
    fine-tune the top of the base for fine_tune_epochs() more with a 100 times smaller learning rate."""
    base_model = load_base_model()
    model4 = build_model4(base_model)
    print("1. Training the head on the frozen MobileNetV2:")
    train(model4, train_data, validation_data)
    unfreeze_top(base_model)
    print(f"2. Fine-tuning from layer {FINE_TUNE_AT} of MobileNetV2 on:")
    train(model4, train_data, validation_data, epochs=fine_tune_epochs(), learning_rate=FINE_TUNE_LEARNING_RATE)
    return model4


def predict_all(model, dataset):
    """The images, true labels and predicted class probabilities (softmax of the logits) of a
    whole unshuffled dataset of (images, labels) batches."""
    images = np.concatenate([batch for batch, _ in dataset])
    labels = np.concatenate([batch_labels for _, batch_labels in dataset])
    probabilities = tf.nn.softmax(model.predict(dataset, verbose=0)).numpy()
    return images, labels, probabilities


def saved_model_path(name):
    """Where a post saves its trained model: `<Keras cache>/cats_vs_dogs/<name>.keras`."""
    return os.path.join(config.results_dir(), f"{name}.keras")


def load_saved_model(name):
    """(the model an earlier post saved on this machine, None), or (None, why not) if there is none
    or it cannot be loaded; the reason keeps the error's type and whole message."""
    path = saved_model_path(name)
    if not os.path.exists(path):
        return None, f"No saved model at {shown_path(path)}: its post has not run on this machine."
    try:
        return keras.models.load_model(path), None
    except Exception as error:
        return None, (f"The saved model {shown_path(path)} cannot be loaded:\n{type(error).__name__}: {error}\n"
                      "It may come from another Keras version or be damaged.")


def saved_model4_or_train(train_data, validation_data, post):
    """The model4 that post 05 saved, or, where there is none (a fresh Colab runtime) or it cannot
    be loaded, one trained here with post 05's recipe and saved; says which. Returns (model4,
    where it comes from): results.SAVED_MODEL4, or "trained by `post`"."""
    model4, problem = load_saved_model("model4")
    if model4 is not None:
        return model4, results.SAVED_MODEL4
    print(problem)
    print("So this post trains model4 itself, with post 05's recipe, and saves it:")
    model4 = train_model4(train_data, validation_data)
    save_model(model4)
    return model4, f"trained by {post}"


def save_model(model):
    """Save a trained model in the Keras cache as `<its name>.keras`, where posts 06 and 07 find it."""
    path = saved_model_path(model.name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    model.save(path)
    print(f"Saved {model.name} to {shown_path(path)} ({os.path.getsize(path) / 1e6:.1f} MB)")


def fit_validating_last(model, train_data, validation_data, epochs, validated_epochs):
    """Train for `epochs` epochs but measure validation accuracy only in the last `validated_epochs`,
    the ones the series compares (saves time; the training itself is the same as one `fit` call).
    Returns the `results.History` of those last epochs."""
    settings = {**config.settings(), "epochs": epochs}
    unvalidated = max(0, epochs - validated_epochs)
    if unvalidated:
        model.fit(train_data, epochs=unvalidated, verbose=0, shuffle=False)
    history = model.fit(train_data, initial_epoch=unvalidated, epochs=epochs, validation_data=validation_data,
                        verbose=0, shuffle=False).history
    return results.History.from_keras(history, settings)


class _RetracingFilter(logging.Filter):
    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def retracing_warnings_hidden():
    """While training several fresh models in a row, hide TensorFlow's warning that a function
    "triggered tf.function retracing": each new model traces its own functions, as expected.
    Every other message still shows, and the warning is back after the `with` block."""
    retracing_filter = _RetracingFilter()
    logger = logging.getLogger("tensorflow")
    logger.addFilter(retracing_filter)
    try:
        yield
    finally:
        logger.removeFilter(retracing_filter)


def train_with_seeds(make_model, train_data, validation_data, main_history, seeds=(1, 2)):
    """Train fresh copies of a model with other random seeds (initial weights, augmentation, dropout)
    and the same recipe: how much of a result is the model, and how much the luck of one run? The
    order of the batches differs from run to run too, but the seed does not set it: `train_data`
    was shuffled with the seed it was built with (`data.prepare`), and each pass over it continues
    that sequence. The post's main run (seed 42, `main_history`) counts as the first seed, and the
    other runs use its settings. Returns a `results.SeedRuns`: the settled accuracy of each run."""
    settings = main_history.settings
    accuracies = [results.settled_accuracy(main_history)]
    for seed in seeds:
        keras.utils.set_random_seed(seed)
        model = make_model()
        compile_model(model, train_data, epochs=settings["epochs"])
        start = time.perf_counter()
        with retracing_warnings_hidden():
            history = fit_validating_last(model, train_data, validation_data, settings["epochs"],
                                          validated_epochs=results.WINDOW)
        accuracies.append(results.settled_accuracy(history))
        counted = min(results.WINDOW, settings["epochs"])
        print(f"seed {seed}: validation accuracy {accuracies[-1]:.1%}, mean of the last {counted} "
              f"epoch{'s' if counted != 1 else ''} ({time.perf_counter() - start:.0f} s)")
    return results.SeedRuns(seeds=[config.SEED, *seeds], val_accuracy=accuracies, settings=settings)
