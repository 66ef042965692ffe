"""The results contract of the series: what number a model is judged by, where results are kept,
and the floors a full run must reach. Everything that reads or writes a result (the posts, the results
table in `scripts/results.py`, the series runner and the tests) takes these rules from here.

- The number a model is judged by: validation accuracy, the mean of the last `WINDOW` epochs of
  its run (`settled_accuracy`). One epoch's accuracy moves up and down by a point or more from
  epoch to epoch; the mean of the last few says where the run settled. For a fine-tuned model
  only the fine-tuning epochs count.
- Where results are kept: every result a post displays carries its numbers in the output's
  metadata under `METADATA_KEY`, so the stored notebook holds them; a post also saves them as
  JSON in the Keras cache (`save_result`), where later posts on the same machine find them;
  `scripts/results.py` copies the stored ones into `published_results.json`, which ships with
  the package so that a fresh Colab runtime can compare with the published run.
- Every saved result records the settings it was trained with (epochs, batches); results are
  compared only with results of the same settings.
"""

import hashlib
import json
import os

import numpy as np

from catsdogs import config

WINDOW = 5  # validation accuracy is the mean of the last WINDOW epochs of a run
METADATA_KEY = "results"  # output metadata: {"results": {name: result}}
RUN_KEY = "cats_vs_dogs"  # notebook metadata written by scripts/run_series.py: how the post was run
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
PUBLISHED_FILE = os.path.join(PACKAGE_DIR, "published_results.json")
MODEL_POSTS = {"model1": "post 02", "model2": "post 03", "model3": "post 04", "model4": "post 05"}
TEST_RESULT = "test"  # the name of post 06's test score
SAVED_MODEL4 = "saved by post 05"  # post 06 scores this model4; anything else is not a publishable run
# The results of the series' results table, in order: validation accuracy (settled_accuracy) of
# each model, and the test accuracy of the fine-tuned model4.
TABLE_RESULTS = ["model1", "model2", "model3", "model4", "model4 fine-tuned", TEST_RESULT]
# The floors the tests enforce on the stored full run (settled validation accuracy): a run below
# them is broken, not unlucky.
FLOORS = {"model1": 0.52, "model2": 0.55, "model3": 0.70, "model4": 0.95}


def results_in_notebook(notebook):
    """{name: result} that a stored notebook's outputs carry in their metadata (under METADATA_KEY),
    later outputs overriding earlier ones. `notebook` is the notebook's JSON as read by `json.load`
    or `nbformat.read`."""
    found = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            found.update(output.get("metadata", {}).get(METADATA_KEY, {}))
    return found


def counted_epochs(history, metric="val_accuracy"):
    """The values of `metric` (validation accuracy by default) that count: the last WINDOW epochs,
    and for a fine-tuned model (a history with "fine_tune_from") only epochs of fine-tuning."""
    values = history[metric]
    first = max(len(values) - WINDOW, history.get("fine_tune_from", 0))
    return values[first:]


def settled_accuracy(history):
    """The number the series judges a run by: the mean of `counted_epochs(history)`."""
    return float(np.mean(counted_epochs(history)))


def describe_settings(settings):
    """Settings in words: "20 epochs, all data" or "1 epoch, 3 batches of each split"."""
    epochs, batches = settings["epochs"], settings["batches"]
    data = "all data" if not batches else f"{batches} batch{'es' if batches != 1 else ''} of each split"
    return f"{epochs} epoch{'s' if epochs != 1 else ''}, {data}"


def result_path(file_stem):
    """Where a result is saved on this machine: `<Keras cache>/cats_vs_dogs/<file_stem>.json`."""
    return os.path.join(config.results_dir(), f"{file_stem}.json")


def history_stem(name):
    return f"history_{name}"


def seeds_stem(name):
    return f"seeds_{name}"


def save_result(file_stem, result):
    """Keep a result in the Keras cache with the settings it was made with, for later posts here."""
    os.makedirs(config.results_dir(), exist_ok=True)
    with open(result_path(file_stem), "w") as file:
        json.dump({**result, "settings": config.settings()}, file)


def machine_result(file_stem):
    """A result that an earlier post saved on this machine, or None."""
    path = result_path(file_stem)
    if not os.path.exists(path):
        return None
    with open(path) as file:
        return json.load(file)


def published():
    """The contents of published_results.json ({} if the file is missing)."""
    if not os.path.exists(PUBLISHED_FILE):
        return {}
    with open(PUBLISHED_FILE) as file:
        return json.load(file)


def published_settings():
    """The settings of the published run (the full run: 20 epochs, all data)."""
    return published().get("run", {}).get("settings") or {"epochs": config.DEFAULT_EPOCHS, "batches": 0}


def runs(result):
    """The validation accuracies of a saved or published result: every seed if it has several,
    else its one run."""
    if "val_accuracy" in result and "seeds" in result:  # a seeds result: one accuracy per seed
        return list(result["val_accuracy"])
    return [settled_accuracy(result)]


def machine_runs(name):
    """(accuracies, settings) of `name` as its post saved them on this machine, or ([], None)."""
    for result in (machine_result(seeds_stem(name)), machine_result(history_stem(name))):
        if result is not None:
            return runs(result), result.get("settings")
    return [], None


def published_runs(name):
    """(accuracies, settings) of `name` in the published run, or ([], None)."""
    found = published().get("results", {})
    for key in (f"{name} seeds", name):
        if key in found:
            return runs(found[key]), published_settings()
    return [], None


def choose_source(name, here, here_settings, there, there_settings):
    """The rule for which numbers of `name` a post shows, as (numbers, where they come from, their
    settings): this machine's if its post ran here with the same settings as now, else the
    published run's, else this machine's with other settings (a comparison then gives no verdict)."""
    post = MODEL_POSTS[name.split()[0]]  # "model4 fine-tuned" comes from post 05 too
    if here and here_settings == config.settings():
        return here, f"this machine, {post}", here_settings
    if there:
        return there, "the published run", there_settings
    if here:
        return here, f"this machine, {post}", here_settings
    return None, f"not run yet: run {post} first", None


def runs_of(name):
    """The runs of `name` to compare this run with: (accuracies, where they come from, their settings),
    chosen by `choose_source`; [] for accuracies when there are none."""
    values, source, settings = choose_source(name, *machine_runs(name), *published_runs(name))
    return values or [], source, settings


def history_of(name):
    """The training history of `name`'s main run (seed 42): (history, where it comes from, its
    settings), chosen by `choose_source`; None for the history when there is none."""
    here = machine_result(history_stem(name))
    there = published().get("results", {}).get(name)
    return choose_source(name, here, here and here.get("settings"), there, there and published_settings())


def package_fingerprint():
    """SHA-256 of the package's code: the published results record it, so a test sees when the
    code changed after the run that produced the stored outputs."""
    digest = hashlib.sha256()
    for name in sorted(os.listdir(PACKAGE_DIR)):
        if name.endswith(".py"):
            with open(os.path.join(PACKAGE_DIR, name), "rb") as file:
                digest.update(name.encode() + b"\0" + file.read() + b"\0")
    return digest.hexdigest()
