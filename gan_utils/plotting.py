"""Plots of what a GAN makes and measures: image grids, GIFs, 1-D and 2-D toy GANs, curves.

Every plotting function returns its matplotlib Figure and never calls ``plt.show()``: the
notebook ends the cell with ``plt.show()``. No backend is forced here (notebooks use
``inline``, the tests ``Agg``). Discriminators return logits, so "D(x)" on these plots is
``sigmoid(logit)``, the probability that ``x`` is real. Diagrams of the GAN and of a
network's layers are in ``gan_utils.diagrams``. Introduced in chapter 1 (1-D plots), chapter 3
(2-D plots, GIFs) and chapter 4 (image grids, metric curves); chapter 6 draws the training
monitor's dashboard.
"""
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .checks import check_positive_int
from .models import probability_real

SURFACE_LEVELS = np.linspace(0.0, 1.0, 11)  # D(x) is a probability: always the same 0..1 scale
SURFACE_COLORMAP = "RdBu_r"  # red where D says "real", blue where it says "fake"
SURFACE_ALPHA = 0.6
REAL_COLOR = "black"
GENERATED_COLOR = "tab:orange"

# The house style, set once when gan_utils is imported (its __init__ imports this module), so
# that every figure of the book is drawn for the page it is shown on. The book's text column is
# 676 px wide at 100 % zoom; a figure at most TEXT_WIDTH inches wide, rendered at FIGURE_DPI, is
# shown at its natural size, so a FONT_SIZE-point label is FONT_SIZE * FIGURE_DPI / 72 = 14 px
# tall on the page (the body text is 16 px) and no label falls below about 11 px. A figure
# drawn wider is scaled down with all its text: use ``figure_size`` and ``subplots_in_rows``,
# never a typed ``figsize=(15, 4)``. Every figure is also white and opaque, on screen and when
# saved (inline PNGs, GIF frames): a transparent figure shows its black labels on the book's
# dark page in dark mode.
TEXT_WIDTH = 6.6  # inches: 660 px at FIGURE_DPI, inside the 676 px column with its margins
FIGURE_DPI = 100
FONT_SIZE = 10  # points: the axis labels and the text of diagrams
SMALL_FONT_SIZE = 9  # points: tick labels, legends and annotations, never smaller
THUMBNAIL_SCALE = 2  # an image of a grid is shown at least twice its size in pixels
HOUSE_STYLE = {
    "figure.figsize": (TEXT_WIDTH, 3.4), "figure.dpi": FIGURE_DPI, "savefig.dpi": FIGURE_DPI,
    "font.size": FONT_SIZE, "axes.titlesize": FONT_SIZE, "axes.labelsize": FONT_SIZE,
    "figure.titlesize": FONT_SIZE + 1, "xtick.labelsize": SMALL_FONT_SIZE,
    "ytick.labelsize": SMALL_FONT_SIZE, "legend.fontsize": SMALL_FONT_SIZE,
    "legend.title_fontsize": SMALL_FONT_SIZE,
    "figure.facecolor": "white", "figure.edgecolor": "white", "axes.facecolor": "white",
    "savefig.facecolor": "white", "savefig.edgecolor": "white", "savefig.transparent": False,
}
plt.rcParams.update(HOUSE_STYLE)


def figure_size(height, width=TEXT_WIDTH):
    """``(width, height)`` in inches for ``plt.subplots(figsize=...)``, at most the text width.

    A figure wider than ``TEXT_WIDTH`` would be scaled down on the page and its labels with it:
    split it into rows instead (``subplots_in_rows``). Introduced in A GAN in one cell; used
    in chapters 2, 3, 4, 5 and 7, the page GANs and diffusion at the same budget and the appendix
    Fast on a CPU; used by ``plot_1d``, ``plot_2d``, ``plot_metric_vs_time``, ``plot_monitor``,
    ``subplots_in_rows``, ``diagrams.plot_gan_diagram`` and ``diagrams.plot_layer_shapes``.
    """
    if not 0 < width <= TEXT_WIDTH + 1e-9:
        raise ValueError(
            f"width must be in (0, {TEXT_WIDTH}] inches (the book's text column), got {width}; "
            "draw a wide strip as rows with plotting.subplots_in_rows."
        )
    if not height > 0:
        raise ValueError(f"height must be a positive number of inches, got {height}.")
    return (float(width), float(height))


def rows_and_columns(count, max_columns):
    """How ``count`` panels of at most ``max_columns`` a row are laid out: ``(rows, columns)``.

    The rows are as even as they can be (7 panels of at most 4 a row: 2 rows of 4). Used by
    ``subplots_in_rows``.
    """
    count = check_positive_int(count, "count")
    max_columns = check_positive_int(max_columns, "max_columns")
    num_rows = int(np.ceil(count / max_columns))
    return num_rows, int(np.ceil(count / num_rows))


def subplots_in_rows(count, max_columns=3, panel_height=2.2, **subplots_options):
    """A figure at the text width with ``count`` panels, ``max_columns`` a row at most.

    Returns ``(figure, axes)``, ``axes`` a flat list of exactly ``count`` Axes in reading order
    (the unused cells of the last row are removed). ``panel_height`` is each row's height in
    inches; other keywords go to ``plt.subplots`` (``sharex``, ``sharey``, ...). This is how a
    strip of panels too wide for the column is drawn. Introduced in chapter 1; used in
    chapters 3, 5 and 6.
    """
    if "figsize" in subplots_options:
        raise ValueError("subplots_in_rows sets the figure size itself (the text width, "
                         "panel_height a row): pass panel_height, not figsize.")
    num_rows, num_columns = rows_and_columns(count, max_columns)
    figure, axes = plt.subplots(num_rows, num_columns, squeeze=False,
                                figsize=figure_size(panel_height * num_rows), **subplots_options)
    axes = list(axes.flat)
    for axis in axes[count:]:
        axis.remove()
    return figure, axes[:count]


def _to_numpy(values):
    return np.asarray(values.numpy() if hasattr(values, "numpy") else values)


def _as_images(images):
    """(N, H, W, 1) or (N, H, W) images -> float32 (N, H, W), with a clear error otherwise."""
    array = _to_numpy(images).astype(np.float32)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3:
        raise ValueError(
            f"images must be grey-scale with shape (N, height, width, 1) or (N, height, width), "
            f"got shape {array.shape}."
        )
    if len(array) == 0:
        raise ValueError("images is empty: there must be at least one image.")
    low, high = float(np.min(array)), float(np.max(array))
    if not (low >= -1.0 - 1e-3 and high <= 1.0 + 1e-3):  # also catches NaN
        raise ValueError(
            f"images must lie in [-1, 1] (the range of a tanh generator) but span [{low:.3g}, {high:.3g}]; "
            "scale pixels in [0, 255] with x / 127.5 - 1 (gan_utils.data.to_unit_range)."
        )
    return array


def _to_unit_interval(images):
    # [-1, 1] (the tanh range of our generators) -> [0, 1] for display.
    return (np.clip(images, -1.0, 1.0) + 1.0) / 2.0


def _grid_shape(count, num_columns):
    num_columns = check_positive_int(num_columns, "num_columns")
    return int(np.ceil(count / num_columns)), num_columns


def _as_2d_range(value_range):
    """Accept ((x_low, x_high), (y_low, y_high)) or one (low, high) pair for both axes."""
    if np.ndim(value_range) == 1:
        return (tuple(value_range), tuple(value_range))
    return tuple(tuple(pair) for pair in value_range)


# ---------------------------------------------------------------- images
def image_grid(images, num_columns=None, row_labels=None, title=None, cell_size=1.0):
    """Show grey-scale images in [-1, 1] as a grid and return the Figure.

    ``images`` has shape (N, H, W, 1) or (N, H, W) (NumPy or ``tf.Tensor``). ``num_columns``
    defaults to a square-ish grid. ``row_labels`` writes one label left of each row, e.g. the
    class names of a conditional GAN's one-row-per-class samples. Each image is ``cell_size``
    inches wide (1 inch is 100 px on the page), made smaller if the grid would be wider than the
    text column; a grid whose images would then be shown at less than ``THUMBNAIL_SCALE`` times
    their size in pixels is an error (use fewer columns). Introduced in chapter 4; used in
    chapters 5 and 6, the page GANs and diffusion at the same budget, the appendix Bugs that
    tutorials ship and the assignments.
    """
    array = _as_images(images)
    count, height = len(array), array.shape[1]
    num_rows, num_columns = _grid_shape(count, num_columns or int(np.ceil(np.sqrt(count))))
    if row_labels is not None and len(row_labels) > num_rows:
        raise ValueError(f"Got {len(row_labels)} row_labels for a grid of only {num_rows} rows.")
    label_width = 0.2 + 0.075 * max(len(str(label)) for label in row_labels) if row_labels else 0.0
    gap = 0.04  # inches between neighbouring images
    room = TEXT_WIDTH - label_width - gap * (num_columns - 1)
    cell_size = min(cell_size, room / num_columns)
    smallest = THUMBNAIL_SCALE * array.shape[2] / FIGURE_DPI
    if cell_size < smallest - 1e-9:
        fitting = max(1, int((TEXT_WIDTH - label_width + gap) // (smallest + gap)))
        raise ValueError(
            f"{num_columns} columns of {array.shape[2]}-pixel images do not fit the text column "
            f"({TEXT_WIDTH} inches) at {THUMBNAIL_SCALE}x their size; use at most {fitting} "
            "columns (more rows), or show fewer images."
        )
    cell_height = cell_size * height / array.shape[2]
    title_height = 0.35 if title else 0.0
    width = label_width + cell_size * num_columns + gap * (num_columns - 1)
    total_height = title_height + cell_height * num_rows + gap * (num_rows - 1)
    figure, axes = plt.subplots(
        num_rows, num_columns, squeeze=False, figsize=(width, total_height),
        gridspec_kw={"left": label_width / width, "right": 1.0, "bottom": 0.0,
                     "top": 1.0 - title_height / total_height,
                     "wspace": gap / cell_size, "hspace": gap / cell_height},
    )
    for index, axis in enumerate(axes.flat):
        axis.set_xticks([])
        axis.set_yticks([])
        axis.spines[:].set_visible(False)
        if index < count:
            axis.imshow(_to_unit_interval(array[index]), cmap="gray", vmin=0.0, vmax=1.0,
                        interpolation="nearest")
    for row, label in enumerate(row_labels or []):
        axes[row, 0].set_ylabel(label, rotation=0, ha="right", va="center")
    if title:
        figure.suptitle(title, y=1.0, va="top")
    return figure


def images_to_array_grid(images, num_columns):
    """Tile images in [-1, 1] into one uint8 (rows * H, num_columns * W) array, e.g. a GIF frame.

    Unused cells of the last row stay black. Introduced in A GAN in one cell; used in chapter 4.
    """
    array = _as_images(images)
    count, height, width = array.shape
    num_rows, num_columns = _grid_shape(count, num_columns)
    pixels = np.round(_to_unit_interval(array) * 255.0).astype(np.uint8)
    canvas = np.zeros((num_rows * height, num_columns * width), np.uint8)
    for index, image in enumerate(pixels):
        row, column = divmod(index, num_columns)
        canvas[row * height:(row + 1) * height, column * width:(column + 1) * width] = image
    return canvas


def _figure_to_rgb(figure):
    canvas = figure.canvas
    if not hasattr(canvas, "buffer_rgba"):  # a bare Figure() has no pixel buffer yet
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def save_gif(frames, path, seconds_per_frame=0.5, num_columns=None):
    """Write an animated GIF that loops forever, and return ``path``.

    Each frame is either a batch of images in [-1, 1] (tiled with ``images_to_array_grid``,
    ``num_columns`` defaulting to a square-ish grid) or a matplotlib Figure (rendered from
    its canvas, then closed; figures of one size, e.g. ``plot_2d``'s). ``frames`` may be a
    generator, so that only one Figure exists at a time. Pillow merges identical consecutive
    frames into one longer frame. Introduced in chapter 3 (figures); used in chapter 4 (images).
    """
    from PIL import Image

    if seconds_per_frame <= 0:
        raise ValueError(f"seconds_per_frame must be positive, got {seconds_per_frame}.")
    pictures = []
    for frame in frames:
        if isinstance(frame, Figure):
            pictures.append(Image.fromarray(_figure_to_rgb(frame)))
            plt.close(frame)  # drawn into the GIF; a notebook would otherwise show it again below the cell
        else:
            count = len(_as_images(frame))
            columns = num_columns or int(np.ceil(np.sqrt(count)))
            pictures.append(Image.fromarray(images_to_array_grid(frame, columns)))
    if not pictures:
        raise ValueError("save_gif needs at least one frame, got none.")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    pictures[0].save(path, format="GIF", save_all=True, append_images=pictures[1:], loop=0,
                     duration=int(round(seconds_per_frame * 1000)))
    return path


# ---------------------------------------------------------------- 1-D toy data
def plot_1d(samples, mixture=None, discriminator=None, value_range=(-6, 6), bins=80,
            real_samples=None, title=None):
    """Histogram of 1-D generated samples, with the data density and D(x) if given.

    ``mixture.density`` is drawn as a line, ``real_samples`` as a second histogram, and
    ``sigmoid(discriminator(x))`` on a second y-axis from 0 to 1 (with the equilibrium value
    1/2 dotted). Introduced in chapter 1.
    """
    figure, axis = plt.subplots(figsize=figure_size(3.3))
    edges = np.linspace(*value_range, bins + 1)
    if real_samples is not None:
        axis.hist(_to_numpy(real_samples).ravel(), edges, density=True, alpha=0.35,
                  color="tab:blue", label="real samples")
    axis.hist(_to_numpy(samples).ravel(), edges, density=True, alpha=0.6,
              color=GENERATED_COLOR, label="generated samples")
    xs = np.linspace(*value_range, 400)
    if mixture is not None:
        axis.plot(xs, mixture.density(xs), color="tab:blue", linewidth=2, label="data density")
    axis.set(xlim=value_range, xlabel="x", ylabel="density", title=title)
    handles, labels = axis.get_legend_handles_labels()
    if discriminator is not None:
        twin = axis.twinx()
        twin.plot(xs, probability_real(discriminator, xs[:, None]), color="tab:green",
                  linestyle="--", label="D(x)")
        twin.axhline(0.5, color="tab:green", linewidth=0.8, linestyle=":")
        twin.set(ylim=(0, 1), ylabel="D(x)")
        twin_handles, twin_labels = twin.get_legend_handles_labels()
        handles, labels = handles + twin_handles, labels + twin_labels
    # Below the axes: inside, the legend would hide a mode of the data.
    axis.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.2),
                ncols=len(labels))
    figure.tight_layout()
    return figure


# ---------------------------------------------------------------- 2-D toy data
def discriminator_surface(discriminator, value_range=((-3, 3), (-3, 3)), grid_size=100):
    """D(x) = sigmoid(logit) on a grid_size x grid_size grid: returns ``(xs, ys, values)``.

    ``values[i, j]`` is D at the point ``(xs[j], ys[i])``, the layout ``contourf(xs, ys, values)``
    expects. ``value_range`` is ((x_low, x_high), (y_low, y_high)) or one (low, high) pair.
    Introduced in chapter 3.
    """
    (x_range, y_range) = _as_2d_range(value_range)
    grid_size = check_positive_int(grid_size, "grid_size")
    xs = np.linspace(*x_range, grid_size)
    ys = np.linspace(*y_range, grid_size)
    grid_x, grid_y = np.meshgrid(xs, ys)
    points = np.stack([grid_x.ravel(), grid_y.ravel()], axis=1)
    values = probability_real(discriminator, points).reshape(grid_size, grid_size)
    return xs, ys, values


def _draw_2d(axis, samples, real_samples, surface, value_range):
    """Draw the D(x) surface (``(xs, ys, values)`` or None) and both point clouds; return the contour set."""
    (x_range, y_range) = _as_2d_range(value_range)
    contour = None
    if surface is not None:
        xs, ys, values = surface
        contour = axis.contourf(xs, ys, values, levels=SURFACE_LEVELS, cmap=SURFACE_COLORMAP,
                                alpha=SURFACE_ALPHA)
    if real_samples is not None:
        axis.scatter(*_to_numpy(real_samples).T, s=3, color=REAL_COLOR, alpha=0.4, label="real")
    axis.scatter(*_to_numpy(samples).T, s=3, color=GENERATED_COLOR, label="generated")
    axis.set(xlim=x_range, ylim=y_range, aspect="equal")
    axis.legend(loc="upper right", markerscale=3)
    return contour


def plot_2d(samples, real_samples=None, discriminator=None, value_range=((-3, 3), (-3, 3)),
            grid_size=100, ax=None, title=None, colorbar=True, surface=None):
    """2-D generated samples (and real ones) over the discriminator's D(x) surface.

    D(x) = sigmoid(logit) is a filled contour from 0 to 1 with a colour bar, computed from
    ``discriminator`` now or given as ``surface``, an earlier ``discriminator_surface`` result
    (a snapshot taken during training). With ``ax``, draws into that Axes (a subplot) and
    returns ``ax.figure``. Introduced in chapter 3; used in chapter 6.
    """
    if discriminator is not None and surface is not None:
        raise ValueError("Pass either discriminator (to compute D(x) now) or surface (computed earlier), not both.")
    for name, points in (("samples", samples), ("real_samples", real_samples)):
        shape = np.shape(_to_numpy(points)) if points is not None else (0, 2)
        if len(shape) != 2 or shape[1] != 2:
            raise ValueError(f"plot_2d draws points of the plane: {name} must have shape (N, 2), got shape {shape}; "
                             "plot_1d draws 1-D samples, and other data need a projection to two coordinates first.")
    axis = ax if ax is not None else plt.subplots(figsize=figure_size(4.2, width=5.2))[1]
    if discriminator is not None:
        surface = discriminator_surface(discriminator, value_range, grid_size)
    contour = _draw_2d(axis, samples, real_samples, surface, value_range)
    if contour is not None and colorbar:
        axis.figure.colorbar(contour, ax=axis, label="D(x)", shrink=0.8)
    if title:
        axis.set_title(title)
    return axis.figure


# ---------------------------------------------------------------- curves
def plot_metric_vs_time(curves, ylabel="classifier FID", log_y=False, title=None):
    """Metric curves against training wall-clock time, one line per entry of ``curves``.

    ``curves`` maps a name to ``(seconds, values)`` or to an object with ``.seconds`` and
    ``.values`` (``callbacks.Recorder``). Introduced in chapter 4.
    """
    if not curves:
        raise ValueError("plot_metric_vs_time got no curves.")
    figure, axis = plt.subplots(figsize=figure_size(3.3))
    for name, curve in curves.items():
        seconds, values = (curve.seconds, curve.values) if hasattr(curve, "seconds") else curve
        if len(seconds) != len(values):
            raise ValueError(f"Curve {name!r} has {len(seconds)} times but {len(values)} values.")
        axis.plot(seconds, values, marker="o", label=name)
    axis.set(xlabel="training time (s)", ylabel=ylabel, title=title)
    if log_y:
        axis.set_yscale("log")
    axis.legend()
    figure.tight_layout()
    return figure


def plot_monitor(monitor, figsize=None):
    """Four panels of a ``monitor.TrainingMonitor``'s records, its flagged epochs marked in red.

    The discriminator's mean output (D(x) for the probability losses, the mean score otherwise),
    the losses on the probe, both gradient norms, and the diversity of the generated samples
    relative to the real data's (spread; modes or classes covered; class entropy). Returns the
    figure. Used by ``TrainingMonitor``.
    """
    h = {key: np.asarray(value, dtype=np.float64) for key, value in monitor.history.items()}
    if "modes" in h:
        h["mode_fraction"] = h["modes"] / monitor.mixture.num_modes
    if "classes" in h:
        h["class_fraction"] = h["classes"] / monitor.real_classes
        if monitor.real_class_entropy > 0:  # 0 when the real data are of one class
            h["entropy_fraction"] = h["class_entropy"] / monitor.real_class_entropy
    if monitor.probabilities:
        outputs = ("discriminator's belief", [("d_real", "D(x), real"), ("d_fake", "D(G(z)), generated"),
                                              ("d_held_out", "D(x), held out")])
    else:  # a critic's (or a least-squares or hinge discriminator's) score is no probability
        outputs = ("mean score", [("score_real", r"$\ell(x)$, real"), ("score_fake", r"$\ell(G(z))$, generated"),
                                  ("score_held_out", r"$\ell(x)$, held out")])
    panels = dict([outputs,  # title: the (history key, label) of each curve, drawn if the monitor keeps that key
                   ("losses on the probe", [("d_loss", "discriminator"), ("g_loss", "generator")]),
                   ("gradient norms", [("d_grad_norm", "discriminator"), ("g_grad_norm", "generator")]),
                   ("diversity, 1 = the real data's", [("spread", "spread"), ("mode_fraction", "modes covered"),
                                                       ("class_fraction", "classes covered"),
                                                       ("entropy_fraction", "class entropy")])])
    figure, axes = plt.subplots(2, 2, figsize=figsize or figure_size(5.6), facecolor="white")
    axes = list(axes.flat)  # two rows of two: four panels side by side would not fit the text column
    for axis, (title, curves) in zip(axes, panels.items()):
        for key, label in curves:
            if key in h:
                axis.plot(h["epoch"], h[key], label=label)
        for flag in monitor.flags:
            axis.axvline(flag.epoch, color="red", lw=0.8, alpha=0.6)
        axis.set(title=title, xlabel="epoch", facecolor="white")
        axis.legend()
    if monitor.probabilities:
        axes[0].axhline(0.5, color="grey", lw=0.8, ls=":")
        axes[0].set(ylim=(-0.02, 1.02), ylabel="mean probability 'real'")
    if np.all(h["d_grad_norm"][np.isfinite(h["d_grad_norm"])] > 0):
        axes[2].set_yscale("log")
    if monitor.flags:
        figure.suptitle("flagged: " + "; ".join(f"{flag.symptom} (epoch {flag.epoch})" for flag in monitor.flags),
                        color="red", fontsize=SMALL_FONT_SIZE, wrap=True)
    figure.tight_layout()
    return figure
