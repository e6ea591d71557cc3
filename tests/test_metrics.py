import numpy as np
import pytest
from scipy import linalg

from gan_utils import classifier, data, metrics


def reference_frechet(a, b):
    """The textbook formula with scipy's general matrix square root."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = linalg.sqrtm(cov_a @ cov_b).real
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a + cov_b - 2 * root))


def test_frechet_distance_matches_reference_and_closed_form():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4000, 5))
    b = rng.normal(size=(4000, 5)) @ np.diag([1, 2, 0.5, 1, 3]) + 1.5
    assert metrics.frechet_distance(a, b) == pytest.approx(reference_frechet(a, b), rel=1e-6)
    assert metrics.frechet_distance(a, a) == pytest.approx(0, abs=1e-8)
    shift = np.array([3.0, 0, 0, 4.0, 0])
    assert metrics.frechet_distance(a, a + shift) == pytest.approx(25.0, rel=1e-9)
    # Closed form for diagonal Gaussians: sum (s_a - s_b)^2 when means agree.
    scales = np.array([1, 2, 0.5, 1, 3.0])
    expected = ((1 - scales) ** 2).sum() + 1.5**2 * 5
    assert metrics.frechet_distance(a, b) == pytest.approx(expected, rel=0.05)


def test_frechet_distance_bad_input():
    with pytest.raises(ValueError, match=r"features_a has 1 sample\(s\); at least 2 are needed to fit a covariance"):
        metrics.frechet_distance(np.zeros((1, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="different dimensions"):
        metrics.frechet_distance(np.zeros((5, 3)), np.zeros((5, 4)))


@pytest.fixture(scope="module")
def test_split():
    return data.load_images("fashion_mnist", "test")


def test_classifier_fid_real_vs_real_is_small(test_split):
    images, _ = test_split
    real_vs_real = metrics.classifier_fid(images[:5000], images[5000:])
    noise = np.random.default_rng(0).uniform(-1, 1, (5000, 28, 28, 1)).astype(np.float32)
    real_vs_noise = metrics.classifier_fid(images[:5000], noise)
    assert real_vs_real < 2.0 and real_vs_noise > 50 * real_vs_real


def test_classifier_fid_rejects_bad_images(test_split):
    images, _ = test_split
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 1\)"):
        metrics.classifier_fid(images[:10], np.zeros((10, 32, 32, 1), np.float32))
    with pytest.raises(TypeError, match="float32"):
        metrics.classifier_fid(images[:10], np.zeros((10, 28, 28, 1), np.uint8))
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        metrics.classifier_fid(images[:10], np.full((10, 28, 28, 1), 255.0, np.float32))


def test_inception_score_prefers_real_images(test_split):
    images, _ = test_split
    real_mean, real_std = metrics.classifier_inception_score(images[:2000])
    constant_mean, _ = metrics.classifier_inception_score(np.zeros((2000, 28, 28, 1), np.float32))
    assert 1.0 <= constant_mean < 1.5 and 6.0 < real_mean <= 10.0 and real_std < 0.5


def brute_force_precision_recall(real, fake, k):
    def radii(x):
        d = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1))
        return np.sort(d, axis=1)[:, k]

    cross = np.sqrt(((real[:, None] - fake[None]) ** 2).sum(-1))
    precision = (cross <= radii(real)[:, None]).any(0).mean()
    recall = (cross <= radii(fake)[None, :]).any(1).mean()
    return precision, recall


def test_precision_recall_against_brute_force():
    rng = np.random.default_rng(1)
    centers = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], float)
    real = centers[rng.integers(0, 4, 400)] + rng.normal(size=(400, 2))
    half = centers[rng.integers(0, 2, 300)] + rng.normal(size=(300, 2))
    got = metrics.precision_recall(real, half, k=3, chunk_size=64)
    np.testing.assert_allclose(got, brute_force_precision_recall(real, half, 3))
    assert got[0] > 0.9 and 0.35 < got[1] < 0.65
    assert metrics.precision_recall(real, real, k=3) == (1.0, 1.0)
    assert metrics.precision_recall(real, real + 1000, k=3) == (0.0, 0.0)


def test_toy_measures_on_the_ring():
    ring = data.ring_of_gaussians()
    samples = ring.sample(4000, seed=0)
    assert metrics.modes_covered(samples, ring) == 8
    assert metrics.high_quality_fraction(samples, ring) > 0.98
    three = samples[np.isin(metrics.mode_assignments(samples, ring), [0, 3, 5])]
    assert metrics.modes_covered(three, ring) == 3
    assert metrics.high_quality_fraction(np.zeros((10, 2)), ring) == 0.0
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        metrics.modes_covered(np.zeros((10, 3)), ring)


def test_histogram_js_divergence():
    mixture = data.gaussian_mixture_1d()
    samples = mixture.sample(20000, seed=0)
    own = metrics.histogram_js_divergence(samples, mixture, bins=60, value_range=(-6, 6))
    shifted = metrics.histogram_js_divergence(samples + 1.5, mixture, bins=60, value_range=(-6, 6))
    assert own < 0.01 and shifted > 10 * own and shifted <= np.log(2)
    assert metrics.histogram_js_divergence(samples, samples) == 0.0
    far = metrics.histogram_js_divergence(samples, samples + 100, bins=20)
    assert far == pytest.approx(np.log(2), abs=1e-9)
    ring = data.ring_of_gaussians()
    two_d = metrics.histogram_js_divergence(ring.sample(5000, seed=1), ring, bins=40, value_range=(-3, 3))
    assert two_d < 0.1


def test_nearest_neighbours_against_brute_force():
    rng = np.random.default_rng(0)
    reference = rng.normal(size=(57, 6))
    queries = np.concatenate([rng.normal(size=(23, 6)), reference[[3, 40]] + 1e-3])
    distances, indices = metrics.nearest_neighbours(queries, reference, chunk_size=7)
    brute = np.sqrt(((queries[:, None, :] - reference[None, :, :]) ** 2).sum(axis=-1))
    np.testing.assert_array_equal(indices, brute.argmin(axis=1))
    np.testing.assert_allclose(distances, brute.min(axis=1), rtol=1e-9, atol=1e-9)
    assert indices.dtype == np.int64 and distances.shape == (25,)
    assert indices[-2] == 3 and indices[-1] == 40  # a near-copy finds its original


def test_nearest_neighbours_bad_input():
    with pytest.raises(ValueError, match="dimensions"):
        metrics.nearest_neighbours(np.zeros((3, 4)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"features must have shape \(N, features\), got shape \(4,\)"):
        metrics.nearest_neighbours(np.zeros(4), np.zeros((5, 4)))
    with pytest.raises(ValueError, match="NaN"):
        metrics.nearest_neighbours(np.full((2, 4), np.nan), np.zeros((5, 4)))


def test_toy_measures_take_numbers_of_any_kind_but_say_what_is_wrong():
    ring = data.ring_of_gaussians()
    # chapter 5 compares histograms of integer frequencies
    counts = np.array([1, 2, 2, 3, 3, 3])
    assert metrics.histogram_js_divergence(counts, counts, bins=3, value_range=(0.5, 3.5)) == 0.0
    with pytest.raises(ValueError, match=r"samples must have shape \(N,\), \(N, 1\) or \(N, 2\), got shape \(4, 3\)"):
        metrics.histogram_js_divergence(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="NaN or infinite .*training diverged"):
        metrics.modes_covered(np.full((4, 2), np.nan), ring)
    with pytest.raises(TypeError, match="mixture must be a gan_utils.data.GaussianMixture, got ndarray"):
        metrics.modes_covered(np.zeros((4, 2)), ring.means)
    one_d = data.gaussian_mixture_1d()
    assert metrics.mode_assignments(np.array([-2.0, 2.0, 0.0]), one_d).tolist() == [0, 1, -1]


def brute_force_mmd2(a, b):
    """Unbiased MMD^2 with the cubic kernel, pair by pair (Binkowski et al., 2018, eq. 3)."""
    kernel = lambda x, y: (np.dot(x, y) / len(x) + 1.0) ** 3
    m, n = len(a), len(b)
    within_a = sum(kernel(a[i], a[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    within_b = sum(kernel(b[i], b[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    across = sum(kernel(a[i], b[j]) for i in range(m) for j in range(n)) / (m * n)
    return within_a + within_b - 2 * across


def test_kernel_distance_against_brute_force():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(40, 3)), rng.normal(size=(30, 3)) * 1.5 + 0.3
    assert metrics.unbiased_mmd2(a, b) == pytest.approx(brute_force_mmd2(a, b), rel=1e-10)
    kid, standard_error = metrics.kernel_distance(a, b, num_blocks=2)
    blocks = [brute_force_mmd2(a[:20], b[:15]), brute_force_mmd2(a[20:], b[15:])]
    assert kid == pytest.approx(np.mean(blocks), rel=1e-10)
    assert standard_error == pytest.approx(np.std(blocks, ddof=1) / np.sqrt(2), rel=1e-10)


def test_kernel_distance_is_unbiased_where_the_fid_is_not():
    """Same distribution on both sides: the KID averages to 0 at any N, the FID stays above it."""
    rng = np.random.default_rng(1)
    kids, fids = [], []
    for _ in range(40):
        a, b = rng.normal(size=(100, 8)), rng.normal(size=(100, 8))
        kids.append(metrics.unbiased_mmd2(a, b))
        fids.append(metrics.frechet_distance(a, b))
    assert abs(np.mean(kids)) < 3 * np.std(kids) / np.sqrt(len(kids))
    assert min(fids) > 0.1
    shifted = metrics.kernel_distance(rng.normal(size=(400, 8)) + 1.0, rng.normal(size=(400, 8)), num_blocks=4)
    assert shifted[0] > 5 * shifted[1]


def test_kernel_distance_bad_input():
    with pytest.raises(ValueError, match="at least 2 blocks"):
        metrics.kernel_distance(np.zeros((10, 3)), np.zeros((10, 3)), num_blocks=10)
    with pytest.raises(ValueError, match="features_a has 3 dimensions but features_b has 4"):
        metrics.unbiased_mmd2(np.zeros((5, 3)), np.zeros((5, 4)))


def test_kernel_distance_of_real_against_real_images_is_near_zero(test_split):
    images, _ = test_split
    features = classifier.extract_features(images[:2000])
    kid, standard_error = metrics.kernel_distance(features[:1000], features[1000:])
    assert abs(kid) < 3 * standard_error + 1e-3
