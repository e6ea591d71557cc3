"""The notebook a student opens on Colab or in JupyterLab folds what the book folds.

Every code cell the book removes or folds (tags remove-cell, remove-input, hide-input) is in
Colab's form view (``"cellView": "form"`` and a ``#@title`` first line saying what it does) and
has its source hidden in JupyterLab/Notebook 7 (``"jupyter": {"source_hidden": true}``); no
other cell has any of these. scripts/sync_notebooks.py sets them from the tags.
"""
import json
import re

import pytest

import book_files
import sync_notebooks

FOLDED = {"remove-cell", "remove-input", "hide-input"}
PAGES = book_files.notebooks()


def code_cells(path):
    return [(index, cell) for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"])
            if cell["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("path", PAGES + book_files.assignments(), ids=lambda p: p.name)
def test_folded_cells_carry_colab_and_jupyter_metadata(path):
    problems = []
    for index, cell in code_cells(path):
        metadata, text = cell.get("metadata", {}), source(cell)
        first = text.split("\n", 1)[0]
        hidden = metadata.get("jupyter", {})
        if FOLDED & set(metadata.get("tags", [])):
            if metadata.get("cellView") != "form":
                problems.append(f"cell {index}: no \"cellView\": \"form\"")
            if not re.fullmatch(r"#@title \S.*", first):
                problems.append(f"cell {index}: first line is not '#@title <what the cell does>': {first!r}")
            elif "\n" not in text or not text.split("\n", 1)[1].strip():
                problems.append(f"cell {index}: nothing under its #@title line")
            if hidden.get("source_hidden") is not True:
                problems.append(f"cell {index}: no \"jupyter\": {{\"source_hidden\": true}}")
            if text.count("#@title") != 1:
                problems.append(f"cell {index}: {text.count('#@title')} #@title lines")
        elif "cellView" in metadata or "source_hidden" in hidden or "outputs_hidden" in hidden or "@title" in first:
            problems.append(f"cell {index} is not tagged to be folded but carries form view or hidden source")
    assert not problems, f"{path.name} (run scripts/sync_notebooks.py):\n" + "\n".join(problems)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_titles_say_what_each_cell_does(path):
    """Titles differ from cell to cell where the cells differ: a figure's says it is a plot, and
    a cell whose output a student may need (a claim check's note) keeps its output in view."""
    for index, cell in code_cells(path):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if not FOLDED & tags:
            continue
        text = source(cell)
        title = text.split("\n", 1)[0].removeprefix("#@title ")
        assert len(title) <= sync_notebooks.MAX_TITLE + 20, (path.name, index, title)
        if "hide-input" in tags and sync_notebooks.DRAWS.search(text):
            assert title.startswith("Plot: "), (path.name, index, title)
        if "check_claim(" in text:
            assert not cell["metadata"]["jupyter"].get("outputs_hidden"), (path.name, index)


def test_sync_folds_by_tag_keeps_one_title_and_unfolds_untagged_cells():
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "The same run as a few stills:"},
        {"cell_type": "code", "metadata": {"tags": ["hide-input"]}, "outputs": [], "execution_count": None,
         "source": "plt.plot(x)\nplt.show()"},
        {"cell_type": "code", "metadata": {"tags": ["remove-cell"]}, "outputs": [], "execution_count": None,
         "source": ["# Check what the paragraph above says (a hidden cell).\n", "assert x > 0\n"]},
        {"cell_type": "code", "metadata": {"tags": ["remove-cell"]}, "outputs": [], "execution_count": None,
         "source": "glue('ch9_x', x)"},
        {"cell_type": "code", "metadata": {"cellView": "form", "jupyter": {"source_hidden": True}},
         "outputs": [], "execution_count": None, "source": "#@title Old title\nx = 1"},
    ]}
    once = sync_notebooks.normalised(notebook, "https://example.org/repo")
    assert sync_notebooks.normalised(once, "https://example.org/repo") == once  # a second sync changes nothing
    install, plot, check, numbers, plain = once["cells"][0], *once["cells"][2:]
    assert source(install).startswith(f"#@title {sync_notebooks.INSTALL_TITLE}\n{sync_notebooks.MARKER}")
    assert source(plot) == "#@title Plot: the same run as a few stills\nplt.plot(x)\nplt.show()"
    assert plot["metadata"]["jupyter"] == {"source_hidden": True}
    assert check["source"] == ["#@title Check what the paragraph above says\n", "# Check what the paragraph above "
                               "says (a hidden cell).\n", "assert x > 0\n"]
    assert check["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert source(numbers).startswith("#@title Book bookkeeping: numbers for the text\n")
    assert source(plain) == "x = 1" and "cellView" not in plain["metadata"] and "jupyter" not in plain["metadata"]
