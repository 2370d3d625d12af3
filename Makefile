# Schoolwatch: `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean venv container-check screenshots connector-floors

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/schoolwatch demo

test: $(STAMP)
	bash .ci/test-services
	# two workers, one per core: each has its own PostgreSQL database and free ports
	$(BIN)/pytest -q -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# What the Dockerfile does, in a clean virtual environment (no Docker engine is needed).
container-check:
	rm -rf /tmp/schoolwatch-container-check
	$(PYTHON) -m venv /tmp/schoolwatch-container-check/venv
	/tmp/schoolwatch-container-check/venv/bin/pip install --quiet .
	SCHOOLWATCH_DATA_DIR=/tmp/schoolwatch-container-check/data \
		/tmp/schoolwatch-container-check/venv/bin/schoolwatch demo --once --data-dir /tmp/schoolwatch-container-check/data

# Retake the README's screenshots of the review page (headless Chromium, the browser test).
screenshots: $(STAMP)
	SCHOOLWATCH_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/web/test_browser.py tests/web/test_report_browser.py tests/web/test_browser_queue.py

# tests/connectors against the lowest connector library versions pyproject.toml allows (==floor),
# in a scratch virtual environment.
connector-floors:
	$(PYTHON) .ci/connector_floors.py
