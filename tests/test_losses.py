import numpy as np
import keras
import pytest
import tensorflow as tf

from gan_utils import losses, models

REAL = np.array([[2.0], [-1.0], [0.5], [0.0]], np.float32)
FAKE = np.array([[-3.0], [0.2], [1.5], [-0.5]], np.float32)
sigmoid = lambda x: 1 / (1 + np.exp(-x.astype(np.float64)))


def test_minimax_discriminator_loss_by_hand():
    expected = -np.mean(np.log(sigmoid(REAL))) - np.mean(np.log(1 - sigmoid(FAKE)))
    assert float(losses.minimax_discriminator_loss(REAL, FAKE)) == pytest.approx(expected, rel=1e-5)


def test_discriminator_loss_equals_keras_binary_crossentropy():
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    expected = bce(np.ones_like(REAL), REAL) + bce(np.zeros_like(FAKE), FAKE)
    assert float(losses.minimax_discriminator_loss(REAL, FAKE)) == pytest.approx(float(expected), rel=1e-5)


def test_non_saturating_generator_loss_is_bce_against_real_label():
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    expected = float(bce(np.ones_like(FAKE), FAKE))
    assert float(losses.non_saturating_generator_loss(FAKE)) == pytest.approx(expected, rel=1e-5)
    assert float(losses.non_saturating_generator_loss(FAKE)) == pytest.approx(-np.mean(np.log(sigmoid(FAKE))), rel=1e-5)


def test_minimax_generator_loss_sign_and_value():
    expected = np.mean(np.log(1 - sigmoid(FAKE)))  # minimised by G; always negative
    assert float(losses.minimax_generator_loss(FAKE)) == pytest.approx(expected, rel=1e-5)
    assert float(losses.minimax_generator_loss(FAKE)) < 0


def test_label_smoothing_matches_keras():
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    expected = bce(np.full_like(REAL, 0.9), REAL) + bce(np.zeros_like(FAKE), FAKE)
    got = losses.minimax_discriminator_loss(REAL, FAKE, real_target=0.9)
    assert float(got) == pytest.approx(float(expected), rel=1e-5)


def test_least_squares_wasserstein_hinge_by_hand():
    r, f = REAL.astype(np.float64), FAKE.astype(np.float64)
    assert float(losses.least_squares_discriminator_loss(REAL, FAKE)) == pytest.approx(
        0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(f**2), rel=1e-5)
    assert float(losses.least_squares_generator_loss(FAKE)) == pytest.approx(0.5 * np.mean((f - 1) ** 2), rel=1e-5)
    assert float(losses.wasserstein_discriminator_loss(REAL, FAKE)) == pytest.approx(f.mean() - r.mean(), rel=1e-5)
    assert float(losses.wasserstein_generator_loss(FAKE)) == pytest.approx(-f.mean(), rel=1e-5)
    assert float(losses.hinge_discriminator_loss(REAL, FAKE)) == pytest.approx(
        np.mean(np.maximum(0, 1 - r)) + np.mean(np.maximum(0, 1 + f)), rel=1e-5)


def test_logit_losses_are_stable_for_extreme_logits():
    big = np.array([[80.0], [-80.0]], np.float32)
    for kind in losses.LOSSES:
        assert np.isfinite(float(losses.discriminator_loss(big, big, kind)))
        assert np.isfinite(float(losses.generator_loss(big, kind)))


def test_unknown_loss_name():
    with pytest.raises(ValueError, match="Unknown loss 'wgan'"):
        losses.get_losses("wgan")


def test_gradient_penalty_of_linear_critic():
    # For D(x) = w.x the gradient is w everywhere, so the penalty is (||w|| - 1)^2.
    critic = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, use_bias=False)])
    w = np.array([[2.0], [0.0], [0.0]], np.float32)
    critic.layers[0].set_weights([w])
    real = np.random.default_rng(0).normal(size=(16, 3)).astype(np.float32)
    penalty = losses.gradient_penalty(critic, real, real[::-1].copy())
    assert float(penalty) == pytest.approx(1.0, rel=1e-5)


def test_gradient_penalty_weight_is_uniform_per_sample(monkeypatch):
    seen = {}
    original = losses.interpolate

    def spy(real, fake, epsilon):
        seen["epsilon"] = epsilon.numpy()
        return original(real, fake, epsilon)

    monkeypatch.setattr(losses, "interpolate", spy)
    critic = models.dcgan_discriminator(base_channels=4)
    real = np.zeros((512, 28, 28, 1), np.float32)
    losses.gradient_penalty(critic, real, real - 0.5)
    epsilon = seen["epsilon"]
    assert epsilon.shape == (512, 1, 1, 1)  # one weight per sample, broadcast over pixels
    assert epsilon.min() >= 0.0 and epsilon.max() <= 1.0  # a normal draw would leave [0, 1]
    assert abs(epsilon.mean() - 0.5) < 0.05 and abs(epsilon.var() - 1 / 12) < 0.02


def test_losses_accept_bfloat16_logits_and_compute_in_float32():
    logits = np.array([[-2.0], [0.5], [3.0]], np.float32)
    for kind in losses.LOSSES:
        as_bf16 = losses.discriminator_loss(tf.cast(logits, tf.bfloat16), tf.cast(-logits, tf.bfloat16), kind)
        reference = losses.discriminator_loss(tf.cast(tf.cast(logits, tf.bfloat16), tf.float32),
                                              tf.cast(tf.cast(-logits, tf.bfloat16), tf.float32), kind)
        assert as_bf16.dtype == tf.float32 and float(as_bf16) == pytest.approx(float(reference), rel=1e-6)
        assert losses.generator_loss(tf.cast(logits, tf.bfloat16), kind).dtype == tf.float32


def test_r1_penalty_of_linear_and_quadratic_discriminators():
    # A linear logit w.x has gradient w at every point: the penalty is ||w||^2.
    critic = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    critic.layers[0].set_weights([np.array([[1.0], [-2.0], [0.5]]), np.array([0.3])])
    real = tf.random.normal((16, 3), seed=1)
    assert np.isclose(float(losses.r1_penalty(critic, real)), 1.0 + 4.0 + 0.25, rtol=1e-5)
    # A logit sum(x^2) has gradient 2x: the penalty is the mean of 4 ||x||^2 (NumPy reference).
    square = lambda x, training=False: tf.reduce_sum(tf.square(x), axis=1, keepdims=True)  # noqa: E731
    points = np.random.default_rng(0).normal(size=(8, 2)).astype("float32")
    expected = np.mean(4 * np.sum(points**2, axis=1))
    assert np.isclose(float(losses.r1_penalty(square, points)), expected, rtol=1e-5)
