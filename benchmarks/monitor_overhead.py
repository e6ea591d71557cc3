"""What watching costs: the same ``fit()`` with and without ``TrainingMonitor``, side by side.

Two set-ups of the book: chapter 3's ring of eight Gaussians (MLPs; the monitor counts modes)
and a chapter 4/6-sized DCGAN on Fashion-MNIST (the monitor classifies the generated probe
and compares D on training and held-out images). Each repeat builds the same seeded GAN
twice and fits it once without and once with the monitor (the order alternates between
repeats, so machine noise hits both alike); the table gives median wall-clock and CPU
seconds of ``fit()``, the overhead (with / without - 1) and the monitor's own time (its
callbacks: probes, tracing included, and checks, timed inside it) as a share of the fit without
it. The goal is under 10 %.

Measured on 2 Dec 2026 on two cores shared with another long job (load about 3; Intel Xeon,
AVX-512 BF16; medians of 7 repeats):

    set-up   epochs   without          with monitor     overhead wall  overhead CPU  probes wall  probes CPU
    toy          60  11.8 s 11.4 cpu   12.5 s  9.6 cpu          6.3%        -15.6%         2.8%        2.9%
    image         3  14.2 s 14.3 cpu   13.9 s 15.0 cpu         -2.0%          4.9%         5.8%        6.2%

On a loaded machine the difference of two whole fits swings by 15 % either way (the toy's
negative CPU figure); the probes' own time, which other programs disturb far less, is the
figure to read: both set-ups are within the goal. Before the monitor chose eager or compiled
probes by the length of the run, the image run paid four eager probes of about 0.24 s each
(0.4 s the first), about 10 % of its CPU time, and measured 34 % wall / 11 % CPU over 7
repeats on idle cores; a compiled probe costs 0.5 s of tracing, then 0.085 s a probe. The toy
run measured 2.9 % wall / 3.9 % CPU on idle cores. (These figures timed the probes alone; the
script now times everything the monitor does in its callbacks.)

    python benchmarks/monitor_overhead.py --repeats 7   # about 7 minutes on two cores
    python benchmarks/monitor_overhead.py --repeats 5 --setups image
"""
import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from gan_utils import data, models, training  # noqa: E402
from gan_utils.monitor import TrainingMonitor  # noqa: E402


class TimedMonitor(TrainingMonitor):
    """A TrainingMonitor that adds up the wall-clock and CPU seconds spent in its callbacks (its
    probes, tracing included, and its checks): the monitor's own cost, which other programs on
    the machine disturb less than the difference of two fits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_seconds = np.zeros(2)

    def _timed(self, hook, *args):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return getattr(super(), hook)(*args)
        finally:
            self.own_seconds += (time.perf_counter() - wall, time.process_time() - cpu)

    def on_train_begin(self, logs=None):
        return self._timed("on_train_begin", logs)

    def on_epoch_begin(self, epoch, logs=None):
        return self._timed("on_epoch_begin", epoch, logs)

    def on_train_batch_end(self, batch, logs=None):
        return self._timed("on_train_batch_end", batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        return self._timed("on_epoch_end", epoch, logs)


def toy_setup(epochs):
    """Chapter 3's ring as chapter 3 trains it: noise of 2, MLPs of 2 x 64 units, 4096 samples,
    batches of 64 (64 steps an epoch); the monitor counts modes."""
    ring = data.ring_of_gaussians()
    samples = ring.sample(4096, seed=0).astype(np.float32)

    def build():
        generator = models.mlp_generator(noise_dim=2, output_dim=2, hidden_units=(64, 64))
        discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(64, 64))
        return training.compiled_gan(generator, discriminator, noise_dim=2, learning_rate=1e-3)

    return build, data.array_dataset(samples, batch_size=64), epochs, lambda: TimedMonitor(samples, mixture=ring)


def image_setup(epochs):
    """A DCGAN (base 32 channels) on 4096 Fashion-MNIST images, batches of 64, 1024 held out."""
    images, _ = data.load_images("fashion_mnist", "train", limit=5120)
    train, held_out = images[:4096], images[4096:]

    def build():
        generator = models.dcgan_generator(noise_dim=64, base_channels=32)
        discriminator = models.dcgan_discriminator(base_channels=32)
        return training.compiled_gan(generator, discriminator, noise_dim=64)

    return (build, data.array_dataset(train, batch_size=64), epochs,
            lambda: TimedMonitor(train, held_out=held_out, dataset="fashion_mnist", verbose=False))


SETUPS = {"toy": toy_setup, "image": image_setup}
DEFAULT_EPOCHS = {"toy": 60, "image": 3}  # chapter 3's full run (3840 steps); ~ a chapter-6 image run (192 steps)


def timed_fit(build, dataset, epochs, callbacks):
    training.seed_everything(0)
    gan = build()
    wall, cpu = time.perf_counter(), time.process_time()
    gan.fit(dataset, epochs=epochs, verbose=0, callbacks=callbacks)
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=None,
                        help="default: " + ", ".join(f"{epochs} for {name}" for name, epochs in DEFAULT_EPOCHS.items()))
    parser.add_argument("--setups", default="toy,image")
    args = parser.parse_args()
    rows = []
    for name in args.setups.split(","):
        build, dataset, epochs, make_monitor = SETUPS[name](args.epochs or DEFAULT_EPOCHS[name])
        if name == "image":
            from gan_utils.classifier import feature_classifier
            feature_classifier("fashion_mnist")  # load the classifier once, outside the timing
        timed_fit(build, dataset, 1, [])  # warm-up: first-use costs of TensorFlow, outside the timing
        times = {"without": [], "with": [], "own": []}
        for repeat in range(args.repeats):
            for which in (("without", "with") if repeat % 2 == 0 else ("with", "without")):
                callbacks = [make_monitor()] if which == "with" else []
                times[which].append(timed_fit(build, dataset, epochs, callbacks))
                if callbacks:
                    times["own"].append(tuple(callbacks[0].own_seconds))
                keras.backend.clear_session()
        medians = {which: np.median(np.asarray(values), axis=0) for which, values in times.items()}
        rows.append((name, epochs, medians))
        print(f"{name}: raw (wall, cpu) seconds per fit and in the monitor's callbacks: {times}", flush=True)
    print(f"\nmedians over {args.repeats} repeats of fit(epochs=...), wall-clock and CPU seconds; "
          "overhead = with / without - 1; own = the time in the monitor's callbacks (probes, tracing included) / without")
    print(f"{'set-up':8} {'epochs':>6} {'without':>16} {'with monitor':>16} {'overhead wall':>14} {'overhead CPU':>13}"
          f" {'own wall':>12} {'own CPU':>11}")
    for name, epochs, medians in rows:
        (wall0, cpu0), (wall1, cpu1), (wall2, cpu2) = medians["without"], medians["with"], medians["own"]
        print(f"{name:8} {epochs:6d} {wall0:7.1f} s {cpu0:6.1f} cpu {wall1:7.1f} s {cpu1:6.1f} cpu "
              f"{wall1 / wall0 - 1:13.1%} {cpu1 / cpu0 - 1:13.1%} {wall2 / wall0:12.1%} {cpu2 / cpu0:11.1%}")


if __name__ == "__main__":
    main()
