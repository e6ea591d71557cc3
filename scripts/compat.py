"""Does the course run with the versions readers have? One fresh environment per version set.

For each named set (`colab`, `minimum`, `latest`; see scripts/compat_sets.toml) this script

1. creates a fresh virtual environment under the work folder (never the repository's .venv),
2. installs the course **from a wheel** built from this checkout (not editable), with the
   set's runtime versions and the test tooling the repository requires,
3. from a folder outside the repository, runs the library's unit tests (the test files that
   need no repository file) and executes every page of the book in the smoke profile as a
   student gets it (scripts/student_run.py: no myst-nb, none of the build's other switches),
   failing a page on an error, a printed glued value, ``GAN_BOOK_`` text or a silent cell,

and writes a table (set, Python, unit tests, pages) to <work>/compat.md; the executed notebooks
stay under <work>/<set>/outside/executed for reading. It is not part of
`make test` (each set downloads and installs TensorFlow); `.github/workflows/compat.yml` runs
it weekly. Usage:

    .venv/bin/python scripts/compat.py                      # all three sets
    .venv/bin/python scripts/compat.py minimum --pin keras==3.3.3   # try one change
    .venv/bin/python scripts/compat.py colab --python python3.13

Exit status 1 if any set fails; the table names the set and what failed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from book_files import ROOT, notebooks

SETS = ("colab", "minimum", "latest")
# Test tooling only; the runtime libraries come from the set.
TOOLING = ("pytest", "nbval", "ipykernel", "jupyter_client", "nbformat", "nbclient")
REPOSITORY_MARKERS = re.compile(r"\bROOT\b|\bbook_files\b|notebooks/|benchmarks|parents\[1\]\s*/")


def runtime_requirements():
    """pyproject.toml's runtime dependencies, e.g. ['tensorflow>=2.16.1', ...]."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return list(project["dependencies"])


def minimum_pins():
    """Every lower bound pinned exactly: 'numpy>=1.26.4' -> 'numpy==1.26.4'."""
    pins = []
    for requirement in runtime_requirements():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)", requirement.split(";")[0].strip())
        if not match:
            raise SystemExit(f"pyproject.toml dependency {requirement!r} has no plain lower bound 'name>=version'; "
                             "the minimum set needs one for every runtime dependency.")
        pins.append(f"{match[1]}=={match[2]}")
    return pins


def tooling_requirements():
    """The repository's own version ranges for the test tooling (requirements.txt)."""
    wanted = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        name = re.split(r"[<>=!~ ]", line)[0].lower().replace("-", "_") if line else ""
        if name in TOOLING:
            wanted[name] = line
    return [wanted.get(name, name) for name in TOOLING]


def set_pins(name, extra_pins):
    if name == "minimum":
        pins = minimum_pins()
    elif name == "latest":
        pins = [re.split(r"[<>=]", requirement)[0] for requirement in runtime_requirements()]
    else:
        sets = tomllib.loads((ROOT / "scripts" / "compat_sets.toml").read_text())
        if name not in sets:
            raise SystemExit(f"unknown version set {name!r}; known: {', '.join(SETS)}")
        pins = list(sets[name]["pins"])
    overridden = {re.split(r"[<>=]", pin)[0].lower() for pin in extra_pins}
    return [pin for pin in pins if re.split(r"[<>=]", pin)[0].lower() not in overridden] + list(extra_pins)


def unit_test_files():
    """The library's tests that need no repository file (they run against the installed wheel)."""
    files = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        if not REPOSITORY_MARKERS.search(path.read_text()):
            files.append(path)
    return files


def run(command, log, cwd=None, env=None):
    with open(log, "a") as handle:
        handle.write(f"\n$ {' '.join(map(str, command))}\n")
        handle.flush()
        return subprocess.run(list(map(str, command)), cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT).returncode


def build_wheel(work):
    dist = work / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    code = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(dist), str(ROOT)]).returncode
    if code:
        raise SystemExit("building the gan_utils wheel failed")
    (wheel,) = dist.glob("gan_utils-*.whl")
    return wheel


def check_set(name, python, wheel, work, extra_pins, silent_limit=30.0):
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    log = folder / "log.txt"
    started = time.perf_counter()
    result = {"set": name, "python": python, "pins": set_pins(name, extra_pins)}
    if run([python, "-m", "venv", folder / "venv"], log):
        return dict(result, install="venv failed", log=log)
    venv_python = folder / "venv" / "bin" / "python"
    version = subprocess.run([venv_python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                             capture_output=True, text=True).stdout.strip()
    result["python"] = version
    install = [venv_python, "-m", "pip", "install", "-q", "--upgrade", "pip"]
    run(install, log)
    install = [venv_python, "-m", "pip", "install", "-q", str(wheel), *result["pins"], *tooling_requirements()]
    if run(install, log):
        return dict(result, install="pip install failed", log=log, seconds=time.perf_counter() - started)
    freeze = subprocess.run([venv_python, "-m", "pip", "freeze"], capture_output=True, text=True).stdout
    keys = ("tensorflow", "keras", "numpy", "scipy", "matplotlib", "scikit-learn", "pillow", "pandas")
    result["installed"] = {line.split("==")[0]: line.split("==")[1] for line in freeze.splitlines()
                           if "==" in line and line.split("==")[0].lower() in keys}

    # Outside the repository: copies of the unit tests, the pages and the student-run checker.
    outside = folder / "outside"
    (outside / "tests").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "conftest.py", outside / "tests" / "conftest.py")
    for path in unit_test_files():
        shutil.copy(path, outside / "tests" / path.name)
    shutil.copy(ROOT / "scripts" / "student_run.py", outside / "student_run.py")
    pages = notebooks()
    for page in pages:
        shutil.copy(page, outside / page.name)
    # The smoke profile keeps the run short and offline (the data come from Debian's package);
    # nothing else of the book build is set, as on Colab.
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GAN_BOOK_")}
    environment.update(GAN_BOOK_PROFILE="smoke", GAN_BOOK_OFFLINE="1", TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH="")
    pytest = [venv_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", outside]
    result["unit"] = "pass" if run([*pytest, "-m", "not slow", "tests"], log, cwd=outside, env=environment) == 0 else "FAIL"
    result["pages"] = {}
    for page in pages:
        command = [venv_python, "student_run.py", page.name, "--silent-limit", str(silent_limit),
                   "--output", Path("executed") / page.name]
        result["pages"][page.stem] = "pass" if run(command, log, cwd=outside, env=environment) == 0 else "FAIL"
    result["install"] = "ok"
    result["seconds"] = time.perf_counter() - started
    result["log"] = log
    return result


def failures(result):
    """What failed in one set: install, unit tests or pages (by name); empty when all passed."""
    if result.get("install") != "ok":
        return [result.get("install", "install")]
    failed = ["unit tests"] if result.get("unit") != "pass" else []
    return failed + [page for page, outcome in result["pages"].items() if outcome != "pass"]


def table(results):
    lines = ["| set | Python | versions | unit tests | pages passed | failed | minutes |",
             "| --- | --- | --- | --- | ---: | --- | ---: |"]
    for result in results:
        installed = ", ".join(f"{key} {value}" for key, value in sorted(result.get("installed", {}).items()))
        pages = result.get("pages", {})
        passed = sum(outcome == "pass" for outcome in pages.values())
        minutes = f"{result.get('seconds', 0) / 60:.1f}"
        lines.append(f"| {result['set']} | {result['python']} | {installed or result.get('install')} | "
                     f"{result.get('unit', '-')} | {passed}/{len(pages)} | {', '.join(failures(result)) or '-'} | {minutes} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", default=list(SETS), help=f"version sets (default: {' '.join(SETS)})")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the fresh environments")
    parser.add_argument("--work", type=Path, default=Path("/tmp/gan-book-compat"),
                        help="folder outside the repository for the environments and logs")
    parser.add_argument("--pin", action="append", default=[], help="override one pin, e.g. keras==3.3.3")
    parser.add_argument("--silent-limit", type=float, default=30.0,
                        help="seconds a page's cell may run without showing progress (default 30)")
    arguments = parser.parse_args()
    unknown = [name for name in arguments.sets if name not in SETS]
    if unknown:
        parser.error(f"unknown version set(s) {unknown}; known: {', '.join(SETS)}")
    work = arguments.work.resolve()
    if work == ROOT or ROOT in work.parents:
        parser.error(f"--work must be outside the repository ({ROOT})")
    work.mkdir(parents=True, exist_ok=True)
    wheel = build_wheel(work)
    print("unit tests:", ", ".join(path.name for path in unit_test_files()))
    results = []
    for name in arguments.sets:
        print(f"[{name}] installing and testing ...", flush=True)
        result = check_set(name, arguments.python, wheel, work, arguments.pin, arguments.silent_limit)
        results.append(result)
        print(table([result]).splitlines()[-1], f"(log: {result['log']})", flush=True)
    report = table(results)
    (work / "compat.md").write_text(report + "\n")
    print(report)
    failed = [result["set"] for result in results if failures(result)]
    if failed:
        print("failed sets:", ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
