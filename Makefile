# cohortdesk: `make run` to use it, `make test` to check everything. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
QT_LIBS := libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0

.PHONY: run test lint typecheck contracts pytest screenshots bench stress check-qt clean help

help:
	@echo "make run          open cohortdesk (creates .venv and the demo cohort on first start)"
	@echo "make test         lint, type checks, import contracts and the whole test suite, headless"
	@echo "make screenshots  render each main screen with demo data to docs/screenshots/"
	@echo "make bench        run the benchmarks in tests/perf/ (figures in .bench/results.json)"
	@echo "make stress       kill -9 cohortdesk hundreds of times mid-write, fuzz the importers long"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "cohortdesk needs Python 3.11 or newer as '$(PYTHON)' (try: make PYTHON=python3.12 ...)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create $(VENV): install Python's venv module (Debian: apt-get install python3-venv)"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# Qt needs a few system libraries even headless; install them where we may, else say which.
check-qt: $(STAMP)
	@QT_QPA_PLATFORM=offscreen $(PY) -c 'import PySide6.QtWidgets' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing the system libraries Qt needs: $(QT_LIBS)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(QT_LIBS) >/dev/null; \
	  else \
	    echo "Qt cannot load. On Debian or Ubuntu: sudo apt-get install $(QT_LIBS)"; exit 1; \
	  fi; }
	@QT_QPA_PLATFORM=offscreen $(PY) -c 'import PySide6.QtWidgets' || { \
	  echo "Qt still cannot load: see the error above for the missing library"; exit 1; }

run: check-qt
	$(BIN)/cohortdesk demo --if-empty
	$(BIN)/cohortdesk

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: check-qt
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

test: lint typecheck contracts pytest

screenshots: check-qt
	QT_QPA_PLATFORM=offscreen $(PY) tools/screenshots.py docs/screenshots

# `make test` kills 10 times and fuzzes 40 examples per test; this does it for real.
# COHORTDESK_CRASH_KILLS, COHORTDESK_CRASH_SEED and COHORTDESK_FUZZ_EXAMPLES change how much.
COHORTDESK_CRASH_KILLS ?= 300
COHORTDESK_FUZZ_EXAMPLES ?= 500
stress: check-qt
	COHORTDESK_CRASH_KILLS=$(COHORTDESK_CRASH_KILLS) COHORTDESK_FUZZ_EXAMPLES=$(COHORTDESK_FUZZ_EXAMPLES) \
	COHORTDESK_FUZZ_RANDOM=1 QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -p no:cacheprovider \
	  tests/safety/test_crash.py tests/safety/test_hostile_input.py \
	  tests/safety/test_extreme_dates.py tests/safety/test_terminal_output.py \
	  tests/safety/test_rollup_check.py tests/safety/test_erase_mentions.py \
	  tests/safety/test_same_name.py tests/safety/test_names_and_folders.py \
	  tests/safety/test_crafted_backup.py

bench: check-qt
	@mkdir -p .bench
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest tests/perf -p no:cacheprovider -o addopts="" -q -s

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .import_linter_cache .bench build *.egg-info
