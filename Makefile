# Cats vs. dogs: the two commands
#   make series   run every post top to bottom (the full run), store its outputs in posts/*.ipynb
#                 and what it produced in run/ (its one home; see scripts/run_series.py)
#   make test     run the tests: lint, the checks in tests/ and every post end to end in quick mode
# and the one-minute loop while editing: make check (lint and the unit tests: no training, no
# browser, no Quarto).
#
# Both create .venv from requirements.txt on first use and install the series' package
# (catsdogs/) into it in editable mode, with uv (pinned in requirements.txt; it installs the same
# packages as pip, compiled to bytecode as pip does, several times faster). Offline machines:
# local copies of the data archive and the MobileNetV2 weights are staged into the Keras cache
# first (see README).
#
# Other targets: make check | sync | results | lint | widget | site | compat STACK=... | repo REPO=OWNER/NAME

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
SHARED ?= ../shared/data
# Local copies to stage into the Keras cache; empty (or missing) means download as usual.
CATS_DOGS_ZIP ?= $(wildcard $(SHARED)/cats_and_dogs.zip)
MOBILENET_WEIGHTS ?= $(wildcard $(SHARED)/keras-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5)
# The full run uses your Keras cache ($KERAS_HOME, else ~/.keras, as the posts do); the tests use
# their own, so a quick-mode model never replaces the model saved by a full run.
SERIES_KERAS_HOME ?= $(KERAS_HOME)
TEST_KERAS_HOME ?= $(CURDIR)/.cache/keras-test
# Quick mode for the tests: 1 epoch on 3 batches of each split (see README).
QUICK ?= CATS_DOGS_EPOCHS=1 CATS_DOGS_BATCHES=3

BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export TF_CPP_MIN_LOG_LEVEL ?= 2
STAGE_ARGS = --archive "$(CATS_DOGS_ZIP)" --weights "$(MOBILENET_WEIGHTS)"
STAGE = $(BIN)/python scripts/stage_keras_cache.py $(STAGE_ARGS)

.PHONY: series test check lint sync results widget venv compat repo clean

# run_series.py refuses uncommitted changes, then writes run/ (records, figures, the checked ONNX
# export, the run's facts) and points every post's install line at the commit it ran at.
series: $(VENV)/.installed
	$(if $(SERIES_KERAS_HOME),KERAS_HOME="$(SERIES_KERAS_HOME)") $(STAGE)
	$(if $(SERIES_KERAS_HOME),KERAS_HOME="$(SERIES_KERAS_HOME)") CATS_DOGS_FIGURES_DIR="$(CURDIR)/run/figures" \
		$(BIN)/python scripts/run_series.py

# Every post runs end to end in quick mode in tests/test_rerun.py (top to bottom, then every cell
# once more in the same kernel), which includes what `pytest --nbmake posts` checks.
# The tests run in TEST_PROCESSES processes (pytest-xdist; the tests that share a Keras cache, a
# model or a rendered site stay in one process: tests/helpers.py), after the archive is extracted
# once into the test Keras cache (two processes must not both extract it) and its photos are
# checked once (data.check_once; the caches the tests link to it share that check). Four on two
# cores: many tests wait (for a kernel, a browser, Quarto), and .ci/run on a clean clone took 583 s
# with four against 621 s with three (one run each).
TEST_PROCESSES ?= 4
test: $(VENV)/.installed widget lint quarto
	KERAS_HOME="$(TEST_KERAS_HOME)" $(STAGE) --extract
	KERAS_HOME="$(TEST_KERAS_HOME)" $(QUICK) $(BIN)/python -m pytest tests -p no:cacheprovider --durations=30 \
		--numprocesses $(TEST_PROCESSES) --dist loadgroup

# The one-minute loop while editing: lint, then the tests that need no training, no browser and
# no Quarto (the package's and the site's unit tests, and the checks of the stored posts).
CHECK_TESTS = tests/test_package.py tests/test_cards.py tests/test_head.py tests/test_stats.py tests/test_cam.py tests/test_posts.py tests/test_prose.py \
	tests/test_site.py tests/test_lighten_pages.py
check: $(VENV)/.installed lint
	KERAS_HOME="$(TEST_KERAS_HOME)" $(STAGE)
	KERAS_HOME="$(TEST_KERAS_HOME)" $(QUICK) $(BIN)/python -m pytest $(CHECK_TESTS) -p no:cacheprovider -q -m "not slow"

# Lint and import order (settings in pyproject.toml) over the package, the posts' text form,
# the scripts, the benchmarks and the tests.
lint: $(VENV)/.installed
	$(BIN)/ruff check catsdogs notebooks scripts benchmarks tests

# Keep notebooks/*.py and posts/*.ipynb equal after editing either side.
sync: $(VENV)/.installed
	$(BIN)/jupytext --sync notebooks/*.py

# Print the results table of the published run (run/run.json); the home page shows the same
# table (the site filter run-results.lua runs scripts/results.py while Quarto renders).
results: $(VENV)/.installed
	$(BIN)/python scripts/results.py

# The in-browser classifier's runtime: onnxruntime-web from package-lock.json, copied into posts/widget/.
widget: node_modules/.package-lock.json
	npm run --silent copy-runtime
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$$(grep -o '^uv==[^ ]*' requirements.txt)"
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -r requirements.txt
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps --editable .
	touch $@

# Run every post in quick mode on another stack: make compat STACK=colab-2.20 (see compat/*.txt,
# whose first line names the Python version; COMPAT_PYTHON overrides the interpreter).
STACK ?= pinned
STACK_PY = $(shell sed -n 's/^# python: //p' compat/$(STACK).txt)
COMPAT_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/$(STACK_PY).*/bin/python$(STACK_PY)) python$(STACK_PY))
COMPAT_VENV = .venv-$(STACK)
# The package's unit tests (no browser, no Quarto): they run on every stack with the posts.
UNIT_TESTS = tests/test_package.py tests/test_cards.py tests/test_stats.py tests/test_cam.py
compat:
	test -f compat/$(STACK).txt || { echo "No stack $(STACK): choose one of $$(ls compat | sed 's/.txt//')"; exit 2; }
	test -x $(COMPAT_VENV)/bin/python || $(COMPAT_PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install --quiet --upgrade pip
	cd compat && ../$(COMPAT_VENV)/bin/python -m pip install --quiet -r $(STACK).txt
	$(COMPAT_VENV)/bin/python -m pip install --quiet --no-deps --editable .
	$(COMPAT_VENV)/bin/python scripts/stage_keras_cache.py $(STAGE_ARGS) "$(CURDIR)/.cache/keras-$(STACK)"
	$(COMPAT_VENV)/bin/python -c "import sys, tensorflow as tf, keras; print('stack $(STACK): Python', sys.version.split()[0], '/ TensorFlow', tf.__version__, '/ Keras', keras.__version__)"
	KERAS_HOME="$(CURDIR)/.cache/keras-$(STACK)" $(QUICK) PATH="$(CURDIR)/$(COMPAT_VENV)/bin:$$PATH" \
		$(COMPAT_VENV)/bin/python -m pytest $(UNIT_TESTS) --nbmake posts --nbmake-timeout=900 -p no:cacheprovider --durations=0

# Name the repository (a fork): rewrites `repo-url` in _quarto.yml and every post's install line.
# It rewrites each post's pair (notebooks/*.py and posts/*.ipynb), so it syncs the pairs first:
# otherwise the .ipynb, written last, would look newer, and the next `make sync` would copy it
# over edits made in the .py before.
repo: $(VENV)/.installed sync
	$(BIN)/python scripts/set_repo.py "$(REPO)"

clean:
	rm -rf .cache _site .quarto

# The site: `make site` renders it into _site/ with the Quarto version of .quarto-version (the one
# place it is written; nothing is executed), after `make widget` has put the classifier's runtime
# in place. Quarto comes from the PATH, else from .cache/quarto, where `make quarto` installs it
# from ../shared/tools/quarto (for machines that cannot reach GitHub; elsewhere install that
# version from quarto.org).
QUARTO_VERSION := $(shell cat .quarto-version)
QUARTO_TOOLS ?= ../shared/tools/quarto
QUARTO_HOME = $(CURDIR)/.cache/quarto
.PHONY: site quarto
site: quarto widget
	if ! command -v quarto >/dev/null; then . "$(QUARTO_HOME)/env.sh"; fi; quarto render
quarto:
	@command -v quarto >/dev/null || test -x "$(QUARTO_HOME)/dist/bin/quarto" || \
		"$(QUARTO_TOOLS)/install.sh" "$(QUARTO_HOME)" || \
		{ echo "Quarto $(QUARTO_VERSION) is needed: install it from quarto.org (or $(QUARTO_TOOLS))"; exit 1; }
