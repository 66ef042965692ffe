"""Unit tests of the package's rules: settings read when used, the records of a run (one writer,
one reader), the summaries and verdicts, fine-tuning's frozen batch normalisation, the disjoint
split, the install lines' rewrite and the series runner. They need TensorFlow but no browser, and run on every stack (make compat)."""

import json
import os
import shutil
import subprocess
import sys
import types

import nbformat
import pytest

from catsdogs import config, report, results
from catsdogs.errors import CatsDogsError
from helpers import POST_SLUGS, ROOT, load_script

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


def test_the_results_need_no_tensorflow():
    """The site's build reads the run's records with catsdogs.results: without starting TensorFlow."""
    run = subprocess.run([sys.executable, "-c", "import sys, catsdogs.results, catsdogs.stats; "
                          "print(sorted(name for name in sys.modules if name.split('.')[0] in ('tensorflow', 'keras')))"],
                         capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip() == "[]", run.stdout + run.stderr[-2000:]


@pytest.mark.slow
def test_importing_the_package_changes_nothing_process_wide():
    """Warning filters and TensorFlow's log level are the same before and after importing every module."""
    code = (
        "import logging, warnings\n"
        "import tensorflow\n"
        "before = (list(warnings.filters), logging.getLogger('tensorflow').level)\n"
        "import importlib, pkgutil, catsdogs\n"
        "for module in pkgutil.iter_modules(catsdogs.__path__):\n"
        "    importlib.import_module(f'catsdogs.{module.name}')\n"
        "after = (list(warnings.filters), logging.getLogger('tensorflow').level)\n"
        "assert before == after, (before, after)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


# --- The records of a run: one writer, one reader ----------------------------------------------

def history(val_accuracy, settings=None, fine_tune_from=None):
    """A History with these validation accuracies (the other metrics are copies: not read here)."""
    return results.History(accuracy=list(val_accuracy), val_accuracy=list(val_accuracy), loss=list(val_accuracy),
                           val_loss=list(val_accuracy), settings=settings or dict(results.FULL_RUN),
                           fine_tune_from=fine_tune_from)


def test_settled_accuracy_is_the_mean_of_the_last_window():
    run = history([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
    assert results.counted_epochs(run) == [0.3, 0.4, 0.5, 0.6, 0.7]
    assert results.settled_accuracy(run) == pytest.approx(0.5)


def test_a_fine_tuned_run_counts_only_fine_tuning_epochs():
    """A short run (1 epoch of head training, 1 of fine-tuning) must not mix the head's epoch in."""
    assert results.counted_epochs(history([0.9]).followed_by(history([0.95]))) == [0.95]
    full = history([0.5] * 20).followed_by(history([0.9] * 5))
    assert full.fine_tune_from == 20 and results.settled_accuracy(full) == pytest.approx(0.9)


def test_runs_trained_with_other_settings_are_not_joined():
    with pytest.raises(CatsDogsError, match="other settings"):
        history([0.9]).followed_by(history([0.95], settings={"epochs": 1, "batches": 3}))


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("CATS_DOGS_EPOCHS", "20")
    monkeypatch.delenv("CATS_DOGS_BATCHES", raising=False)
    monkeypatch.setattr(results, "_published", {"run": {}})  # no published run unless a test sets one
    return tmp_path


def recorded_outputs(monkeypatch):
    """Calls of results.record become notebook outputs here: (list it fills, notebook of them)."""
    import IPython.display

    outputs = []
    monkeypatch.setattr(IPython.display, "display", lambda shown, metadata: outputs.append(
        nbformat.v4.new_output("display_data", data={"text/markdown": str(shown)}, metadata=metadata)))
    return outputs


RECORDS = {
    "model1": history([0.7, 0.75, 0.8]),
    "model1 seeds": results.SeedRuns(seeds=[42, 1, 2], val_accuracy=[0.78, 0.76, 0.77], settings=dict(results.FULL_RUN)),
    results.FINE_TUNED: history([0.9, 0.95]).followed_by(history([0.97])),
    results.TEST: results.TestScore(accuracy=0.94, correct=188, images=200, model=results.SAVED_MODEL4),
}


def test_every_reader_reads_back_what_the_writer_stored(empty_cache, monkeypatch):
    """results.record is the one writer; the notebook, this machine's cache and the published run
    (as run/run.json stores the records) each give back exactly the records written."""
    outputs = recorded_outputs(monkeypatch)
    for name, record in RECORDS.items():
        results.record(name, record, shown=f"shown: {name}")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("...", outputs=outputs)])
    assert results.records_in_notebook(json.loads(nbformat.writes(notebook))) == RECORDS
    assert {name: results.machine_record(name) for name in RECORDS} == RECORDS
    stored = {"records": {name: results.as_json(record) for name, record in RECORDS.items()}}
    monkeypatch.setattr(results, "_published", {"run": json.loads(json.dumps(stored))})
    assert {name: results.published_record(name) for name in RECORDS} == RECORDS


def test_a_later_output_overrides_an_earlier_one():
    def output(record):
        return nbformat.v4.new_output("display_data", data={"text/plain": "x"},
                                      metadata={results.METADATA_KEY: {"model1": results.as_json(record)}})
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("a", outputs=[output(history([0.5]))]),
                                               nbformat.v4.new_code_cell("b", outputs=[output(history([0.7]))])])
    assert results.records_in_notebook(notebook) == {"model1": history([0.7])}


@pytest.mark.slow
def test_settings_are_captured_when_training_starts(empty_cache, monkeypatch):
    """A reader who sets CATS_DOGS_EPOCHS between training and recording: the record keeps the
    settings the model was trained with, and comparisons use those."""
    import keras
    import numpy as np
    import tensorflow as tf

    from catsdogs import models

    monkeypatch.setenv("CATS_DOGS_EPOCHS", "2")
    images = np.random.default_rng(0).uniform(0, 255, (8, 4, 4, 3)).astype("float32")
    pairs = tf.data.Dataset.from_tensor_slices((images, np.array([0, 1] * 4))).batch(4)
    model = keras.Sequential([keras.Input(shape=(4, 4, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])
    trained = models.train(model, pairs, pairs)
    monkeypatch.setenv("CATS_DOGS_EPOCHS", "5")  # as the README invites, in a running notebook
    recorded_outputs(monkeypatch)
    results.record("model2", trained, shown="summary")
    assert len(trained.val_accuracy) == 2
    assert results.machine_record("model2").settings == {"epochs": 2, "batches": 0}
    shown = []
    monkeypatch.setattr(report, "display", lambda markdown, **_: shown.append(markdown.data))
    report.compare_with_earlier_models("model2", trained)
    assert "this run with 2 epochs, all data" in shown[0] or "model1: not run yet" in shown[0], shown[0]


def test_runs_of_prefers_this_machine_with_the_same_settings(empty_cache, monkeypatch):
    published = results.SeedRuns(seeds=[42, 1, 2], val_accuracy=[0.7, 0.71, 0.72], settings=dict(results.FULL_RUN))
    monkeypatch.setattr(results, "_published", {"run": {"records": {"model1 seeds": results.as_json(published)}}})
    assert results.runs_of("model1") == ([0.7, 0.71, 0.72], "the published run", results.FULL_RUN)
    recorded_outputs(monkeypatch)
    ours = results.SeedRuns(seeds=[42, 1], val_accuracy=[0.61, 0.62], settings=dict(results.FULL_RUN))
    results.record("model1 seeds", ours, shown="table")
    assert results.runs_of("model1") == ([0.61, 0.62], "this machine, post 02", results.FULL_RUN)
    # the same saved runs, but this run has other settings: the published run (same settings) is used
    monkeypatch.setenv("CATS_DOGS_BATCHES", "3")
    assert results.runs_of("model1") == ([0.7, 0.71, 0.72], "the published run", results.FULL_RUN)


def test_the_fine_tuned_history_comes_from_post_05(empty_cache, monkeypatch):
    assert results.history_of(results.FINE_TUNED) == (None, "not run yet: run post 05 first")
    recorded_outputs(monkeypatch)
    results.record(results.FINE_TUNED, RECORDS[results.FINE_TUNED], shown="summary")
    assert results.history_of(results.FINE_TUNED) == (RECORDS[results.FINE_TUNED], "this machine, post 05")


def test_the_published_run_offline_says_so(empty_cache, monkeypatch, capsys):
    """In Colab (no clone around the package) the published run is downloaded; without a network
    the reader is told what happened, and the tables go on with this machine's runs."""
    monkeypatch.setattr(results, "_published", {})
    monkeypatch.setattr(results, "repository_run_file", lambda: None)
    monkeypatch.setattr(results, "installed_from", lambda: ("https://github.com/owner/name", "0" * 40))

    def no_network(url, timeout):
        raise OSError("Network is unreachable")
    monkeypatch.setattr(results.urllib.request, "urlopen", no_network)
    assert results.published_run() == {}
    said = capsys.readouterr().out
    assert "https://raw.githubusercontent.com/owner/name/main/run/run.json" in said and "Network is unreachable" in said


def test_describe_settings():
    assert results.describe_settings({"epochs": 20, "batches": 0}) == "20 epochs, all data"
    assert results.describe_settings({"epochs": 1, "batches": 3}) == "1 epoch, 3 batches of each split"


# --- Summaries and verdicts --------------------------------------------------------------------

def test_summarize_returns_its_numbers():
    run = results.History(accuracy=[0.5] * 15 + [0.99] * 5, val_accuracy=[0.5] * 15 + [0.76, 0.78, 0.77, 0.79, 0.8],
                          loss=[0.0] * 20, val_loss=[0.0] * 20, settings=dict(results.FULL_RUN))
    summary = report.summarize("model1", run, 0.5)
    assert (summary.counted, summary.lowest, summary.highest) == (5, 0.76, 0.8)
    assert summary.validation == pytest.approx(0.78) and summary.gap == pytest.approx(0.21)
    assert summary.gain == pytest.approx(0.28) and summary.gap > report.OVERFITS_CLEARLY
    assert "model1 overfits clearly" in summary.text and "(mean 78.0%)" in summary.text


@pytest.mark.parametrize("ours, theirs, said", [
    ([0.80, 0.81, 0.82], [0.76, 0.77, 0.78], "every run of model2 is above every run of model1; if the two models "
                                             "were equally good, the runs of one would all lie above those of the other "
                                             "(either way round) by chance with probability 0.10 (3 runs against 3)"),
    ([0.70, 0.71], [0.76, 0.77, 0.78], "every run of model2 is below every run of model1; if the two models were "
                                       "equally good, the runs of one would all lie above those of the other "
                                       "(either way round) by chance with probability 0.20 (2 runs against 3)"),
    ([0.78, 0.80, 0.81], [0.77, 0.79, 0.80], "the runs of the two models overlap"),
    ([0.80], [0.79], "with one run of each we cannot tell"),
    ([0.98], [0.76, 0.77, 0.78], "one model has a single run, so the order of the runs says little: set the "
                                 "difference against the 2.00-point spread between model1's 3 seeds"),
    ([0.76, 0.80, 0.77], [0.98], "the 4.00-point spread between model2's 3 seeds"),
])
def test_verdict(ours, theirs, said):
    assert said in report.verdict("model2", ours, "model1", theirs)


def test_the_variants_sentences_use_the_numbers_the_table_shows():
    # 71.84 % and 76.16 % show as 71.8 % and 76.2 %: the sentence must say -4.4, not -4.3.
    seeds = types.SimpleNamespace(val_accuracy=[0.77, 0.78], settings={"epochs": 20})
    rows = [("model1", 1000, 0.7616, 60), ("no batch normalisation", 900, 0.7184, 50)]
    text = report.variants_table(rows, seeds, 10).data
    assert "| 76.2% |" in text and "| 71.8% |" in text
    assert "no batch normalisation: -4.4 points against model1's design" in text


def test_chance_of_no_overlap_counts_the_orders():
    """With every order of 3 + 3 runs equally likely, 2 of the C(6, 3) = 20 ways to pick the first
    model's places put all its runs above or all below."""
    assert results.chance_of_no_overlap([1, 2, 3], [4, 5, 6]) == pytest.approx(0.1)
    assert results.chance_of_no_overlap([1], [2]) == pytest.approx(1.0)


def test_no_verdict_against_runs_with_other_settings(empty_cache, monkeypatch):
    """A reader's short run is not judged against the published full run."""
    published = results.SeedRuns(seeds=[42, 1, 2], val_accuracy=[0.7, 0.71, 0.72], settings=dict(results.FULL_RUN))
    monkeypatch.setattr(results, "_published", {"run": {"records": {"model1 seeds": results.as_json(published)}}})
    shown = []
    monkeypatch.setattr(report, "display", lambda markdown, **_: shown.append(markdown.data))
    short = results.SeedRuns(seeds=[42, 1, 2], val_accuracy=[0.99] * 3, settings={"epochs": 1, "batches": 0})
    report.compare_with_earlier_models("model2", short)
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


@pytest.mark.slow
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


def test_the_readability_check_decodes_again_only_files_that_changed(tmp_path, monkeypatch):
    """load_splits's check (data.check_once) decodes a folder once; it decodes again, and stops,
    when a file was added or rewritten, and a folder that failed is never taken as checked; the same
    folder reached through a link counts as checked."""
    from PIL import Image

    from catsdogs import data

    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    folder = tmp_path / "photos"
    for split in ["train", "validation"]:
        for label in ["cats", "dogs"]:
            (folder / split / label).mkdir(parents=True)
            Image.new("RGB", (8, 8), "gray").save(folder / split / label / f"{label}.0.jpg")
    decoded = []
    find_unreadable = data.find_unreadable_images
    monkeypatch.setattr(data, "find_unreadable_images", lambda data_dir: decoded.append(data_dir) or find_unreadable(data_dir))

    data.check_once(folder)
    data.check_once(folder)
    assert len(decoded) == 1, f"an unchanged folder was decoded {len(decoded)} times"
    broken = folder / "train" / "cats" / "cat.1.jpg"
    broken.write_text("not a JPEG")
    for _ in range(2):  # a folder that failed is not remembered as checked
        with pytest.raises(CatsDogsError, match="cannot be decoded") as stop:
            data.check_once(folder)
        assert str(broken) in str(stop.value)
    assert len(decoded) == 3
    Image.new("RGB", (8, 8), "white").save(broken)
    data.check_once(folder)
    assert len(decoded) == 4
    link = tmp_path / "link-to-photos"  # the same files through a link (as the tests' Keras caches link the photos)
    link.symlink_to(folder, target_is_directory=True)
    data.check_once(link)
    assert len(decoded) == 4, "the same files, reached through a link, were decoded again"
    rewritten = folder / "validation" / "dogs" / "dogs.0.jpg"
    rewritten.write_bytes(rewritten.read_bytes()[:50])
    with pytest.raises(CatsDogsError, match="cannot be decoded"):
        data.check_once(folder)


# --- Scripts -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_staging_a_damaged_archive_stops_with_its_message_alone(tmp_path):
    """make test first stages and checks the photos (scripts/stage_keras_cache.py --extract): a
    damaged archive stops it with the package's message, which says what to do, without a stack trace."""
    archive = config.archive_path()  # the test cache's, which make test staged
    half = tmp_path / "half.zip"
    half.write_bytes(open(archive, "rb").read()[: os.path.getsize(archive) // 2])
    staged = subprocess.run([sys.executable, str(ROOT / "scripts" / "stage_keras_cache.py"), str(tmp_path / "keras"),
                             "--archive", str(half), "--extract"], capture_output=True, text=True, timeout=300)
    assert staged.returncode == 1, staged.returncode
    assert "is damaged or incomplete" in staged.stderr and "rm " in staged.stderr, staged.stderr[-2000:]
    assert "Traceback" not in staged.stderr, staged.stderr[-2000:]


def test_set_repo_rewrites_the_site_and_every_post(tmp_path, monkeypatch):
    """make repo REPO=fork/name: _quarto.yml and every install line name the fork, at the commit
    they named before; the stored outputs stay as they were."""
    for name in ["_quarto.yml", "notebooks", "posts"]:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, tmp_path / name)
    set_repo = load_script("set_repo")
    monkeypatch.setattr(set_repo, "ROOT", str(tmp_path))
    monkeypatch.setattr(set_repo, "CONFIG", str(tmp_path / "_quarto.yml"))
    commits = {commit for installs in set_repo.named_installs().values() for _, commit in installs}
    post = tmp_path / "posts" / f"{POST_SLUGS[-1]}.ipynb"
    outputs_before = [cell.get("outputs") for cell in nbformat.read(post, 4).cells]
    set_repo.set_repo("https://github.com/fork/name")
    installs = set_repo.named_installs()
    assert len(installs) == 2 * len(POST_SLUGS), installs
    assert all(found == {("https://github.com/fork/name", commit)} for found in installs.values() for commit in commits)
    assert set_repo.configured_repo_url() == "https://github.com/fork/name"
    assert [cell.get("outputs") for cell in nbformat.read(post, 4).cells] == outputs_before


@pytest.mark.slow
def test_the_series_runner_never_writes_back_a_failed_post(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("print('first cell ran')"),
                      nbformat.v4.new_code_cell("raise RuntimeError('this post fails')")]
    path = tmp_path / "99-failing.ipynb"
    nbformat.write(notebook, path)
    before = path.read_bytes()
    run_series = load_script("run_series")
    assert run_series.run_post(str(path), 1, 1, 0.0) is None
    assert path.read_bytes() == before, "a failed post was written back"


def test_the_series_runner_refuses_uncommitted_changes(monkeypatch):
    """The run records the commit it ran at and the posts install that commit: a change that is not
    committed would be in the outputs but not in what a reader installs."""
    run_series = load_script("run_series")
    monkeypatch.setattr(run_series, "uncommitted_changes", lambda: " M catsdogs/report.py")
    monkeypatch.setattr(run_series, "run_post", lambda *_: pytest.fail("a post ran on an uncommitted tree"))
    monkeypatch.setattr(sys, "argv", ["run_series.py"])
    with pytest.raises(SystemExit, match="commit \\(or stash\\) these changes first:\n M catsdogs/report.py"):
        run_series.main()


def test_a_post_is_stale_only_when_its_code_changes():
    run_series = load_script("run_series")
    post = nbformat.read(ROOT / "posts" / f"{POST_SLUGS[0]}.ipynb", 4)
    fingerprint = run_series.code_fingerprint(post)
    prose = next(cell for cell in post.cells if cell.cell_type == "markdown")
    prose.source += "\nA new sentence."
    for cell in post.cells:  # another repository and commit in the install line
        cell.source = run_series.set_repo.INSTALL_URL.sub("git+https://github.com/fork/name@" + "1" * 40, cell.source)
    assert run_series.code_fingerprint(post) == fingerprint
    next(cell for cell in post.cells if cell.cell_type == "code").source += "\nprint('new')"
    assert run_series.code_fingerprint(post) != fingerprint


def test_the_run_home_holds_the_records_the_posts_show(tmp_path, monkeypatch):
    """write_run_home reads every record from the stored posts and writes them, with the run's
    facts, into run/run.json, where results.read_run_file gives them back unchanged."""
    run_series = load_script("run_series")
    posts = []
    for number, (name, record) in enumerate(RECORDS.items(), 1):
        output = nbformat.v4.new_output("display_data", data={"text/plain": name},
                                        metadata={results.METADATA_KEY: {name: results.as_json(record)}})
        path = tmp_path / "posts" / f"0{number}-post.ipynb"
        path.parent.mkdir(exist_ok=True)
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[output])]), path)
        posts.append(str(path))
    export = tmp_path / "export"
    export.mkdir()
    for name in run_series.EXPORTED_FILES:
        (export / name).write_text(name)
    monkeypatch.setattr(run_series, "POSTS", posts)
    monkeypatch.setattr(run_series, "RUN_DIR", str(tmp_path / "run"))
    monkeypatch.setattr(run_series, "RUN_FILE", str(tmp_path / "run" / "run.json"))
    (tmp_path / "run").mkdir()
    run_series.write_run_home("a" * 40, "2026-12-05 10:00", {path: 60.0 for path in posts}, str(export))
    run = results.read_run_file(tmp_path / "run" / "run.json")
    assert {name: results.from_json(data) for name, data in run["records"].items()} == RECORDS
    assert run["commit"] == "a" * 40 and run["wall_time_s"] == 60.0 * len(posts)
    assert {"python", "tensorflow", "keras", "machine", "settings"} <= set(run)
    assert (tmp_path / "run" / "model4.onnx").read_text() == "model4.onnx"


@pytest.mark.slow
def test_posts_start_tensorflow_without_its_c_plus_plus_log():
    """Importing the package's TensorFlow modules (config.import_tensorflow_quietly) hides the start-up
    lines a plain import prints here."""
    start_up = ("cudart_stub", "cuda_platform", "oneDNN custom operations", "cuInit")
    code = "import tensorflow as tf; tf.config.list_physical_devices(); print(tf.constant(2) + 1)"
    environment = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    plain = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment)
    quiet = subprocess.run([sys.executable, "-c", "from catsdogs import data; " + code],  # as the posts start
                           capture_output=True, text=True, env=environment)
    assert quiet.returncode == 0 and "tf.Tensor(3" in quiet.stdout, quiet.stderr[-1000:]
    assert any(line in plain.stderr for line in start_up), f"the plain import printed none of {start_up}"
    assert not any(line in quiet.stderr for line in start_up), quiet.stderr


def test_a_file_tensorflow_cannot_decode_is_named_with_tensorflow_s_reason(tmp_path):
    """classify's message passes on TensorFlow's reason, without the graph node and operation
    names around it."""
    import tensorflow as tf

    from catsdogs import photos

    text_file = tmp_path / "not-a-photo.jpg"
    text_file.write_text("This is a text file with a .jpg name.")
    with pytest.raises(tf.errors.OpError) as raised:
        photos.load_photo(str(text_file))
    reason = photos.decoding_problem(raised.value)
    assert reason and reason in raised.value.message, (reason, raised.value.message)
    assert "{{" not in reason and "[Op:" not in reason, reason
