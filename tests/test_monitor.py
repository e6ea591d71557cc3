"""TrainingMonitor: deliberately broken runs must each raise their own flag, a healthy run none.

Small seeded set-ups, so the whole file trains in seconds: chapter 3's ring of Gaussians with
MLPs, and scikit-learn's 8x8 digits (flattened to 64 numbers) for the small-dataset case.
The file takes about 17 s of CPU (plus TensorFlow's start); the three runs marked ``slow``
(about 8 s of it) stay out of the quick loop ``-m "not slow"``, which must stay under a minute.
"""
import keras
import matplotlib
import numpy as np
import pytest
import tensorflow as tf

from gan_utils import data, models, training
from gan_utils.monitor import (COLLAPSE_SPREAD, EXPLODING_LOSS, OVERFIT_GAP, SECTIONS, WINS_FAKE, WINS_REAL,
                               Flag, TrainingMonitor)

RING = data.ring_of_gaussians()
TOY = RING.sample(1024, seed=0).astype(np.float32)
TOY_HELD_OUT = RING.sample(256, seed=1).astype(np.float32)


def toy_gan(learning_rate=1e-3, d_learning_rate=None, g_hidden=(32, 32), d_hidden=(128, 128, 128),
            d_steps=1, ignore_noise=False):
    training.seed_everything(0)
    if ignore_noise:  # a generator whose output cannot depend on z: every sample is the same point
        noise = keras.Input((4,))
        x = keras.layers.Lambda(lambda z: 0.0 * z)(noise)
        for units in g_hidden:
            x = keras.layers.Dense(units, activation="relu")(x)
        generator = keras.Model(noise, keras.layers.Dense(2)(x))
    else:
        generator = models.mlp_generator(noise_dim=4, output_dim=2, hidden_units=g_hidden)
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=d_hidden)
    return training.compiled_gan(generator, discriminator, noise_dim=4, learning_rate=learning_rate,
                                 d_learning_rate=d_learning_rate, d_steps=d_steps)


def fit_toy(gan, epochs, monitor, batch_size=32):
    dataset = data.array_dataset(TOY, batch_size=batch_size * gan.d_steps, seed=0)
    gan.fit(dataset, epochs=epochs, verbose=0, callbacks=[monitor])
    return monitor


def names(monitor):
    return [flag.name for flag in monitor.flags]


def healthy_run(epochs):
    """A fresh run for each test that reads one, so no test sees another's changes."""
    return fit_toy(toy_gan(), epochs, TrainingMonitor(TOY, held_out=TOY_HELD_OUT, mixture=RING, verbose=False))


def test_a_healthy_run_raises_no_flag_and_keeps_every_measurement(capsys):
    healthy = healthy_run(6)
    assert healthy.flags == [], [str(flag) for flag in healthy.flags]
    assert healthy.epochs == list(range(7)) and healthy.history["epoch"] == healthy.epochs
    for key in ("d_real", "d_fake", "d_held_out", "overfit_gap", "d_loss", "g_loss", "train_d_loss",
                "train_g_loss", "d_grad_norm", "g_grad_norm", "spread", "modes", "high_quality"):
        assert len(healthy.history[key]) == 7, key
    assert np.isnan(healthy.history["train_d_loss"][0]) and np.isfinite(healthy.history["train_d_loss"][1:]).all()
    # it trained: samples spread out from the untrained generator's small blob
    assert healthy.history["spread"][-1] > 2 * healthy.history["spread"][0]
    # Recorder's clocks come with it
    assert healthy.seconds[0] == 0.0 and all(b > a for a, b in zip(healthy.seconds, healthy.seconds[1:]))
    lines = healthy.report()
    assert len(lines) == 1 and lines[0].startswith("No symptoms flagged in 6 epochs")
    assert "No symptoms flagged" in capsys.readouterr().out
    # the probe is one compiled function, traced once for all seven records
    assert healthy._probe_function.experimental_get_tracing_count() == 1


def test_learning_rate_times_100_diverges():
    monitor = fit_toy(toy_gan(learning_rate=1e-1), 4, TrainingMonitor(TOY, verbose=False))
    assert "divergence" in names(monitor), [str(flag) for flag in monitor.flags]
    flag = monitor.flags[names(monitor).index("divergence")]
    assert f"limit {EXPLODING_LOSS:g}x" in flag.evidence or "NaN" in flag.evidence


@pytest.mark.slow  # about 2.5-3 s of CPU: kept out of the quick loop, which must stay under a minute
def test_a_discriminator_far_stronger_than_its_generator_wins():
    gan = toy_gan(g_hidden=(4,), d_hidden=(64, 64), d_steps=5, d_learning_rate=1e-2)
    monitor = fit_toy(gan, 4, TrainingMonitor(TOY, verbose=False))
    assert "discriminator_wins" in names(monitor), [str(flag) for flag in monitor.flags]
    assert monitor.history["d_real"][-1] >= WINS_REAL and monitor.history["d_fake"][-1] <= WINS_FAKE


def test_a_generator_that_ignores_its_noise_is_flagged_as_mode_collapse_in_one_line(capsys):
    monitor = fit_toy(toy_gan(ignore_noise=True), 3, TrainingMonitor(TOY, mixture=RING))
    assert "mode_collapse" in names(monitor), [str(flag) for flag in monitor.flags]
    assert max(monitor.history["spread"][1:]) < COLLAPSE_SPREAD
    printed = capsys.readouterr().out  # verbose: each flag printed once, when raised
    flag = monitor.flags[names(monitor).index("mode_collapse")]
    line = str(flag)
    assert isinstance(flag, Flag) and printed.count(line) == 1
    assert "\n" not in line and "{" not in line
    assert line.startswith(f"Epoch {flag.epoch}: Mode collapse: generated samples vary 0.00 times as much")
    assert line.endswith(f"Read {SECTIONS['mode_collapse'][1]}.") and "chapter 6, 'Mode collapse'" in line


@pytest.mark.slow  # about 2.5-3 s of CPU: kept out of the quick loop, which must stay under a minute
def test_a_discriminator_trained_on_200_images_overfits():
    images, _ = data.load_images("digits", "train")
    flat = images.reshape(len(images), -1)  # 8x8 digits as 64 numbers in [-1, 1]
    train, held_out = flat[:200], flat[-200:]
    training.seed_everything(0)
    generator = models.mlp_generator(noise_dim=16, output_dim=64, hidden_units=(64,), output_activation="tanh")
    discriminator = models.mlp_discriminator(input_dim=64, hidden_units=(256, 256))
    gan = training.compiled_gan(generator, discriminator, noise_dim=16, learning_rate=1e-3)
    monitor = TrainingMonitor(train, held_out=held_out, verbose=False)
    gan.fit(data.array_dataset(train, batch_size=50).repeat(), steps_per_epoch=50, epochs=7, verbose=0,
            callbacks=[monitor])
    assert "discriminator_overfitting" in names(monitor), [str(flag) for flag in monitor.flags]
    assert max(monitor.history["overfit_gap"]) >= OVERFIT_GAP


def test_huge_losses_stop_training_quietly_with_a_divergence_flag():
    gan = toy_gan(d_hidden=(16,))
    broken = np.where(np.arange(256).reshape(128, 2) % 4 < 2, 1e30, -1e30).astype(np.float32)  # rows of +-1e30: the losses overflow
    monitor = TrainingMonitor(TOY, verbose=False)
    gan.fit(tf.data.Dataset.from_tensor_slices(broken).batch(32), epochs=3, verbose=0, callbacks=[monitor])
    assert names(monitor) == ["divergence"] and monitor.flags[0].epoch == 1
    assert "diverged at epoch 1, batch 1: d_loss = " in monitor.flags[0].evidence
    assert monitor.epochs == [0, 1]  # stopped after the first epoch


def test_without_stop_on_divergence_training_goes_on_and_the_flag_stays_one():
    gan = toy_gan(d_hidden=(16,))
    broken = np.where(np.arange(256).reshape(128, 2) % 4 < 2, 1e30, -1e30).astype(np.float32)  # rows of +-1e30: the losses overflow
    monitor = TrainingMonitor(TOY, verbose=False, stop_on_divergence=False)
    gan.fit(tf.data.Dataset.from_tensor_slices(broken).batch(32), epochs=2, verbose=0, callbacks=[monitor])
    assert monitor.epochs == [0, 1, 2] and names(monitor) == ["divergence"]
    assert "diverged at epoch 1, batch 1: d_loss = " in monitor.flags[0].evidence


@pytest.mark.slow  # about 2.5-3 s of CPU: kept out of the quick loop, which must stay under a minute
def test_watching_does_not_change_training():
    """BatchNorm statistics and dropout's random state are restored after each probe."""

    def run(with_monitor):
        training.seed_everything(0)
        generator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16), keras.layers.BatchNormalization(),
                                      keras.layers.ReLU(), keras.layers.Dense(2)])
        discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(16,), dropout_rate=0.3)
        gan = training.compiled_gan(generator, discriminator, noise_dim=4, learning_rate=1e-3)
        callbacks = [TrainingMonitor(TOY, verbose=False)] if with_monitor else []
        history = gan.fit(data.array_dataset(TOY[:256], batch_size=32, seed=0), epochs=3, verbose=0,
                          callbacks=callbacks).history
        return history, np.asarray(gan.generate(tf.ones((4, 4))))

    (history_without, samples_without), (history_with, samples_with) = run(False), run(True)
    assert history_with == history_without
    np.testing.assert_array_equal(samples_with, samples_without)


def test_dashboard_draws_every_panel_on_white():
    figure = healthy_run(2).dashboard()
    try:
        assert len(figure.axes) == 4
        assert matplotlib.colors.to_rgba(figure.get_facecolor()) == (1.0, 1.0, 1.0, 1.0)
        assert all(matplotlib.colors.to_rgba(ax.get_facecolor()) == (1.0, 1.0, 1.0, 1.0) for ax in figure.axes)
        assert len(figure.axes[0].lines) >= 3  # real, generated, held out
    finally:
        matplotlib.pyplot.close(figure)


def test_misuse_gives_clear_errors():
    with pytest.raises(ValueError, match=r"held_out samples have shape \(3,\) but the real samples have \(2,\)"):
        TrainingMonitor(TOY, held_out=np.zeros((10, 3), np.float32))
    with pytest.raises(TypeError, match="mixture must be a gan_utils.data.GaussianMixture"):
        TrainingMonitor(TOY, mixture=RING.means)
    with pytest.raises(ValueError, match="The mixture is 1-D"):
        TrainingMonitor(TOY, mixture=data.gaussian_mixture_1d())
    with pytest.raises(ValueError, match="classifies 28x28x1 images"):
        TrainingMonitor(TOY, dataset="fashion_mnist")
    with pytest.raises(ValueError, match="No classifier for dataset 'digits'"):
        TrainingMonitor(TOY, dataset="digits")
    with pytest.raises(TypeError, match="must be floating point"):
        TrainingMonitor(np.zeros((10, 2), np.uint8))
    with pytest.raises(ValueError, match="shape \\(N, features\\)"):
        TrainingMonitor(np.zeros(10, np.float32))
    with pytest.raises(ValueError, match="real samples are all identical"):
        TrainingMonitor(np.ones((10, 2), np.float32))
    with pytest.raises(ValueError, match=r"real must lie in \[-1, 1\] .* span \[0, 255\]; .*gan_utils\.data\.to_unit_range"):
        TrainingMonitor(np.linspace(0, 255, 4 * 64, dtype=np.float32).reshape(4, 8, 8, 1))  # pixels not scaled
    with pytest.raises(ValueError, match=r"held_out must lie in \[-1, 1\]"):
        TrainingMonitor(np.zeros((4, 8, 8, 1), np.float32) + np.arange(4)[:, None, None, None] / 4,
                        held_out=np.full((4, 8, 8, 1), 255.0, np.float32))
    with pytest.raises(ValueError, match=r"real's labels must be 4 integers"):
        TrainingMonitor((TOY[:4], np.zeros(4, np.float32)))
    with pytest.raises(ValueError, match=r"real has 1 sample\(s\); at least 2 are needed to measure a spread"):
        TrainingMonitor(TOY[:1])
    with pytest.raises(RuntimeError, match="Nothing recorded yet: pass the monitor to fit"):
        TrainingMonitor(TOY).report()
    # not a GAN
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(TypeError, match="watches a gan_utils.training.GAN's fit"):
        model.fit(TOY, TOY[:, :1], epochs=1, verbose=0, callbacks=[TrainingMonitor(TOY)])
    # samples of other data than the GAN's
    gan = toy_gan(d_hidden=(8,))
    with pytest.raises(ValueError, match=r"generator makes samples of shape \(2,\) but real has samples of shape \(3,\)"):
        gan.fit(data.array_dataset(TOY, batch_size=32), epochs=1, verbose=0,
                callbacks=[TrainingMonitor(np.random.default_rng(0).normal(size=(10, 3)).astype(np.float32))])
