"""One execution per chapter: what nbval's kernel produced becomes the smoke book's outputs.

nbval executes every notebook page cell by cell (`make test`, first phase: the chapters, the
one-screen page and the appendices, the notebook pages of _toc.yml; "chapter" below means any
of them).
When every cell of a notebook has passed, this plugin stores the notebook, with the outputs
nbval's kernel produced, and its execution seconds (the run-time table of "Before you start"
shows them), in the smoke build's jupyter-cache (`_build/smoke/_build/.jupyter_cache`),
under the same key Jupyter Book computes from the notebook's code cells. The smoke book
build (`tests/test_book.py`, second phase) then finds every chapter in the cache and
executes nothing. A chapter that fails, or changed since, has no matching entry, and the
book build executes it itself; so `pytest tests/test_book.py` alone still works.
"""
import fcntl
import os
import time

import pytest

import book_files

SMOKE_CACHE = book_files.ROOT / "_build" / "smoke" / "_build" / ".jupyter_cache"
NOTEBOOK_PAGES = {str(path) for path in book_files.notebooks()}


def _is_nbval_cell(item):
    return type(item).__name__ == "IPyNbCell" and str(item.parent.fspath) in NOTEBOOK_PAGES


def _with_cache(action):
    """Run ``action(cache)`` holding a file lock: two pytest workers share one cache database."""
    from jupyter_cache import get_cache

    SMOKE_CACHE.mkdir(parents=True, exist_ok=True)
    with open(SMOKE_CACHE.parent / ".jupyter_cache.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return action(get_cache(str(SMOKE_CACHE)))


def _forget(notebook):
    """Drop a cached execution of this notebook's code, so a failed run cannot leave an old one."""
    def remove(cache):
        try:
            record = cache.match_cache_notebook(notebook)
        except KeyError:
            return
        cache.remove_cache(record.pk)
    _with_cache(remove)


def _store(notebook, uri, seconds):
    from jupyter_cache.base import CacheBundleIn

    _with_cache(lambda cache: cache.cache_notebook_bundle(
        CacheBundleIn(notebook, uri, data={"execution_seconds": seconds}),
        check_validity=True, overwrite=True))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """nbval starts a chapter's kernel in its first cell's set-up: with the inline backend,
    as Jupyter and the book build do, so that its figures are outputs the book can show."""
    if not (_is_nbval_cell(item) and item.cell_num == 0):
        yield
        return
    saved = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = saved


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.when != "call" or not _is_nbval_cell(item):
        return
    report = outcome.get_result()
    file = item.parent
    code_cells = [cell for cell in file.nb.cells if cell.cell_type == "code"]
    if item.cell_num == 0:
        file.execution_started = time.perf_counter()
        file.execution_failed = False
    if not report.passed:
        if not file.execution_failed:
            file.execution_failed = True
            _forget(file.nb)
        return
    # nbval compares against item.cell (the notebook's own cell) inside runtest only, so the
    # outputs can be written into it once the call is over.
    item.cell.outputs = item.test_outputs or []
    item.cell.execution_count = item.cell_num + 1
    for output in item.cell.outputs:
        if output.get("output_type") == "execute_result":
            output["execution_count"] = item.cell_num + 1
    if item.cell_num == len(code_cells) - 1 and not file.execution_failed:
        _store(file.nb, str(file.fspath), time.perf_counter() - file.execution_started)


SLOW_FILES = {"test_book.py", "test_assignments.py"}


def pytest_collection_modifyitems(items):
    """`pytest -m "not slow"` is the quick unit loop: no chapter, no book build, no grading."""
    for item in items:
        if _is_nbval_cell(item) or item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
