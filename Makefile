# plantui: `make run` opens the app on the bundled sample plan; `make test` runs every check CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE_DB := var/sample.db
# The sample plan reads best as at its own status date; pass TODAY= to use the real date.
TODAY ?= 2022-11-01

.PHONY: run test lint contract unit postgres paper-libs poppler bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# PDF board papers (WeasyPrint) need Pango from the system; without it `report --format pdf` says
# what to install and the other formats still work.
paper-libs:
	@ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || sh scripts/install-system-package.sh libpango-1.0-0 "PDF board papers" || true
	@ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || sh scripts/install-system-package.sh libpangoft2-1.0-0 "PDF board papers" || true
	@ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || sh scripts/install-system-package.sh libharfbuzz-subset0 "PDF board papers: fonts embedded as subsets by HarfBuzz" || true

# The tests read PDF board papers back with pdftotext and pdftoppm.
poppler:
	@command -v pdftoppm >/dev/null 2>&1 || sh scripts/install-system-package.sh poppler-utils "reading PDF board papers back in the tests" || true

run: $(VENV)/.installed paper-libs
	@mkdir -p var
	$(BIN)/plantui --db $(SAMPLE_DB) $(if $(TODAY),--today $(TODAY))

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

contract: $(VENV)/.installed-dev
	$(BIN)/lint-imports

# The suite runs its store, CLI and concurrency tests on PostgreSQL too, in a throwaway cluster.
postgres:
	@sh scripts/ensure-postgres.sh

unit: $(VENV)/.installed-dev postgres paper-libs poppler
	$(BIN)/python -m pytest -n 2 -q

test: lint contract unit

# Timings against the targets of the performance issue; not part of `make test`. Its key and
# first-screen rows run in a real terminal, tmux, installed from the system's packages when missing.
bench: $(VENV)/.installed
	@command -v tmux >/dev/null 2>&1 || sh scripts/install-system-package.sh tmux "the benchmark's terminal rows" || true
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
