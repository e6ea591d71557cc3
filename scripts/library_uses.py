"""Where the book uses each public name of gan_utils, read from the code (the library's reference page).

A *use* of ``name`` from ``gan_utils.module`` in a code cell is
  * an import of it (``from gan_utils.module import name``), then every reference to it;
  * a reference through its module, called or passed: ``module.name`` after
    ``from gan_utils import module`` (or ``gan_utils.module.name``).
A function a page defines under the same name, a comment and prose are no use. The pages are
the book's notebook pages (scripts/book_files.py); the assignments' masters are counted apart.
Inside the library, the same rules (plus a bare ``name`` in its own module) say which
top-level functions, classes and constants use a name.

book/_ext/library_table.py renders the table on the page "The gan_utils library";
tests/test_library_docs.py checks every docstring's "Introduced in ... / Used in ... / Used by
..." against it.

    python scripts/library_uses.py     # the table, as Markdown
"""
import ast
import importlib.util
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import book_files


def library_dir():
    """The gan_utils package's folder, found without importing it (no TensorFlow start-up)."""
    return Path(importlib.util.find_spec("gan_utils").submodule_search_locations[0])


@dataclass
class Definition:
    module: str
    name: str
    docstring: str
    source: str  # the definition's code

    @property
    def summary(self):
        """The docstring's first sentence."""
        text = " ".join(self.docstring.split())
        return re.split(r"(?<=[.:])\s", text, maxsplit=1)[0] if text else ""


def modules(directory=None):
    """{module name: its source} of the library, without __init__."""
    directory = directory or library_dir()
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.py"))
            if path.name != "__init__.py"}


def definitions(directory=None):
    """The public functions and classes of every module, in module and file order."""
    found = []
    for module, source in modules(directory).items():
        for node in ast.parse(source).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                found.append(Definition(module, node.name, ast.get_docstring(node) or "",
                                        ast.get_source_segment(source, node)))
    return found


def reexports(directory=None):
    """{name: module} of the names gan_utils/__init__.py imports from its modules."""
    source = ((directory or library_dir()) / "__init__.py").read_text(encoding="utf-8")
    return {alias.asname or alias.name: node.module for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module for alias in node.names}


def parse_cell(source):
    """A code cell as Python: IPython's ``%magic`` and ``!shell`` lines become ``pass``."""
    return ast.parse(re.sub(r"^(\s*)[%!].*$", r"\1pass", source, flags=re.MULTILINE))


def imports(tree, library, exported, own_module=None):
    """(module aliases, name aliases, uses by import) of ``tree``'s imports of gan_utils: ``from
    gan_utils import module``, ``from gan_utils.module import name``, ``import gan_utils.module``
    (inside the library also ``from . import module``, ``from .module import name``)."""
    module_aliases, name_aliases, imported = {}, {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "gan_utils" and len(parts) == 2 and parts[1] in library and alias.asname:
                    module_aliases[alias.asname] = parts[1]
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        relative = node.level == 1 and own_module is not None
        package = node.module or ""
        if (package == "gan_utils" and node.level == 0) or (relative and not package):
            for alias in node.names:
                if alias.name in library:
                    module_aliases[alias.asname or alias.name] = alias.name
                elif alias.name in exported:
                    name_aliases[alias.asname or alias.name] = (exported[alias.name], alias.name)
            continue
        module = package if relative else package.removeprefix("gan_utils.") if package.startswith("gan_utils.") else None
        if module in library:
            for alias in node.names:
                name_aliases[alias.asname or alias.name] = (module, alias.name)
    imported = set(name_aliases.values())
    return module_aliases, name_aliases, imported


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


def page_uses(path, library, exported):
    """{(module, name)} used by a notebook's code cells, read as one program."""
    tree = ast.Module(body=[statement for cell in book_files.cells(path) if cell["cell_type"] == "code"
                            for statement in parse_cell(cell["source"]).body], type_ignores=[])
    module_aliases, name_aliases, imported = imports(tree, library, exported)
    return imported | references(tree, module_aliases, name_aliases)


def uses(root=None, directory=None):
    """{(module, name): {"pages": [notebook pages, in _toc.yml order], "assignments": [masters]}}."""
    library, exported = set(modules(directory)), reexports(directory)
    found = defaultdict(lambda: {"pages": [], "assignments": []})
    for kind, paths in (("pages", book_files.notebooks(root)), ("assignments", book_files.assignments(root))):
        for path in paths:
            for key in sorted(page_uses(path, library, exported)):
                found[key][kind].append(path)
    return found


def top_level_name(node):
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return node.name
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
    return targets[0].id if len(targets) == 1 and isinstance(targets[0], ast.Name) else None


def library_users(directory=None):
    """{(module, name): {"module.user" for each top-level function, class or constant of the library that uses it}}."""
    sources = modules(directory)
    library, exported = set(sources), reexports(directory)
    found = defaultdict(set)
    for module, source in sources.items():
        tree = ast.parse(source)
        module_aliases, name_aliases, _ = imports(tree, library, exported, own_module=module)
        own = {top_level_name(node) for node in tree.body} - {None}
        for node in tree.body:
            user = top_level_name(node)
            if user is None:
                continue
            used = references(node, module_aliases, name_aliases, own, module)
            used |= imports(node, library, exported, own_module=module)[2]
            for key in used - {(module, user)}:
                found[key].add(f"{module}.{user}")
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
