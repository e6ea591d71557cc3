"""How fast do the course's GANs train on a CPU? Three configurations, side by side, in one run.

(a) chapter 4's DCGAN with the chapter's own settings (read from the notebook's parameters
    cell, so the benchmark always measures what the chapter runs);
(b) a reference implementation of the TensorFlow DCGAN tutorial's architecture and settings;
(c) a plain DCGAN-paper configuration.

The runs alternate in short time slices (round robin), so machine noise hits all three
alike. For each we report images/s, seconds per step (median), classifier FID after fixed
wall-clock training budgets (the FID's own time is excluded), and achieved GFLOP/s against
this CPU's nominal fp32 peak. Medians over seeds; a table (markdown), JSON, and a plot of FID
against training seconds.

    python benchmarks/dcgan_speed.py                      # 1, 2, 4, 6 minutes x 3 seeds (~60 min)
    python benchmarks/dcgan_speed.py --budgets 60 --seeds 0   # a quick look
    python benchmarks/dcgan_speed.py --configs chapter4,chapter4+xla,chapter4+bf16 --budgets 60 --seeds 0
                                                          # levers, one change each (see LEVERS)
"""
import argparse
import ast
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parents[1]

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from gan_utils import classifier, data, metrics, models, precision, training  # noqa: E402
from flops import cpu_peak_gflops, gan_step_flops, measured_matmul_gflops  # noqa: E402
from reference_models import dcgan_paper_config, tutorial_config  # noqa: E402


def chapter4_parameters(path=ROOT / "notebooks" / "04_dcgan.ipynb"):
    """The full-profile values of the simple assignments in chapter 4's parameters cell."""
    notebook = json.loads(path.read_text())
    cell = next(c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    values = {}
    for node in ast.parse("".join(cell["source"])).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        value = node.value
        if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "pick":
            keywords = {k.arg: k.value for k in value.keywords}
            value = keywords.get("full", value.args[1] if len(value.args) > 1 else None)
        try:
            values[node.targets[0].id] = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError):
            pass  # not a literal (e.g. computed from another parameter)
    return values


def chapter4_config():
    p = chapter4_parameters()
    lr = p.get("learning_rate", 2e-4)
    return dict(
        name="chapter 4", noise_dim=p.get("noise_dim", 64),
        generator_channels=p.get("generator_channels", 64), discriminator_channels=p.get("discriminator_channels", 64),
        kernel_size=p.get("kernel_size", 4), dropout_rate=p.get("dropout_rate", 0.0),
        batch_size=p.get("batch_size", 128),
        d_learning_rate=p.get("d_learning_rate", lr), g_learning_rate=p.get("g_learning_rate", lr),
        beta_1=p.get("beta_1", 0.5), loss=p.get("loss", "non_saturating"),
        ema_decay=p.get("ema_decay"), jit_compile=p.get("jit_compile", False),
        mixed_bfloat16=precision.resolve_precision(p.get("precision", "float32")) == "mixed_bfloat16",
    )


# Levers: changes to one configuration, written after "+" with spelled-out names, e.g.
# "chapter4+learning_rate=5e-4+generator_channels=48" or "paper+xla".
LEVERS = {
    "xla": ("jit_compile", True), "no_xla": ("jit_compile", False),
    "bf16": ("mixed_bfloat16", True), "float32": ("mixed_bfloat16", False), "no_ema": ("ema_decay", None),
    "hinge": ("loss", "hinge"), "spectral_norm": ("spectral_norm", True),
}
NUMERIC_LEVERS = {
    "learning_rate": float, "d_learning_rate": float, "g_learning_rate": float, "batch_size": int,
    "generator_channels": int, "discriminator_channels": int, "kernel_size": int, "ema_decay": float,
    "beta_1": float, "loss": str, "dropout_rate": float, "cosine_decay_steps": int,
}


def with_levers(base, spec):
    """``base`` with the changes named in ``spec`` ("+"-separated), and a name that says them."""
    config = dict(base)
    for change in spec:
        if change in LEVERS:
            key, value = LEVERS[change]
            config[key] = value
            continue
        key, _, text = change.partition("=")
        if key not in NUMERIC_LEVERS or not text:
            raise ValueError(f"unknown lever {change!r}; use one of {sorted(LEVERS)} or "
                             f"key=value with key in {sorted(NUMERIC_LEVERS)}")
        value = NUMERIC_LEVERS[key](text)
        if key == "learning_rate":
            config["d_learning_rate"] = config["g_learning_rate"] = value
        else:
            config[key] = value
    config["name"] = " + ".join([base["name"]] + list(spec))
    return config


def dcgan_builder(config):
    """Networks for configurations built from gan_utils' DCGAN builders (chapter 4, the paper)."""
    def build():
        generator = models.dcgan_generator(noise_dim=config["noise_dim"], base_channels=config["generator_channels"],
                                           kernel_size=config["kernel_size"])
        discriminator = models.dcgan_discriminator(
            base_channels=config["discriminator_channels"], kernel_size=config["kernel_size"],
            dropout_rate=config.get("dropout_rate", 0.0), batch_norm=config.get("discriminator_batch_norm", False),
            spectral_norm=config.get("spectral_norm", False))
        return generator, discriminator
    return build


def make_config(text):
    """A configuration from its command-line name: a base, then optional "+lever" changes."""
    base_name, *spec = text.split("+")
    bases = {"tutorial": tutorial_config, "paper": dcgan_paper_config, "chapter4": chapter4_config}
    if base_name not in bases:
        raise ValueError(f"unknown configuration {base_name!r}; choose from {sorted(bases)}")
    config = with_levers(bases[base_name](), spec)
    structural = {"generator_channels", "discriminator_channels", "kernel_size", "dropout_rate", "spectral_norm"}
    if "generator_channels" in config:
        config["build"] = dcgan_builder(config)
    elif any(change.partition("=")[0] in structural for change in spec):
        raise ValueError(f"{base_name!r} has its own architecture; only training levers apply to it, not {spec}")
    return config


class Run:
    """One configuration being trained in time slices."""

    def __init__(self, config, seed, train_images, real_features, fid_samples):
        self.config, self.seed = config, seed
        training.seed_everything(seed)
        # The dtype policy is read when layers are built, so each run keeps its own.
        with precision.policy("mixed_bfloat16" if config.get("mixed_bfloat16") else "float32"):
            generator, discriminator = config["build"]()
        self.gan = training.GAN(generator, discriminator, noise_dim=config["noise_dim"],
                                loss=config["loss"], ema_decay=config["ema_decay"], seed=seed)
        def adam(learning_rate):
            if config.get("cosine_decay_steps"):  # the learning rate falls to 0 along a half cosine
                learning_rate = keras.optimizers.schedules.CosineDecay(learning_rate, config["cosine_decay_steps"])
            return keras.optimizers.Adam(learning_rate, beta_1=config["beta_1"])

        self.gan.compile(adam(config["d_learning_rate"]), adam(config["g_learning_rate"]))
        self.step = tf.function(self.gan.train_step, jit_compile=config["jit_compile"])
        dataset = data.array_dataset(train_images, batch_size=config["batch_size"], seed=seed).repeat()
        self.batches = iter(dataset)
        self.flops_per_step = gan_step_flops(generator, discriminator, config["batch_size"])
        self.real_features, self.fid_samples = real_features, fid_samples
        self.noise = tf.random.stateless_normal((fid_samples, config["noise_dim"]), seed=(seed, 1))
        self.trained_seconds, self.steps, self.step_times = 0.0, 0, []
        self.step(next(self.batches))  # trace/compile outside the timed budget
        self.curve = [(0.0, 0.0, self.fid())]  # (budget, seconds actually trained, FID)

    def train_for(self, seconds):
        stop = self.trained_seconds + seconds
        while self.trained_seconds < stop:
            batch = next(self.batches)
            started = time.perf_counter()
            losses = self.step(batch)
            float(losses["d_loss"])  # wait for the step to finish
            elapsed = time.perf_counter() - started
            self.trained_seconds += elapsed
            self.step_times.append(elapsed)
            self.steps += 1

    def fid(self):
        fakes = np.concatenate([np.asarray(self.gan.generate(chunk)) for chunk in np.array_split(self.noise, 10)])
        return metrics.frechet_distance(self.real_features, classifier.extract_features(fakes))

    def summary(self, peak):
        seconds_per_step = float(np.median(self.step_times))
        return dict(config=self.config["name"], seed=self.seed, steps=self.steps,
                    seconds_per_step=seconds_per_step,
                    images_per_second=self.config["batch_size"] / seconds_per_step,
                    gflops=self.flops_per_step / seconds_per_step / 1e9,
                    fraction_of_peak=self.flops_per_step / seconds_per_step / 1e9 / peak["peak_gflops"],
                    fraction_of_matmul=self.flops_per_step / seconds_per_step / 1e9 / peak["matmul_gflops"],
                    curve=self.curve)


def train_in_turns(runs, seconds, slice_seconds):
    """Round robin in short slices until every run has trained ``seconds`` in all, so a change in
    the machine's load falls on every run alike (also used by diffusion_vs_gan.py)."""
    while any(run.trained_seconds < seconds for run in runs):
        for run in runs:
            if run.trained_seconds < seconds:
                run.train_for(min(slice_seconds, seconds - run.trained_seconds))


def run_seed(configs, seed, budgets, evaluate_every, slice_seconds, train_images, real_features, fid_samples, peak):
    runs = [Run(c, seed, train_images, real_features, fid_samples) for c in configs]
    checkpoints = sorted(set(np.arange(evaluate_every, budgets[-1] + 1e-9, evaluate_every).tolist() + budgets))
    for checkpoint in checkpoints:
        train_in_turns(runs, checkpoint, slice_seconds)
        for run in runs:
            run.curve.append((checkpoint, run.trained_seconds, run.fid()))
            print(f"seed {seed} {run.config['name']:<28} {run.trained_seconds:7.1f}s  "
                  f"steps {run.steps:6d}  FID {run.curve[-1][2]:8.2f}", flush=True)
    return [r.summary(peak) for r in runs]


def fid_at(curve, budget):
    """FID evaluated when the run had trained for ``budget`` seconds."""
    return next(f for b, _, f in curve if b == budget)


def time_to_reach(curve, target):
    """First training time (seconds actually trained) at which the FID is at or below ``target``."""
    return next((t for _, t, f in curve if f <= target), float("inf"))


def report(results, budgets, peak_info, out_dir):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(r["config"] for r in results))
    lines = [f"CPU: {peak_info['cores']} cores at {peak_info['mhz']:.0f} MHz, {peak_info['width_bits']}-bit FMA "
             f"datapath, nominal fp32 peak {peak_info['peak_gflops']:.0f} GFLOP/s "
             f"(AVX-512 BF16: {peak_info['avx512_bf16']}, AMX-BF16: {peak_info['amx_bf16']}); "
             f"a 2048x2048 fp32 matmul reaches {peak_info['matmul_gflops']:.0f} GFLOP/s"
             + (" (above the nominal peak: the cores run faster than the clock /proc/cpuinfo reports)"
                if peak_info["matmul_gflops"] > peak_info["peak_gflops"] else "")
             + ". bfloat16 runs are counted against the fp32 figures.", "",
             "| configuration | images/s | s/step | GFLOP/s | % of nominal peak | % of matmul | "
             + " | ".join(f"FID @ {b / 60:g} min" for b in budgets) + " |",
             "|---" * (6 + len(budgets)) + "|"]
    medians = {}
    for name in names:
        rows = [r for r in results if r["config"] == name]
        med = lambda key: float(np.median([r[key] for r in rows]))
        fids = [float(np.median([fid_at(r["curve"], b) for r in rows])) for b in budgets]
        medians[name] = dict(fids=fids, rows=rows)
        lines.append(f"| {name} | {med('images_per_second'):.0f} | {med('seconds_per_step'):.3f} | "
                     f"{med('gflops'):.1f} | {100 * med('fraction_of_peak'):.1f} | {100 * med('fraction_of_matmul'):.1f} | "
                     + " | ".join(f"{f:.2f}" for f in fids) + " |")
    lines.append(f"\nSeeds: {sorted({r['seed'] for r in results})}; medians over seeds.")
    if {"chapter 4", "TF tutorial (reference)", "DCGAN paper (plain)"} <= set(names):
        last = budgets[-1]
        ours, tutorial, paper = (medians[n]["fids"][-1] for n in ("chapter 4", "TF tutorial (reference)", "DCGAN paper (plain)"))
        reach = [time_to_reach(r["curve"], fid_at(p["curve"], last))
                 for r, p in zip(medians["chapter 4"]["rows"], medians["DCGAN paper (plain)"]["rows"])]
        lines += ["", f"Targets at {last / 60:g} min (medians):",
                  f"- chapter 4 FID / paper FID = {ours / paper:.3f} (target <= 0.5)",
                  f"- chapter 4 FID / tutorial FID = {ours / tutorial:.3f} (target <= 0.1)",
                  f"- time for chapter 4 to reach the paper's {last / 60:g}-min FID / {last:g} s = "
                  f"{np.median(reach) / last:.3f} (target <= 0.5)"]
    text = "\n".join(lines)
    print(text)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.md").write_text(text + "\n")
    (out_dir / "results.json").write_text(json.dumps(dict(cpu=peak_info, results=results), indent=1))
    figure, axis = plt.subplots(figsize=(7, 4.5))
    for index, name in enumerate(names):
        for r in medians[name]["rows"]:
            _, t, f = zip(*r["curve"])
            axis.plot(t, f, color=f"C{index}", alpha=0.8, label=name if r is medians[name]["rows"][0] else None)
    axis.set(xlabel="training wall-clock seconds", ylabel="classifier FID (log scale)", yscale="log",
             title="FID against training time on this CPU (one line per seed)")
    axis.legend()
    figure.tight_layout()
    figure.savefig(out_dir / "fid_vs_time.png", dpi=120)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", default="chapter4,tutorial,paper",
                        help="comma-separated configurations: chapter4, tutorial or paper, each optionally "
                             "followed by levers, e.g. chapter4+xla, chapter4+bf16, chapter4+no_ema, "
                             "chapter4+hinge, chapter4+spectral_norm, chapter4+batch_size=128, "
                             "chapter4+learning_rate=5e-4, chapter4+generator_channels=48")
    parser.add_argument("--budgets", default="60,120,240,360", help="wall-clock training seconds at which to report FID")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--evaluate-every", type=float, default=30.0, help="FID curve resolution in seconds")
    parser.add_argument("--slice", type=float, default=10.0, help="round-robin time slice in seconds")
    parser.add_argument("--fid-samples", type=int, default=5000)
    parser.add_argument("--train-images", type=int, default=60000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    try:
        configs = [make_config(c) for c in args.configs.split(",")]
    except ValueError as error:
        parser.error(str(error))
    budgets = [float(b) for b in args.budgets.split(",")]
    train_images, _ = data.load_images("fashion_mnist", "train", limit=args.train_images)
    test_images, _ = data.load_images("fashion_mnist", "test", limit=args.fid_samples)
    real_features = classifier.extract_features(test_images)
    peak = dict(cpu_peak_gflops(), matmul_gflops=measured_matmul_gflops())
    results = []
    for seed in [int(s) for s in args.seeds.split(",")]:
        results += run_seed(configs, seed, budgets, args.evaluate_every, args.slice, train_images,
                            real_features, args.fid_samples, peak)
    report(results, budgets, peak, args.out)


if __name__ == "__main__":
    main()
