# Expediente — two commands: `make run` (serve the demo on SQLite) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
export EXPEDIENTE_ENV ?= development

.PHONY: run serve install system-deps test test-pg test-browser bench

# OCR (OCRmyPDF + Tesseract with Portuguese) and DejaVu Sans for PDFs: installed when missing and we are
# root; without them the system still works: scanned files stay unsearchable, PDFs print WinAnsi only.
SYSTEM_PACKAGES := ocrmypdf tesseract-ocr tesseract-ocr-por fonts-dejavu-core

system-deps:
	@if ! command -v ocrmypdf >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx por \
	    || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null || (apt-get update -qq && apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null); \
	  else echo "Aviso: instale $(SYSTEM_PACKAGES) (apt-get) para o OCR de digitalizados e os símbolos (≥ → ✓) nos PDFs."; fi; \
	fi

$(VENV)/.installed: requirements.txt | system-deps
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

## make run: create the venv, install, migrate, seed the demo on an empty database, serve.
run: $(VENV)/.installed
	mkdir -p instance
	$(FLASK) db upgrade heads
	if $(FLASK) db-is-empty; then $(FLASK) seed-demo; fi
	$(MAKE) --no-print-directory serve

# The job worker (indexing, OCR, exports, e-mail) runs beside the web server and stops with it.
serve:
	$(FLASK) worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

## make test: the whole suite on SQLite (set TEST_DATABASE_URL for PostgreSQL).
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

test-pg: $(VENV)/.installed-test
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest

test-browser: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests/browser -p no:cacheprovider -o addopts=""

bench: $(VENV)/.installed-test
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done
