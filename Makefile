# Set-up, data and tests of the Observatoire ESS de la MEL. `make run` and `make test` are
# the README's two commands: each creates .venv and installs what it needs on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE := data/ess.duckdb
SOURCES := $(wildcard data/sources/*.csv) ess/schema.sql
PORT ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: run run-public test data check bench site clean

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

# Staff mode (import page included) on this machine only: 127.0.0.1 unless ADDRESS says
# otherwise, and then only with the agents' sign-in configured (deploy/README.md).
run: $(STORE)
	$(BIN)/python -m ess serve --port $(PORT) --address $(ADDRESS)

# The public deployment's mode: read-only, no import page, hardened Streamlit options
# (ess/serve.py). Several replicas behind nginx: deploy/README.md.
run-public: $(STORE)
	$(BIN)/python -m ess serve --public --port $(PORT) --address $(ADDRESS)

# The public pages as a static site in site/ (any static host or CDN can serve it).
site: $(STORE)
	$(BIN)/python -m ess export site -o site

test: $(STORE) $(VENV)/.installed-dev
	$(BIN)/python -m pytest

check: $(STORE)
	$(BIN)/python -m ess check

# Every measurement of docs/PERFORMANCE.md (about 10 minutes); one alone: python -m bench.<name>
# (python -m bench.browser: what a reader feels in Chromium, as ratios to a floor app)
bench: $(STORE) $(VENV)/.installed-dev
	$(BIN)/python -m bench
	$(BIN)/python -m bench.deck

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache site
