# Each target sets up its own virtualenv, so a fresh clone needs nothing but python3 (>= 3.11).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

.PHONY: demo test lint bench
demo: $(STAMP)  ## plan the shipped Lishui scenario
	$(BIN)/courtplan solve scenarios/lishui.json --out plan.json

test: $(STAMP)  ## the whole test suite, plus ruff and mypy
	$(BIN)/ruff check optimizer api tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/courtplan bench scale
