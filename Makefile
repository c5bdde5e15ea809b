# Everything set-up needs on a fresh Debian 12 / Ubuntu 24.04 machine: `make demo` or `make test` is enough.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: Python with venv (Debian splits ensurepip out) and certificates for pip; Tesseract
# with French (+ English, orientation detection), poppler for pdftoppm, the French hunspell dictionary
# behind OCR-damage repair's lexicon, fonts used by the corpus generator.
APT_PACKAGES := python3 python3-venv ca-certificates \
                tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng tesseract-ocr-osd poppler-utils \
                hunspell-fr fonts-dejavu-core
# Only the tests need these: a headless browser for the review site's tests (tests/test_review_browser.py).
TEST_APT_PACKAGES := chromium chromium-driver
# As root, apt-get directly; otherwise through sudo, which drops the environment: `env` passes
# DEBIAN_FRONTEND through it so no package stops to ask a question.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get
# The shared datasets; BILAN_SHARED=/nonexistent hides them, as in a user's clone (tests/conftest.py).
SHARED ?= $(abspath ..)/shared

.PHONY: setup system-packages test-packages apt-install python-version demo test corpus schema clean

setup: system-packages python-version $(VENV)/.installed

system-packages:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

test-packages:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(TEST_APT_PACKAGES)"

# Installs whichever of $(PACKAGES) are missing.
apt-install:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ -n "$(SUDO)" ] && ! command -v sudo >/dev/null; then \
	    echo "make setup: these Debian packages are missing:$$missing; run make as root or install sudo" >&2; exit 1; fi; \
	  echo "installing Debian packages:$$missing"; \
	  $(APT_GET) update -qq && $(APT_GET) install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

python-version:
	@command -v $(PYTHON) >/dev/null || { echo "make setup: $(PYTHON) not found; bilan needs Python >= 3.11 (PYTHON=python3.12 make setup to choose one)" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "make setup: bilan needs Python >= 3.11, $(PYTHON) is $$($(PYTHON) -c 'import platform; print(platform.python_version())') (PYTHON=python3.12 make setup to choose another)" >&2; exit 1; }

# Re-installs only when the package metadata changes. A .venv left half-made by an interrupted or
# failed run (no pip in it, or a Python that no longer runs) is made again instead of blocking.
$(VENV)/.installed: pyproject.toml
	@if [ -d $(VENV) ] && ! $(BIN)/python -c 'import pip, sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	  echo "make setup: $(VENV) is incomplete; making it again"; rm -rf $(VENV); fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m extractors.french.lexicon  # build the cached French lexicon index once (a few seconds)
	touch $@

# The main job on the bundled corpus: every publication in corpus/ (the deliberately broken files
# of corpus/bad/ are left out; the tests use them) into out/, then a look at the dataset.
demo: setup
	OMP_THREAD_LIMIT=1 $(BIN)/bilan batch corpus -o out --exclude 'bad/*' --resume
	$(BIN)/bilan query out "SELECT doc_id, kind, status, pages_read AS pages, n_repairs AS repairs, n_measures AS measures FROM documents ORDER BY doc_id"
	$(BIN)/bilan query out "SELECT origin, count(*) AS pages, round(avg(mean_confidence), 1) AS ocr_confidence FROM pages GROUP BY origin ORDER BY origin"
	$(BIN)/bilan query out "SELECT before, after, rule, count(*) AS n FROM repairs GROUP BY ALL ORDER BY n DESC, before LIMIT 12"

# Two runs, each test once: the tests over the shared datasets, then the default suite with the
# shared folder hidden, which proves that a user's clone (no ../shared) passes.
test: setup test-packages
	@echo "== tests over the shared datasets ($(SHARED)); skipped with a reason when absent"
	OMP_THREAD_LIMIT=1 BILAN_SHARED=$(SHARED) $(BIN)/python -m pytest -q -rs -m shared
	@echo "== the default suite, the shared datasets hidden (as in a user's clone)"
	OMP_THREAD_LIMIT=1 BILAN_SHARED=/nonexistent $(BIN)/python -m pytest -q -m "not shared"

corpus: setup
	$(BIN)/python corpus/make_corpus.py

schema: setup
	$(BIN)/bilan schema

clean:
	rm -rf out .pytest_cache
