"""Run a page as a student gets it and read its outputs as a student would (issue 25, item 5).

A student opens a chapter in Colab or a laptop's Jupyter: `gan_utils` installed from its wheel,
no myst-nb, none of the book build's switches, no repository around the notebook. This script
executes one notebook that way (nbclient, in the interpreter that runs it) and then checks what
the student would read in its outputs:

- no error and no traceback;
- no bookkeeping printed: no glued value echoed as ``name = value`` (glue() is silent outside the
  book build) and no ``GAN_BOOK_`` text (the build's switches are not the student's business);
- no long silence: a cell that runs longer than ``--silent-limit`` seconds shows progress (a
  Keras progress bar or a tqdm bar) while it runs.

scripts/compat.py runs it for every page, from a folder outside the repository, in each fresh
environment; it is self-contained (standard library, nbformat, nbclient) so that it can be copied
there. Usage:

    python student_run.py 03_algorithm.ipynb --silent-limit 30 --output executed/03_algorithm.ipynb

Exit status 1 when the run fails or the outputs show a problem; each problem is printed on a line.
"""
import argparse
import datetime
import re
import sys
from pathlib import Path

GLUE_CALL = re.compile(r"""\bglue\(\s*f?["']([A-Za-z][A-Za-z0-9]*_)""")
# Keras's progress bar (its bar characters or its per-step timing) and tqdm's bar.
PROGRESS = re.compile(r"━|\d+/\d+ \[=|/step\b|it/s\]|s/it\]|\d+%\|")


def cell_text(cell):
    """Everything a cell printed or displayed as text."""
    pieces = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            pieces.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            pieces.append("\n".join(output.get("traceback", [])))
        else:
            data = output.get("data", {})
            pieces.append(data.get("text/plain", ""))
            pieces.append(data.get("text/html", ""))
    return "\n".join(piece if isinstance(piece, str) else "".join(piece) for piece in pieces)


def glue_prefixes(notebook):
    """The page's glue-name prefixes (``ch3_``, ``bugs_``), read from its glue() calls."""
    prefixes = set()
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            prefixes.update(GLUE_CALL.findall("".join(cell["source"])))
    return sorted(prefixes)


def cell_seconds(cell):
    """How long the cell ran, from the timing nbclient records in its metadata (None if absent)."""
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return None
    parse = lambda stamp: datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return (parse(end) - parse(start)).total_seconds()


def output_problems(notebook, silent_limit=30.0):
    """What a student would trip over in an executed notebook: a list of one-line descriptions."""
    problems = []
    prefixes = glue_prefixes(notebook)
    echoed = re.compile(r"^(?:%s)\w* = " % "|".join(map(re.escape, prefixes)), re.MULTILINE) if prefixes else None
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        text = cell_text(cell)
        where = f"cell {index}"
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])) or "Traceback" in text:
            problems.append(f"{where}: an error or traceback in the output")
        if "GAN_BOOK_" in text:
            problems.append(f"{where}: prints the book build's switches (GAN_BOOK_...)")
        if echoed and echoed.search(text):
            line = echoed.search(text).group(0)
            problems.append(f"{where}: prints a glued value ({line.strip()} ...)")
        seconds = cell_seconds(cell)
        if seconds is not None and seconds > silent_limit and not PROGRESS.search(text):
            problems.append(f"{where}: silent for {seconds:.0f} s (no progress bar)")
    return problems


def execute(path, timeout):
    """Executes the notebook in its own folder with the current interpreter's kernel."""
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(Path(path).parent)}}, allow_errors=True)
    client.execute()
    return notebook


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--silent-limit", type=float, default=30.0,
                        help="seconds a cell may run without printing progress (default 30)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell before the run fails")
    parser.add_argument("--output", type=Path, help="where to save the executed notebook (to read it later)")
    arguments = parser.parse_args()
    notebook = execute(arguments.notebook, arguments.timeout)
    if arguments.output:
        import nbformat

        arguments.output.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, arguments.output)
    problems = output_problems(notebook, arguments.silent_limit)
    for problem in problems:
        print(f"{arguments.notebook.name}: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
