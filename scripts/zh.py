"""The Chinese edition (简体中文): translations that know what they translate, and its build.

    python scripts/zh.py status                      # every English text without an up-to-date translation
    python scripts/zh.py status --diff               # ... and, for a stale one, what changed in the English
    python scripts/zh.py stub notebooks/02_minimax.ipynb   # add the missing blocks to a translation file
    python scripts/zh.py mark notebooks/02_minimax.ipynb 7e4d5814   # after updating a stale block's Chinese
    python scripts/zh.py sample notebooks/02_minimax.ipynb # 10 Chinese paragraphs for a read-back (--english: theirs)
    python scripts/zh.py build                       # after `jupyter-book build .`: the Chinese site into _build/html/zh
    python scripts/zh.py build --path-output _build/smoke  # after the smoke build (tests/test_book.py)

**What is translated.** Every page of `_toc.yml` is cut into *blocks*: a notebook page into its
markdown cells (a block's id is the cell's id), a Markdown page into its sections (a heading,
with the label line above it, up to the next heading; the id is the heading's slug). Code cells
are never translated: the Chinese notebook has the English notebook's code cells, byte for
byte.

**Where translations live.** `zh/<page path>.md` (for example `zh/notebooks/02_minimax.md`
for `notebooks/02_minimax.ipynb`): the Chinese page, block after block, each under a marker

    <!-- block 3f2a1b0c source 0123456789ab -->

naming the block's id and the first 12 hex digits of the SHA-1 of the English text it
translates (lines stripped of trailing spaces). When the English text changes, its hash no
longer matches: the translation is *stale*, and `tests/test_zh.py` fails naming the page, the
block and its first English line, as it does for an English block with no translation, or a
translation of a block that no longer exists. `zh/_book.yml` holds the site's title, the
table of contents' captions, the language switch's labels and the labels the build prints
(图 3.2, 表 6.1, 显示代码, 点击显示, 证明). A figure's or table's caption is page text: it is translated
in its markdown cell's block (book/_ext/chapter_numbers.py).

**One execution.** The build writes a Chinese copy of the book under
`<path-output>/_build/zh/src` (notebooks with the English code cells and translated markdown,
Markdown pages, `_config.yml` and `_toc.yml` derived from the English ones) and builds it with
the English build's execution cache (`<path-output>/_build/.jupyter_cache`): jupyter-cache keys
an execution on the code cells only, so every Chinese notebook finds the English run's outputs,
glued values included, and nothing is trained again. Before building, every notebook is looked
up in that cache, and a missing one stops the build with a message (build the English book
first). The site goes to `<path-output>/_build/html/zh`, beside the English one; every page of
both has a language switch to its counterpart (book/_ext/language_switch.py).
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

import book_files

TRANSLATIONS = book_files.ROOT / "zh"
BOOK_STRINGS = TRANSLATIONS / "_book.yml"
GLUE_RULES = TRANSLATIONS / "_glue.yml"
MARKER = re.compile(r"^<!-- block (\S+) source ([0-9a-f]{12}) -->[ \t]*$", re.MULTILINE)
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
LABEL = re.compile(r"^\((\S+)\)=\s*$")
# What the Chinese build copies beside its pages: extensions (and the scripts they read the pages
# with), static files, bibliography, glossary, the assignments (the library page counts their uses).
SUPPORT = ["book/_ext", "book/_static", "book/references.bib", "book/glossary.yml", "scripts/book_files.py",
           "scripts/library_uses.py", "notebooks/assignments"]


@dataclass
class Block:
    """One unit of translation: a markdown cell of a notebook, or a section of a Markdown page."""

    page: str  # path of the English page, e.g. notebooks/02_minimax.ipynb
    id: str
    text: str  # the English text

    @property
    def source(self):
        return digest(self.text)

    def first_line(self):
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")[:80]


def normalise(text):
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def digest(text):
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:12]


# ------------------------------------------------------------------ the English pages
def toc_pages(root=None):
    """The English pages of the book, in the order of _toc.yml, as paths relative to the root."""
    root = root or book_files.ROOT
    return [str(path.relative_to(root)) for path in book_files.pages(root)]


def _slug(heading):
    text = re.sub(r"[`*_{}\[\]()<>]", "", heading).strip().lower()
    return re.sub(r"[^a-z0-9\u4e00-\u9fff]+", "-", text).strip("-") or "section"


def markdown_sections(text):
    """A Markdown page cut at its headings (outside fences); a label line stays with its heading."""
    lines = text.splitlines()
    starts, fence = [], None
    for number, line in enumerate(lines):
        match = FENCE.match(line)
        if match:
            token = match.group(2)
            if fence is None:
                fence = token
            elif token[0] == fence[0] and len(token) >= len(fence) and not line.strip()[len(token):].strip():
                fence = None
            continue
        if fence is None and HEADING.match(line):
            start = number
            while start > 0 and LABEL.match(lines[start - 1]):
                start -= 1
            starts.append((start, HEADING.match(line).group(2)))
    sections = []
    if not starts or starts[0][0] > 0:
        starts.insert(0, (0, "top"))
    seen = {}
    for index, (start, heading) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        slug = _slug(heading)
        seen[slug] = seen.get(slug, 0) + 1
        sections.append((slug if seen[slug] == 1 else f"{slug}-{seen[slug]}", "\n".join(lines[start:end])))
    return [(name, body) for name, body in sections if body.strip()]


def english_blocks(page, root=None, text=None):
    """The blocks of one English page, in order (of ``text``, its content at another commit, if given)."""
    path = (root or book_files.ROOT) / page
    if page.endswith(".ipynb"):
        return [Block(page, cell["id"], cell["source"]) for cell in book_files.cells(path, text)
                if cell["cell_type"] == "markdown" and cell["source"].strip()]
    return [Block(page, name, body) for name, body in markdown_sections(path.read_text(encoding="utf-8")
                                                                          if text is None else text)]


# ------------------------------------------------------------------ the translations
def translation_path(page):
    return TRANSLATIONS / (str(Path(page).with_suffix("")) + ".md")


def read_translation(page):
    """{block id: (source hash, Chinese text)} of a page's translation file ({} if there is none)."""
    path = translation_path(page)
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    matches = list(MARKER.finditer(text))
    if text[:matches[0].start()].strip() if matches else text.strip():
        raise SystemExit(f"{path.relative_to(book_files.ROOT)}: text before the first '<!-- block ... -->' marker")
    blocks = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        if match.group(1) in blocks:
            raise SystemExit(f"{path.relative_to(book_files.ROOT)}: block {match.group(1)} is translated twice")
        blocks[match.group(1)] = (match.group(2), normalise(text[match.end():end]))
    return blocks


def write_translation(page, entries):
    """Write a translation file from [(block id, source hash, Chinese text)]."""
    path = translation_path(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = [f"<!-- block {block_id} source {source} -->\n{normalise(text)}\n" for block_id, source, text in entries]
    path.write_text("\n".join(parts), encoding="utf-8")


@dataclass
class Problem:
    """What is wrong with the translation of one block: "missing", "stale", "empty" or "orphan"."""

    kind: str
    block: Block  # the English block (for an orphan: its id only)
    old_source: str = ""  # for a stale block: the hash of the English text that was translated

    def __str__(self):
        b, file = self.block, translation_path(self.block.page).relative_to(book_files.ROOT)
        where = f"{b.page}, block {b.id} ({b.first_line()!r})"
        if self.kind == "missing":
            return f"{where}: no translation in {file} (python scripts/zh.py stub {b.page} adds it)"
        if self.kind == "empty":
            return f"{where}: the translation in {file} is empty or still says TRANSLATE"
        if self.kind == "orphan":
            return f"{file}: block {b.id} translates a text the English page no longer has; delete it"
        return (f"{where}: the English text changed after its translation was written (hash {self.old_source} "
                f"translated, now {b.source}); python scripts/zh.py status --diff {b.page} shows what changed in the "
                f"English; update the Chinese in {file}, then python scripts/zh.py mark {b.page} {b.id}")


def problems(pages=None):
    """What stands between the English pages and an up-to-date Chinese edition."""
    found = []
    for page in pages or toc_pages():
        translated = read_translation(page)
        english = english_blocks(page)
        for block in english:
            if block.id not in translated:
                found.append(Problem("missing", block))
                continue
            source, text = translated[block.id]
            if source != block.source:
                found.append(Problem("stale", block, source))
            elif not text.strip() or text.startswith("TRANSLATE:"):
                found.append(Problem("empty", block))
        ids = {block.id for block in english}
        found += [Problem("orphan", Block(page, block_id, "")) for block_id in translated if block_id not in ids]
    return found


def old_english(page, block_id, source, limit=300):
    """The English text of a block as it was when its translation was written, from git history."""
    try:
        commits = subprocess.run(["git", "rev-list", f"--max-count={limit}", "HEAD", "--", page], cwd=book_files.ROOT,
                                 capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    for commit in commits:
        shown = subprocess.run(["git", "show", f"{commit}:{page}"], cwd=book_files.ROOT, capture_output=True, text=True)
        if shown.returncode != 0:
            continue
        for block in english_blocks(page, text=shown.stdout):
            if block.id == block_id and block.source == source:
                return block.text
    return None


# ------------------------------------------------------------------ commands
def command_status(args):
    found = problems(args.pages or None)
    for problem in found:
        print(problem)
        if args.diff and problem.kind == "stale":
            old = old_english(problem.block.page, problem.block.id, problem.old_source)
            if old is None:
                print("  (the translated English text is not in the last 300 commits)")
            else:
                sys.stdout.writelines("  " + line for line in difflib.unified_diff(
                    normalise(old).splitlines(True), normalise(problem.block.text).splitlines(True),
                    "translated", "now"))
                print()
    pages = args.pages or toc_pages()
    total = sum(len(english_blocks(page)) for page in pages)
    print(f"{total - len([p for p in found if p.kind != 'orphan'])} of {total} English blocks have an "
          f"up-to-date translation ({len(found)} problems)")
    return 1 if found else 0


def command_stub(args):
    """Add every missing block to the pages' translation files, with the English text to replace."""
    for page in args.pages:
        translated = read_translation(page)
        entries = []
        for block in english_blocks(page):
            if block.id in translated:
                source, text = translated[block.id]
                entries.append((block.id, source, text))
            else:
                entries.append((block.id, block.source, "TRANSLATE: " + normalise(block.text)))
        write_translation(page, entries)
        print(f"{translation_path(page).relative_to(book_files.ROOT)}: {len(entries)} blocks")
    return 0


def command_mark(args):
    """Record that the Chinese of these blocks now translates their current English text."""
    translated = read_translation(args.page)
    english = {block.id: block for block in english_blocks(args.page)}
    unknown = [block_id for block_id in args.blocks if block_id not in english or block_id not in translated]
    if unknown:
        raise SystemExit(f"{args.page}: no translated block {', '.join(unknown)} (scripts/zh.py status {args.page} "
                         "lists the blocks)")
    write_translation(args.page, [(block_id, english[block_id].source if block_id in args.blocks else source, text)
                                  for block_id, (source, text) in translated.items()])
    print(f"{translation_path(args.page).relative_to(book_files.ROOT)}: {len(args.blocks)} blocks marked as current")
    return 0


def _paragraphs(text):
    """The prose paragraphs of a block, blank-line separated; a paragraph of a fenced block (code,
    a directive), a heading or display math is None: kept for alignment, never sampled."""
    paragraphs, inside = [], False
    for paragraph in re.split(r"\n[ \t]*\n", text):
        lines = paragraph.strip().splitlines()
        if not lines:
            continue
        fences = sum(1 for line in lines if FENCE.match(line))
        if inside or fences or lines[0].startswith("$$") or HEADING.match(lines[0]) or LABEL.match(lines[0]):
            paragraphs.append(None)
            inside = inside != (fences % 2 == 1)
            continue
        paragraphs.append(paragraph.strip())
    return paragraphs


def command_sample(args):
    """Print paragraphs drawn at random from a page's translation, for a read-back: translate them
    back to English without looking, then compare with ``--english``."""
    import random

    pairs = []
    for block in english_blocks(args.page):
        source, text = read_translation(args.page).get(block.id, ("", ""))
        english, chinese = _paragraphs(block.text), _paragraphs(text)
        if source != block.source or len(english) != len(chinese):
            continue  # paragraphs do not align one to one: not sampled
        pairs += [(block.id, index, e, c) for index, (e, c) in enumerate(zip(english, chinese))
                  if e and c and len(e.split()) >= 15]
    chosen = sorted(random.Random(args.seed).sample(pairs, min(args.count, len(pairs))), key=pairs.index)
    for block_id, index, english, chinese in chosen:
        print(f"--- {args.page} block {block_id} paragraph {index}")
        print(english if args.english else chinese)
        print()
    return 0


def chinese_page(page, draft=False):
    """The Chinese page: a notebook with the English code cells, or a Markdown page. A draft
    fills a block without an up-to-date translation with its English text."""
    translated = read_translation(page)
    if draft:
        for block in english_blocks(page):
            source, text = translated.get(block.id, ("", ""))
            if source != block.source or not text.strip() or text.startswith("TRANSLATE:"):
                translated[block.id] = (block.source, normalise(block.text))
    path = book_files.ROOT / page
    if page.endswith(".ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell, read in zip(notebook["cells"], book_files.cells(path)):
            if cell["cell_type"] == "markdown" and read["source"].strip():
                cell["source"] = translated[cell["id"]][1] + "\n"
        return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    return "\n\n".join(translated[block.id][1] for block in english_blocks(page)) + "\n"


def write_sources(target, cache, draft=False):
    """The Chinese book's source tree under ``target``, built with the English build's ``cache``."""
    found = [p for p in problems() if p.kind != "orphan"]
    if found and draft:
        print(f"a draft: {len(found)} blocks without an up-to-date translation are shown in English")
    elif found:
        raise SystemExit("the Chinese edition is not up to date with the English pages:\n"
                         + "\n".join(str(p) for p in found[:20])
                         + ("\n..." if len(found) > 20 else "")
                         + "\n(python scripts/zh.py status lists them all)")
    strings = yaml.safe_load(BOOK_STRINGS.read_text(encoding="utf-8"))
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for page in toc_pages():
        destination = target / page
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(chinese_page(page, draft), encoding="utf-8")
    for support in SUPPORT:
        source = book_files.ROOT / support
        if source.is_dir():
            shutil.copytree(source, target / support, symlinks=False,
                            ignore=shutil.ignore_patterns("__pycache__", "mathjax"))
            if (source / "mathjax").exists():  # the local MathJax (tens of MB): linked, not copied
                (target / support / "mathjax").symlink_to(source / "mathjax")
        elif source.exists():
            (target / support).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / support)
    config = yaml.safe_load((book_files.ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = strings["title"]
    config["author"] = strings.get("author", config.get("author"))
    config["execute"]["cache"] = str(cache)
    sphinx_config = config["sphinx"]["config"]
    sphinx_config["language"] = "zh_CN"
    sphinx_config.update(strings["switch_to_english"])
    # The labels the extensions and the theme print: "图 3.2", "显示代码", "证明" (zh/_book.yml).
    sphinx_config.update(strings["labels"])
    # Search: Sphinx cuts Chinese text into words with jieba; the glossary's terms are words.
    glossary = yaml.safe_load((book_files.ROOT / "book" / "glossary.yml").read_text(encoding="utf-8"))
    words = sorted({entry["zh"] for entry in glossary} | {w for entry in glossary for w in entry.get("zh_also", [])})
    (target / "_search_words.txt").write_text("".join(f"{word.replace(' ', '')} 1000 n\n" for word in words),
                                            encoding="utf-8")
    sphinx_config["html_search_options"] = {"dict": str(target / "_search_words.txt")}
    # Glued English words (a run time, a verdict) shown in Chinese: book/_ext/glue_translate.py.
    shutil.copy2(GLUE_RULES, target / GLUE_RULES.name)
    config["sphinx"]["local_extensions"]["glue_translate"] = "book/_ext"
    sphinx_config["glue_translations"] = GLUE_RULES.name
    (target / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    toc = yaml.safe_load((book_files.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        caption = part.get("caption")
        if caption not in strings["captions"]:
            raise SystemExit(f"{BOOK_STRINGS.relative_to(book_files.ROOT)}: no translation of the caption {caption!r} of "
                             "_toc.yml under 'captions'")
        part["caption"] = strings["captions"][caption]
    (target / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def check_cache(target, cache):
    """Every Chinese notebook must find the English run's outputs in ``cache``: nothing trains again."""
    from jupyter_cache import get_cache
    import nbformat

    if not (cache / "global.db").exists():
        raise SystemExit(f"no execution cache at {cache}: build the English book first "
                         "(make book, or jupyter-book build . --path-output ...)")
    store = get_cache(str(cache))
    missing = []
    for notebook in book_files.notebooks(target):
        try:
            store.match_cache_notebook(nbformat.read(str(notebook), as_version=4))
        except KeyError:
            missing.append(str(notebook.relative_to(target)))
    if missing:
        raise SystemExit(f"these notebooks have no execution in {cache}, so the Chinese build would run them "
                         f"again: {', '.join(missing)}. Build the English book first (same profile).")


def command_build(args):
    output = (book_files.ROOT / args.path_output).resolve() if args.path_output else book_files.ROOT
    cache = output / "_build" / ".jupyter_cache"
    build_root = output / "_build" / "zh"
    started = time.perf_counter()
    source = write_sources(build_root / "src", cache, args.draft)
    check_cache(source, cache)
    html = build_root / "_build" / "html"
    shutil.rmtree(html, ignore_errors=True)
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(source), "--path-output",
               str(build_root), "-W", "-n", "--keep-going"]
    result = subprocess.run(command, cwd=book_files.ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"the Chinese build failed or warned:\n{result.stdout[-8000:]}{result.stderr[-8000:]}")
    site = output / "_build" / "html" / "zh"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(html, site, symlinks=False)
    print(f"the Chinese edition: {site} in {time.perf_counter() - started:.0f} s")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    status = commands.add_parser("status", help="list English texts without an up-to-date translation")
    status.add_argument("pages", nargs="*", help="pages (paths as in _toc.yml, with suffix); default: all")
    status.add_argument("--diff", action="store_true", help="show what changed in the English of a stale block")
    stub = commands.add_parser("stub", help="add the missing blocks of pages to their translation files")
    stub.add_argument("pages", nargs="+")
    mark = commands.add_parser("mark", help="after updating the Chinese of stale blocks: record the English "
                                             "text they now translate (their markers' hashes)")
    mark.add_argument("page")
    mark.add_argument("blocks", nargs="+", help="block ids, as status prints them")
    sample = commands.add_parser("sample", help="paragraphs of a translation drawn at random, for a read-back")
    sample.add_argument("page")
    sample.add_argument("--count", type=int, default=10)
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--english", action="store_true", help="print the English paragraphs instead")
    build = commands.add_parser("build", help="build the Chinese site beside the English one")
    build.add_argument("--path-output", default=None, help="the English build's --path-output (default: the root)")
    build.add_argument("--draft", action="store_true",
                       help="a preview while translating: blocks without an up-to-date translation stay English")
    args = parser.parse_args(argv)
    return {"status": command_status, "stub": command_stub, "mark": command_mark, "sample": command_sample,
            "build": command_build}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
