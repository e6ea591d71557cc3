"""Numbers figures, tables and exercises per chapter ("Figure 3.2", "Table 6.1", "Exercise 6.4",
"Figure A1.2"), and captions the figure or table a code cell draws.

**Per-chapter numbers.** No part of ``_toc.yml`` is numbered, so Sphinx numbers every figure,
table and exercise of the book in one run (an "Exercise 30" in chapter 6). After Sphinx has
assigned its numbers (``env-get-updated``), this renumbers each page's from 1, prefixed with
the chapter the page's file name gives: ``notebooks/06_training_problems`` is chapter 6,
``notebooks/01b_gan_on_one_screen`` is 1b, ``notebooks/A1_bugs_tutorials_ship`` is A1. A
page of ``book/`` (the instructor guide, the reference pages) numbers its own from 1, with no
prefix. ``{numref}`` prints the same number, so a reference to another chapter names it.

**Captioning a code cell's output.** A markdown cell that starts with

    ```{output-figure} fig-ch3-players
    The two players of a GAN: ...
    ```

right after a code cell makes that cell's last displayed output (its figure) a numbered figure
with this caption and the label ``fig-ch3-players``; ``{output-table}`` does the same for a
table (a DataFrame's output), numbered as a table, caption above. The caption lives in a
markdown cell, so the Chinese edition translates it like any other text, and the code cell
stays as it was: its execution is still found in the cache (which hashes the code cells and
their metadata). A table written in Markdown takes MyST's ``{table}`` directive with ``:name:``.
A reference is always ``{numref}`fig-ch3-players``` (never a typed number). Loaded through ``sphinx.local_extensions`` in _config.yml.
"""
import re

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

CHAPTER = re.compile(r"^notebooks/(?:0*(\d+[a-z]?)|(A\d+))_")


def chapter_of(docname):
    """'6' for notebooks/06_training_problems, '1b' for 01b_..., 'A1' for A1_...; None for other pages."""
    match = CHAPTER.match(docname)
    return (match.group(1) or match.group(2)) if match else None


def renumber_per_chapter(app, env):
    """Replace Sphinx's book-wide numbers by (chapter, n), n counting from 1 on each page."""
    for docname, by_type in env.toc_fignumbers.items():
        chapter = chapter_of(docname)
        for figtype, numbers in by_type.items():
            in_page_order = sorted(numbers, key=lambda node_id: numbers[node_id])
            by_type[figtype] = {node_id: ((chapter, position) if chapter else (position,))
                                for position, node_id in enumerate(in_page_order, start=1)}
    return []


class output_caption(nodes.General, nodes.Element):
    """Placeholder left by {output-figure}/{output-table} until the transform moves its caption."""


class output_table(nodes.General, nodes.Element):
    """A table a code cell printed (HTML from a DataFrame), with a numbered caption above it."""


def visit_output_table(translator, node):
    translator.body.append(translator.starttag(node, "div", CLASS="output-table"))


def depart_output_table(translator, node):
    translator.body.append("</div>\n")


def table_title(node):
    caption = next(iter(node.findall(nodes.caption)), None)
    return caption.astext() if caption else ""


class OutputCaption(SphinxDirective):
    required_arguments = 1  # the label
    has_content = True
    option_spec = {}
    kind = "figure"

    def run(self):
        if not self.content:
            raise self.error(f"{{output-{self.kind}}} {self.arguments[0]}: the caption is missing (write it "
                             "below the directive's first line)")
        placeholder = output_caption(kind=self.kind, label=nodes.fully_normalize_name(self.arguments[0]))
        caption = nodes.caption()
        text, messages = self.state.inline_text("\n".join(self.content), self.lineno)
        caption.extend(text)
        placeholder += caption
        self.set_source_info(placeholder)
        return [placeholder] + messages


class OutputFigure(OutputCaption):
    kind = "figure"


class OutputTable(OutputCaption):
    kind = "table"


def is_code_cell(node):
    return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"


class CaptionCellOutputs(SphinxTransform):
    """Wrap the last displayed output of the code cell before each placeholder in a figure (or table)."""

    default_priority = 210

    def apply(self):
        for placeholder in list(self.document.findall(output_caption)):
            kind, label = placeholder["kind"], placeholder["label"]
            parent = placeholder.parent
            index = parent.index(placeholder)
            previous = next((node for node in reversed(parent.children[:index])
                             if not isinstance(node, (nodes.target, nodes.comment))), None)
            bundles = list(previous.findall(lambda n: isinstance(n, nodes.container)
                                            and n.get("nb_element") == "mime_bundle")) if is_code_cell(previous) else []
            if not bundles:
                logger.warning(f"{{output-{kind}}} {label}: no code cell with a displayed output right before it "
                               "(put the directive at the start of the markdown cell that follows the code cell "
                               "whose figure or table it captions)", location=placeholder)
                parent.remove(placeholder)
                continue
            bundle = bundles[-1]
            caption = placeholder.children[0]
            wrapper = nodes.figure() if kind == "figure" else output_table()
            wrapper.source, wrapper.line = placeholder.source, placeholder.line
            wrapper["names"].append(label)
            bundle.replace_self(wrapper)
            if kind == "figure":
                wrapper += [bundle, caption]
            else:
                wrapper += [caption, bundle]
            self.document.note_explicit_target(wrapper, wrapper)
            parent.remove(placeholder)


def setup(app):
    app.add_directive("output-figure", OutputFigure)
    app.add_directive("output-table", OutputTable)
    app.add_node(output_caption)
    handlers = (visit_output_table, depart_output_table)
    app.add_enumerable_node(output_table, "table", table_title, html=handlers, singlehtml=handlers)
    app.add_transform(CaptionCellOutputs)
    app.connect("env-get-updated", renumber_per_chapter, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
