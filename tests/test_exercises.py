"""The code answers of the exercises run.

Every post ends with questions; an answer is a collapsed Quarto callout in a markdown cell,
and an answer that is code is a ```python block inside it. The full run of the series never
runs them (they are markdown), so this test does: for each post, it runs the post's first
SETUP_CELLS code cells (the setup: the imports, then the data; in post 01 the seed) and then every
code answer of that post, each in a fresh copy of the
setup's variables, in a quick test run (CATS_DOGS_EPOCHS=1, CATS_DOGS_BATCHES=3), with a Keras
cache of its own that holds the photos and MobileNetV2's weights of the test cache (KERAS_HOME as
the environment sets it; `make test` uses .cache/keras-test) and no saved model or record, as in a
fresh Colab runtime. An answer may use only what the setup cells define and what it defines itself.
"""

import json
import os
import re
import subprocess
import sys

import jupytext
import pytest

from helpers import NOTEBOOKS_DIR, POST_SLUGS, QUICK, linked_keras_cache

CALLOUT = re.compile(r'^::: \{\.callout-tip collapse="true"\}\n(.*?)^:::[ \t]*$', re.M | re.S)
PYTHON_BLOCK = re.compile(r"^([ \t]*)```python[ \t]*\n(.*?)^\1```[ \t]*$", re.M | re.S)
QUICK_RUN = {**QUICK, "MPLBACKEND": "Agg"}
SECONDS_PER_POST = 600

# Runs the setup, then each answer in its own copy of the setup's variables; prints one line per
# answer and exits 1 if any failed (with its traceback on stderr).
DRIVER = """
import json, sys, traceback
setup, answers = json.loads(sys.stdin.read())
namespace = {"__name__": "__main__"}
exec(compile(setup, "setup cell", "exec"), namespace)
failed = []
for number, answer in enumerate(answers, 1):
    try:
        exec(compile(answer, f"code answer {number}", "exec"), dict(namespace))
        print(f"code answer {number}: ran", flush=True)
    except BaseException:
        traceback.print_exc()
        failed.append(number)
if failed:
    sys.exit(f"code answers that failed: {failed}")
"""


def markdown_cells(slug):
    return [cell.source for cell in jupytext.read(NOTEBOOKS_DIR / f"{slug}.py").cells if cell.cell_type == "markdown"]


SETUP_CELLS = 2  # the exercises say: run them after the first two code cells of the post


def setup_code(slug):
    code = [cell.source for cell in jupytext.read(NOTEBOOKS_DIR / f"{slug}.py").cells if cell.cell_type == "code"]
    return "\n\n".join(code[:SETUP_CELLS])


def answers(slug):
    """The answer callouts of a post, in order."""
    return [callout for source in markdown_cells(slug) for callout in CALLOUT.findall(source)]


def code_answers(slug):
    """The code of every ```python block inside an answer callout, without its indentation."""
    blocks = []
    for callout in answers(slug):
        for indent, code in PYTHON_BLOCK.findall(callout):
            blocks.append("\n".join(line[len(indent):] for line in code.splitlines()))
    return blocks


def numbered_questions(slug):
    """The numbers of the list items under the post's "## Questions" heading."""
    source = next((text for text in markdown_cells(slug) if re.search(r"^## Questions\s*$", text, re.M)), "")
    questions = source.split("## Questions", 1)[-1]
    questions = CALLOUT.sub("", questions)
    return [int(number) for number in re.findall(r"^(\d+)\. ", questions, re.M)]


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_post_ends_with_what_you_learned_and_questions(slug):
    """Each post has "What you learned", at least 5 numbered questions, an answer to each,
    and exercises whose answers include code."""
    sources = markdown_cells(slug)
    headings = [line for source in sources for line in source.splitlines() if line.startswith("## ")]
    assert "## What you learned" in headings and "## Questions" in headings, f"{slug}: headings {headings}"
    assert headings.index("## What you learned") < headings.index("## Questions"), f"{slug}: order {headings}"
    numbers = numbered_questions(slug)
    assert len(numbers) >= 5 and numbers == list(range(1, len(numbers) + 1)), f"{slug}: questions numbered {numbers}"
    found = answers(slug)
    assert len(found) == len(numbers), f"{slug}: {len(numbers)} questions but {len(found)} answer callouts"
    assert all(re.match(r"\s*## Answer\s*\n", callout) for callout in found), f"{slug}: an answer callout has no '## Answer' title"
    assert code_answers(slug), f"{slug}: no exercise has a code answer"


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_code_answers_run(slug, tmp_path):
    blocks = code_answers(slug)
    assert blocks, f"{slug}: no code answers found"
    environment = {**os.environ, **QUICK_RUN, "KERAS_HOME": str(linked_keras_cache(tmp_path))}
    run = subprocess.run([sys.executable, "-c", DRIVER], input=json.dumps([setup_code(slug), blocks]), text=True,
                         capture_output=True, env=environment, timeout=SECONDS_PER_POST)
    ran = re.findall(r"^code answer (\d+): ran$", run.stdout, re.M)
    assert run.returncode == 0 and len(ran) == len(blocks), (
        f"{slug}: {len(ran)} of {len(blocks)} code answers ran\n{run.stdout[-3000:]}\n{run.stderr[-6000:]}")
