# Reproducible target-tracking reports. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
#: the reporting year (report, briefs, validate, demo, new-year)
YEAR ?= 2018
#: where reports are published
OUT ?= reports
#: the period of briefs: Q1, H1, Q3 or FY
PERIOD ?= H1
#: briefs per district or per group
BY ?= district
#: the new year's allocation table, .xlsx or .docx (new-year)
ALLOCATION ?=
#: benchmark scales: districts x indicators x returns
SCALES ?= 12x15x12,300x15x12,3000x15x12,100x50x52

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	PIP_CONFIG_FILE=/dev/null $(BIN)/python -m pip install --quiet --upgrade pip
	PIP_CONFIG_FILE=/dev/null $(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	PIP_CONFIG_FILE=/dev/null $(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

## Create .venv/ from requirements.lock (done automatically by the targets that need it)
env: $(STAMP)

## Byte-compile src/ (done by report, briefs, test, benchmark): every fresh process, the CLI and each report's kernel, then skips compiling the helpers, even where PYTHONDONTWRITEBYTECODE is set
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q src >/dev/null

## Build the default reports (2018 mid-year H1 and year-end FY) and their district briefs into reports/
report: $(STAMP) bytecode browser
	$(BIN)/python -m helpers run --year $(YEAR) --period H1 --out-dir $(OUT)
	$(BIN)/python -m helpers run --year $(YEAR) --period FY --out-dir $(OUT)
	$(BIN)/python -m helpers briefs --year $(YEAR) --period H1 --by district --out-dir $(OUT)
	$(BIN)/python -m helpers briefs --year $(YEAR) --period FY --by district --out-dir $(OUT)

## Build the briefs of one report: make briefs PERIOD=H1 BY=group
briefs: $(STAMP) bytecode browser
	$(BIN)/python -m helpers briefs --year $(YEAR) --period $(PERIOD) --by $(BY) --out-dir $(OUT)

## Run every test: unit, back tests, end-to-end, notebooks (nbval), browser, lint
test: $(STAMP) bytecode browser
	$(BIN)/ruff check src tests tools benchmarks notebooks
	$(BIN)/pytest -q
	$(BIN)/pytest -q --nbval-lax notebooks

## Re-record the back tests' ground truth (tests/back/ground_truth/) after a change meant to change outputs; review the diff
ground-truth: $(STAMP) bytecode browser
	$(BIN)/python tests/back/oracle.py record

## Install LibreOffice Writer and Calc, to open report.docx and the workbooks as the office does (the check-draft round-trip test; apt-get, needs root)
office:
	@if command -v soffice >/dev/null 2>&1; then \
	  echo "LibreOffice present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null; \
	else \
	  echo "warning: cannot install LibreOffice (not root or no apt-get): the check-draft round-trip test skips"; \
	fi

## Install Chromium's headless shell (report.pdf), Chromium (browser tests) and CJK fonts (apt-get, needs root)
browser:
	@if command -v chromium-headless-shell >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 \
	    && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
	    && fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then \
	  echo "chromium, its headless shell and CJK fonts present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell fonts-noto-cjk fonts-wqy-microhei >/dev/null; \
	else \
	  echo "warning: cannot install chromium and fonts (not root or no apt-get): report.pdf needs them (or --pdf false); browser tests skip outside CI"; \
	fi

## Check the raw data of YEAR and print every problem
validate: $(STAMP)
	$(BIN)/python -m helpers validate --year $(YEAR)

## Start a year from the notice's allocation table and draft its plan: make new-year YEAR=2019 ALLOCATION=notice.docx
new-year: $(STAMP)
	@test -n "$(ALLOCATION)" || { echo "usage: make new-year YEAR=2019 ALLOCATION=<the notice's .xlsx or .docx>"; exit 2; }
	$(BIN)/python -m helpers new-year --year $(YEAR) --allocation "$(ALLOCATION)"

## Regenerate the deterministic demo returns (data/raw/YEAR/progress/) and sample ledger (ledger.xlsx)
demo: $(STAMP)
	$(BIN)/python -m helpers demo --year $(YEAR)

## Open JupyterLab on the notebooks
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

## Time a report (with its PDF) against the papermill + nbconvert + Chromium floor, the briefs, the quarterly pass and the scales (prints figures and goals)
benchmark: $(STAMP) bytecode browser
	$(BIN)/python benchmarks/run_benchmark.py --period H1
	$(BIN)/python benchmarks/run_benchmark.py --period FY
	$(BIN)/python benchmarks/briefs_benchmark.py
	$(BIN)/python benchmarks/scale_benchmark.py --scales $(SCALES)

## How far each output keeps one report from its goal: the report against the floor without report.docx, report.xlsx or the PDF's tags (prints figures)
benchmark-parts: $(STAMP) bytecode browser
	$(BIN)/python benchmarks/report_parts_benchmark.py --period H1

## Lint Python files and notebooks with ruff
lint: $(STAMP)
	$(BIN)/ruff check src tests tools benchmarks notebooks

## Re-pin requirements.lock from pyproject.toml (needs network)
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

## Install the nbstripout git filter so notebook outputs never reach git
hooks: $(STAMP)
	$(BIN)/nbstripout --install

## Remove generated outputs (reports/, data/processed/, caches); keeps .venv/
clean:
	rm -rf $(OUT)/* data/processed/*/ .pytest_cache .ruff_cache test-artifacts benchmarks/results
	find . -name __pycache__ -type d -prune -not -path "./$(VENV)/*" -exec rm -rf {} +

## Remove outputs and the virtual environment
distclean: clean
	rm -rf $(VENV)

## List the targets and the variables they read
help:
	@echo "Targets:"
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(doc){split($$1,t,":"); printf "  \033[1m%-16s\033[0m %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)
	@echo "Variables (make report YEAR=2019, make briefs PERIOD=FY BY=group):"
	@awk '/^#: /{doc=substr($$0,4); next} /^[A-Z]+ \?=/{if(doc){printf "  \033[1m%-16s\033[0m %s (default: %s)\n", $$1, doc, ($$3 == "" ? "none" : $$3)}; doc=""}' $(MAKEFILE_LIST)

.PHONY: env bytecode report briefs test ground-truth browser office validate new-year demo lab benchmark benchmark-parts lint lock hooks clean distclean help
