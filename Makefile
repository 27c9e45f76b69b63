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

include mk/web.mk

demo: install web
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(RASD) ingest examples/reports/ --db $(DB)
	$(RASD) figures --db $(DB)
	$(RASD) events --db $(DB)
	$(RASD) incidents --db $(DB)
	@echo
	@echo "Open the map:  $(RASD) serve --db $(DB)   then visit http://127.0.0.1:8000/"

test: install web
	$(VENV)/bin/pytest -q

bench: install
	$(PY) bench/throughput.py --repeat 3
	$(PY) bench/places.py
	$(PY) bench/link.py
	$(PY) bench/api.py
	$(PY) bench/dask_scaling.py
	$(PY) bench/pg_ingest.py

clean: web-clean
	rm -rf $(VENV) build $(DB)
