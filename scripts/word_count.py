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
  python scripts/word_count.py --at 8efd7ff    # the same at a commit (read with git show)
  python scripts/word_count.py --chapters      # notebooks only
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRECTIVES = {"exercise", "solution", "math", "prf:algorithm", "code", "code-block", "code-cell",
                      "bibliography", "tableofcontents"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>[^\s`]*)?")


def read(path, commit):
    """A file's text in the working tree, or at ``commit``; None if it does not exist there."""
    if commit is None:
        file = ROOT / path
        return file.read_text(encoding="utf-8") if file.exists() else None
    result = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def toc_pages(commit):
    """[(path without suffix, caption of its part)] in the order of _toc.yml."""
    toc = yaml.safe_load(read("_toc.yml", commit))
    pages = [(toc["root"], "")]
    for part in toc.get("parts", []):
        for entry in part.get("chapters", []):
            pages.append((entry["file"], part.get("caption", "")))
    return pages


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


def page_words(path, commit):
    """(words, kind) of one toc entry, or None if neither .ipynb nor .md exists."""
    notebook = read(f"{path}.ipynb", commit)
    if notebook is not None:
        cells = json.loads(notebook)["cells"]
        return sum(words("".join(cell["source"])) for cell in cells if cell["cell_type"] == "markdown"), "notebook"
    page = read(f"{path}.md", commit)
    if page is not None:
        return words(page), "page"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--at", metavar="COMMIT", help="count the files at this commit instead of the working tree")
    parser.add_argument("--chapters", action="store_true", help="only the notebooks (chapters, appendices)")
    args = parser.parse_args()
    rows = []
    for path, part in toc_pages(args.at):
        counted = page_words(path, args.at)
        if counted is None:
            print(f"warning: {path} is in _toc.yml but has no .ipynb or .md", file=sys.stderr)
            continue
        if args.chapters and counted[1] != "notebook":
            continue
        rows.append((path, part, counted[0]))
    width = max(len(path) for path, _, _ in rows)
    print(f"{'page':<{width}}  {'part':<16} {'words':>6}")
    for path, part, count in rows:
        print(f"{path:<{width}}  {part[:16]:<16} {count:>6,}")
    print(f"{'total':<{width}}  {'':<16} {sum(count for _, _, count in rows):>6,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
