"""Print gan_utils' public API as a Markdown table: name, module, where the book uses it, tests.

"Used in" lists the chapters (and the assignments) whose notebooks mention the name;
"tested in" lists the test files that mention it. The docstrings' own claims are checked
by tests/test_library_docs.py.

    python scripts/api_table.py > api.md
"""
import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def notebook_text(path):
    return "\n".join("".join(cell["source"]) for cell in json.loads(path.read_text())["cells"])


def main():
    places = {f"ch{int(path.name[:2])}": notebook_text(path)
              for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))}
    places["assignments"] = "\n".join(notebook_text(path) for path in (ROOT / "notebooks" / "assignments").glob("*.ipynb"))
    tests = {path.stem.removeprefix("test_"): path.read_text() for path in sorted((ROOT / "tests").glob("test_*.py"))}
    print("| name | module | used in | tested in |")
    print("| --- | --- | --- | --- |")
    for module in sorted((ROOT / "gan_utils").glob("*.py")):
        if module.name == "__init__.py":
            continue
        for node in ast.parse(module.read_text()).body:
            if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) or node.name.startswith("_"):
                continue
            word = re.compile(rf"\b{node.name}\b")
            used = [place for place, text in places.items() if word.search(text)]
            library = [m.stem for m in (ROOT / "gan_utils").glob("*.py")
                       if len(word.findall(m.read_text())) > (1 if m == module else 0)]
            tested = [name for name, text in tests.items() if word.search(text)]
            where = ", ".join(used) or ("(library: " + ", ".join(sorted(library)) + ")" if library else "-")
            print(f"| `{node.name}` | {module.stem} | {where} | {', '.join(tested) or '-'} |")


if __name__ == "__main__":
    main()
