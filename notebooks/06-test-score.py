# ---
# title: "06 · The score on the test set"
# description: "Score the fine-tuned model4 on 200 photos no model has seen, look at every mistake, and classify photos of your own."
# date: 2026-11-24
# categories: [evaluation, test set, model4]
# image: ../images/cover.png
# ---

# %% [markdown]
# Every choice in this series, from the architecture to the number of epochs, was made while
# watching validation accuracy, so that number flatters us a little. The test set of post 01,
# 200 photos that no model has seen, gives the honest score. We load the model saved by post 05,
# score it, look at every photo it gets wrong, and end with a function that classifies photos of
# your own.

# %% [markdown]
# ## Setup
#
# The setup of post 01, folded (click to unfold): imports, the seed, and the functions that
# download and check the data, split it into train / validation / test and build the cached
# input pipeline. Each post runs on its own, so each post carries it. `CATS_DOGS_EPOCHS` and
# `CATS_DOGS_BATCHES` are a quick mode for our tests; leave them unset for the real run.

# %%
#| code-fold: true
#| code-summary: "Setup: imports, seed and data loading (as in post 01)"
import glob
import json
import os
import time
import warnings
import zipfile

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from IPython.display import Markdown, display
from keras import layers

SEED = 42
keras.utils.set_random_seed(SEED)
# Keras warns that fit's default shuffle=True does nothing on a tf.data pipeline (ours shuffles itself).
warnings.filterwarnings("ignore", message="`shuffle=True` was passed")

IMAGE_SIZE = (160, 160)
BATCH_SIZE = 32
EPOCHS = int(os.environ.get("CATS_DOGS_EPOCHS", 20))  # quick mode: fewer epochs
MAX_BATCHES = int(os.environ.get("CATS_DOGS_BATCHES", 0))  # quick mode: batches per split, 0 = all
KERAS_HOME = os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras"))
ARCHIVE = os.path.join(KERAS_HOME, "datasets", "cats_and_dogs.zip")
RESULTS_DIR = os.path.join(KERAS_HOME, "cats_vs_dogs")  # histories and the saved model, shared by the posts
DATA_URL = "https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip"
EXPECTED_COUNTS = {"train": {"cats": 1000, "dogs": 1000}, "validation": {"cats": 500, "dogs": 500}}
IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")  # the files image_dataset_from_directory reads


def count_images(data_dir):
    """{split: {class: number of image files}} for the sub-folders found in data_dir."""
    return {
        split: {label: len([name for name in os.listdir(os.path.join(data_dir, split, label))
                            if name.lower().endswith(IMAGE_EXTENSIONS)])
                for label in sorted(os.listdir(os.path.join(data_dir, split)))
                if os.path.isdir(os.path.join(data_dir, split, label))}
        for split in sorted(os.listdir(data_dir)) if os.path.isdir(os.path.join(data_dir, split))
    } if os.path.isdir(data_dir) else {}


def download_data():
    """Return the cats_and_dogs_filtered folder, downloading the archive on the first run."""
    try:
        path = keras.utils.get_file("cats_and_dogs.zip", origin=DATA_URL, extract=True)
    except zipfile.BadZipFile:
        path = os.path.dirname(ARCHIVE)  # the archive is damaged: the count check below says so
    except Exception as error:
        raise SystemExit(f"Could not download the data: {error}\nNo network? Download {DATA_URL} "
                         f"elsewhere and copy it to {ARCHIVE}, then run this cell again.") from None
    # Keras 3 returns the folder it extracted into; Keras 2 returns the archive, extracted beside it.
    data_dir = os.path.join(path if os.path.isdir(path) else os.path.dirname(path), "cats_and_dogs_filtered")
    found = count_images(data_dir)
    if found != EXPECTED_COUNTS:
        raise SystemExit(f"The archive {ARCHIVE} is damaged or incomplete (a half-finished download?):\n"
                         f"expected {EXPECTED_COUNTS} images, found {found or 'none'}.\n"
                         f"Delete it and run this cell again to download a fresh copy:\n"
                         f"    rm {ARCHIVE}")
    return data_dir


def check_layout(data_dir):
    """Stop unless data_dir holds train/ and validation/, each with cats/ and dogs/ images."""
    found = count_images(data_dir)
    layout_ok = all(sorted(found.get(split, {})) == ["cats", "dogs"] and all(found[split].values())
                    for split in EXPECTED_COUNTS)
    if not layout_ok:
        raise SystemExit(f"{data_dir} is not laid out as expected.\n"
                         f"Expected: train/ and validation/, each with image folders cats/ and dogs/.\n"
                         f"Found: {found or 'no sub-folders'}")
    return data_dir


def find_data():
    """The data folder: $CATS_DOGS_DIR if you set it, else the tutorial archive."""
    own_dir = os.environ.get("CATS_DOGS_DIR")
    return check_layout(own_dir if own_dir else download_data())


def find_unreadable_images(data_dir):
    """The image files under data_dir that TensorFlow cannot decode."""
    unreadable = []
    for path in sorted(glob.glob(os.path.join(data_dir, "*", "*", "*"))):
        if path.lower().endswith(IMAGE_EXTENSIONS):
            try:
                tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
            except tf.errors.OpError:
                unreadable.append(path)
    return unreadable


def load_splits(data_dir):
    """Train, validation and test datasets of (image, label): the validation folder split 80/20, fixed by the seed."""
    unreadable = find_unreadable_images(data_dir)
    if unreadable:
        raise SystemExit("These image files cannot be decoded; remove or replace them, then run again:\n"
                         + "\n".join(unreadable))
    options = dict(image_size=IMAGE_SIZE, batch_size=None, seed=SEED, verbose=False)
    train = keras.utils.image_dataset_from_directory(os.path.join(data_dir, "train"), **options)
    validation, test = keras.utils.image_dataset_from_directory(
        os.path.join(data_dir, "validation"), validation_split=0.2, subset="both", **options)
    return train, validation, test


def prepare(dataset, shuffle=False):
    """Cache decoded images, shuffle every epoch (training only), batch and prefetch."""
    if MAX_BATCHES:
        dataset = dataset.take(MAX_BATCHES * BATCH_SIZE)
    dataset = dataset.cache()
    if shuffle:
        dataset = dataset.shuffle(buffer_size=2000, seed=SEED)
    return dataset.batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)

# %% [markdown]
# ## The data
#
# The same fixed split as in post 01: the test set is the 20% of the validation folder that
# `validation_split` set aside with our seed, disjoint from the validation images.

# %%
data_dir = find_data()
train_images, validation_images, test_images = load_splits(data_dir)
train, validation, test = prepare(train_images, shuffle=True), prepare(validation_images), prepare(test_images)
class_names = train_images.class_names
print(f"Test set: {len(test_images.file_paths)} images; shared with validation: "
      f"{len(set(test_images.file_paths) & set(validation_images.file_paths))}")

# %% [markdown]
# ## The model
#
# Post 05 saved the fine-tuned model4 in the Keras cache. If it is not there (a fresh Colab
# runtime, or post 05 was not run on this machine) or cannot be loaded (saved by an incompatible
# Keras version, or damaged), we say so and train it here with post 05's recipe, folded below.

# %%
#| code-fold: true
#| code-summary: "Post 05's recipe for model4 (used only if the saved model is missing)"
WEIGHTS_FILE = os.path.join(KERAS_HOME, "models", "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_160_no_top.h5")
MODEL_PATH = os.path.join(RESULTS_DIR, "model4.keras")  # where post 05 saves the final model and post 06 finds it
FINE_TUNE_AT = 100  # MobileNetV2's layers from this one on are unfrozen for fine-tuning
FINE_TUNE_EPOCHS = max(1, EPOCHS // 4)
ROTATION = 0.05  # as in post 03


def load_base_model():
    """MobileNetV2 with its ImageNet weights, without its classifier (weights downloaded once into the Keras cache)."""
    try:
        return keras.applications.MobileNetV2(input_shape=IMAGE_SIZE + (3,), include_top=False, weights="imagenet")
    except Exception as error:  # no network and no cached file, or a damaged file: never go on with random weights
        raise SystemExit(f"Could not load MobileNetV2's ImageNet weights: {error}\n"
                         f"No network? Copy the weights file to {WEIGHTS_FILE} and run this cell again. "
                         f"If that file exists but is damaged, delete it so it is downloaded again.") from None


def build_model4(base_model):
    """preprocessor -> augmentation -> frozen MobileNetV2 (inference mode) -> pooling, dropout, two logits."""
    base_model.trainable = False
    image = keras.Input(shape=IMAGE_SIZE + (3,))
    base_model_layer = keras.Model(image, base_model(image, training=False), name="base_model_layer")
    preprocessor = keras.Model(image, keras.applications.mobilenet_v2.preprocess_input(image), name="preprocessor")
    augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(ROTATION)], name="augmentation")
    return keras.Sequential([keras.Input(shape=IMAGE_SIZE + (3,)), preprocessor, augmentation, base_model_layer,
                             layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(2)], name="model4")


def unfreeze_top(base_model, fine_tune_at=FINE_TUNE_AT):
    """Make the base model's layers from `fine_tune_at` on trainable, except batch normalisation:
    the lower layers and every BatchNormalization layer stay frozen (so it keeps its ImageNet statistics)."""
    base_model.trainable = True
    for index, layer in enumerate(base_model.layers):
        layer.trainable = index >= fine_tune_at and not isinstance(layer, layers.BatchNormalization)


def compile_model(model, epochs=EPOCHS, learning_rate=1e-3):
    """Adam with a learning rate that decays along a cosine over `epochs`; cross-entropy on two logits."""
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=epochs * len(train))
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])


def train_model4():
    """Post 05's recipe: train the head on the frozen base, then fine-tune the top of the base."""
    base_model = load_base_model()
    model4 = build_model4(base_model)
    compile_model(model4)
    model4.fit(train, epochs=EPOCHS, validation_data=validation, verbose=2)
    unfreeze_top(base_model)
    compile_model(model4, epochs=FINE_TUNE_EPOCHS, learning_rate=1e-5)
    model4.fit(train, epochs=FINE_TUNE_EPOCHS, validation_data=validation, verbose=2)
    return model4


def load_model4():
    """The model saved by post 05, or, if it is missing or cannot be loaded, a model4 trained here."""
    if not os.path.exists(MODEL_PATH):
        print(f"No saved model at {MODEL_PATH}: post 05 has not run on this machine. "
              f"Training model4 here with post 05's recipe instead.")
        return train_model4()
    try:
        return keras.models.load_model(MODEL_PATH)
    except Exception as error:
        print(f"The saved model {MODEL_PATH} cannot be loaded ({type(error).__name__}: {str(error)[:200]}). "
              f"It may come from another Keras version or be damaged. Run post 05 again to replace it; "
              f"meanwhile model4 is trained here with post 05's recipe.")
        return train_model4()

# %%
model = load_model4()
print(f"Model: {model.name}, {model.count_params():,} parameters")

# %% [markdown]
# ## The test score
#
# We collect every test image with its true label and the model's probabilities, and score them.

# %%
images = np.concatenate([batch for batch, _ in test])
labels = np.concatenate([batch_labels for _, batch_labels in test])
probabilities = tf.nn.softmax(model.predict(test, verbose=0)).numpy()
predictions = probabilities.argmax(axis=1)
test_loss, test_accuracy = model.evaluate(test, verbose=0)
display(Markdown(f"**Test accuracy: {test_accuracy:.1%}** ({np.sum(predictions == labels)} of {len(labels)} "
                 f"test images right), test loss {test_loss:.3f}."),
        metadata={"results": {"test": {"accuracy": test_accuracy, "loss": test_loss, "images": len(labels)}}})

# %% [markdown]
# ## Where does it go wrong?
#
# A *confusion matrix* counts the four possible outcomes: rows are the true class, columns the
# predicted one, so the diagonal holds the correct answers and everything else is a mistake.

# %%
confusion = tf.math.confusion_matrix(labels, predictions, num_classes=len(class_names)).numpy()

fig, ax = plt.subplots(figsize=(4.5, 4))
shown = ax.imshow(confusion, cmap="Blues")
for (row, column), count in np.ndenumerate(confusion):
    ax.text(column, row, count, ha="center", va="center", color="white" if count > confusion.max() / 2 else "black")
ax.set(xticks=range(len(class_names)), yticks=range(len(class_names)), xticklabels=class_names,
       yticklabels=class_names, xlabel="predicted class", ylabel="true class",
       title=f"Confusion matrix on the {len(labels)} test images")
fig.colorbar(shown, ax=ax, label="number of images")
plt.show()

# %% [markdown]
# Every mistake, with the true label, the model's answer and how sure it was:

# %%
mistakes = np.flatnonzero(predictions != labels)
if len(mistakes) == 0:
    print("No mistakes: model4 classifies every test image correctly.")
else:
    columns = min(len(mistakes), 4)
    rows = -(-len(mistakes) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 3.6 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, index in zip(axes.flat, mistakes):
        ax.imshow(images[index].astype("uint8"))
        ax.set_title(f"true: {class_names[labels[index]].rstrip('s')}\n"
                     f"predicted: {class_names[predictions[index]].rstrip('s')} "
                     f"({probabilities[index, predictions[index]]:.0%})")
    fig.suptitle(f"The {len(mistakes)} misclassified test images")
    plt.show()
confidence = probabilities.max(axis=1)
print(f"Mean confidence: {confidence[predictions == labels].mean():.1%} on correct answers"
      + (f", {confidence[mistakes].mean():.1%} on mistakes." if len(mistakes) else "."))

# %% [markdown]
# ## How much does one test score tell?
#
# 200 images is not many: every mistake costs half a percentage point. A confidence interval says
# how far the accuracy on *all* photos like these could plausibly be from what we measured. We
# also score the same model on the validation set, which guided every choice in this series.

# %%
def wilson_interval(correct, total, z=1.96):
    """The 95% confidence interval (Wilson score interval) of an accuracy of correct/total."""
    p = correct / total
    centre = (p + z**2 / (2 * total)) / (1 + z**2 / total)
    half = z * np.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / (1 + z**2 / total)
    return centre - half, centre + half


low, high = wilson_interval(int(np.sum(predictions == labels)), len(labels))
_, validation_accuracy = model.evaluate(validation, verbose=0)
n_validation = sum(len(batch_labels) for _, batch_labels in validation)
print(f"Test accuracy {test_accuracy:.1%} on {len(labels)} images; 95% confidence interval {low:.1%} to {high:.1%}.")
print(f"The same model on the {n_validation} validation images: {validation_accuracy:.1%}, "
      + ("inside that interval: the two scores agree within chance." if low <= validation_accuracy <= high else
         "outside that interval: more than chance separates the two scores."))

# %% [markdown]
# ## What the mistakes have in common
#
# In the run shown here, the gallery above is a gallery of hard photos. Many of them come from
# animal shelters and were taken through cage bars or wire mesh, which hide the animal's outline.
# In others the animal is small in a busy scene, curled up with its face hidden, or a puppy whose
# round face and fluffy coat look like a kitten's. At 160×160 pixels little detail is left, and a
# person glancing at the thumbnails would hesitate over several of them too. Some mistakes come
# with high confidence: the model's probability is not a reliable measure of its doubt on unusual
# photos.
#
# When the test accuracy comes out below the validation accuracy, as it can, part of the gap is
# the luck of a 200-image draw, and part of it is that all our choices (the recipe, the
# augmentation, how many layers to fine-tune) were made while watching the validation set, so its
# number flatters the model. This is why the test set stayed locked away until now: the number to
# quote for model4 is the test accuracy, with its interval, not the validation accuracy.
#
# ## Classify your own photo
#
# `classify` takes a list of image files (JPEG, PNG, GIF or BMP; any size; colour, grayscale or
# with an alpha channel), decodes and resizes them exactly as `image_dataset_from_directory` did
# for training (three colour channels, bilinear resize to 160×160; the preprocessor inside the
# model does the rest), and prints the answer with its probability. A file that cannot be read
# gets a one-line message, and the others are still classified.

# %%
def load_photo(path):
    """An image file as a 160×160×3 float tensor, decoded and resized as for training."""
    image = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
    return tf.image.resize(image, IMAGE_SIZE)


def classify(paths):
    """Print 'cat' or 'dog' and its probability for each image file; unreadable files get a one-line message."""
    for path in paths:
        try:
            image = load_photo(path)
        except tf.errors.NotFoundError:
            print(f"{path}: skipped, no such file")
            continue
        except tf.errors.OpError:
            print(f"{path}: skipped, not a readable JPEG, PNG, GIF or BMP image")
            continue
        probabilities = tf.nn.softmax(model(image[tf.newaxis], training=False))[0].numpy()
        answer = probabilities.argmax()
        print(f"{path}: {class_names[answer].rstrip('s')} ({probabilities[answer]:.1%})")


classify(test_images.file_paths[:4])

# %% [markdown]
# And what happens with a file that is not a photo, or a path that does not exist:

# %%
import tempfile

not_a_photo = os.path.join(tempfile.mkdtemp(), "not-a-photo.jpg")
with open(not_a_photo, "w") as file:
    file.write("This is a text file with a .jpg name.")
classify([test_images.file_paths[4], not_a_photo, "no/such/photo.jpg", test_images.file_paths[5]])

# %% [markdown]
# To try your own photos in Colab, upload them with the file browser on the left and call
# `classify(["your-photo.jpg"])`.
#
# ## Summary of the series
#
# From a baseline of guessing, through three small networks trained from scratch, to a
# fine-tuned MobileNetV2: the table on the home page collects each post's numbers from the
# notebooks, as they were measured.
