# Set-up, data and tests of the Observatoire ESS de la MEL. `make run` and `make test` are
# the README's two commands: each creates .venv and installs what it needs on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE := data/ess.duckdb
SOURCES := $(wildcard data/sources/*.csv) ess/schema.sql
PORT ?= 8501

.PHONY: run test data check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Rebuilt whenever a source or the schema is newer than the store.
$(STORE): $(SOURCES) $(VENV)/.installed
	$(BIN)/python -m ess build

data: $(STORE)

run: $(STORE)
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(STORE) $(VENV)/.installed-dev
	$(BIN)/python -m pytest

check: $(STORE)
	$(BIN)/python -m ess check

bench: $(STORE) $(VENV)/.installed-dev
	$(BIN)/python -m bench
	$(BIN)/python -m bench.deck

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache
