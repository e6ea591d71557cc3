# The two commands of the README:
#   make book   builds the whole book (full profile) into _build/html
#   make test   runs every test (smoke profile)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-done

.PHONY: setup book test smoke-book assignments benchmark clean

$(STAMP): requirements.txt pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $(STAMP)

setup: $(STAMP)

# Executes every notebook at full settings (cached in _build/.jupyter_cache), renders HTML.
book: setup
	$(BIN)/python scripts/sync_notebooks.py --check
	$(BIN)/jupyter-book build . -W -n --keep-going

# Unit tests, nbval over every chapter, notebook hygiene, a smoke book build into
# _build/smoke with a headless-Chromium check of every page, and the assignments' grading.
# Two pytest workers (pytest-xdist), one file at a time each: a notebook's cells stay in
# order in one kernel, and the book build runs beside the notebooks and assignments.
test: setup
	GAN_BOOK_PROFILE=smoke GAN_BOOK_OFFLINE=1 $(BIN)/python -m pytest -p no:cacheprovider \
	  -n 2 --dist loadfile --nbval-lax --nbval-current-env --durations=15 tests notebooks/[0-9]*.ipynb

# Student versions of the assignments (not committed) into _build/assignments.
assignments: setup
	$(BIN)/python scripts/assign.py

benchmark: setup
	$(BIN)/python benchmarks/dcgan_speed.py

clean:
	rm -rf _build
