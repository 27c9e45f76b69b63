# rasd: every set-up step a fresh machine needs. `make demo` and `make test` install first.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
RASD   := $(VENV)/bin/rasd
DB     ?= rasd.db

.PHONY: install demo test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

demo: install
	rm -f $(DB)
	$(RASD) ingest examples/ --db $(DB)
	$(RASD) figures --db $(DB)
	$(RASD) events --db $(DB)

test: install
	$(VENV)/bin/pytest -q

bench: install
	$(PY) bench/throughput.py

clean:
	rm -rf $(VENV) build $(DB)
