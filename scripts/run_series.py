"""Execute every post top to bottom, in order, and store the outputs in posts/*.ipynb.

Usage: python scripts/run_series.py [posts/NN-slug.ipynb ...]   (default: every post)

Each notebook runs in a fresh kernel with the posts/ folder as working directory, exactly
as a reader runs it. Progress goes to the terminal (which post, which cell, elapsed time).
A post that fails is not written back: its stored outputs stay those of the last good run.
The run's wall time and settings are recorded in the notebook's metadata under
results.RUN_KEY, where scripts/results.py reads them for the results table.

A run of the whole series is a publishable run, so it also:
- refuses to start when the package's code changed since the published run but its version did
  not (the posts' Colab install line names the version: bump it, see README);
- clears the ONNX export folder first, so that only a model exported (and checked) by this run
  can be published, and copies the export into posts/widget/ at the end;
- fails if post 06 did not score the model4 that post 05 saved (it had to train its own).
"""

import glob
import os
import platform
import shutil
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import catsdogs
from catsdogs import config, results

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POSTS = sorted(glob.glob(os.path.join(ROOT, "posts", "[0-9][0-9]-*.ipynb")))
WIDGET_DIR = os.path.join(ROOT, "posts", "widget")
EXPORTED_FILES = ("model4.onnx", "model4.json")  # written by post 06 into <results dir>/onnx


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
        # The published figures are JPEG, to keep the blog's pages light (report.show_figures_as_jpeg).
        extra_arguments=["--IPKernelApp.capture_fd_output=False",
                         "--IPKernelApp.exec_lines=from catsdogs import report; report.show_figures_as_jpeg()"],
    )
    print(f"[{number}/{total}] {name} ...", flush=True)
    try:
        client.execute()
    except CellExecutionError as error:
        print(f"[{number}/{total}] {name} FAILED after {time.time() - start:.0f} s; "
              f"its stored outputs are kept as they were.\n{error}", file=sys.stderr)
        return False
    wall_time = time.time() - start
    settings = config.settings()
    full = settings == {"epochs": config.DEFAULT_EPOCHS, "batches": 0}
    notebook.metadata[results.RUN_KEY] = {
        "wall_time_s": round(wall_time, 1),
        "mode": "full" if full else "quick",
        "settings": settings,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
        "finished": time.strftime("%Y-%m-%d %H:%M"),
    }
    nbformat.write(notebook, path)
    print(f"[{number}/{total}] {name} done in {wall_time:.0f} s "
          f"(series so far {time.time() - series_start:.0f} s)", flush=True)
    return True


def version_problem():
    """Why the package cannot publish a run as it is, or None: its code changed since the published
    run, but its version (which the posts' install line names) did not."""
    package = results.published().get("package", {})
    if package.get("version") == catsdogs.__version__ and package.get("code_sha256") != results.package_fingerprint():
        return (f"The package's code changed since the published run, but its version is still "
                f"{catsdogs.__version__}. Readers in Colab install the version the posts name, so raise "
                f"__version__ in catsdogs/__init__.py, run `make version`, then run the series again.")
    return None


def main():
    posts = sys.argv[1:] or POSTS
    whole_series = [os.path.abspath(path) for path in posts] == POSTS
    if whole_series:
        problem = version_problem()
        if problem:
            sys.exit(problem)
        export_dir = os.path.join(config.results_dir(), "onnx")
        shutil.rmtree(export_dir, ignore_errors=True)  # only this run's checked export may be published
    series_start = time.time()
    failed = [path for number, path in enumerate(posts, 1)
              if not run_post(os.path.abspath(path), number, len(posts), series_start)]
    print(f"Series finished in {time.time() - series_start:.0f} s; "
          f"{len(posts) - len(failed)} of {len(posts)} posts ran.")
    if failed:
        print("Failed: " + ", ".join(os.path.basename(path) for path in failed), file=sys.stderr)
        sys.exit(1)
    if whole_series:
        test_result = results.results_in_notebook(nbformat.read(POSTS[-1], as_version=4)).get(results.TEST_RESULT, {})
        scored = test_result.get("model")
        if scored != results.SAVED_MODEL4:
            sys.exit(f"Post 06 scored a model4 {scored!r}, not the one {results.SAVED_MODEL4}: "
                     "the published run must score post 05's model. See post 06's outputs for why.")
        missing = [name for name in EXPORTED_FILES if not os.path.exists(os.path.join(export_dir, name))]
        if missing:
            sys.exit(f"Post 06 exported no {', '.join(missing)} (see its outputs): nothing to publish.")
        for name in EXPORTED_FILES:
            shutil.copyfile(os.path.join(export_dir, name), os.path.join(WIDGET_DIR, name))
        print(f"Copied the checked ONNX export ({', '.join(EXPORTED_FILES)}) into posts/widget/")


if __name__ == "__main__":
    main()
