# Two commands are all the set-up there is: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install only when the package metadata changed (the install is editable,
# so code changes need no re-install).
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint bench clean tmux

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/rejection-tui

# The end-to-end tests drive the real program in tmux; install it when missing.
tmux:
	@command -v tmux >/dev/null 2>&1 || { \
	  echo "tmux is missing: installing it from Debian's packages"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq tmux >/dev/null; }

lint: $(STAMP_DEV)
	$(BIN)/ruff check rejection_tui tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# pytest exits 5 when it collected no test; make treats that (like any
# non-zero status) as a failure, so an empty suite can never pass.
test: $(STAMP_DEV) tmux lint
	$(BIN)/python -m pytest -n auto

bench: $(STAMP_DEV) tmux
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache dist build
