"""The ``{run-times}`` directive: how long each notebook page ran in this build, as a table.

The times are not typed, and there is one measurement per page: the page's own
``gan_utils.book.NotebookTimer``, from its kernel's start to its last cell, which the page
glues as ``run_time`` ("15 seconds on the computer that built this page (full profile)") for
its "This chapter ran in" sentence. The table reads that glued text from myst-nb's glue cache
(``<page>.glue.json`` in the build's output folder), so the page and the table show the same
number, in the same unit (whole seconds). The directive leaves a placeholder; once every page
has been read, a post-transform replaces it by a table with one row per notebook page, in the
order of the table of contents, and a caption that describes the computer (its CPU cores,
whether it had a GPU, whether the networks computed in bfloat16) without naming its CPU.
A notebook page without a glued time, or whose execution failed, is a build warning, which
``-W`` (``make book``, ``make test``) turns into an error: the table never shows a gap or a
stale number.

Used in ``book/before_you_start.md``; loaded through ``sphinx.local_extensions`` in _config.yml.
"""
from __future__ import annotations

import ast
import os
import re

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


GLUED_TIME = re.compile(r"^(\d+) seconds?\b")  # gan_utils.book.NotebookTimer.describe()


def _describe(seconds):
    return f"{seconds:,} s"


def glued_seconds(env, page):
    """The whole seconds a page's NotebookTimer measured, read from its glued ``run_time``; or None."""
    from myst_nb.ext.glue.crossref import read_glue_cache

    output = read_glue_cache(env.mystnb_config.output_folder, page).get("run_time")
    if not output:
        return None
    text = output["data"].get("text/plain", "")
    try:
        text = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        pass
    match = GLUED_TIME.match(str(text))
    return int(match.group(1)) if match else None


def _machine(profile):
    """The computer that ran the pages: ``(cores, GPUs, bfloat16 used)``; never the CPU's model.

    Read in the build's process, on the computer that executed the notebooks (the execution
    cache is this build's own). The smoke profile always computes in float32.
    """
    import tensorflow as tf

    from gan_utils import precision

    bfloat16 = profile == "full" and precision.fastest_precision() == "mixed_bfloat16"
    return os.cpu_count() or 1, len(tf.config.list_physical_devices("GPU")), bfloat16


def caption_text(profile, cores, gpus, bfloat16, chinese=False):
    """The table's caption: the profile and the computer, in the page's language."""
    if chinese:
        hardware = f"一台有 {cores} 个 CPU 核心、" + (f"{gpus} 块 GPU" if gpus else "没有 GPU") + "的计算机"
        numbers = ("；它的 CPU 支持 bfloat16 指令，所以选用最快精度的页面（第 4 章、附录 Fast on a CPU）以 bfloat16 计算" if bfloat16
                   else "；网络以 float32 计算")
        return (f"构建本书这一版本时测得（{profile} 配置），{hardware}{numbers}。"
                "每个时间从该页 Python 内核启动时算起，到最后一个单元格为止。")
    hardware = (f"a computer with {cores} CPU core{'s' if cores != 1 else ''} and "
                + (f"{gpus} GPU{'s' if gpus != 1 else ''}" if gpus else "no GPU"))
    numbers = ("; its CPU has bfloat16 instructions, so the pages that pick the fastest "
               "precision (chapter 4, the appendix Fast on a CPU) computed in bfloat16" if bfloat16 else "; the networks computed in float32")
    return (f"Measured while this copy of the book was built ({profile} profile), on {hardware}{numbers}. "
            "Each time counts from the start of the page's Python kernel to its last cell.")


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
    chinese = str(getattr(env.config, "language", None) or "").startswith("zh")
    words = ("页面", "运行时间", "全书") if chinese else ("page", "run time", "the whole book")
    head += nodes.row("", _cell(nodes.Text(words[0])), _cell(nodes.Text(words[1])))
    total = 0
    for page in _notebook_pages(env):
        data = (metadata.get(page) or {}).get("exec_data") or {}
        seconds = glued_seconds(env, page)
        if seconds is None or not data.get("succeeded", True):
            LOGGER.warning(f"run-times: no run time recorded for {page} (did it run in this build, and "
                           "does it glue run_time = NotebookTimer().describe()?)", location=node)
            continue
        total += seconds
        link = pending_xref("", refdoc=docname, reftarget="/" + page, reftype="doc", refdomain="std",
                            refexplicit=True, refwarn=True, classes=["xref", "doc"])
        title = env.titles.get(page)
        link += nodes.inline(text=title.astext() if title is not None else page)
        body += nodes.row("", _cell(link), _cell(nodes.Text(_describe(seconds))))
    body += nodes.row("", _cell(nodes.strong(text=words[2])), _cell(nodes.strong(text=_describe(total))))
    from gan_utils.book import current_profile

    profile = current_profile()
    caption = nodes.paragraph(text=caption_text(profile, *_machine(profile), chinese=chinese),
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
