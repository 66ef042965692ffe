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
"""

import os

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers import IN_THE_TEST_KERAS_CACHE, POST_SLUGS, POSTS_DIR

EXEMPT_TAG = "no-rerun:"


def exempt(cell):
    return any(tag.startswith(EXEMPT_TAG) for tag in cell.get("metadata", {}).get("tags", []))


def run_twice(path):
    """Run a notebook top to bottom, then each code cell once more, last to first; return the
    failure or None."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": os.path.dirname(path)}})
    with client.setup_kernel():
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


@pytest.mark.slow
@pytest.mark.parametrize("slug", [pytest.param(slug, marks=IN_THE_TEST_KERAS_CACHE) if uses_saved_models_or_records(slug)
                                  else slug for slug in POST_SLUGS])
def test_every_cell_runs_again(slug):
    failure = run_twice(str(POSTS_DIR / f"{slug}.ipynb"))
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
