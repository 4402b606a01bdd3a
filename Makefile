# Every target creates the virtual environment it needs when it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
OUT    ?= demo-output

.PHONY: help venv demo test test-fast browser bench bench-quick geography reference docs clean

help:
	@echo "make demo       load the reference dataset, analyse, write map + report into $(OUT)/"
	@echo "make test       run the whole test suite (README command 2)"
	@echo "make browser    install Debian's Chromium for the browser tests (needs root)"
	@echo "make bench      run the benchmarks and rewrite docs/benchmarks.md"
	@echo "make docs       regenerate docs/model.md from the vocabulary"
	@echo "make geography  rebuild the shipped geography from the npm package"
	@echo "make reference  rebuild the reference dataset from ../shared/seed-graph"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/maillage demo --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-quick: $(STAMP)
	$(BIN)/python bench/run.py --quick

docs: $(STAMP)
	$(BIN)/python scripts/build_docs.py

geography: $(STAMP)
	$(BIN)/python scripts/build_geography.py

reference: $(STAMP)
	$(BIN)/python scripts/build_reference.py

clean:
	rm -rf $(OUT) .pytest_cache .maillage test-artifacts
