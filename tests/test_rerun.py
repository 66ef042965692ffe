"""Every cell of every post can be run again, as Colab readers do: each post runs top to bottom in
a fresh kernel, then every code cell runs once more, in order, in the same kernel, and none may
fail. (A name that one cell defines and a later cell rebinds, for example, breaks the first cell
on its second run.) A cell may be left out of the second pass only with the tag
`no-rerun: <why>`, which says why.

It runs with the settings of the environment: `make test` sets quick mode
(CATS_DOGS_EPOCHS=1 CATS_DOGS_BATCHES=3) and a Keras cache of its own. The first pass is the same
check as `pytest --nbmake posts`, so `make test` runs the posts through this test only.
"""

import os

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers import POST_SLUGS, POSTS_DIR

EXEMPT_TAG = "no-rerun:"


def exempt(cell):
    return any(tag.startswith(EXEMPT_TAG) for tag in cell.get("metadata", {}).get("tags", []))


def run_twice(path):
    """Run a notebook top to bottom, then each code cell once more; return the failure or None."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": os.path.dirname(path)}})
    with client.setup_kernel():
        for run in ("first", "second"):
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type != "code" or (run == "second" and exempt(cell)):
                    continue
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError as error:
                    first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                    return f"cell {index} ({first_line!r}) failed on its {run} run:\n{error}"
    return None


@pytest.mark.training
@pytest.mark.parametrize("slug", POST_SLUGS)
def test_every_cell_runs_again(slug):
    failure = run_twice(str(POSTS_DIR / f"{slug}.ipynb"))
    assert failure is None, f"{slug}: {failure}"
