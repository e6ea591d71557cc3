"""The graded assignments grade correctly: solutions score 100 %, handouts 0, wrong answers fail.

For every master in notebooks/assignments/ this file generates the student versions and
autograders with the one command (`python scripts/assign.py`, once per session) and then

* executes the solution notebook **once**, in this process, cell by cell; at each question's
  check cell it runs that question's test file (public and hidden tests, the files otter's
  autograder runs) and keeps a snapshot of the namespace; it demands full marks;
* grades the student handout with otter's own autograder (`otter run`, no Docker), run as
  is, and demands 0 points on every question;
* injects typical wrong answers (swapped real/fake labels, a missing log, a flipped sign, the
  generator trained through an unfrozen discriminator, one optimizer over both networks, each
  bug of the debugging assignment, ...; one module per master in
  tests/wrong_answers/) into a copy of the snapshot taken at the question's
  check cell and checks that each fails at least one test of the question it targets, while
  the solution passes the same tests in the same kind of namespace; nothing of the solution
  is executed again;
* checks that handouts contain no solutions and no hidden tests, and that the book never
  shows the masters.
"""
import ast
import json
import linecache
import re
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import book_files
import wrong_answers
from book_files import ROOT

MASTERS = book_files.assignments()
ASSIGNMENTS = [path.stem for path in MASTERS]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Student versions and autograders of every assignment, made by the one command."""
    output = tmp_path_factory.mktemp("assignments")
    result = subprocess.run([sys.executable, "scripts/assign.py", "--output", str(output)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def paths(generated, name):
    base = generated / name
    return {"student": base / "student" / f"{name}.ipynb", "solution": base / "autograder" / f"{name}.ipynb",
            "zip": base / "autograder" / f"{name}-autograder.zip", "tests": base / "autograder" / "tests"}


def grade(notebook, autograder_zip):
    from otter.api import grade_submission

    return grade_submission(str(notebook), str(autograder_zip), quiet=True)


def question_names(generated, name):
    return sorted(path.stem for path in paths(generated, name)["tests"].glob("*.py"))


# ---------------------------------------------------------------- structure
def test_the_instructor_guide_lists_exactly_the_masters():
    guide = (ROOT / "book" / "instructor_guide.md").read_text()
    listed = re.findall(r"^\| (\d+)\. [^|]*\(`(\w+)`\) \|", guide, re.MULTILINE)  # | 1. Title (`a1_losses`) |
    assert [name for _, name in listed] == ASSIGNMENTS, "the guide's table of assignments against the masters"
    assert all(name.startswith(f"a{number}_") for number, name in listed), listed


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_master_is_clean_and_installs_on_colab_only(master):
    assert json.loads(master.read_text())["metadata"]["kernelspec"]["name"] == "python3"
    cells = book_files.cells(master)
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code":
            assert not cell["outputs"] and cell["execution_count"] is None, f"cell {index} has outputs"
    url = book_files.repository_url()
    first = cells[0]["source"]
    assert cells[0]["cell_type"] == "code", "the first cell installs what Colab needs"
    for needed in (f"git+{url}", "otter-grader", '"google.colab" in sys.modules'):
        assert needed in first, f"the install cell lacks {needed!r}"
    config = [c for c in cells if c["cell_type"] == "raw" and c["source"].startswith("# ASSIGNMENT CONFIG")]
    assert len(config) == 1
    tests = yaml.safe_load(config[0]["source"])["tests"]
    assert tests == {"files": True, "ok_format": False}, "assert-style test functions, stored as files"


def test_the_book_never_shows_the_masters():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "notebooks/assignments/**" in config["exclude_patterns"]
    assert any("assignments" in pattern for pattern in config["execute"]["exclude_patterns"])
    assert "assignments/" not in (ROOT / "_toc.yml").read_text()
    for page in book_files.pages():
        text = page.read_text()
        assert "](notebooks/assignments" not in text and "](../notebooks/assignments" not in text, \
            f"{page.name} links to a master (with solutions)"


def manual_questions(master):
    """{name: model answer} of the master's questions graded by hand (otter's ``manual: true``)."""
    cells, found = book_files.cells(master), {}
    for index, cell in enumerate(cells):
        source = cell["source"]
        if cell["cell_type"] == "raw" and source.startswith("# BEGIN QUESTION"):
            config = yaml.safe_load(source.partition("\n")[2])
            if config.get("manual"):
                answer = next(c["source"] for c in cells[index + 1:] if c["cell_type"] == "markdown"
                              and c["source"].startswith("*A model answer.*"))
                found[config["name"]] = answer
    return found


MANUAL = {master.stem: manual_questions(master) for master in MASTERS}


def test_at_least_three_assignments_have_a_written_question_with_its_rubric_in_the_guide():
    with_written = [name for name, questions in MANUAL.items() if questions]
    assert len(with_written) >= 3, f"written (manual) questions only in {with_written}"
    guide = (ROOT / "book" / "instructor_guide.md").read_text()
    for name, questions in MANUAL.items():
        for question in questions:
            assert re.search(rf"^#+ .*`{name}` `{question}`", guide, re.MULTILINE), \
                f"the instructor guide has no rubric heading for {name} {question}"


@pytest.mark.parametrize("name", [name for name, questions in MANUAL.items() if questions])
def test_written_questions_reach_the_handout_as_an_empty_answer_cell_and_have_no_tests(generated, name):
    cells = book_files.cells(paths(generated, name)["student"])
    text = "\n".join(cell["source"] for cell in cells)
    answers = [cell for cell in cells if cell["cell_type"] == "markdown"
               and "otter_answer_cell" in cell["metadata"].get("tags", [])]
    assert len(answers) == len(MANUAL[name]), "one answer cell per written question"
    for question, model_answer in MANUAL[name].items():
        assert model_answer.splitlines()[0] not in text, f"the handout shows the model answer of {question}"
        assert not (paths(generated, name)["tests"] / f"{question}.py").exists(), f"{question} is graded by hand"


# ---------------------------------------------------------------- grading with otter, wrong answers
# tests/wrong_answers/NAME.py, by NAME (the package sits beside this file, which pytest puts on sys.path).
WRONG_ANSWERS_BY_ASSIGNMENT = {name: wrong_answers.of(name) for name in wrong_answers.assignments()}


@dataclass
class SolutionRun:
    """One execution of a solution: per question, its test results and the namespace at its check cell."""

    snapshots: dict
    results: dict


_solution_runs = {}


def compile_like_a_notebook(source, filename):
    """Compile a cell so that ``inspect.getsource`` finds its functions, as in Jupyter (IPython
    keeps every cell in ``linecache``); the tests that read a student's source need it."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return compile(source, filename, "exec")


def solution_run(generated, name):
    """Execute the solution notebook once per session, in this process, grading at every check cell.

    A snapshot is a shallow copy of the namespace at the question's check cell: the wrong
    answers replace a function in a copy of it, so no cell of the solution runs twice.
    """
    import matplotlib.pyplot as plt

    if name in _solution_runs:
        return _solution_runs[name]
    run = SolutionRun({}, {})
    namespace = {"__name__": f"assignment_{name}"}
    for index, cell in enumerate(book_files.cells(paths(generated, name)["solution"])):
        if cell["cell_type"] != "code":
            continue
        source = cell["source"]
        checked = re.findall(r'^\s*grader\.check\("(\w+)"\)', source, re.MULTILINE)
        for question in checked:
            run.snapshots[question] = dict(namespace)
            run.results[question] = run_question_tests(generated, name, question, dict(namespace))
        if checked or "grader.check" in source or "otter.Notebook(" in source:
            continue
        exec(compile_like_a_notebook(source, f"<{name} cell {index}>"), namespace)
        plt.close("all")
    _solution_runs[name] = run
    return run


def solution_namespace(generated, name, until):
    """A fresh copy of the solution's namespace at the check cell of question ``until``."""
    snapshots = solution_run(generated, name).snapshots
    assert until in snapshots, f"{name} has no check cell for {until}"
    return dict(snapshots[until])


def handout_function(generated, name, function):
    """The source of ``function`` as the student receives it."""
    for cell in book_files.cells(paths(generated, name)["student"]):
        if cell["cell_type"] != "code":
            continue
        source = cell["source"]
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef) and node.name == function:
                return ast.get_source_segment(source, node)
    raise AssertionError(f"no function {function} in the {name} handout")


def run_question_tests(generated, name, question, namespace, only="", with_score=True):
    """Run the question's tests (public and hidden) on ``namespace``.

    Returns ([(test name, passed, message)], points scored, points possible), or only the list
    when ``with_score`` is false.
    """
    from otter.test_files import ExceptionTestFile

    test_file = ExceptionTestFile.from_file(str(paths(generated, name)["tests"] / f"{question}.py"))
    if only:
        test_file.test_cases = [case for case in test_file.test_cases if case.body.test_func.__name__ == only]
        assert test_file.test_cases, f"no test {only} in {question}"
    test_file.run(namespace)
    results = [(result.test_case.body.test_func.__name__, result.passed, result.message)
               for result in test_file.test_case_results]
    return (results, test_file.score, test_file.possible) if with_score else results


def test_every_master_has_wrong_answers_and_every_module_of_wrong_answers_a_master():
    assert set(WRONG_ANSWERS_BY_ASSIGNMENT) == set(ASSIGNMENTS), \
        "one module in tests/wrong_answers/ per master, named like it"
    assert all(WRONG_ANSWERS_BY_ASSIGNMENT.values()), \
        f"no wrong answers: {[name for name, cases in WRONG_ANSWERS_BY_ASSIGNMENT.items() if not cases]}"


_solution_results = {}


# ---------------------------------------------------------------- the tests of one assignment
class Assignment:
    """The tests of one assignment; they share one execution of its solution (``solution_run``).
    One subclass per master, below: ``--dist loadscope`` (phase 2 of `make test`) keeps a class's
    tests on one worker, so the solution runs once, and spreads the classes over both workers."""

    name = ""
    seeded_crashes = False  # the handout's own code crashes by design (the debugging assignment)

    def test_every_question_has_public_and_hidden_tests(self, generated):
        name = self.name
        from otter.test_files import ExceptionTestFile

        questions = question_names(generated, name)
        assert len(questions) >= 2
        for path in sorted(paths(generated, name)["tests"].glob("*.py")):
            hidden = [case.hidden for case in ExceptionTestFile.from_file(str(path)).test_cases]
            assert any(hidden) and not all(hidden), f"{path.stem} needs public and hidden tests, got hidden={hidden}"

    def test_handout_has_no_solutions_or_hidden_tests_and_runs_on_its_own(self, generated):
        name = self.name
        from otter.test_files import ExceptionTestFile

        cells = book_files.cells(paths(generated, name)["student"])
        text = "\n".join(cell["source"] for cell in cells)
        text = re.sub(r"<!-- (BEGIN|END) QUESTION -->", "", text)  # otter's markers of a manual question, for PDFs
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN PROMPT", "# HIDDEN", "BEGIN QUESTION", "ASSIGNMENT CONFIG"):
            assert marker not in text, f"the handout contains {marker!r}"
        for path in sorted(paths(generated, name)["tests"].glob("*.py")):
            for case in ExceptionTestFile.from_file(str(path)).test_cases:
                function_name = case.body.test_func.__name__
                assert (function_name in text) != case.hidden, f"{function_name} (hidden={case.hidden}) in the handout"
        first = cells[0]["source"]
        assert first.startswith("# Colab only: install") and "otter-grader" in first
        assert "PUBLIC_TESTS = {" in text and "otter.Notebook(tests_dir=TESTS_DIR)" in text, "public tests are embedded"
        assert not (paths(generated, name)["student"].parent / "tests").exists(), "the handout is one file"

    def test_handout_run_as_is_scores_zero_on_every_question(self, generated):
        name = self.name
        files = paths(generated, name)
        results = grade(files["student"], files["zip"])
        scores = {question: results.get_score(question) for question in question_names(generated, name)}
        assert scores and all(score == 0 for score in scores.values()), scores

    def test_blank_handout_runs_top_to_bottom(self, generated, tmp_path, monkeypatch):
        """Run all on the blank handout, as a student may at any stage: no cell raises before the
        checks run (a locked cell that needs an unanswered question says so instead), and no
        blank answer cell prints ``Ellipsis``. The check cells are otter's: the test above grades
        them. In the debugging assignment a seeded bug may crash, inside a function an earlier
        cell defines: finding it is the assignment."""
        import matplotlib.pyplot as plt

        monkeypatch.chdir(tmp_path)  # the otter cell writes the public tests next to the notebook
        namespace = {"__name__": "__main__"}
        for index, cell in enumerate(book_files.cells(paths(generated, self.name)["student"])):
            source = cell["source"]
            if cell["cell_type"] != "code" or source.startswith("# Colab only") or "grader." in source:
                continue
            body = ast.parse(source).body
            last = body[-1] if body else None
            assert not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Constant)
                        and last.value.value is Ellipsis), f"cell {index} of the blank handout prints Ellipsis"
            filename = f"<{self.name} handout cell {index}>"
            try:
                exec(compile_like_a_notebook(source, filename), namespace)
            except Exception as error:  # noqa: BLE001 (any error stops a student's Run All)
                frames = [frame.filename for frame in traceback.extract_tb(error.__traceback__)]
                seeded = self.seeded_crashes and any(name.startswith(f"<{self.name} handout cell ")
                                                     and name != filename for name in frames)
                if not seeded:
                    raise AssertionError(f"cell {index} of the blank handout raises {type(error).__name__}: "
                                         f"{error}; Run All stops there, before the checks:\n{source}") from None
                break  # a seeded bug crashed in a function of an earlier cell: Run All stops, as it should
            finally:
                plt.close("all")

    def test_solution_scores_full_marks(self, generated):
        run = solution_run(generated, self.name)
        assert set(run.results) == set(question_names(generated, self.name)), "every question has a check cell"
        lost = {question: [(test, message) for test, passed, message in results if not passed]
                for question, (results, score, possible) in run.results.items() if score < possible}
        assert not lost, f"the solution loses points: {lost}"
        assert sum(possible for _, _, possible in run.results.values()) > 0

    def test_wrong_answer_fails_the_question_it_targets(self, generated, case):
        until = case.namespace_until or case.question
        # The solution passes these tests in the same kind of namespace (checked once per question) ...
        key = (case.assignment, case.question, case.only, case.setup)
        if key not in _solution_results:
            namespace = solution_namespace(generated, case.assignment, until)
            exec(case.setup, namespace)
            _solution_results[key] = run_question_tests(generated, case.assignment, case.question, namespace,
                                                         case.only, with_score=False)
        failed = [(test, message) for test, passed, message in _solution_results[key] if not passed]
        assert not failed, f"the solution fails {failed}"
        # ... and the wrong answer, put in its place, fails at least one of them, on its own merits.
        namespace = solution_namespace(generated, case.assignment, until)
        exec(case.setup, namespace)
        code = handout_function(generated, case.assignment, case.from_handout) if case.from_handout else case.code
        exec(compile_like_a_notebook(code, f"<wrong answer: {case.assignment} {case.question} {case.label}>"),
             namespace)
        results = run_question_tests(generated, case.assignment, case.question, namespace, case.only,
                                     with_score=False)
        failed = [(test, message) for test, passed, message in results if not passed]
        assert failed, f"no test of {case.question} catches: {case.label}"
        if case.expect:
            assert any(case.expect in message for _, message in failed), \
                f"{case.label}: no failure names its cause ({case.expect!r}): {failed}"
        for test, message in failed:
            assert "NameError" not in message and "SyntaxError" not in message, f"broken wrong answer: {message}"


def pytest_generate_tests(metafunc):
    """A class's wrong answers: those of tests/wrong_answers/<its master>.py."""
    if "case" in metafunc.fixturenames:
        cases = WRONG_ANSWERS_BY_ASSIGNMENT.get(metafunc.cls.name, [])
        metafunc.parametrize("case", cases, ids=[case.id for case in cases])


class TestA1Losses(Assignment):
    name = "a1_losses"

    def test_a_term_varies_the_hidden_tests_and_the_solution_still_scores_full_marks(self, generated, tmp_path):
        """``assign.py --term N``: hidden tests draw other random inputs; public tests stay; the solution passes."""
        from otter.test_files import ExceptionTestFile

        name = self.name
        result = subprocess.run([sys.executable, "scripts/assign.py", name, "--term", "3", "--output", str(tmp_path)],
                                cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        term_tests = tmp_path / name / "autograder" / "tests"
        changed = []
        for path in sorted(paths(generated, name)["tests"].glob("*.py")):
            before, after = ExceptionTestFile.from_file(str(path)), ExceptionTestFile.from_file(str(term_tests / path.name))
            for old, new in zip(before.test_cases, after.test_cases):
                if old.body.test_func.__name__ != new.body.test_func.__name__:
                    raise AssertionError(f"{path.stem}: the term changed the tests' order")
                same = old.body.test_func.__code__.co_consts == new.body.test_func.__code__.co_consts
                assert same or old.hidden, f"the term changed the public test {old.body.test_func.__name__}"
                changed += [] if same else [new.body.test_func.__name__]
            after.run(solution_namespace(generated, name, path.stem))
            lost = [result.message for result in after.test_case_results if not result.passed]
            assert not lost, f"under term 3 the solution fails {path.stem}: {lost}"
        assert "test_matches_reference_on_random_batches_of_different_sizes" in changed, changed
        assert (ROOT / "book" / "instructor_guide.md").read_text().count("--term") >= 1


class TestA2OptimalDiscriminator(Assignment):
    name = "a2_optimal_discriminator"


class TestA3Algorithm(Assignment):
    name = "a3_algorithm"


class TestA4Dcgan(Assignment):
    name = "a4_dcgan"


class TestA5Debugging(Assignment):
    name = "a5_debugging"
    seeded_crashes = True  # its bugs crash inside the handout's functions until the student fixes them


class TestA6Conditional(Assignment):
    name = "a6_conditional"


def test_every_master_has_its_class_of_tests():
    assert sorted(cls.name for cls in Assignment.__subclasses__()) == ASSIGNMENTS, \
        "add a class Test<Name>(Assignment) with name = '<master>' for each master"
