"""A course release pins the handouts and the autograder to one version of gan_utils.

The version lives in one place (gan_utils/__init__.py; pyproject.toml reads it). The
handouts' Colab cell and the autograder's requirements install the library at the tag
v<version> and otter-grader in the range requirements.txt names, so a push to main in the
middle of a term changes neither the students' library nor the grader's.
"""
import json
import re
import sys
import tomllib

import pytest

import assign
import book_files
from book_files import ROOT

MASTERS = book_files.assignments()


def test_the_version_lives_in_one_place():
    import gan_utils

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", gan_utils.__version__)


@pytest.mark.parametrize("master", MASTERS, ids=lambda path: path.stem)
def test_handout_and_autograder_install_the_release_and_the_same_otter(master):
    import gan_utils

    url = book_files.repository_url()
    notebook = assign.prepared_master(master, url)
    install = notebook["cells"][0]["source"]
    tag = f"@v{gan_utils.__version__}"
    installed = re.findall(r'"(git\+[^"]+)"', install)
    assert installed == [f"git+{url}{tag}"], installed
    config = next(cell for cell in notebook["cells"] if cell["cell_type"] == "raw")
    requirements = config["source"]
    assert f"gan_utils @ git+{url}{tag}" in requirements
    otter_in_requirements = re.search(r"^otter-grader\S*", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert otter_in_requirements, "requirements.txt must name otter-grader"
    assert f'"{otter_in_requirements.group(0)}"' in install, "the handout installs another otter-grader"
    assert otter_in_requirements.group(0) in requirements
    python = f"python_version: '{sys.version_info.major}.{sys.version_info.minor}'"
    assert python in requirements, "the grader runs the Python the course was tested with"
    json.dumps(notebook)  # still a notebook
