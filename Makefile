# Everything set-up needs on a fresh Debian/Ubuntu machine: `make demo` or `make test` is enough.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: Tesseract with French (+ English, orientation detection), poppler for pdftoppm,
# the French hunspell dictionary behind OCR-damage repair's lexicon, fonts used by the corpus generator.
APT_PACKAGES := tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng tesseract-ocr-osd poppler-utils \
                hunspell-fr fonts-dejavu-core
# Only the tests need these: a headless browser for the review site's tests (tests/test_review_browser.py).
TEST_APT_PACKAGES := chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-packages test-packages apt-install demo test corpus schema clean

setup: system-packages $(VENV)/.installed

system-packages:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

test-packages:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(TEST_APT_PACKAGES)"

# Installs whichever of $(PACKAGES) are missing.
apt-install:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

# Re-installs only when the package metadata changes.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m extractors.french.lexicon  # build the cached French lexicon index once (a few seconds)
	touch $@

# The main job on the bundled corpus: every publication in corpus/ (the deliberately broken files
# of corpus/bad/ are left out; the tests use them) into out/, then a look at the dataset.
demo: setup
	OMP_THREAD_LIMIT=1 $(BIN)/bilan batch corpus -o out --exclude 'bad/*' --resume
	$(BIN)/bilan query out "SELECT doc_id, kind, status, pages_read AS pages, n_repairs AS repairs, n_measures AS measures FROM documents ORDER BY doc_id"
	$(BIN)/bilan query out "SELECT origin, count(*) AS pages, round(avg(mean_confidence), 1) AS ocr_confidence FROM pages GROUP BY origin ORDER BY origin"
	$(BIN)/bilan query out "SELECT before, after, rule, count(*) AS n FROM repairs GROUP BY ALL ORDER BY n DESC, before LIMIT 12"

test: setup test-packages
	$(BIN)/python -m pytest -q

corpus: setup
	$(BIN)/python corpus/make_corpus.py

schema: setup
	$(BIN)/bilan schema

clean:
	rm -rf out .pytest_cache
