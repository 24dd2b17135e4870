# Two commands do everything on a fresh machine: `make repro` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install repro test clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

repro: install
	$(BIN)/dvc repro
	$(BIN)/dvc metrics show
	@echo
	@echo "Results: exports/ (metrics, entities, trends, qa, projects as CSV and Parquet),"
	@echo "         metrics/eval.json (scores), reports/ (error lists)"

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf data/interim data/processed data/evalsets exports reports
