"""Denoising diffusion, small enough for a CPU: schedule, denoisers, training, sampling.

The forward process adds Gaussian noise in ``T`` steps; its closed form is
``x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps`` (Ho et al., 2020). A network
learns to predict ``eps`` from ``x_t`` and ``t`` (a regression), and a sampler walks from
pure noise back to data with it: ancestral DDPM (``eta=1``) or deterministic DDIM
(``eta=0``, Song et al., 2021) over any subsequence of the ``T`` steps. Timesteps are
integers ``0 .. T-1``; ``alpha_bars[t]`` is the share of signal variance left after step
``t + 1``.
"""
import keras
import numpy as np
import tensorflow as tf
from keras import layers

from .checks import check_positive_int, check_samples


# ---------------------------------------------------------------- the noise schedule
def cosine_schedule(num_steps=1000, offset=0.008, max_beta=0.999):
    """``alpha_bar_t`` for t = 1..T of Nichol & Dhariwal's (2021) cosine schedule, float64 (T,).

    ``alpha_bar(t) = f(t) / f(0)`` with ``f(t) = cos((t/T + s) / (1 + s) * pi/2)^2``; each
    step's ``beta_t = 1 - alpha_bar_t / alpha_bar_(t-1)`` is capped at ``max_beta`` so the
    last steps stay invertible. Introduced in GANs and diffusion at the same budget.
    """
    num_steps = check_positive_int(num_steps, "num_steps (T, the number of noising steps)")
    f = np.cos((np.arange(num_steps + 1) / num_steps + offset) / (1 + offset) * np.pi / 2) ** 2
    betas = np.minimum(1 - f[1:] / f[:-1], max_beta)
    return np.cumprod(1 - betas)


def linear_schedule(num_steps=1000, beta_start=1e-4, beta_end=0.02):
    """``alpha_bar_t`` for Ho et al.'s (2020) linear schedule of ``beta_t``, float64 (T,).

    Introduced in GANs and diffusion at the same budget.
    """
    num_steps = check_positive_int(num_steps, "num_steps (T, the number of noising steps)")
    if not 0 < beta_start <= beta_end < 1:
        raise ValueError(f"Need 0 < beta_start <= beta_end < 1 (Ho et al. use 1e-4 and 0.02), "
                         f"got {beta_start} and {beta_end}.")
    return np.cumprod(1 - np.linspace(beta_start, beta_end, num_steps))


def _check_alpha_bars(alpha_bars):
    alpha_bars = np.asarray(alpha_bars, dtype=np.float64)
    if alpha_bars.ndim != 1 or len(alpha_bars) < 2 or not (
            np.all(alpha_bars > 0) and np.all(alpha_bars < 1) and np.all(np.diff(alpha_bars) < 0)):
        raise ValueError("alpha_bars must be a decreasing 1-D array in (0, 1) of at least two steps; "
                         "build it with cosine_schedule(T) or linear_schedule(T).")
    return alpha_bars


def noisy_samples(clean, timesteps, noise, alpha_bars):
    """``x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps``: q(x_t | x_0) in one step.

    ``clean`` and ``noise`` have the same shape (N, ...); ``timesteps`` are N integers in
    0..T-1. Works on NumPy arrays and tensors alike. Introduced in GANs and diffusion at the
    same budget.
    """
    alpha_bar = tf.gather(tf.constant(alpha_bars, tf.float32), timesteps)
    alpha_bar = tf.reshape(alpha_bar, [-1] + [1] * (len(clean.shape) - 1))
    return tf.sqrt(alpha_bar) * clean + tf.sqrt(1.0 - alpha_bar) * noise


# ---------------------------------------------------------------- exact denoisers
def gaussian_denoiser(mean, covariance, alpha_bars):
    """The best possible noise prediction ``E[eps | x_t]`` when the data are N(mean, covariance).

    ``x_t`` is then Gaussian with covariance ``C_t = a S + (1 - a) I`` (``a = alpha_bar_t``),
    and ``E[eps | x_t] = sqrt(1 - a) C_t^(-1) (x_t - sqrt(a) mean)``. Returns a function
    ``predict_noise(x, timesteps)`` for the samplers, to test them against a known answer.
    Introduced in GANs and diffusion at the same budget.
    """
    mean = np.asarray(mean, dtype=np.float64)
    covariance = np.asarray(covariance, dtype=np.float64)
    alpha_bars = _check_alpha_bars(alpha_bars)
    identity = np.eye(len(mean))

    def predict_noise(x, timesteps):
        a = alpha_bars[int(np.asarray(timesteps).reshape(-1)[0])]
        precision = np.linalg.inv(a * covariance + (1 - a) * identity)
        return np.sqrt(1 - a) * (np.asarray(x, np.float64) - np.sqrt(a) * mean) @ precision
    return predict_noise


def mixture_denoiser(mixture, alpha_bars):
    """The best possible noise prediction for data from a ``data.GaussianMixture``.

    Each component k is N(m_k, s_k^2 I), so ``x_t`` given k is N(sqrt(a) m_k, v_k I) with
    ``v_k = a s_k^2 + 1 - a``; the prediction is the components' ``sqrt(1 - a) (x_t - sqrt(a)
    m_k) / v_k`` weighted by the posterior probability of each component given ``x_t``.
    Introduced in GANs and diffusion at the same budget.
    """
    alpha_bars = _check_alpha_bars(alpha_bars)

    def predict_noise(x, timesteps):
        x = np.asarray(x, np.float64)
        a = alpha_bars[np.asarray(timesteps).reshape(-1)][:, None, None]  # (N, 1, 1)
        variances = a * mixture.stds[None, :, None] ** 2 + 1 - a             # (N, K, 1)
        offsets = x[:, None, :] - np.sqrt(a) * mixture.means[None]           # (N, K, d)
        log_weights = (np.log(mixture.weights)[None] - 0.5 * (offsets**2).sum(-1) / variances[..., 0]
                       - 0.5 * mixture.dim * np.log(variances[..., 0]))
        posterior = np.exp(log_weights - log_weights.max(axis=1, keepdims=True))
        posterior /= posterior.sum(axis=1, keepdims=True)
        return np.sqrt(1 - a[:, 0]) * (posterior[..., None] * offsets / variances).sum(axis=1)
    return predict_noise


# ---------------------------------------------------------------- sampling
def sampling_timesteps(num_steps, sampling_steps):
    """The decreasing timesteps a sampler visits: ``sampling_steps`` of the T, evenly spaced.

    Always starts at T-1 (pure noise) and ends at 0. Used by ``sample``.
    """
    sampling_steps = check_positive_int(sampling_steps, "sampling_steps")
    if sampling_steps > num_steps:
        raise ValueError(f"sampling_steps={sampling_steps} is more than the T={num_steps} steps the "
                         "model was trained with; use at most T.")
    return np.round(np.linspace(num_steps - 1, 0, sampling_steps)).astype(int)


def sample(predict_noise, noise, alpha_bars, sampling_steps=None, eta=0.0, seed=0, clip=None):
    """Walk from ``noise`` (x_T) to samples: one network evaluation per sampling step.

    At each visited step the predicted clean sample ``x0 = (x_t - sqrt(1-a_t) eps) /
    sqrt(a_t)`` is moved to the previous visited step ``s`` (``a_s = 1`` after the last):
    ``x_s = sqrt(a_s) x0 + sqrt(1 - a_s - sigma^2) eps + sigma z`` with ``sigma = eta *
    sqrt((1 - a_s) / (1 - a_t) * (1 - a_t / a_s))``. ``eta=0`` is DDIM (deterministic),
    ``eta=1`` with all T steps is DDPM's ancestral sampler. ``clip=(low, high)`` bounds the
    predicted ``x0`` (images: (-1, 1)); nothing is clipped otherwise. Used by ``ddim_sample``,
    ``ddpm_sample`` and ``Diffusion``.
    """
    alpha_bars = _check_alpha_bars(alpha_bars)
    if not 0.0 <= eta <= 1.0:
        raise ValueError(f"eta must be between 0 (DDIM) and 1 (DDPM), got {eta}.")
    steps = sampling_timesteps(len(alpha_bars), sampling_steps or len(alpha_bars))
    rng = np.random.default_rng(seed)
    x = np.asarray(noise, np.float64)
    for index, t in enumerate(steps):
        a_t = alpha_bars[t]
        a_s = alpha_bars[steps[index + 1]] if index + 1 < len(steps) else 1.0
        eps = np.asarray(predict_noise(x, np.full(len(x), t)), np.float64)
        x0 = (x - np.sqrt(1 - a_t) * eps) / np.sqrt(a_t)
        if clip is not None:
            x0 = np.clip(x0, *clip)
            eps = (x - np.sqrt(a_t) * x0) / np.sqrt(1 - a_t)  # the noise that matches the bounded x0
        sigma = eta * np.sqrt((1 - a_s) / (1 - a_t) * (1 - a_t / a_s))
        x = np.sqrt(a_s) * x0 + np.sqrt(1 - a_s - sigma**2) * eps
        if sigma > 0:
            x = x + sigma * rng.standard_normal(x.shape)
    return x.astype(np.float32)


def ddim_sample(predict_noise, noise, alpha_bars, sampling_steps, clip=None):
    """Deterministic DDIM sampling in ``sampling_steps`` network evaluations.

    Introduced in GANs and diffusion at the same budget.
    """
    return sample(predict_noise, noise, alpha_bars, sampling_steps, eta=0.0, clip=clip)


def ddpm_sample(predict_noise, noise, alpha_bars, seed=0, clip=None):
    """Ancestral DDPM sampling: all T steps, fresh noise at each.

    Introduced in GANs and diffusion at the same budget.
    """
    return sample(predict_noise, noise, alpha_bars, len(alpha_bars), eta=1.0, seed=seed, clip=clip)


# ---------------------------------------------------------------- denoisers
class TimeEmbedding(layers.Layer):
    """Sines and cosines of the timestep at geometric frequencies (the Transformer's encoding).

    Takes timesteps divided by T, shape (N, 1); returns (N, dim). Used by ``mlp_denoiser``
    and ``unet_denoiser``.
    """

    def __init__(self, dim=32, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.frequencies = np.exp(np.linspace(0.0, np.log(1000.0), dim // 2)).astype("float32")

    def call(self, time):
        angles = 2 * np.pi * time * self.frequencies
        return keras.ops.concatenate([keras.ops.sin(angles), keras.ops.cos(angles)], axis=-1)

    def get_config(self):
        return {**super().get_config(), "dim": self.dim}


def mlp_denoiser(data_dim=2, hidden_units=(128, 128, 128), time_dim=32):
    """An MLP that predicts the noise in points: inputs ``[x_t (N, d), t / T (N, 1)]``.

    The time embedding is concatenated to the input of every hidden layer. Introduced in GANs and diffusion at the
    same budget.
    """
    points, time = keras.Input((data_dim,)), keras.Input((1,))
    embedding = TimeEmbedding(time_dim)(time)
    x = points
    for units in hidden_units:
        x = layers.Dense(units, activation="silu")(layers.Concatenate()([x, embedding]))
    return keras.Model([points, time], layers.Dense(data_dim)(x), name="mlp_denoiser")


def _residual_block(x, embedding, channels):
    skip = x if x.shape[-1] == channels else layers.Conv2D(channels, 1)(x)
    x = layers.Conv2D(channels, 3, padding="same", activation="silu")(layers.GroupNormalization(8)(x))
    # The timestep shifts every feature map of the block: how the network knows the noise level.
    x = x + layers.Reshape((1, 1, channels))(layers.Dense(channels)(embedding))
    x = layers.Conv2D(channels, 3, padding="same", activation="silu")(layers.GroupNormalization(8)(x))
    return x + skip


def unet_denoiser(image_shape=(28, 28, 1), base_channels=16, time_dim=32):
    """A compact U-Net for 28x28 images: inputs ``[x_t (N, 28, 28, 1), t / T (N, 1)]``.

    Three resolutions (28, 14 and 7 pixels wide) with ``base_channels``, twice and four times
    as many feature maps, one residual block at each on the way down and on the way up, and
    skip connections between the two paths. Introduced in GANs and diffusion at the same budget.
    """
    images, time = keras.Input(image_shape), keras.Input((1,))
    embedding = layers.Dense(time_dim, activation="silu")(TimeEmbedding(time_dim)(time))
    widths = (base_channels, 2 * base_channels, 4 * base_channels)
    x = layers.Conv2D(widths[0], 3, padding="same")(images)
    full = _residual_block(x, embedding, widths[0])                                     # 28x28
    half = _residual_block(layers.Conv2D(widths[1], 3, 2, padding="same")(full), embedding, widths[1])  # 14
    low = _residual_block(layers.Conv2D(widths[2], 3, 2, padding="same")(half), embedding, widths[2])   # 7
    x = layers.Concatenate()([layers.UpSampling2D()(low), half])
    x = _residual_block(x, embedding, widths[1])
    x = layers.Concatenate()([layers.UpSampling2D()(x), full])
    x = _residual_block(x, embedding, widths[0])
    noise = layers.Conv2D(image_shape[-1], 3, padding="same", kernel_initializer="zeros")(x)
    return keras.Model([images, time], noise, name="unet_denoiser")


# ---------------------------------------------------------------- training
class Diffusion(keras.Model):
    """A denoiser trained with ``fit()`` on the epsilon-prediction loss, with EMA weights.

    Each step draws a timestep t and noise eps per example, forms x_t in closed form and
    regresses eps: ``loss = mean ||eps - eps_theta(x_t, t)||^2`` (Ho et al., 2020). The
    exponential moving average of the weights (``ema_decay``) is what ``generate`` samples
    with. Introduced in GANs and diffusion at the same budget.
    """

    def __init__(self, denoiser, alpha_bars, ema_decay=0.999, seed=0, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 < ema_decay < 1.0:
            raise ValueError(f"ema_decay must be between 0 and 1 (e.g. 0.999), got {ema_decay}.")
        self.denoiser = denoiser
        self.alpha_bars = _check_alpha_bars(alpha_bars)
        self.num_steps = len(self.alpha_bars)
        self.ema_decay = ema_decay
        self.ema_denoiser = keras.models.clone_model(denoiser)
        self.ema_denoiser.set_weights(denoiser.get_weights())
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, inputs, training=False):
        return self.denoiser(inputs, training=training)

    def train_step(self, clean):
        if isinstance(clean, (tuple, list)):
            clean = clean[0]
        count = tf.shape(clean)[0]
        timesteps = keras.random.randint((count,), 0, self.num_steps, seed=self.seed_generator)
        noise = keras.random.normal(tf.shape(clean), seed=self.seed_generator)
        noisy = noisy_samples(clean, timesteps, noise, self.alpha_bars)
        time = tf.cast(timesteps, tf.float32)[:, None] / self.num_steps
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(noise - self.denoiser([noisy, time], training=True)))
        variables = self.denoiser.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        for ema_weight, weight in zip(self.ema_denoiser.weights, self.denoiser.weights):
            ema_weight.assign(self.ema_decay * ema_weight + (1.0 - self.ema_decay) * weight)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def predict_noise(self, noisy, timesteps, use_ema=True):
        """The network's noise prediction for ``x_t`` at integer ``timesteps``, as NumPy."""
        denoiser = self.ema_denoiser if use_ema else self.denoiser
        time = tf.constant(np.asarray(timesteps, np.float32)[:, None] / self.num_steps)
        return np.asarray(self._predict(denoiser, tf.constant(noisy, tf.float32), time))

    @tf.function(reduce_retracing=True)
    def _predict(self, denoiser, noisy, time):
        return denoiser([noisy, time], training=False)

    def generate(self, count, sampling_steps=50, eta=0.0, seed=0, clip=None, use_ema=True):
        """``count`` samples from fresh noise, in ``sampling_steps`` network evaluations each."""
        count = check_positive_int(count, "generate's number of samples")
        shape = tuple(self.denoiser.inputs[0].shape[1:])
        noise = np.random.default_rng(seed).standard_normal((count,) + shape)
        return sample(lambda x, t: self.predict_noise(x, t, use_ema), noise, self.alpha_bars,
                      sampling_steps, eta=eta, seed=seed + 1, clip=clip)


def forward_moments(samples, alpha_bars, timestep):
    """Mean and variance of q(x_t) in closed form from the data's own mean and variance.

    ``E[x_t] = sqrt(a) E[x_0]``, ``Var[x_t] = a Var[x_0] + 1 - a`` per coordinate. The
    chapter checks them against noised samples. Introduced in GANs and diffusion at the same budget.
    """
    samples = check_samples(samples, "samples", ranks=(1, 2), require_float=False, dtype=np.float64)
    a = _check_alpha_bars(alpha_bars)[timestep]
    return np.sqrt(a) * samples.mean(axis=0), a * samples.var(axis=0) + 1 - a
