"""The ``{run-times}`` directive: how long each notebook page ran in this build, as a table.

The times are not typed: myst-nb records each notebook's execution (its ``exec_data``; in
the "cache" execution mode the seconds jupyter-cache stored with the executed notebook,
which conftest.py also stores for the chapters nbval executed). The directive leaves a
placeholder; once every page has been read, a post-transform replaces it by a table with one
row per notebook page, in the order of the table of contents. A notebook page without a
recorded time is a build warning, which ``-W`` (``make book``, ``make test``) turns into an
error: the table never shows a gap or a stale number.

Used in ``book/before_you_start.md``; loaded through ``sphinx.local_extensions`` in _config.yml.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

LOGGER = logging.getLogger(__name__)
MARKER = "has_run_times_table"


class RunTimesNode(nodes.General, nodes.Element):
    """Where the table goes, once every notebook's run time is known."""


class RunTimesDirective(SphinxDirective):
    has_content = False

    def run(self):
        from myst_nb.sphinx_ import NbMetadataCollector

        NbMetadataCollector.set_doc_data(self.env, self.env.docname, MARKER, True)
        node = RunTimesNode()
        self.set_source_info(node)
        return [node]


def _notebook_pages(env):
    """Notebook docnames in the order of the table of contents (depth first from the root)."""
    ordered, seen = [], set()

    def visit(docname):
        if docname in seen:
            return
        seen.add(docname)
        ordered.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    ordered += sorted(set(env.found_docs) - seen)
    return [docname for docname in ordered if str(env.doc2path(docname)).endswith(".ipynb")]


def _describe(seconds):
    if seconds < 100:
        return f"{max(1, round(seconds))} s"
    return f"{seconds / 60:.1f} min"


def _cell(*children):
    paragraph = nodes.paragraph()
    paragraph.extend(children)
    return nodes.entry("", paragraph)


def _table(env, docname, node):
    from myst_nb.sphinx_ import NbMetadataCollector

    metadata = NbMetadataCollector.get_doc_data(env)
    table = nodes.table(classes=["colwidths-auto", "run-times"])
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=70)
    group += nodes.colspec(colwidth=30)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    head += nodes.row("", _cell(nodes.Text("page")), _cell(nodes.Text("run time")))
    total = 0.0
    for page in _notebook_pages(env):
        data = (metadata.get(page) or {}).get("exec_data") or {}
        seconds = data.get("runtime")
        if seconds is None or not data.get("succeeded", True):
            LOGGER.warning(f"run-times: no run time recorded for {page} (was it executed in this build, "
                           "or taken from a cache entry without 'execution_seconds'?)", location=node)
            continue
        total += seconds
        link = pending_xref("", refdoc=docname, reftarget="/" + page, reftype="doc", refdomain="std",
                            refexplicit=True, refwarn=True, classes=["xref", "doc"])
        title = env.titles.get(page)
        link += nodes.inline(text=title.astext() if title is not None else page)
        body += nodes.row("", _cell(link), _cell(nodes.Text(_describe(seconds))))
    body += nodes.row("", _cell(nodes.strong(text="the whole book")), _cell(nodes.strong(text=_describe(total))))
    from gan_utils.book import current_profile

    caption = nodes.paragraph(text=f"Measured while this copy of the book was built ({current_profile()} profile).",
                              classes=["run-times-caption"])
    return [table, caption]


class RunTimesPostTransform(SphinxPostTransform):
    default_priority = 8  # before references are resolved (the page links are pending_xrefs)

    def run(self, **kwargs):
        for node in list(self.document.findall(RunTimesNode)):
            node.replace_self(_table(self.env, self.env.docname, node))


def _pages_with_tables(app, env):
    """Re-write the pages that hold a table whenever a notebook was executed again."""
    from myst_nb.sphinx_ import NbMetadataCollector

    if not NbMetadataCollector.new_exec_data(env):
        return []
    return [docname for docname, data in NbMetadataCollector.get_doc_data(env).items() if data.get(MARKER)]


def setup(app):
    app.add_node(RunTimesNode)
    app.add_directive("run-times", RunTimesDirective)
    app.add_post_transform(RunTimesPostTransform)
    app.connect("env-updated", _pages_with_tables)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
