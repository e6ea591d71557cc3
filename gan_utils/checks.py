"""Input validation: each check raises, where the user called, an error that says what was wrong
and how to fix it.

``check_samples`` is the one check of arrays of samples (points or images) that the data
pipeline, the metrics, the feature classifier and the training monitor share;
``check_images`` is its form for images (introduced in chapter 4).
"""
import numpy as np

SAMPLE_FORMS = {1: "(N,)", 2: "(N, features)", 4: "(N, height, width, channels)"}
"""Array rank -> how a message names that form of N samples."""


def _shape_text(sample_shape):
    return f"(N, {', '.join(map(str, sample_shape))})"


def check_samples(samples, name="samples", ranks=(2, 4), shape=None, min_count=1, purpose="",
                  require_float=True, dtype=np.float32):
    """Return ``samples`` as a ``dtype`` array, or raise an error that says what is wrong and how to fix it.

    Samples are N points ``(N, features)`` or N images ``(N, height, width, channels)``; they
    must be finite, and images must lie in [-1, 1], the range of a tanh generator. ``ranks``
    lists the forms the caller takes (rank 1: N single numbers, returned as ``(N, 1)``);
    ``shape`` fixes one sample's shape, or lists the shapes allowed; ``min_count`` is the
    fewest samples, and ``purpose`` (e.g. ``"to fit a covariance"``) says in the message why
    the shape or count is needed. With ``require_float`` integers are refused, since integer
    samples for a network are usually uint8 pixels; the metrics of points accept them.
    Used by ``check_images``, ``array_dataset``, ``frechet_distance``, ``precision_recall``,
    ``nearest_neighbours``, ``mode_assignments``, ``histogram_js_divergence`` and ``TrainingMonitor``.
    """
    array = np.asarray(samples.numpy() if hasattr(samples, "numpy") else samples)
    given = array.shape
    because = f" {purpose}" if purpose else ""
    shapes = None
    if shape is not None:
        shapes = [tuple(s) for s in shape] if isinstance(shape[0], (tuple, list)) else [tuple(shape)]
    forms = ([SAMPLE_FORMS[1]] if 1 in ranks else []) + (
        [SAMPLE_FORMS[rank] for rank in ranks if rank != 1] if shapes is None else [_shape_text(s) for s in shapes])
    allowed = ", ".join(forms[:-1]) + (" or " if len(forms) > 1 else "") + forms[-1]
    if array.ndim == 1 and 1 in ranks:
        array = array[:, None]
    elif array.ndim not in ranks:
        hint = ""
        if array.ndim == 1 and 2 in ranks:
            hint = f"; for one number per sample use {name}[:, None]"
        elif array.ndim == 3 and 4 in ranks:
            hint = f"; add a channel axis with {name}[..., None] if they are grey-scale"
        raise ValueError(f"{name} must have shape {allowed}{because}, got shape {given}{hint}.")
    if shapes is not None and array.shape[1:] not in shapes:
        raise ValueError(f"{name} must have shape {allowed}{because}, got shape {given}.")
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number) or (
            require_float and not np.issubdtype(array.dtype, np.floating)):
        kind = "floating point" if require_float else "numbers"
        raise TypeError(f"{name} must be {kind}, got dtype {array.dtype}; convert uint8 pixels with "
                        "gan_utils.data.to_unit_range and other numbers with .astype('float32').")
    if len(array) < min_count:
        count = f"{name} is empty" if len(array) == 0 else f"{name} has {len(array)} sample(s)"
        raise ValueError(f"{count}; at least {min_count} {'is' if min_count == 1 else 'are'} needed{because}.")
    broken = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
    if broken:
        raise ValueError(f"{name} contains {broken} NaN or infinite values (generated samples do when "
                         "training diverged: lower the learning rates).")
    if array.ndim == 4:
        low, high = float(array.min()), float(array.max())
        if low < -1.0 - 1e-6 or high > 1.0 + 1e-6:
            raise ValueError(
                f"{name} must lie in [-1, 1] (the range of a tanh generator) but span [{low:.3g}, {high:.3g}]; "
                "scale pixels with x / 127.5 - 1 (gan_utils.data.to_unit_range does it for uint8 pixels).")
    return array.astype(dtype, copy=False)


def check_images(images, shape=None, name="images"):
    """Return ``images`` as float32 ``(N, H, W, C)`` in [-1, 1], or raise an error that says how to fix them.

    ``shape`` optionally fixes (H, W, C). Nothing is clipped or reshaped for you: ``check_samples``
    for images only. Introduced in chapter 4; used in the appendix Bugs that tutorials ship.
    """
    return check_samples(images, name, ranks=(4,), shape=shape)


def check_labels(labels, count, name="labels"):
    """Return ``labels`` as an integer array of shape ``(count,)`` (one class per sample), or raise.

    Used by ``array_dataset`` and ``TrainingMonitor``.
    """
    array = np.asarray(labels.numpy() if hasattr(labels, "numpy") else labels)
    if array.shape != (count,) or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must be {count} integers, one class label per sample (shape ({count},)), "
                         f"got {array.dtype} of shape {array.shape}.")
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
