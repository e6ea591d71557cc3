"""The prose states no result of a particular run by hand, and uses what it glues.

Numbers and descriptions of a run come from the executed notebook (glue, or a hidden check
cell); a review found the phrases below typed into the prose, and they must not come back.
Every glued name used in a chapter's markdown is glued by that chapter (the -W book build
also fails on a missing one; this says which, in a second), and every chapter points to the
notation table. The one-screen page and the appendices follow the same rules, except the
notation pointer (a chapter's duty); each page glues under its own prefix (book_files.glue_prefix).
"""
import re

import pytest

import book_files
from book_files import ROOT, code, markdown

PAGES = book_files.notebooks()
CHAPTERS = [path for path in PAGES if book_files.chapter_number(path) is not None]
ASSIGNMENTS = book_files.assignments()

# Typed descriptions of one run, or statements found wrong, by the correctness review.
TYPED_PHRASES = [
    "about 91 %", "about 91%",
    "this one among them",
    "trained faster to a lower FID in our measurements",
    "the extra updates win",
    "on our CPU it was not faster",
    "makes less progress in our short runs",
    "a few hundred images per second",
    "right at log 4",
    "left panel of the middle row",
    "one generator draws fairly clean waves",
    "A well-known textbook writes the game with min and max swapped",
    "smallest at $\\mu = 0$, by symmetry", "smallest at μ = 0, by symmetry",
    "a blurry average",
    "circle the equilibrium forever",
    "only 8 bits of mantissa",
    "a hundredth of",
    "on two CPU cores",
    "in our measurements",
    "our CPU",
]
GLUE_ROLE = re.compile(r"\{glue(?::\w*)?\}(?:`|[ \t]+)([A-Za-z0-9_]+)")
GLUE_CALL = re.compile(r"""\bglue\(\s*f?["']([A-Za-z0-9_{}.\[\]'"]+?)["']\s*,""")


def glued_patterns(path):
    """Each glue() call's name as a pattern: an f-string's fields match any identifier part."""
    return {name: re.compile(re.sub(r"\\\{[^}]*\\\}", r"\\w+", re.escape(name)) + r"\Z")
            for name in GLUE_CALL.findall(code(path))}


@pytest.mark.parametrize("path", PAGES + ASSIGNMENTS, ids=lambda path: path.stem)
def test_no_typed_run_results_or_known_errors(path):
    prose = " ".join(markdown(path).split())
    found = [phrase for phrase in TYPED_PHRASES if phrase.lower() in prose.lower()]
    assert not found, f"{path.name} types a run's result or a known error into its prose: {found}"


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.stem)
def test_glued_names_in_the_prose_are_glued_by_the_chapter(path):
    used, glued = set(GLUE_ROLE.findall(markdown(path))), glued_patterns(path)
    missing = sorted(name for name in used if not any(p.match(name) for p in glued.values()))
    assert not missing, f"{path.name} uses names it never glues: {missing}"
    unused = sorted(name for name, p in glued.items() if not any(p.match(n) for n in used))
    assert not unused, f"{path.name} glues names its prose never uses: {unused}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_every_chapter_points_to_the_notation_table(path):
    assert "<notation>`" in markdown(path) or "{ref}`notation`" in markdown(path), \
        f"{path.name} never links to the notation table ({{ref}}`notation table <notation>`)"


def test_the_notation_table_is_stated_once():
    page = (ROOT / "book" / "before_you_start.md").read_text()
    assert "(notation)=" in page
    others = [p.name for p in [*(ROOT / "book").glob("*.md"), *PAGES] if p.name != "before_you_start.md"
              and "(notation)=" in (markdown(p) if p.suffix == ".ipynb" else p.read_text())]
    assert not others, f"a second notation label in {others}"


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.stem)
def test_glue_names_follow_one_convention(path):
    """chN_name for every value of chapter N, onescreen_/bugs_/fastcpu_ for the other pages;
    run_time is the one name every page shares."""
    prefix = book_files.glue_prefix(path)
    odd = sorted(name for name in glued_patterns(path) if name != "run_time" and not name.startswith(prefix))
    assert not odd, f"{path.name} glues names without the {prefix} prefix: {odd}"


def test_glue_prefixes_are_distinct():
    prefixes = [book_files.glue_prefix(path) for path in PAGES]
    assert len(set(prefixes)) == len(prefixes), prefixes


def test_no_function_is_defined_in_two_chapters():
    """What a second page needs lives in gan_utils, once (the assignments are self-contained);
    the one-screen page and the appendices count as pages here."""
    seen = {}
    for path in PAGES:
        for name in set(re.findall(r"^(?:def|class) (\w+)", code(path), re.MULTILINE)):
            seen.setdefault(name, []).append(path.stem)
    twice = {name: chapters for name, chapters in seen.items() if len(chapters) > 1}
    assert not twice, f"defined in more than one page (move to gan_utils): {twice}"
