"""Every public function and class of gan_utils says where the book introduces it (d2l style)."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted((ROOT / "gan_utils").glob("*.py"))
# A chapter number, the "How to use this book" page, or the assignments.
WHERE = re.compile(r"[Cc]hapters? \d|How to use this book|assignments")


def public_definitions(path):
    tree = ast.parse(path.read_text())
    return [node for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_public_docstrings_name_their_chapter(path):
    missing = [node.name for node in public_definitions(path) if not WHERE.search(ast.get_docstring(node) or "")]
    assert not missing, f"{path.name}: docstrings that do not name the chapter introducing them: {missing}"


def test_the_named_chapters_exist():
    chapters = {int(p.name[:2]) for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    for path in MODULES:
        for node in public_definitions(path):
            for number in re.findall(r"[Cc]hapters? (\d+)", ast.get_docstring(node) or ""):
                assert int(number) in chapters, f"{path.name}:{node.name} names chapter {number}, which does not exist"
