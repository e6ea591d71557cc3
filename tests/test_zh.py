"""The Chinese edition's translations: complete, current, faithful in structure, one term per concept.

These tests read only files (no build, no execution): scripts/zh.py cuts every English page of
_toc.yml into blocks (a notebook's markdown cells, a Markdown page's sections) and each
translation file zh/<page>.md records, per block, the hash of the English text it translates.
The built Chinese site is tested with the English one in tests/test_book.py.

- Every English block has a translation, written for its current text (a changed English text
  makes its translation stale: the test names the page, the block and its first line).
- A translated block keeps what the build and the reader rely on byte for byte: glued values,
  citations, cross-reference targets, labels, directives, math and URLs.
- Terminology: book/glossary.yml is the single source; a Chinese page uses each concept's
  `zh` term, never its `zh_also` variants, and gives the English term in parentheses at the
  term's first use in the page's prose.
"""
import collections
import re
from pathlib import Path

import pytest
import yaml

import book_files
import zh

ROOT = book_files.ROOT

PAGES = zh.toc_pages()
GLOSSARY = yaml.safe_load((ROOT / "book" / "glossary.yml").read_text(encoding="utf-8"))


def page_id(page):
    return Path(page).stem


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_block_has_a_current_translation(page):
    found = zh.problems([page])
    assert not found, f"{len(found)} blocks of {page} need translating:\n" + "\n".join(map(str, found))


# ------------------------------------------------------------------ structure kept
FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})(.*)$")


def split_code(text):
    """(text without its fenced code blocks, number of code blocks). Fences are tracked line by
    line: a directive's fence (```{exercise}) encloses prose, a code fence (```python) code, and a
    bare fence closes whichever is open."""
    kept, open_fences, blocks = [], [], 0
    for line in text.splitlines():
        match = FENCE_LINE.match(line)
        in_code = bool(open_fences) and open_fences[-1][1]
        if match:
            token, rest = match.groups()
            closes = (open_fences and token[0] == open_fences[-1][0][0] and len(token) >= len(open_fences[-1][0])
                      and not rest.strip())
            if closes:
                open_fences.pop()
                kept.append("" if in_code else line)
                continue
            if not in_code:
                code = not rest.strip().startswith("{")
                open_fences.append((token, code))
                blocks += code
                kept.append("" if code else line)
                continue
        kept.append("" if in_code else line)
    return "\n".join(kept), blocks


DIRECTIVE = re.compile(r"^\s*(`{3,}|:{3,})\{([\w:-]+)\}[ \t]*(.*?)\s*$", re.MULTILINE)
# Directives whose argument is a title, which is translated; every other argument is a name or a path.
TITLED = {"admonition", "table", "exercise", "prf:theorem", "prf:lemma", "prf:proof", "prf:definition", "prf:proposition",
          "prf:corollary", "prf:remark", "prf:example", "prf:algorithm", "note", "tip", "warning", "important",
          "seealso", "topic", "dropdown", "tab-item", "card", "caution", "attention", "hint"}
ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
TARGET_ROLES = {"ref", "doc", "numref", "eq", "prf:ref", "cite", "cite:p", "cite:t", "download"}
OPTION = re.compile(r"^\s*:(label|name|class|width|height|align|figwidth|nowrap):\s*(.*?)\s*$", re.MULTILINE)
LABEL_LINE = re.compile(r"^\s*\(([^()\s]+)\)=\s*$", re.MULTILINE)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)((?:[^$\n]|\n(?![ \t]*\n))+?)(?<!\\)\$")  # may wrap one line
URL = re.compile(r"https?://[^\s)>\]\"'`，。）]+")


def features(text):
    """What a translation must keep from its English block (a Counter per kind)."""
    found = collections.defaultdict(collections.Counter)
    for match in ROLE.finditer(text):
        name, body = match.groups()
        if name.startswith("glue"):
            found["glued values"][f"{{{name}}}`{body}`"] += 1
        elif name in TARGET_ROLES:
            target = body[body.rindex("<") + 1:-1] if body.endswith(">") and "<" in body else body
            found["cross-references and citations"][f"{{{name}}}`{target}`"] += 1
    for match in DIRECTIVE.finditer(text):
        fence, name, argument = match.groups()
        found["directives"][f"{fence}{{{name}}}" + ("" if name in TITLED else f" {argument}")] += 1
    found["labels and options"].update(f":{key}: {value}" for key, value in OPTION.findall(text))
    found["labels and options"].update(f"({label})=" for label in LABEL_LINE.findall(text))
    prose, code_blocks = split_code(text)
    found["display math"].update(" ".join(m.split()) for m in DISPLAY_MATH.findall(prose))
    prose = INLINE_CODE.sub("", DISPLAY_MATH.sub("", prose))
    found["inline math"].update(" ".join(m.split()) for m in INLINE_MATH.findall(prose))
    found["code blocks"]["fenced code blocks"] += code_blocks
    found["URLs"].update(URL.findall(text))
    return found


def differences(english, chinese):
    expected, got = features(english), features(chinese)
    problems = []
    for kind in sorted(set(expected) | set(got)):
        lost = expected[kind] - got[kind]
        added = got[kind] - expected[kind]
        if lost:
            problems.append(f"{kind} missing: {sorted(lost.elements())[:6]}")
        if added:
            problems.append(f"{kind} not in the English: {sorted(added.elements())[:6]}")
    return problems


def test_features_catch_what_a_translation_can_lose():
    english = ("See {ref}`the table <notation>` and {cite}`goodfellow2014`; D is {glue:text}`ch2_d:.3f`.\n\n"
               "```{exercise}\n:label: ch2-ex-a\nShow $p_g = p_\\text{data}$.\n```\n\n$$\nV(D, G)\n$$\n")
    faithful = english.replace("See", "见").replace("the table", "表").replace("Show", "证明")
    assert differences(english, faithful) == []
    assert any("glued values missing" in p for p in differences(english, faithful.replace(":.3f", ":.2f")))
    assert any("inline math" in p for p in differences(english, faithful.replace("p_g =", "p_g=")))
    assert any("cross-references" in p for p in differences(english, faithful.replace("<notation>", "<nota>")))
    assert any("labels" in p for p in differences(english, faithful.replace("ch2-ex-a", "ch2-ex-b")))
    assert any("display math" in p for p in differences(english, faithful.replace("V(D, G)", "V(G, D)")))


def translated_blocks(page):
    translated = zh.read_translation(page)
    for block in zh.english_blocks(page):
        if block.id in translated:
            source, text = translated[block.id]
            if source == block.source and text.strip() and not text.startswith("TRANSLATE:"):
                yield block, text


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_translations_keep_glue_references_math_and_labels(page):
    problems = [f"{page}, block {block.id} ({block.first_line()!r}): " + "; ".join(found)
                for block, text in translated_blocks(page) if (found := differences(block.text, text))]
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ terminology
def test_the_glossary_is_well_formed():
    seen_en, seen_zh = set(), set()
    for entry in GLOSSARY:
        assert {"en", "zh", "definition"} <= set(entry), entry
        assert {"en", "zh"} <= set(entry["definition"]), entry["en"]
        assert entry["en"] not in seen_en and entry["zh"] not in seen_zh, f"{entry['en']} / {entry['zh']} twice"
        seen_en.add(entry["en"])
        seen_zh.add(entry["zh"])
        for variant in entry.get("zh_also", []):
            assert variant not in seen_zh, variant


def prose_paragraphs(text):
    """Paragraphs of running text: no headings, code, math, directive lines, roles or URLs."""
    text = split_code(text)[0]
    text = DISPLAY_MATH.sub(" ", text)
    text = ROLE.sub(" ", INLINE_CODE.sub(" ", text))
    text = INLINE_MATH.sub(" ", URL.sub(" ", text))
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [line for line in paragraph.splitlines()
                 if not re.match(r"\s*(#{1,6}\s|\(\S+\)=|:{3,}|`{3,}|:\w+:|<!--)", line)]
        if lines:
            paragraphs.append("\n".join(lines))
    return paragraphs


def english_core(term):
    return re.sub(r"\s*\(.*?\)\s*", " ", term).strip().lower()


def chinese_text(page):
    return "\n\n".join(text for _, text in translated_blocks(page))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_one_chinese_term_per_concept(page):
    if page == "book/glossary.md":
        return
    paragraphs = prose_paragraphs(chinese_text(page))
    problems = []
    for entry in GLOSSARY:
        for variant in entry.get("zh_also", []):
            for paragraph in paragraphs:
                if variant in paragraph:
                    problems.append(f"uses {variant!r} for {entry['en']!r}: the book's term is {entry['zh']!r} "
                                    f"(book/glossary.yml), in: {paragraph[:100]!r}")
                    break
        term = entry["zh"]
        if term.lower() == english_core(entry["en"]) or term.isascii():
            continue  # the Chinese edition keeps the English word (logit, FID)
        first = next((p for p in paragraphs if term in p), None)
        if first is None:
            continue
        core = english_core(entry["en"])
        glossed = re.finditer(re.escape(term) + r"\s*[（(]([^）)]*)[）)]", first)
        if not any(core in gloss.group(1).lower().replace("‐", "-") for gloss in glossed):
            problems.append(f"first use of {term!r} gives no English term in parentheses, "
                            f"e.g. {term}（{core}）, in: {first[:120]!r}")
    assert not problems, f"{page}:\n" + "\n".join(problems)


def test_site_strings_cover_the_table_of_contents():
    strings = yaml.safe_load(zh.BOOK_STRINGS.read_text(encoding="utf-8"))
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = [part["caption"] for part in toc.get("parts", []) if "caption" in part]
    assert set(captions) <= set(strings["captions"]), set(captions) - set(strings["captions"])
    assert strings["switch_to_english"]["language_switch"] == "../"


# ------------------------------------------------------------------ the machinery itself
def test_a_changed_english_text_makes_its_translation_stale(tmp_path, monkeypatch):
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: page\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("# Title\n\nOne.\n\n(label)=\n## Part\n\nTwo.\n", encoding="utf-8")
    monkeypatch.setattr(book_files, "ROOT", tmp_path)
    monkeypatch.setattr(zh, "TRANSLATIONS", tmp_path / "zh")
    assert zh.toc_pages() == ["page.md"]
    blocks = zh.english_blocks("page.md")
    assert [b.id for b in blocks] == ["title", "part"] and blocks[1].text.startswith("(label)=")
    original = dict(zip(["title", "part"], ["# 标题\n\n一。", "(label)=\n## 部分\n\n二。"]))
    zh.write_translation("page.md", [(b.id, b.source, original[b.id]) for b in blocks])
    assert zh.problems(["page.md"]) == []
    (tmp_path / "page.md").write_text("# Title\n\nOne, changed.\n\n(label)=\n## Part\n\nTwo.\n\n## New\n\nThree.\n",
                                      encoding="utf-8")
    kinds = {(p.kind, p.block.id) for p in zh.problems(["page.md"])}
    assert kinds == {("stale", "title"), ("missing", "new")}
    stale = next(p for p in zh.problems(["page.md"]) if p.kind == "stale")
    assert "page.md, block title ('# Title')" in str(stale) and "changed after its translation" in str(stale)


def test_markdown_sections_ignore_headings_inside_code():
    text = "# A\n\n```python\n# not a heading\n```\n\n## B\n\ntext\n"
    assert [name for name, _ in zh.markdown_sections(text)] == ["a", "b"]


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_translation_files_are_in_the_form_the_tools_write(page):
    """scripts/zh.py stub and mark rewrite a file from what they read: that must change nothing."""
    path = zh.translation_path(page)
    if path.exists():
        text = path.read_text(encoding="utf-8")
        written = "\n".join(f"<!-- block {block_id} source {source} -->\n{body}\n"
                            for block_id, (source, body) in zh.read_translation(page).items())
        assert written == text, (f"{path.relative_to(ROOT)} is not in normal form (trailing spaces, blank lines "
                                 "around a block?); python scripts/zh.py stub rewrites it")


def leftover_asterisks(text):
    """Asterisks that CommonMark leaves as text: ``**粗体（注）**字`` is no emphasis, because a
    closing ``**`` after full-width punctuation and before a letter does not close (its flanking
    rules), and the reader sees the asterisks."""
    from markdown_it import MarkdownIt

    # Math, code and roles are atoms to the emphasis rules, like a letter: stand in an "X".
    prose = INLINE_MATH.sub("X", DISPLAY_MATH.sub("X", split_code(text)[0]))
    prose = ROLE.sub("X", INLINE_CODE.sub("X", prose))
    rendered = MarkdownIt("commonmark").render(prose)
    visible = re.sub(r"<[^>]+>", " ", rendered)
    return [visible[max(0, m.start() - 15):m.end() + 15].replace("\n", " ") for m in re.finditer(r"\*", visible)]


def test_leftover_asterisks_are_found():
    assert leftover_asterisks("见**数据增强（data augmentation）**实验。")
    assert not leftover_asterisks("见**数据增强**（data augmentation）实验，$a * b$ 与 `x * y`。")


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_bold_and_italics_render(page):
    problems = [f"{page}, block {block.id}: asterisks shown as text near {found}"
                for block, text in translated_blocks(page)
                if (found := leftover_asterisks(text)) and not leftover_asterisks(block.text)]
    assert not problems, "\n".join(problems) + "\n(put the emphasis markers inside the punctuation, e.g. **数据增强**（data augmentation）)"
