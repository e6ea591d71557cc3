# The commands of the README:
#   make book   builds the whole book (full profile) into _build/html, its Chinese edition
#               into _build/html/zh (from the same run), and its PDF
#   make test   runs every test (smoke profile)
#   make pdf    prints the built book to _build/html/gan-book.pdf (make book does it too)
#   make words  prose words per page (scripts/word_count.py)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-done

.PHONY: setup book pdf words test smoke-book assignments benchmark clean

# The notebook pages of _toc.yml (chapters, the one-screen page, appendices); read when a recipe
# needs them, after set-up.
PAGES = $(shell $(BIN)/python scripts/book_files.py notebooks)

$(STAMP): requirements.txt pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $(STAMP)

setup: $(STAMP)

# Executes every notebook at full settings (cached in _build/.jupyter_cache), renders HTML,
# then the Chinese edition into _build/html/zh from the same executions (scripts/zh.py; it
# trains nothing), then the PDF: a single-page build from the same cache, printed by headless
# Chromium.
book: setup
	$(BIN)/python scripts/sync_notebooks.py --check
	rm -rf _build/.doctrees  # re-read every page (from the cache): a term or label that moved pages is no duplicate
	GAN_BOOK_STRICT=1 $(BIN)/jupyter-book build . -W -n --keep-going
	GAN_BOOK_STRICT=1 $(BIN)/python scripts/zh.py build
	GAN_BOOK_STRICT=1 $(BIN)/python scripts/book_pdf.py

pdf: setup
	GAN_BOOK_STRICT=1 $(BIN)/python scripts/book_pdf.py

words:
	$(BIN)/python scripts/word_count.py

# Every test, in the smoke profile, in two phases of two pytest workers (pytest-xdist; one
# file at a time each, so a notebook's cells stay in order in one kernel):
#   1. the library's unit tests and nbval over every chapter; each chapter executes once,
#      and conftest.py stores what nbval's kernel produced in the smoke book's cache;
#   2. the smoke book build into _build/smoke, which reuses those executions (it fails if it
#      executes a chapter again), its Chinese edition, its PDF, a headless-Chromium check of
#      every page of both editions and screenshots (_build/smoke/screenshots),
#      beside the assignments' grading (--dist loadscope: a module's test functions, or a
#      class's tests, stay on one worker: the book's tests together, each assignment's class
#      together, the assignments spread over both workers).
SMOKE := GAN_BOOK_PROFILE=smoke GAN_BOOK_OFFLINE=1 GAN_BOOK_STRICT=1
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile --durations=10
test: setup
	$(SMOKE) $(PYTEST) --nbval-lax --nbval-current-env tests $(PAGES) \
	  --ignore=tests/test_book.py --ignore=tests/test_assignments.py
	$(SMOKE) $(PYTEST) --dist loadscope tests/test_book.py tests/test_assignments.py

# Student versions of the assignments (not committed) into _build/assignments.
assignments: setup
	$(BIN)/python scripts/assign.py

benchmark: setup
	$(BIN)/python benchmarks/dcgan_speed.py

clean:
	rm -rf _build
