# Two commands a newcomer needs: `make demo` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,cohort,spark,report,registry,web]'
	touch $(STAMP)

# Annotates the bundled demo batch and writes the demo reports. One demo file is broken on
# purpose: its error is printed and expected, so the demo still exits 0 (annotate itself exits 1
# when some records failed and the rest is complete).
demo: $(STAMP)
	@mkdir -p demo-output
	$(BIN)/her2scope demo -o demo-output/annotations.jsonl

test: $(STAMP)
	$(BIN)/ruff check her2scope tests benchmarks scripts
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy her2scope
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache
