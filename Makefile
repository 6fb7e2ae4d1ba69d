# Two entry points for a fresh machine (Python 3.11, Node 20, npm):
#   make demo   - bootstrap, then the pilot on two local chains with validators and a relayer; writes pilot-report/
#   make test   - bootstrap and run the whole test suite against devnets it starts itself
# Bootstrap is idempotent: it reinstalls only when pyproject.toml or package-lock.json changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
JS_STAMP := node_modules/.installed

.PHONY: bootstrap demo test bench compile clean

bootstrap: $(PY_STAMP) $(JS_STAMP) browser graphviz

# Debian's Chromium and its chromedriver for the pilot report's browser test (tests/pilot): installed from the
# system's packages only when missing and apt is there; never a browser download of its own.
.PHONY: browser
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		if command -v apt-get >/dev/null 2>&1; then \
			apt-get install -y -q chromium chromium-driver || (apt-get update -q && apt-get install -y -q chromium chromium-driver); \
		else echo "chromium and chromium-driver are missing and apt-get is not available: install them to run tests/pilot"; fi; \
	fi

# Debian's Graphviz for the architecture diagram (docs/architecture.dot -> docs/architecture.svg, `make diagram`;
# tests/docs checks the committed image against its source): installed from the system's packages when missing.
.PHONY: graphviz
graphviz:
	@if [ ! -x /usr/bin/dot ]; then \
		if command -v apt-get >/dev/null 2>&1; then \
			apt-get install -y -q graphviz || (apt-get update -q && apt-get install -y -q graphviz); \
		else echo "graphviz is missing and apt-get is not available: install it to render docs/architecture.svg"; fi; \
	fi

$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# --ignore-scripts: the anvil/forge packages ship their binaries in platform packages;
# their postinstall would only try to download a binary, which must never happen here.
$(JS_STAMP): package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

demo: bootstrap
	$(BIN)/tenge demo

# The suite on TEST_WORKERS pytest-xdist workers: each package world (and each other test file) is one group
# run by one worker, slow groups first (tests/conftest.py); every worker has its own anvils, ports and temp dirs.
TEST_WORKERS ?= 2

test: bootstrap
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

bench: bootstrap
	$(BIN)/tenge bench

compile: bootstrap
	$(BIN)/tenge compile

clean:
	rm -rf $(VENV) node_modules .pytest_cache .hypothesis

# ape on the same sources (ape-config.yaml), offline: scripts/ape-env makes py-solc-x find the
# solc shim as an installed compiler and removes ape's unpacked dependency copies afterwards.
.PHONY: ape-compile
ape-compile: bootstrap
	scripts/ape-env $(BIN)/ape compile

# Generated docs (docs/cli.md, docs/api.md) and the contract-error classes (src/tenge/contract_errors.py);
# tests/docs fails when one is stale.
.PHONY: docs
docs: bootstrap
	$(BIN)/python -m tenge.docs

# The architecture diagram the README shows, rendered from its source.
.PHONY: diagram
diagram: bootstrap
	$(BIN)/python -m tenge.docs.diagram
