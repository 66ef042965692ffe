"""The results table of the series, read from the stored notebooks (never typed).

The rules (which epochs count, the metadata keys, the results in the table) come from
catsdogs/results.py. Each training post displays its summary with the training history attached
as output metadata ({"results": {name: {"accuracy": [...], "val_accuracy": [...]}}}); post 06
attaches {"results": {"test": {"accuracy": ...}}}. scripts/run_series.py records each post's run
in the notebook metadata ("cats_vs_dogs": mode "full" or "quick", settings, machine, finished,
wall_time_s). This script turns both into:

- one Markdown table (one row per result named in results.TABLE_RESULTS; any other result in
  the metadata is left out of the table), written to _results.md (included by index.qmd) and
  into README.md between the markers;
- catsdogs/published_results.json: every result of every post, with the run they come from and
  the package version and code fingerprint that produced them, shipped with the package so a
  reader's own run (in Colab, say) can be compared with ours.

Usage:
  python scripts/results.py            print the table
  python scripts/results.py --write    write _results.md, the table in README.md and
                                       catsdogs/published_results.json
  python scripts/results.py --check    exit 1 if any of the three differs from the notebooks
"""

import glob
import json
import os
import sys

import nbformat

import catsdogs
from catsdogs import results

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS_FILE = os.path.join(ROOT, "_results.md")
README = os.path.join(ROOT, "README.md")
START, END = "<!-- results:start -->", "<!-- results:end -->"
NBSP = "\u00a0"  # keeps a number and its unit on one line in the rendered table


def post_paths():
    return sorted(glob.glob(os.path.join(ROOT, "posts", "[0-9][0-9]-*.ipynb")))


def post_results(path):
    """{name: result dict} from the outputs of one stored notebook, in the order they appear."""
    return results.results_in_notebook(nbformat.read(path, as_version=4))


def post_run(path):
    """The run metadata scripts/run_series.py stored in the notebook ({} if none)."""
    return dict(nbformat.read(path, as_version=4).metadata.get(results.RUN_KEY, {}))


def describe_run(run):
    """The kind of run in plain words: "full run: 20 epochs, all data" or "quick test run: ..."."""
    mode, settings = run.get("mode"), run.get("settings")
    if mode is None or not settings:
        return "not run by make series"
    return f"{mode if mode == 'full' else 'quick test'} run: {results.describe_settings(settings)}"


def scored(name, result):
    """(what was measured, the accuracy) of one result."""
    if "val_accuracy" in result:
        counted, epochs = len(results.counted_epochs(result)), len(result["val_accuracy"])
        if "fine_tune_from" in result:
            head = result["fine_tune_from"]
            which = f"{epochs - head} fine-tuning epochs (after {head} of head training)"
        else:
            which = f"{epochs} epochs"
        return (f"{name}: validation accuracy, mean of the last {counted} of {which}",
                results.settled_accuracy(result))
    label = "test accuracy of the fine-tuned model4" if name == results.TEST_RESULT else f"{name}: accuracy"
    return label, float(result["accuracy"])


def table():
    """The Markdown table: one row per result in results.TABLE_RESULTS, with each post's wall time."""
    rows = ["| post | result | accuracy | post run time |",
            "|---|---|---:|---:|"]
    total = 0.0
    kinds = []
    for path in post_paths():
        slug = os.path.splitext(os.path.basename(path))[0]
        run = post_run(path)
        wall_time = run.get("wall_time_s")
        total += wall_time or 0
        kind = describe_run(run)
        if kind not in kinds:
            kinds.append(kind)
        time_text = f"{wall_time / 60:.1f}{NBSP}min" if wall_time is not None else "not recorded"
        link = f"[{slug}](posts/{slug}.ipynb)"
        shown = {name: result for name, result in post_results(path).items() if name in results.TABLE_RESULTS}
        if not shown:
            rows.append(f"| {link} | (data only) | | {time_text} |")
        for name, result in shown.items():
            label, value = scored(name, result)
            rows.append(f"| {link} | {label} | {value:.1%} | {time_text} |")
            time_text = ""  # the post's time goes on its first row only
    rows.append(f"| **whole series** | {'; '.join(kinds)} | | **{total / 60:.1f}{NBSP}min** |")
    return "\n".join(rows) + "\n"


def _one_or_all(values):
    """The value if all posts agree, else every distinct value (in post order)."""
    distinct = []
    for value in values:
        if value not in distinct:
            distinct.append(value)
    return distinct[0] if len(distinct) == 1 else distinct


def published():
    """The contents of catsdogs/published_results.json, as a dict."""
    runs = {}
    found = {}
    for path in post_paths():
        slug = os.path.splitext(os.path.basename(path))[0]
        runs[slug] = post_run(path)
        found.update(post_results(path))
    finished = [run["finished"] for run in runs.values() if run.get("finished")]
    newest = max(finished) if finished else None
    total = round(sum(run.get("wall_time_s") or 0 for run in runs.values()), 1)
    mode = _one_or_all([run.get("mode") for run in runs.values()])
    machine = _one_or_all([run.get("machine") for run in runs.values()])
    settings = _one_or_all([run.get("settings") for run in runs.values()])
    kinds = _one_or_all([describe_run(run) for run in runs.values()])
    kinds = kinds if isinstance(kinds, str) else "; ".join(kinds)
    where = machine if isinstance(machine, str) else " / ".join(map(str, machine))
    about = (f"These are the results the published Cats vs. dogs posts show, from one run of make series "
             f"({kinds}; finished {newest} on {where}); scripts/results.py copies them here from the "
             f"stored notebooks so that readers can compare their own run with ours.")
    return {
        "about": about,
        "run": {"finished": newest, "wall_time_s": total, "mode": mode, "settings": settings, "machine": machine},
        "package": {"version": catsdogs.__version__, "code_sha256": results.package_fingerprint()},
        "posts": {slug: {"wall_time_s": run.get("wall_time_s")} for slug, run in runs.items()},
        "results": found,
    }


def published_text():
    return json.dumps(published(), indent=1, sort_keys=False, ensure_ascii=False) + "\n"


def readme_with(text):
    with open(README, encoding="utf-8") as file:
        readme = file.read()
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{text}{END}{after}"


def _read(path):
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except FileNotFoundError:
        return None


def main():
    text = table()
    if "--write" in sys.argv:
        with open(RESULTS_FILE, "w", encoding="utf-8") as file:
            file.write(text)
        updated = readme_with(text)
        with open(README, "w", encoding="utf-8") as file:
            file.write(updated)
        with open(results.PUBLISHED_FILE, "w", encoding="utf-8") as file:
            file.write(published_text())
        print(f"Wrote {RESULTS_FILE}, the table in {README} and {results.PUBLISHED_FILE}")
    elif "--check" in sys.argv:
        expected = {RESULTS_FILE: text, README: readme_with(text), results.PUBLISHED_FILE: published_text()}
        stale = [path for path, content in expected.items() if _read(path) != content]
        if stale:
            sys.exit(f"Out of date with posts/*.ipynb: {', '.join(stale)}. Run: make results")
        print("The results table and catsdogs/published_results.json match the stored notebooks.")
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
