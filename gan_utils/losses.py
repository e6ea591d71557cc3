"""GAN losses, every one a function of the discriminator's logits (pre-sigmoid scores).

Introduced in chapter 2 (minimax, non-saturating) and chapter 6 (least squares, Wasserstein
with gradient penalty, hinge). Taking logits everywhere avoids the classic bug of feeding a
sigmoid output to a ``from_logits=True`` loss (or the reverse).
"""
import tensorflow as tf


def _as_float32(x):
    # tf.cast, not convert_to_tensor: logits from a mixed-precision (bfloat16) model are
    # computed in float32 here instead of raising a dtype error.
    return tf.cast(x, tf.float32)


def _softplus(x):
    return tf.math.softplus(_as_float32(x))


def _mean(x):
    return tf.reduce_mean(_as_float32(x))


# -log D(x) = softplus(-logit) and -log(1 - D(x)) = softplus(logit), computed stably.
def minimax_discriminator_loss(real_logits, fake_logits, real_target=1.0):
    """-V(D, G): the discriminator maximises E[log D(x)] + E[log(1 - D(G(z)))].

    ``real_target`` below 1 (e.g. 0.9) is one-sided label smoothing (Salimans et al., 2016):
    binary cross-entropy against that target for real samples, 0 for fakes as before.
    Introduced in chapter 2; used in chapters 3, 4 and 6, the appendix Bugs that tutorials ship
    and the assignments.
    """
    real_term = real_target * _softplus(-real_logits) + (1.0 - real_target) * _softplus(real_logits)
    return _mean(real_term) + _mean(_softplus(fake_logits))


def minimax_generator_loss(fake_logits):
    """E[log(1 - D(G(z)))], minimised by the generator (saturates when D rejects fakes).

    Introduced in chapter 2; used in the appendix Bugs that tutorials ship and the assignments.
    """
    return -_mean(_softplus(fake_logits))


def non_saturating_generator_loss(fake_logits):
    """-E[log D(G(z))]: same fixed point, strong gradients early in training.

    Introduced in chapter 2; used in chapters 3, 4 and 6 and the assignments.
    """
    return _mean(_softplus(-fake_logits))


def least_squares_discriminator_loss(real_logits, fake_logits):
    """LSGAN (Mao et al., 2017) with targets 1 for real and 0 for fake, on raw scores.

    Used by ``LOSSES`` (``get_losses("least_squares")``).
    """
    return 0.5 * _mean(tf.square(_as_float32(real_logits) - 1.0)) + 0.5 * _mean(tf.square(_as_float32(fake_logits)))


def least_squares_generator_loss(fake_logits):
    """The generator's LSGAN loss, (D(G(z)) - 1)^2 / 2 on raw scores.

    Used by ``LOSSES`` (``get_losses("least_squares")``).
    """
    return 0.5 * _mean(tf.square(_as_float32(fake_logits) - 1.0))


def wasserstein_discriminator_loss(real_logits, fake_logits):
    """The critic's loss E[f(G(z))] - E[f(x)] (add a gradient penalty; Gulrajani et al., 2017).

    Introduced in chapter 6; in ``LOSSES`` as ``"wasserstein"``.
    """
    return _mean(fake_logits) - _mean(real_logits)


def wasserstein_generator_loss(fake_logits):
    """The generator's Wasserstein loss, -E[f(G(z))] (also the hinge GAN's).

    Used by ``LOSSES`` (``"wasserstein"`` and ``"hinge"``).
    """
    return -_mean(fake_logits)


def hinge_discriminator_loss(real_logits, fake_logits):
    """E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))] (Lim & Ye, 2017; Miyato et al., 2018).

    Used by ``LOSSES`` (``get_losses("hinge")``).
    """
    return _mean(tf.nn.relu(1.0 - _as_float32(real_logits))) + _mean(tf.nn.relu(1.0 + _as_float32(fake_logits)))


hinge_generator_loss = wasserstein_generator_loss

LOSSES = {
    "minimax": (minimax_discriminator_loss, minimax_generator_loss),
    "non_saturating": (minimax_discriminator_loss, non_saturating_generator_loss),
    "least_squares": (least_squares_discriminator_loss, least_squares_generator_loss),
    "wasserstein": (wasserstein_discriminator_loss, wasserstein_generator_loss),
    "hinge": (hinge_discriminator_loss, hinge_generator_loss),
}


def get_losses(loss):
    """Return ``(discriminator_loss, generator_loss)`` for a loss name in ``LOSSES``.

    Used by ``discriminator_loss``, ``generator_loss`` and ``training.GAN``.
    """
    if loss not in LOSSES:
        raise ValueError(f"Unknown loss {loss!r}; choose one of {sorted(LOSSES)}.")
    return LOSSES[loss]


def discriminator_loss(real_logits, fake_logits, loss="non_saturating"):
    """The discriminator's loss ``loss`` (a name in ``LOSSES``), from logits.

    Introduced in chapter 5.
    """
    return get_losses(loss)[0](real_logits, fake_logits)


def generator_loss(fake_logits, loss="non_saturating"):
    """The generator's loss ``loss`` (a name in ``LOSSES``), from logits. Introduced in chapter 5."""
    return get_losses(loss)[1](fake_logits)


def interpolate(real, fake, epsilon):
    """Points on straight lines between real and fake samples: eps * real + (1 - eps) * fake.

    Used by ``gradient_penalty``.
    """
    return epsilon * real + (1.0 - epsilon) * fake


def gradient_penalty(discriminator, real, fake, labels=None, seed=None):
    """WGAN-GP's penalty E[(||grad_x D(x_hat)||_2 - 1)^2] on random interpolates x_hat.

    The interpolation weight is drawn **uniformly in [0, 1], once per sample** (Gulrajani et
    al., 2017, Algorithm 1). A popular example draws it from a normal distribution, which
    puts many points outside the segment between the two samples.
    Introduced in chapter 6; ``discriminator_step`` adds it (``GAN``'s ``gradient_penalty_weight``).
    """
    real = _as_float32(real)
    fake = _as_float32(fake)  # a mixed-precision generator's samples are bfloat16
    batch = tf.shape(real)[0]
    shape = tf.concat([[batch], tf.ones([tf.rank(real) - 1], tf.int32)], 0)
    if seed is None:
        epsilon = tf.random.uniform(shape, 0.0, 1.0)
    else:
        import keras

        epsilon = keras.random.uniform(shape, 0.0, 1.0, seed=seed)
    mixed = interpolate(real, fake, epsilon)
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        inputs = mixed if labels is None else [mixed, labels]
        scores = discriminator(inputs, training=True)
    gradients = tape.gradient(scores, mixed)
    norms = tf.sqrt(tf.reduce_sum(tf.square(tf.reshape(gradients, [batch, -1])), axis=1) + 1e-12)
    return tf.reduce_mean(tf.square(norms - 1.0))


def r1_penalty(discriminator, real, labels=None):
    """R1 (Mescheder et al., 2018): E[||grad_x l(x)||^2] on real samples, l the raw output (logit).

    The discriminator's loss adds ``gamma / 2`` times it (``GAN``'s ``r1_weight`` is gamma):
    it pulls the discriminator's slope towards zero where the data is, which makes the
    equilibrium of the Dirac GAN attractive (chapter 6). Used by ``training.discriminator_step``.
    """
    real = _as_float32(real)
    with tf.GradientTape() as tape:
        tape.watch(real)
        inputs = real if labels is None else [real, labels]
        scores = _as_float32(discriminator(inputs, training=True))
    gradients = tape.gradient(scores, real)  # of the sum over the batch: each sample's own gradient
    batch = tf.shape(real)[0]
    return tf.reduce_mean(tf.reduce_sum(tf.square(tf.reshape(gradients, [batch, -1])), axis=1))
