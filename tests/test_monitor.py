"""TrainingMonitor: deliberately broken runs must each raise their own flag, a healthy run none.

Small seeded set-ups, so the whole file trains in seconds: chapter 3's ring of Gaussians with
MLPs, scikit-learn's 8x8 digits (flattened to 64 numbers) for the small-dataset case, and
"generators" that return real Fashion-MNIST images of a few classes for class collapse.
The file takes about 30 s of CPU (plus TensorFlow's start); the four runs marked ``slow``
(about 18 s of it, 10 s for the class-collapse runs) stay out of the quick loop
``-m "not slow"``, which must stay under a minute.
"""
import keras
import matplotlib
import numpy as np
import pytest
import tensorflow as tf

from gan_utils import data, models, training
from gan_utils.monitor import (COLLAPSE_CLASSES, COLLAPSE_ENTROPY, COLLAPSE_SPREAD, EXPLODING_LOSS, OVERFIT_GAP,
                               SECTIONS, WINS_FAKE, WINS_REAL, Flag, TrainingMonitor)

RING = data.ring_of_gaussians()
TOY = RING.sample(1024, seed=0).astype(np.float32)
TOY_HELD_OUT = RING.sample(256, seed=1).astype(np.float32)


def toy_gan(learning_rate=1e-3, d_learning_rate=None, g_hidden=(32, 32), d_hidden=(128, 128, 128),
            d_steps=1, ignore_noise=False, loss="non_saturating"):
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
                                 d_learning_rate=d_learning_rate, d_steps=d_steps, loss=loss)


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
    assert len(lines) == 2 and lines[0].startswith("No symptoms flagged in 6 epochs (last record: D(x) = ")
    # with held_out and mixture, only what no flag sees is left unchecked
    assert lines[1] == ("Not checked in this run: sample quality and the symptom table's other rows: look at the "
                        "samples, measure a distance to the data.")
    assert "No symptoms flagged" in capsys.readouterr().out
    # the probe is one compiled function, traced once for all seven records
    assert healthy._probe_function.experimental_get_tracing_count() == 1


def test_learning_rate_times_100_diverges():
    monitor = fit_toy(toy_gan(learning_rate=1e-1), 4, TrainingMonitor(TOY, verbose=False))
    assert "divergence" in names(monitor), [str(flag) for flag in monitor.flags]
    flag = monitor.flags[names(monitor).index("divergence")]
    assert f"limit {EXPLODING_LOSS:g}x" in flag.evidence or "NaN" in flag.evidence


class Saboteur(keras.callbacks.Callback):
    """After the first epoch, sets the discriminator's output bias to 20: every logit about +20."""

    def on_epoch_end(self, epoch, logs=None):
        self.model.discriminator.get_layer("logit").bias.assign([20.0])


def test_the_minimax_generator_loss_diverging_downwards_is_flagged():
    """E[log(1 - D(G(z)))] <= 0: it diverges towards -inf, so the check compares magnitudes."""
    gan = toy_gan(d_hidden=(16,), loss="minimax")
    monitor = TrainingMonitor(TOY, verbose=False)
    gan.fit(data.array_dataset(TOY[:256], batch_size=32, seed=0), epochs=1, verbose=0, callbacks=[Saboteur(), monitor])
    g_loss, d_loss = monitor.history["g_loss"], monitor.history["d_loss"]
    assert g_loss[0] < 0 and g_loss[1] < -EXPLODING_LOSS * abs(g_loss[0])  # about -20 from about -0.69
    assert abs(d_loss[1]) < EXPLODING_LOSS * abs(d_loss[0])  # the discriminator's own loss stays under its limit
    assert names(monitor) == ["divergence"], [str(flag) for flag in monitor.flags]
    assert monitor.flags[0].evidence.startswith("the generator's loss reached -2")


def test_a_critic_is_described_by_its_mean_score_and_the_report_says_what_it_cannot_check():
    gan = toy_gan(d_hidden=(16,), loss="wasserstein")
    monitor = fit_toy(gan, 2, TrainingMonitor(TOY, held_out=TOY_HELD_OUT, verbose=False))
    assert {"score_real", "score_fake", "score_held_out", "score_gap"} <= set(monitor.history)
    assert not {"d_real", "d_fake", "d_held_out", "overfit_gap"} & set(monitor.history)  # a critic has no D(x)
    first, second = monitor.report()
    assert first.startswith("No symptoms flagged in 2 epochs (last record: mean score ") and "D(x)" not in first
    assert second.startswith("Not checked in this run: discriminator wins, overfitting and growing losses (the "
                             "wasserstein loss scores samples without probabilities")
    assert "mode collapse beyond a generator that ignores its noise (pass mixture or dataset" in second
    figure = monitor.dashboard()
    try:
        assert figure.axes[0].get_title() == "mean score"
        assert not any("D(" in line.get_label() for line in figure.axes[0].lines)
    finally:
        matplotlib.pyplot.close(figure)


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


class ImageBank(keras.layers.Layer):
    """A "generator" that returns stored images in turn, whatever its noise: a GAN that makes only those."""

    def __init__(self, images):
        super().__init__()
        self.images = tf.constant(images)
        self.unused = self.add_weight(shape=(), initializer="zeros")  # something for the optimizer to hold

    def call(self, noise):
        index = tf.range(tf.shape(noise)[0]) % self.images.shape[0]
        return tf.gather(self.images, index) + 0.0 * self.unused


def image_bank_run(bank, real):
    """Two epochs of one step each of a GAN whose generator makes only ``bank``, watched with ``dataset``."""
    training.seed_everything(0)
    noise = keras.Input((8,))
    generator = keras.Model(noise, ImageBank(bank)(noise))
    gan = training.compiled_gan(generator, models.dcgan_discriminator(base_channels=4), noise_dim=8, learning_rate=1e-4)
    monitor = TrainingMonitor(real, dataset="fashion_mnist", verbose=False)
    gan.fit(data.array_dataset(real, batch_size=32).repeat(), steps_per_epoch=1, epochs=2, verbose=0,
            callbacks=[monitor])
    return monitor


@pytest.mark.slow  # about 10 s of CPU (four runs, Fashion-MNIST and the classifier loaded)
def test_generators_of_one_three_or_five_classes_are_flagged_and_real_data_is_not():
    """Class collapse on Fashion-MNIST: each generator returns 128 real images of a few classes.

    Each set of classes is the hardest of its size (of all sets, the one whose first 128 images the
    classifier finds most varied): shirts, which it mixes up with three other classes; pullovers,
    shirts and bags; T-shirts, dresses, coats, sneakers and bags. Their spread passes COLLAPSE_SPREAD.
    """
    images, _ = data.load_images("fashion_mnist", limit=256)
    real = images[:128]
    healthy = image_bank_run(images[128:], real)  # other real images, of all ten classes
    assert healthy.flags == [], [str(flag) for flag in healthy.flags]
    assert healthy.real_classes >= 9 and healthy.history["classes"][-1] > COLLAPSE_CLASSES * healthy.real_classes
    assert healthy.report()[1].startswith("Not checked in this run: discriminator overfitting (pass held_out); "
                                          "sample quality")
    figure = healthy.dashboard()  # the diversity panel draws classes and entropy relative to the real probe's
    try:
        assert [line.get_label() for line in figure.axes[3].lines] == ["spread", "classes covered", "class entropy"]
        np.testing.assert_allclose(figure.axes[3].lines[1].get_ydata(),
                                   np.asarray(healthy.history["classes"]) / healthy.real_classes)
    finally:
        matplotlib.pyplot.close(figure)
    for classes in ((6,), (2, 6, 8), (0, 3, 4, 7, 8)):
        bank, _ = data.load_images("fashion_mnist", classes=classes, limit=128)
        monitor = image_bank_run(bank, real)
        assert min(monitor.history["spread"]) > COLLAPSE_SPREAD  # the spread alone would not see it
        assert names(monitor) == ["mode_collapse"], (classes, [str(flag) for flag in monitor.flags])
        # both rules fire: few classes covered (the classifier's mistakes may add one), a low class entropy
        assert monitor.history["classes"][-1] <= min(len(classes) + 1, COLLAPSE_CLASSES * monitor.real_classes)
        assert monitor.history["class_entropy"][-1] < COLLAPSE_ENTROPY * monitor.real_class_entropy
        assert monitor.flags[0].evidence.startswith(f"the generated images cover {monitor.history['classes'][-1]} "
                                                    "classes, the real probe 10; class entropy ")
