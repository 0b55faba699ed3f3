# Everything a developer or CI runs; each target installs what it needs first.
VENV ?= .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
# The Korean font the weekly revenue chart is drawn with (Debian's fonts-nanum)
KOREAN_FONT ?= /usr/share/fonts/truetype/nanum/NanumGothic.ttf

.PHONY: setup demo test lint typecheck check bench clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi

$(KOREAN_FONT):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq fonts-nanum; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq fonts-nanum; fi

setup: $(VENV)/.installed $(CHROMIUM) $(KOREAN_FONT)

demo: setup
	$(VENV)/bin/publ-sync demo

test: setup lint typecheck
	$(VENV)/bin/pytest -q -n auto

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check bot sync tests bench

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

# lint + typecheck, without the test suite (what a quick pre-commit look needs)
check: lint typecheck

bench: setup
	$(PY) bench/import_bench.py
	$(PY) bench/download_bench.py
	$(PY) bench/ack_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
