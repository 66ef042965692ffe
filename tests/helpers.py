"""Shared helpers for the tests: paths, the list of posts, and reading notebooks.

Import them in any test file with `from helpers import ROOT, POST_SLUGS, ...`
(tests/conftest.py puts this folder on sys.path).
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
POSTS_DIR = ROOT / "posts"
NOTEBOOKS_DIR = ROOT / "notebooks"

# The series, in reading order (the file names without extension): every post's text form.
POST_SLUGS = tuple(sorted(path.stem for path in NOTEBOOKS_DIR.glob("[0-9][0-9]-*.py")))


# Quick mode for tests that run posts or exercises in a process of their own: the settings `make
# test` sets (CATS_DOGS_EPOCHS=1 CATS_DOGS_BATCHES=3, the Makefile's QUICK), else those.
QUICK = {name: os.environ.get(name) or default for name, default in [("CATS_DOGS_EPOCHS", "1"), ("CATS_DOGS_BATCHES", "3")]}

# `make test` runs the tests in several processes (pytest-xdist, --dist loadgroup); the tests of
# one group run in one process, one after another. The posts (tests/test_rerun.py) run in the
# test Keras cache, in order: each saves its models and records there, and later posts read them.
IN_THE_TEST_KERAS_CACHE = pytest.mark.xdist_group("test-keras-cache")
# Posts 05, 06 and 07 run in a second Keras cache, in a process of their own (tests/test_rerun.py says why).
IN_THE_SECOND_KERAS_CACHE = pytest.mark.xdist_group("second-keras-cache")


def linked_keras_cache(folder: Path) -> Path:
    """A Keras cache in `folder` that reads the photos and the weights of the test cache (links to
    its datasets/ and models/; the photos' readability check is shared with it) and keeps its own
    saved models and records. Returns `folder`."""
    from catsdogs import config

    shared = Path(config.keras_home())
    folder.mkdir(parents=True, exist_ok=True)
    for name in ["datasets", "models"]:
        if not (folder / name).exists():
            (folder / name).symlink_to(shared / name, target_is_directory=True)
    return folder


def post_path(slug: str) -> Path:
    return POSTS_DIR / f"{slug}.ipynb"


def post_files() -> list[Path]:
    """Every post notebook that exists (sorted by name)."""
    return sorted(POSTS_DIR.glob("*.ipynb"))


def load_script(name: str):
    """A script of scripts/ (scripts/NAME.py) as a module (scripts/ on sys.path, as when run)."""
    import sys

    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_notebook(path: str | Path) -> dict:
    """The notebook as a plain dict (nbformat 4 JSON); cell sources joined into strings."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    for cell in nb.get("cells", []):
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return nb


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n?\Z", re.S)


def front_matter(nb: dict) -> dict:
    """The YAML front matter of a notebook: its first cell, a raw cell `---\\n...\\n---`.

    Raises AssertionError (with the reason) if the first cell is not such a cell.
    """
    cells = nb.get("cells") or []
    assert cells, "the notebook has no cells"
    first = cells[0]
    assert first.get("cell_type") == "raw", (
        f"the first cell must be a raw cell with the front matter, not {first.get('cell_type')!r}"
    )
    source = first["source"] if isinstance(first["source"], str) else "".join(first["source"])
    match = _FRONT_MATTER.match(source.strip() + "\n")
    assert match, "the first cell must be YAML between a '---' line and a closing '---' line"
    data = yaml.safe_load(match.group(1) or "")
    assert isinstance(data, dict), "the front matter must be a YAML mapping"
    return data


def qmd_front_matter(path: str | Path) -> dict:
    """The YAML front matter of a .qmd/.md file (between the first two '---' lines)."""
    text = Path(path).read_text(encoding="utf-8")
    match = re.match(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", text, re.S)
    assert match, f"{path} has no YAML front matter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict), f"{path}: the front matter must be a YAML mapping"
    return data


def qmd_body(path: str | Path) -> str:
    """A .qmd/.md file without its front matter."""
    text = Path(path).read_text(encoding="utf-8")
    return re.sub(r"\A---[ \t]*\n.*?\n---[ \t]*\n", "", text, count=1, flags=re.S)


def load_yaml(path: str | Path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def quarto_config() -> dict:
    return load_yaml(ROOT / "_quarto.yml")


def repo_url() -> str:
    """`website: repo-url` from _quarto.yml, without a trailing slash."""
    return str(quarto_config()["website"]["repo-url"]).rstrip("/")


def repo_slug() -> str:
    """OWNER/REPO, taken from the repo-url (the one place the repository is named)."""
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?", repo_url())
    assert match, f"repo-url must be https://github.com/OWNER/REPO, got {repo_url()!r}"
    return f"{match.group(1)}/{match.group(2)}"


def as_iso_date(value) -> datetime.date:
    """A front-matter date (YAML date or 'YYYY-MM-DD' string) as a date; AssertionError if not."""
    if isinstance(value, datetime.datetime):
        raise AssertionError(f"date must be a day (YYYY-MM-DD), not a timestamp: {value!r}")
    if isinstance(value, datetime.date):
        return value
    assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), (
        f"date must be YYYY-MM-DD, got {value!r}"
    )
    return datetime.date.fromisoformat(value)


def find_pandoc() -> str | None:
    """A pandoc executable: on PATH, or the one shipped by pypandoc-binary if installed."""
    found = shutil.which("pandoc")
    if found:
        return found
    try:
        import pypandoc  # type: ignore

        return pypandoc.get_pandoc_path()
    except Exception:
        return None
