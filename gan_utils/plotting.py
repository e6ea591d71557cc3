"""Plots for the chapters; every function returns the matplotlib Figure (nothing is shown).

Discriminators output logits, so "D(x)" on these plots is ``sigmoid(logit)``.
"""
import io

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import animation


def _as_images(images):
    array = np.asarray(images.numpy() if hasattr(images, "numpy") else images, dtype=np.float32)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3:
        raise ValueError(f"images must have shape (N, H, W, 1) or (N, H, W), got shape {array.shape}.")
    return array


def image_grid(images, num_columns=None, row_labels=None, title=None, cell_size=1.0):
    """Grey-scale images in [-1, 1] as a grid; ``row_labels`` name each row. Introduced in chapter 4."""
    array = _as_images(images)
    count = len(array)
    num_columns = num_columns or int(np.ceil(np.sqrt(count)))
    num_rows = int(np.ceil(count / num_columns))
    figure, axes = plt.subplots(num_rows, num_columns, squeeze=False,
                                figsize=(cell_size * num_columns + (1.2 if row_labels else 0), cell_size * num_rows))
    for index, axis in enumerate(axes.flat):
        axis.set_xticks([])
        axis.set_yticks([])
        axis.spines[:].set_visible(False)
        if index < count:
            axis.imshow((array[index] + 1) / 2, cmap="gray", vmin=0, vmax=1)
    for row, label in enumerate(row_labels or []):
        axes[row, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def images_to_array_grid(images, num_columns):
    """Tile images in [-1, 1] into one uint8 array (for GIF frames). Introduced in chapter 4."""
    array = _as_images(images)
    count, height, width = array.shape
    num_rows = int(np.ceil(count / num_columns))
    canvas = np.zeros((num_rows * height, num_columns * width), np.uint8)
    for index, image in enumerate(array):
        row, column = divmod(index, num_columns)
        canvas[row * height:(row + 1) * height, column * width:(column + 1) * width] = np.round(
            (np.clip(image, -1, 1) + 1) * 127.5).astype(np.uint8)
    return canvas


def save_gif(frames, path, seconds_per_frame=0.5, num_columns=None):
    """Write an animated GIF from image batches or Figures; returns ``path``. Introduced in chapter 4."""
    from PIL import Image

    pictures = []
    for frame in frames:
        if isinstance(frame, plt.Figure):
            buffer = io.BytesIO()
            frame.savefig(buffer, format="png")
            pictures.append(Image.open(buffer).convert("RGB"))
        else:
            columns = num_columns or int(np.ceil(np.sqrt(len(_as_images(frame)))))
            pictures.append(Image.fromarray(images_to_array_grid(frame, columns)))
    if not pictures:
        raise ValueError("save_gif needs at least one frame.")
    pictures[0].save(path, save_all=True, append_images=pictures[1:], loop=0,
                     duration=int(seconds_per_frame * 1000))
    return path


def _sigmoid_of(discriminator, points):
    logits = np.asarray(discriminator(points.astype(np.float32), training=False)).reshape(-1)
    return 1 / (1 + np.exp(-logits))


def plot_1d(samples, mixture=None, discriminator=None, value_range=(-6, 6), bins=80,
            real_samples=None, title=None):
    """Histogram of 1-D samples, the data density, and D(x) on a second axis. Introduced in chapter 1."""
    figure, axis = plt.subplots(figsize=(7, 3.5))
    edges = np.linspace(*value_range, bins + 1)
    if real_samples is not None:
        axis.hist(np.ravel(real_samples), edges, density=True, alpha=0.35, color="C0", label="real samples")
    axis.hist(np.ravel(samples), edges, density=True, alpha=0.6, color="C1", label="generated")
    xs = np.linspace(*value_range, 400)
    if mixture is not None:
        axis.plot(xs, mixture.density(xs), color="C0", lw=2, label="data density")
    axis.set(xlabel="x", ylabel="density", title=title)
    handles, labels = axis.get_legend_handles_labels()
    if discriminator is not None:
        twin = axis.twinx()
        twin.plot(xs, _sigmoid_of(discriminator, xs[:, None]), color="C2", ls="--", label="D(x)")
        twin.set(ylim=(0, 1), ylabel="D(x)")
        more_handles, more_labels = twin.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    axis.legend(handles, labels, loc="upper left", fontsize=8)
    figure.tight_layout()
    return figure


def discriminator_surface(discriminator, value_range=((-3, 3), (-3, 3)), grid_size=100):
    """D(x) = sigmoid(logit) on a grid: ``(xs, ys, values)``. Introduced in chapter 3."""
    xs = np.linspace(*value_range[0], grid_size)
    ys = np.linspace(*value_range[1], grid_size)
    grid = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
    return xs, ys, _sigmoid_of(discriminator, grid).reshape(grid_size, grid_size)


def _draw_2d(axis, samples, real_samples, surface, value_range):
    artists = []
    if surface is not None:
        xs, ys, values = surface
        artists.append(axis.contourf(xs, ys, values, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6))
    if real_samples is not None:
        axis.scatter(*np.asarray(real_samples).T, s=3, color="k", alpha=0.4, label="real")
    axis.scatter(*np.asarray(samples).T, s=3, color="C1", label="generated")
    axis.set(xlim=value_range[0], ylim=value_range[1], aspect="equal")
    return artists


def plot_2d(samples, real_samples=None, discriminator=None, value_range=((-3, 3), (-3, 3)),
            grid_size=100, ax=None, title=None):
    """2-D samples over the discriminator's decision surface. Introduced in chapter 3."""
    axis = ax if ax is not None else plt.subplots(figsize=(5, 5))[1]
    surface = discriminator_surface(discriminator, value_range, grid_size) if discriminator is not None else None
    contour = _draw_2d(axis, samples, real_samples, surface, value_range)
    if contour and ax is None:
        axis.figure.colorbar(contour[0], ax=axis, label="D(x)", shrink=0.8)
    axis.legend(loc="upper right", fontsize=8, markerscale=3)
    if title:
        axis.set_title(title)
    return axis.figure


def plot_losses(history, title=None):
    """Loss curves from a Keras History or a dict of lists. Introduced in chapter 1."""
    curves = history.history if hasattr(history, "history") else history
    figure, axis = plt.subplots(figsize=(6, 3.5))
    for name, values in curves.items():
        axis.plot(np.arange(1, len(values) + 1), values, label=name)
    axis.set(xlabel="epoch", ylabel="loss", title=title)
    axis.legend()
    figure.tight_layout()
    return figure


def plot_metric_vs_time(curves, ylabel="classifier FID", log_y=False, title=None):
    """Metric curves against training seconds; values are (seconds, values) or MetricOverTime. Chapter 4."""
    figure, axis = plt.subplots(figsize=(6, 3.5))
    for name, curve in curves.items():
        seconds, values = (curve.seconds, curve.values) if hasattr(curve, "seconds") else curve
        axis.plot(seconds, values, marker="o", label=name)
    axis.set(xlabel="training time (s)", ylabel=ylabel, title=title)
    if log_y:
        axis.set_yscale("log")
    axis.legend()
    figure.tight_layout()
    return figure


def animate_2d(snapshots, real_samples, value_range=((-3, 3), (-3, 3)), interval_ms=500):
    """An animation of snapshots {"samples", "surface", "title"}; show with ``to_jshtml()``. Chapter 3."""
    figure, axis = plt.subplots(figsize=(5, 5))

    def draw(index):
        axis.clear()
        snapshot = snapshots[index]
        _draw_2d(axis, snapshot["samples"], real_samples, snapshot.get("surface"), value_range)
        axis.set_title(snapshot.get("title", ""))
        return []

    movie = animation.FuncAnimation(figure, draw, frames=len(snapshots), interval=interval_ms)
    plt.close(figure)  # shown through to_jshtml(), not as a static figure as well
    return movie
