# cohortdesk: `make run` to use it, `make test` to check everything. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
QT_LIBS := libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
# The self-contained bundle: built in its own environment holding only what pyproject.toml
# says cohortdesk needs at run time (plus the bundled extras and PyInstaller), so no developer
# tool slips in. The tarball is rebuilt when anything that goes into it is newer.
PKG_VENV := .venv-package
PKG_PY := $(PKG_VENV)/bin/python
PKG_STAMP := $(PKG_VENV)/.installed-stamp
# package: PyInstaller; the others are the extras a facilitator needs (BUNDLED_EXTRAS in the spec)
PKG_EXTRAS := package,team
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' cohortdesk/__init__.py)
BUNDLE := dist/cohortdesk-$(VERSION)-linux-x86_64.tar.gz
BUNDLE_SOURCES := pyproject.toml tools/build_package.py \
	$(shell find cohortdesk resources packaging -type f -not -path '*/__pycache__/*' -not -name '*.md' 2>/dev/null)
# What checks the desktop entry and the metainfo: Debian and Ubuntu package names.
# the desktop file checkers, and strip (binutils) for the bundle's libraries
DESKTOP_TOOLS := desktop-file-utils appstream binutils

.PHONY: run test lint typecheck contracts pytest screenshots bench stress fuzz check-qt clean help \
	package package-test check-desktop-tools

help:
	@echo "make run          open cohortdesk (creates .venv and the demo cohort on first start)"
	@echo "make test         lint, type checks, import contracts and the whole test suite, headless"
	@echo "make screenshots  render each main screen with demo data to docs/screenshots/"
	@echo "make bench        run the benchmarks in tests/perf/ (figures in .bench/results.json)"
	@echo "make stress       kill -9 cohortdesk hundreds of times mid-write, fuzz the importers long"
	@echo "make fuzz         run every property test on newly drawn examples (make test draws the same)"
	@echo "make package      build $(BUNDLE), the self-contained Linux bundle"
	@echo "make package-test build it if needed, unpack it in a clean folder and run it (in make test)"

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

# The suite on every core (pytest-xdist; CI has two): each worker takes the next test as it
# frees up, in its own data folders, with its own PostgreSQL server. PYTEST_WORKERS=0 runs it
# in one process.
PYTEST_WORKERS ?= auto
pytest: check-qt
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal

test: lint typecheck contracts pytest package-test

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

# `make test` draws the same examples on every run; this draws new ones for each property test.
PROPERTY_TESTS = $(shell grep -rl --include='test_*.py' '^from hypothesis' tests)
fuzz: check-qt
	COHORTDESK_FUZZ_RANDOM=1 QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -p no:cacheprovider $(PROPERTY_TESTS)

bench: check-qt
	@mkdir -p .bench
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest tests/perf -p no:cacheprovider -o addopts="" -q -s

$(PKG_STAMP): pyproject.toml
	@test -x $(PKG_PY) || $(PYTHON) -m venv $(PKG_VENV) || { \
	  echo "Could not create $(PKG_VENV): install Python's venv module (Debian: apt-get install python3-venv)"; exit 1; }
	$(PKG_PY) -m pip install --quiet --upgrade pip
	$(PKG_PY) -m pip install --quiet '.[$(PKG_EXTRAS)]'
	@touch $@

$(BUNDLE): $(PKG_STAMP) $(BUNDLE_SOURCES) | check-qt check-desktop-tools
	$(PKG_PY) tools/build_package.py

package: $(BUNDLE)

# desktop-file-validate and appstreamcli check packaging/: installed like Qt's libraries.
check-desktop-tools:
	@command -v desktop-file-validate >/dev/null && command -v appstreamcli >/dev/null \
	  && command -v strip >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing the desktop file checkers and strip: $(DESKTOP_TOOLS)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DESKTOP_TOOLS) >/dev/null; \
	  else \
	    echo "The desktop file checkers or strip are missing. On Debian or Ubuntu: sudo apt-get install $(DESKTOP_TOOLS)"; exit 1; \
	  fi; }

# The bundle unpacked in a fresh folder and run with a clean environment (tests/packaging).
package-test: $(BUNDLE) check-desktop-tools
	COHORTDESK_BUNDLE=$(BUNDLE) QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -p no:cacheprovider \
	  -o addopts="--strict-markers --strict-config -ra" tests/packaging

clean:
	rm -rf $(VENV) $(PKG_VENV) dist .mypy_cache .ruff_cache .pytest_cache .import_linter_cache .bench build *.egg-info
