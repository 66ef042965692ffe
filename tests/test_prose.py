"""Prose that names a value the code owns: one table of such sentences, each checked against the code.

A sentence in a post (or the glossary, or the home page) that names a number the code sets, such
as "the last 5 epochs" (results.WINDOW), is written here once as a template and the code's value
is filled in: if an exercise or a maintainer changes the value, the sentence no longer matches
and this test names it. A value the posts print from the code needs no entry.
"""

import inspect
import math

import pytest

from catsdogs import config, head, models, report, results, stats
from helpers import ROOT


def exponent(value):
    """1e-05 as prose writes it: 1e-5."""
    return f"{value:.0e}".replace("e-0", "e-")


# The versions requirements.txt pins ("name==version"), for prose that names one.
PINNED = dict(line.split("#")[0].strip().split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
              if "==" in line.split("#")[0])
TRAINING_PHOTOS = 2000  # the training folder of the data set (catsdogs.data checks its layout)
STEPS = math.ceil(TRAINING_PHOTOS / config.BATCH_SIZE)
LAST_BATCH = TRAINING_PHOTOS - (STEPS - 1) * config.BATCH_SIZE
LEARNING_RATE = inspect.signature(models.compile_model).parameters["learning_rate"].default


def interval_sides(photos_in_test, accuracy=0.98):
    right = round(accuracy * photos_in_test)
    low, high = stats.wilson_interval(right, photos_in_test)
    return right / photos_in_test - low, high - right / photos_in_test


# post 06's exercise: the smallest test set whose 95% interval at 98% stays within one point
ENOUGH = next(n for n in range(200, 5000) if max(interval_sides(n)) <= 0.01)

def model1_parameters():
    """model1's Dense(2) and total parameters, with and without its first 2×2 averaging (post 02's exercise)."""
    import keras

    found = []
    for layers in (models.cnn_layers(), models.cnn_layers()[1:]):
        model = keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)), *layers])
        found.append((model.layers[-1].count_params(), model.count_params()))
    return found


def trainable_from(layer):
    """Post 05's exercise: layers with weights that unfreeze_top makes trainable from `layer` on."""
    import keras

    base = keras.applications.MobileNetV2(input_shape=config.IMAGE_SIZE + (3,), include_top=False, weights=None)
    models.unfreeze_top(base, fine_tune_at=layer)
    return sum(layer.trainable and bool(layer.weights) for layer in base.layers)


def split_counts():
    """Post 01's exercise: {split: (cats, dogs)} of the validation and test splits, from their files."""
    import os
    from collections import Counter

    from catsdogs import data

    _, validation, test = data.load_splits(data.find_data())
    return {name: Counter(os.path.basename(os.path.dirname(path)) for path in split.file_paths)
            for name, split in [("validation", validation), ("test", test)]}


# (files, the sentence's words with the code's values filled in)
FACTS = [
    (["notebooks/02-model1-cnn.py", "notebooks/04-model3-preprocessing.py", "notebooks/06-test-score.py",
      "glossary.qmd", "index.qmd"], f"last {results.WINDOW} epochs"),
    (["notebooks/01-load-data.py"], f"the seed ({config.SEED}), the image size ({config.IMAGE_SIZE[0]}×{config.IMAGE_SIZE[1]})"),
    (["notebooks/01-load-data.py"], f"the batch size ({config.BATCH_SIZE}:"),
    (["notebooks/02-model1-cnn.py", "glossary.qmd"],
     f"{TRAINING_PHOTOS} photos in batches of {config.BATCH_SIZE} make {STEPS} steps"),
    (["notebooks/02-model1-cnn.py", "glossary.qmd"], f"the last batch holds {LAST_BATCH}"),
    (["notebooks/02-model1-cnn.py"], f"We train for {config.DEFAULT_EPOCHS} epochs."),
    (["notebooks/02-model1-cnn.py"],
     f'({100 * report.OVERFITS_CLEARLY:.0f} points for "overfits clearly", {100 * report.OVERFITS:.0f} for'),
    (["notebooks/02-model1-cnn.py"],
     f'above {100 * report.OVERFITS_CLEARLY:.0f} points it says "overfits clearly", above {100 * report.OVERFITS:.0f} "a little"'),
    (["notebooks/02-model1-cnn.py"], f"down to\n# minus {100 * report.VALIDATION_AHEAD:.0f} point it says"),
    (["notebooks/02-model1-cnn.py", "glossary.qmd"], f"starts at {LEARNING_RATE:g}"),
    (["notebooks/05-model4-transfer-learning.py", "notebooks/06-test-score.py"], f"`FINE_TUNE_AT` = {models.FINE_TUNE_AT}"),
    (["notebooks/05-model4-transfer-learning.py"],
     f"({exponent(models.FINE_TUNE_LEARNING_RATE)} instead of {exponent(LEARNING_RATE)})"),
    (["notebooks/03-model2-augmentation.py"], f"±{models.ROTATION} × 360° = ±{models.ROTATION * 360:.0f}°"),
    (["notebooks/06-test-score.py"], f"has {ENOUGH} photos ({round(0.98 * ENOUGH)} right)"),
    (["notebooks/05-model4-transfer-learning.py"],
     f"{head.STEPS} steps with a learning rate of {head.LEARNING_RATE:g} and an\n# L2 weight of {head.L2:g}"),
    (["notebooks/07-what-the-model-sees.py"], f"the converter ({PINNED['tf2onnx']},\n# the version the series pins)"),
]
# Facts that need a model or the data: computed when the test runs.
COMPUTED_FACTS = {
    "post 02's exercise 8": (["notebooks/02-model1-cnn.py"], lambda: (
        "({2:,} instead of {0:,} with its biases): the\n# whole model grows from {1:,} to {3:,} parameters"
        .format(*model1_parameters()[0], *model1_parameters()[1]))),
    "post 05's exercise 8": (["notebooks/05-model4-transfer-learning.py"], lambda: (
        f"It prints {trainable_from(130)} layers with weights (from layer {models.FINE_TUNE_AT} on there are "
        f"{trainable_from(models.FINE_TUNE_AT)}, as the post prints)")),
    "post 01's exercise 7": (["notebooks/01-load-data.py"], lambda: (
        "It prints {0[cats]} cats and {0[dogs]} dogs for validation, {1[cats]} cats and {1[dogs]} dogs for test"
        .format(split_counts()["validation"], split_counts()["test"]))),
}


def assert_said(files, words):
    missing = [name for name in files if words not in (ROOT / name).read_text(encoding="utf-8")]
    assert not missing, (f"{missing} should say {words!r} (the code's value): the value or the sentence "
                         "changed; make them agree (or print the value from the code)")


@pytest.mark.parametrize("files, words", FACTS, ids=[words for _, words in FACTS])
def test_prose_names_the_code_s_values(files, words):
    assert_said(files, words)


@pytest.mark.parametrize("fact", [pytest.param(fact, marks=pytest.mark.slow) for fact in COMPUTED_FACTS])
def test_answers_name_what_their_code_prints(fact):
    files, words = COMPUTED_FACTS[fact]
    assert_said(files, words())
