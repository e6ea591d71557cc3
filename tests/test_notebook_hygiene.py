"""Notebooks are committed clean: no outputs, python3 kernel, install cell from _config.yml.

The book's notebook pages are those _toc.yml names (scripts/book_files.py): the chapters
(``NN_*.ipynb``), the one-screen page and the appendices. Every
page starts with the Colab install cell and states its computed run time; a page that trains
takes its budgets from one ``parameters`` cell. Exercises are a rule for chapters only.
"""
import json
import re
import subprocess
import sys

import pytest

import book_files
from book_files import ROOT

PAGES = book_files.notebooks()
CHAPTERS = [path for path in PAGES if book_files.chapter_number(path) is not None]
ALL_NOTEBOOKS = sorted(ROOT.glob("notebooks/**/*.ipynb"))


def test_every_notebook_is_a_page_or_an_assignment():
    """A notebook that _toc.yml does not name would be in no book, no nbval run and none of these tests."""
    odd = [path.name for path in ALL_NOTEBOOKS if path not in PAGES and path not in book_files.assignments()]
    assert not odd, f"notebooks that are neither a page of _toc.yml nor an assignment master: {odd}"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_without_outputs_and_with_python3_kernel(path):
    assert json.loads(path.read_text())["metadata"]["kernelspec"]["name"] == "python3"
    for index, cell in enumerate(book_files.cells(path)):
        if cell["cell_type"] == "code":
            assert not cell["outputs"], f"cell {index} has outputs: run scripts/sync_notebooks.py"
            assert cell["execution_count"] is None, f"cell {index} has an execution count"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_structure(path):
    cells = book_files.cells(path)
    url = book_files.repository_url()
    first = cells[0]["source"]
    assert f"git+{url}" in first and "google.colab" in first, "first cell must be the Colab install cell"
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters' (papermill)"
    code, markdown = book_files.code(path), book_files.markdown(path)
    if ".fit(" in code or "GradientTape" in code:  # a chapter that trains takes its budgets from the switch
        assert "pick(" in tagged[0]["source"], "budgets come from gan_utils.book.pick"
    assert markdown.count("```{exercise}") >= 3, "at least three exercises"
    assert markdown.count("```{solution}") >= 3
    assert "{glue:text}`run_time`" in markdown, "the chapter states its computed run time"


@pytest.mark.parametrize("path", [p for p in PAGES if p not in CHAPTERS], ids=lambda p: p.name)
def test_page_structure(path):
    """The one-screen page and the appendices: Colab cell, computed run time, budgets from pick()."""
    cells = book_files.cells(path)
    url = book_files.repository_url()
    first = cells[0]["source"]
    assert f"git+{url}" in first and "google.colab" in first, "first cell must be the Colab install cell"
    markdown, code = book_files.markdown(path), book_files.code(path)
    assert re.match(r"\s*# \S", markdown), "the page starts with its title (# ...)"
    assert "{glue:text}`run_time`" in markdown, "the page states its computed run time"
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) <= 1, "at most one cell tagged 'parameters' (papermill)"
    if ".fit(" in code or "GradientTape" in code:
        assert len(tagged) == 1 and "pick(" in tagged[0]["source"], \
            "a page that trains takes its budgets from gan_utils.book.pick in one 'parameters' cell"


def test_sync_script_finds_nothing_to_change():
    result = subprocess.run([sys.executable, "scripts/sync_notebooks.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
