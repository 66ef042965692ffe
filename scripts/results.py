"""The results table of the series, made from the published run's records (run/run.json, read
with catsdogs.results, which every post uses too); never typed.

The home page shows it: the site filter _extensions/site-pages/run-results.lua runs this script
while Quarto renders index.qmd (nothing generated is written or committed).

Usage: python3 scripts/results.py    print the table (Markdown)
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)  # the repository's own package, whichever python3 Quarto runs (it needs only the standard library here)
from catsdogs import results  # noqa: E402

NBSP = "\u00a0"  # keeps a number and its unit on one line in the rendered table


def scored(name, record):
    """(what was measured, the accuracy) of one record of the table."""
    if isinstance(record, results.TestScore):
        return "test accuracy of the fine-tuned model4", record.accuracy
    counted, epochs = len(results.counted_epochs(record)), len(record.val_accuracy)
    if record.fine_tune_from:
        head = record.fine_tune_from
        which = f"{epochs - head} fine-tuning epochs (after {head} of head training)"
    else:
        which = f"{epochs} epochs"
    return f"{name}: validation accuracy, mean of the last {counted} of {which}", results.settled_accuracy(record)


def table(run):
    """The Markdown table: one row per history and test score of the run, with each post's wall time."""
    rows = ["| post | result | accuracy | post run time |",
            "|---|---|---:|---:|"]
    for slug, post in run["posts"].items():
        time_text = f"{post['wall_time_s'] / 60:.1f}{NBSP}min"
        link = f"[{slug}](posts/{slug}.ipynb)"
        shown = {name: results.from_json(run["records"][name]) for name in post["records"]}
        shown = {name: record for name, record in shown.items() if not isinstance(record, results.SeedRuns)}
        if not shown:
            rows.append(f"| {link} | (data only) | | {time_text} |")
        for name, record in shown.items():
            label, value = scored(name, record)
            rows.append(f"| {link} | {label} | {value:.1%} | {time_text} |")
            time_text = ""  # the post's time goes on its first row only
    kind = "full run" if run["settings"] == results.FULL_RUN else "quick test run"
    rows.append(f"| **whole series** | {kind}: {results.describe_settings(run['settings'])}; "
                f"commit {run['commit'][:7]}, {run['finished']} | | **{run['wall_time_s'] / 60:.1f}{NBSP}min** |")
    return "\n".join(rows) + "\n"


def main():
    try:
        run = results.read_run_file(os.path.join(ROOT, results.RUN_FILE_IN_REPOSITORY))
    except FileNotFoundError:
        sys.exit("No published run: run/run.json is missing. Run the series first (make series).")
    print(table(run), end="")


if __name__ == "__main__":
    main()
