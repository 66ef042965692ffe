"""Every cell of every post can be run again, as Colab readers do: each post runs top to bottom in
a fresh kernel, then every code cell runs once more in the same kernel, from the last back to the
first, and none may fail. Backwards, because a reader goes back to an earlier cell after running
later ones: each cell's second run comes after every later cell has run (again), so a name that
a later cell rebinds breaks it here as it would in Colab (in order, the earlier cell that defines
the name would run first and hide the problem). A cell may be left out of the second pass only
with the tag `no-rerun: <why>`, which says why.

It runs with the settings of the environment: `make test` sets quick mode
(CATS_DOGS_EPOCHS=1 CATS_DOGS_BATCHES=3) and a Keras cache of its own. The first pass is the same
check as `pytest --nbmake posts`, so `make test` runs the posts through this test only.

The posts that save models and records run in two chains, each in its own process and Keras
cache, so that `make test` waits for the longer chain only, not for all of them one after
another: posts 02, 03 and 04 in the test cache, and posts 05, 06 and 07 in a second cache
(SECOND_CHAIN). Posts 06 and 07 there find post 05's model4, as in the full run, and a model1
saved by `second_keras_cache` (untrained: post 07 only computes its maps, which add up for any
weights; post 06's recap scores it beside the published records of models 1 to 3 and says that
models 2 and 3 are not saved here). A post that finds no model4 trains it itself, as in a fresh
Colab runtime: tests/test_reliability.py checks that.
"""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers import IN_THE_SECOND_KERAS_CACHE, IN_THE_TEST_KERAS_CACHE, POST_SLUGS, POSTS_DIR, linked_keras_cache

SECOND_CHAIN = ("05-model4-transfer-learning", "06-test-score", "07-what-the-model-sees")
SAVE_MODEL1 = """
import keras
from catsdogs import config, models
model1 = keras.Sequential([keras.Input(shape=config.IMAGE_SIZE + (3,)), *models.cnn_layers()], name="model1")
models.save_model(model1)
"""

EXEMPT_TAG = "no-rerun:"


def exempt(cell):
    return any(tag.startswith(EXEMPT_TAG) for tag in cell.get("metadata", {}).get("tags", []))


def run_twice(path, keras_home=None):
    """Run a notebook top to bottom, then each code cell once more, last to first (with KERAS_HOME
    set to `keras_home` if given); return the failure or None."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": os.path.dirname(path)}})
    environment = {**os.environ, **({"KERAS_HOME": str(keras_home)} if keras_home else {})}
    with client.setup_kernel(env=environment):
        order = list(enumerate(notebook.cells))
        for run, cells in (("first", order), ("second", order[::-1])):
            for index, cell in cells:
                if cell.cell_type != "code" or (run == "second" and exempt(cell)):
                    continue
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError as error:
                    first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                    return f"cell {index} ({first_line!r}) failed on its {run} run:\n{error}"
    return None


def uses_saved_models_or_records(slug):
    """Whether a post's code uses catsdogs.models or catsdogs.results, which save models and
    records in the Keras cache and read what earlier posts saved there. Those posts run one after
    another in one process (helpers.IN_THE_TEST_KERAS_CACHE), in the series' order; a post that
    uses neither (post 01) can run beside them."""
    code = "\n".join(cell.source for cell in nbformat.read(POSTS_DIR / f"{slug}.ipynb", as_version=4).cells
                     if cell.cell_type == "code")
    return "models." in code or "results." in code


def chain_of(slug):
    if slug in SECOND_CHAIN:
        return IN_THE_SECOND_KERAS_CACHE
    return IN_THE_TEST_KERAS_CACHE if uses_saved_models_or_records(slug) else None


@pytest.fixture(scope="session")
def second_keras_cache():
    """The second chain's Keras cache, a folder inside the test cache (so that whoever deletes the
    test cache deletes it too): links to its photos and weights, and a model1 for posts 06 and 07."""
    from catsdogs import config

    folder = linked_keras_cache(Path(config.keras_home()) / "second-chain")
    saved = subprocess.run([sys.executable, "-c", SAVE_MODEL1], env={**os.environ, "KERAS_HOME": str(folder)},
                           capture_output=True, text=True, timeout=300)
    assert saved.returncode == 0, f"could not save model1 for post 07:\n{saved.stderr[-3000:]}"
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("slug", [pytest.param(slug, marks=chain_of(slug)) if chain_of(slug) else slug
                                  for slug in POST_SLUGS])
def test_every_cell_runs_again(slug, request):
    keras_home = request.getfixturevalue("second_keras_cache") if slug in SECOND_CHAIN else None
    failure = run_twice(str(POSTS_DIR / f"{slug}.ipynb"), keras_home)
    assert failure is None, f"{slug}: {failure}"


def test_a_name_rebound_by_a_later_cell_is_caught(tmp_path):
    """The mistake this test is for: post 06 once defined `label()` and a later cell rebound
    `label` to a string, so the first cell broke when a reader ran it again."""
    cells = ["def label(index):\n    return 'cat' if index == 0 else 'dog'", "print(label(1))",
             "label = 'dog'"]
    path = tmp_path / "99-rebound.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell) for cell in cells]), path)
    failure = run_twice(str(path))
    assert failure and "cell 1" in failure and "second run" in failure and "not callable" in failure, failure
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[1].metadata["tags"] = [f"{EXEMPT_TAG} it calls label, which the last cell rebinds"]
    nbformat.write(notebook, path)
    assert run_twice(str(path)) is None
