"""The ``{bilingual-glossary}`` directive: the book's glossary, from book/glossary.yml, in the build's language.

book/glossary.yml is the one place where each concept's English and Chinese terms live. The
directive renders it as a Sphinx glossary (so ``{term}`` roles can link to an entry): on the
English site each entry reads "English · 中文" with the English definition, on the Chinese
site (``language`` zh_CN) "中文 · English" with the Chinese one, plus the other Chinese names
a reader meets elsewhere (``zh_also``). tests/test_zh.py uses the same file to check that the
Chinese pages use one term per concept.

Used by book/glossary.md (and its translation, zh/book/glossary.md).
"""
from __future__ import annotations

from pathlib import Path

import yaml
from sphinx.util.docutils import SphinxDirective


def load(path):
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for entry in entries:
        missing = {"en", "zh", "definition"} - set(entry) or {"en", "zh"} - set(entry["definition"])
        if missing:
            raise ValueError(f"{path}: the entry {entry.get('en', entry)!r} lacks {sorted(missing)}")
    return entries


class BilingualGlossary(SphinxDirective):
    has_content = False

    def run(self):
        path = Path(self.env.srcdir) / "book" / "glossary.yml"
        self.env.note_dependency(str(path))
        chinese = str(self.env.config.language or "en").startswith("zh")
        lines = ["```{glossary}"]
        for entry in load(path):
            if chinese:
                also = "其他文献中也称" + "、".join(entry["zh_also"]) + "。" if entry.get("zh_also") else ""
                lines.append(f"{entry['zh']} · {entry['en']}")
                lines.append(f"  {entry['definition']['zh']}{also}")
            else:
                lines.append(f"{entry['en']} · {entry['zh']}")
                also = f" Elsewhere also {'、'.join(entry['zh_also'])}." if entry.get("zh_also") else ""
                lines.append(f"  {entry['definition']['en']}{also}")
            lines.append("")
        lines.append("```")
        return self.parse_text_to_nodes("\n".join(lines))


def setup(app):
    app.add_directive("bilingual-glossary", BilingualGlossary)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
