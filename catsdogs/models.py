"""The models and the training recipe: model1's layers (post 02), augmentation (post 03), the
preprocessor (post 04), MobileNetV2 and fine-tuning (post 05)."""

import hashlib
import os
import time
import warnings

import keras
from keras import layers

from catsdogs.config import EPOCHS, IMAGE_SIZE, KERAS_HOME, RESULTS_DIR, shown_path

ROTATION = 0.05  # RandomRotation's factor: a fraction of a full turn, so up to ±18°
WEIGHTS_NAME = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_160_no_top.h5"
WEIGHTS_FILE = os.path.join(KERAS_HOME, "models", WEIGHTS_NAME)
FINE_TUNE_AT = 100  # MobileNetV2's layers from this one on are unfrozen for fine-tuning
FINE_TUNE_EPOCHS = max(1, EPOCHS // 4)

# Keras warns that fit's default shuffle=True does nothing on a tf.data pipeline; ours shuffles itself.
warnings.filterwarnings("ignore", message="`shuffle=True` was passed")


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


def compile_model(model, train_data, epochs=EPOCHS, learning_rate=1e-3):
    """Adam with a learning rate that decays along a cosine to zero over `epochs` passes over
    `train_data`; cross-entropy on the two logits; accuracy as the metric."""
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


def train(model, train_data, validation_data, epochs=EPOCHS, learning_rate=1e-3):
    """Compile `model` with the series' recipe, train it for `epochs` epochs with one line of log per
    epoch, and return its history: {"accuracy": [...], "val_accuracy": [...], "loss": [...], "val_loss": [...]}."""
    compile_model(model, train_data, epochs=epochs, learning_rate=learning_rate)
    start = time.perf_counter()
    history = model.fit(train_data, epochs=epochs, validation_data=validation_data, verbose=0, callbacks=[EpochLog()])
    print(f"Training took {time.perf_counter() - start:.0f} s for {epochs} epochs.")
    return history.history


def make_augmentation(rotation=ROTATION):
    """Random left-right flips and small random rotations, active only during training."""
    return keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(rotation)], name="augmentation")


def make_preprocessor():
    """MobileNetV2's own input scaling as a small model: pixels 0..255 -> x / 127.5 - 1 in [-1, 1]."""
    image = keras.Input(shape=IMAGE_SIZE + (3,))
    return keras.Model(image, keras.applications.mobilenet_v2.preprocess_input(image), name="preprocessor")


def load_base_model():
    """MobileNetV2 with its ImageNet weights, without its classifier. The weights are downloaded once
    into the Keras cache; without them we stop, rather than go on with random weights."""
    # A file already in $KERAS_HOME/models is used directly (Keras 2 would look in ~/.keras only).
    weights = WEIGHTS_FILE if os.path.exists(WEIGHTS_FILE) else "imagenet"
    try:
        return keras.applications.MobileNetV2(input_shape=IMAGE_SIZE + (3,), include_top=False, weights=weights)
    except Exception as error:  # no network and no cached file, or a damaged file
        raise SystemExit(f"Could not load MobileNetV2's ImageNet weights: {error}\n"
                         f"No network? Copy the weights file to {WEIGHTS_FILE} and run this cell again. "
                         f"If that file exists but is damaged, delete it so it is downloaded again.") from None


def describe_weights_file():
    """Which ImageNet weights file the base model was loaded from: its name, size and SHA-256."""
    candidates = [WEIGHTS_FILE, os.path.join(os.path.expanduser("~"), ".keras", "models", WEIGHTS_NAME)]
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
    """Post 05's recipe: train the head on the frozen base for EPOCHS epochs, then fine-tune the top
    of the base for FINE_TUNE_EPOCHS more with a 100 times smaller learning rate."""
    base_model = load_base_model()
    model4 = build_model4(base_model)
    train(model4, train_data, validation_data)
    unfreeze_top(base_model)
    train(model4, train_data, validation_data, epochs=FINE_TUNE_EPOCHS, learning_rate=1e-5)
    return model4


def load_saved_model(name, results_dir):
    """A model saved by an earlier post on this machine, or None (with the reason) if there is none
    or it cannot be loaded."""
    path = os.path.join(results_dir, f"{name}.keras")
    if not os.path.exists(path):
        return None, f"No saved model at {shown_path(path)}: its post has not run on this machine."
    try:
        return keras.models.load_model(path), None
    except Exception as error:
        return None, (f"The saved model {shown_path(path)} cannot be loaded\n({type(error).__name__}: "
                      f"{str(error)[:80]}).\nIt may come from another Keras version or be damaged.")


def save_model(model, results_dir=RESULTS_DIR):
    """Save a trained model in the Keras cache as `<its name>.keras`, where post 06 finds it."""
    os.makedirs(results_dir, exist_ok=True)
    path = os.path.join(results_dir, f"{model.name}.keras")
    model.save(path)
    print(f"Saved {model.name} to {shown_path(path)} ({os.path.getsize(path) / 1e6:.1f} MB)")
