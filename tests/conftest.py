"""Pytest setup: make tests/helpers.py (and tests/support/) importable from every test file, and share fixtures."""

import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))
# The repository root too, for the helpers shared with the benchmarks (tests/support/, imported as
# tests.support.<module>, as `python -m benchmarks.<name>` imports them from the root).
if str(TESTS_DIR.parent) not in sys.path:
    sys.path.insert(1, str(TESTS_DIR.parent))

import helpers  # noqa: E402
from helpers import POST_SLUGS, ROOT, front_matter, load_notebook  # noqa: E402,F401


def pytest_collection_modifyitems(items):
    """The posts' re-runs (tests/test_rerun.py, the longest tests, one after another in one
    process) go first, so that when `make test` runs the tests in several processes the others
    fill the other processes meanwhile instead of waiting for them at the end."""
    items.sort(key=lambda item: item.path.name != "test_rerun.py")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def quarto_config() -> dict:
    return helpers.quarto_config()


# One headless Chromium per test module, for the in-page classifier's and trainer's tests
# (tests/test_widget.py, tests/test_trainer.py); Chromium missing: skipped, or failed with CI set.
@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    from widget_harness import chromium_or_skip

    chromium_or_skip()
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright):
    from widget_harness import launch

    browser = launch(playwright)
    yield browser
    browser.close()
