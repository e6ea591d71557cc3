"""The reference runs ship with gan_utils, so the pages that render them run without the repository.

The appendix "Fast on a CPU" reads ``gan_utils/reference_run`` (the run of
benchmarks/dcgan_speed.py) and the page "GANs and diffusion at the same budget" reads
``gan_utils/reference_run_diffusion`` (benchmarks/diffusion_vs_gan.py), from the installed package,
so that both run on Colab. The runs live there only; the lever table is also printed in
benchmarks/README.md, and the two must agree.
"""
import tomllib
from fnmatch import fnmatch

import book_files

PACKAGE = book_files.ROOT / "gan_utils"
BENCHMARKS = book_files.ROOT / "benchmarks"


def lever_table(readme_text):
    lines = readme_text[readme_text.index("| lever | ms per step"):].splitlines()
    return lines[:next(i for i, line in enumerate(lines) if not line.startswith("|"))]


def test_the_shipped_lever_table_is_the_readmes():
    shipped = (PACKAGE / "reference_run" / "step_levers.md").read_text().splitlines()
    assert shipped == lever_table((BENCHMARKS / "README.md").read_text()), (
        "gan_utils/reference_run/step_levers.md differs from the lever table of benchmarks/README.md: "
        "copy the table (header to its last row) into the package file")


def test_every_file_a_page_reads_from_a_reference_run_is_package_data():
    globs = tomllib.loads((book_files.ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["gan_utils"]
    needed = {"reference_run": ("results.json", "results.md", "step_levers.md"),
              "reference_run_diffusion": ("results.json", "quality_vs_training.png", "quality_vs_sampling.png")}
    for folder, names in needed.items():
        for name in names:
            assert (PACKAGE / folder / name).is_file(), f"gan_utils/{folder}/{name} is missing"
            assert any(fnmatch(f"{folder}/{name}", pattern) for pattern in globs), (
                f"gan_utils/{folder}/{name} is not package data: add a pattern for it to pyproject.toml")
