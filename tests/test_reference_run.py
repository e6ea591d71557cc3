"""The reference run that ships with gan_utils is the repository's benchmark run.

The appendix "Fast on a CPU" reads the benchmark's committed reference run from the installed
package (``gan_utils/reference_run``), so that it runs on Colab without the repository. These
copies must stay what ``benchmarks/`` holds: the run's results and the lever table of
``benchmarks/README.md``. After a new benchmark run, copy the files again.
"""
import book_files

SHIPPED = book_files.ROOT / "gan_utils" / "reference_run"
BENCHMARKS = book_files.ROOT / "benchmarks"


def lever_table(readme_text):
    lines = readme_text[readme_text.index("| lever | ms per step"):].splitlines()
    return lines[:next(i for i, line in enumerate(lines) if not line.startswith("|"))]


def test_the_shipped_results_are_the_benchmarks():
    for name in ("results.json", "results.md"):
        shipped = (SHIPPED / name).read_text()
        committed = (BENCHMARKS / "reference_run" / name).read_text()
        assert shipped == committed, (f"gan_utils/reference_run/{name} differs from benchmarks/reference_run/{name}: "
                                      "copy the benchmark's file into the package")


def test_the_shipped_lever_table_is_the_readmes():
    shipped = (SHIPPED / "step_levers.md").read_text().splitlines()
    assert shipped == lever_table((BENCHMARKS / "README.md").read_text()), (
        "gan_utils/reference_run/step_levers.md differs from the lever table of benchmarks/README.md: "
        "copy the table (header to its last row) into the package file")
