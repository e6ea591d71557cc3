import re
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from PIL import Image

from gan_utils import data, models, plotting


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def sigmoid(logits):
    return 1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=np.float64)))


def slope_discriminator(points, training=False):
    """A stand-in discriminator whose logit is 3 * x: D says "real" on the right."""
    return 3.0 * points[:, :1]


# ---------------------------------------------------------------- the house style
def _rendered_width_in_pixels(figure):
    """The figure's width as the book's inline backend saves it (bbox_inches="tight")."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return Image.open(buffer).size[0]


def test_the_house_style_is_set_on_import():
    """Figures are drawn for the 676 px text column: shown at natural size, a label is ~14 px tall."""
    assert plt.rcParams["figure.dpi"] == plotting.FIGURE_DPI
    assert tuple(plt.rcParams["figure.figsize"])[0] == plotting.TEXT_WIDTH
    assert plt.rcParams["font.size"] == plotting.FONT_SIZE
    assert plt.rcParams["xtick.labelsize"] == plt.rcParams["legend.fontsize"] == plotting.SMALL_FONT_SIZE
    assert plotting.TEXT_WIDTH * plotting.FIGURE_DPI <= 676
    assert plotting.SMALL_FONT_SIZE * plotting.FIGURE_DPI / 72 >= 12  # px at 100 %: well above 9 px
    assert plt.rcParams["savefig.facecolor"] == "white" and not plt.rcParams["savefig.transparent"]


def test_figure_size_and_rows_keep_figures_in_the_text_column():
    assert plotting.figure_size(3) == (plotting.TEXT_WIDTH, 3.0)
    assert plotting.figure_size(3, width=4) == (4.0, 3.0)
    with pytest.raises(ValueError, match=r"width must be in \(0, 6.6\] inches .*subplots_in_rows"):
        plotting.figure_size(4, width=15)
    with pytest.raises(ValueError, match="height must be a positive"):
        plotting.figure_size(0)
    assert plotting.rows_and_columns(5, 5) == (1, 5)
    assert plotting.rows_and_columns(7, 4) == (2, 4)
    assert plotting.rows_and_columns(5, 3) == (2, 3)
    assert plotting.rows_and_columns(4, 3) == (2, 2)  # even rows: 2 + 2, not 3 + 1
    figure, axes = plotting.subplots_in_rows(5, max_columns=3, panel_height=2.0, sharey=True)
    assert len(axes) == len(figure.axes) == 5
    assert [axis.get_subplotspec().rowspan.start for axis in axes] == [0, 0, 0, 1, 1]
    assert tuple(figure.get_size_inches()) == pytest.approx((plotting.TEXT_WIDTH, 4.0))
    with pytest.raises(ValueError, match="pass panel_height, not figsize"):
        plotting.subplots_in_rows(2, figsize=(10, 3))


def test_library_figures_fit_the_text_column(tmp_path):
    """No figure of the library is drawn wider than the column (it would be shown scaled down)."""
    from gan_utils import diagrams

    ring = data.ring_of_gaussians(8, radius=2.0, std=0.1)
    figures = {
        "plot_1d": plotting.plot_1d(np.zeros(50), discriminator=slope_discriminator),
        "plot_2d": plotting.plot_2d(ring.sample(20, seed=0), discriminator=slope_discriminator, grid_size=10),
        "plot_metric_vs_time": plotting.plot_metric_vs_time({"a": ([1, 2], [3.0, 2.0])}),
        "image_grid": plotting.image_grid(np.zeros((20, 28, 28, 1)), num_columns=10,
                                          row_labels=["zero", "one"]),
        "plot_gan_diagram": diagrams.plot_gan_diagram(title="the generator's turn"),
        "plot_layer_shapes": diagrams.plot_layer_shapes(models.dcgan_generator()),
    }
    widths = {name: _rendered_width_in_pixels(figure) for name, figure in figures.items()}
    assert all(width <= 676 for width in widths.values()), widths
    small = {name: sorted({text.get_fontsize() for text in figure.findobj(matplotlib.text.Text)
                           if text.get_text().strip() and text.get_fontsize() < plotting.SMALL_FONT_SIZE})
             for name, figure in figures.items()}
    assert not any(small.values()), f"text below {plotting.SMALL_FONT_SIZE} pt: {small}"


def test_image_grid_shows_thumbnails_at_least_twice_their_size():
    figure = plotting.image_grid(np.zeros((10, 28, 28, 1)), num_columns=10, cell_size=1.0)
    cell = figure.axes[0].get_window_extent()  # in pixels at FIGURE_DPI
    assert figure.get_size_inches()[0] <= plotting.TEXT_WIDTH
    assert cell.width >= plotting.THUMBNAIL_SCALE * 28 - 1
    with pytest.raises(ValueError, match=r"16 columns of 28-pixel images do not fit .* use at most 11 columns"):
        plotting.image_grid(np.zeros((16, 28, 28, 1)), num_columns=16)


# ---------------------------------------------------------------- images
def test_image_grid_lays_out_rows_rescales_and_labels():
    images = np.linspace(-1, 1, 10 * 4 * 4, dtype=np.float32).reshape(10, 4, 4, 1)
    figure = plotting.image_grid(images, num_columns=5, row_labels=["first", "second"], title="samples")
    assert isinstance(figure, Figure)
    assert len(figure.axes) == 10
    rows = [axis.get_subplotspec().rowspan.start for axis in figure.axes]
    columns = [axis.get_subplotspec().colspan.start for axis in figure.axes]
    assert rows == [0] * 5 + [1] * 5 and columns == list(range(5)) * 2
    shown = [axis.images[0].get_array() for axis in figure.axes]
    assert min(a.min() for a in shown) == pytest.approx(0.0)
    assert max(a.max() for a in shown) == pytest.approx(1.0)
    np.testing.assert_allclose(shown[3], (images[3, ..., 0] + 1) / 2, rtol=1e-6)
    assert all(not axis.get_xticks().size and not axis.get_yticks().size for axis in figure.axes)
    texts = [text.get_text() for text in figure.findobj(matplotlib.text.Text)]
    assert "first" in texts and "second" in texts and "samples" in texts
    assert figure.axes[0].get_ylabel() == "first" and figure.axes[5].get_ylabel() == "second"


def test_image_grid_accepts_tensors_without_channel_axis():
    images = tf.zeros((5, 6, 6))
    figure = plotting.image_grid(images)
    assert len(figure.axes) == 6  # 3 columns (ceil of sqrt 5), 2 rows, the last cell empty
    assert sum(len(axis.images) for axis in figure.axes) == 5


@pytest.mark.parametrize("shape", [(10, 16), (2, 4, 4, 3), (2, 3, 4, 4, 1)])
def test_image_grid_rejects_wrong_shapes(shape):
    with pytest.raises(ValueError, match=re.escape(f"got shape {shape}")):
        plotting.image_grid(np.zeros(shape, np.float32))


def test_image_grid_rejects_more_labels_than_rows():
    with pytest.raises(ValueError, match="3 row_labels.*2 rows"):
        plotting.image_grid(np.zeros((4, 2, 2, 1), np.float32), num_columns=2, row_labels=["a", "b", "c"])


def test_images_to_array_grid_tiles_in_reading_order():
    images = np.full((5, 3, 2, 1), -1.0, np.float32)
    images[1] = 1.0
    images[3] = 0.0
    grid = plotting.images_to_array_grid(images, num_columns=3)
    assert grid.shape == (2 * 3, 3 * 2) and grid.dtype == np.uint8
    assert (grid[:3, 2:4] == 255).all()  # image 1: first row, second column
    assert (grid[3:, 0:2] == 128).all()  # image 3: second row, first column; 0 -> mid grey
    assert (grid[:3, 0:2] == 0).all() and (grid[3:, 4:] == 0).all()  # -1 and the empty cell
    with pytest.raises(ValueError, match="num_columns"):
        plotting.images_to_array_grid(images, num_columns=0)


def test_save_gif_from_image_batches(tmp_path):
    images = np.full((4, 3, 3, 1), -1.0, np.float32)
    images[1] = 1.0
    path = plotting.save_gif([images, -images, images], tmp_path / "gifs" / "run.gif", seconds_per_frame=0.2)
    assert path == tmp_path / "gifs" / "run.gif"
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.n_frames == 3
        assert gif.size == (6, 6)  # 2 x 2 grid of 3 x 3 images
        assert gif.info["loop"] == 0 and gif.info["duration"] == 200
    with pytest.raises(ValueError, match="at least one frame"):
        plotting.save_gif([], tmp_path / "empty.gif")


def test_save_gif_from_figures_made_one_at_a_time_and_closed(tmp_path):
    open_while_drawing = []

    def figures():
        for color in ("red", "blue", "green"):
            open_while_drawing.append(len(plt.get_fignums()))
            figure, axis = plt.subplots(figsize=(2, 1), dpi=50)
            axis.set_facecolor(color)
            yield figure

    path = plotting.save_gif(figures(), str(tmp_path / "figures.gif"))
    with Image.open(path) as gif:
        assert gif.n_frames == 3
        assert gif.size == (100, 50)
        colors = []
        for index in range(3):
            gif.seek(index)
            colors.append(gif.convert("RGB").getpixel((50, 25)))
    assert colors[0][0] > 200 > colors[0][2] and colors[1][2] > 200 > colors[1][0], colors  # red, then blue
    assert open_while_drawing == [0, 0, 0] and not plt.get_fignums()  # each closed once drawn


# ---------------------------------------------------------------- 1-D
def test_plot_1d_draws_the_exact_density_histograms_and_discriminator():
    mixture = data.gaussian_mixture_1d()
    discriminator = models.mlp_discriminator(1, hidden_units=(4,))
    figure = plotting.plot_1d(mixture.sample(500, seed=0), mixture=mixture, discriminator=discriminator,
                              real_samples=mixture.sample(500, seed=1), bins=40)
    assert len(figure.axes) == 2  # the histogram axis and D's second y-axis
    axis, twin = figure.axes
    assert len(axis.patches) == 2 * 40  # real and generated histograms
    x, y = axis.lines[0].get_data()
    np.testing.assert_allclose(y, mixture.density(x))
    d_x, d_y = twin.lines[0].get_data()
    expected = sigmoid(discriminator(d_x[:, None].astype(np.float32), training=False)).ravel()
    np.testing.assert_allclose(d_y, expected, rtol=1e-5)
    assert twin.get_ylim() == (0, 1)
    assert len(axis.get_legend().get_texts()) == 4


def test_plot_1d_without_extras_has_one_axis_and_no_lines():
    figure = plotting.plot_1d(np.random.default_rng(0).standard_normal((100, 1)))
    assert len(figure.axes) == 1 and not figure.axes[0].lines


def test_plot_1d_sigmoid_does_not_overflow():
    with np.errstate(over="raise"):
        figure = plotting.plot_1d(np.zeros(10), discriminator=lambda x, training: -1000.0 * x)
    d_y = figure.axes[1].lines[0].get_ydata()
    assert d_y[0] == pytest.approx(1.0) and d_y[-1] == pytest.approx(0.0)


# ---------------------------------------------------------------- 2-D
def test_discriminator_surface_grid_and_orientation():
    xs, ys, values = plotting.discriminator_surface(slope_discriminator, value_range=(-2, 2), grid_size=7)
    np.testing.assert_allclose(xs, np.linspace(-2, 2, 7))
    np.testing.assert_allclose(ys, np.linspace(-2, 2, 7))
    np.testing.assert_allclose(values, np.tile(sigmoid(3 * xs), (7, 1)))  # values[i, j] at (xs[j], ys[i])
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(4,))
    xs, ys, values = plotting.discriminator_surface(discriminator, ((-1, 1), (0, 5)), grid_size=20)
    assert values.shape == (20, 20) and 0 <= values.min() and values.max() <= 1
    assert ys[-1] == 5


def test_plot_2d_draws_surface_colorbar_and_both_clouds():
    ring = data.ring_of_gaussians()
    fake, real = ring.sample(100, seed=1), ring.sample(80, seed=2)
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(4,))
    figure = plotting.plot_2d(fake, real_samples=real, discriminator=discriminator, grid_size=20, title="step 0")
    assert len(figure.axes) == 2  # the plot and its colour bar
    axis = figure.axes[0]
    contours = [c for c in axis.collections if isinstance(c, ContourSet)]
    assert len(contours) == 1
    np.testing.assert_allclose(contours[0].levels, np.linspace(0, 1, 11))
    clouds = [c for c in axis.collections if isinstance(c, PathCollection)]
    assert [len(c.get_offsets()) for c in clouds] == [80, 100]
    np.testing.assert_allclose(clouds[1].get_offsets(), fake)
    assert not np.allclose(clouds[0].get_facecolor(), clouds[1].get_facecolor())
    assert axis.get_title() == "step 0"


def test_plot_2d_draws_into_a_given_axis():
    figure, axes = plt.subplots(1, 2)
    returned = plotting.plot_2d(np.zeros((5, 2)), discriminator=slope_discriminator, grid_size=10, ax=axes[1])
    assert returned is figure
    assert not axes[0].collections and any(isinstance(c, ContourSet) for c in axes[1].collections)


def test_figures_are_white_and_opaque_when_saved(tmp_path):
    """The book's dark mode must not show through a figure: rcParams set by gan_utils.plotting."""
    figure, axis = plt.subplots()
    axis.plot([0, 1], [0, 1])
    figure.savefig(tmp_path / "figure.png")
    pixels = np.asarray(Image.open(tmp_path / "figure.png").convert("RGBA"))
    plt.close(figure)
    assert pixels[..., 3].min() == 255, "a saved figure has transparent pixels"
    assert tuple(pixels[0, 0, :3]) == (255, 255, 255), "the figure's background is not white"

# ---------------------------------------------------------------- curves
def test_plot_metric_vs_time_takes_pairs_and_metric_objects():
    curves = {
        "dcgan": ([0, 10, 20], [100.0, 50.0, 20.0]),
        "baseline": SimpleNamespace(seconds=[0.0, 15.0], values=[120.0, 90.0]),
    }
    figure = plotting.plot_metric_vs_time(curves, log_y=True)
    axis = figure.axes[0]
    assert axis.get_yscale() == "log" and axis.get_xlabel() == "training time (s)"
    assert axis.get_ylabel() == "classifier FID"
    assert tuple(axis.lines[0].get_xdata()) == (0, 10, 20)
    assert tuple(axis.lines[1].get_ydata()) == (120.0, 90.0)
    with pytest.raises(ValueError, match="3 times but 2 values"):
        plotting.plot_metric_vs_time({"bad": ([0, 1, 2], [1.0, 2.0])})


def test_plot_2d_draws_a_surface_taken_earlier_and_refuses_two_sources():
    ring = data.ring_of_gaussians()
    surface = plotting.discriminator_surface(slope_discriminator, grid_size=12)
    figure, axes = plt.subplots(1, 2)
    plotting.plot_2d(ring.sample(20, seed=0), surface=surface, ax=axes[0], colorbar=False)
    plotting.plot_2d(ring.sample(20, seed=0), ax=axes[1], colorbar=False)
    assert any(isinstance(c, ContourSet) for c in axes[0].collections)
    assert not any(isinstance(c, ContourSet) for c in axes[1].collections)
    with pytest.raises(ValueError, match="either discriminator .* or surface"):
        plotting.plot_2d(ring.sample(5, seed=0), discriminator=slope_discriminator, surface=surface)


def test_image_grid_refuses_pixels_outside_minus_one_to_one_instead_of_clipping_them():
    pixels = np.random.default_rng(0).integers(0, 256, size=(4, 28, 28, 1)).astype(np.float32)
    with pytest.raises(ValueError, match=r"images must lie in \[-1, 1\].*x / 127.5 - 1"):
        plotting.image_grid(pixels)
    with pytest.raises(ValueError, match=r"images must lie in \[-1, 1\]"):
        plotting.image_grid(np.full((2, 8, 8, 1), np.nan, np.float32))
    figure = plotting.image_grid(pixels / 127.5 - 1)
    assert len(figure.axes) == 4


@pytest.mark.parametrize("samples, real, name", [
    (np.zeros((10, 3)), None, "samples"), (np.zeros(10), None, "samples"),
    (np.zeros((10, 2)), np.zeros((10, 2, 1)), "real_samples")])
def test_plot_2d_refuses_samples_that_are_not_points_of_the_plane(samples, real, name):
    with pytest.raises(ValueError, match=rf"{name} must have shape \(N, 2\), got shape \("):
        plotting.plot_2d(samples, real)
