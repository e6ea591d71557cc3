"""Notebooks are committed clean: no outputs, python3 kernel, install cell from _config.yml.

The book's notebook pages are those _toc.yml names (scripts/book_files.py): the chapters
(``NN_*.ipynb``), the one-screen page and the appendices. Every
page starts with the Colab install cell and states its computed run time; a page that trains
takes its budgets from one ``parameters`` cell. Exercises are a rule for chapters only.

What a reader sees of a page's code is written for reading: a visible line (of a code cell the
page shows, folded or not, and of a Python block in its text, such as a solution) is at most
79 columns, so that it fits the text column without a wrap that breaks Python's indentation;
no ``# noqa`` comment; and a visible cell imports only what visible code uses (``glue``,
``check_claim``, ``NotebookTimer`` are imported by the hidden cells that use them). Numbers in
the prose come from ``gan_utils.book.glue``, which writes a float the book's way
(``format_number``): a ``{glue:text}`` role gives it no float format of its own.
"""
import ast
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
LINE_LIMIT = 79
HIDDEN_TAGS = {"remove-cell", "remove-input"}  # a hide-input cell is folded, not hidden: it counts
PYTHON_BLOCK = re.compile(r"^([ \t]*)```+(?:python|ipython3?)[ \t]*\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
FLOAT_FORMAT = re.compile(r"\{glue:text\}`([\w.:/-]*?):([^`]*[eEfFgG%])`")


def visible_code(path):
    """(where, source) of each piece of code a reader of the page sees."""
    for index, cell in enumerate(book_files.cells(path)):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] == "code" and not tags & HIDDEN_TAGS:
            yield f"cell {index} ({cell.get('id')})", cell["source"]
        elif cell["cell_type"] == "markdown":
            for _, block in PYTHON_BLOCK.findall(cell["source"]):
                yield f"a Python block of markdown cell {index} ({cell.get('id')})", block


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


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_visible_code_lines_fit_79_columns(path):
    """Issue 23 item 4: a longer line wraps on the page (to column 0, breaking the indentation)."""
    long = [f"{where}: {len(line)} columns: {line.strip()[:60]}"
            for where, source in visible_code(path) for line in source.splitlines()
            if len(line) > LINE_LIMIT]
    assert not long, (f"{path.name}: {len(long)} visible code lines are longer than {LINE_LIMIT} "
                      "columns; wrap them (e.g. black -l 79 -S on the cell):\n" + "\n".join(long))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_visible_code_has_no_noqa_and_imports_only_what_it_uses(path):
    """Bookkeeping (glue, check_claim, NotebookTimer) is imported where it is used: in the hidden cells."""
    visible = [(where, source) for where, source in visible_code(path) if where.startswith("cell")]
    problems = [f"{where}: a '# noqa' comment" for where, source in visible if "# noqa" in source]
    used = set()
    imported = {}
    for where, source in visible:
        tree = ast.parse(re.sub(r"^(\s*)[%!].*$", r"\1pass", source, flags=re.MULTILINE))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gan_utils"):
                for alias in node.names:
                    imported[alias.asname or alias.name] = where
            elif isinstance(node, ast.Name):
                used.add(node.id)
    problems += [f"{where} imports {name}, which no visible cell uses: import it in the hidden cell that does"
                 for name, where in imported.items() if name not in used]
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_glued_numbers_take_the_books_format(path):
    """Issue 23 item 9: glue writes a float with format_number (three significant figures, × 10ⁿ,
    U+2212); a float format in the role would format that text again. Choose the digits in the
    glue call instead: glue(name, value, decimals=2) or significant=4."""
    formats = FLOAT_FORMAT.findall(book_files.markdown(path))
    assert not formats, (f"{path.name}: glue roles with a float format of their own: "
                         + ", ".join(f"{name}:{spec}" for name, spec in formats))
