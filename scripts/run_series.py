"""Execute every post top to bottom, in order, and store the outputs in posts/*.ipynb.

Usage: python scripts/run_series.py [posts/NN-slug.ipynb ...]   (default: every post)

Each notebook runs in a fresh kernel with the posts/ folder as working directory, exactly
as a reader runs it. Progress goes to the terminal (which post, which cell, elapsed time).
A post that fails is not written back: its stored outputs stay those of the last good run.
The run's wall time and settings are recorded in the notebook's metadata under
"cats_vs_dogs", where scripts/results.py reads them for the results table.
"""

import glob
import os
import platform
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICK_MODE_VARIABLES = ("CATS_DOGS_EPOCHS", "CATS_DOGS_BATCHES")


def run_post(path, number, total, series_start):
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.setdefault("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    name = os.path.basename(path)
    code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)
    start = time.time()

    def progress(cell, cell_index, **_):
        if cell.cell_type == "code":
            done = sum(c.cell_type == "code" for c in notebook.cells[: cell_index + 1])
            print(f"  [{number}/{total}] {name}: cell {done}/{code_cells} done, "
                  f"post {time.time() - start:5.0f} s, series {time.time() - series_start:5.0f} s",
                  flush=True)

    client = NotebookClient(
        notebook,
        timeout=None,
        kernel_name="python3",
        resources={"metadata": {"path": os.path.dirname(path)}},
        on_cell_executed=progress,
        # TensorFlow's C++ start-up logs (CUDA probing, oneDNN notices) go to this terminal,
        # not into the published post; Python output, warnings and errors still go to the post.
        extra_arguments=["--IPKernelApp.capture_fd_output=False"],
    )
    print(f"[{number}/{total}] {name} ...", flush=True)
    try:
        client.execute()
    except CellExecutionError as error:
        print(f"[{number}/{total}] {name} FAILED after {time.time() - start:.0f} s; "
              f"its stored outputs are kept as they were.\n{error}", file=sys.stderr)
        return False
    wall_time = time.time() - start
    settings = {variable: os.environ[variable] for variable in QUICK_MODE_VARIABLES if variable in os.environ}
    notebook.metadata["cats_vs_dogs"] = {
        "wall_time_s": round(wall_time, 1),
        "mode": "quick" if settings else "full",
        "settings": settings,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
        "finished": time.strftime("%Y-%m-%d %H:%M"),
    }
    nbformat.write(notebook, path)
    print(f"[{number}/{total}] {name} done in {wall_time:.0f} s "
          f"(series so far {time.time() - series_start:.0f} s)", flush=True)
    return True


def main():
    posts = sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, "posts", "[0-9][0-9]-*.ipynb")))
    series_start = time.time()
    failed = [path for number, path in enumerate(posts, 1)
              if not run_post(os.path.abspath(path), number, len(posts), series_start)]
    print(f"Series finished in {time.time() - series_start:.0f} s; "
          f"{len(posts) - len(failed)} of {len(posts)} posts ran.")
    if failed:
        print("Failed: " + ", ".join(os.path.basename(path) for path in failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
