"""Time one training epoch: our input pipeline and models against the seed-era pipeline.

The seed-era posts fed `image_dataset_from_directory(batch_size=32)` straight into `fit`, so
every epoch read and decoded all 2000 JPEGs again. The posts of this series decode once and
keep the images in memory (`cache()`), shuffle after the cache, and prefetch. This script
times, in one process on the same machine, a steady-state training epoch (the second one: the
first also traces the model and fills the cache) plus validation on the 800 validation images,
for each pipeline and model:

- the seed-era posts' CNN (3 convolutions at full 160x160 resolution, a wide dense layer),
- model1 of post 02,
- model4 of post 05 (frozen MobileNetV2 with the augmentation in front).

Usage: python benchmarks/epoch_time.py [--skip-model4]
Needs the data in the Keras cache (and the MobileNetV2 weights for model4), as `make series` stages them.
"""

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402

SEED = 42
IMAGE_SIZE = (160, 160)
BATCH_SIZE = 32
DATA_URL = "https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip"


def data_folder():
    path = keras.utils.get_file("cats_and_dogs.zip", origin=DATA_URL, extract=True)
    return os.path.join(path if os.path.isdir(path) else os.path.dirname(path), "cats_and_dogs_filtered")


def train_and_validation(data_dir, batch_size):
    """The training images and the fixed 800 validation images, as `image_dataset_from_directory` gives them."""
    options = dict(image_size=IMAGE_SIZE, batch_size=batch_size, seed=SEED, verbose=False)
    train = keras.utils.image_dataset_from_directory(os.path.join(data_dir, "train"), **options)
    validation, _ = keras.utils.image_dataset_from_directory(
        os.path.join(data_dir, "validation"), validation_split=0.2, subset="both", **options)
    return train, validation


def seed_era_pipeline(data_dir):
    """As in the seed-era posts: batched by Keras, decoded again in every epoch."""
    return train_and_validation(data_dir, BATCH_SIZE)


def cached_pipeline(data_dir):
    """As in the posts: decoded once, cached, shuffled after the cache, batched, prefetched."""
    train, validation = train_and_validation(data_dir, None)
    train = train.cache().shuffle(2000, seed=SEED).batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)
    validation = validation.cache().batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)
    return train, validation


def seed_era_cnn():
    return [layers.Rescaling(1 / 255), layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(), layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(), layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dropout(0.5),
            layers.Dense(2)]


def model1():
    def block(filters):
        return [layers.Conv2D(filters, 3, padding="same", use_bias=False), layers.BatchNormalization(),
                layers.Activation("relu"), layers.MaxPooling2D()]
    return [layers.AveragePooling2D(2), *[layer for f in (16, 32, 64, 128) for layer in block(f)],
            layers.Flatten(), layers.Dropout(0.3), layers.Dense(2)]


def model4():
    base_model = keras.applications.MobileNetV2(input_shape=IMAGE_SIZE + (3,), include_top=False, weights="imagenet")
    base_model.trainable = False
    image = keras.Input(shape=IMAGE_SIZE + (3,))
    base_model_layer = keras.Model(image, base_model(image, training=False))
    return [layers.Rescaling(1 / 127.5, offset=-1), layers.RandomFlip("horizontal"), layers.RandomRotation(0.05),
            base_model_layer, layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(2)]


def epoch_seconds(make_layers, train, validation):
    """Seconds of the first and the second epoch (training + validation)."""
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([keras.Input(shape=IMAGE_SIZE + (3,)), *make_layers()])
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    times = []
    for _ in range(2):
        start = time.perf_counter()
        model.fit(train, validation_data=validation, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
    return times


def main():
    data_dir = data_folder()
    pipelines = {"seed-era (decode every epoch)": seed_era_pipeline(data_dir),
                 "ours (cache, shuffle, prefetch)": cached_pipeline(data_dir)}
    models = {"seed-era CNN": seed_era_cnn, "model1": model1}
    if "--skip-model4" not in sys.argv:
        models["model4 (frozen MobileNetV2)"] = model4
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, {os.cpu_count()} CPU cores")
    print(f"{'model':30} {'pipeline':34} {'epoch 1':>9} {'epoch 2':>9}")
    steady = {}
    for model_name, make_layers in models.items():
        for pipeline_name, (train, validation) in pipelines.items():
            first, second = epoch_seconds(make_layers, train, validation)
            steady[(model_name, pipeline_name)] = second
            print(f"{model_name:30} {pipeline_name:34} {first:8.1f}s {second:8.1f}s", flush=True)
    seed_name, ours_name = pipelines
    print("\nSteady-state epoch time, seed-era pipeline / ours:")
    for model_name in models:
        ratio = steady[(model_name, seed_name)] / steady[(model_name, ours_name)]
        print(f"  {model_name:30} {ratio:5.2f}x")
    ratio = steady[("seed-era CNN", seed_name)] / steady[("model1", ours_name)]
    print(f"  seed-era CNN + seed-era pipeline vs model1 + our pipeline: {ratio:5.2f}x")


if __name__ == "__main__":
    main()
