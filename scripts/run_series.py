"""Run every post top to bottom, in order, store the outputs in posts/*.ipynb, and write the run's
home, run/: the one place that holds what a run produced.

Usage: python scripts/run_series.py                       the whole series: a publishable run
       python scripts/run_series.py posts/NN-slug.ipynb   one post, to look at its outputs
                                                          (run/ is left as it is, so the tests
                                                          report the post as not from the run)

Each notebook runs in a fresh kernel with the posts/ folder as working directory, exactly as a
reader runs it. Progress goes to the terminal (which post, which cell, elapsed time). A post
that fails is not written back: its stored outputs stay those of the last good run.

A run of the whole series:
- refuses to start on a working tree with uncommitted changes: the run records the commit it
  ran at, and the posts' Colab install line installs the package at that commit, so the code a
  reader installs is the code that produced the outputs;
- clears the ONNX export folder and run/figures/ first, so only this run's files are published;
- fails if post 06 did not score the model4 that post 05 saved (it had to train its own);
- writes run/run.json (the run's facts: commit, machine, Python, TensorFlow and Keras versions,
  settings, time per post, a fingerprint of each post's code; and every record the posts made,
  read from their outputs with `results.records_in_notebook`), copies the checked ONNX export
  into run/, and points every post's install line at the run's commit.
Then commit posts/, notebooks/ and run/ together.
"""

import glob
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time

import nbformat
import set_repo
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from catsdogs import config, results

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POSTS = sorted(glob.glob(os.path.join(ROOT, "posts", "[0-9][0-9]-*.ipynb")))
RUN_DIR = os.path.join(ROOT, os.path.dirname(results.RUN_FILE_IN_REPOSITORY))
RUN_FILE = os.path.join(ROOT, results.RUN_FILE_IN_REPOSITORY)
FIGURES_DIR = os.path.join(RUN_DIR, "figures")
EXPORTED_FILES = ("model4.onnx", "model4.json")  # written by the post that exports, into <results dir>/onnx


def code_fingerprint(notebook):
    """SHA-256 of a post's code cells, with the install line's ref left out (the run moves it): it
    changes when the code of the post changes, not when its prose does."""
    code = "\n\0".join(set_repo.INSTALL_URL.sub("git+REPOSITORY@COMMIT", cell.source)
                        for cell in notebook.cells if cell.cell_type == "code")
    return hashlib.sha256(code.encode()).hexdigest()


def run_post(path, number, total, series_start):
    """Run one post in a fresh kernel; write it back and return its wall time, or None if it failed."""
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
        return None
    wall_time = time.time() - start
    nbformat.write(notebook, path)
    print(f"[{number}/{total}] {name} done in {wall_time:.0f} s "
          f"(series so far {time.time() - series_start:.0f} s)", flush=True)
    return wall_time


def git(*arguments):
    return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def uncommitted_changes():
    """The working tree's changes (`git status --porcelain`: tracked and untracked, not ignored)."""
    return git("status", "--porcelain")


def versions():
    """Python, TensorFlow and Keras versions of this process (the posts' kernels use the same environment)."""
    config.import_tensorflow_quietly()
    import keras
    import tensorflow as tf

    return {"python": platform.python_version(), "tensorflow": tf.__version__, "keras": keras.__version__}


def write_run_home(commit, started, wall_times, export_dir):
    """run/run.json, and the checked ONNX export copied into run/."""
    posts, records = {}, {}
    for path in POSTS:
        notebook = nbformat.read(path, as_version=4)
        slug = os.path.splitext(os.path.basename(path))[0]
        found = results.records_in_notebook(notebook)
        posts[slug] = {"wall_time_s": round(wall_times[path], 1), "code_sha256": code_fingerprint(notebook),
                       "records": list(found)}
        records.update({name: results.as_json(record) for name, record in found.items()})
    run = {
        "commit": commit,
        "started": started,
        "finished": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
        **versions(),
        "settings": config.settings(),
        "wall_time_s": round(sum(wall_times.values()), 1),
        "posts": posts,
        "records": records,
    }
    with open(RUN_FILE, "w", encoding="utf-8") as file:
        json.dump(run, file, indent=1, ensure_ascii=False)
        file.write("\n")
    for name in EXPORTED_FILES:
        shutil.copyfile(os.path.join(export_dir, name), os.path.join(RUN_DIR, name))


def main():
    posts = [os.path.abspath(path) for path in sys.argv[1:]] or POSTS
    whole_series = posts == POSTS
    export_dir = os.path.join(config.results_dir(), "onnx")
    if whole_series:
        changes = uncommitted_changes()
        if changes:
            sys.exit("make series records the commit it runs at, and the posts install the package at that "
                     "commit: commit (or stash) these changes first:\n" + changes)
        commit = git("rev-parse", "HEAD")
        shutil.rmtree(export_dir, ignore_errors=True)  # only this run's checked export may be published
        shutil.rmtree(FIGURES_DIR, ignore_errors=True)  # and only this run's figures
    started = time.strftime("%Y-%m-%d %H:%M")
    series_start = time.time()
    wall_times = {path: run_post(path, number, len(posts), series_start) for number, path in enumerate(posts, 1)}
    failed = [path for path, wall_time in wall_times.items() if wall_time is None]
    print(f"Series finished in {time.time() - series_start:.0f} s; "
          f"{len(posts) - len(failed)} of {len(posts)} posts ran.")
    if failed:
        sys.exit("Failed: " + ", ".join(os.path.basename(path) for path in failed))
    if not whole_series:
        print("run/ is unchanged: only a whole run of the series (make series) is published.")
        return
    every_record = {}
    for path in POSTS:
        every_record.update(results.records_in_notebook(nbformat.read(path, as_version=4)))
    scored = getattr(every_record.get(results.TEST), "model", None)
    if scored != results.SAVED_MODEL4:
        sys.exit(f"The test score is of a model4 {scored!r}, not the one {results.SAVED_MODEL4}: "
                 "the published run must score post 05's model. See post 06's outputs for why.")
    missing = [name for name in EXPORTED_FILES if not os.path.exists(os.path.join(export_dir, name))]
    if missing:
        sys.exit(f"No {', '.join(missing)} was exported (see the posts' outputs): nothing to publish.")
    write_run_home(commit, started, wall_times, export_dir)
    set_repo.rewrite_installs(commit=commit)
    print(f"Wrote {os.path.relpath(RUN_FILE, ROOT)} and the checked ONNX export into run/; every post now "
          f"installs the package at {commit[:12]}. Commit posts/, notebooks/ and run/ together.")


if __name__ == "__main__":
    main()
