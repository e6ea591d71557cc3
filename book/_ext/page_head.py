"""One of each thing in a page's <head>: the theme stack (Sphinx's basic theme, pydata-sphinx-theme,
sphinx-book-theme) and Jupyter Book's extensions put some there twice.

- Scripts: sphinx-togglebutton's and sphinx-thebe's inline scripts are registered twice, and the
  second ``const THEBE_JS_URL`` is a console error on every page ("Identifier 'THEBE_JS_URL' has
  already been declared"). Each script is kept once, and sphinx-thebe's are dropped: the book
  has no thebe ("live code") button, its launch buttons open Colab and Binder.
- The viewport meta tag: three (basic layout, ``metatags``, pydata's ``extrahead``); one is kept.
- The colour mode: sphinx-book-theme leaves pydata-sphinx-theme's ``default_mode`` empty, so
  a first visit logs "Got invalid theme mode: ." as a console error; it is set to "auto"
  (the reader's system setting) in the templates' context unless _config.yml sets it.

Both editions and the single-page build the PDF is printed from use it (tests/test_book.py
checks the console and the head of every page). Loaded through ``sphinx.local_extensions`` in
_config.yml.
"""
import re
from pathlib import Path

VIEWPORT = re.compile(r'\s*<meta name="viewport"[^>]*>')


def is_thebe(script):
    return "thebe" in str(script).lower()  # str() shows the file name and attributes, an inline body included


def one_of_each_script(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        key = (str(script.filename or ""), tuple(sorted(script.attributes.items())))  # None and "" alike
        if key in seen or is_thebe(script):
            continue
        seen.add(key)
        kept.append(script)
    if "script_files" in context:
        context["script_files"] = kept


def one_viewport(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        tags = list(VIEWPORT.finditer(text))
        if len(tags) < 2:
            continue
        for tag in reversed(tags[1:]):
            text = text[:tag.start()] + text[tag.end():]
        page.write_text(text, encoding="utf-8")


def colour_mode_auto(app, config):
    config.html_context = {"default_mode": "auto", **(config.html_context or {})}


def setup(app):
    app.connect("config-inited", colour_mode_auto)
    app.connect("html-page-context", one_of_each_script, priority=900)
    app.connect("build-finished", one_viewport)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
