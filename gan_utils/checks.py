"""Input validation with clear messages, and checks that compare a student's code with ours.

Validation is introduced in chapter 4; the comparison helpers serve the assignments.
"""
import numpy as np


def check_images(images, shape=None, name="images"):
    """Raise a clear error unless ``images`` is float32 (N, H, W, C) with values in [-1, 1].

    ``shape`` optionally fixes (H, W, C). Nothing is clipped or reshaped for you.
    Introduced in chapter 4.
    """
    array = np.asarray(images) if not hasattr(images, "numpy") else images.numpy()
    if array.ndim != 4:
        raise ValueError(
            f"{name} must have shape (N, height, width, channels), got shape {array.shape}; "
            "add a channel axis with images[..., None] if they are grey-scale."
        )
    if shape is not None and tuple(array.shape[1:]) != tuple(shape):
        raise ValueError(f"{name} must have shape (N, {', '.join(map(str, shape))}), got {array.shape}.")
    if array.dtype != np.float32:
        raise TypeError(
            f"{name} must be float32 in [-1, 1], got dtype {array.dtype}; "
            "convert uint8 pixels with gan_utils.data.to_unit_range."
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty: there must be at least one image.")
    low, high = float(array.min()), float(array.max())
    if not np.isfinite(low) or not np.isfinite(high):
        raise ValueError(f"{name} contains NaN or infinite values.")
    if low < -1.0 - 1e-6 or high > 1.0 + 1e-6:
        raise ValueError(
            f"{name} must lie in [-1, 1] (the range of a tanh generator) but span [{low:.3g}, {high:.3g}]; "
            "scale pixels with x / 127.5 - 1."
        )
    return array


def check_generator_matches(generator, data_shape, noise_dim, what="the data"):
    """Raise unless ``generator`` maps (batch, noise_dim) noise to (batch, *data_shape).

    Used by ``GAN``, with the discriminator's input shape.
    """
    output_shape = tuple(generator.output_shape[1:])
    if output_shape != tuple(data_shape):
        raise ValueError(
            f"The generator makes samples of shape {output_shape} but {what} has shape "
            f"{tuple(data_shape)}; change the generator's last layers so the two agree."
        )
    input_shape = generator.input_shape
    if isinstance(input_shape, list):
        input_shape = input_shape[0]
    if input_shape[-1] != noise_dim:
        raise ValueError(f"The generator takes noise of size {input_shape[-1]}, but noise_dim={noise_dim}.")


def check_positive_int(value, name):
    """Raise unless ``value`` is an integer of at least 1. Used by ``GAN`` (``k`` in Algorithm 1) and ``precision_recall``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer of at least 1, got {value!r}.")
    return int(value)
