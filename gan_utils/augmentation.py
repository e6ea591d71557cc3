"""Differentiable data augmentation for GAN training: DiffAugment's translation and cutout."""
import keras
import tensorflow as tf


def diff_augment(images, seed=None, translation=0.125, cutout=0.5, background=-1.0):
    """DiffAugment's translation and cutout (Zhao et al., 2020), differentiable in ``images``.

    Each image of a batch (N, H, W, C) in [-1, 1] is shifted by up to ``translation`` of its
    size in each direction and gets one square of side ``cutout`` of its size blanked out
    (14 x 14 pixels of 28 x 28 by default, clipped where it reaches over the border);
    uncovered and blanked pixels take the ``background`` value (-1, Fashion-MNIST's black).
    Both are matrix products and masks, so gradients flow through them to the generator.
    ``seed`` is a ``keras.random.SeedGenerator`` (or an int, or None). Pass it as ``GAN``'s
    ``augment``: it then transforms real and fake images alike. Introduced in chapter 6.
    """
    images = tf.convert_to_tensor(images)
    if images.shape.rank != 4:
        raise ValueError(f"diff_augment takes a batch of images (N, H, W, C), got shape {images.shape}.")
    dtype = images.dtype
    x = tf.cast(images, tf.float32) - background       # the background becomes 0
    batch, height, width = tf.shape(x)[0], images.shape[1], images.shape[2]

    def shift_matrices(size, max_shift):
        # One (size x size) matrix per image that moves rows by an integer in [-max_shift, max_shift].
        shift = keras.random.randint((batch,), -max_shift, max_shift + 1, seed=seed)
        rows = tf.range(size)[None, :, None] - shift[:, None, None]
        return tf.cast(tf.equal(rows, tf.range(size)[None, None, :]), tf.float32)

    shift_y = shift_matrices(height, int(round(height * translation)))
    shift_x = shift_matrices(width, int(round(width * translation)))
    x = tf.einsum("bij,bjkc,blk->bilc", shift_y, x, shift_x)
    # As Zhao et al.'s rand_cutout: side = int(size * cutout + 0.5) (14 of 28), an offset in
    # [0, size + 1 - side % 2), and the square's rows (columns) from offset - side // 2 to
    # offset - side // 2 + side - 1, clipped at the border.
    side_y, side_x = int(height * cutout + 0.5), int(width * cutout + 0.5)
    if side_y and side_x:
        def inside(size, side):  # (N, size): which rows (or columns) of each image the square covers
            start = keras.random.randint((batch, 1), 0, size + 1 - side % 2, seed=seed) - side // 2
            index = tf.range(size)[None, :]
            return (index >= start) & (index < start + side)

        hole = tf.logical_and(inside(height, side_y)[:, :, None], inside(width, side_x)[:, None, :])
        x = x * tf.cast(~hole, tf.float32)[..., None]
    return tf.cast(x + background, dtype)
