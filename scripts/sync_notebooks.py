"""Keep every notebook page in the committed form the book and tests expect.

For each notebook page of _toc.yml (the assignment masters in notebooks/assignments/ are left
alone: scripts/assign.py makes their student versions), it:
  * makes the first cell the Colab install cell, with the repository URL read from _config.yml
    (the one place that URL is set);
  * removes outputs and execution counts (the book build executes notebooks);
  * sets the python3 kernelspec.
Run `python scripts/sync_notebooks.py` after editing a notebook; `--check` only reports
(exit 1 if anything would change), which is what the tests run.
"""
import argparse
import json
import sys
from pathlib import Path

import book_files

MARKER = "# Colab only: install the course's library"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def install_cell_source(url):
    return (
        f"{MARKER} (gan_utils) from {url}.\n"
        "# Everywhere else (a laptop, the book build, CI) this cell does nothing.\n"
        "import importlib.util, subprocess, sys\n"
        "\n"
        "if \"google.colab\" in sys.modules and importlib.util.find_spec(\"gan_utils\") is None:\n"
        f"    subprocess.run([sys.executable, \"-m\", \"pip\", \"install\", \"-q\", \"git+{url}\"], check=True)"
    )


def install_cell(url):
    return {"cell_type": "code", "execution_count": None, "metadata": {"tags": ["remove-cell"]},
            "outputs": [], "source": install_cell_source(url)}


# Cells that matter on Colab but not on the rendered page.
REMOVED_FROM_PAGE = (MARKER, 'glue("run_time"')


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
        has_install = cells and cells[0]["cell_type"] == "code" and "".join(cells[0]["source"]).startswith(MARKER)
        if has_install:
            cells[0]["source"] = install_cell_source(url)
        else:
            cells.insert(0, install_cell(url))
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code" and "".join(cell["source"]).lstrip().startswith(REMOVED_FROM_PAGE):
            tags = [t for t in cell.setdefault("metadata", {}).get("tags", []) if t not in ("hide-input", "remove-input")]
            cell["metadata"]["tags"] = sorted(set(tags) | {"remove-cell"})
        if notebook.get("nbformat", 4) == 4 and notebook.get("nbformat_minor", 0) >= 5:
            cell.setdefault("id", f"cell-{index}")  # nbformat 4.5 requires ids; keep them stable
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
