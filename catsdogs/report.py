"""What the posts print and draw about a training run: a one-line-per-epoch log, learning curves,
a summary printed from the history, runs with other seeds, and comparisons between the models.

Every sentence about a result is printed by code from the numbers it describes, so it is true
for the run you see. Earlier posts' numbers come from two places, and the tables say which:
this machine (the histories that earlier posts saved in the Keras cache) and the series'
published run (`published_results.json`, shipped with this package), which a fresh Colab
runtime has too.
"""

import inspect
import json
import logging
import os
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from catsdogs import data
from catsdogs.config import EPOCHS, RESULTS_DIR
from catsdogs.models import compile_model

MODEL_POSTS = {"model1": "post 02", "model2": "post 03", "model3": "post 04", "model4": "post 05"}
PUBLISHED_RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "published_results.json")
# Training several fresh models in a loop makes TensorFlow warn that it traces each one's functions
# anew ("retracing"); that is expected here, so only its errors are shown.
logging.getLogger("tensorflow").setLevel(logging.ERROR)


def show_source(*functions):
    """Show the code of functions from this package, as the post that explains them walks through it."""
    code = "\n\n".join(inspect.getsource(function).rstrip() for function in functions)
    display(Markdown(f"```python\n{code}\n```"))


def plot_history(histories, title, fine_tune_epoch=None, save_as=None):
    """Training (solid) and validation (dashed) accuracy and loss per epoch, one colour per model.
    `save_as`: a file name under which a full run of the series also keeps the figure for the blog's home page."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for (name, history), colour in zip(histories.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"]):
        epochs = range(1, len(history["accuracy"]) + 1)
        for ax, metric in zip(axes, ["accuracy", "loss"]):
            ax.plot(epochs, history[metric], color=colour, marker=".", label=f"{name} training")
            ax.plot(epochs, history[f"val_{metric}"], color=colour, marker=".", linestyle="--",
                    label=f"{name} validation")
    for ax, metric in zip(axes, ["Accuracy", "Loss"]):
        if fine_tune_epoch:
            ax.axvline(fine_tune_epoch + 0.5, color="grey", linestyle=":", label="start of fine-tuning")
        ax.set(title=f"{metric} per epoch", xlabel="epoch", ylabel=metric.lower())
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend()
    fig.suptitle(title)
    save_figure(fig, save_as)
    plt.show()


def save_figure(fig, file_name):
    """Keep a copy of the figure for the blog's listing cards, when the series runner asks for it
    (it sets CATS_DOGS_FIGURES_DIR); in Colab or a plain run nothing is written."""
    folder = os.environ.get("CATS_DOGS_FIGURES_DIR")
    if folder and file_name:
        os.makedirs(folder, exist_ok=True)
        fig.savefig(os.path.join(folder, file_name), dpi=80, bbox_inches="tight")


def last_epochs_mean(history, epochs=5):
    """Validation accuracy, mean of the last `epochs` epochs: the number the series compares."""
    return float(np.mean(history["val_accuracy"][-epochs:]))


def summarize(name, history, baseline_accuracy):
    """Print, from the history: where validation accuracy settled, the gain over the baseline and the
    gap between training and validation; save the history for later posts on this machine."""
    last_validation = np.array(history["val_accuracy"][-5:])
    last_training = np.array(history["accuracy"][-5:])
    gap = last_training.mean() - last_validation.mean()
    gain = last_validation.mean() - baseline_accuracy
    if gap > 0.10:
        verdict = f"{name} overfits clearly: it has learned the training images far better than new ones."
    elif gap > 0.03:
        verdict = f"{name} overfits a little."
    elif gap >= -0.01:
        verdict = f"{name} does not overfit: it does as well on new images as on the ones it trained on."
    else:
        helpers = "dropout" if name == "model1" else "dropout and augmentation"
        verdict = (f"validation accuracy is the higher one. That is not a bug: {helpers} make the training "
                   "images harder during training and are switched off for validation.")
    low, high = f"{last_validation.min():.1%}", f"{last_validation.max():.1%}"
    settled = f"stayed at {low}" if low == high else f"stabilised between {low} and {high}"
    display(Markdown(
        f"**{name}: over the last {len(last_validation)} epoch(s), validation accuracy {settled} "
        f"(mean {last_validation.mean():.1%}).**\n\n"
        f"That is {100 * abs(gain):.1f} percentage points {'above' if gain >= 0 else 'below'} the "
        f"baseline of {baseline_accuracy:.1%} (always answering the most frequent label).\n\n"
        f"Training accuracy averaged {last_training.mean():.1%} over the same epochs, "
        f"{100 * abs(gap):.1f} points {'above' if gap >= 0 else 'below'} validation: {verdict}"),
        # The stored history lets the results table and the tests read this result from the notebook.
        metadata={"results": {name: {metric: [float(value) for value in history[metric]]
                                     for metric in ["accuracy", "val_accuracy", "loss", "val_loss"]}}})
    save_result(f"history_{name}", history)


def save_result(file_stem, result):
    """Keep a result in the Keras cache, where later posts on this machine find it."""
    os.makedirs(RESULTS_DIR, exist_ok=True)
    with open(os.path.join(RESULTS_DIR, f"{file_stem}.json"), "w") as file:
        json.dump(result, file)


def fit_validating_last(model, train, validation, epochs, validated_epochs):
    """Train for `epochs` epochs but measure validation accuracy only in the last `validated_epochs`,
    the ones the series compares (saves time; the training itself is the same as one `fit` call)."""
    unvalidated = max(0, epochs - validated_epochs)
    if unvalidated:
        model.fit(train, epochs=unvalidated, verbose=0)
    return model.fit(train, initial_epoch=unvalidated, epochs=epochs, validation_data=validation, verbose=0).history


def train_with_seeds(name, make_model, train, validation, main_history, seeds=(1, 2)):
    """Train fresh copies of a model with other random seeds (initial weights, augmentation, order of
    the batches) and the same recipe, and print a table: how much of a result is the model, and how
    much the luck of one run? The main run of the post (seed 42) counts as the first seed."""
    accuracies = [last_epochs_mean(main_history)]
    for seed in seeds:
        keras.utils.set_random_seed(seed)
        model = make_model()
        compile_model(model, train)
        start = time.perf_counter()
        history = fit_validating_last(model, train, validation, EPOCHS, validated_epochs=5)
        accuracies.append(last_epochs_mean(history))
        print(f"seed {seed}: validation accuracy {accuracies[-1]:.1%}, mean of the last 5 epochs "
              f"({time.perf_counter() - start:.0f} s)")
    result = {"seeds": [42, *seeds], "val_accuracy": accuracies}
    values = np.round(accuracies, 3)  # as the table shows them, so that the spread adds up
    display(Markdown(
        f"| {name} | " + " | ".join(f"seed {seed}" for seed in result["seeds"]) + " | mean | spread (highest − lowest) |\n"
        "|---|" + "---:|" * (len(values) + 2) + "\n"
        "| validation accuracy | " + " | ".join(f"{value:.1%}" for value in values)
        + f" | {values.mean():.1%} | {100 * (values.max() - values.min()):.1f} points |"),
        metadata={"results": {f"{name} seeds": result}})
    save_result(f"seeds_{name}", result)
    return result


def published_results():
    """The results of the series' published run, shipped with this package ({} if the file is missing)."""
    if not os.path.exists(PUBLISHED_RESULTS):
        return {}
    with open(PUBLISHED_RESULTS) as file:
        return json.load(file).get("results", {})


def machine_result(file_stem):
    """A result that an earlier post saved on this machine, or None."""
    path = os.path.join(RESULTS_DIR, f"{file_stem}.json")
    if not os.path.exists(path):
        return None
    with open(path) as file:
        return json.load(file)


def machine_runs(name):
    """The validation accuracies (mean of the last 5 epochs) of the runs of `name` that its post saved
    on this machine: every seed if it saved them, else the one run; [] if it has not run here."""
    seeds = machine_result(f"seeds_{name}")
    if seeds is not None:
        return seeds["val_accuracy"]
    history = machine_result(f"history_{name}")
    return [last_epochs_mean(history)] if history is not None else []


def published_runs(name):
    """The same numbers from the series' published run."""
    published = published_results()
    if f"{name} seeds" in published:
        return published[f"{name} seeds"]["val_accuracy"]
    return [last_epochs_mean(published[name])] if name in published else []


def runs_of(name):
    """The runs of `name` to compare with, and where they come from: this machine's if its post ran
    here, else the published run's."""
    on_this_machine = machine_runs(name)
    if on_this_machine:
        return on_this_machine, f"this machine, {MODEL_POSTS[name]}"
    published = published_runs(name)
    if published:
        return published, "the published run"
    return [], f"not run yet: run {MODEL_POSTS[name]} first"


def describe_runs(values):
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.1%} (one run)"
    return f"{np.mean(values):.1%} (range {min(values):.1%} to {max(values):.1%}, {len(values)} seeds)"


def compare_with_earlier_models(name, this_post):
    """A table of this post's model and the earlier posts' models, and one printed sentence per
    comparison: is the difference larger than the spread between runs with different seeds?
    The earlier models' numbers come from this machine where their posts ran here, else from the
    published run (a fresh Colab runtime); the table says which.
    `this_post`: {"val_accuracy": [accuracy of each run]} for this post's model."""
    names = list(MODEL_POSTS)[: list(MODEL_POSTS).index(name) + 1]
    runs = {model: runs_of(model) for model in names[:-1]}
    runs[name] = (this_post["val_accuracy"], "this post")
    table = ("| model | validation accuracy | measured in |\n|---|---:|---|\n"
             + "\n".join(f"| {model} | {describe_runs(values)} | {source} |" for model, (values, source) in runs.items()))
    sentences = []
    ours = runs[name][0]
    for model in names[:-1]:
        theirs, source = runs[model]
        if not theirs:
            sentences.append(f"- {name} vs {model}: {source}.")
            continue
        difference = 100 * (np.mean(ours) - np.mean(theirs))
        if min(ours) > max(theirs) or max(ours) < min(theirs):
            verdict = (f"every run of {name} is {'above' if difference > 0 else 'below'} every run of {model}: "
                       "the difference is larger than the spread between seeds")
        elif len(ours) + len(theirs) > 2:
            verdict = "the runs of the two models overlap: the difference is within the spread between seeds"
        else:
            verdict = "with one run of each we cannot tell a real difference from luck"
        sentences.append(f"- {name} vs {model}: {difference:+.1f} points; {verdict}.")
    display(Markdown("Validation accuracy, mean of the last 5 epochs; for a model trained with several seeds, "
                     "the mean and range of its runs.\n\n" + table + "\n\n" + "\n".join(sentences)))


def review(name, make_model, history, train, validation, title, figure_name):
    """Everything posts 03 and 04 report after training a model (post 02 does it step by step):
    the learning curves, the printed summary, two more runs with other seeds, and the comparison
    with the earlier models. Returns the seeds' results."""
    plot_history({name: history}, title, save_as=figure_name)
    summarize(name, history, data.baseline_accuracy(train))
    seeds = train_with_seeds(name, make_model, train, validation, history)
    compare_with_earlier_models(name, seeds)
    return seeds
