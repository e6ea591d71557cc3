import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_utils import augmentation, data, losses, models, precision, training


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
    training.generator_step(generator, discriminator, g_opt, 32, noise_dim=4, seed_generator=seed)
    assert all(np.array_equal(a, b) for a, b in zip(d_before, discriminator.get_weights()))
    assert not all(np.array_equal(a, b) for a, b in zip(g_before, generator.get_weights()))
    g_before = generator.get_weights()
    training.discriminator_step(generator, discriminator, d_opt, real, noise_dim=4, seed_generator=seed)
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


def test_fit_refuses_raw_pixels_nan_and_batches_that_d_steps_cannot_split():
    training.seed_everything(0)
    generator = models.dcgan_generator(noise_dim=8, base_channels=4)
    discriminator = models.dcgan_discriminator(base_channels=4)
    gan = training.compiled_gan(generator, discriminator, noise_dim=8)
    raw = np.random.default_rng(0).integers(0, 256, (16, 28, 28, 1)).astype(np.float32)
    with pytest.raises(ValueError, match=r"must lie in \[-1, 1\].*127\.5"):
        gan.fit(tf.data.Dataset.from_tensor_slices(raw).batch(8), epochs=1, verbose=0)
    broken = raw / 127.5 - 1
    broken[3, 5, 5, 0] = np.nan
    with pytest.raises(ValueError, match=r"^The training data contain NaN or infinite values"):
        gan.fit(broken, batch_size=8, epochs=1, verbose=0)
    toy_generator, toy_discriminator, _, _ = build_toy(0)
    toy = training.compiled_gan(toy_generator, toy_discriminator, noise_dim=4, d_steps=2)
    points = data.ring_of_gaussians().sample(45, seed=0)  # batches of 15, 15, 15: none splits in two
    with pytest.raises(ValueError, match="d_steps=2 equal minibatches.*drop_remainder=True"):
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
        loss = training.discriminator_step(generator, d_copy, keras.optimizers.SGD(0.0), real, noise_dim=2,
                                           seed_generator=keras.random.SeedGenerator(7), r1_weight=weight)
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


def test_gan_resolves_its_loss_once_into_two_public_functions():
    generator, discriminator, _, _ = build_toy(0)
    gan = training.GAN(generator, discriminator, noise_dim=4, loss="hinge")
    assert gan.loss_name == "hinge"
    assert (gan.discriminator_loss, gan.generator_loss) == losses.get_losses("hinge")
    pair = (losses.least_squares_discriminator_loss, losses.least_squares_generator_loss)
    custom = training.GAN(generator, discriminator, noise_dim=4, loss=pair)
    assert custom.loss_name is None and (custom.discriminator_loss, custom.generator_loss) == pair


def test_fit_says_when_batches_do_not_match_conditional():
    training.seed_everything(0)
    generator = models.mlp_generator(noise_dim=4, output_dim=2, num_classes=8)
    discriminator = models.mlp_discriminator(input_dim=2, num_classes=8)
    points = data.ring_of_gaussians().sample(128, seed=0)
    labels = np.arange(128, dtype=np.int32) % 8
    conditional = training.compiled_gan(generator, discriminator, noise_dim=4, conditional=True)
    with pytest.raises(ValueError, match=r"conditional=True.*\(images, labels\), but it got images only"):
        conditional.fit(points, batch_size=64, epochs=1, verbose=0)
    toy_generator, toy_discriminator, _, _ = build_toy(0)
    unconditional = training.compiled_gan(toy_generator, toy_discriminator, noise_dim=4)
    with pytest.raises(ValueError, match=r"unconditional \(conditional=False\) but got batches of 2 parts"):
        unconditional.fit(tf.data.Dataset.from_tensor_slices((points, labels)).batch(64), epochs=1, verbose=0)


@pytest.mark.parametrize("options, error, message", [
    (dict(augment="diffaugment"), TypeError, r"augment must be a function, e.g. augment=augmentation.diff_augment"),
    (dict(loss=losses.wasserstein_discriminator_loss), TypeError, r"loss must be a name in losses.LOSSES.*or a pair"),
    (dict(r1_weight=-1), ValueError, r"r1_weight must be 0 \(off\) or positive, got -1.*rewards a steep"),
    (dict(gradient_penalty_weight=-10.0), ValueError, r"gradient_penalty_weight must be 0 \(off\) or positive"),
    (dict(learning_rate=-1e-3), ValueError, r"learning_rate must be positive \(e.g. 2e-4\), got -0.001"),
    (dict(d_learning_rate=0.0), ValueError, r"d_learning_rate must be positive"),
    (dict(g_learning_rate=-2e-4), ValueError, r"g_learning_rate must be positive"),
])
def test_compiled_gan_refuses_options_that_cannot_train(options, error, message):
    generator, discriminator, _, _ = build_toy(0)
    with pytest.raises(error, match=message):
        training.compiled_gan(generator, discriminator, noise_dim=4, **options)


@pytest.mark.parametrize("count", [-1, 0])
def test_generate_needs_at_least_one_sample(count):
    generator, discriminator, _, _ = build_toy(0)
    gan = training.GAN(generator, discriminator, noise_dim=4)
    message = rf"generate's number of samples must be an integer of at least 1, got {count}"
    with pytest.raises(ValueError, match=message):
        gan.generate(count)
    assert gan.generate(3).shape == (3, 2)
