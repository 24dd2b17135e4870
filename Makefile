# Two commands do everything on a fresh machine: `make repro` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install repro test fuzz clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# DVC stages call `python`: the venv's, by putting it first on PATH.
RUN := PATH="$(CURDIR)/$(BIN):$$PATH"

repro: install
	$(RUN) $(BIN)/dvc repro
	$(RUN) $(BIN)/dvc metrics show
	@echo
	@echo "Results: exports/jimujigyo_metrics.xlsx and exports/*.csv|*.parquet (metrics, comparison,"
	@echo "         entities, trends, qa, projects), report/report.html, metrics/eval.json (scores),"
	@echo "         reports/errors_*.md (every missed or spurious mention with its sentence)"

test: install
	$(BIN)/python -m pytest

# The long random search: every property test with 10,000 fresh examples (tests/hypothesis_profiles.py).
# `make test` draws 200 (the same ones each run when CI=true).
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m property -p no:cacheprovider

clean:
	rm -rf data/interim data/processed data/evalsets data/compare exports reports report

# Cross-year comparison at scale: the national review sheets of 2024 and 2025 (long layout,
# one file; `--fiscal-year` picks a year's rows), each run through parse + nlp + extract into
# bench/out/YEAR, then compared into bench/out/compare. The full corpus takes about an hour;
# BENCH_TABLE=slice.tsv tries a slice.
BENCH_TABLE ?= ../shared/bench/rs_review_2024_2025.tsv.gz
BENCH_OUT ?= bench/out
.PHONY: bench-compare
bench-compare: install
	for year in 2024 2025; do \
	  $(BIN)/python -m pipeline run $(BENCH_TABLE) --fiscal-year $$year --out $(BENCH_OUT)/$$year || exit 1; \
	done
	$(BIN)/python -m pipeline compare $(BENCH_OUT)/2024 $(BENCH_OUT)/2025 --out $(BENCH_OUT)/compare

# How heavy the HTML report is on what bench-compare wrote (both years of the national review
# corpus, or a BENCH_TABLE slice): page size, time to first paint and time for a search to
# answer, measured in headless Chromium (bench/report_bench.py). Not a test: it prints numbers.
.PHONY: bench-report
bench-report: install
	$(BIN)/python bench/report_bench.py $(BENCH_OUT)

# Speed and scale of the nlp + extract stages on the review corpus against plain nlp.pipe
# (bench/run_bench.py): a ~150k-character slice by default, `make bench FULL=1` for the whole
# corpus (about an hour on 2 cores). Prints throughput, peak RSS, parallel efficiency and
# cache hit rates; the last line is `ratio X`.
.PHONY: bench
bench: install
	$(BIN)/python bench/run_bench.py $(if $(FULL),--full,)

# Our extractor beside pynormalizenumexp and GiNZA's NER alone, on every gold set (after `make repro`).
.PHONY: bench-baselines
bench-baselines: install
	$(BIN)/python bench/baselines.py

# Regenerate tests/golden (outputs that tests/test_golden.py holds byte-identical) after a
# change meant to change outputs; review the diff of tests/golden before committing it.
.PHONY: golden
golden: install
	$(BIN)/python tests/golden_outputs.py
