"""A language switch on every page: a link to the same page in the other edition.

The English site is ``_build/html``, the Chinese one ``_build/html/zh`` (scripts/zh.py builds
it from the same execution). Both builds load this extension; the setting
``language_switch`` (in ``sphinx.config`` of ``_config.yml``) says where the other edition's
root is, relative to this edition's root, and the settings ``language_switch_label``, ``language_switch_hreflang`` and
``language_switch_title`` how to label the link::

    language_switch: zh/
    language_switch_label: 中文

For a page ``notebooks/02_minimax`` the link is ``../zh/notebooks/02_minimax.html`` from the
English page and ``../../notebooks/02_minimax.html`` from the Chinese one. Only the HTML
builder gets it (the single-page build that prints the PDF does not). The browser test
follows every switch and checks it lands on the counterpart page.
"""
from __future__ import annotations

import html
import posixpath


def _link(app, pagename, templatename, context, doctree):
    config = app.config
    if not config.language_switch or app.builder.name != "html" or doctree is None:
        return
    depth = pagename.count("/")
    href = posixpath.normpath(posixpath.join("../" * depth or ".", config.language_switch, f"{pagename}.html"))
    language = html.escape(config.language_switch_hreflang)
    block = (f'<p class="language-switch"><a href="{html.escape(href)}" hreflang="{language}" lang="{language}" '
             f'title="{html.escape(config.language_switch_title)}">{html.escape(config.language_switch_label)}</a></p>\n')
    context["body"] = block + context.get("body", "")


def setup(app):
    app.add_config_value("language_switch", "", "html")
    app.add_config_value("language_switch_label", "", "html")
    app.add_config_value("language_switch_hreflang", "", "html")
    app.add_config_value("language_switch_title", "", "html")
    app.connect("html-page-context", _link)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
