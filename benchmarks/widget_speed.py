"""How the live GAN widget of chapter 3 (book/_static/gan_widget) trains in headless Chromium.

Measures what issue 29 asks for, on tests/widget/index.html served locally:
  1. the ring with chapter 3's settings and the non-saturating loss, played in page time for
     --seconds per seed (a fresh page each): steps per second, page seconds to 7 of 8 modes,
     and to 7 modes with a high-quality fraction of at least 0.5 (the assignment's bar), checked
     at the widget's own measurements (every 0.5 s or more); the first frame's time and the bytes
     the widget loads;
  2. saturation: the generator's gradient norm over its first steps with the minimax and the
     non-saturating loss, against chapter 3's discriminator and a strong one (k = 5, rate 1e-2);
  3. the 1-D two-Gaussian mixture with simultaneous and with alternating updates: modes covered,
     high-quality fraction and histogram JS divergence (gan_utils.metrics, on the samples the
     page exports) every --mixture-every steps.
Parts 2 and 3 count generator steps, not seconds, so they are deterministic for a seed. On a
shared machine the page gets a fraction of a core: part 1 also reports the Chromium processes'
CPU seconds and the load average. benchmarks/widget_steps.mjs counts the steps each seed needs.
Writes benchmarks/results/widget_speed.json and prints the tables.

    .venv/bin/python benchmarks/widget_speed.py            # about 15 minutes on 2 busy cores
    .venv/bin/python benchmarks/widget_speed.py --seeds 0 --seconds 20 --parts ring
"""
import argparse
import functools
import http.server
import json
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
import book_pdf  # noqa: E402
from gan_utils import data, metrics  # noqa: E402

PAGE = "tests/widget/index.html"
RESULTS = ROOT / "benchmarks" / "results"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def open_page(driver, base):
    driver.get(f"{base}/{PAGE}")
    for _ in range(400):
        if driver.execute_script("return !!(window.ganWidgets && window.ganWidgets.length)"):
            return float(driver.execute_script("return document.querySelector('.gan-widget').dataset.firstFrameMs"))
        time.sleep(0.05)
    raise RuntimeError(f"the widget did not mount: {driver.get_log('browser')}")


def export(driver):
    result = driver.execute_script("return window.ganWidgets[0].exportSamples()")
    result["samples"] = np.asarray(result["samples"]).reshape(-1, result["dim"])
    return result


def first_time(measures, condition):
    hits = [m for m in measures if condition(m)]
    return (round(hits[0]["time"] / 1000, 1), hits[0]["step"]) if hits else (None, None)


def browser_cpu_seconds(driver):
    """CPU seconds used so far by the Chromium processes of this driver (the renderer trains)."""
    total = 0.0
    for process in psutil.Process(driver.service.process.pid).children(recursive=True):
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def ring_runs(driver, base, seeds, seconds):
    runs = []
    for seed in seeds:
        first_frame_ms = open_page(driver, base)
        cpu_before = browser_cpu_seconds(driver)
        driver.execute_script("const w = window.ganWidgets[0]; w.configure({seed: arguments[0]}); w.play();", seed)
        while driver.execute_script("const w = window.ganWidgets[0]; return performance.now() - w.clockStart") < seconds * 1000:
            time.sleep(0.5)
        measures = driver.execute_script("const w = window.ganWidgets[0]; w.pause(); return w.measures")
        cpu_seconds = browser_cpu_seconds(driver) - cpu_before
        within = [m for m in measures if m["time"] <= seconds * 1000]
        last = within[-1]
        exported = export(driver)
        ring = data.ring_of_gaussians()
        assert exported["modes"] == metrics.modes_covered(exported["samples"], ring)
        assert exported["quality"] == metrics.high_quality_fraction(exported["samples"], ring)
        seven = first_time(within, lambda m: m["modes"] >= 7)
        bar = first_time(within, lambda m: m["modes"] >= 7 and m["quality"] >= 0.5)
        runs.append(dict(seed=seed, first_frame_ms=round(first_frame_ms), steps=last["step"],
                         page_seconds=round(last["time"] / 1000, 1),
                         steps_per_second=round(last["step"] / (last["time"] / 1000), 1),
                         browser_cpu_seconds=round(cpu_seconds, 1),
                         steps_per_browser_cpu_second=round(last["step"] / cpu_seconds, 1),
                         load_average=os.getloadavg()[0],
                         seconds_to_7_modes=seven[0], steps_to_7_modes=seven[1],
                         seconds_to_bar=bar[0], steps_to_bar=bar[1],
                         final_modes=last["modes"], final_quality=last["quality"],
                         best_modes=max(m["modes"] for m in within), best_quality=max(m["quality"] for m in within)))
        print(runs[-1], flush=True)
    return runs


def saturation(driver, base, seeds, steps):
    """Median generator gradient norm over the first steps: chapter 3's discriminator (k = 1,
    learning rate 1e-3) and a strong one (k = 5, learning rate 1e-2, the widget's largest)."""
    open_page(driver, base)
    rows = []
    for name, strength in [("chapter 3 (k = 1, D lr 1e-3)", {"dSteps": 1, "dLearningRate": 1e-3}),
                           ("strong (k = 5, D lr 1e-2)", {"dSteps": 5, "dLearningRate": 1e-2})]:
        for loss in ("minimax", "non_saturating"):
            for seed in seeds:
                norms = driver.execute_script(
                    "const w = window.ganWidgets[0]; w.configure(arguments[0]); w.trainer.train(arguments[1]);"
                    "return w.trainer.history.map(r => r.gradientNorm)", {"seed": seed, "loss": loss, **strength}, steps)
                rows.append(dict(discriminator=name, loss=loss, seed=seed, median_gradient_norm=float(np.median(norms)),
                                 first_gradient_norm=norms[0], last_gradient_norm=norms[-1]))
                print(rows[-1], flush=True)
    return rows


def mixture_runs(driver, base, seeds, steps, every):
    open_page(driver, base)
    mixture = data.gaussian_mixture_1d()
    rows = []
    for updates in ("alternating", "simultaneous"):
        for seed in seeds:
            driver.execute_script("window.ganWidgets[0].configure(arguments[0])",
                                  {"seed": seed, "dataset": "mixture_1d", "updates": updates})
            trace = []
            for _ in range(steps // every):
                driver.execute_script("window.ganWidgets[0].trainer.train(arguments[0])", every)
                exported = export(driver)
                samples = exported["samples"]
                trace.append(dict(step=exported["step"], modes=exported["modes"], quality=exported["quality"],
                                  divergence=metrics.histogram_js_divergence(samples, mixture, bins=50, value_range=(-5, 5)),
                                  mean=float(samples.mean()), std=float(samples.std())))
            late = trace[len(trace) // 2:]
            rows.append(dict(updates=updates, seed=seed, trace=trace,
                             final_modes=trace[-1]["modes"], final_quality=trace[-1]["quality"],
                             final_divergence=trace[-1]["divergence"],
                             late_divergence_range=[min(t["divergence"] for t in late), max(t["divergence"] for t in late)],
                             late_mean_range=[min(t["mean"] for t in late), max(t["mean"] for t in late)]))
            print({k: v for k, v in rows[-1].items() if k != "trace"}, flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="0,1,2,3,4", help="seeds of the ring runs")
    parser.add_argument("--seconds", type=float, default=60.0, help="page seconds per ring run")
    parser.add_argument("--other-seeds", default="0,1,2", help="seeds of the saturation runs")
    parser.add_argument("--mixture-seeds", default="0,1,2", help="seeds of the 1-D runs")
    parser.add_argument("--saturation-steps", type=int, default=100)
    parser.add_argument("--mixture-steps", type=int, default=2000)
    parser.add_argument("--mixture-every", type=int, default=250)
    parser.add_argument("--parts", default="ring,saturation,mixture")
    args = parser.parse_args()
    parts = args.parts.split(",")
    seeds = [int(s) for s in args.seeds.split(",")]
    other_seeds = [int(s) for s in args.other_seeds.split(",")]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(ROOT)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    driver = book_pdf.chromium()
    driver.set_script_timeout(1200)
    driver.command_executor.client_config.timeout = 1200
    widget = ROOT / "book" / "_static" / "gan_widget"
    results = dict(load_average_at_start=os.getloadavg(), cpus=os.cpu_count(),
                   widget_bytes={p.name: p.stat().st_size for p in sorted(widget.iterdir())})
    results["widget_bytes_total"] = sum(results["widget_bytes"].values())
    try:
        if "ring" in parts:
            results["ring"] = ring_runs(driver, base, seeds, args.seconds)
        if "saturation" in parts:
            results["saturation"] = saturation(driver, base, other_seeds, args.saturation_steps)
        if "mixture" in parts:
            mixture_seeds = [int(s) for s in args.mixture_seeds.split(",")]
            results["mixture"] = mixture_runs(driver, base, mixture_seeds, args.mixture_steps, args.mixture_every)
    finally:
        driver.quit()
        server.shutdown()
    results["load_average_at_end"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "widget_speed.json").write_text(json.dumps(results, indent=1))
    print(json.dumps({k: v for k, v in results.items() if k != "mixture"}, indent=1))


if __name__ == "__main__":
    main()
