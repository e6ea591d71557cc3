"""The installed package is complete: a wheel built offline holds every module and the weights.

Readers install `gan_utils` with pip (Colab's first cell does), never from this clone, so
nothing in the package may resolve a path inside the repository.
"""
import re
import subprocess
import sys
import zipfile

from book_files import ROOT


def test_wheel_holds_every_module_and_the_classifier_weights(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                             "--no-index", "-q", "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    (wheel,) = tmp_path.glob("gan_utils-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {f"gan_utils/{path.name}" for path in (ROOT / "gan_utils").glob("*.py")}
    weights = {f"gan_utils/weights/{path.name}" for path in (ROOT / "gan_utils" / "weights").iterdir()}
    assert modules <= names, f"missing from the wheel: {sorted(modules - names)}"
    assert weights and weights <= names, f"weights missing from the wheel: {sorted(weights - names)}"
    assert not [name for name in names if name.startswith(("tests/", "notebooks/", "benchmarks/"))]


def test_the_package_resolves_no_repository_path():
    for path in (ROOT / "gan_utils").glob("*.py"):
        code = path.read_text()
        assert not re.search(r"parents\[[1-9]\]|\"\.\./|'\.\./", code), f"{path.name} reaches outside the package"
