"""The series' results: what a run produced, as typed records, with one writer and one reader.

- The records: `History` (a training run, with the settings it started with), `SeedRuns` (the
  same model trained with other seeds), `TestScore` (post 06's score on the test photos).
- The one writer, `record(name, a_record, shown)`: it displays `shown` in the notebook with the
  record in the output's metadata (so the stored post carries it) and keeps the record in the
  Keras cache (so later posts on this machine find it).
- The readers: `records_in_notebook` (a stored post), `machine_record` (this machine's cache),
  `published_record` (the published run, `run/run.json`, which `make series` writes; in Colab
  it is fetched from the repository the package was installed from).
- The number a model is judged by: validation accuracy, the mean of the last `WINDOW` epochs of
  its run (`settled_accuracy`). One epoch's accuracy moves up and down by a point or more from
  epoch to epoch; the mean of the last few says where the run settled. For a fine-tuned model
  only the fine-tuning epochs count.
- Results are compared only with results trained with the same settings.
"""

import dataclasses
import json
import math
import os
import statistics
import urllib.request

from catsdogs import config
from catsdogs.errors import CatsDogsError

WINDOW = 5  # validation accuracy is the mean of the last WINDOW epochs of a run
METADATA_KEY = "results"  # output metadata: {"results": {name: record as JSON}}
FULL_RUN = {"epochs": config.DEFAULT_EPOCHS, "batches": 0}  # the settings of the published run
# Which post trains each model (and records its history and seed runs).
MODEL_POSTS = {"model1": "02-model1-cnn", "model2": "03-model2-augmentation",
               "model3": "04-model3-preprocessing", "model4": "05-model4-transfer-learning"}
FINE_TUNED = "model4 fine-tuned"  # the record of model4's head training followed by fine-tuning
MODEL_OF = {FINE_TUNED: "model4"}  # the model of a history recorded under another name than its model's
TEST = "test"  # the record of post 06's test score
SAVED_MODEL4 = "saved by post 05"  # post 06 scores this model4; anything else is not a publishable run
# The floors the tests enforce on the published run (settled validation accuracy): a run below
# them is broken, not unlucky.
FLOORS = {"model1": 0.52, "model2": 0.55, "model3": 0.70, "model4": 0.95}
# The published run's home in the repository, written by `make series` (scripts/run_series.py).
RUN_FILE_IN_REPOSITORY = os.path.join("run", "run.json")
PUBLISHED_BRANCH = "main"  # in Colab, run/run.json is read from this branch of the repository


# --- The records ---------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class History:
    """A training run: accuracy and loss per epoch on the training and validation photos, and the
    settings (epochs, batches) read when the training started. `fine_tune_from`: for head training
    followed by fine-tuning, the number of head-training epochs."""
    accuracy: list
    val_accuracy: list
    loss: list
    val_loss: list
    settings: dict
    fine_tune_from: int = None

    METRICS = ("accuracy", "val_accuracy", "loss", "val_loss")

    @classmethod
    def from_keras(cls, keras_history, settings):
        """From the dict of Keras's `model.fit(...).history`."""
        return cls(**{metric: [float(value) for value in keras_history[metric]] for metric in cls.METRICS},
                   settings=dict(settings))

    def followed_by(self, later):
        """This run's epochs, then those of `later` (fine-tuning), as one history."""
        if later.settings != self.settings:
            raise CatsDogsError(f"The two runs were trained with other settings ({self.settings} and "
                                f"{later.settings}): run both cells again with the same settings.")
        joined = {metric: getattr(self, metric) + getattr(later, metric) for metric in self.METRICS}
        return History(**joined, settings=self.settings, fine_tune_from=len(self.accuracy))


@dataclasses.dataclass(frozen=True)
class SeedRuns:
    """Runs of one model with several seeds: the settled validation accuracy of each."""
    seeds: list
    val_accuracy: list
    settings: dict


@dataclasses.dataclass(frozen=True)
class TestScore:
    """A model's answers on the test photos: accuracy, how many right of how many, which model."""
    accuracy: float
    correct: int
    images: int
    model: str


KINDS = {"history": History, "seeds": SeedRuns, "test": TestScore}


def as_json(a_record):
    """A record as JSON-ready data: its fields and its kind."""
    kind = next(kind for kind, record_type in KINDS.items() if isinstance(a_record, record_type))
    return {"kind": kind, **dataclasses.asdict(a_record)}


def from_json(data):
    """The record that `as_json` wrote."""
    fields = dict(data)
    return KINDS[fields.pop("kind")](**fields)


def seeds_name(model):
    """The name under which a model's seed runs are recorded: "model1 seeds"."""
    return f"{model} seeds"


# --- The one writer ------------------------------------------------------------------------------

def record(name, a_record, shown):
    """Keep `a_record` under `name`: display `shown` (anything IPython can display, such as a
    summary) with the record in the output's metadata, which the stored notebook keeps, and save
    the record in the Keras cache, where later posts on this machine find it."""
    from IPython.display import display

    data = as_json(a_record)
    display(shown, metadata={METADATA_KEY: {name: data}})
    os.makedirs(config.results_dir(), exist_ok=True)
    with open(machine_record_path(name), "w") as file:
        json.dump(data, file)


# --- The readers ---------------------------------------------------------------------------------

def records_in_notebook(notebook):
    """{name: record} that a stored notebook's outputs carry in their metadata, later outputs
    overriding earlier ones. `notebook`: the JSON as read by `json.load` or `nbformat.read`."""
    found = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            for name, data in output.get("metadata", {}).get(METADATA_KEY, {}).items():
                found[name] = from_json(data)
    return found


def machine_record_path(name):
    """Where a record is kept on this machine: `<Keras cache>/cats_vs_dogs/<name>.json`."""
    return os.path.join(config.results_dir(), f"{name.replace(' ', '_')}.json")


def machine_record(name):
    """The record that a post saved on this machine under `name`, or None."""
    path = machine_record_path(name)
    if not os.path.exists(path):
        return None
    with open(path) as file:
        return from_json(json.load(file))


def repository_run_file():
    """run/run.json of the repository this package sits in (a clone, installed editable), or None."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), RUN_FILE_IN_REPOSITORY)
    return path if os.path.exists(path) else None


def installed_from():
    """(repository URL, commit) that pip installed this package from (`pip install git+URL@COMMIT`,
    as in Colab), or (None, None)."""
    from importlib import metadata

    try:
        direct_url = json.loads(metadata.distribution("catsdogs").read_text("direct_url.json") or "{}")
    except metadata.PackageNotFoundError:
        return None, None
    return direct_url.get("url"), direct_url.get("vcs_info", {}).get("commit_id")


def published_run_url(repository_url):
    """Where run/run.json of a GitHub repository can be read: its raw file on PUBLISHED_BRANCH."""
    owner_and_name = repository_url.removeprefix("https://github.com/").removesuffix(".git")
    return f"https://raw.githubusercontent.com/{owner_and_name}/{PUBLISHED_BRANCH}/{RUN_FILE_IN_REPOSITORY}"


def read_run_file(path):
    """A run's facts and records as `make series` wrote them into run/run.json."""
    with open(path, encoding="utf-8") as file:
        return json.load(file)


_published = {}  # the published run, read once per session


def published_run():
    """The published run (run/run.json as a dict): from the repository clone this package sits in,
    else downloaded once from the repository it was installed from (Colab); {} with a message
    when neither works (offline, say)."""
    if "run" in _published:
        return _published["run"]
    path = repository_run_file()
    repository, _ = installed_from()
    try:
        if path:
            run = read_run_file(path)
        elif repository and repository.startswith("https://github.com/"):
            with urllib.request.urlopen(published_run_url(repository), timeout=20) as response:
                run = json.load(response)
        else:
            run = {}
    except (OSError, ValueError) as error:  # no network, or not JSON
        where = path or published_run_url(repository)
        print(f"Could not read the published run's results from {where} ({type(error).__name__}: {error}).\n"
              "The tables show only the runs of this machine; with a network, run this cell again.")
        return {}
    _published["run"] = run
    return run


def published_record(name):
    """The published run's record `name`, or None."""
    data = published_run().get("records", {}).get(name)
    return from_json(data) if data else None


# --- How a run is judged -------------------------------------------------------------------------

def counted_epochs(history, metric="val_accuracy"):
    """The values of `metric` (validation accuracy by default) that count: the last WINDOW epochs,
    and for a fine-tuned model (a history with `fine_tune_from`) only epochs of fine-tuning."""
    values = getattr(history, metric)
    first = max(len(values) - WINDOW, history.fine_tune_from or 0)
    return values[first:]


def settled_accuracy(history):
    """The number the series judges a run by: the mean of `counted_epochs(history)`."""
    return statistics.fmean(counted_epochs(history))


def runs(a_record):
    """The settled validation accuracies of a record: one per seed, or the one of a history."""
    return list(a_record.val_accuracy) if isinstance(a_record, SeedRuns) else [settled_accuracy(a_record)]


def chance_of_no_overlap(ours, theirs):
    """If two models were equally good, every order of their runs' accuracies would be equally
    likely; the chance that all runs of one land above all runs of the other is 2 / C(n + m, n)
    (0.10 for 3 runs against 3)."""
    return 2 / math.comb(len(ours) + len(theirs), len(ours))


def describe_settings(settings):
    """Settings in words: "20 epochs, all data" or "1 epoch, 3 batches of each split"."""
    epochs, batches = settings["epochs"], settings["batches"]
    data = "all data" if not batches else f"{batches} batch{'es' if batches != 1 else ''} of each split"
    return f"{epochs} epoch{'s' if epochs != 1 else ''}, {data}"


def choose_source(model, here, there):
    """Which record of `model` a post compares with, as (record, where it comes from): this
    machine's if its post ran here with the settings of now, else the published run's, else this
    machine's with other settings (a comparison then gives no verdict)."""
    post = MODEL_POSTS[model]
    if here is not None and here.settings == config.settings():
        return here, f"this machine, post {post[:2]}"
    if there is not None:
        return there, "the published run"
    if here is not None:
        return here, f"this machine, post {post[:2]}"
    return None, f"not run yet: run post {post[:2]} first"


def runs_of(model):
    """The runs of `model` to compare with: (accuracies, where they come from, their settings);
    its seed runs where there are some, else its one run; [] and None when there is none."""
    for name in (seeds_name(model), model):
        found, source = choose_source(model, machine_record(name), published_record(name))
        if found is not None:
            return runs(found), source, found.settings
    return [], source, None


def history_of(name):
    """The history recorded under `name` (a model's, or FINE_TUNED), as (history, where it comes
    from), chosen by `choose_source`; None for the history when there is none."""
    return choose_source(MODEL_OF.get(name, name), machine_record(name), published_record(name))
