"""The posts themselves: the Jupytext pairs agree, each function is written once (in a post or the package),
the setup is short and installs the run's commit, and the stored outputs are those of the published run
(run/run.json): a full run of the posts' current code, without errors, whose floors hold."""

import ast
import re
import subprocess
import sys

import jupytext
import numpy as np
import pytest

from catsdogs import report
from catsdogs import results as contract
from catsdogs.config import DEFAULT_EPOCHS
from helpers import NOTEBOOKS_DIR, POST_SLUGS, POSTS_DIR, ROOT, load_notebook, load_script


def code_cells(nb):
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


def as_text(value):
    """Notebook JSON stores text either as one string or as a list of lines."""
    return value if isinstance(value, str) else "".join(value)


def stream_text(nb):
    return "".join(as_text(output.get("text", "")) for cell in code_cells(nb) for output in cell.get("outputs", [])
                   if output["output_type"] == "stream")


def test_every_post_is_a_pair():
    scripts = {path.stem for path in NOTEBOOKS_DIR.glob("*.py")}
    notebooks = {path.stem for path in POSTS_DIR.glob("*.ipynb")}
    assert scripts == notebooks == set(POST_SLUGS), (
        f"only in notebooks/: {sorted(scripts - notebooks)}; only in posts/: {sorted(notebooks - scripts)}; "
        f"expected exactly {POST_SLUGS}")


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_pair_has_equal_cells(slug):
    """notebooks/NN.py and posts/NN.ipynb hold the same cells: edit one side, then `make sync`."""
    text = jupytext.read(NOTEBOOKS_DIR / f"{slug}.py")
    stored = load_notebook(POSTS_DIR / f"{slug}.ipynb")
    text_cells = [(cell.cell_type, cell.source) for cell in text.cells]
    stored_cells = [(cell["cell_type"], cell["source"]) for cell in stored["cells"]]
    assert len(text_cells) == len(stored_cells), f"{slug}: {len(text_cells)} cells in .py, {len(stored_cells)} in .ipynb"
    for index, (a, b) in enumerate(zip(text_cells, stored_cells)):
        assert a == b, f"{slug}: cell {index} differs between notebooks/{slug}.py and posts/{slug}.ipynb; run make sync"


def functions_by_place():
    """{function name: [places]} for every top-level function of the posts' text form and the package."""
    found = {}
    sources = [(f"notebooks/{slug}.py", NOTEBOOKS_DIR / f"{slug}.py") for slug in POST_SLUGS]
    sources += [(f"catsdogs/{path.name}", path) for path in sorted((ROOT / "catsdogs").glob("*.py"))]
    for place, path in sources:
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found.setdefault(node.name, []).append(place)
    return found


def test_each_function_is_defined_once():
    """A function's code exists in one place: a post's own function in that post, a shared one in catsdogs/."""
    repeated = {name: places for name, places in functions_by_place().items() if len(places) > 1}
    assert not repeated, f"functions defined in more than one place: {repeated}"


def test_posts_use_the_package():
    """The shared code is imported from the package, and the posts call what post 01 explains."""
    for slug in POST_SLUGS:
        text = (NOTEBOOKS_DIR / f"{slug}.py").read_text()
        assert re.search(r"^from catsdogs import ", text, re.M), f"{slug} does not import the catsdogs package"
    later = "".join((NOTEBOOKS_DIR / f"{slug}.py").read_text() for slug in POST_SLUGS[1:])
    assert "data.load_data()" in later


def setup_cell(slug):
    """The first code cell of a post: the setup a reader sees before the post's own idea."""
    return next(cell for cell in jupytext.read(NOTEBOOKS_DIR / f"{slug}.py").cells if cell.cell_type == "code")


SETUP_LINES = 4  # the install that runs only in Colab, then the imports


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_setup_is_short(slug):
    """Every post starts with at most SETUP_LINES lines of code: the Colab-only install and the imports."""
    lines = [line for line in setup_cell(slug).source.splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) <= SETUP_LINES, f"{slug}: {len(lines)} lines of setup:\n" + "\n".join(lines)
    assert 'if "google.colab" in sys.modules:' in setup_cell(slug).source, f"{slug}: the install must run in Colab only"


def test_posts_install_the_package_at_the_run_s_commit():
    """Colab readers install exactly the code that produced the outputs: every post's install line
    names the repository of _quarto.yml and the commit run/run.json records, a commit of main's
    history (make series moves it)."""
    set_repo = load_script("set_repo")
    installs = set_repo.named_installs()
    assert len(installs) == 2 * len(POST_SLUGS) and all(len(found) == 1 for found in installs.values()), installs
    named = set.union(*installs.values())
    assert named == {(set_repo.configured_repo_url(), RUN["commit"])}, (
        f"the posts install {sorted(named)}; the run ran at {RUN['commit']} (run/run.json)")
    ancestor = subprocess.run(["git", "merge-base", "--is-ancestor", RUN["commit"], "HEAD"], cwd=ROOT,
                              capture_output=True, text=True)
    assert ancestor.returncode == 0, f"the run's commit {RUN['commit']} is not in this branch's history: {ancestor.stderr}"


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_post_code_is_the_code_that_ran(slug):
    """A post whose code changed since the run shows outputs of other code: run the series again
    (make series). Its prose may change freely; so may the package, whose run commit readers install."""
    run_series = load_script("run_series")
    notebook = jupytext.read(NOTEBOOKS_DIR / f"{slug}.py")
    assert slug in RUN["posts"], f"{slug} is not in the published run (run/run.json): run the series (make series)"
    assert run_series.code_fingerprint(notebook) == RUN["posts"][slug]["code_sha256"], (
        f"{slug}: its code changed since the published run; run the series again (make series)")


def test_package_declares_no_dependencies():
    """Installing the package in Colab must never replace Colab's TensorFlow, Keras or NumPy."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == [], project["dependencies"]


# --- The published run (run/run.json, written by make series) --------------------------------------

RUN = contract.read_run_file(ROOT / contract.RUN_FILE_IN_REPOSITORY)
RECORDS = {name: contract.from_json(data) for name, data in RUN["records"].items()}


def test_the_published_run_is_a_full_run_of_every_post():
    assert RUN["settings"] == contract.FULL_RUN, f"the published run is not a full run: {RUN['settings']}"
    assert list(RUN["posts"]) == list(POST_SLUGS), f"the run ran {list(RUN['posts'])}, the series is {POST_SLUGS}"
    for model, post in contract.MODEL_POSTS.items():
        assert model in RUN["posts"][post]["records"], f"{post} recorded no {model}"
        assert len(RECORDS[model].val_accuracy) == DEFAULT_EPOCHS, f"{model}: no full history published"
    for model in ["model1", "model2", "model3"]:
        assert len(RECORDS[contract.seeds_name(model)].val_accuracy) >= 3, f"{model}: fewer than 3 seeds published"


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_stored_outputs_are_the_run_s(slug):
    """The stored post carries exactly the records the run home holds for it, ran top to bottom once,
    without errors."""
    nb = load_notebook(POSTS_DIR / f"{slug}.ipynb")
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", f"{slug}: no python3 kernelspec"
    stored = contract.records_in_notebook(nb)
    assert stored == {name: RECORDS[name] for name in RUN["posts"][slug]["records"]}, (
        f"{slug}: its stored records differ from run/run.json; run the series again (make series)")
    cells = code_cells(nb)
    assert any(cell.get("outputs") for cell in cells), f"{slug}: no outputs stored"
    errors = [output.get("ename") for cell in cells for output in cell.get("outputs", [])
              if output["output_type"] == "error"]
    assert not errors, f"{slug}: error outputs stored: {errors}"
    counts = [cell.get("execution_count") for cell in cells if cell["source"].strip()]
    assert counts == list(range(1, len(counts) + 1)), f"{slug}: cells were not run once, top to bottom: {counts}"


# The keys Jupyter and Jupytext write into a notebook's metadata; the run's facts (when, where, how
# long) live in run/run.json only, and an older runner's copy of them in the posts went stale.
NOTEBOOK_METADATA = {"jupytext", "kernelspec", "language_info"}


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_a_post_s_metadata_copies_nothing_of_the_run(slug):
    metadata = load_notebook(POSTS_DIR / f"{slug}.ipynb")["metadata"]
    assert set(metadata) <= NOTEBOOK_METADATA, (
        f"{slug}: notebook metadata {sorted(set(metadata) - NOTEBOOK_METADATA)} is not Jupyter's or "
        "Jupytext's; what a run produced belongs in run/run.json")


def test_floors_cover_the_trained_models():
    assert set(contract.FLOORS) == set(contract.MODEL_POSTS)


@pytest.mark.parametrize("name", list(contract.FLOORS))
def test_floor_holds_in_the_published_history(name):
    """The published history of each model has the numbers of its post's printed Keras log, the
    summary shown with it is the one report.summarize writes from it, and the floor holds."""
    history = RECORDS[name]
    nb = load_notebook(POSTS_DIR / f"{contract.MODEL_POSTS[name]}.ipynb")
    logged = [float(value) / 100 for value in re.findall(r"^epoch +\d+/\d+ .* val +([0-9.]+)%", stream_text(nb), re.M)]
    assert np.allclose(logged[:DEFAULT_EPOCHS], history.val_accuracy, atol=5e-4), (
        f"{name}: the stored history does not match the printed training log")
    shown = next(as_text(output["data"]["text/markdown"]) for cell in code_cells(nb) for output in cell.get("outputs", [])
                 if name in output.get("metadata", {}).get(contract.METADATA_KEY, {}))
    summary = report.summarize(name, history, baseline_accuracy=0.5)
    assert shown.startswith(summary.text.split("\n\n")[0]), f"{name}: the summary shown is not the one of its record"
    assert summary.validation >= contract.FLOORS[name], (
        f"{name}: validation accuracy {summary.validation:.1%} is below the floor {contract.FLOORS[name]:.0%}")


def test_the_published_test_score_is_of_post_05_s_model():
    """The published test score covers the 200 test photos and is that of post 05's model4, not of
    one a later post had to train."""
    test = RECORDS[contract.TEST]
    assert test.images == 200, f"the test score covers {test.images} images, not the 200 of the test split"
    assert test.model == contract.SAVED_MODEL4, f"the test score is of a model4 {test.model!r}"
    assert 0.5 < test.accuracy <= 1.0 and test.correct == round(test.accuracy * test.images)


def test_the_results_table_is_made_from_the_run():
    table = subprocess.run([sys.executable, str(ROOT / "scripts" / "results.py")], capture_output=True, text=True)
    assert table.returncode == 0, table.stderr
    assert f"{RECORDS[contract.TEST].accuracy:.1%}" in table.stdout and RUN["commit"][:7] in table.stdout


CODE_LINE_LENGTH = 88  # what fits a post's code column on the blog without scrolling


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_code_lines_fit_the_column(slug):
    """(The Colab install line, folded away in the setup cell, names a 40-character commit: it is
    the one line allowed to be longer.)"""
    long_lines = [line for cell in jupytext.read(NOTEBOOKS_DIR / f"{slug}.py").cells if cell.cell_type == "code"
                  for line in cell.source.splitlines() if len(line) > CODE_LINE_LENGTH and "git+https://" not in line]
    assert not long_lines, f"{slug}: code lines over {CODE_LINE_LENGTH} characters:\n" + "\n".join(long_lines)


# One idea per page (keras-io): a post's lesson, before "What you learned", stays short.
MAX_LESSON_WORDS = 2500
MAX_CODE_LINES = 350


def lesson_size(slug):
    """(words of prose, lines of code) of a post before its "## What you learned" heading; link
    targets, comments and blank lines do not count."""
    words = code = 0
    for cell in jupytext.read(NOTEBOOKS_DIR / f"{slug}.py").cells:
        if cell.cell_type == "markdown" and re.search(r"^## What you learned", cell.source, re.M):
            break
        if cell.cell_type == "markdown":
            prose = re.sub(r"\]\([^)]*\)", "]", cell.source)
            words += len(re.findall(r"[A-Za-z0-9][\w'’.-]*", prose))
        elif cell.cell_type == "code":
            code += sum(1 for line in cell.source.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return words, code


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_a_post_teaches_one_idea_at_a_readable_length(slug):
    words, code = lesson_size(slug)
    assert words <= MAX_LESSON_WORDS and code <= MAX_CODE_LINES, (
        f"{slug}: {words} words of lesson prose (at most {MAX_LESSON_WORDS}) and {code} lines of code "
        f"(at most {MAX_CODE_LINES}): split the post")
