import numpy as np
import pytest
import tensorflow as tf

from gan_utils import augmentation


def test_diff_augment_shifts_and_cuts_out_differentiably():
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, size=(6, 16, 16, 1)).astype("float32")
    # No translation, no cutout: the images come back unchanged.
    same = augmentation.diff_augment(images, seed=1, translation=0.0, cutout=0.0)
    np.testing.assert_allclose(same.numpy(), images, atol=1e-6)
    # Translation only: each output is its input shifted by at most 2 pixels, the uncovered
    # border filled with -1 (checked against NumPy shifts of every allowed size).
    shifted = augmentation.diff_augment(images, seed=2, translation=0.125, cutout=0.0).numpy()

    def numpy_shift(image, dy, dx):
        out = np.full_like(image, -1.0)
        h, w = image.shape[:2]
        out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            image[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
        return out

    for image, result in zip(images, shifted):
        assert any(np.allclose(numpy_shift(image, dy, dx), result, atol=1e-6)
                   for dy in range(-2, 3) for dx in range(-2, 3))
    # Cutout only: a square of exactly 14 x 14 pixels of a 28 x 28 image (Zhao et al.: int(28 * 0.5 + 0.5)),
    # clipped at the border, becomes -1; the rest is unchanged.
    ones = np.ones((64, 28, 28, 1), "float32")
    cut = augmentation.diff_augment(ones, seed=3, translation=0.0, cutout=0.5).numpy()[..., 0]
    assert set(np.unique(cut)) <= {-1.0, 1.0}
    inside = 0
    for image in cut:
        rows, columns = np.nonzero((image == -1.0).any(axis=1))[0], np.nonzero((image == -1.0).any(axis=0))[0]
        height, width = rows[-1] - rows[0] + 1, columns[-1] - columns[0] + 1
        assert (image == -1.0).sum() == height * width  # one rectangle
        for first, last, extent in ((rows[0], rows[-1], height), (columns[0], columns[-1], width)):
            assert extent == 14 if 0 < first and last < 27 else extent <= 14, (first, last, extent)
        inside += bool(0 < rows[0] and rows[-1] < 27 and 0 < columns[0] and columns[-1] < 27)
    assert inside >= 5  # holes that lie inside the image: exactly 14 * 14 = 196 pixels each, checked above
    # Differentiable: the gradient reaches the input images.
    x = tf.constant(images)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(augmentation.diff_augment(x, seed=4))
    assert float(tf.reduce_sum(tf.abs(tape.gradient(total, x)))) > 0
    with pytest.raises(ValueError, match="batch of images"):
        augmentation.diff_augment(images[0])
