"""The book's own tools, without a build: scripts/word_count.py and book/_ext/run_times.py."""
import logging
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import run_times  # noqa: E402
import word_count  # noqa: E402


def test_word_count_counts_prose_only():
    markdown = "\n".join([
        "# A title",                                   # 2
        "(a-label)=",
        "One {cite}`goodfellow2014` and `code` and $x^2$ here.",  # 7: roles, code, math one word each
        "A [link text](https://example.org) ends.",   # 4
        "$$",
        "\\min_G \\max_D V(D, G)",
        "$$",
        "```python",
        "print('not prose')",
        "```",
        "````{exercise}",
        ":label: ex",
        "Exercise words do not count.",
        "```python",
        "nested = 'code'",
        "```",
        "````",
        "```{solution} ex",
        "Nor do solutions.",
        "```",
        "```{note}",
        ":class: tip",
        "A note counts.",                              # 3
        "```",
        "<!-- a comment does not -->",
    ])
    assert word_count.words(markdown) == 2 + 7 + 4 + 3


def fake_env(exec_data):
    docs = ["book/intro", "notebooks/01_background", "notebooks/A1_bugs"]
    return SimpleNamespace(
        config=SimpleNamespace(root_doc="book/intro"),
        toctree_includes={"book/intro": docs[1:]},
        found_docs=set(docs),
        doc2path=lambda doc: ROOT / (doc + (".md" if doc.startswith("book/") else ".ipynb")),
        titles={},
        exec_data=exec_data,
    )


@pytest.fixture
def metadata(monkeypatch):
    from myst_nb.sphinx_ import NbMetadataCollector

    monkeypatch.setattr(NbMetadataCollector, "get_doc_data", staticmethod(lambda env: env.exec_data))


def test_run_times_table_lists_every_notebook_in_toc_order(metadata):
    env = fake_env({"notebooks/01_background": {"exec_data": {"runtime": 42.4, "succeeded": True}},
                    "notebooks/A1_bugs": {"exec_data": {"runtime": 150.0, "succeeded": True}}})
    assert run_times._notebook_pages(env) == ["notebooks/01_background", "notebooks/A1_bugs"]
    table, caption = run_times._table(env, "book/before_you_start", run_times.RunTimesNode())
    text = table.astext()
    assert "42 s" in text and "2.5 min" in text and "3.2 min" in text  # the total: 192.4 s
    assert text.index("01_background") < text.index("A1_bugs")


def test_run_times_warns_when_a_time_is_missing(metadata, caplog):
    env = fake_env({"notebooks/01_background": {"exec_data": {"runtime": 42.4, "succeeded": True}}})
    with caplog.at_level(logging.WARNING):
        run_times._table(env, "book/before_you_start", run_times.RunTimesNode())
    assert any("no run time recorded for notebooks/A1_bugs" in record.getMessage() for record in caplog.records)
