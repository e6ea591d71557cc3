"""Prose words per page of the book, in the order of _toc.yml: how long each page reads.

What counts as prose: the text of a notebook's markdown cells (or of a .md page) outside
  * ``{exercise}`` and ``{solution}`` blocks (they are worked, not read through);
  * fenced code (```python, plain ``` fences) and display math ($$ ... $$, ```{math}``,
    ``\\begin{...}``), and ``{prf:algorithm}`` listings (pseudo-code, not prose);
  * HTML comments, ``(label)=`` targets and directive option lines (``:label: ...``).
Prose directives are counted (notes, theorems and proofs, figures' captions, glossaries).
Inside the prose, a role (``{cite}`...```, ``{glue:text}`...```, ``{ref}`...```), inline
code and inline math ``$...$`` each count as one word, a link counts its text, and a word is
any whitespace-separated token with a letter or digit in it. Code cells never count.

  python scripts/word_count.py                 # the working tree, chapters and every page
  python scripts/word_count.py --at 8efd7ff    # the same at a commit (its files from git archive)
  python scripts/word_count.py --chapters      # notebooks only
"""
import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import book_files
SKIPPED_DIRECTIVES = {"exercise", "solution", "math", "prf:algorithm", "code", "code-block", "code-cell",
                      "bibliography", "tableofcontents"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>[^\s`]*)?")


def checkout(commit, folder):
    """The repository's files at ``commit``, written into ``folder``."""
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=book_files.ROOT, capture_output=True,
                             check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)


def prose_lines(markdown):
    """The markdown's lines that are prose (see the module docstring)."""
    kept, stack = [], []  # stack of (fence characters, length, counted?)
    for line in markdown.splitlines():
        match = FENCE.match(line)
        if match:
            fence, info = match["fence"], (match["info"] or "")
            closes = stack and not info and fence[0] == stack[-1][0] and len(fence) >= stack[-1][1]
            if closes:
                stack.pop()
                continue
            name = info[1:-1] if info.startswith("{") and info.endswith("}") else None
            counted = name is not None and name not in SKIPPED_DIRECTIVES
            inside_counted = all(entry[2] for entry in stack)
            stack.append((fence[0], len(fence), counted and inside_counted))
            continue
        if stack and not stack[-1][2]:
            continue
        if stack and re.match(r"^\s*:[\w-]+:", line):  # a directive's option
            continue
        kept.append(line)
    return "\n".join(kept)


def words(markdown):
    text = prose_lines(markdown)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", " ", text, flags=re.S)
    text = re.sub(r"^\s*\([\w-]+\)=\s*$", " ", text, flags=re.M)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)  # images
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " W ", text)  # roles: one word each
    text = re.sub(r"`[^`]*`", " W ", text)  # inline code
    text = re.sub(r"(?<!\\)\$[^$\n]+\$", " W ", text)  # inline math
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link counts its text
    text = re.sub(r"https?://\S+", " ", text)
    return sum(1 for token in text.split() if re.search(r"[^\W_]", token))


def page_words(path):
    if path.suffix == ".ipynb":
        return sum(words(cell["source"]) for cell in book_files.cells(path) if cell["cell_type"] == "markdown")
    return words(path.read_text(encoding="utf-8"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--at", metavar="COMMIT", help="count the files at this commit instead of the working tree")
    parser.add_argument("--chapters", action="store_true", help="only the notebooks (chapters, appendices)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) if args.at else book_files.ROOT
        if args.at:
            checkout(args.at, root)
        rows = [(str(path.relative_to(root).with_suffix("")), page_words(path)) for path in book_files.pages(root)
                if path.suffix == ".ipynb" or not args.chapters]
    width = max(len(page) for page, _ in rows)
    print(f"{'page':<{width}}  {'words':>6}")
    for page, count in rows:
        print(f"{page:<{width}}  {count:>6,}")
    print(f"{'total':<{width}}  {sum(count for _, count in rows):>6,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
