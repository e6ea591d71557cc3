"""Every public function and class of gan_utils says where the book uses it (d2l style), truly.

A docstring names the chapter(s) that use the name ("Introduced in chapter 4", "chapters 3
and 6"), the "How to use this book" page, the assignments, a page that is not a chapter by
its title (the one-screen page, "A GAN on one screen"; an appendix as "the appendix Bugs
that tutorials ship" or "appendix Fast on a CPU", the title read from the notebook's first
heading), or, for a helper of the library itself, the library functions that call it ("Used
by ``classifier_fid``"); this test reads those places and fails if the name does not occur
there, or if an appendix it names does not exist.
"""
import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(path for path in (ROOT / "gan_utils").glob("*.py") if path.name != "__init__.py")
CHAPTER_MENTION = re.compile(r"[Cc]hapters? (\d+)((?:(?:,| and| or) \d+)*)")


def public_definitions(path):
    tree = ast.parse(path.read_text())
    return [node for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")]


def notebook_text(path):
    """A notebook's code and prose (an exercise that asks for a function uses it too)."""
    return "\n".join("".join(cell["source"]) for cell in json.loads(path.read_text())["cells"])


CHAPTER_TEXT = {int(path.name[:2]): notebook_text(path) for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}


def page_title(path):
    """The page's title: the first level-1 heading of its markdown."""
    markdown = "\n".join("".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]
                         if cell["cell_type"] == "markdown")
    return re.search(r"^# (.+)$", markdown, re.MULTILINE).group(1).strip()


# The pages that are not chapters, by title: the one-screen page (01b_*) and the appendices (A<N>_*).
OTHER_PAGES = {page_title(path): (path, notebook_text(path))
               for path in [*(ROOT / "notebooks").glob("[0-9][0-9]b_*.ipynb"), *(ROOT / "notebooks").glob("A[0-9]*.ipynb")]}
APPENDIX_MENTION = re.compile(r"\b[Aa]ppendix\s+[\"“]?([^\"”]{1,60})")
ASSIGNMENT_TEXT = "\n".join(notebook_text(path) for path in (ROOT / "notebooks" / "assignments").glob("*.ipynb"))
HOW_TO_USE = (ROOT / "book" / "how_to_use.md").read_text()
USED_BY = re.compile(r"[Uu]sed by ((?:``\w+``(?:,| and| or)? ?)+)")
LIBRARY = {getattr(node, "name", None) or node.targets[0].id: ast.get_source_segment(path.read_text(), node)
           for path in MODULES for node in ast.parse(path.read_text()).body
           if isinstance(node, (ast.FunctionDef, ast.ClassDef))
           or isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}


def named_chapters(docstring):
    numbers = set()
    for first, rest in CHAPTER_MENTION.findall(docstring):
        numbers |= {int(first), *map(int, re.findall(r"\d+", rest))}
    return numbers


def places(docstring):
    """{place: its text} for every place the docstring names."""
    found = {f"chapter {number}": CHAPTER_TEXT.get(number) for number in named_chapters(docstring)}
    flat = " ".join(docstring.split()).lower()
    for title, (path, text) in OTHER_PAGES.items():
        if title.lower() in flat:
            found[f"the page {title!r} ({path.name})"] = text
    for following in APPENDIX_MENTION.findall(" ".join(docstring.split())):
        appendices = [title for title, (path, _) in OTHER_PAGES.items() if path.name.startswith("A")]
        if not any(following.lower().startswith(title.lower()) for title in appendices):
            found[f"an appendix {following!r}... (appendices: {appendices})"] = None
    if "one screen" in flat and not any("one screen" in place for place in found):
        found["the one-screen page (no notebooks/01b_*.ipynb with that title)"] = None
    if "How to use this book" in docstring:
        found["How to use this book"] = HOW_TO_USE
    if "assignments" in docstring:
        found["the assignments"] = ASSIGNMENT_TEXT
    for names in USED_BY.findall(docstring):  # a helper of other library functions
        for name in re.findall(r"``(\w+)``", names):
            found[f"gan_utils' {name}"] = LIBRARY.get(name)
    return found


CASES = [(path, node) for path in MODULES for node in public_definitions(path)]


@pytest.mark.parametrize("path,node", CASES, ids=[f"{path.stem}.{node.name}" for path, node in CASES])
def test_docstring_names_places_that_use_the_name(path, node):
    docstring = ast.get_docstring(node) or ""
    named = places(docstring)
    assert named, f"{path.name}:{node.name}'s docstring names no chapter, page or the assignments"
    missing_chapters = sorted(place for place, text in named.items() if text is None)
    assert not missing_chapters, f"{path.name}:{node.name} names {missing_chapters}, which do not exist"
    named = {place: text.replace(LIBRARY[node.name], "") for place, text in named.items()}  # not itself
    unused = sorted(place for place, text in named.items() if not re.search(rf"\b{node.name}\b", text))
    assert not unused, f"{path.name}:{node.name} says it is used in {unused}, which never mention it"
