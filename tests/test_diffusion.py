"""gan_utils.diffusion against independent references: closed-form marginals, exact denoisers."""
import keras
import numpy as np
import pytest

from gan_utils import data, diffusion, metrics

ALPHA_BARS = diffusion.cosine_schedule(1000)
MEAN = np.array([1.0, -2.0])
COVARIANCE = np.array([[2.0, 0.6], [0.6, 0.5]])


def test_cosine_schedule_follows_its_formula():
    t = np.array([1, 250, 500, 750])
    f = lambda s: np.cos((s / 1000 + 0.008) / 1.008 * np.pi / 2) ** 2
    np.testing.assert_allclose(ALPHA_BARS[t - 1], f(t) / f(0), rtol=1e-9)
    assert np.all(np.diff(ALPHA_BARS) < 0) and 0 < ALPHA_BARS[-1] < 1e-4
    linear = diffusion.linear_schedule(1000)
    assert linear[0] == pytest.approx(1 - 1e-4) and linear[-1] == pytest.approx(np.prod(1 - np.linspace(1e-4, 0.02, 1000)))


def test_noisy_samples_have_the_closed_form_marginal():
    rng = np.random.default_rng(0)
    clean = rng.multivariate_normal(MEAN, COVARIANCE, size=200_000).astype("float32")
    for t in (10, 300, 700):
        noisy = np.asarray(diffusion.noisy_samples(clean, np.full(len(clean), t), rng.standard_normal(clean.shape)
                                                   .astype("float32"), ALPHA_BARS))
        a = ALPHA_BARS[t]
        np.testing.assert_allclose(noisy.mean(0), np.sqrt(a) * MEAN, atol=0.01)
        np.testing.assert_allclose(np.cov(noisy.T), a * COVARIANCE + (1 - a) * np.eye(2), atol=0.02)
        mean, variance = diffusion.forward_moments(clean, ALPHA_BARS, t)
        np.testing.assert_allclose(mean, noisy.mean(0), atol=0.01)
        np.testing.assert_allclose(variance, noisy.var(0), rtol=0.02)


@pytest.mark.parametrize("eta, steps, tolerance", [(1.0, 1000, 0.05), (0.0, 250, 0.05)])
def test_samplers_driven_by_the_exact_denoiser_reproduce_gaussian_data(eta, steps, tolerance):
    noise = np.random.default_rng(0).standard_normal((20_000, 2))
    predict_noise = diffusion.gaussian_denoiser(MEAN, COVARIANCE, ALPHA_BARS)
    samples = diffusion.sample(predict_noise, noise, ALPHA_BARS, steps, eta=eta, seed=1)
    np.testing.assert_allclose(samples.mean(0), MEAN, atol=tolerance)
    np.testing.assert_allclose(np.cov(samples.T), COVARIANCE, atol=tolerance * np.abs(COVARIANCE).max())


def test_mixture_denoiser_agrees_with_the_gaussian_one_for_one_component():
    one = data.GaussianMixture([[1.0, -2.0]], [0.7])
    x = np.random.default_rng(0).standard_normal((50, 2))
    for t in (0, 400, 999):
        timesteps = np.full(50, t)
        expected = diffusion.gaussian_denoiser([1.0, -2.0], 0.49 * np.eye(2), ALPHA_BARS)(x, timesteps)
        np.testing.assert_allclose(diffusion.mixture_denoiser(one, ALPHA_BARS)(x, timesteps), expected, rtol=1e-9)


def test_ddim_with_the_exact_mixture_denoiser_covers_the_ring():
    ring = data.ring_of_gaussians()
    noise = np.random.default_rng(0).standard_normal((2000, 2))
    samples = diffusion.ddim_sample(diffusion.mixture_denoiser(ring, ALPHA_BARS), noise, ALPHA_BARS, 50)
    assert metrics.modes_covered(samples, ring) == 8
    assert metrics.high_quality_fraction(samples, ring) > 0.95


def test_sampling_timesteps_and_bad_input():
    np.testing.assert_array_equal(diffusion.sampling_timesteps(1000, 3), [999, 500, 0])
    with pytest.raises(ValueError, match="more than the T=1000 steps"):
        diffusion.sampling_timesteps(1000, 1001)
    with pytest.raises(ValueError, match="eta must be between 0"):
        diffusion.sample(lambda x, t: x, np.zeros((2, 2)), ALPHA_BARS, 10, eta=2.0)
    with pytest.raises(ValueError, match="decreasing 1-D array"):
        diffusion.Diffusion(diffusion.mlp_denoiser(), [0.5, 0.9])


def test_diffusion_fit_lowers_the_noise_prediction_loss():
    keras.utils.set_random_seed(0)
    ring = data.ring_of_gaussians()
    model = diffusion.Diffusion(diffusion.mlp_denoiser(hidden_units=(64, 64)), ALPHA_BARS, ema_decay=0.9, seed=0)
    model.compile(keras.optimizers.Adam(1e-3))
    history = model.fit(ring.sample(4096, seed=0), batch_size=128, epochs=4, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.8 * losses[0]
    samples = model.generate(64, sampling_steps=5)
    assert samples.shape == (64, 2) and np.all(np.isfinite(samples))


def test_unet_denoiser_keeps_the_image_shape():
    net = diffusion.unet_denoiser()
    out = net([np.zeros((2, 28, 28, 1), "float32"), np.full((2, 1), 0.5, "float32")])
    assert tuple(out.shape) == (2, 28, 28, 1)
