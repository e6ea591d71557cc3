"""The Chinese edition's glued words: rewrite glued values that are English words on Chinese pages.

The notebooks glue a few descriptions into the prose ("3.2 minutes on the computer that built
this page (full profile)", a method's name, a verdict). The Chinese build reuses the English
run's outputs, so those values arrive in English; this extension rewrites each glued text
(myst-nb's ``pasted-text`` nodes) with the rules of ``glue_translations`` (a YAML file of
[regular expression, replacement] pairs, zh/_glue.yml, applied in order). Numbers and names
no rule matches are left as they are. Loaded by the Chinese build only (scripts/zh.py).
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from docutils import nodes


def load_rules(path):
    rules = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return [(re.compile(pattern), replacement) for pattern, replacement in rules]


def translate(value, rules):
    """``value`` rewritten by every rule in turn."""
    for pattern, replacement in rules:
        value = pattern.sub(replacement, value)
    return value


def _rewrite(app, doctree, docname):
    if not app.config.glue_translations:
        return
    rules = load_rules(Path(app.srcdir) / app.config.glue_translations)
    for node in list(doctree.findall(nodes.inline)):
        if "pasted-text" in node.get("classes", []):
            text = node.astext()
            translated = translate(text, rules)
            if translated != text:
                node.children = [nodes.Text(translated)]


def setup(app):
    app.add_config_value("glue_translations", "", "env")
    app.connect("doctree-resolved", _rewrite)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
