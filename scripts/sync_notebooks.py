"""Keep every notebook page in the committed form the book and tests expect.

For each notebook page of _toc.yml (the assignment masters in notebooks/assignments/ are left
alone: scripts/assign.py makes their student versions), it:
  * makes the first cell the Colab install cell, with the repository URL read from _config.yml
    (the one place that URL is set);
  * removes outputs and execution counts (the book build executes notebooks);
  * sets the python3 kernelspec;
  * folds the cells the book removes or folds (tags remove-cell, remove-input, hide-input) in
    the notebook a student opens: Colab's form view (``"cellView": "form"`` and a first line
    ``#@title <what the cell does>``, taken from the cell's leading comment, a drawing
    function's docstring, the figure's title or the sentence that leads into it, else a
    plain title by tag) and JupyterLab's ``"jupyter": {"source_hidden": true}`` (and
    ``"outputs_hidden"`` for remove-cell cells whose output nobody needs: they print nothing
    a reader should see). Untagged cells lose all of these, so the tags stay the one switch.
The assignment masters carry no such tags (their install cell and otter's ``# HIDDEN`` test
cells must start with their markers, which scripts/assign.py checks), so this leaves them be.
Run `python scripts/sync_notebooks.py` after editing a notebook; `--check` only reports
(exit 1 if anything would change), which is what the tests run.
"""
import argparse
import ast
import json
import re
import sys
from pathlib import Path

import book_files

MARKER = "# Colab only: install the course's library"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def install_cell_source(url):
    return (
        f"{MARKER} (gan_utils) from {url}.\n"
        "# Everywhere else (a laptop, the book build, CI) it is installed already. Then load it before\n"
        "# Keras and TensorFlow: it keeps TensorFlow's start-up notices out of the outputs.\n"
        "import importlib.util, subprocess, sys\n"
        "\n"
        "if \"google.colab\" in sys.modules and importlib.util.find_spec(\"gan_utils\") is None:\n"
        f"    subprocess.run([sys.executable, \"-m\", \"pip\", \"install\", \"-q\", \"git+{url}\"], check=True)\n"
        "\n"
        "import gan_utils"
    )


def install_cell(url):
    return {"cell_type": "code", "execution_count": None, "metadata": {"tags": ["remove-cell"]},
            "outputs": [], "source": install_cell_source(url)}


# Cells that matter on Colab but not on the rendered page.
REMOVED_FROM_PAGE = (MARKER, 'glue("run_time"')


FOLDED_TAGS = {"remove-cell", "remove-input", "hide-input"}
TITLE_LINE = re.compile(r"#\s*@title\b[^\n]*(\n|$)")
INSTALL_TITLE = "Set-up: the course's library (installed on Colab), loaded first"
# Output a student should still see from a removed cell: a claim check's note, a print.
SHOWS_OUTPUT = re.compile(r"\bcheck_claim\(|\bprint\(|\bdisplay\(|\bwarn")
DRAWS = re.compile(r"\bplt\.|\bplotting\.|\bdiagrams\.|\.imshow\(|\bdraw_")
MAX_TITLE = 90


def without_title(source):
    """The cell's source without a Colab ``#@title`` first line."""
    match = TITLE_LINE.match(source)
    return source[match.end():] if match else source


def shortened(text):
    """One line of at most MAX_TITLE characters: the first sentence, no parentheses, cut at a
    clause (":", ";", ",") if still too long."""
    text = re.sub(r"^(And|So|But) ", "", " ".join(text.replace("`", "").split()))
    text = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    while re.search(r"\s*\([^()]*\)", text):
        text = re.sub(r"\s*\([^()]*\)", "", text)
    text = text.strip().rstrip(".:;,").strip()
    if len(text) > MAX_TITLE:
        cuts = [m.start() for m in re.finditer(r"[:;,] | - | — ", text) if 15 <= m.start() <= MAX_TITLE]
        text = text[:cuts[0]] if cuts else text[:MAX_TITLE].rsplit(" ", 1)[0] + " ..."
    return text


def leading_comment(source):
    lines = []
    for line in source.lstrip("\n").splitlines():
        if not line.startswith("#") or line.startswith("#!") or line.startswith("#%"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines).strip()


def drawing_docstring(source):
    """The docstring of a function the cell defines (a figure drawn by a function of its own)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and ast.get_docstring(node):
            return ast.get_docstring(node)
    return ""


def figure_title(source):
    """The first plain-string title the cell gives a figure (set_title, suptitle, title=)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        values = [k.value for k in node.keywords if k.arg == "title"]
        if name in ("set_title", "suptitle", "title") and node.args:
            values.insert(0, node.args[0])
        for value in values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.strip():
                return value.value
    return ""


def lead_in(markdown):
    """What the paragraph before the cell says it shows: its last sentence if that leads into the
    cell (ends with ':'), else its first; none if it holds math, glue or other markup."""
    last = markdown.strip().split("\n\n")[-1] if markdown else ""
    sentences = re.split(r"(?<=[.!?:])\s", " ".join(last.replace("`", "").replace("**", "").split()))
    sentence = sentences[-1] if sentences[-1].endswith(":") else sentences[0]
    return "" if re.search(r"[{}$*\\#|<>]", sentence) else sentence


def lowered(text):
    """Lower-case the first word after a prefix, unless it is a name (FID, D*, U-Net)."""
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first[:1].isupper() and first[1:].islower() else text


def title(source, tags, markdown_before=""):
    """Plain words for what a folded cell does: its Colab ``#@title``."""
    if source.startswith(MARKER):
        return INSTALL_TITLE
    comment = leading_comment(source)
    if "remove-cell" in tags:
        glues, checks = "glue(" in source, bool(re.search(r"^\s*assert\b|check_claim\(", source, re.MULTILINE))
        if comment:
            said = shortened(comment)
            if re.match(r"(hidden )?checks?\b", said, re.IGNORECASE):
                return said
            prefix = "Check: " if checks else "Numbers for the text: " if glues else ""
            return prefix + lowered(said) if prefix else said
        if 'glue("run_time"' in source and source.count("glue(") == 1:
            return "Book bookkeeping: this page's run time, for the text"
        if glues and checks:
            return "Book bookkeeping: numbers for the text and checks of its claims"
        if glues:
            return "Book bookkeeping: numbers for the text"
        if checks:
            return "Book bookkeeping: checks of what the text claims"
        return "Book bookkeeping: set-up for the text's numbers and checks"
    kind = "Plot" if DRAWS.search(source) else "Table" if "remove-input" in tags else "Output"
    found = comment or drawing_docstring(source) or figure_title(source) or lead_in(markdown_before)
    return f"{kind}: {lowered(shortened(found))}" if found else f"{kind}: the figure the text describes" \
        if kind == "Plot" else f"{kind}: what the text describes"


def folded(cell, markdown_before=""):
    """The cell with Colab's form view and JupyterLab's hidden source set from its tags (or cleared)."""
    metadata = cell.setdefault("metadata", {})
    tags = set(metadata.get("tags", [])) & FOLDED_TAGS
    as_list = isinstance(cell["source"], list)
    source = without_title("".join(cell["source"]) if as_list else cell["source"])
    jupyter = {k: v for k, v in metadata.pop("jupyter", {}).items() if k not in ("source_hidden", "outputs_hidden")}
    metadata.pop("cellView", None)
    if tags:
        source = f"#@title {title(source, tags, markdown_before)}\n" + source
        metadata["cellView"] = "form"
        jupyter["source_hidden"] = True
        if "remove-cell" in tags and not SHOWS_OUTPUT.search(source):
            jupyter["outputs_hidden"] = True
    if jupyter:
        metadata["jupyter"] = jupyter
    cell["source"] = source.splitlines(keepends=True) if as_list else source
    return cell


def normalised(notebook, url, add_install_cell=True):
    notebook = json.loads(json.dumps(notebook))
    cells = notebook["cells"]
    for cell in cells:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cell.get("metadata", {}).pop("execution", None)
        if notebook.get("nbformat_minor", 0) < 5:
            cell.pop("id", None)
    if add_install_cell:
        has_install = cells and cells[0]["cell_type"] == "code" and without_title("".join(cells[0]["source"])).startswith(MARKER)
        if has_install:
            cells[0]["source"] = install_cell_source(url)
        else:
            cells.insert(0, install_cell(url))
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code" and without_title("".join(cell["source"])).lstrip().startswith(REMOVED_FROM_PAGE):
            tags = [t for t in cell.setdefault("metadata", {}).get("tags", []) if t not in ("hide-input", "remove-input")]
            cell["metadata"]["tags"] = sorted(set(tags) | {"remove-cell"})
        if notebook.get("nbformat", 4) == 4 and notebook.get("nbformat_minor", 0) >= 5:
            cell.setdefault("id", f"cell-{index}")  # nbformat 4.5 requires ids; keep them stable
    markdown_before = ""
    for cell in cells:
        if cell["cell_type"] == "markdown":
            markdown_before = "".join(cell["source"])
        elif cell["cell_type"] == "code":
            folded(cell, markdown_before)
            markdown_before = ""
    notebook["metadata"].pop("jupytext", None)  # authoring metadata from jupytext conversions
    notebook["metadata"]["kernelspec"] = KERNELSPEC
    notebook["metadata"].setdefault("language_info", {"name": "python"})
    return notebook


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report notebooks that are out of sync")
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: every notebook page)")
    args = parser.parse_args()
    url, stale = book_files.repository_url(), []
    for path in args.paths or book_files.notebooks():
        notebook = json.loads(path.read_text())
        fixed = normalised(notebook, url)
        if fixed != notebook:
            stale.append(path)
            if not args.check:
                path.write_text(json.dumps(fixed, indent=1, ensure_ascii=False) + "\n")
    verb = "out of sync" if args.check else "rewritten"
    for path in stale:
        print(f"{verb}: {path.relative_to(book_files.ROOT) if path.is_absolute() else path}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
