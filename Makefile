# Newsroom: `make run` serves the demo site, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install demo lint bench bench-ingest clean backup restore

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The ingest poller runs beside the server (no broker here), and stops with it.
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --url http://$(HOST):$(PORT)
	$(BIN)/python manage.py ingest --watch & poller=$$!; \
	trap 'kill $$poller 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The harness needs only the project; the `bench` extra adds the profilers, and wrk is
# installed from Debian's packages when missing (as root), else a Python client stands in.
bench: $(STAMP)
	@test $(VENV)/.bench-installed -nt pyproject.toml || \
		{ $(BIN)/python -m pip install --quiet -e '.[bench]' && touch $(VENV)/.bench-installed; } || \
		echo "bench: could not install the bench extra (pyinstrument, py-spy); BENCH_PROFILE=1 will not work"
	$(BIN)/python bench/run.py

# PostgreSQL only (DATABASE_URL): pg_dump and the media folder into BACKUP_DIR/<timestamp>/
# (BACKUP_DIR defaults to ./backups). Restore into a new, empty database.
backup: $(STAMP)
	$(BIN)/python manage.py backup

restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<timestamp> (into DATABASE_URL's new, empty database)" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)"

# Ingest through the task path: two Celery workers on PostgreSQL and Redis (see bench/ingestbench.py).
bench-ingest: $(STAMP)
	$(BIN)/python bench/ingestbench.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache bench/.wagtail-venv
