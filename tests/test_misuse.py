"""Mistakes a student plausibly makes with the library's public functions get a clear error.

Each case is one call a reader could write; the error must say what was wrong and how to fix
it. (Misuse that the training loop catches, such as images in [0, 255] or a batch size that
does not split into k discriminator steps, is tested in test_training.py.)
"""
import numpy as np
import pytest

from gan_utils import callbacks, data, models, plotting, training


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


@pytest.mark.parametrize("build, message", [
    (lambda: models.mlp_generator(noise_dim=0, output_dim=2), "noise_dim must be an integer of at least 1, got 0"),
    (lambda: models.mlp_generator(noise_dim=4, output_dim=0), "output_dim must be an integer of at least 1"),
    (lambda: models.mlp_generator(noise_dim=4, output_dim=2, hidden_units=64), r"hidden_units must be a tuple of layer widths such as \(64, 64\)"),
    (lambda: models.mlp_discriminator(input_dim=2, hidden_units=(64, 0)), "hidden_units must be a tuple"),
    (lambda: models.mlp_discriminator(input_dim=2.0), "input_dim must be an integer"),
    (lambda: models.dcgan_generator(noise_dim=0), "noise_dim must be an integer"),
    (lambda: models.dcgan_discriminator(image_shape=(28, 28)), r"image_shape must be \(height, width, channels\)"),
])
def test_model_builders_reject_impossible_sizes(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_mlp_with_no_hidden_layers_is_allowed():
    assert len(models.mlp_generator(noise_dim=2, output_dim=1, hidden_units=()).layers) == 2


def test_image_grid_refuses_pixels_outside_minus_one_to_one_instead_of_clipping_them():
    pixels = np.random.default_rng(0).integers(0, 256, size=(4, 28, 28, 1)).astype(np.float32)
    with pytest.raises(ValueError, match=r"images must lie in \[-1, 1\].*x / 127.5 - 1"):
        plotting.image_grid(pixels)
    with pytest.raises(ValueError, match=r"images must lie in \[-1, 1\]"):
        plotting.image_grid(np.full((2, 8, 8, 1), np.nan, np.float32))
    figure = plotting.image_grid(pixels / 127.5 - 1)
    assert len(figure.axes) == 4


def test_recorder_needs_a_function():
    with pytest.raises(TypeError, match=r"Recorder needs a function of the model to record"):
        callbacks.Recorder(5)
