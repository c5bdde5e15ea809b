# Everything set-up needs on a fresh Debian/Ubuntu machine: `make demo` or `make test` is enough.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: Tesseract with French (+ English, orientation detection), poppler for pdftoppm,
# the French hunspell dictionary behind OCR-damage repair's lexicon, fonts used by the corpus generator.
APT_PACKAGES := tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng tesseract-ocr-osd poppler-utils \
                hunspell-fr fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-packages demo test corpus schema clean

setup: system-packages $(VENV)/.installed

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
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
	$(BIN)/python -m extractors.lexicon  # build the cached French lexicon index once (a few seconds)
	touch $@

# The main job on the bundled corpus: every corpus document to out/<name>.json.
demo: setup
	@mkdir -p out
	@ok=0; bad=0; for f in corpus/*.pdf corpus/*.html corpus/seeds/*.txt; do \
	  name=$$(basename "$$f"); \
	  if OMP_THREAD_LIMIT=1 $(BIN)/bilan extract "$$f" -o "out/$$name.json"; then ok=$$((ok+1)); else bad=$$((bad+1)); fi; \
	  echo "  $$f -> out/$$name.json"; \
	done; echo "demo: $$ok documents extracted, $$bad with errors, JSON in out/"
	@$(BIN)/python -c "import json; d=json.load(open('out/000_report.pdf.json')); p=d['pages'][0]; print('000_report.pdf page 1, origin', p['origin'], '-', p['triage']['reason']); print('\n'.join(l['text'] for l in p['lines'][:8]))"

test: setup
	$(BIN)/python -m pytest -q

corpus: setup
	$(BIN)/python corpus/make_corpus.py

schema: setup
	$(BIN)/bilan schema

clean:
	rm -rf out .pytest_cache
