# Sourcier — developer commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run test lint format build demo bench chromium vendor clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -r requirements-dev.txt
	touch $(STAMP)

run: install
	$(BIN)/streamlit run app.py

# Browser tests use Debian's chromium (never `playwright install`).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if command -v apt-get >/dev/null 2>&1; then \
			$(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; \
		else \
			echo "chromium manquant : installez /usr/bin/chromium ou lancez avec SOURCIER_SKIP_BROWSER=1" >&2; \
		fi; \
	fi

test: install chromium
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

build: install
	$(BIN)/python -m mapping build

demo: install
	$(BIN)/python -m mapping demo

bench: install
	$(BIN)/python benchmarks/bench_build.py

vendor:
	scripts/vendor_assets.sh

clean:
	rm -rf data/build screenshots .pytest_cache .ruff_cache
