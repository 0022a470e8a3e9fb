# The two set-up commands: `make run` starts the app, `make test` runs the tests.
# Each creates .venv and installs the project on first use (or when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test ingest eval

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -qq --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

test: $(STAMP)
	$(BIN)/python -m pytest

ingest: $(STAMP)
	$(BIN)/python ingest.py

eval: $(STAMP)
	$(BIN)/python -m bot eval tests/data/dev.jsonl
