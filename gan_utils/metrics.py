"""Measuring a GAN: exact measures on toy data, and classifier-based ones on images.

Toy data (chapter 3) has a known density, so we can count modes and compare histograms
exactly. Images (chapter 4) have no density, so we compare features of a small classifier
trained on the same dataset (``gan_utils.classifier``): a "classifier FID", an
Inception-style score, and precision/recall. These numbers rank models of this course
against each other; they are NOT comparable with the Inception-network FID or IS reported
in papers.
"""
import numpy as np
from scipy.special import ndtr

from .checks import check_images, check_positive_int, check_samples
from .classifier import IMAGE_SHAPE, class_probabilities, extract_features
from .data import GaussianMixture

FEATURES = dict(ranks=(2,), require_float=False, dtype=np.float64)
"""How the measures check features and points (with ``checks.check_samples``): (N, d) numbers, kept in float64."""

# ---------------------------------------------------------------- image metrics
def _symmetric_sqrt(matrix):
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    # Covariances are positive semi-definite; rounding can make tiny eigenvalues negative.
    return (eigenvectors * np.sqrt(np.clip(eigenvalues, 0, None))) @ eigenvectors.T


def frechet_distance(features_a, features_b):
    """Frechet distance between Gaussians fitted to two feature sets of shape (N, d).

    ``||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2))``. The trace of the square root is
    computed from the symmetric matrix ``S_a^(1/2) S_b S_a^(1/2)``, which has the same
    eigenvalues as ``S_a S_b`` but stays real and stable. Used by ``classifier_fid``; used in chapter 6
    and the page GANs and diffusion at the same budget.
    """
    features_a = check_samples(features_a, "features_a", min_count=2, purpose="to fit a covariance", **FEATURES)
    features_b = check_samples(features_b, "features_b", min_count=2, purpose="to fit a covariance", **FEATURES)
    if features_a.shape[1] != features_b.shape[1]:
        raise ValueError(
            f"The feature sets have different dimensions ({features_a.shape[1]} and "
            f"{features_b.shape[1]}); extract both with the same network."
        )
    mean_a, mean_b = features_a.mean(axis=0), features_b.mean(axis=0)
    cov_a = np.cov(features_a, rowvar=False)
    cov_b = np.cov(features_b, rowvar=False)
    sqrt_a = _symmetric_sqrt(cov_a)
    product_eigenvalues = np.linalg.eigvalsh(sqrt_a @ cov_b @ sqrt_a)
    trace_sqrt_product = np.sqrt(np.clip(product_eigenvalues, 0, None)).sum()
    distance = ((mean_a - mean_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_sqrt_product
    return float(max(distance, 0.0))


def classifier_fid(real_images, fake_images, dataset="fashion_mnist"):
    """Frechet distance between classifier features of real and generated images (lower is better).

    This "classifier FID" uses a small classifier trained on the same dataset, not the
    Inception network, so its numbers are NOT comparable with the (Inception) FID numbers in
    papers: use it only to compare models within this course. Use thousands of images on
    each side; the value is biased upwards for small samples. Introduced in A GAN in one cell;
    used in chapters 4 and 5, the appendix Bugs that tutorials ship and the assignments.
    """
    real_features = extract_features(check_images(real_images, IMAGE_SHAPE, "real_images"), dataset)
    fake_features = extract_features(check_images(fake_images, IMAGE_SHAPE, "fake_images"), dataset)
    return frechet_distance(real_features, fake_features)


def classifier_inception_score(images, dataset="fashion_mnist", splits=10):
    """Inception-style score ``exp(E_x KL(p(y|x) || p(y)))`` with our classifier; returns (mean, std).

    Between 1 and the number of classes (10): high when each image is classified
    confidently and the classes are balanced. Mean and standard deviation are over
    ``splits`` equal parts of ``images``. Like ``classifier_fid``, NOT comparable with the
    Inception Score in papers. Introduced in chapter 4.
    """
    splits = check_positive_int(splits, "splits")
    probabilities = class_probabilities(images, dataset)
    if len(probabilities) < splits:
        raise ValueError(f"Got {len(probabilities)} images for {splits} splits; pass more images or lower splits.")
    scores = []
    for part in np.array_split(probabilities, splits):
        marginal = part.mean(axis=0, keepdims=True)
        kl = (part * (np.log(part + 1e-12) - np.log(marginal + 1e-12))).sum(axis=1)
        scores.append(np.exp(max(kl.mean(), 0.0)))  # KL >= 0; rounding can dip below
    return float(np.mean(scores)), float(np.std(scores))


def _squared_distances(a, b):
    squared = (a**2).sum(1)[:, None] + (b**2).sum(1)[None, :] - 2 * a @ b.T
    return np.maximum(squared, 0.0)


def _knn_radii(features, k, chunk_size):
    """Squared distance from each point to its k-th nearest other point of the same set."""
    radii = np.empty(len(features))
    for start in range(0, len(features), chunk_size):
        distances = _squared_distances(features[start:start + chunk_size], features)
        # Index 0 of each sorted row is the point itself (distance 0), so index k is its k-th neighbour.
        radii[start:start + chunk_size] = np.partition(distances, k, axis=1)[:, k]
    return radii


def precision_recall(real_features, fake_features, k=3, chunk_size=1000):
    """Improved precision and recall (Kynkaanniemi et al., 2019); returns ``(precision, recall)``.

    Each set's manifold is the union of balls around its points, each reaching to the point's
    k-th nearest neighbour. Precision is the fraction of fakes inside the real manifold
    (quality); recall is the fraction of reals inside the fake manifold (coverage). Works in
    chunks of ``chunk_size`` rows, so 10,000 x 10,000 needs about 100 MB. Introduced in chapter 4;
    used in the page GANs and diffusion at the same budget.
    """
    real = check_samples(real_features, "real_features", **FEATURES)
    fake = check_samples(fake_features, "fake_features", **FEATURES)
    k = check_positive_int(k, "k")
    if real.shape[1] != fake.shape[1]:
        raise ValueError(f"real_features has {real.shape[1]} dimensions but fake_features has {fake.shape[1]}.")
    if k >= min(len(real), len(fake)):
        raise ValueError(f"k={k} needs more than {k} samples in each set, got {len(real)} and {len(fake)}.")
    real_radii = _knn_radii(real, k, chunk_size)
    fake_radii = _knn_radii(fake, k, chunk_size)
    fake_inside_real = np.zeros(len(fake), dtype=bool)
    real_inside_fake = np.zeros(len(real), dtype=bool)
    for start in range(0, len(real), chunk_size):
        distances = _squared_distances(real[start:start + chunk_size], fake)  # (chunk of reals, all fakes)
        fake_inside_real |= (distances <= real_radii[start:start + chunk_size, None]).any(axis=0)
        real_inside_fake[start:start + chunk_size] = (distances <= fake_radii[None, :]).any(axis=1)
    return float(fake_inside_real.mean()), float(real_inside_fake.mean())


def nearest_neighbours(features, reference_features, chunk_size=256):
    """Each row's nearest row of ``reference_features``; returns ``(distances, indices)``.

    Euclidean distances in feature space, float64 of shape (N,), and the index of the nearest
    reference row, int64 of shape (N,). The memorisation check of chapter 4 compares
    generated images' distances to the training set with held-out real images'. Works in
    chunks of ``chunk_size`` rows of ``features`` (a chunk against all references at once).
    Used in chapter 4.
    """
    queries = check_samples(features, "features", **FEATURES)
    reference = check_samples(reference_features, "reference_features", **FEATURES)
    if queries.shape[1] != reference.shape[1]:
        raise ValueError(f"features has {queries.shape[1]} dimensions but reference_features has "
                         f"{reference.shape[1]}; extract both with the same network.")
    chunk_size = check_positive_int(chunk_size, "chunk_size")
    distances = np.empty(len(queries))
    indices = np.empty(len(queries), dtype=np.int64)
    for start in range(0, len(queries), chunk_size):
        squared = _squared_distances(queries[start:start + chunk_size], reference)
        nearest = squared.argmin(axis=1)
        indices[start:start + chunk_size] = nearest
        distances[start:start + chunk_size] = np.sqrt(squared[np.arange(len(squared)), nearest])
    return distances, indices


# ---------------------------------------------------------------- toy-data measures
def mode_assignments(samples, mixture, num_std=3.0):
    """For each sample, the index of the nearest mode if it lies within ``num_std`` of that
    mode's standard deviations, else -1 (a low-quality sample). Used by ``high_quality_fraction`` and ``modes_covered``; used in chapter 6.
    """
    if not isinstance(mixture, GaussianMixture):
        raise TypeError(f"mixture must be a gan_utils.data.GaussianMixture, got {type(mixture).__name__}.")
    samples = check_samples(samples, "samples", ranks=(1, 2) if mixture.dim == 1 else (2,), shape=(mixture.dim,),
                            purpose="to match the mixture", require_float=False, dtype=np.float64)
    distances = np.sqrt(((samples[:, None, :] - mixture.means[None]) ** 2).sum(-1))  # (N, modes)
    nearest = distances.argmin(axis=1)
    close_enough = distances[np.arange(len(samples)), nearest] <= num_std * mixture.stds[nearest]
    return np.where(close_enough, nearest, -1)


def high_quality_fraction(samples, mixture, num_std=3.0):
    """Fraction of samples within ``num_std`` standard deviations of some mode.

    For a perfect 2-D sampler this is 1 - exp(-num_std^2 / 2), about 0.989 for 3 standard
    deviations (0.997 in 1-D). Introduced in chapter 3; used in chapter 6, the page GANs and
    diffusion at the same budget and the assignments.
    """
    return float((mode_assignments(samples, mixture, num_std) >= 0).mean())


def modes_covered(samples, mixture, num_std=3.0, min_fraction=0.01):
    """Number of modes that received at least ``min_fraction`` of all samples as high-quality
    samples (and at least one sample), so a few stray points do not count as a mode.

    Introduced in chapter 3; used in chapter 6, the page GANs and diffusion at the same budget
    and the assignments.
    """
    assignments = mode_assignments(samples, mixture, num_std)
    counts = np.bincount(assignments[assignments >= 0], minlength=mixture.num_modes)
    return int((counts >= max(1.0, min_fraction * len(assignments))).sum())


def _mixture_bin_masses(mixture, edges):
    """Exact probability of each histogram cell: isotropic Gaussians factorise over axes."""
    masses = 0.0
    for mean, std, weight in zip(mixture.means, mixture.stds, mixture.weights):
        per_axis = [np.diff(ndtr((axis_edges - m) / std)) for axis_edges, m in zip(edges, mean)]
        cell = per_axis[0] if len(per_axis) == 1 else np.outer(per_axis[0], per_axis[1])
        masses = masses + weight * cell
    return masses


def histogram_js_divergence(samples, reference, bins=50, value_range=None):
    """Jensen-Shannon divergence (natural log, so in [0, log 2]) between histograms.

    ``samples`` has shape (N,), (N, 1) or (N, 2). ``reference`` is another sample array of the
    same dimension, or a ``GaussianMixture`` whose exact density is integrated over the same
    bins. ``value_range`` is ``(low, high)`` (used for every axis) or one pair per axis; by
    default it spans the samples and the reference. Mass outside the range goes into one
    extra "outside" cell, so nothing is silently dropped. Introduced in chapter 1; used in
    chapters 3, 5 and 6.
    """
    points = dict(FEATURES, ranks=(1, 2), shape=[(1,), (2,)])  # N numbers, or N points in 1-D or 2-D
    samples = check_samples(samples, "samples", **points)
    dim = samples.shape[1]
    bins = check_positive_int(bins, "bins")
    if isinstance(reference, GaussianMixture):
        if reference.dim != dim:
            raise ValueError(f"samples are {dim}-D but the mixture is {reference.dim}-D.")
        reference_points = reference.means
        spread = 5 * reference.stds.max()
        reference_low, reference_high = reference_points.min(0) - spread, reference_points.max(0) + spread
    else:
        reference_points = check_samples(reference, "reference", **points)
        if reference_points.shape[1] != dim:
            raise ValueError(f"samples are {dim}-D but reference is {reference_points.shape[1]}-D.")
        reference_low, reference_high = reference_points.min(0), reference_points.max(0)
    if value_range is None:
        value_range = list(zip(np.minimum(samples.min(0), reference_low), np.maximum(samples.max(0), reference_high)))
    elif np.ndim(value_range) == 1:
        value_range = [tuple(value_range)] * dim
    if len(value_range) != dim or any(len(pair) != 2 or not pair[0] < pair[1] for pair in value_range):
        raise ValueError(f"value_range must be (low, high) with low < high, or one such pair per axis; got {value_range}.")
    edges = [np.linspace(low, high, bins + 1) for low, high in value_range]

    def with_outside_cell(inside, total):
        inside = inside.ravel()
        return np.append(inside, max(total - inside.sum(), 0.0)) / total

    p = with_outside_cell(np.histogramdd(samples, bins=edges)[0], len(samples))
    if isinstance(reference, GaussianMixture):
        q = with_outside_cell(_mixture_bin_masses(reference, edges), 1.0)
    else:
        q = with_outside_cell(np.histogramdd(reference_points, bins=edges)[0], len(reference_points))
    middle = (p + q) / 2

    def kl_to_middle(x):
        nonzero = x > 0
        return (x[nonzero] * np.log(x[nonzero] / middle[nonzero])).sum()

    return float(np.clip(0.5 * kl_to_middle(p) + 0.5 * kl_to_middle(q), 0.0, np.log(2)))


# ---------------------------------------------------------------- kernel distance (KID)
def _cubic_kernel(a, b):
    """The polynomial kernel of the KID, ``(a . b / d + 1)^3``."""
    return (a @ b.T / a.shape[1] + 1.0) ** 3


def unbiased_mmd2(features_a, features_b):
    """Unbiased estimate of the squared MMD between two feature sets under the cubic kernel.

    Within-set sums leave out each point's kernel with itself, so the estimate's expectation
    is the population MMD^2 whatever the sample sizes (it can be slightly negative when the
    sets come from the same distribution). Used by ``kernel_distance``.
    """
    a = check_samples(features_a, "features_a", min_count=2, purpose="for an unbiased estimate", **FEATURES)
    b = check_samples(features_b, "features_b", min_count=2, purpose="for an unbiased estimate", **FEATURES)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"features_a has {a.shape[1]} dimensions but features_b has {b.shape[1]}; "
                         "extract both with the same network.")
    m, n = len(a), len(b)
    k_aa, k_bb = _cubic_kernel(a, a), _cubic_kernel(b, b)
    within_a = (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
    within_b = (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
    return float(within_a + within_b - 2 * _cubic_kernel(a, b).mean())


def kernel_distance(features_a, features_b, num_blocks=10):
    """Kernel distance (KID, Binkowski et al., 2018) and its standard error: ``(kid, standard_error)``.

    Both sets are cut into ``num_blocks`` disjoint blocks (rows in order, so shuffle first if
    they are sorted); the KID is the mean of the blocks' unbiased MMD^2 and the standard error
    is their standard deviation over ``sqrt(num_blocks)``. Unlike the FID, the estimate has no
    bias that shrinks with the sample size. Introduced in GANs and diffusion at the same budget.
    """
    a = check_samples(features_a, "features_a", **FEATURES)
    b = check_samples(features_b, "features_b", **FEATURES)
    num_blocks = check_positive_int(num_blocks, "num_blocks")
    if num_blocks < 2 or min(len(a), len(b)) < 2 * num_blocks:
        raise ValueError(f"num_blocks={num_blocks} needs at least 2 blocks of at least 2 features each, "
                         f"got {len(a)} and {len(b)} features; pass more features or fewer blocks.")
    estimates = [unbiased_mmd2(block_a, block_b)
                 for block_a, block_b in zip(np.array_split(a, num_blocks), np.array_split(b, num_blocks))]
    return float(np.mean(estimates)), float(np.std(estimates, ddof=1) / np.sqrt(num_blocks))

