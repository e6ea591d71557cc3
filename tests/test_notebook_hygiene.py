"""Notebooks are committed clean: no outputs, python3 kernel, install cell from _config.yml.

The book's notebook pages are the chapters (``NN_*.ipynb``), the one-screen page
(``01b_gan_on_one_screen.ipynb``) and the appendices (``A1_*.ipynb``, ``A2_*.ipynb``). Every
page starts with the Colab install cell and states its computed run time; a page that trains
takes its budgets from one ``parameters`` cell. Exercises are a rule for chapters only.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb"))
PAGES = sorted([*ROOT.glob("notebooks/[0-9]*.ipynb"), *ROOT.glob("notebooks/A[0-9]*.ipynb")])
ALL_NOTEBOOKS = sorted(ROOT.glob("notebooks/**/*.ipynb"))
TOC = (ROOT / "_toc.yml").read_text()


def test_every_chapter_is_in_the_toc_and_every_toc_notebook_exists():
    listed = set(re.findall(r"file: (notebooks/[^\s]+)", TOC))
    assert listed == {f"notebooks/{path.stem}" for path in PAGES}, (listed, [p.stem for p in PAGES])


def test_every_notebook_is_a_page_or_an_assignment():
    """A notebook named otherwise would escape nbval (the Makefile's globs) and these tests."""
    odd = [path.name for path in (ROOT / "notebooks").glob("*.ipynb") if path not in PAGES]
    assert not odd, f"notebooks/ holds notebooks that are neither NN_*, 01b_* nor A<N>_*: {odd}"


def test_the_new_pages_sit_where_the_book_expects_them():
    """The one-screen page right after chapter 1, the appendices in their own part before the instructors'."""
    order = re.findall(r"file: ([^\s]+)|caption: (.+)", TOC)
    entries = [file or f"caption:{caption.strip()}" for file, caption in order]
    names = {path.stem: f"notebooks/{path.stem}" for path in PAGES}
    for stem, toc_path in names.items():
        if stem.startswith("01b_"):
            chapter_1 = next(f"notebooks/{p.stem}" for p in CHAPTERS if p.name.startswith("01_"))
            assert entries.index(toc_path) == entries.index(chapter_1) + 1, "the one-screen page follows chapter 1"
        if re.match(r"A\d", stem):
            index = entries.index(toc_path)
            part = [entry for entry in entries[:index] if entry.startswith("caption:")][-1]
            assert part == "caption:Appendices", f"{stem} is in the part {part!r}, not 'Appendices'"
            assert entries.index("caption:Appendices") > entries.index("caption:Chapters")
            assert entries.index("caption:Appendices") < entries.index("caption:For instructors")


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_without_outputs_and_with_python3_kernel(path):
    notebook = json.loads(path.read_text())
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            assert not cell["outputs"], f"cell {index} has outputs: run scripts/sync_notebooks.py"
            assert cell["execution_count"] is None, f"cell {index} has an execution count"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_structure(path):
    notebook = json.loads(path.read_text())
    cells = notebook["cells"]
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    first = "".join(cells[0]["source"])
    assert f"git+{url}" in first and "google.colab" in first, "first cell must be the Colab install cell"
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters' (papermill)"
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    if ".fit(" in code or "GradientTape" in code:  # a chapter that trains takes its budgets from the switch
        assert "pick(" in "".join(tagged[0]["source"]), "budgets come from gan_utils.book.pick"
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert markdown.count("```{exercise}") >= 3, "at least three exercises"
    assert markdown.count("```{solution}") >= 3
    assert "{glue:text}`run_time`" in markdown, "the chapter states its computed run time"
    assert f"notebooks/{path.stem}" in TOC, f"{path.name} is missing from _toc.yml"


@pytest.mark.parametrize("path", [p for p in PAGES if p not in CHAPTERS], ids=lambda p: p.name)
def test_page_structure(path):
    """The one-screen page and the appendices: Colab cell, computed run time, budgets from pick()."""
    cells = json.loads(path.read_text())["cells"]
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    first = "".join(cells[0]["source"])
    assert f"git+{url}" in first and "google.colab" in first, "first cell must be the Colab install cell"
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert re.match(r"\s*# \S", markdown), "the page starts with its title (# ...)"
    assert "{glue:text}`run_time`" in markdown, "the page states its computed run time"
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) <= 1, "at most one cell tagged 'parameters' (papermill)"
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    if ".fit(" in code or "GradientTape" in code:
        assert len(tagged) == 1 and "pick(" in "".join(tagged[0]["source"]), \
            "a page that trains takes its budgets from gan_utils.book.pick in one 'parameters' cell"


def test_sync_script_finds_nothing_to_change():
    result = subprocess.run([sys.executable, "scripts/sync_notebooks.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
