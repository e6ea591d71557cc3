"""The book's pages and how to read them: the one list of pages, from _toc.yml.

A page is a file that _toc.yml names (``notebooks/02_minimax`` is ``notebooks/02_minimax.ipynb``
or ``.md``); adding a page is one line there. A chapter is a notebook page named ``NN_*``;
the other notebook pages (the one-screen page, the appendices) glue under a prefix of their
own. Every function takes the repository's root (default: this clone), so a test can point it
at a copy. Scripts import this module from their folder, tests through pytest's
``pythonpath``, the book's Sphinx extensions because _config.yml loads it as one.

    python scripts/book_files.py notebooks     # the notebook pages, one per line (the Makefile's PAGES)
"""
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# The glue prefixes of the notebook pages that are not chapters (chapter N glues chN_ names);
# a page not listed glues under its name's first part, e.g. A3_ for notebooks/A3_*.ipynb.
GLUE_PREFIXES = {"01b_gan_on_one_screen": "onescreen_", "A1_bugs_tutorials_ship": "bugs_",
                 "A2_fast_on_a_cpu": "fastcpu_", "06b_gans_and_diffusion": "diff_"}


def pages(root=None):
    """Every page of _toc.yml (the root page first), in its order, as a path."""
    root = Path(root or ROOT)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names, entries = [toc["root"]], [toc]
    while entries:  # depth first, in order
        entry = entries.pop(0)
        names += [entry["file"]] if "file" in entry else []
        entries[:0] = [child for key in ("parts", "chapters", "sections") for child in entry.get(key, [])]
    found = []
    for name in names:
        files = [root / f"{name}{suffix}" for suffix in (".ipynb", ".md") if (root / f"{name}{suffix}").exists()]
        if not files:
            raise FileNotFoundError(f"_toc.yml names {name!r}, but neither {name}.ipynb nor {name}.md exists")
        found.append(files[0])
    return found


def notebooks(root=None):
    """The notebook pages: chapters, the one-screen page, appendices, in the order of _toc.yml."""
    return [path for path in pages(root) if path.suffix == ".ipynb"]


def chapter_number(path):
    """N for a chapter ``NN_*.ipynb``, None for any other page."""
    match = re.match(r"(\d\d)_", Path(path).name)
    return int(match.group(1)) if match else None


def assignments(root=None):
    """The graded assignments' masters, notebooks/assignments/*.ipynb (not pages of the book)."""
    return sorted(Path(root or ROOT).glob("notebooks/assignments/*.ipynb"))


def cells(path, text=None):
    """A notebook's cells, each with its source as one string (of ``text``, the file's content
    at another commit, if given)."""
    found = json.loads(Path(path).read_text(encoding="utf-8") if text is None else text)["cells"]
    for cell in found:
        cell["source"] = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    return found


def markdown(path):
    return "\n".join(cell["source"] for cell in cells(path) if cell["cell_type"] == "markdown")


def code(path):
    return "\n".join(cell["source"] for cell in cells(path) if cell["cell_type"] == "code")


def title(path):
    """A notebook page's title: its first level-1 heading."""
    return re.search(r"^# (.+)$", markdown(path), re.MULTILINE).group(1).strip()


def glue_prefix(path):
    number = chapter_number(path)
    if number is not None:
        return f"ch{number}_"
    return GLUE_PREFIXES.get(Path(path).stem, Path(path).stem.split("_")[0] + "_")


def repository_url(root=None):
    """The repository's URL: _config.yml sets it once (Colab buttons, install cells, handouts)."""
    return yaml.safe_load((Path(root or ROOT) / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]


def setup(app):
    """Sphinx loads this module as an extension (nothing to register) so that the book's own
    extensions can import it."""
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    if sys.argv[1:] != ["notebooks"]:
        sys.exit("usage: python scripts/book_files.py notebooks")
    print("\n".join(str(path.relative_to(ROOT)) for path in notebooks()))
