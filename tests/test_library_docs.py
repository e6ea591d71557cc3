"""Every public function and class of gan_utils says where the book uses it (d2l style), and that is true.

The claims a docstring makes, in these words only:
  * ``Introduced in <places>`` and ``used in <places>``, each clause up to the next ``.``, ``;``
    or ``(``; a place is ``chapter N`` / ``chapters N, M and K``, the title of a page that is not
    a chapter ("A GAN in one cell", "the appendix Bugs that tutorials ship"), ``every page``
    (every notebook page) or ``the assignments``;
  * ``Used by ``name``, ``other`` and ``more``: the library's own functions, classes or
    constants that use it (``module.name`` where the name alone is ambiguous).
The claimed pages must be exactly the pages whose code uses the name, as
scripts/library_uses.py reads it from the code (code cells and the Python blocks of the
markdown, such as exercise solutions; a call or import, not a same-named ``def``, not a
comment, not prose); "Introduced in" names the first of them in the order of
the table of contents; the assignments are claimed exactly when a master uses the name. Each
library user named must use it; a name no page or assignment uses must name its users; a name
nothing uses is dead code.
"""
import re

import pytest

import book_files
import library_uses

DEFINITIONS = library_uses.definitions()
USES = library_uses.uses()
LIBRARY_USERS = library_uses.library_users()
NOTEBOOKS = book_files.notebooks()
TITLES = {book_files.title(path).lower(): path for path in NOTEBOOKS if book_files.chapter_number(path) is None}
CHAPTERS = {book_files.chapter_number(path): path for path in NOTEBOOKS if book_files.chapter_number(path) is not None}
CLAUSE = re.compile(r"\b(Introduced|[Uu]sed) in (.+?)(?=[.;(]|$)")
CHAPTER_LIST = re.compile(r"\bchapters? (\d+)((?:(?:,| and| or) \d+)*)")
USED_BY = re.compile(r"\b[Uu]sed by ((?:``[\w.]+``(?:,| and| or)? ?)+)")
FILLER = {"the", "and", "or", "appendix", "page", "pages", "a"}


def claims(docstring):
    """{"pages": [pages in the order named], "introduced": first page or None, "assignments": bool,
    "users": {library names}, "unknown": [words that name no page]}."""
    flat = " ".join(docstring.split())
    found = {"pages": [], "introduced": None, "assignments": False, "users": set(), "unknown": []}
    for verb, clause in CLAUSE.findall(flat):
        named = []
        rest = clause
        for match in CHAPTER_LIST.finditer(clause):
            numbers = [int(match.group(1)), *map(int, re.findall(r"\d+", match.group(2)))]
            named += [CHAPTERS.get(number, f"chapter {number}") for number in numbers]
            rest = rest.replace(match.group(0), " ")
        for title, path in TITLES.items():
            if title in rest.lower():
                named.append(path)
                rest = re.sub(re.escape(title), " ", rest, flags=re.IGNORECASE)
        if "every page" in rest:
            named += NOTEBOOKS
            rest = rest.replace("every page", " ")
        if "assignments" in rest:
            found["assignments"] = True
            rest = rest.replace("assignments", " ")
        found["unknown"] += [word for word in re.findall(r"[\w\"'“”]+", rest) if word.lower() not in FILLER]
        if verb == "Introduced" and named:
            found["introduced"] = named[0]
        found["pages"] += named
    for names in USED_BY.findall(flat):
        found["users"] |= set(re.findall(r"``([\w.]+)``", names))
    return found


def page_name(page):
    return page if isinstance(page, str) else page.stem


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: f"{d.module}.{d.name}")
def test_docstring_claims_are_the_real_uses(definition):
    claimed = claims(definition.docstring)
    used = USES.get((definition.module, definition.name), {"pages": [], "assignments": []})
    users = LIBRARY_USERS.get((definition.module, definition.name), set())
    where = f"gan_utils/{definition.module}.py: {definition.name}"
    assert used["pages"] or used["assignments"] or users, f"{where}: no page, assignment or library code uses it"
    problems = []
    if claimed["unknown"]:
        problems.append(f"its claim names something that is no notebook page: {claimed['unknown']}")
    if set(claimed["pages"]) != set(used["pages"]):
        problems.append(f"it claims the pages {sorted(map(page_name, set(claimed['pages'])))}, but the pages whose "
                        f"code uses it are {[page.stem for page in used['pages']]}")
    if claimed["introduced"] is not None and used["pages"] and claimed["introduced"] != used["pages"][0]:
        problems.append(f"introduced in {page_name(claimed['introduced'])}, but {used['pages'][0].stem} uses it first")
    if claimed["assignments"] != bool(used["assignments"]):
        problems.append(f"the assignments {'are claimed' if claimed['assignments'] else 'are not claimed'}, but "
                        f"{[page.stem for page in used['assignments']] or 'no master'} use it")
    false_users = sorted(name for name in claimed["users"]
                         if not any(name in (user, user.split(".")[1]) for user in users))
    if false_users:
        problems.append(f"says it is used by {false_users}, which do not use it (its users: {sorted(users)})")
    if not (used["pages"] or used["assignments"]) and not claimed["users"]:
        problems.append(f"only the library uses it: say so, 'Used by ``{sorted(users)[0].split('.')[1]}``'")
    assert not problems, where + ":\n  " + "\n  ".join(problems)


def test_a_use_is_a_call_or_an_import_not_a_definition_or_a_comment():
    assert library_uses.code_uses("from gan_utils import training\ngan = training.GAN(g, d)") == {("training", "GAN")}
    assert library_uses.code_uses("from gan_utils.losses import get_losses as pick_losses\npick_losses('x')") == \
        {("losses", "get_losses")}
    assert library_uses.code_uses("import gan_utils.metrics\ngan_utils.metrics.modes_covered(x, m)") == {("metrics", "modes_covered")}
    assert library_uses.code_uses("from gan_utils import pick\n%env GAN_BOOK_PROFILE=smoke\nepochs = pick(1, 2)") == {("book", "pick")}
    assert library_uses.code_uses("def generator_step(g, d):\n    return g  # training.generator_step(...)\n") == set()
    assert library_uses.code_uses("from gan_utils import training\nx = 'training.GAN('") == set()


def test_the_python_blocks_of_the_markdown_are_code():
    markdown = ("Prose names data.swiss_roll.\n\n````{solution} ex\n```python\nroll = data.swiss_roll(100)\n```\n````\n"
                "```text\ndata.grid_of_gaussians()\n```\n")
    assert [block for _, block in library_uses.PYTHON_BLOCK.findall(markdown)] == ["roll = data.swiss_roll(100)\n"]


def test_library_users_are_read_from_the_library_code():
    assert "losses.get_losses" in LIBRARY_USERS[("losses", "LOSSES")]  # a bare name in its own module
    assert "book.pick" in LIBRARY_USERS[("book", "is_smoke")]
    assert all(f"{module}.{name}" not in users for (module, name), users in LIBRARY_USERS.items())  # never itself


def test_the_reference_page_lists_every_public_name():
    """book/library.md renders the table with book/_ext/library_table.py, from the same uses."""
    import library_table

    rows = library_table.rows(book_files.ROOT)
    assert [(row["module"], row["name"]) for row in rows] == [(d.module, d.name) for d in DEFINITIONS]
    assert "{library-table}" in (book_files.ROOT / "book" / "library.md").read_text(encoding="utf-8")
    assert any(path.name == "library.md" for path in book_files.pages())
