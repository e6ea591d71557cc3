"""The book's own tools, without a build: scripts/book_files.py, scripts/word_count.py and
book/_ext/run_times.py."""
import json
import logging
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

import book_files
import run_times
import word_count
from book_files import ROOT


def test_a_new_page_is_one_line_in_the_table_of_contents(tmp_path):
    """In a copy of the book, a scratch appendix (its notebook and one line of _toc.yml) is a page
    to every list of pages: book_files, the Makefile's PAGES, and the tests' parametrisations."""
    for name in ("_toc.yml", "_config.yml", "pyproject.toml", "conftest.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("book", "notebooks", "scripts", "tests", "zh"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__", "mathjax"))
    toc = (tmp_path / "_toc.yml").read_text()
    line = "      - file: notebooks/A2_fast_on_a_cpu\n"
    assert line in toc
    (tmp_path / "_toc.yml").write_text(toc.replace(line, line + "      - file: notebooks/A3_scratch\n"))
    scratch = json.loads((ROOT / "notebooks" / "A2_fast_on_a_cpu.ipynb").read_text())
    scratch["cells"] = [{"cell_type": "markdown", "id": "title", "metadata": {}, "source": "# Scratch\n"}]
    (tmp_path / "notebooks" / "A3_scratch.ipynb").write_text(json.dumps(scratch))

    assert book_files.notebooks(tmp_path)[-1] == tmp_path / "notebooks" / "A3_scratch.ipynb"
    assert book_files.glue_prefix(tmp_path / "notebooks" / "A3_scratch.ipynb") == "A3_"
    pages = subprocess.run([sys.executable, "scripts/book_files.py", "notebooks"], cwd=tmp_path, capture_output=True,
                           text=True, check=True).stdout.split()
    assert pages[-1] == "notebooks/A3_scratch.ipynb"
    collected = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--co", "-q",
                                "tests/test_notebook_hygiene.py", "tests/test_prose.py", "tests/test_zh.py"],
                               cwd=tmp_path, capture_output=True, text=True)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    for test in ("test_notebook_hygiene.py::test_page_structure[A3_scratch.ipynb]",
                 "test_prose.py::test_glue_names_follow_one_convention[A3_scratch]",
                 "test_zh.py::test_every_block_has_a_current_translation[A3_scratch]"):
        assert f"tests/{test}" in collected.stdout, f"{test} was not collected in the copy"


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


@pytest.mark.slow
def test_conftest_stores_what_nbval_executed_in_the_smoke_books_cache(tmp_path):
    """The one-execution design leans on nbval's items and jupyter-cache's API (see CONTRIBUTING):
    a notebook page that nbval runs in a copy must come out of the copy's cache, outputs and time
    included."""
    import nbformat
    from jupyter_cache import get_cache

    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "book_files.py", tmp_path / "scripts")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: notebooks/01_tiny\n")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Tiny"),
                                               nbformat.v4.new_code_cell("x = 6 * 7"),
                                               nbformat.v4.new_code_cell("print(x)")])
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    (tmp_path / "notebooks").mkdir()
    nbformat.write(notebook, str(tmp_path / "notebooks" / "01_tiny.ipynb"))
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval-lax",
                             "--nbval-current-env", "notebooks/01_tiny.ipynb"], cwd=tmp_path, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    cache = get_cache(str(tmp_path / "_build" / "smoke" / "_build" / ".jupyter_cache"))
    record = cache.match_cache_notebook(nbformat.read(str(tmp_path / "notebooks" / "01_tiny.ipynb"), as_version=4))
    assert record.data["execution_seconds"] > 0
    printed = [cell.outputs for cell in cache.get_cache_bundle(record.pk).nb.cells if cell.source == "print(x)"]
    assert printed == [[{"name": "stdout", "output_type": "stream", "text": "42\n"}]]


@pytest.mark.slow
def test_loadscope_keeps_a_class_on_one_worker(tmp_path):
    """Phase 2 of `make test` relies on pytest-xdist's documented --dist loadscope: a class's tests
    on one worker (each assignment's solution runs once), the classes spread over both."""
    (tmp_path / "test_scope.py").write_text(
        "import os\n\n"
        "class Base:\n"
        "    def test_a(self):\n        self.note()\n"
        "    def test_b(self):\n        self.note()\n"
        "    def test_c(self):\n        self.note()\n"
        "    def note(self):\n"
        "        with open('workers.txt', 'a') as f:\n"
        "            f.write(f\"{type(self).__name__} {os.environ['PYTEST_XDIST_WORKER']}\\n\")\n\n"
        "class TestOne(Base):\n    pass\n\n"
        "class TestTwo(Base):\n    pass\n")
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "2",
                             "--dist", "loadscope", "test_scope.py"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    workers = {}
    for line in (tmp_path / "workers.txt").read_text().splitlines():
        name, worker = line.split()
        workers.setdefault(name, set()).add(worker)
    assert workers["TestOne"] | workers["TestTwo"] == {"gw0", "gw1"} and all(len(w) == 1 for w in workers.values()), \
        workers


def fake_env(exec_data, glued=None, language=None):
    docs = ["book/intro", "notebooks/01_background", "notebooks/A1_bugs"]
    return SimpleNamespace(
        config=SimpleNamespace(root_doc="book/intro", language=language),
        toctree_includes={"book/intro": docs[1:]},
        found_docs=set(docs),
        doc2path=lambda doc: ROOT / (doc + (".md" if doc.startswith("book/") else ".ipynb")),
        titles={},
        exec_data=exec_data,
        glued=glued or {},
    )


@pytest.fixture
def metadata(monkeypatch):
    from myst_nb.sphinx_ import NbMetadataCollector

    monkeypatch.setattr(NbMetadataCollector, "get_doc_data", staticmethod(lambda env: env.exec_data))
    monkeypatch.setattr(run_times, "_machine", lambda profile: (4, 0, False))


def glue_cache(tmp_path, page, text):
    """A page's glued run_time as myst-nb caches it: <output folder>/<page>.glue.json."""
    path = tmp_path.joinpath(page + ".glue.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"run_time": {"data": {"text/plain": repr(text)}, "metadata": {}}}))


def test_run_times_table_shows_each_pages_own_glued_time_in_seconds(metadata, tmp_path):
    """The table and the page's "ran in" sentence show one measurement (the page's NotebookTimer)."""
    env = fake_env({"notebooks/01_background": {"exec_data": {"runtime": 49.9, "succeeded": True}},
                    "notebooks/A1_bugs": {"exec_data": {"runtime": 160.0, "succeeded": True}}})
    env.mystnb_config = SimpleNamespace(output_folder=str(tmp_path))
    glue_cache(tmp_path, "notebooks/01_background", "42 seconds on the computer that built this page (full profile)")
    glue_cache(tmp_path, "notebooks/A1_bugs", "1150 seconds on the computer that built this page (full profile)")
    assert run_times._notebook_pages(env) == ["notebooks/01_background", "notebooks/A1_bugs"]
    table, caption = run_times._table(env, "book/before_you_start", run_times.RunTimesNode())
    text = table.astext()
    assert "42 s" in text and "1,150 s" in text and "1,192 s" in text and "min" not in text  # one unit
    assert "49" not in text and "160" not in text  # the kernel's execution record is not a second source
    assert text.index("01_background") < text.index("A1_bugs")
    assert "4 CPU cores and no GPU" in caption.astext() and "float32" in caption.astext()


def test_run_times_caption_in_chinese_and_with_bfloat16():
    assert "bfloat16 instructions" in run_times.caption_text("full", 16, 0, True)
    assert "1 GPU" in run_times.caption_text("full", 2, 1, False)
    chinese = run_times.caption_text("smoke", 8, 0, False, chinese=True)
    assert "8 个 CPU 核心" in chinese and "没有 GPU" in chinese and "smoke 配置" in chinese


def test_run_times_warns_when_a_time_is_missing(metadata, caplog, tmp_path):
    env = fake_env({"notebooks/01_background": {"exec_data": {"runtime": 42.4, "succeeded": True}},
                    "notebooks/A1_bugs": {"exec_data": {"runtime": 9.0, "succeeded": True}}})
    env.mystnb_config = SimpleNamespace(output_folder=str(tmp_path))
    glue_cache(tmp_path, "notebooks/01_background", "42 seconds on the computer that built this page (full profile)")
    with caplog.at_level(logging.WARNING):
        run_times._table(env, "book/before_you_start", run_times.RunTimesNode())
    assert any("no run time recorded for notebooks/A1_bugs" in record.getMessage() for record in caplog.records)
    assert not any("01_background" in record.getMessage() for record in caplog.records)
