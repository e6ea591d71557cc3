"""The ``{library-table}`` directive: every public name of gan_utils and the pages whose code uses it.

One row per public function or class: module, name, the first sentence of its docstring, the
notebook pages that use it (linked; chapters by number, other pages by title) and the
assignments that do. The uses are read from the code by scripts/library_uses.py (which
tests/test_library_docs.py also checks the docstrings against), so both editions show the
same table, from the pages of the build's own source folder. Used by book/library.md (and its
translation, zh/book/library.md).
"""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.util.docutils import SphinxDirective

import book_files
import library_uses

# Three columns, so that the table fits the text column on a laptop and a phone (the module is
# part of the name; the assignments follow the pages in the last column).
HEADERS = {"en": ("name", "what it does", "used in"), "zh": ("名称", "作用", "使用它的地方")}
ASSIGNMENTS = {"en": "assignments", "zh": "作业"}


def rows(root):
    """[{module, name, summary, pages, assignments}] for every public name, in module order."""
    found = library_uses.uses(root)
    table = []
    for definition in library_uses.definitions():
        used = found.get((definition.module, definition.name), {"pages": [], "assignments": []})
        table.append({"module": definition.module, "name": definition.name, "summary": definition.summary,
                      "pages": used["pages"], "assignments": [path.stem.split("_")[0] for path in used["assignments"]]})
    return table


def _inline(text):
    """Docstring text with its ``code`` spans as literals."""
    parts = re.split(r"``(.+?)``", text)
    return [nodes.literal(text=part) if index % 2 else nodes.Text(part) for index, part in enumerate(parts) if part]


def _cell(*children):
    paragraph = nodes.paragraph()
    paragraph.extend(children)
    return nodes.entry("", paragraph)


class LibraryTable(SphinxDirective):
    has_content = False

    def page_link(self, path):
        docname = str(path.relative_to(self.env.srcdir).with_suffix(""))
        number = book_files.chapter_number(path)
        link = pending_xref("", refdoc=self.env.docname, reftarget="/" + docname, reftype="doc", refdomain="std",
                            refexplicit=True, refwarn=True, classes=["xref", "doc"])
        # Chapters by number, appendices by their letter (A1, A2), other pages by title: short
        # labels keep the column narrow.
        label = path.stem.split("_")[0] if path.stem.startswith("A") else book_files.title(path)
        link += nodes.inline(text=str(number) if number is not None else label)
        return link

    def run(self):
        root = Path(self.env.srcdir)
        for path in [*book_files.notebooks(root), *book_files.assignments(root), *library_uses.library_files()]:
            self.env.note_dependency(str(path))
        language = "zh" if str(self.env.config.language or "en").startswith("zh") else "en"
        table = nodes.table(classes=["colwidths-given", "library-table"])
        group = nodes.tgroup(cols=3)
        table += group
        group.extend(nodes.colspec(colwidth=width) for width in (30, 50, 20))
        head, body = nodes.thead(), nodes.tbody()
        group += head
        group += body
        head += nodes.row("", *(_cell(nodes.Text(text)) for text in HEADERS[language]))
        for row in rows(root):
            used = []
            for index, path in enumerate(row["pages"]):
                used += [nodes.Text(", ")] if index else []
                used.append(self.page_link(path))
            if row["assignments"]:
                used += [nodes.Text("; " if used else ""),
                         nodes.Text(f"{ASSIGNMENTS[language]} {', '.join(row['assignments'])}")]
            body += nodes.row("", _cell(nodes.literal(text=f"{row['module']}.{row['name']}")),
                              _cell(*_inline(row["summary"])), _cell(*(used or [nodes.Text("-")])))
        return [table]


def setup(app):
    app.add_directive("library-table", LibraryTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
