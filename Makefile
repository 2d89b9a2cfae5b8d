# Two commands do all set-up on a fresh machine (Python 3.11, no GPU):
#   make serve   install, build the default report's index if missing, serve on http://127.0.0.1:8000
#   make test    install (with the test browser) and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install install-test serve test eval bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch is installed first and pinned: 2.13.0 is the CPU build on this disk;
# anything unpinned would pull a multi-GB CUDA build.
install: $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e .

install-test: install
	$(BIN)/pip install -q -e ".[test]"
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null)
	# poppler's pdftotext: the reference text layer of eval/extraction.py and tests/test_realpdfs.py (never ingest).
	command -v pdftotext >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null)

serve: install
	$(BIN)/qa serve

test: install-test
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/qa eval

bench: install
	$(BIN)/python -m eval.bench_ingest
	$(BIN)/python -m eval.bench_ask
	$(BIN)/python -m eval.bench_load --publish
