"""Lets the single-page HTML build (``--builder singlehtml``, which the book's PDF is printed from)
render every node the HTML build renders.

Sphinx looks up an extension's node handlers under the builder's name ("singlehtml") and
falls back to its format ("html") only when no extension registered anything under that
name. sphinx-exercise registers its nodes for "singlehtml", so the fallback never happens and
sphinx-proof's theorems and proofs (registered for "html" only) stop the build with "unknown
node type: theorem_node". At builder-inited, after every extension's setup, this copies each
"html" handler that "singlehtml" lacks. Used by scripts/book_pdf.py's build; loaded through
``sphinx.local_extensions`` in _config.yml.
"""


def _share_html_handlers(app):
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node_name, visit_depart in handlers.get("html", {}).items():
        single.setdefault(node_name, visit_depart)


def setup(app):
    app.connect("builder-inited", _share_html_handlers)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
