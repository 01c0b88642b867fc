# evalcore: `make run` starts the app, `make test` runs every test. Both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Loopback only by default, as `mlflow ui` and TensorBoard do: anyone who can reach the port can start training on
# this machine and read every run. `make run HOST=0.0.0.0` exposes it to the network on purpose.
HOST ?= 127.0.0.1

.PHONY: run test test-ray check bench bench-evaluate bench-ablation bench-train bench-runs bench-team bench-limits clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

run: $(VENV)/.runtime
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.address $(HOST) --server.fileWatcherType none

# Static checks: lint with a complexity limit of 15, types in evalcore/, the import layers (pyproject.toml).
check: $(VENV)/.dev
	$(BIN)/ruff check evalcore ui pages app.py tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: check
	KERAS_HOME=$(CURDIR)/.evalcore/keras $(BIN)/python -m pytest -n 2 --dist loadfile
	$(MAKE) test-ray

# The Ray tests: a real two-node Ray cluster and a real PostgreSQL server, in a network namespace that has only
# loopback (Ray binds to the machine's address otherwise). Needs root, as CI has: unshare -n, ip link set lo up.
test-ray: $(VENV)/.dev
	unshare -n sh -c 'ip link set lo up && EVALCORE_RAY_TESTS=1 KERAS_HOME=$(CURDIR)/.evalcore/keras \
		$(BIN)/python -m pytest -p no:cacheprovider tests/ray'

# Every speed budget in one table (issue 11): reading, evaluating, memory, runs, training, the browser (Debian's
# chromium). The table is kept in docs/bench-speed.txt; the README's performance table is copied from it.
bench: $(VENV)/.dev
	KERAS_HOME=$(CURDIR)/.evalcore/keras $(BIN)/python -m bench.speed | tee docs/bench-speed.txt

bench-evaluate: $(VENV)/.dev
	$(BIN)/python -m bench.evaluate_speed

bench-train: $(VENV)/.dev
	KERAS_HOME=$(CURDIR)/.evalcore/keras $(BIN)/python -m bench.train_speed

bench-ablation: $(VENV)/.dev
	$(BIN)/python -m bench.ablation_speed

bench-runs: $(VENV)/.dev
	$(BIN)/python -m bench.runs_speed

# Issue 10's team load: 19 synthetic LiveLogger workers on a real PostgreSQL 15 server (Debian's postgresql package).
bench-team: $(VENV)/.dev
	KERAS_HOME=$(CURDIR)/.evalcore/keras $(BIN)/python -m bench.team_load

bench-limits: $(VENV)/.dev
	$(BIN)/python -m bench.read_limits | tee docs/bench-read-limits.txt

clean:
	rm -rf $(VENV) .evalcore .pytest_cache .hypothesis .mypy_cache .ruff_cache .import_linter_cache
