# Every target creates the virtual environment it needs when it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
RUN_STAMP = $(VENV)/.installed-run-stamp
OUT    ?= demo-output

.PHONY: help venv demo test test-fast browser bench bench-nation bench-quick bench-scdl bench-analytics bench-maps bench-gc bench-among resolution-eval geography reference docs lock audit fuzz crash api-load clean

help:
	@echo "make demo       load the reference dataset, analyse, write map + report into $(OUT)/"
	@echo "make test       run the whole test suite (README command 2)"
	@echo "make browser    install Debian's Chromium and poppler-utils for the browser tests (needs root)"
	@echo "make bench      run the benchmarks (pole, region) and rewrite docs/benchmarks.md"
	@echo "make bench-nation  the same with nation too and the profile (~30 min, ~6 GiB RAM)"
	@echo "make bench-scdl a 1M-row SCDL subsidy file loaded end to end vs bare csv parsing"
	@echo "make bench-gc       the cyclic GC paused during loads, analyses, API warm-up vs left on (~7 min)"
	@echo "make bench-analytics  actor metrics: suite vs networkx vs igraph, region + nation (~20 min, ~4 GiB)"
	@echo "make bench-maps map page generation time for 500- and 2,000-actor views (region graph)"
	@echo "make bench-among relations among a set of actors: pairs vs index entries (region graph)"
	@echo "make resolution-eval  entity resolution precision/recall on the labelled set (docs/resolution.md)"
	@echo "make docs       regenerate docs/model.md from the vocabulary"
	@echo "make lock       after changing pyproject.toml: rewrite constraints.txt and docs/dependencies.md"
	@echo "make audit      known vulnerabilities in the pinned dependencies (pip-audit, in its own .venv-audit)"
	@echo "make fuzz       long fuzzing campaign: every loader, the CLI, the hostile corpus (docs/reliability.md §1)"
	@echo "make crash      SIGKILL campaign during loads and analyses, embedded store and Neo4j (§2)"
	@echo "make api-load   32 clients × 60 s against a real uvicorn on the reference dataset (§3)"
	@echo "make geography  rebuild the shipped geography from the npm package"
	@echo "make reference  rebuild the reference dataset from ../shared/seed-graph"
	@echo "make neo4j-start  start the local Neo4j (bolt://127.0.0.1:$(NEO4J_PORT); builds it with Maven the first time)"
	@echo "make neo4j-stop   stop it;  make neo4j-status, make neo4j-build (Maven: Neo4j 5.26 jars)"
	@echo "make bench-neo4j  store vs LOAD CSV on the region scale; rewrites the figures in docs/neo4j.md"

# The program alone (make demo): what a user of maillage installs, no test or bench tools.
$(RUN_STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e . -c constraints.txt
	@touch $(RUN_STAMP)

# The program with the test and bench tools (make test and the other targets).
$(STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install -q -e ".[test,bench]" -c constraints.txt
	@touch $(STAMP)

venv: $(STAMP)

demo: $(RUN_STAMP)
	$(BIN)/maillage demo --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	@test -x /usr/bin/pdftotext || (apt-get update -qq && apt-get install -y -qq poppler-utils)

bench: $(STAMP)
	$(BIN)/python bench/run.py --scales pole,region

bench-nation: $(STAMP)
	$(BIN)/python bench/run.py --scales pole,region,nation --profile

bench-quick: $(STAMP)
	$(BIN)/python bench/run.py --quick

bench-scdl: $(STAMP)
	$(BIN)/python bench/scdl_bench.py --rows 1000000

bench-analytics: $(STAMP)
	$(BIN)/python bench/analytics_bench.py

bench-gc: $(STAMP)
	$(BIN)/python bench/gc_bench.py

bench-maps: $(STAMP)
	$(BIN)/python bench/maps_bench.py

bench-among: $(STAMP)
	$(BIN)/python bench/among_bench.py

resolution-eval: $(STAMP)
	$(BIN)/python scripts/resolution_eval.py

docs: $(STAMP)
	$(BIN)/python scripts/build_docs.py

# after changing pyproject.toml: install without the old pins, then write constraints.txt and docs/dependencies.md
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[test,bench]"
	$(BIN)/python scripts/dependencies.py
	@touch $(STAMP)

# pip-audit lives in its own venv: its requirements must never move the project's pins
audit:
	@test -x .venv-audit/bin/pip-audit || ($(PYTHON) -m venv .venv-audit && .venv-audit/bin/python -m pip install -q pip-audit)
	.venv-audit/bin/python scripts/audit.py --pip-audit .venv-audit/bin/pip-audit --json bench/out/reliability/audit.json

fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz.py

crash: $(STAMP)
	$(BIN)/python scripts/crash_consistency.py --store both --kill-points 100 --analysis-kill-points 40 --neo4j-kill-points 30 --server-kill-points 10

api-load: $(STAMP)
	$(BIN)/python bench/api_load.py

geography: $(STAMP)
	$(BIN)/python scripts/build_geography.py

reference: $(STAMP)
	$(BIN)/python scripts/build_reference.py

clean:
	rm -rf $(OUT) .pytest_cache .maillage rejets test-artifacts

# -- local Neo4j (docs/neo4j.md): Neo4j 5.26 Community embedded, Bolt on, no Docker --------------
# scripts/neo4j_local.py needs only the standard library (and Java + Maven): the program's venv, not the test tools.
NEO4J_PORT ?= 7687
.PHONY: neo4j-build neo4j-start neo4j-stop neo4j-status bench-neo4j

neo4j-build: $(RUN_STAMP)
	$(BIN)/python scripts/neo4j_local.py build

neo4j-start: $(RUN_STAMP)
	$(BIN)/python scripts/neo4j_local.py start --port $(NEO4J_PORT)

neo4j-stop:
	$(BIN)/python scripts/neo4j_local.py stop --port $(NEO4J_PORT)

neo4j-status:
	$(BIN)/python scripts/neo4j_local.py status --port $(NEO4J_PORT)

bench-neo4j: $(STAMP)
	$(BIN)/python bench/neo4j_bench.py
