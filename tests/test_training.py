import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_utils import augmentation, callbacks, data, losses, models, precision, training


def ring_dataset(batch_size=64, n=512):
    samples = data.ring_of_gaussians().sample(n, seed=0)
    # A fixed order: Keras' fit() starts one extra pass over a dataset before training, which
    # would shift a reshuffle-each-epoch order by one epoch relative to a plain loop.
    return tf.data.Dataset.from_tensor_slices(samples).shuffle(n, seed=0, reshuffle_each_iteration=False).batch(
        batch_size, drop_remainder=True)


def build_toy(seed):
    training.seed_everything(seed)
    generator = models.mlp_generator(noise_dim=4, output_dim=2, hidden_units=(32, 32))
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(32, 32))
    return generator, discriminator, keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3)


def fit_toy(seed=1, d_steps=2, epochs=3, loss="non_saturating"):
    generator, discriminator, d_opt, g_opt = build_toy(seed)
    gan = training.GAN(generator, discriminator, noise_dim=4, d_steps=d_steps, loss=loss, seed=7)
    gan.compile(d_opt, g_opt)
    return gan, gan.fit(ring_dataset(), epochs=epochs, verbose=0).history


def hand_written_algorithm_1(generator, discriminator, d_opt, g_opt, dataset, epochs, d_steps, seed):
    """Algorithm 1 written out with GradientTape, independently of gan_utils.training (as in chapter 3)."""
    seed_generator = keras.random.SeedGenerator(seed)
    d_opt.build(discriminator.trainable_variables)
    g_opt.build(generator.trainable_variables)

    @tf.function
    def iteration(batch):
        for real in tf.split(batch, d_steps):
            fake = generator(keras.random.normal((tf.shape(real)[0], 4), seed=seed_generator), training=True)
            with tf.GradientTape() as tape:
                d_loss = (tf.reduce_mean(tf.nn.softplus(-discriminator(real, training=True)))
                          + tf.reduce_mean(tf.nn.softplus(discriminator(fake, training=True))))
            d_opt.apply_gradients(zip(tape.gradient(d_loss, discriminator.trainable_variables),
                                      discriminator.trainable_variables))
        noise = keras.random.normal((tf.shape(real)[0], 4), seed=seed_generator)
        with tf.GradientTape() as tape:
            g_loss = tf.reduce_mean(tf.nn.softplus(-discriminator(generator(noise, training=True), training=True)))
        g_opt.apply_gradients(zip(tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables))
        return d_loss, g_loss

    history = {"d_loss": [], "g_loss": []}
    for _ in range(epochs):
        losses_of_epoch = np.array([[float(value) for value in iteration(batch)] for batch in dataset])
        history["d_loss"].append(losses_of_epoch[:, 0].mean())
        history["g_loss"].append(losses_of_epoch[:, 1].mean())
    return history


def test_fit_gives_the_numbers_of_a_hand_written_algorithm_1():
    _, fitted = fit_toy()
    generator, discriminator, d_opt, g_opt = build_toy(1)
    looped = hand_written_algorithm_1(generator, discriminator, d_opt, g_opt, ring_dataset(), 3, d_steps=2, seed=7)
    np.testing.assert_allclose(fitted["d_loss"], looped["d_loss"], rtol=1e-5)
    np.testing.assert_allclose(fitted["g_loss"], looped["g_loss"], rtol=1e-5)


def test_same_seed_same_losses_twice():
    _, first = fit_toy(seed=3, epochs=2)
    _, second = fit_toy(seed=3, epochs=2)
    assert first == second
    _, other = fit_toy(seed=4, epochs=2)
    assert other != first


def test_k_discriminator_steps_per_generator_step():
    generator, discriminator, d_opt, g_opt = build_toy(0)
    gan = training.GAN(generator, discriminator, noise_dim=4, d_steps=3)
    gan.compile(d_opt, g_opt)
    gan.fit(ring_dataset(batch_size=96), epochs=1, verbose=0)  # 5 batches of 3 x 32
    assert int(d_opt.iterations.numpy()) == 15 and int(g_opt.iterations.numpy()) == 5


def test_each_step_updates_only_its_own_player_and_never_freezes():
    generator, discriminator, d_opt, g_opt = build_toy(0)
    seed = keras.random.SeedGenerator(0)
    real = tf.constant(data.ring_of_gaussians().sample(32, seed=1))
    g_before, d_before = generator.get_weights(), discriminator.get_weights()
    training.generator_step(generator, discriminator, g_opt, 32, 4, seed)
    assert all(np.array_equal(a, b) for a, b in zip(d_before, discriminator.get_weights()))
    assert not all(np.array_equal(a, b) for a, b in zip(g_before, generator.get_weights()))
    g_before = generator.get_weights()
    training.discriminator_step(generator, discriminator, d_opt, real, 4, seed)
    assert all(np.array_equal(a, b) for a, b in zip(g_before, generator.get_weights()))
    assert not all(np.array_equal(a, b) for a, b in zip(d_before, discriminator.get_weights()))
    assert generator.trainable and discriminator.trainable


def test_batchnorm_trains_in_gan_steps_and_is_frozen_when_sampling():
    training.seed_everything(0)
    generator = models.dcgan_generator(noise_dim=8, base_channels=4)
    discriminator = models.dcgan_discriminator(base_channels=4)
    gan = training.GAN(generator, discriminator, noise_dim=8)
    gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5))
    bn = [layer for layer in generator.layers if isinstance(layer, keras.layers.BatchNormalization)][0]
    before = bn.moving_mean.numpy().copy()
    images = np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)).astype(np.float32)
    gan.fit(data.array_dataset(images, batch_size=32), epochs=1, verbose=0)
    assert not np.allclose(before, bn.moving_mean.numpy())  # training=True inside the steps
    noise = tf.random.normal((8, 8), seed=1)
    # training=False when sampling: a sample does not depend on the rest of its batch.
    np.testing.assert_allclose(gan.generate(noise)[:1], gan.generate(noise[:1]), atol=1e-5)


def test_conditional_gan_and_ema():
    training.seed_everything(0)
    generator = models.mlp_generator(noise_dim=4, output_dim=2, num_classes=8)
    discriminator = models.mlp_discriminator(input_dim=2, num_classes=8)
    gan = training.GAN(generator, discriminator, noise_dim=4, conditional=True, ema_decay=0.9)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    ring = data.ring_of_gaussians()
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 8, 256)
    points = (ring.means[labels] + 0.02 * rng.normal(size=(256, 2))).astype(np.float32)
    dataset = tf.data.Dataset.from_tensor_slices((points, labels.astype(np.int32))).batch(64)
    history = gan.fit(dataset, epochs=2, verbose=0).history
    assert len(history["d_loss"]) == 2
    ema = gan.ema_generator.get_weights()
    assert not all(np.allclose(a, b) for a, b in zip(ema, generator.get_weights()))
    noise, label = tf.zeros((2, 4)), tf.constant([1, 2])
    np.testing.assert_allclose(gan.generate(noise, label), gan.ema_generator([noise, label]))


def test_bad_arguments_are_clear_errors():
    generator, discriminator, *_ = build_toy(0)
    with pytest.raises(ValueError, match=r"d_steps \(k, discriminator steps per generator step\) must be"):
        training.GAN(generator, discriminator, noise_dim=4, d_steps=0)
    with pytest.raises(ValueError, match="Unknown loss"):
        training.GAN(generator, discriminator, noise_dim=4, loss="wgan")
    gan = training.GAN(generator, discriminator, noise_dim=4, d_steps=3)
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    with pytest.raises(ValueError, match="cannot be split into d_steps=3"):
        gan.fit(ring_dataset(batch_size=64), epochs=1, verbose=0)


def test_divergence_guard_stops_with_a_clear_message():
    generator, discriminator, d_opt, g_opt = build_toy(0)
    gan = training.GAN(generator, discriminator, noise_dim=4)
    gan.compile(d_opt, g_opt)
    broken = np.full((128, 2), np.nan, np.float32)
    with pytest.raises(callbacks.TrainingDiverged, match=r"epoch 1, batch 1: d_loss = nan.*learning rates"):
        gan.fit(tf.data.Dataset.from_tensor_slices(broken).batch(64), epochs=2, verbose=0,
                callbacks=[callbacks.DivergenceGuard()])


def test_recorder_keeps_samples_and_metrics_and_leaves_its_own_time_out():
    import time

    generator, discriminator, d_opt, g_opt = build_toy(0)
    gan = training.GAN(generator, discriminator, noise_dim=4)
    gan.compile(d_opt, g_opt)
    samples = callbacks.Recorder(lambda model: model.generate(tf.zeros((5, 4))), every=2)

    def slow_metric(model):
        time.sleep(0.25)
        return float(np.mean(model.generate(tf.zeros((3, 4)))))

    metric = callbacks.Recorder(slow_metric)
    started = time.perf_counter()
    gan.fit(ring_dataset(), epochs=4, verbose=0, callbacks=[samples, metric])
    wall = time.perf_counter() - started
    assert samples.epochs == [0, 2, 4] and isinstance(samples.values[0], np.ndarray)
    assert samples.values[0].shape == (5, 2)
    assert metric.epochs == [0, 1, 2, 3, 4] and metric.seconds[0] == 0.0 == metric.cpu_seconds[0]
    assert all(b > a for a, b in zip(metric.seconds, metric.seconds[1:]))
    assert all(b >= a for a, b in zip(metric.cpu_seconds, metric.cpu_seconds[1:]))
    # five measurements slept 1.25 s in all: none of it counts as training time
    assert metric.seconds[-1] < wall - 1.2, (metric.seconds, wall)
    with pytest.raises(ValueError, match="every must be an integer"):
        callbacks.Recorder(slow_metric, every=0)


def test_generator_gradient_norm_matches_a_hand_computed_gradient():
    # G(z) = w z (no bias), D(x) = x: the non-saturating loss mean(softplus(-w z)) has
    # d/dw = mean(-z sigmoid(-w z)), computed here with NumPy.
    generator = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    discriminator = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    generator.layers[0].kernel.assign([[0.7]])
    discriminator.layers[0].kernel.assign([[1.0]])
    noise = np.linspace(-2, 2, 9, dtype=np.float32)[:, None]
    norm = training.generator_gradient_norm(generator, discriminator,
                                            losses.non_saturating_generator_loss, noise)
    z = noise[:, 0].astype(np.float64)
    expected = abs(np.mean(-z / (1 + np.exp(0.7 * z))))
    assert norm == pytest.approx(expected, rel=1e-5)


INTERRUPTED_RUN = textwrap.dedent("""
    import os, sys
    import numpy as np, keras, tensorflow as tf
    sys.path.insert(0, {root!r})
    from gan_utils import callbacks, data, models, precision, training
    training.seed_everything(0)
    generator = models.mlp_generator(noise_dim=4, output_dim=2, hidden_units=(16,))
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(16,))
    gan = training.GAN(generator, discriminator, noise_dim=4)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    samples = data.ring_of_gaussians().sample(512, seed=0)
    dataset = tf.data.Dataset.from_tensor_slices(samples).batch(64)

    class KillMidEpoch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:  # remember what the checkpoint after epoch 2 should hold
                np.save({weights!r}, np.concatenate([w.ravel() for w in generator.get_weights()]))
        def on_train_batch_end(self, batch, logs=None):
            if self.epoch == 2 and batch == 3:
                os._exit(3)  # killed in the middle of epoch 3, no cleanup
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

    gan.fit(dataset, epochs=6, verbose=0, callbacks=[callbacks.Checkpoint({directory!r}), KillMidEpoch()])
""")


def test_checkpoint_resumes_a_killed_run(tmp_path):
    import gan_utils

    root = str(__import__("pathlib").Path(gan_utils.__file__).parents[1])
    script = INTERRUPTED_RUN.format(root=root, weights=str(tmp_path / "after_epoch_2.npy"),
                                    directory=str(tmp_path / "checkpoints"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, result.stderr[-2000:]

    training.seed_everything(123)  # different initial weights: everything must come from the checkpoint
    generator = models.mlp_generator(noise_dim=4, output_dim=2, hidden_units=(16,))
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(16,))
    gan = training.GAN(generator, discriminator, noise_dim=4)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    initial_epoch = callbacks.resume(gan, tmp_path / "checkpoints")
    assert initial_epoch == 2  # only the epoch in progress is lost
    restored = np.concatenate([w.ravel() for w in generator.get_weights()])
    np.testing.assert_array_equal(restored, np.load(tmp_path / "after_epoch_2.npy"))
    assert int(gan.g_optimizer.iterations.numpy()) == 16  # the optimizer state came back too
    samples = data.ring_of_gaussians().sample(512, seed=0)
    history = gan.fit(tf.data.Dataset.from_tensor_slices(samples).batch(64), epochs=4,
                      initial_epoch=initial_epoch, verbose=0,
                      callbacks=[callbacks.Checkpoint(tmp_path / "checkpoints")])
    assert len(history.history["d_loss"]) == 2
    assert callbacks.resume(gan, tmp_path / "checkpoints") == 4


def test_resume_without_checkpoint_starts_at_zero_but_a_missing_folder_is_an_error(tmp_path):
    generator, discriminator, d_opt, g_opt = build_toy(0)
    gan = training.GAN(generator, discriminator, noise_dim=4)
    gan.compile(d_opt, g_opt)
    assert callbacks.resume(gan, tmp_path) == 0
    with pytest.raises(FileNotFoundError, match="No checkpoint folder .*typo"):
        callbacks.resume(gan, tmp_path / "chekpoints")


def test_fit_refuses_raw_pixels_and_batches_that_d_steps_cannot_split():
    training.seed_everything(0)
    generator = models.dcgan_generator(noise_dim=8, base_channels=4)
    discriminator = models.dcgan_discriminator(base_channels=4)
    gan = training.compiled_gan(generator, discriminator, noise_dim=8)
    raw = np.random.default_rng(0).integers(0, 256, (16, 28, 28, 1)).astype(np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"must lie in \[-1, 1\].*127\.5"):
        gan.fit(tf.data.Dataset.from_tensor_slices(raw).batch(8), epochs=1, verbose=0)
    toy_generator, toy_discriminator, _, _ = build_toy(0)
    toy = training.compiled_gan(toy_generator, toy_discriminator, noise_dim=4, d_steps=2)
    points = data.ring_of_gaussians().sample(45, seed=0)  # batches of 15, 15, 15: none splits in two
    with pytest.raises(tf.errors.InvalidArgumentError, match="d_steps=2 equal minibatches.*drop_remainder=True"):
        toy.fit(tf.data.Dataset.from_tensor_slices(points).batch(15), epochs=1, verbose=0)


def test_mixed_bfloat16_gan_trains_repeatably_and_samples_float32():
    def run():
        training.seed_everything(3)
        with precision.policy("mixed_bfloat16"):
            generator = models.dcgan_generator(noise_dim=8, base_channels=4)
            discriminator = models.dcgan_discriminator(base_channels=4)
        gan = training.GAN(generator, discriminator, noise_dim=8, ema_decay=0.9, seed=3)
        gan.compile(keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5))
        images = np.tanh(np.random.default_rng(0).normal(size=(64, 28, 28, 1))).astype(np.float32)
        history = gan.fit(data.array_dataset(images, batch_size=16, shuffle=False), epochs=2, verbose=0).history
        return gan, history

    gan, first = run()
    _, second = run()
    assert first == second  # same seed, same numbers, in bfloat16 too
    assert all(np.isfinite(first["d_loss"])) and all(np.isfinite(first["g_loss"]))
    samples = gan.generate(np.zeros((3, 8), np.float32))
    assert samples.dtype == tf.float32 and samples.shape == (3, 28, 28, 1)


def test_compiled_gan_gives_each_player_its_own_adam():
    generator, discriminator, _, _ = build_toy(0)
    gan = training.compiled_gan(generator, discriminator, noise_dim=4, learning_rate=1e-3,
                                g_learning_rate=5e-4, d_steps=2, loss="hinge", seed=3)
    assert gan.d_optimizer is not gan.g_optimizer
    assert float(np.asarray(gan.d_optimizer.learning_rate)) == pytest.approx(1e-3)
    assert float(np.asarray(gan.g_optimizer.learning_rate)) == pytest.approx(5e-4)
    assert float(gan.d_optimizer.beta_1) == 0.5 and gan.d_steps == 2


def test_seed_everything_leaves_determinism_off_on_a_gpu_and_fit_explains_the_error(monkeypatch):
    calls = []
    monkeypatch.setattr(tf.config.experimental, "enable_op_determinism", lambda: calls.append(1))
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: ["GPU:0"] if kind == "GPU" else [])
    assert training.seed_everything(0) is False and not calls
    assert training.seed_everything(0, deterministic=True) is True and calls == [1]
    # TensorFlow's error for an op without a deterministic kernel, injected on this CPU
    generator, discriminator, _, _ = build_toy(0)
    gan = training.compiled_gan(generator, discriminator, noise_dim=4)

    def no_deterministic_kernel(data):
        raise tf.errors.UnimplementedError(None, None, "A deterministic GPU implementation of "
                                           "UnsortedSegmentSum is not currently available.")

    monkeypatch.setattr(gan, "train_step", no_deterministic_kernel)
    with pytest.raises(RuntimeError, match=r"deterministic=False"):
        gan.fit(data.ring_of_gaussians().sample(128, seed=0), batch_size=64, epochs=1, verbose=0)


def test_seconds_per_step_times_the_step_after_tracing_it():
    import time

    generator, discriminator, _, _ = build_toy(0)
    gan = training.compiled_gan(generator, discriminator, noise_dim=4)
    batch = tf.constant(data.ring_of_gaussians().sample(64, seed=0))
    calls = []
    original = gan.train_step

    def slow_step(data):  # the Python body runs once, at tracing; the sleep makes tracing slow
        calls.append(1)
        time.sleep(0.5)
        return original(data)

    gan.train_step = slow_step
    median = training.seconds_per_step(gan, batch, steps=5)
    assert len(calls) == 1 and 0 < median < 0.25, (calls, median)  # tracing left out of the timing
    batches = iter([batch] * 7)
    assert training.seconds_per_step(gan, batches, steps=5) > 0 and next(batches) is not None


def test_diff_augment_shifts_and_cuts_out_differentiably():
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, size=(6, 16, 16, 1)).astype("float32")
    # No translation, no cutout: the images come back unchanged.
    same = augmentation.diff_augment(images, seed=1, translation=0.0, cutout=0.0)
    np.testing.assert_allclose(same.numpy(), images, atol=1e-6)
    # Translation only: each output is its input shifted by at most 2 pixels, the uncovered
    # border filled with -1 (checked against NumPy shifts of every allowed size).
    shifted = augmentation.diff_augment(images, seed=2, translation=0.125, cutout=0.0).numpy()

    def numpy_shift(image, dy, dx):
        out = np.full_like(image, -1.0)
        h, w = image.shape[:2]
        out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            image[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
        return out

    for image, result in zip(images, shifted):
        assert any(np.allclose(numpy_shift(image, dy, dx), result, atol=1e-6)
                   for dy in range(-2, 3) for dx in range(-2, 3))
    # Cutout only: a square of side 8 (clipped at the border) becomes -1, the rest is unchanged.
    ones = np.ones((4, 16, 16, 1), "float32")
    cut = augmentation.diff_augment(ones, seed=3, translation=0.0, cutout=0.5).numpy()
    blanked = (cut == -1.0).sum(axis=(1, 2, 3))
    assert ((blanked >= 16) & (blanked <= 81)).all(), blanked
    assert set(np.unique(cut)) <= {-1.0, 1.0}
    # Differentiable: the gradient reaches the input images.
    x = tf.constant(images)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(augmentation.diff_augment(x, seed=4))
    assert float(tf.reduce_sum(tf.abs(tape.gradient(total, x)))) > 0
    with pytest.raises(ValueError, match="batch of images"):
        augmentation.diff_augment(images[0])


def test_r1_and_augment_options_train_and_add_the_penalty():
    # With r1_weight the discriminator's loss is the plain loss plus gamma/2 times r1_penalty.
    training.seed_everything(0)
    generator = models.mlp_generator(noise_dim=2, output_dim=2, hidden_units=(8,))
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(8,))
    real = tf.random.normal((16, 2), seed=5)
    results = []
    for weight in (0.0, 4.0):
        d_copy = keras.models.clone_model(discriminator)
        d_copy.set_weights(discriminator.get_weights())
        loss = training.discriminator_step(generator, d_copy, keras.optimizers.SGD(0.0), real, 2,
                                           keras.random.SeedGenerator(7), r1_weight=weight)
        results.append((float(loss), float(losses.r1_penalty(d_copy, real))))
    (plain, _), (with_r1, penalty) = results
    assert np.isclose(with_r1, plain + 2.0 * penalty, rtol=1e-5)
    # A DCGAN with R1 and DiffAugment trains a few steps to finite losses.
    training.seed_everything(0)
    gan = training.compiled_gan(models.dcgan_generator(noise_dim=8, base_channels=4),
                                models.dcgan_discriminator(base_channels=4), noise_dim=8,
                                r1_weight=1.0, augment=augmentation.diff_augment)
    images = np.random.default_rng(1).uniform(-1, 1, size=(32, 28, 28, 1)).astype("float32")
    history = gan.fit(data.array_dataset(images, batch_size=8, seed=0), epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"]).all() and np.isfinite(history.history["g_loss"]).all()


def test_gradient_norms_match_hand_computed_gradients():
    # G(z) = w z, D(x) = v x (no biases). The discriminator loss
    # mean(softplus(-v x)) + mean(softplus(v w z)) has d/dv = mean(-x sigmoid(-v x)) + mean(w z sigmoid(v w z));
    # the non-saturating generator loss mean(softplus(-v w z)) has d/dw = mean(-v z sigmoid(-v w z)).
    generator = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    discriminator = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    generator.layers[0].kernel.assign([[0.7]])
    discriminator.layers[0].kernel.assign([[1.3]])
    real = np.linspace(0.5, 2.0, 7, dtype=np.float32)[:, None]
    noise = np.linspace(-2, 2, 9, dtype=np.float32)[:, None]
    d_norm, g_norm = training.gradient_norms(generator, discriminator, losses.minimax_discriminator_loss,
                                             losses.non_saturating_generator_loss, real, noise)
    x, z = real[:, 0].astype(np.float64), noise[:, 0].astype(np.float64)
    sigmoid = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    expected_d = abs(np.mean(-x * sigmoid(-1.3 * x)) + np.mean(0.7 * z * sigmoid(1.3 * 0.7 * z)))
    expected_g = abs(np.mean(-1.3 * z * sigmoid(-1.3 * 0.7 * z)))
    assert float(d_norm) == pytest.approx(expected_d, rel=1e-5)
    assert float(g_norm) == pytest.approx(expected_g, rel=1e-5)
