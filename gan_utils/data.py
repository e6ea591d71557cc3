"""Data for the GANs: real images (local copies first), toy distributions with known densities,
and ``array_dataset``, the ``tf.data`` pipeline that feeds arrays of either to ``fit()``.

Images come back as float32 in [-1, 1] (the range of a tanh generator), shape (28, 28, 1).
Introduced in chapter 1 (toy data) and chapter 4 (images).
"""
import gzip
import os
from pathlib import Path

import numpy as np
import tensorflow as tf

from .checks import check_labels, check_positive_int, check_samples

# Debian's dataset-fashion-mnist package installs the original gzipped IDX files here.
SYSTEM_DATA_DIRS = {
    "fashion_mnist": [Path("/usr/share/datasets/fashion-mnist")],
    "mnist": [Path("/usr/share/datasets/mnist")],
}
IDX_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
IMAGE_DATASETS = ("fashion_mnist", "mnist", "digits")

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)


def _read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def _data_dirs(name):
    dirs = []
    if os.environ.get("GAN_BOOK_DATA"):
        dirs.append(Path(os.environ["GAN_BOOK_DATA"]) / name.replace("_", "-"))
    return dirs + SYSTEM_DATA_DIRS.get(name, [])


def _keras_download_allowed():
    # Tests and CI must never download: the test runner sets this variable.
    return os.environ.get("GAN_BOOK_OFFLINE", "0") != "1"


def load_images_uint8(name="fashion_mnist", split="train"):
    """Return ``(images, labels)`` as uint8 arrays (N, H, W) and (N,).

    Looks for local files first (Debian packages, or ``$GAN_BOOK_DATA``), then lets Keras
    download them (Colab, laptops). ``"digits"`` is scikit-learn's bundled 8x8 set.
    Used by ``load_images`` and the assignments.
    """
    if name not in IMAGE_DATASETS:
        raise ValueError(f"Unknown dataset {name!r}; choose one of {IMAGE_DATASETS}.")
    if split not in IDX_FILES:
        raise ValueError(f"Unknown split {split!r}; choose 'train' or 'test'.")
    if name == "digits":
        from sklearn.datasets import load_digits

        digits = load_digits()
        images = np.round(digits.images * (255.0 / 16.0)).astype(np.uint8)
        # A fixed, documented split: the first 1,500 for training, the rest for testing.
        cut = 1500
        sl = slice(0, cut) if split == "train" else slice(cut, None)
        return images[sl], digits.target[sl].astype(np.int64)
    image_file, label_file = IDX_FILES[split]
    for directory in _data_dirs(name):
        if (directory / image_file).exists() and (directory / label_file).exists():
            return _read_idx(directory / image_file), _read_idx(directory / label_file).astype(np.int64)
    if _keras_download_allowed():
        try:
            import keras

            loader = {"fashion_mnist": keras.datasets.fashion_mnist, "mnist": keras.datasets.mnist}[name]
            (x_train, y_train), (x_test, y_test) = loader.load_data()
            return (x_train, y_train.astype(np.int64)) if split == "train" else (x_test, y_test.astype(np.int64))
        except Exception as error:  # no network, blocked host, ...
            download_error = error
    else:
        download_error = "downloads are disabled (GAN_BOOK_OFFLINE=1)"
    searched = ", ".join(str(d) for d in _data_dirs(name))
    package = "dataset-fashion-mnist" if name == "fashion_mnist" else "(no Debian package; use Keras)"
    raise FileNotFoundError(
        f"No copy of {name!r} found (looked in: {searched}) and the Keras download failed: "
        f"{download_error}. Either install it locally (Debian/Ubuntu: "
        f"`sudo apt-get install {package}`, or put the four .gz files in $GAN_BOOK_DATA/"
        f"{name.replace('_', '-')}/), or run where Keras can download it "
        f"(`keras.datasets.{name}.load_data()`)."
    )


def to_unit_range(images_uint8):
    """Map uint8 pixels [0, 255] to float32 [-1, 1] with a trailing channel axis.

    Used by ``load_images``; used in the appendix Bugs that tutorials ship.
    """
    images = np.asarray(images_uint8)
    if images.dtype != np.uint8:
        raise TypeError(f"Expected uint8 pixels in [0, 255], got dtype {images.dtype}.")
    return (images.astype(np.float32) / 127.5 - 1.0)[..., None]


def load_images(name="fashion_mnist", split="train", limit=None, classes=None):
    """Return ``(images, labels)`` with images float32 in [-1, 1], shape (N, H, W, 1).

    ``limit`` keeps the first N examples; ``classes`` keeps only the listed labels.
    Introduced in A GAN in one cell; used in chapters 4, 5 and 6, the page GANs and diffusion at
    the same budget, the appendix Bugs that tutorials ship and the assignments.
    """
    images, labels = load_images_uint8(name, split)
    if classes is not None:
        known = np.unique(labels)
        unknown = sorted(set(np.asarray(classes, dtype=np.int64).ravel().tolist()) - set(known.tolist()))
        if unknown or np.size(classes) == 0:
            raise ValueError(f"classes must list labels of {name!r}, which are {known.min()} to {known.max()}; "
                             f"got {np.ravel(classes).tolist()}.")
        keep = np.isin(labels, np.asarray(classes))
        images, labels = images[keep], labels[keep]
    if limit is not None:
        if limit < 1:
            raise ValueError(f"limit must be a positive number of examples, got {limit}.")
        images, labels = images[:limit], labels[:limit]
    return to_unit_range(images), labels


def array_dataset(samples, labels=None, batch_size=128, shuffle=True, seed=0, drop_remainder=True):
    """A cached, shuffled, batched, prefetched ``tf.data`` pipeline over arrays that feed a GAN.

    ``samples`` is one array of N samples, (N, features) or images (N, 28, 28, 1) in [-1, 1]
    (checked), or a tuple of such arrays of the same length (paired data, e.g. pix2pix
    inputs and targets). With ``labels`` (N integers) it yields ``(samples, labels)``
    batches. Add ``.repeat()`` for an endless stream. Introduced in chapter 3; used in
    chapters 4, 5 and 6, the page GANs and diffusion at the same budget, the appendix Bugs that
    tutorials ship and the assignments.
    """
    parts = samples if isinstance(samples, tuple) else (samples,)
    parts = tuple(check_samples(part, f"samples[{index}]" if len(parts) > 1 else "samples")
                  for index, part in enumerate(parts))
    count = len(parts[0])
    if any(len(part) != count for part in parts):
        raise ValueError(f"The arrays of samples have different lengths {[len(part) for part in parts]}.")
    batch_size = check_positive_int(batch_size, "batch_size")
    if drop_remainder and count < batch_size:
        raise ValueError(
            f"The dataset has {count} examples, fewer than one batch of {batch_size}; "
            "lower batch_size or pass more data."
        )
    tensors = parts if len(parts) > 1 else parts[0]
    if labels is not None:
        tensors = (tensors, check_labels(labels, count).astype(np.int32))
    dataset = tf.data.Dataset.from_tensor_slices(tensors).cache()
    if shuffle:
        dataset = dataset.shuffle(count, seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


# ---------------------------------------------------------------- toy distributions
class GaussianMixture:
    """A mixture of isotropic Gaussians in d dimensions with an exact density.

    Used by ``gaussian_mixture_1d``, ``ring_of_gaussians`` and ``grid_of_gaussians``, which return it.
    """

    def __init__(self, means, stds, weights=None):
        self.means = np.atleast_2d(np.asarray(means, dtype=np.float64))
        if self.means.shape[0] == 1 and np.ndim(means) == 1:
            self.means = self.means.T  # a list of 1-D means
        k, self.dim = self.means.shape
        if k == 0 or self.dim == 0:
            raise ValueError(f"A mixture needs at least one mean of at least one dimension, got shape {self.means.shape}.")
        if not np.all(np.isfinite(self.means)):
            raise ValueError("Every mean must be a finite number.")
        self.stds = np.broadcast_to(np.asarray(stds, dtype=np.float64), (k,)).copy()
        self.weights = np.full(k, 1.0 / k) if weights is None else np.asarray(weights, dtype=np.float64)
        if np.any(self.stds <= 0):
            raise ValueError("Every standard deviation must be positive.")
        if self.weights.shape != (k,) or np.any(self.weights < 0) or not np.isclose(self.weights.sum(), 1):
            raise ValueError(f"weights must be {k} non-negative numbers summing to 1, got {self.weights}.")

    @property
    def num_modes(self):
        return len(self.means)

    def sample(self, n, seed=None):
        """Draw ``n`` samples as float32 of shape (n, dim)."""
        check_positive_int(n, "the number of samples n")
        rng = np.random.default_rng(seed)
        component = rng.choice(self.num_modes, size=n, p=self.weights)
        noise = rng.standard_normal((n, self.dim)) * self.stds[component, None]
        return (self.means[component] + noise).astype(np.float32)

    def density(self, x):
        """Exact probability density at points ``x`` of shape (n, dim) (or (n,) in 1-D)."""
        x = np.asarray(x, dtype=np.float64).reshape(-1, self.dim)
        sq = ((x[:, None, :] - self.means[None]) ** 2).sum(-1)
        norm = (2 * np.pi * self.stds**2) ** (-self.dim / 2)
        return (self.weights * norm * np.exp(-sq / (2 * self.stds**2))).sum(-1)


def gaussian_mixture_1d(means=(-2.0, 2.0), stds=(0.5, 0.5), weights=None):
    """A 1-D Gaussian mixture. Introduced in chapter 1; used in chapters 2 and 6 and the assignments."""
    return GaussianMixture(np.asarray(means, dtype=np.float64)[:, None], stds, weights)


def ring_of_gaussians(num_modes=8, radius=2.0, std=0.02):
    """``num_modes`` Gaussians evenly spaced on a circle.

    Introduced in chapter 3; used in the page GANs and diffusion at the same budget and the
    assignments.
    """
    check_positive_int(num_modes, "num_modes")
    if not radius > 0:
        raise ValueError(f"radius must be positive, got {radius!r}.")
    angles = 2 * np.pi * np.arange(num_modes) / num_modes
    return GaussianMixture(radius * np.stack([np.cos(angles), np.sin(angles)], 1), std)


def grid_of_gaussians(size=5, spacing=2.0, std=0.05):
    """A ``size`` x ``size`` grid of Gaussians centred on the origin. Introduced in chapter 3; used in chapter 6."""
    check_positive_int(size, "size")
    ticks = (np.arange(size) - (size - 1) / 2) * spacing
    return GaussianMixture(np.array([(a, b) for a in ticks for b in ticks]), std)


def swiss_roll(n, noise=0.05, seed=None):
    """Samples of a 2-D swiss roll, scaled to about [-1.5, 1.5] (no closed-form density).

    Introduced in chapter 3 (exercise ch3-ex-swiss-roll).
    """
    check_positive_int(n, "the number of samples n")
    rng = np.random.default_rng(seed)
    t = 1.5 * np.pi * (1 + 2 * rng.random(n))
    points = np.stack([t * np.cos(t), t * np.sin(t)], 1) / 10.0
    return (points + noise * rng.standard_normal((n, 2))).astype(np.float32)
