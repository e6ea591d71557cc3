import numpy as np
import pytest

from gan_utils import checks, grading, models


def test_check_images_errors_say_what_and_how():
    good = np.zeros((2, 28, 28, 1), np.float32)
    assert checks.check_images(good, shape=(28, 28, 1)) is not None
    with pytest.raises(ValueError, match=r"images\[\.\.\., None\]"):
        checks.check_images(np.zeros((2, 28, 28), np.float32))
    with pytest.raises(ValueError, match=r"must have shape \(N, 28, 28, 1\)"):
        checks.check_images(np.zeros((2, 32, 32, 1), np.float32), shape=(28, 28, 1))
    with pytest.raises(TypeError, match="to_unit_range"):
        checks.check_images(np.zeros((2, 28, 28, 1), np.uint8))
    with pytest.raises(ValueError, match=r"127\.5"):
        checks.check_images(np.full((2, 28, 28, 1), 255.0, np.float32))
    with pytest.raises(ValueError, match="NaN"):
        checks.check_images(np.full((2, 28, 28, 1), np.nan, np.float32))


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


def reference(x):
    return np.log(x)


def test_compare_functions_one_sentence_per_kind_of_error():
    inputs = [(np.array([0.5, 0.9]),), (np.array([0.1]),)]
    assert grading.compare_functions(np.log, reference, inputs)
    with pytest.raises(AssertionError, match="opposite sign"):
        grading.compare_functions(lambda x: -np.log(x), reference, inputs)
    with pytest.raises(AssertionError, match="returned None"):
        grading.compare_functions(lambda x: None, reference, inputs)
    with pytest.raises(AssertionError, match=r"has shape \(\), expected \(2,\)"):
        grading.compare_functions(lambda x: np.log(x).mean(), reference, inputs)
    with pytest.raises(AssertionError, match="raised ZeroDivisionError"):
        grading.compare_functions(lambda x: 1 / 0, reference, inputs)
    with pytest.raises(AssertionError, match=r"at position \(0,\) got 0\.5, expected -0\.69"):
        grading.compare_functions(lambda x: x, reference, inputs)
    with pytest.raises(AssertionError, match="NaN"):
        grading.compare_functions(lambda x: np.log(x - 1), reference, inputs)


def test_gan_refuses_a_generator_that_does_not_fit_its_discriminator():
    from gan_utils.training import GAN

    generator = models.dcgan_generator(noise_dim=8, base_channels=4)
    GAN(generator, models.dcgan_discriminator(base_channels=4), noise_dim=8)
    wide = models.mlp_discriminator(input_dim=2)
    with pytest.raises(ValueError, match=r"the discriminator's input has shape \(2,\)"):
        GAN(generator, wide, noise_dim=8)
    with pytest.raises(ValueError, match="noise of size 8"):
        GAN(generator, models.dcgan_discriminator(base_channels=4), noise_dim=16)


def test_describe_difference_names_the_kind_of_error():
    reference = np.array([1.0, -2.0, 3.0])
    assert grading.describe_difference(reference + 1e-7, reference) is None
    assert "shape (2,), expected (3,)" in grading.describe_difference(reference[:2], reference)
    assert "opposite sign" in grading.describe_difference(-reference, reference)
    assert "NaN or infinite" in grading.describe_difference(np.array([1.0, np.inf, 3.0]), reference)
    message = grading.describe_difference(np.array([1.0, -2.0, 3.5]), reference, what="the loss")
    assert message.startswith("the loss differs") and "position (2,)" in message and "got 3.5" in message
