"""Notebooks are committed clean: no outputs, python3 kernel, install cell from _config.yml."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(ROOT.glob("notebooks/[0-9]*.ipynb"))
ALL_NOTEBOOKS = sorted(ROOT.glob("notebooks/**/*.ipynb"))
TOC = (ROOT / "_toc.yml").read_text()


def test_every_chapter_is_in_the_toc_and_every_toc_notebook_exists():
    listed = set(re.findall(r"file: (notebooks/[^\s]+)", TOC))
    assert listed == {f"notebooks/{path.stem}" for path in CHAPTERS}, (listed, [p.stem for p in CHAPTERS])


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


def test_sync_script_finds_nothing_to_change():
    result = subprocess.run([sys.executable, "scripts/sync_notebooks.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
