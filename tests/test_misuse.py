"""Mistakes a student plausibly makes with the library's public functions get a clear error.

Each case is one call a reader could write; the error must say what was wrong and how to fix
it. (Misuse that the training loop catches, such as images in [0, 255] or a batch size that
does not split into k discriminator steps, is tested in test_training.py.)
"""
import numpy as np
import pytest

from gan_utils import data


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
