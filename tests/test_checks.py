"""gan_utils.checks: every check says what was wrong and how to fix it."""
import numpy as np
import pytest
import tensorflow as tf

from gan_utils import checks, models


def test_check_samples_takes_points_and_images_and_returns_them_as_asked():
    points = np.arange(6, dtype=np.float64).reshape(3, 2)
    checked = checks.check_samples(points)
    assert checked.dtype == np.float32 and checked.shape == (3, 2)
    images = np.zeros((2, 8, 8, 1), np.float32)
    assert checks.check_samples(tf.constant(images)).shape == (2, 8, 8, 1)  # a tensor is read as an array
    numbers = checks.check_samples([1, 2, 3], ranks=(1, 2), require_float=False, dtype=np.float64)
    assert numbers.shape == (3, 1) and numbers.dtype == np.float64  # N numbers are N points in 1-D
    assert checks.check_samples(points, shape=[(1,), (2,)]).shape == (3, 2)


@pytest.mark.parametrize("call, error, message", [
    # the wrong form, with the fix for the two usual slips
    (lambda: checks.check_samples(np.zeros(5, np.float32)), ValueError,
     r"samples must have shape \(N, features\) or \(N, height, width, channels\), got shape \(5,\); "
     r"for one number per sample use samples\[:, None\]"),
    (lambda: checks.check_samples(np.zeros((2, 8, 8), np.float32), "real"), ValueError,
     r"add a channel axis with real\[\.\.\., None\]"),
    (lambda: checks.check_samples(np.zeros((4, 3)), shape=(2,), purpose="to match the mixture"), ValueError,
     r"samples must have shape \(N, 2\) to match the mixture, got shape \(4, 3\)"),
    (lambda: checks.check_samples(np.zeros((4, 3)), ranks=(1, 2), shape=[(1,), (2,)]), ValueError,
     r"must have shape \(N,\), \(N, 1\) or \(N, 2\)"),
    # integers are usually uint8 pixels
    (lambda: checks.check_samples(np.zeros((2, 8, 8, 1), np.uint8)), TypeError,
     r"samples must be floating point, got dtype uint8; convert uint8 pixels with gan_utils\.data\.to_unit_range"),
    (lambda: checks.check_samples(np.zeros((4, 2), np.int64)), TypeError, r"\.astype\('float32'\)"),
    (lambda: checks.check_samples(np.zeros((4, 2), bool), require_float=False), TypeError, "must be numbers"),
    # too few
    (lambda: checks.check_samples(np.zeros((0, 2), np.float32)), ValueError, "samples is empty; at least 1 is needed"),
    (lambda: checks.check_samples(np.zeros((1, 2)), "features_a", min_count=2, purpose="to fit a covariance"),
     ValueError, r"features_a has 1 sample\(s\); at least 2 are needed to fit a covariance"),
    # broken values
    (lambda: checks.check_samples(np.array([[0.0, np.nan], [np.inf, 1.0]])), ValueError,
     "samples contains 2 NaN or infinite values .*lower the learning rates"),
    (lambda: checks.check_samples(np.full((2, 8, 8, 1), 255.0, np.float32), "real"), ValueError,
     r"real must lie in \[-1, 1\] .* but span \[255, 255\]; scale pixels with x / 127\.5 - 1 \(gan_utils\.data\.to_unit_range"),
])
def test_check_samples_says_what_is_wrong_and_how_to_fix_it(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_points_may_span_anything_images_may_not():
    assert checks.check_samples(np.full((3, 2), 255.0)).max() == 255.0  # toy data: any range
    with pytest.raises(ValueError, match=r"must lie in \[-1, 1\]"):
        checks.check_samples(np.full((3, 4, 4, 1), -1.5))


def test_check_images_errors_say_what_and_how():
    good = np.zeros((2, 28, 28, 1), np.float32)
    assert checks.check_images(good, shape=(28, 28, 1)) is not None
    with pytest.raises(ValueError, match=r"images\[\.\.\., None\]"):
        checks.check_images(np.zeros((2, 28, 28), np.float32))
    with pytest.raises(ValueError, match=r"must have shape \(N, 28, 28, 1\)"):
        checks.check_images(np.zeros((2, 32, 32, 1), np.float32), shape=(28, 28, 1))
    with pytest.raises(ValueError, match=r"must have shape \(N, height, width, channels\)"):
        checks.check_images(np.zeros((2, 4), np.float32))  # points are not images
    with pytest.raises(TypeError, match="to_unit_range"):
        checks.check_images(np.zeros((2, 28, 28, 1), np.uint8))
    with pytest.raises(ValueError, match=r"127\.5"):
        checks.check_images(np.full((2, 28, 28, 1), 255.0, np.float32))
    with pytest.raises(ValueError, match="NaN"):
        checks.check_images(np.full((2, 28, 28, 1), np.nan, np.float32))


def test_check_labels():
    np.testing.assert_array_equal(checks.check_labels([0, 3, 1], 3), [0, 3, 1])
    with pytest.raises(ValueError, match=r"labels must be 3 integers, one class label per sample \(shape \(3,\)\), "
                                         r"got float32 of shape \(3,\)"):
        checks.check_labels(np.zeros(3, np.float32), 3)
    with pytest.raises(ValueError, match=r"real's labels must be 3 integers.*of shape \(2,\)"):
        checks.check_labels(np.zeros(2, np.int64), 3, "real's labels")


def test_generator_that_does_not_match_the_data():
    generator = models.dcgan_generator(noise_dim=8, base_channels=4)
    checks.check_generator_matches(generator, (28, 28, 1), 8)
    with pytest.raises(ValueError, match=r"shape \(28, 28, 1\) but the data has shape \(32, 32, 1\)"):
        checks.check_generator_matches(generator, (32, 32, 1), 8)
    with pytest.raises(ValueError, match="noise of size 8"):
        checks.check_generator_matches(generator, (28, 28, 1), 16)


def test_positive_int():
    assert checks.check_positive_int(3, "k") == 3
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="k must be an integer of at least 1"):
            checks.check_positive_int(bad, "k")


def test_gan_refuses_a_generator_that_does_not_fit_its_discriminator():
    from gan_utils.training import GAN

    generator = models.dcgan_generator(noise_dim=8, base_channels=4)
    GAN(generator, models.dcgan_discriminator(base_channels=4), noise_dim=8)
    wide = models.mlp_discriminator(input_dim=2)
    with pytest.raises(ValueError, match=r"the discriminator's input has shape \(2,\)"):
        GAN(generator, wide, noise_dim=8)
    with pytest.raises(ValueError, match="noise of size 8"):
        GAN(generator, models.dcgan_discriminator(base_channels=4), noise_dim=16)
