# Two commands do all set-up on a fresh machine (Python 3.11, no GPU):
#   make serve   install, build the default report's index if missing, serve on http://127.0.0.1:8000
#   make test    install (with the test browser) and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Browser libraries from npm, served by the app as static files (no CDN): PDF.js for the
# citation viewer; axe-core, for the accessibility check of the browser tests, only with install-test.
WEB := qa/web
PDFJS := $(WEB)/node_modules/pdfjs-dist/package.json
AXE := $(WEB)/node_modules/axe-core/package.json
NPM_CI := cd $(WEB) && npm ci --omit=optional --no-audit --no-fund

.PHONY: install install-test serve test eval bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(PDFJS): $(WEB)/package-lock.json
	$(NPM_CI) --omit=dev
	touch $@

$(AXE): $(WEB)/package-lock.json
	$(NPM_CI)
	touch $@ $(PDFJS)

# torch is installed first and pinned: 2.13.0 is the CPU build on this disk;
# anything unpinned would pull a multi-GB CUDA build.
install: $(BIN)/python $(PDFJS)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e .

install-test: install $(AXE)
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
