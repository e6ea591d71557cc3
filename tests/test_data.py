import gzip

import numpy as np
import pytest

from gan_utils import data


def test_fashion_mnist_offline_range_shape_and_labels():
    images, labels = data.load_images("fashion_mnist", "test", limit=500)
    assert images.shape == (500, 28, 28, 1) and images.dtype == np.float32
    assert images.min() == -1.0 and images.max() == 1.0
    assert labels.shape == (500,) and set(np.unique(labels)) <= set(range(10))
    assert len(np.unique(labels)) == 10


def test_digits_are_bundled_and_scaled():
    images, labels = data.load_images("digits", "train")
    assert images.shape == (1500, 8, 8, 1)
    assert -1.0 <= images.min() and images.max() <= 1.0


def test_class_filter_keeps_only_requested_labels():
    _, labels = data.load_images("fashion_mnist", "test", classes=[0, 7])
    assert set(np.unique(labels)) == {0, 7} and len(labels) == 2000


def test_unknown_dataset_name_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown dataset 'cifar'"):
        data.load_images("cifar")


def test_missing_dataset_file_names_both_ways_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setitem(data.SYSTEM_DATA_DIRS, "fashion_mnist", [tmp_path])
    monkeypatch.setenv("GAN_BOOK_OFFLINE", "1")
    with pytest.raises(FileNotFoundError) as error:
        data.load_images("fashion_mnist")
    assert "apt-get install dataset-fashion-mnist" in str(error.value)
    assert "keras.datasets.fashion_mnist" in str(error.value)


def test_idx_reader_matches_a_hand_made_file(tmp_path):
    pixels = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    header = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in pixels.shape)
    path = tmp_path / "x.gz"
    with gzip.open(path, "wb") as f:
        f.write(header + pixels.tobytes())
    np.testing.assert_array_equal(data._read_idx(path), pixels)


def test_to_unit_range_rejects_floats_instead_of_guessing():
    with pytest.raises(TypeError, match="uint8"):
        data.to_unit_range(np.zeros((2, 2), np.float32))
    np.testing.assert_allclose(data.to_unit_range(np.array([[0, 255]], np.uint8))[..., 0], [[-1, 1]])


def test_array_dataset_batches_images_and_rejects_bad_input():
    images = np.zeros((10, 28, 28, 1), np.float32)
    batches = list(data.array_dataset(images, batch_size=4))
    assert [b.shape[0] for b in batches] == [4, 4]
    with pytest.raises(ValueError, match="empty"):
        data.array_dataset(np.zeros((0, 28, 28, 1), np.float32))
    with pytest.raises(ValueError, match="fewer than one batch"):
        data.array_dataset(images, batch_size=64)
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        data.array_dataset(images * 0 + 255.0)
    with pytest.raises(ValueError, match="channels"):
        data.array_dataset(np.zeros((10, 28, 28), np.float32))
    with pytest.raises(TypeError, match="float32"):
        data.array_dataset(np.zeros((10, 28, 28, 1), np.uint8))


def test_mixture_density_integrates_to_one_and_matches_samples():
    mixture = data.gaussian_mixture_1d(means=(-2, 1), stds=(0.5, 0.3), weights=(0.3, 0.7))
    x = np.linspace(-8, 8, 20001)
    density = mixture.density(x)  # trapezoid rule by hand: np.trapezoid needs numpy 2
    assert float(np.sum((density[1:] + density[:-1]) / 2 * np.diff(x))) == pytest.approx(1.0, abs=1e-6)
    samples = mixture.sample(20000, seed=0)[:, 0]
    assert np.mean(samples < -0.5) == pytest.approx(0.3, abs=0.02)
    # Reference: scipy's normal pdf.
    from scipy.stats import norm

    expected = 0.3 * norm.pdf(0.2, -2, 0.5) + 0.7 * norm.pdf(0.2, 1, 0.3)
    assert mixture.density([0.2])[0] == pytest.approx(expected, rel=1e-10)


def test_ring_grid_and_roll_shapes():
    ring = data.ring_of_gaussians(8, radius=2.0)
    np.testing.assert_allclose(np.linalg.norm(ring.means, axis=1), 2.0)
    grid = data.grid_of_gaussians(5)
    assert grid.means.shape == (25, 2) and np.allclose(grid.means.mean(0), 0)
    roll = data.swiss_roll(100, seed=0)
    assert roll.shape == (100, 2) and roll.dtype == np.float32
    from scipy.stats import multivariate_normal

    point = np.array([[2.0, 0.01]])
    expected = sum(multivariate_normal.pdf(point[0], m, 0.02**2) for m in ring.means) / 8
    assert ring.density(point)[0] == pytest.approx(expected, rel=1e-8)


def test_mixture_rejects_bad_parameters():
    with pytest.raises(ValueError, match="positive"):
        data.gaussian_mixture_1d(stds=(0.5, 0.0))
    with pytest.raises(ValueError, match="summing to 1"):
        data.gaussian_mixture_1d(weights=(0.5, 0.6))


def test_array_dataset_takes_toy_samples_pairs_and_labels():
    points = np.arange(20, dtype=np.float32).reshape(10, 2)
    batches = list(data.array_dataset(points, batch_size=5, shuffle=False))
    assert len(batches) == 2 and np.array_equal(batches[0].numpy(), points[:5])
    pairs = list(data.array_dataset((points, -points), batch_size=5, shuffle=False))
    assert np.array_equal(pairs[1][1].numpy(), -points[5:])
    labelled = list(data.array_dataset(points, labels=np.arange(10), batch_size=10))
    assert sorted(labelled[0][1].numpy().tolist()) == list(range(10))
    with pytest.raises(ValueError, match=r"samples\[:, None\]"):
        data.array_dataset(np.zeros(10, np.float32))
    with pytest.raises(ValueError, match="different lengths"):
        data.array_dataset((points, points[:5]), batch_size=2)
    with pytest.raises(ValueError, match="labels must be 10 integers"):
        data.array_dataset(points, labels=np.zeros(10, np.float32), batch_size=2)
    with pytest.raises(TypeError, match="floating point"):
        data.array_dataset(np.zeros((10, 2), np.int64), batch_size=2)


def test_toy_distributions_reject_impossible_shapes():
    with pytest.raises(ValueError, match="num_modes must be an integer of at least 1, got 0"):
        data.ring_of_gaussians(num_modes=0)
    with pytest.raises(ValueError, match="radius must be positive"):
        data.ring_of_gaussians(radius=0.0)
    with pytest.raises(ValueError, match="size must be an integer of at least 1"):
        data.grid_of_gaussians(size=0)
    with pytest.raises(ValueError, match="at least one mean"):
        data.gaussian_mixture_1d(means=(), stds=())


def test_raw_images_are_uint8_with_labels_in_range():
    images, labels = data.load_images_uint8("fashion_mnist", "test")
    assert images.dtype == np.uint8 and images.shape == (10000, 28, 28) and images.max() > 200
    assert labels.shape == (10000,) and set(np.unique(labels)) == set(range(10))
    with pytest.raises(ValueError, match="Unknown split 'valid'"):
        data.load_images_uint8("fashion_mnist", "valid")


def test_load_images_rejects_classes_the_dataset_does_not_have():
    with pytest.raises(ValueError, match=r"classes must list labels of 'fashion_mnist', which are 0 to 9; got \[12\]"):
        data.load_images(classes=[12])
    with pytest.raises(ValueError, match="classes must list labels"):
        data.load_images(classes=[])
    images, labels = data.load_images(split="test", classes=[3, 7])
    assert set(np.unique(labels)) == {3, 7} and len(images) == len(labels)


@pytest.mark.parametrize("draw", [lambda n: data.ring_of_gaussians().sample(n), lambda n: data.swiss_roll(n)])
@pytest.mark.parametrize("n", [0, -5, 2.5])
def test_sampling_needs_a_positive_whole_number_of_samples(draw, n):
    with pytest.raises(ValueError, match="the number of samples n must be an integer of at least 1"):
        draw(n)


def test_array_dataset_names_the_part_of_paired_data_that_is_wrong():
    points = np.zeros((10, 2), np.float32)
    with pytest.raises(ValueError, match=r"samples\[1\] must lie in \[-1, 1\]"):
        data.array_dataset((np.zeros((10, 4, 4, 1), np.float32), np.full((10, 4, 4, 1), 255.0, np.float32)), batch_size=2)
    with pytest.raises(ValueError, match="batch_size must be an integer of at least 1, got 0"):
        data.array_dataset(points, batch_size=0)
    with pytest.raises(ValueError, match="samples contains 1 NaN or infinite values"):
        data.array_dataset(np.where(np.arange(20).reshape(10, 2) == 3, np.nan, points), batch_size=2)
