"""Time one training epoch: our input pipeline and models against an uncached pipeline.

The student blog posts this series improves on fed `image_dataset_from_directory(batch_size=32)`
straight into `fit`, so every epoch read and decoded all 2000 JPEGs again. The posts of this
series decode once and keep the images in memory (`cache()`), shuffle after the cache, and
prefetch (`catsdogs.data.prepare`). This script times, in one process on the same machine, a
steady-state training epoch (the second one: the first also traces the model and fills the
cache) plus validation on the 800 validation images, for each pipeline and model:

- the student posts' CNN (3 convolutions at full 160x160 resolution, a wide dense layer),
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

from catsdogs import data, models  # noqa: E402
from catsdogs.config import BATCH_SIZE, IMAGE_SIZE, SEED  # noqa: E402


def uncached_pipeline(data_dir):
    """As in the student posts: batched by Keras, decoded again in every epoch."""
    train_images, validation_images, _ = data.load_splits(data_dir)
    return (train_images.batch(BATCH_SIZE), validation_images.batch(BATCH_SIZE))


def cached_pipeline(data_dir):
    """As in the posts: decoded once, cached, shuffled after the cache, batched, prefetched."""
    train_images, validation_images, _ = data.load_splits(data_dir)
    return data.prepare(train_images, shuffle=True), data.prepare(validation_images)


def student_cnn():
    return [layers.Rescaling(1 / 255), layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(), layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(), layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dropout(0.5),
            layers.Dense(2)]


def model1():
    return models.cnn_layers()


def model4():
    return list(models.build_model4(models.load_base_model()).layers)


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
    data_dir = data.find_data()
    pipelines = {"uncached (decode every epoch)": uncached_pipeline(data_dir),
                 "ours (cache, shuffle, prefetch)": cached_pipeline(data_dir)}
    candidates = {"student CNN": student_cnn, "model1": model1}
    if "--skip-model4" not in sys.argv:
        candidates["model4 (frozen MobileNetV2)"] = model4
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, {os.cpu_count()} CPU cores")
    print(f"{'model':30} {'pipeline':34} {'epoch 1':>9} {'epoch 2':>9}")
    steady = {}
    for model_name, make_layers in candidates.items():
        for pipeline_name, (train, validation) in pipelines.items():
            first, second = epoch_seconds(make_layers, train, validation)
            steady[(model_name, pipeline_name)] = second
            print(f"{model_name:30} {pipeline_name:34} {first:8.1f}s {second:8.1f}s", flush=True)
    uncached_name, ours_name = pipelines
    print("\nSteady-state epoch time, uncached pipeline / ours:")
    for model_name in candidates:
        ratio = steady[(model_name, uncached_name)] / steady[(model_name, ours_name)]
        print(f"  {model_name:30} {ratio:5.2f}x")
    ratio = steady[("student CNN", uncached_name)] / steady[("model1", ours_name)]
    print(f"  student CNN + uncached pipeline vs model1 + our pipeline: {ratio:5.2f}x")


if __name__ == "__main__":
    main()
