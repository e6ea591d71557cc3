"""Where the book uses each public name of gan_utils, read from the code (the library's reference page).

A *use* of ``name`` from ``gan_utils.module`` in a page's code (its code cells and the Python
blocks of its markdown, such as an exercise's solution) is an import of it (``from
gan_utils.module import name``, then every reference to it) or a reference through its module,
called or passed (``module.name`` after ``from gan_utils import module``, or
``gan_utils.module.name``). A function a page defines under the same name, a comment and prose
are no use. The pages are the book's notebook pages (scripts/book_files.py); the assignments'
masters are counted apart. Inside the library the same rules, plus a bare ``name`` in its own
module, say which top-level functions, classes and constants use a name.

book/_ext/library_table.py renders the table of the page "The gan_utils library";
tests/test_library_docs.py checks every docstring's "Introduced in / used in / Used by" against it.

    python scripts/library_uses.py     # the table, as Markdown
"""
import ast
import importlib.util
import re
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import book_files


@dataclass
class Definition:
    module: str
    name: str
    docstring: str

    @property
    def summary(self):
        """The docstring's first sentence."""
        return re.split(r"(?<=[.:])\s", " ".join(self.docstring.split()), maxsplit=1)[0]


def library_files():
    """The library's source files, found without importing gan_utils (no TensorFlow start-up)."""
    return sorted(Path(importlib.util.find_spec("gan_utils").submodule_search_locations[0]).glob("*.py"))


def modules():
    """{module name: its source}."""
    return {path.stem: path.read_text(encoding="utf-8") for path in library_files()}


def definitions():
    """The public functions and classes of every module, in module and file order."""
    return [Definition(module, node.name, ast.get_docstring(node) or "")
            for module, source in modules().items() if module != "__init__" for node in ast.parse(source).body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")]


def parse_cell(source):
    """A code cell as Python: IPython's ``%magic`` and ``!shell`` lines become ``pass``."""
    return ast.parse(re.sub(r"^(\s*)[%!].*$", r"\1pass", source, flags=re.MULTILINE))


PYTHON_BLOCK = re.compile(r"^([ \t]*)```+(?:python|ipython3?)[ \t]*\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


def page_code(path):
    """A notebook's code: its code cells, then the Python blocks of its markdown that parse."""
    cells = book_files.cells(path)
    blocks = [textwrap.dedent(block) for cell in cells if cell["cell_type"] == "markdown"
              for _, block in PYTHON_BLOCK.findall(cell["source"])]
    parses = [block for block in blocks if _parses(block)]
    return "\n".join([cell["source"] for cell in cells if cell["cell_type"] == "code"] + parses)


def _parses(code):
    try:
        ast.parse(code)
        return True
    except SyntaxError:
        return False


def names():
    """(the library's module names, {name: module} of the names gan_utils/__init__.py imports)."""
    sources = modules()
    exported = {alias.asname or alias.name: node.module for node in ast.parse(sources["__init__"]).body
                if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module for alias in node.names}
    return set(sources) - {"__init__"}, exported


def imports(tree, library, exported, own_module=None):
    """({alias: module}, {alias: (module, name)}) of ``tree``'s imports from gan_utils (inside the
    library, ``own_module``'s, also the relative ``from . import module`` and ``from .module import name``)."""
    module_aliases, name_aliases = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name.removeprefix("gan_utils.") in library:
                    module_aliases[alias.asname] = alias.name.removeprefix("gan_utils.")
        elif isinstance(node, ast.ImportFrom):
            relative = node.level == 1 and own_module is not None
            package = node.module or ""
            if (package == "gan_utils" and node.level == 0) or (relative and not package):
                for alias in node.names:
                    if alias.name in library:
                        module_aliases[alias.asname or alias.name] = alias.name
                    elif alias.name in exported:
                        name_aliases[alias.asname or alias.name] = (exported[alias.name], alias.name)
            elif (package if relative else package.removeprefix("gan_utils.") if node.level == 0 else "") in library:
                module = package if relative else package.removeprefix("gan_utils.")
                for alias in node.names:
                    name_aliases[alias.asname or alias.name] = (module, alias.name)
    return module_aliases, name_aliases


def references(tree, module_aliases, name_aliases, own_names=(), own_module=None):
    """{(module, name)} that ``tree`` refers to: ``module.name``, ``gan_utils.module.name``, an
    imported name, or (inside the library) a top-level name of its own module."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in module_aliases:
            found.add((module_aliases[node.value.id], node.attr))
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
              and isinstance(node.value.value, ast.Name) and node.value.value.id == "gan_utils"):
            found.add((node.value.attr, node.attr))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in name_aliases:
                found.add(name_aliases[node.id])
            elif node.id in own_names:
                found.add((own_module, node.id))
    return found


def code_uses(code):
    """{(module, name)} that a page's code (one string) uses: its imports and its references."""
    library, exported = names()
    tree = parse_cell(code)
    module_aliases, name_aliases = imports(tree, library, exported)
    return set(name_aliases.values()) | references(tree, module_aliases, name_aliases)


def uses(root=None):
    """{(module, name): {"pages": [notebook pages, in _toc.yml order], "assignments": [masters]}}."""
    found = defaultdict(lambda: {"pages": [], "assignments": []})
    for kind, paths in (("pages", book_files.notebooks(root)), ("assignments", book_files.assignments(root))):
        for path in paths:
            for key in sorted(code_uses(page_code(path))):
                found[key][kind].append(path)
    return found


def library_users():
    """{(module, name): {"module.user" for each top-level function, class or constant of the library that uses it}}."""
    library, exported = names()
    found = defaultdict(set)
    for module, source in modules().items():
        tree = ast.parse(source)
        users = {node: node.name if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else
                 node.targets[0].id if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) else None
                 for node in tree.body}
        module_aliases, name_aliases = imports(tree, library, exported, module)
        for node, user in users.items():
            used = references(node, module_aliases, name_aliases, set(users.values()) - {None}, module)
            used |= set(imports(node, library, exported, module)[1].values())
            found.update({key: found[key] | {f"{module}.{user}"} for key in used - {(module, user)} if user})
    return found


def main():
    found = uses()
    print("| module | name | what it does | used in | assignments |")
    print("| --- | --- | --- | --- | --- |")
    for definition in definitions():
        used = found.get((definition.module, definition.name), {"pages": [], "assignments": []})
        pages = ", ".join(path.stem for path in used["pages"]) or "-"
        assignments = ", ".join(path.stem.split("_")[0] for path in used["assignments"]) or "-"
        print(f"| {definition.module} | `{definition.name}` | {definition.summary} | {pages} | {assignments} |")


if __name__ == "__main__":
    main()
