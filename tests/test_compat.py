"""The compatibility check's wiring: the weekly workflow's matrix and the minimum version set.

Python 3.13 cannot be installed on the machines that run `make test`, so the workflow that
runs scripts/compat.py there is checked here instead of run.
"""
import importlib.util
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("compat", ROOT / "scripts" / "compat.py")
compat = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compat)


def test_weekly_workflow_runs_colab_and_latest_on_311_and_313_and_minimum_on_311():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "compat.yml").read_text())
    job = workflow["jobs"]["compat"]
    matrix = {(entry["set"], entry["python"]) for entry in job["strategy"]["matrix"]["include"]}
    assert matrix == {("colab", "3.11"), ("colab", "3.13"), ("latest", "3.11"), ("latest", "3.13"),
                      ("minimum", "3.11")}
    assert job["strategy"]["fail-fast"] is False  # one failing set must not hide the others
    assert "matrix.set" in job["name"]  # a failure names the set
    assert "schedule" in workflow[True] or "schedule" in workflow.get("on", {})  # YAML reads `on:` as True
    commands = " ".join(step.get("run", "") for step in job["steps"])
    assert "scripts/compat.py ${{ matrix.set }}" in commands


def test_minimum_set_pins_every_lower_bound_of_the_package():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = compat.minimum_pins()
    assert len(pins) == len(dependencies)
    for dependency, pin in zip(dependencies, pins):
        name, version = re.fullmatch(r"([\w.-]+)>=([\w.]+)", dependency).groups()
        assert pin == f"{name}=={version}"


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
