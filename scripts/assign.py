"""Generate the student versions and autograders of every graded assignment, with one command.

    python scripts/assign.py                  # every master in notebooks/assignments/ -> _build/assignments/
    python scripts/assign.py a3_algorithm     # only the masters named
    python scripts/assign.py --output DIR     # somewhere else
    python scripts/assign.py --run-tests      # also let otter execute each solution and demand 100 % (slow)
    python scripts/assign.py --term 20261     # hidden tests draw other random inputs this term

For each master ``notebooks/assignments/NAME.ipynb`` (otter-grader's assignment format, with
solutions and hidden tests) this runs ``otter assign`` and writes

    DIR/NAME/student/NAME.ipynb              the handout: no solutions, no hidden tests; one
                                             self-contained file (its public tests are embedded
                                             in its otter cell), so it runs as is on Colab
    DIR/NAME/autograder/NAME.ipynb           the solution notebook with every test: never hand out
    DIR/NAME/autograder/NAME-autograder.zip  grade with `otter run -a ZIP submission.ipynb`
                                             (no Docker) or `otter grade -a ZIP -p submissions/`
    DIR/NAME/autograder/tests/*.py           every test (public and hidden)

Before running otter, two things are filled in: the install line of each master's Colab cell
and the autograder's requirements (which `otter grade` installs in its Docker image). Both
install ``gan_utils`` from the repository URL in ``_config.yml`` at the course release's tag,
``v`` + ``gan_utils.__version__`` (the one place the version lives), so the students' library
and the grader's stay the same all term, whatever is pushed to main; both install otter-grader
in the range of ``requirements.txt``. Nothing here downloads anything. ``_build/`` is not
committed.

``--term N`` (a positive integer an instructor keeps private) varies the hidden tests per term:
every ``np.random.default_rng(SEED)`` in a ``# HIDDEN`` test cell becomes
``np.random.default_rng([N, SEED])``, another stream of random inputs and noise, while the
public tests, which students see, stay as they are.
"""
import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

import book_files

DEFAULT_OUTPUT = book_files.ROOT / "_build" / "assignments"
CONFIG_MARKER = "# ASSIGNMENT CONFIG"
INSTALL_MARKER = "# Colab only: install"
OTTER_CELL_MARKER = "otter.Notebook("
OTTER_REQUIREMENT = "otter-grader>=7,<8"


def release_tag():
    """The tag of this course release, ``v`` + the package version (read without importing TensorFlow)."""
    text = (book_files.ROOT / "gan_utils" / "__init__.py").read_text()
    return "v" + re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE).group(1)


def pinned_url(url):
    return f"git+{url}@{release_tag()}"


def masters(names=()):
    found = {path.stem: path for path in book_files.assignments()}
    unknown = [name for name in names if name not in found]
    if unknown:
        raise SystemExit(f"No master notebook named {unknown} in notebooks/assignments (have: {sorted(found)}).")
    return [found[name] for name in names] if names else list(found.values())


HIDDEN_SEED = re.compile(r"np\.random\.default_rng\((\d+)\)")


def vary_hidden_seeds(cells, term):
    """Seed every ``np.random.default_rng(SEED)`` of the hidden test cells with ``[term, SEED]``."""
    if not isinstance(term, int) or isinstance(term, bool) or term <= 0:
        raise SystemExit(f"--term must be a positive integer, got {term!r}.")
    for cell in cells:
        if cell["cell_type"] == "code" and cell["source"].startswith("# HIDDEN"):
            cell["source"] = HIDDEN_SEED.sub(rf"np.random.default_rng([{term}, \1])", cell["source"])


def prepared_master(path, url, term=None):
    """The master with the repository URL and the autograder's requirements filled in (and,
    with ``term``, its hidden tests' seeds varied)."""
    notebook = json.loads(path.read_text())
    cells = notebook["cells"] = book_files.cells(path)
    if term is not None:
        vary_hidden_seeds(cells, term)
    install = cells[0]
    if install["cell_type"] != "code" or not install["source"].startswith(INSTALL_MARKER):
        raise SystemExit(f"{path.name}: the first cell must be the Colab install cell ('{INSTALL_MARKER} ...').")
    install["source"] = re.sub(r"git\+\S+?(?=[\"'\s])", pinned_url(url), install["source"])
    install["source"] = re.sub(r'"otter-grader[^"]*"', f'"{OTTER_REQUIREMENT}"', install["source"])
    install["source"] = re.sub(r"from https?://\S+", f"from {url}", install["source"])
    configs = [c for c in cells if c["cell_type"] == "raw" and c["source"].startswith(CONFIG_MARKER)]
    if len(configs) != 1:
        raise SystemExit(f"{path.name}: expected exactly one raw '{CONFIG_MARKER}' cell, found {len(configs)}.")
    config = yaml.safe_load(configs[0]["source"]) or {}
    config["requirements"] = [f"gan_utils @ {pinned_url(url)}", OTTER_REQUIREMENT]
    # The grader's Python (otter's default is newer) is the one the course was tested with.
    config["python_version"] = f"{sys.version_info.major}.{sys.version_info.minor}"
    configs[0]["source"] = CONFIG_MARKER + "\n" + yaml.safe_dump(config, sort_keys=False)
    return notebook


OTTER_CELL_TITLE = "The autograder's client and this assignment's public tests: run it, no need to read it"


def embedded_tests_cell(name, public_tests):
    """The student's otter cell: writes the public tests next to the notebook, then starts otter.

    It comes folded (Colab's ``#@title``, JupyterLab's hidden source), titled with what it is:
    its long string of test code is not for reading.
    """
    tests_dir = f"tests_{name}"
    entries = "".join(f"    {file!r}: {text!r},\n" for file, text in sorted(public_tests.items()))
    return (
        f"#@title {OTTER_CELL_TITLE}\n"
        "# `grader.check(\"q1...\")` runs the public tests of a question. The public tests travel inside\n"
        f"# this cell, so this notebook works on its own (on Colab too): it writes them to {tests_dir}/\n"
        "# each time it runs. Do not edit them. otter also writes .OTTER_LOG next to the notebook, a\n"
        "# record of the checks you ran; it is not graded.\n"
        "import os\n\nimport otter\n\n"
        f"TESTS_DIR = {tests_dir!r}\n"
        f"PUBLIC_TESTS = {{\n{entries}}}\n"
        "os.makedirs(TESTS_DIR, exist_ok=True)\n"
        "for file_name, test_source in PUBLIC_TESTS.items():\n"
        "    with open(os.path.join(TESTS_DIR, file_name), \"w\") as test_file:\n"
        "        test_file.write(test_source)\n\n"
        "grader = otter.Notebook(tests_dir=TESTS_DIR)"
    )


BARE_ELLIPSIS = re.compile(r"^\.\.\.[ \t]*$", re.MULTILINE)
YOUR_CODE = "# ... your code here"


def without_bare_ellipsis(source):
    """A blank answer cell as otter writes it, ``...`` alone on a line at the top level, would
    print ``Ellipsis`` when run: it becomes the comment ``# ... your code here``. (An indented
    ``...``, a function's blank body, stays: Python needs it.)"""
    return BARE_ELLIPSIS.sub(YOUR_CODE, source)


def make_self_contained(student_dir, name):
    """Embed the public tests in the student notebook's otter cell (folded); the loose tests/ folder
    goes; blank answer cells print nothing (``without_bare_ellipsis``)."""
    notebook_path = student_dir / f"{name}.ipynb"
    tests_dir = student_dir / "tests"
    public_tests = {path.name: path.read_text() for path in sorted(tests_dir.glob("*.py"))}
    notebook = json.loads(notebook_path.read_text())
    cells = notebook["cells"] = book_files.cells(notebook_path)
    otter_cells = [c for c in cells if c["cell_type"] == "code" and OTTER_CELL_MARKER in c["source"]]
    if len(otter_cells) != 1:
        raise SystemExit(f"{name}: expected one code cell that starts otter ({OTTER_CELL_MARKER}...), found {len(otter_cells)}.")
    otter_cells[0]["source"] = embedded_tests_cell(name, public_tests)
    otter_cells[0]["metadata"].setdefault("jupyter", {})["source_hidden"] = True
    for cell in cells:
        if cell["cell_type"] == "code":
            cell["source"] = without_bare_ellipsis(cell["source"])
    notebook_path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    shutil.rmtree(tests_dir)


def assign(master, output, url, run_tests=False, term=None):
    from otter.assign import main as otter_assign

    name = master.stem
    result = output / name
    with tempfile.TemporaryDirectory() as scratch:
        prepared = Path(scratch) / master.name
        prepared.write_text(json.dumps(prepared_master(master, url, term), indent=1, ensure_ascii=False))
        shutil.rmtree(result, ignore_errors=True)
        otter_assign(str(prepared), str(result), no_pdfs=True, no_run_tests=not run_tests)
    zips = sorted((result / "autograder").glob(f"{name}-autograder_*.zip"))
    if len(zips) != 1:
        raise SystemExit(f"{name}: otter assign wrote {len(zips)} autograder zips, expected 1.")
    zips[0].rename(result / "autograder" / f"{name}-autograder.zip")
    make_self_contained(result / "student", name)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="master notebooks to process (default: all)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT.relative_to(book_files.ROOT)}")
    parser.add_argument("--run-tests", action="store_true",
                        help="have otter execute every solution notebook and fail unless it scores 100%%")
    parser.add_argument("--term", type=int, help="vary the hidden tests' random inputs with this private number")
    args = parser.parse_args(argv)
    output = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    url = book_files.repository_url()
    for master in masters(args.names):
        result = assign(master, output, url, run_tests=args.run_tests, term=args.term)
        print(f"{master.stem}: hand out {result / 'student' / master.name}; "
              f"grade with {result / 'autograder' / (master.stem + '-autograder.zip')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
