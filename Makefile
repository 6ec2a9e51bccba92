# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# The Nu HTML Checker (package.json), which tests/browser/test_every_page.py runs with Java.
NODE_STAMP := node_modules/.installed
DATABASE_URL_TEST ?= postgres://postgres@127.0.0.1:5432/mentoring
# One test process per CPU (pytest-xdist); PYTEST_PARALLEL= runs the suite in one process.
PYTEST_PARALLEL ?= -n auto --dist loadfile

.PHONY: run test security install lint format bench messages migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

# Without install scripts: vnu-jar's would download a Java runtime; the system's serves.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

install: $(STAMP)

## make run: install, migrate the local SQLite database, load the demo, serve on :8000
run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "  Open http://127.0.0.1:8000/  (officers' admin: http://127.0.0.1:8000/verwaltung/)"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: install the test dependencies and run the whole suite
test: $(TEST_STAMP) $(NODE_STAMP)
	DATABASE_URL=$${DATABASE_URL:-$(DATABASE_URL_TEST)} REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} \
		$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

## make security: the hardening checks alone (fuzzing, headers, stored markup, login
## throttling, registration); `make test` runs them too
security: $(TEST_STAMP)
	DATABASE_URL=$${DATABASE_URL:-$(DATABASE_URL_TEST)} REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} \
		$(BIN)/python -m pytest -m security $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make bench: throughput and latency figures, each next to a baseline of the same run
bench: $(TEST_STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en --no-obsolete
	$(BIN)/python manage.py compilemessages

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media staticfiles
