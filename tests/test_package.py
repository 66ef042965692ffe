"""Unit tests of the package's rules: settings read when used, the results contract, the verdicts,
fine-tuning's frozen batch normalisation, the disjoint split, the repository/version rewrite and the
series runner. They need TensorFlow but no browser, and run on every stack (make compat)."""

import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

import catsdogs
from catsdogs import config, report, results
from catsdogs.errors import CatsDogsError
from helpers import ROOT, load_script

# --- Settings are read when used ---------------------------------------------------------------

def test_settings_are_read_when_used(monkeypatch):
    monkeypatch.setenv("CATS_DOGS_EPOCHS", "7")
    monkeypatch.setenv("CATS_DOGS_BATCHES", "2")
    assert (config.epochs(), config.max_batches()) == (7, 2)
    monkeypatch.setenv("CATS_DOGS_EPOCHS", "3")  # changed in a running notebook: heard at once
    monkeypatch.delenv("CATS_DOGS_BATCHES")
    assert config.settings() == {"epochs": 3, "batches": 0}
    monkeypatch.setenv("KERAS_HOME", "/somewhere/else")
    assert config.results_dir() == os.path.join("/somewhere/else", config.RESULTS_FOLDER)
    assert config.weights_path().endswith(os.path.join("models", config.WEIGHTS_NAME))


@pytest.mark.parametrize("value, phrase", [("twenty", "is not a whole number"), ("0", "is less than 1"),
                                           ("-3", "is less than 1")])
def test_a_bad_setting_says_what_to_do(monkeypatch, value, phrase):
    monkeypatch.setenv("CATS_DOGS_EPOCHS", value)
    with pytest.raises(CatsDogsError, match=phrase):
        config.epochs()


def test_errors_show_their_message_alone_in_a_notebook():
    error = CatsDogsError("The archive is damaged: rm it")
    assert error._render_traceback_() == ["CatsDogsError: The archive is damaged: rm it"]


def test_importing_the_package_changes_nothing_process_wide():
    """Warning filters and TensorFlow's log level are the same before and after importing every module."""
    code = (
        "import logging, warnings\n"
        "import tensorflow\n"
        "before = (list(warnings.filters), logging.getLogger('tensorflow').level)\n"
        "import catsdogs.config, catsdogs.data, catsdogs.models, catsdogs.report, catsdogs.results, catsdogs.photos\n"
        "after = (list(warnings.filters), logging.getLogger('tensorflow').level)\n"
        "assert before == after, (before, after)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


# --- The results contract ----------------------------------------------------------------------

def test_settled_accuracy_is_the_mean_of_the_last_window():
    history = {"val_accuracy": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]}
    assert results.counted_epochs(history) == [0.3, 0.4, 0.5, 0.6, 0.7]
    assert results.settled_accuracy(history) == pytest.approx(0.5)


def test_a_fine_tuned_run_counts_only_fine_tuning_epochs():
    """A short run (1 epoch of head training, 1 of fine-tuning) must not mix the head's epoch in."""
    assert results.counted_epochs({"val_accuracy": [0.9, 0.95], "fine_tune_from": 1}) == [0.95]
    full = {"val_accuracy": [0.5] * 20 + [0.9] * 5, "fine_tune_from": 20}
    assert results.settled_accuracy(full) == pytest.approx(0.9)


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("CATS_DOGS_EPOCHS", "20")
    monkeypatch.delenv("CATS_DOGS_BATCHES", raising=False)
    return tmp_path


def test_results_in_notebook_reads_every_output_later_ones_last():
    """The one reader of the results a stored post carries (scripts and tests use it)."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A post"),
        nbformat.v4.new_code_cell("train()", outputs=[
            nbformat.v4.new_output("stream", text="epoch 1\n"),
            nbformat.v4.new_output("display_data", data={"text/plain": "model1"},
                                   metadata={results.METADATA_KEY: {"model1": {"val_accuracy": [0.5]}}}),
        ]),
        nbformat.v4.new_code_cell("train_more()", outputs=[
            nbformat.v4.new_output("display_data", data={"text/plain": "both"},
                                   metadata={results.METADATA_KEY: {"model1": {"val_accuracy": [0.7]},
                                                                    "test": {"accuracy": 0.9}}}),
        ]),
    ])
    expected = {"model1": {"val_accuracy": [0.7]}, "test": {"accuracy": 0.9}}
    assert results.results_in_notebook(notebook) == expected
    assert results.results_in_notebook(json.loads(nbformat.writes(notebook))) == expected


def test_runs_of_prefers_this_machine_with_the_same_settings(empty_cache, monkeypatch):
    published = results.published_runs("model1")
    assert published[0], "the package ships the published run's model1"
    results.save_result(results.seeds_stem("model1"), {"seeds": [42, 1], "val_accuracy": [0.61, 0.62]})
    assert results.runs_of("model1") == ([0.61, 0.62], "this machine, post 02", {"epochs": 20, "batches": 0})
    # the same saved runs, but this run has other settings: the published run (same settings) is used
    monkeypatch.setenv("CATS_DOGS_BATCHES", "3")
    values, source, settings = results.runs_of("model1")
    assert (values, source, settings) == (published[0], "the published run", published[1])


def test_describe_settings():
    assert results.describe_settings({"epochs": 20, "batches": 0}) == "20 epochs, all data"
    assert results.describe_settings({"epochs": 1, "batches": 3}) == "1 epoch, 3 batches of each split"


# --- Verdicts ----------------------------------------------------------------------------------

@pytest.mark.parametrize("ours, theirs, said", [
    ([0.80, 0.81, 0.82], [0.76, 0.77, 0.78], "every run of model2 is above every run of model1"),
    ([0.70, 0.71], [0.76, 0.77, 0.78], "every run of model2 is below every run of model1"),
    ([0.78, 0.80, 0.81], [0.77, 0.79, 0.80], "the runs of the two models overlap"),
    ([0.80], [0.79], "with one run of each we cannot tell"),
])
def test_verdict(ours, theirs, said):
    assert said in report.verdict("model2", ours, "model1", theirs)


def test_no_verdict_against_runs_with_other_settings(empty_cache, monkeypatch):
    """A reader's short run is not judged against the published full run."""
    shown = []
    monkeypatch.setattr(report, "display", lambda markdown, **_: shown.append(markdown.data))
    monkeypatch.setenv("CATS_DOGS_EPOCHS", "1")
    report.compare_with_earlier_models("model2", {"val_accuracy": [0.99, 0.99, 0.99]})
    assert "model2 vs model1: no verdict: model1 was trained with 20 epochs, all data, this run with 1 epoch" in shown[0]
    assert "every run" not in shown[0]


# --- Models --------------------------------------------------------------------------------------

def test_unfreeze_top_keeps_batch_normalisation_frozen():
    import keras

    from catsdogs import models

    base_model = keras.applications.MobileNetV2(input_shape=config.IMAGE_SIZE + (3,), include_top=False, weights=None)
    models.unfreeze_top(base_model)
    for index, layer in enumerate(base_model.layers):
        if isinstance(layer, keras.layers.BatchNormalization):
            assert not layer.trainable, f"{layer.name} (layer {index}) is trainable"
        else:
            assert layer.trainable == (index >= models.FINE_TUNE_AT), f"{layer.name} (layer {index})"
    assert any(layer.trainable and layer.weights for layer in base_model.layers)


def test_validation_and_test_sets_are_disjoint_and_fixed():
    """The 1000 validation photos split into 800 validation and 200 test files, the same on every call."""
    from catsdogs import data

    data_dir = data.find_data()
    _, validation, test = data.load_splits(data_dir)
    _, validation_again, test_again = data.load_splits(data_dir)
    assert (len(validation.file_paths), len(test.file_paths)) == (800, 200)
    assert not set(validation.file_paths) & set(test.file_paths)
    assert test.file_paths == test_again.file_paths and validation.file_paths == validation_again.file_paths
    folder = os.path.join(data_dir, "validation")
    every_file = {os.path.join(folder, label, name) for label in os.listdir(folder)
                  for name in os.listdir(os.path.join(folder, label))}
    assert set(validation.file_paths) | set(test.file_paths) == every_file


# --- Scripts -------------------------------------------------------------------------------------

def test_set_repo_rewrites_the_site_and_every_post(tmp_path, monkeypatch):
    """make repo REPO=fork/name: _quarto.yml and every install line name the fork at the package's
    version; the stored outputs stay as they were."""
    for name in ["_quarto.yml", "notebooks", "posts"]:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, tmp_path / name)
    set_repo = load_script("set_repo")
    monkeypatch.setattr(set_repo, "ROOT", str(tmp_path))
    monkeypatch.setattr(set_repo, "CONFIG", str(tmp_path / "_quarto.yml"))
    outputs_before = [cell.get("outputs") for cell in nbformat.read(tmp_path / "posts" / "06-test-score.ipynb", 4).cells]
    set_repo.set_repo("https://github.com/fork/name")
    expected = f"https://github.com/fork/name@v{catsdogs.__version__}"
    installs = set_repo.named_installs()
    assert len(installs) == 12 and all(found == {expected} for found in installs.values()), installs
    assert set_repo.configured_repo_url() == "https://github.com/fork/name"
    outputs_after = [cell.get("outputs") for cell in nbformat.read(tmp_path / "posts" / "06-test-score.ipynb", 4).cells]
    assert outputs_after == outputs_before


def test_the_series_runner_never_writes_back_a_failed_post(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("print('first cell ran')"),
                      nbformat.v4.new_code_cell("raise RuntimeError('this post fails')")]
    path = tmp_path / "99-failing.ipynb"
    nbformat.write(notebook, path)
    before = path.read_bytes()
    run_series = load_script("run_series")
    assert run_series.run_post(str(path), 1, 1, 0.0) is False
    assert path.read_bytes() == before, "a failed post was written back"


def test_the_series_runner_refuses_changed_code_under_the_published_version(tmp_path, monkeypatch):
    run_series = load_script("run_series")
    published = results.published()
    monkeypatch.setattr(results, "published", lambda: {**published, "package": {
        "version": catsdogs.__version__, "code_sha256": "0" * 64}})
    assert "raise __version__" in run_series.version_problem()
    monkeypatch.setattr(results, "published", lambda: {**published, "package": {
        "version": catsdogs.__version__, "code_sha256": results.package_fingerprint()}})
    assert run_series.version_problem() is None


def test_published_results_record_their_settings():
    run = json.loads(open(results.PUBLISHED_FILE).read())["run"]
    assert run["settings"] == {"epochs": config.DEFAULT_EPOCHS, "batches": 0}


def test_posts_start_tensorflow_without_its_c_plus_plus_log():
    """config.import_tensorflow_quietly hides the start-up lines a plain import prints here."""
    start_up = ("cudart_stub", "cuda_platform", "oneDNN custom operations", "cuInit")
    code = "import tensorflow as tf; tf.config.list_physical_devices(); print(tf.constant(2) + 1)"
    environment = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    plain = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment)
    quiet = subprocess.run([sys.executable, "-c", "from catsdogs import config; config.import_tensorflow_quietly(); "
                            + code], capture_output=True, text=True, env=environment)
    assert quiet.returncode == 0 and "tf.Tensor(3" in quiet.stdout, quiet.stderr[-1000:]
    assert any(line in plain.stderr for line in start_up), f"the plain import printed none of {start_up}"
    assert not any(line in quiet.stderr for line in start_up), quiet.stderr
