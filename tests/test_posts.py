"""The posts themselves: the Jupytext pairs agree, each function is written once (in a post or the package),
the stored outputs come from a full run without errors, and the floors hold in them."""

import ast
import re
import subprocess
import sys

import jupytext
import numpy as np
import pytest

import catsdogs
from catsdogs import results as contract
from catsdogs.config import DEFAULT_EPOCHS
from helpers import NOTEBOOKS_DIR, POST_SLUGS, POSTS_DIR, ROOT, load_notebook

# The post that trains each model whose floor catsdogs.results.FLOORS sets.
FLOOR_POSTS = {"model1": "02-model1-cnn", "model2": "03-model2-augmentation",
               "model3": "04-model3-preprocessing", "model4": "05-model4-transfer-learning"}


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


@pytest.mark.parametrize("slug", POST_SLUGS[1:])
def test_setup_is_short(slug):
    """Posts 02-06 start with at most 15 visible lines of setup: the Colab-only install, the imports, the data."""
    lines = [line for line in setup_cell(slug).source.splitlines() if line.strip()]
    assert len(lines) <= 15, f"{slug}: {len(lines)} lines of setup:\n" + "\n".join(lines)
    assert 'if "google.colab" in sys.modules:' in setup_cell(slug).source, f"{slug}: the install must run in Colab only"


def test_install_lines_name_the_configured_repository():
    """Colab installs the package from the repository that _quarto.yml's repo-url names (make repo changes both)."""
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "set_repo.py"), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr + check.stdout
    texts = [(NOTEBOOKS_DIR / f"{slug}.py").read_text() for slug in POST_SLUGS]
    assert all('"git+https://github.com/' in text for text in texts), "a post has no install line"


def test_setup_without_the_package_says_how_to_install_it(tmp_path):
    """Run post 02's setup cell where catsdogs cannot be imported: a message, not a bare ModuleNotFoundError."""
    script = tmp_path / "setup.py"
    script.write_text(setup_cell("02-model1-cnn").source)
    # -S: no site-packages (so no catsdogs), -I: isolated from this checkout and the environment.
    run = subprocess.run([sys.executable, "-S", "-I", str(script)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert "needs the series' helper package: pip install git+https://github.com/" in run.stderr, run.stderr


def test_package_declares_no_dependencies():
    """Installing the package in Colab must never replace Colab's TensorFlow, Keras or NumPy."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == [], project["dependencies"]


def test_published_results_ship_with_the_package():
    """Posts compare with the published run in a fresh Colab runtime: the package carries its numbers."""
    published = contract.published()["results"]
    for name in ["model1", "model2", "model3", "model4", "model4 fine-tuned"]:
        assert len(published[name]["val_accuracy"]) >= DEFAULT_EPOCHS, f"{name}: no full history published"
    for name in ["model1", "model2", "model3"]:
        assert len(published[f"{name} seeds"]["val_accuracy"]) >= 3, f"{name}: fewer than 3 seeds published"
    assert published["test"]["images"] == 200


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_stored_outputs_are_a_clean_full_run(slug):
    nb = load_notebook(POSTS_DIR / f"{slug}.ipynb")
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", f"{slug}: no python3 kernelspec"
    run = nb["metadata"].get(contract.RUN_KEY, {})
    assert run.get("mode") == "full", f"{slug}: stored outputs are not from a full run by make series ({run})"
    cells = code_cells(nb)
    assert any(cell.get("outputs") for cell in cells), f"{slug}: no outputs stored"
    errors = [output.get("ename") for cell in cells for output in cell.get("outputs", [])
              if output["output_type"] == "error"]
    assert not errors, f"{slug}: error outputs stored: {errors}"
    counts = [cell.get("execution_count") for cell in cells if cell["source"].strip()]
    assert counts == list(range(1, len(counts) + 1)), f"{slug}: cells were not run once, top to bottom: {counts}"


def test_floors_cover_the_trained_models():
    assert set(contract.FLOORS) == set(FLOOR_POSTS)


@pytest.mark.parametrize("name", list(contract.FLOORS))
def test_floor_holds_in_stored_history(name):
    """The stored history of each model: 20 epochs, the same numbers as the printed Keras log,
    the printed bold statement matches it, and the floor holds."""
    floor = contract.FLOORS[name]
    nb = load_notebook(POSTS_DIR / f"{FLOOR_POSTS[name]}.ipynb")
    history = contract.results_in_notebook(nb)[name]
    assert len(history["val_accuracy"]) == DEFAULT_EPOCHS, f"{name}: {len(history['val_accuracy'])} epochs stored"
    logged = [float(value) / 100 for value in re.findall(r"^epoch +\d+/\d+ .* val +([0-9.]+)%", stream_text(nb), re.M)]
    assert np.allclose(logged[:DEFAULT_EPOCHS], history["val_accuracy"], atol=5e-4), (
        f"{name}: the stored history does not match the printed training log")
    last5 = np.array(contract.counted_epochs(history))
    low, high = f"{last5.min():.1%}", f"{last5.max():.1%}"
    statement = (f"stayed at {low}" if low == high else f"between {low} and {high}") + f" (mean {last5.mean():.1%})"
    markdown = "".join(as_text(output.get("data", {}).get("text/markdown", "")) for cell in code_cells(nb)
                       for output in cell.get("outputs", []))
    assert statement in markdown, f"{name}: the printed statement does not say '{statement}'"
    assert last5.mean() >= floor, f"{name}: validation accuracy {last5.mean():.1%} is below the floor {floor:.0%}"


def test_test_score_is_stored():
    nb = load_notebook(POSTS_DIR / "06-test-score.ipynb")
    test = contract.results_in_notebook(nb)["test"]
    assert test["images"] == 200, f"the test score covers {test['images']} images, not the 200 of the test split"
    assert 0.5 < test["accuracy"] <= 1.0


def test_readme_table_matches_stored_outputs():
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "results.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr + check.stdout


def test_post_06_scored_the_model_post_05_saved():
    """The published test score is that of post 05's model4, not of one post 06 had to train."""
    test = contract.results_in_notebook(load_notebook(POSTS_DIR / "06-test-score.ipynb"))[contract.TEST_RESULT]
    assert test.get("model") == contract.SAVED_MODEL4, f"post 06 scored a model4 {test.get('model')!r}"


def test_posts_install_the_package_version_that_produced_their_outputs():
    """Colab readers install the tag of the package version (`@vX.Y.Z`) that produced the stored
    outputs: every post names the same ref, it is the package's version, and the published
    results were produced by exactly this code (its fingerprint) under this version."""
    refs = {match for slug in POST_SLUGS
            for match in re.findall(r'git\+https://github\.com/[\w.-]+/[\w.-]+?@([\w.-]+)"',
                                    (NOTEBOOKS_DIR / f"{slug}.py").read_text())}
    assert refs == {f"v{catsdogs.__version__}"}, f"install refs {refs}, package version {catsdogs.__version__}"
    package = contract.published()["package"]
    assert package["version"] == catsdogs.__version__, (
        f"the published run was made by version {package['version']}, the package is {catsdogs.__version__}")
    assert package["code_sha256"] == contract.package_fingerprint(), (
        "the package's code changed after the run that produced the stored outputs: raise __version__ "
        "(catsdogs/__init__.py), `make version`, and run the series again (make series)")


CODE_LINE_LENGTH = 88  # what fits a post's code column on the blog without scrolling


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_code_lines_fit_the_column(slug):
    long_lines = [line for cell in jupytext.read(NOTEBOOKS_DIR / f"{slug}.py").cells if cell.cell_type == "code"
                  for line in cell.source.splitlines() if len(line) > CODE_LINE_LENGTH]
    assert not long_lines, f"{slug}: code lines over {CODE_LINE_LENGTH} characters:\n" + "\n".join(long_lines)
