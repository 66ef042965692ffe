# Cats vs. dogs: the two commands
#   make series   run every post top to bottom (the full run) and store its outputs in posts/*.ipynb
#   make test     run the tests: the checks in tests/ and every post end to end in quick mode
#
# Both create .venv from requirements.txt on first use. Offline machines: local copies of the
# data archive and the MobileNetV2 weights are staged into the Keras cache first (see README).

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
SHARED ?= ../shared/data
# Local copies to stage into the Keras cache; empty (or missing) means download as usual.
CATS_DOGS_ZIP ?= $(wildcard $(SHARED)/cats_and_dogs.zip)
MOBILENET_WEIGHTS ?= $(wildcard $(SHARED)/keras-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5)
# The full run uses your Keras cache; the tests use their own, so a quick-mode model never
# replaces the model saved by a full run.
SERIES_KERAS_HOME ?= $(or $(KERAS_HOME),$(HOME)/.keras)
TEST_KERAS_HOME ?= $(CURDIR)/.cache/keras-test
# Quick mode for the tests: 1 epoch on 3 batches of each split (see README).
QUICK ?= CATS_DOGS_EPOCHS=1 CATS_DOGS_BATCHES=3

BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: series test sync results venv clean

series: $(VENV)/.installed
	$(BIN)/python scripts/stage_keras_cache.py "$(SERIES_KERAS_HOME)" --archive "$(CATS_DOGS_ZIP)" --weights "$(MOBILENET_WEIGHTS)"
	KERAS_HOME="$(SERIES_KERAS_HOME)" $(BIN)/python scripts/run_series.py
	$(BIN)/python scripts/results.py --write

test: $(VENV)/.installed
	$(BIN)/python scripts/stage_keras_cache.py "$(TEST_KERAS_HOME)" --archive "$(CATS_DOGS_ZIP)" --weights "$(MOBILENET_WEIGHTS)"
	KERAS_HOME="$(TEST_KERAS_HOME)" $(QUICK) $(BIN)/python -m pytest tests --nbmake posts --nbmake-timeout=900 -p no:cacheprovider

# Keep notebooks/*.py and posts/*.ipynb equal after editing either side.
sync: $(VENV)/.installed
	$(BIN)/jupytext --sync notebooks/*.py

# Rewrite the README table and _results.md from the stored notebooks.
results: $(VENV)/.installed
	$(BIN)/python scripts/results.py --write

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

clean:
	rm -rf .cache _site .quarto
