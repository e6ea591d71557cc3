"""The compatibility check's wiring: the weekly workflow's matrix and the version sets.

Python 3.13 cannot be installed on the machines that run `make test`, so the workflow that
runs scripts/compat.py there is checked here instead of run.
"""
import re
import sys
import tomllib

import yaml

import compat
from book_files import ROOT


def test_weekly_workflow_checks_every_version_set_of_compat_py():
    """The matrix against what it must cover: each set scripts/compat.py knows, each on the Python
    that `make test` runs, and nothing compat.py does not know."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "compat.yml").read_text())
    job = workflow["jobs"]["compat"]
    matrix = {(entry["set"], entry["python"]) for entry in job["strategy"]["matrix"]["include"]}
    assert {name for name, _ in matrix} == set(compat.SETS)
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert {(name, here) for name in compat.SETS} <= matrix, f"a set is not checked on Python {here}"
    assert job["strategy"]["fail-fast"] is False  # one failing set must not hide the others
    assert "schedule" in workflow[True] or "schedule" in workflow.get("on", {})  # YAML reads `on:` as True
    commands = " ".join(step.get("run", "") for step in job["steps"])
    assert "scripts/compat.py ${{ matrix.set }}" in commands


def test_requirements_promise_the_same_lower_bounds_as_the_package():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    requirements = {line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()}
    missing = [dependency for dependency in dependencies if dependency not in requirements]
    assert not missing, f"requirements.txt does not promise {missing} (pyproject.toml does)"


def test_colab_set_names_its_source_and_date_and_pins_exact_versions():
    sets = tomllib.loads((ROOT / "scripts" / "compat_sets.toml").read_text())
    colab = sets["colab"]
    assert colab["source"].startswith("https://github.com/googlecolab/backend-info/")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", colab["date"])
    assert all(re.fullmatch(r"[\w.-]+==[\w.]+", pin) for pin in colab["pins"])
    pinned = {pin.split("==")[0] for pin in colab["pins"]}
    assert {"tensorflow", "keras", "numpy", "scipy", "matplotlib", "pandas"} <= pinned


def test_unit_tests_for_the_installed_wheel_need_no_repository_file():
    chosen = {path.name for path in compat.unit_test_files()}
    assert {"test_losses.py", "test_training.py", "test_metrics.py"} <= chosen
    assert not chosen & {"test_book.py", "test_assignments.py", "test_package.py", "test_notebook_hygiene.py"}
