"""GANs and a small diffusion model at the same CPU budget, side by side in one process (issue 28).

Three models train on Fashion-MNIST in alternating time slices (round robin), so the
machine's noise hits all of them alike:

(a) chapter 4's DCGAN, its settings read from the notebook's parameters cell
    (``dcgan_speed.chapter4_config``);
(b) the plain DCGAN-paper configuration (``reference_models.dcgan_paper_config``);
(c) a compact U-Net denoiser (``gan_utils.diffusion``), epsilon-prediction loss, EMA weights,
    sampled with DDIM.

At each budget (1, 3 and 6 minutes of training steps; evaluation time excluded) every model
is measured on the same number of samples against the same test images: classifier FID,
KID with its standard error, precision and recall. At the end the sampling cost: network
evaluations per image and seconds per 1,000 images for the GANs (one pass) and for DDIM at
10, 25, 50 and 250 steps, with FID and KID at each. Writes a markdown table, JSON and two
plots (quality against training seconds, quality against sampling seconds).

    python benchmarks/diffusion_vs_gan.py                        # 3 seeds x 6 minutes (~75 min)
    python benchmarks/diffusion_vs_gan.py --seeds 0 --budgets 60  # a quick look
"""
import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parents[1]

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from gan_utils import classifier, data, diffusion, metrics, training  # noqa: E402
from dcgan_speed import Run, make_config, train_in_turns  # noqa: E402
from flops import cpu_peak_gflops  # noqa: E402

DIFFUSION = dict(name="diffusion (U-Net, DDIM)", num_steps=1000, base_channels=16, batch_size=64,
                 learning_rate=1e-3, ema_decay=0.995, sampling_steps=25)
SAMPLING_STEPS = (10, 25, 50, 250)


def quality(real_features, fake_images, num_blocks=10):
    """FID, KID (and its standard error), precision and recall of generated images."""
    fake_features = classifier.extract_features(fake_images)
    kid, kid_error = metrics.kernel_distance(real_features, fake_features, num_blocks)
    precision, recall = metrics.precision_recall(real_features, fake_features)
    return dict(fid=metrics.frechet_distance(real_features, fake_features), kid=kid, kid_error=kid_error,
                precision=precision, recall=recall)


class GanRun(Run):
    """A GAN of ``dcgan_speed`` measured with every metric, not only the FID."""

    def __init__(self, config, seed, train_images, real_features, samples):
        super().__init__(config, seed, train_images, real_features, samples)
        self.curve = [(0.0, 0.0, self.evaluate())]

    def fid(self):  # the parent's constructor asks for an FID before training; measured in evaluate()
        return None

    def images(self, count=None):
        noise = self.noise if count is None else self.noise[:count]
        return np.concatenate([np.asarray(self.gan.generate(chunk))
                               for chunk in np.array_split(noise, max(1, len(noise) // 500))])

    def evaluate(self):
        return quality(self.real_features, self.images())


class DiffusionRun:
    """The compact U-Net denoiser, trained in time slices like the GANs."""

    def __init__(self, config, seed, train_images, real_features, samples):
        self.config, self.seed = config, seed
        training.seed_everything(seed)
        self.model = diffusion.Diffusion(diffusion.unet_denoiser(base_channels=config["base_channels"]),
                                         diffusion.cosine_schedule(config["num_steps"]),
                                         ema_decay=config["ema_decay"], seed=seed)
        self.model.compile(keras.optimizers.Adam(config["learning_rate"]))
        self.step = tf.function(self.model.train_step)
        self.batches = iter(data.array_dataset(train_images, batch_size=config["batch_size"], seed=seed).repeat())
        self.real_features, self.samples = real_features, samples
        self.trained_seconds, self.steps, self.step_times = 0.0, 0, []
        self.step(next(self.batches))  # trace outside the timed budget
        self.curve = [(0.0, 0.0, self.evaluate())]

    def train_for(self, seconds):
        stop = self.trained_seconds + seconds
        while self.trained_seconds < stop:
            batch = next(self.batches)
            started = time.perf_counter()
            float(self.step(batch)["loss"])  # wait for the step to finish
            elapsed = time.perf_counter() - started
            self.trained_seconds += elapsed
            self.step_times.append(elapsed)
            self.steps += 1

    def images(self, sampling_steps=None, count=None):
        return self.model.generate(count or self.samples, sampling_steps or self.config["sampling_steps"],
                                   seed=self.seed, clip=(-1.0, 1.0))

    def evaluate(self):
        return quality(self.real_features, self.images())


def run_seed(configs, seed, budgets, slice_seconds, train_images, real_features, samples, on_budget):
    """Train and measure one seed; ``on_budget(runs)`` after each budget (to save what ran)."""
    runs = [GanRun(c, seed, train_images, real_features, samples) for c in configs]
    runs.append(DiffusionRun(DIFFUSION, seed, train_images, real_features, samples))
    for budget in budgets:
        train_in_turns(runs, budget, slice_seconds)
        for run in runs:
            m = dict(run.evaluate(), steps=run.steps)
            run.curve.append((budget, run.trained_seconds, m))
            print(f"seed {seed} {run.config['name']:<26} {run.trained_seconds:6.1f}s steps {run.steps:6d} "
                  f"FID {m['fid']:7.2f} KID {m['kid']:.4f}±{m['kid_error']:.4f} "
                  f"P {m['precision']:.3f} R {m['recall']:.3f}", flush=True)
        on_budget(runs)
    return runs


def sampling_cost(runs, real_features, samples):
    """Seconds per 1,000 images and quality for each GAN (one pass) and DDIM at each step count."""
    rows = []
    for run in runs:
        steps_list = SAMPLING_STEPS if isinstance(run, DiffusionRun) else (1,)
        for steps in steps_list:
            started = time.perf_counter()
            images = run.images(steps, samples) if isinstance(run, DiffusionRun) else run.images(samples)
            seconds = time.perf_counter() - started
            rows.append(dict(model=run.config["name"], evaluations=steps,
                             seconds_per_1000=1000 * seconds / samples, **quality(real_features, images)))
            print(f"sampling {run.config['name']:<26} {steps:4d} evaluations  "
                  f"{rows[-1]['seconds_per_1000']:8.2f} s/1000  FID {rows[-1]['fid']:.2f}", flush=True)
    return rows


def report(curves, cost, budgets, meta, out_dir):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(c["model"] for c in curves))
    meta["load_average_at_report"] = round(os.getloadavg()[0], 1)
    lines = [f"Reference run: {meta['date']}, {meta['cpu']} (1-minute load average {meta['load_average_at_start']} "
             f"at the start, {meta['load_average_at_report']} at this report: other work shares the CPU when it "
             "is above the core count); "
             f"seeds {meta['seeds']}; "
             f"{meta['samples']} generated images against {meta['samples']} test images; medians over seeds.", "",
             "| model | budget | steps | FID | KID (× 1000) ± s.e. | precision | recall |", "|---" * 7 + "|"]
    medians = {}
    for name in names:
        for budget in budgets:
            rows = [c for c in curves if c["model"] == name and c["budget"] == budget]
            med = {key: float(np.median([r[key] for r in rows]))
                   for key in ("steps", "fid", "kid", "kid_error", "precision", "recall")}
            medians[(name, budget)] = med
            lines.append(f"| {name} | {budget / 60:g} min | {med['steps']:.0f} | {med['fid']:.2f} | "
                         f"{1000 * med['kid']:.2f} ± {1000 * med['kid_error']:.2f} | "
                         f"{med['precision']:.3f} | {med['recall']:.3f} |")
    lines += ["", f"Sampling cost (the last seed's models after the last budget; {meta['cost_samples']} images "
              "per row, against as many test images):", "",
              "| model | network evaluations per image | s per 1,000 images | FID | KID (× 1000) |", "|---" * 5 + "|"]
    for row in cost:
        lines.append(f"| {row['model']} | {row['evaluations']} | {row['seconds_per_1000']:.2f} | "
                     f"{row['fid']:.2f} | {1000 * row['kid']:.2f} |")
    chapter4, paper = "chapter 4", "DCGAN paper (plain)"
    if (chapter4, budgets[-1]) in medians and (paper, budgets[-1]) in medians:
        ratio = medians[(chapter4, budgets[-1])]["fid"] / medians[(paper, budgets[-1])]["fid"]
        lines += ["", f"Chapter 4's DCGAN FID / plain DCGAN-paper FID at {budgets[-1] / 60:g} min: {ratio:.3f}"]
    text = "\n".join(lines)
    print(text)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.md").write_text(text + "\n")
    (out_dir / "results.json").write_text(json.dumps(dict(meta=meta, curves=curves, sampling=cost), indent=1))

    figure, axis = plt.subplots(figsize=(7, 4.5))
    for index, name in enumerate(names):
        for seed in meta["seeds"]:
            points = sorted((c["trained_seconds"], c["fid"]) for c in curves if c["model"] == name and c["seed"] == seed)
            axis.plot(*zip(*points), "o-", color=f"C{index}", alpha=0.8, label=name if seed == meta["seeds"][0] else None)
    axis.set(xlabel="training seconds", ylabel="classifier FID (log scale)", yscale="log",
             title="Quality against training time (one line per seed)")
    axis.legend()
    figure.tight_layout()
    figure.savefig(out_dir / "quality_vs_training.png", dpi=120)

    figure, axis = plt.subplots(figsize=(7, 4.5))
    for index, name in enumerate(dict.fromkeys(r["model"] for r in cost)):
        rows = [r for r in cost if r["model"] == name]
        axis.plot([r["seconds_per_1000"] for r in rows], [r["fid"] for r in rows], "o-", color=f"C{index}", label=name)
        for r in rows:
            axis.annotate(f"{r['evaluations']}", (r["seconds_per_1000"], r["fid"]), textcoords="offset points",
                          xytext=(4, 4), fontsize=8)
    if cost:
        axis.set(xscale="log", yscale="log")
        axis.legend()
    else:
        axis.text(0.5, 0.5, "This run stopped before it measured the sampling cost.", ha="center",
                  transform=axis.transAxes)
    axis.set(xlabel="seconds per 1,000 images (log scale)", ylabel="classifier FID (log scale)",
             title="Quality against sampling cost (labels: network evaluations per image)")
    figure.tight_layout()
    figure.savefig(out_dir / "quality_vs_sampling.png", dpi=120)
    return text


def rewrite_report(out_dir):
    """Redraw the table and plots of a finished or cut-short run from its results.json."""
    saved = json.loads((out_dir / "results.json").read_text())
    budgets = sorted({c["budget"] for c in saved["curves"]})
    report(saved["curves"], saved["sampling"], budgets, saved["meta"], out_dir)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", default="chapter4,paper", help="the GANs, as in dcgan_speed.py")
    parser.add_argument("--budgets", default="60,180,360", help="training seconds at which to measure")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--slice", type=float, default=10.0, help="round-robin time slice in seconds")
    parser.add_argument("--samples", type=int, default=2000, help="generated and test images per measurement")
    parser.add_argument("--cost-samples", type=int, default=1000,
                        help="images generated (and measured) per row of the sampling-cost table")
    parser.add_argument("--train-images", type=int, default=60000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "diffusion_vs_gan")
    args = parser.parse_args()
    budgets = [float(b) for b in args.budgets.split(",")]
    seeds = [int(s) for s in args.seeds.split(",")]
    configs = [make_config(c) for c in args.configs.split(",")]
    train_images, _ = data.load_images("fashion_mnist", "train", limit=args.train_images)
    test_images, _ = data.load_images("fashion_mnist", "test", limit=args.samples)
    real_features = classifier.extract_features(test_images)
    cpu = cpu_peak_gflops()
    meta = dict(date=time.strftime("%Y-%m-%d", time.gmtime()), cpu=f"x86-64, {cpu['cores']} cores, {cpu['width_bits']}-bit FMA",
                seeds=seeds, samples=args.samples, cost_samples=args.cost_samples,
                load_average_at_start=round(os.getloadavg()[0], 1), budgets=budgets, diffusion=DIFFUSION,
                command="python benchmarks/diffusion_vs_gan.py " + " ".join(
                    f"--{k.replace('_', '-')} {v}" for k, v in (("configs", args.configs), ("budgets", args.budgets),
                                                                 ("seeds", args.seeds), ("samples", args.samples),
                                                                 ("cost_samples", args.cost_samples))))
    curves, runs = [], []

    def measured(runs, seed):
        return [dict(model=run.config["name"], seed=seed, budget=budget, trained_seconds=trained, **values)
                for run in runs for budget, trained, values in run.curve[1:]]

    for seed in seeds:
        # Written after every budget, so a run cut short still leaves what it measured.
        def save(runs, seed=seed):
            done = sorted({budget for run in runs for budget, _, _ in run.curve[1:]})
            report(curves + measured(runs, seed), [], done, meta, args.out)

        runs = run_seed(configs, seed, budgets, args.slice, train_images, real_features, args.samples, save)
        curves += measured(runs, seed)
    cost_features = real_features[:args.cost_samples]
    cost = sampling_cost(runs, cost_features, args.cost_samples)
    report(curves, cost, budgets, meta, args.out)


if __name__ == "__main__":
    main()
