"""How long a contributor waits: `make test`, a clean clone with its set-up, and `make book`.

Three measurements, each optional, written to benchmarks/results/test_loop.{json,md}:

* ``--test-runs N``: `make test` N times from the existing environment (the median counts);
* ``--clean-clone``: `git clone` of this repository into a temporary folder, then `.ci/run`
  there (set-up with its pip installs, then `make test`), as CI does;
* ``--book``: `make book` with the full book's execution cache and HTML removed first; the
  seconds of each chapter come from the cache records that Jupyter Book writes
  (`execution_seconds`), so they are each chapter's own run time.

The CPU (model, bfloat16 support) is recorded beside the figures, with the reference step
time of `step_levers.py`'s baseline when ``--step-reference`` gives its JSON, so figures
from another CPU can be scaled. Nothing here is a timed test.

    .venv/bin/python benchmarks/time_test_loop.py --test-runs 3 --clean-clone --book
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
BOOK_CACHE = ROOT / "_build" / ".jupyter_cache"


def cpu_description():
    model, flags = "unknown", set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name") and model == "unknown":
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
    return {"model": model, "cores": os.cpu_count(), "avx512_bf16": "avx512_bf16" in flags,
            "amx_bf16": "amx_bf16" in flags, "machine": platform.machine()}


def timed(command, cwd, log):
    """Seconds the command took; its output goes to ``log``; a failure stops the benchmark."""
    started = time.perf_counter()
    with open(log, "w") as out:
        result = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, shell=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"`{command}` failed in {cwd} after {seconds:.0f} s; see {log}")
    return seconds


def chapter_seconds(cache_path):
    """{notebook: seconds} from a jupyter-cache's records."""
    from jupyter_cache import get_cache

    return {Path(record.uri).name: round(record.data.get("execution_seconds", float("nan")), 1)
            for record in get_cache(str(cache_path)).list_cache_records()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--test-runs", type=int, default=0, help="how many times to run `make test`")
    parser.add_argument("--clean-clone", action="store_true", help="time a clean clone's .ci/run")
    parser.add_argument("--book", action="store_true", help="time `make book` from an empty cache")
    parser.add_argument("--step-reference", type=Path, help="a step_levers.py JSON, for the reference step time")
    arguments = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpu": cpu_description(),
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                       capture_output=True, text=True).stdout.strip()}
    if arguments.step_reference:
        report["step_reference"] = json.loads(arguments.step_reference.read_text())

    def save():  # after each measurement, so a later failure keeps what was measured
        (RESULTS / "test_loop.json").write_text(json.dumps(report, indent=1))

    if arguments.test_runs:
        runs = [timed("make test", ROOT, RESULTS / f"make_test_{index}.log") for index in range(arguments.test_runs)]
        report["make_test_seconds"] = [round(seconds, 1) for seconds in runs]
        report["make_test_median_seconds"] = round(statistics.median(runs), 1)
        report["smoke_chapter_seconds"] = chapter_seconds(ROOT / "_build" / "smoke" / "_build" / ".jupyter_cache")
        save()

    if arguments.clean_clone:
        with tempfile.TemporaryDirectory() as folder:
            clone = Path(folder) / "clone"
            subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
            environment_free = "env -u VIRTUAL_ENV CI=true bash .ci/run"
            report["clean_clone_seconds"] = round(timed(environment_free, clone, RESULTS / "clean_clone.log"), 1)
        save()

    if arguments.book:
        shutil.rmtree(BOOK_CACHE, ignore_errors=True)
        shutil.rmtree(ROOT / "_build" / "html", ignore_errors=True)
        shutil.rmtree(ROOT / "_build" / "jupyter_execute", ignore_errors=True)
        report["book_seconds"] = round(timed("make book", ROOT, RESULTS / "make_book.log"), 1)
        report["book_chapter_seconds"] = chapter_seconds(BOOK_CACHE)

    save()
    lines = [f"# Test loop ({report['date']}, commit {report['commit']})", "",
             f"CPU: {report['cpu']['model']}, {report['cpu']['cores']} cores, "
             f"AVX-512 BF16 {'yes' if report['cpu']['avx512_bf16'] else 'no'}, "
             f"AMX {'yes' if report['cpu']['amx_bf16'] else 'no'}", "",
             "| measurement | seconds | minutes |", "| --- | --- | --- |"]
    for key in ("make_test_median_seconds", "clean_clone_seconds", "book_seconds"):
        if key in report:
            lines.append(f"| {key.replace('_seconds', '').replace('_', ' ')} | {report[key]:.0f} | {report[key] / 60:.1f} |")
    for key, title in (("smoke_chapter_seconds", "smoke (nbval)"), ("book_chapter_seconds", "full book")):
        if report.get(key):
            lines += ["", f"| chapter, {title} | seconds |", "| --- | --- |"]
            lines += [f"| {name} | {seconds} |" for name, seconds in sorted(report[key].items())]
    (RESULTS / "test_loop.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
