"""Seconds per training step of chapter 4's DCGAN under each speed lever, side by side.

A lever changes how a step runs, not what it computes (or, for spectral normalisation, adds
what it costs): mixed bfloat16 precision, XLA, several steps per ``fit()`` call, the input
pipeline, TensorFlow's thread pools. Each measurement runs in a fresh subprocess, because
thread settings are fixed when TensorFlow starts; the levers alternate over ``--rounds``
rounds, so machine noise hits all of them alike, and the table gives the median seconds per
step and the ratio to the baseline. What a lever does to the FID over training time is
measured by ``dcgan_speed.py`` (e.g. ``--configs chapter4+float32,chapter4+bf16``).

    python benchmarks/step_levers.py              # about 8 minutes
    python benchmarks/step_levers.py --rounds 1 --steps 100
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LEVERS = {
    "baseline: float32, fit(), cached + prefetched tf.data": {},
    "mixed_bfloat16": {"precision": "mixed_bfloat16"},
    "XLA (jit_compile=True)": {"jit_compile": True},
    "XLA + mixed_bfloat16": {"jit_compile": True, "precision": "mixed_bfloat16"},
    "fit(steps_per_execution=8)": {"steps_per_execution": 8},
    "tf.data from a Python generator": {"pipeline": "python"},
    "1 intra-op thread": {"intra_op_threads": 1},
    "1 inter-op thread": {"inter_op_threads": 1},
    "spectral norm in D (adds work)": {"spectral_norm": True},
}


def measure(settings, steps):
    """Median seconds per step over one timed epoch, after a warm-up epoch, in this fresh process."""
    import tensorflow as tf

    if "intra_op_threads" in settings:
        tf.config.threading.set_intra_op_parallelism_threads(settings["intra_op_threads"])
    if "inter_op_threads" in settings:
        tf.config.threading.set_inter_op_parallelism_threads(settings["inter_op_threads"])
    import keras
    import numpy as np

    from dcgan_speed import chapter4_config, dcgan_builder
    from gan_utils import data, precision, training

    config = dict(chapter4_config(), spectral_norm=settings.get("spectral_norm", False))
    training.seed_everything(0)
    with precision.policy(settings.get("precision", "float32")):
        generator, discriminator = dcgan_builder(config)()
    gan = training.GAN(generator, discriminator, noise_dim=config["noise_dim"], ema_decay=config["ema_decay"])
    adam = lambda learning_rate: keras.optimizers.Adam(learning_rate, beta_1=config["beta_1"])
    gan.compile(adam(config["d_learning_rate"]), adam(config["g_learning_rate"]),
                jit_compile=settings.get("jit_compile", False),
                steps_per_execution=settings.get("steps_per_execution", 1))
    images, _ = data.load_images("fashion_mnist", "train", limit=20000)
    batch_size = config["batch_size"]
    if settings.get("pipeline") == "python":
        def batches():  # shuffling and slicing in Python, one batch per call
            rng = np.random.default_rng(0)
            while True:
                order = rng.permutation(len(images))
                for start in range(0, len(images) - batch_size + 1, batch_size):
                    yield images[order[start:start + batch_size]]
        dataset = tf.data.Dataset.from_generator(
            batches, output_signature=tf.TensorSpec((batch_size, 28, 28, 1), tf.float32))
    else:
        dataset = data.array_dataset(images, batch_size=batch_size, seed=0).repeat()
    gan.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0)  # traces, compiles, warms up
    # Times between batch callbacks, per step: the steady state. (Each fit() call makes a new
    # iterator, which refills the shuffle buffer first; that belongs to the epoch, not the step.)
    # With steps_per_execution > 1, Keras calls back once per execution.
    marks = []
    clock = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: marks.append((batch, time.perf_counter())))
    gan.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0, callbacks=[clock])
    per_step = [(t1 - t0) / (b1 - b0) for (b0, t0), (b1, t1) in zip(marks, marks[1:])]
    return sorted(per_step)[len(per_step) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=200, help="timed steps per measurement")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps({"seconds_per_step": measure(json.loads(args.worker), args.steps)}))
        return
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    times = {name: [] for name in LEVERS}
    for round_index in range(args.rounds):
        for name, settings in LEVERS.items():
            result = subprocess.run([sys.executable, __file__, "--steps", str(args.steps), "--worker", json.dumps(settings)],
                                    capture_output=True, text=True, env=environment, check=False)
            if result.returncode != 0:
                raise SystemExit(f"{name}: the measurement failed:\n{result.stderr[-3000:]}")
            seconds = json.loads(result.stdout.strip().splitlines()[-1])["seconds_per_step"]
            times[name].append(seconds)
            print(f"round {round_index + 1}: {name:<55} {1000 * seconds:6.1f} ms/step", flush=True)
    baseline = sorted(times[next(iter(LEVERS))])[len(times[next(iter(LEVERS))]) // 2]
    lines = [f"Chapter 4's DCGAN, {args.steps} timed steps per measurement, medians of {args.rounds} rounds "
             "(each measurement a fresh process)", "",
             "| lever | ms per step (median) | speed vs baseline |", "|---|---|---|"]
    for name, values in times.items():
        median = sorted(values)[len(values) // 2]
        lines.append(f"| {name} | {1000 * median:.1f} | {baseline / median:.2f}x |")
    text = "\n".join(lines)
    print("\n" + text)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "step_levers.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
