import re
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import keras
import numpy as np
import pytest
import tensorflow as tf
from matplotlib.animation import FuncAnimation
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


def frame_count(html):
    return len(re.findall(r'frames\[\d+\] = "data:image', html))


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


def test_save_gif_from_figures(tmp_path):
    figures = []
    for color in ("red", "blue"):
        figure, axis = plt.subplots(figsize=(2, 1), dpi=50)
        axis.set_facecolor(color)
        figures.append(figure)
    path = plotting.save_gif(figures, str(tmp_path / "figures.gif"))
    with Image.open(path) as gif:
        assert gif.n_frames == 2
        assert gif.size == (100, 50)


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


def test_animate_2d_has_one_frame_per_snapshot():
    ring = data.ring_of_gaussians()
    _, _, values = plotting.discriminator_surface(slope_discriminator, grid_size=12)
    snapshots = [
        {"samples": ring.sample(50, seed=0), "surface": None, "title": "step 0"},
        {"samples": ring.sample(50, seed=1), "surface": values, "title": "step 1"},
        {"samples": ring.sample(50, seed=2), "surface": values, "title": "step 2"},
    ]
    movie = plotting.animate_2d(snapshots, ring.sample(50, seed=9), interval_ms=200)
    assert isinstance(movie, FuncAnimation)
    assert not plt.get_fignums()  # closed: only the JavaScript animation is shown
    html = movie.to_jshtml()
    assert frame_count(html) == 3
    # The frames differ: the first has no surface, the later two share theirs but not their samples.
    frames = re.findall(r'frames\[\d+\] = "data:image/png;base64,([^"]+)"', html)
    assert len(frames) == 3 and len(set(frames)) == 3
    with pytest.raises(ValueError, match="at least one snapshot"):
        plotting.animate_2d([], ring.sample(5, seed=0))


def test_animation_html_plays_offline():
    ring = data.ring_of_gaussians()
    snapshots = [{"samples": ring.sample(20, seed=s), "title": f"step {s}"} for s in range(2)]
    movie = plotting.animate_2d(snapshots, ring.sample(20, seed=9))
    assert "https://" in movie.to_jshtml()  # matplotlib's own player links a CDN stylesheet ...
    html = plotting.animation_html(movie)
    assert "https://" not in html and "http://" not in html  # ... ours loads nothing remote
    assert 'class="fa' not in html  # icons replaced by inline SVG, which needs no font
    buttons = re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)
    assert len(buttons) == 9 and all(re.fullmatch(r"\s*<svg [^>]*><path [^>]*/></svg>\s*", b) for b in buttons), buttons
    assert not re.search(r"[^\x00-\x7f]", "".join(buttons))  # no symbol a font could lack
    assert frame_count(html) == 2 and 'value="once"' in html and "checked" in html


# ---------------------------------------------------------------- receptive fields
def patch_discriminator_like_chapter_5():
    """Chapter 5's PatchGAN: edges and image stacked, 4x4/2, 4x4/2, 3x3/1 convolutions, all "same"."""
    edges, image = keras.Input((28, 28, 1)), keras.Input((28, 28, 1))
    x = keras.layers.Concatenate()([edges, image])
    x = keras.layers.LeakyReLU(0.2)(keras.layers.Conv2D(4, 4, strides=2, padding="same")(x))
    x = keras.layers.LeakyReLU(0.2)(keras.layers.Conv2D(4, 4, strides=2, padding="same")(x))
    return keras.Model([edges, image], keras.layers.Conv2D(1, 3, padding="same")(x))


def input_support(model, row, column):
    """Independent reference: the input pixels whose gradient on output cell (row, column) is not 0."""
    keras.utils.set_random_seed(0)
    inputs = [tf.random.normal((1, *tensor.shape[1:])) for tensor in model.inputs]
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        cell = model(inputs if len(inputs) > 1 else inputs[0])[0, row, column, 0]
    gradient = np.abs(tape.gradient(cell, inputs[0])[0, ..., 0].numpy())
    rows, columns = np.nonzero(gradient)
    return (rows.min(), rows.max() + 1), (columns.min(), columns.max() + 1)


def test_receptive_field_of_the_chapter_5_patchgan_by_hand():
    # By hand, (first input pixel, size, jump) of output cell 0 along one axis, with TensorFlow's
    # "same" padding (on an even size, k - s pixels in all, (k - s) // 2 of them before):
    #   4x4 stride 2 on 28: 1 pixel before -> first -1, size 4, jump 2
    #   4x4 stride 2 on 14: 1 before (x jump 2) -> first -3, size 4 + 3 * 2 = 10, jump 4
    #   3x3 stride 1 on 7:  1 before (x jump 4) -> first -7, size 10 + 2 * 4 = 18, jump 4
    field = models.receptive_field(patch_discriminator_like_chapter_5())
    assert field.size == (18, 18) and field.jump == (4, 4) and field.start == (-7, -7)
    assert field.input_shape == (28, 28) and field.output_shape == (7, 7)
    assert field.patch(3, 3) == ((5, 23), (5, 23))       # -7 + 12 = 5, 18 rows: whole patch inside
    assert field.patch(0, 6) == ((0, 11), (17, 28))      # clipped at the borders
    with pytest.raises(ValueError, match=r"outside the \(7, 7\) output map"):
        field.patch(7, 0)


@pytest.mark.parametrize("cell", [(0, 0), (3, 3), (6, 2)])
def test_receptive_field_matches_the_gradient_of_each_output_cell(cell):
    model = patch_discriminator_like_chapter_5()
    assert models.receptive_field(model).patch(*cell) == input_support(model, *cell)


def test_receptive_field_with_valid_padding_pooling_dilation_and_odd_sizes():
    x = inputs = keras.Input((29, 23, 2))
    x = keras.layers.Conv2D(3, (3, 5), strides=(2, 1), padding="valid", activation="tanh")(x)
    x = keras.layers.AveragePooling2D(2, padding="same")(x)
    x = keras.layers.Conv2D(1, 3, dilation_rate=2, padding="same")(x)
    model = keras.Model(inputs, x)
    field = models.receptive_field(model)
    # rows: 3/2 valid -> size 3, jump 2; pool 2/2 same on 14 (no padding) -> size 5, jump 4;
    # dilated 3x3 (spans 5) same on 7: 4 pixels in all, 2 before -> start -8, size 5 + 4 * 4 = 21
    assert field.size[0] == 21 and field.jump[0] == 4 and field.start[0] == -8
    assert field.output_shape == tuple(model.output.shape[1:3])
    for cell in [(0, 0), (3, 5), (field.output_shape[0] - 1, field.output_shape[1] - 1)]:
        assert field.patch(*cell) == input_support(model, *cell), cell


def test_receptive_field_refuses_what_it_cannot_follow():
    with pytest.raises(ValueError, match="Conv2DTranspose"):
        models.receptive_field(keras.Sequential([keras.Input((7, 7, 1)), keras.layers.Conv2DTranspose(1, 4, 2, "same")]))
    with pytest.raises(ValueError, match="fully convolutional"):
        models.receptive_field(models.dcgan_discriminator(base_channels=4))



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


# ---------------------------------------------------------------- architectures
def test_plot_layer_shapes_draws_every_shape_of_the_model():
    generator = models.dcgan_generator(noise_dim=16, base_channels=8)
    blocks = models.layer_shape_blocks(generator)
    expected = [tuple(int(s) for s in layer.output.shape[1:]) for layer in generator.layers]
    # Merged blocks keep the order of the distinct consecutive shapes.
    assert [shape for _, shape in blocks] == [s for i, s in enumerate(expected) if i == 0 or s != expected[i - 1]]
    assert [shape for _, shape in blocks] == [(16,), (784,), (7, 7, 16), (14, 14, 8), (28, 28, 1)]
    assert blocks[1][0] == ["Dense", "BatchNorm", "ReLU"] and blocks[-1][0] == ["Conv2DTranspose (tanh)"]
    assert len(models.layer_shape_blocks(generator, merge_same_shape=False)) == len(generator.layers)
    figure = plotting.plot_layer_shapes(generator)
    axis = figure.axes[0]
    texts = [text.get_text() for text in axis.texts]
    for label in ("16", "784", "7×7×16", "14×14×8", "28×28×1"):
        assert label in texts
    assert len(axis.patches) == len(blocks)
    assert figure.get_facecolor() == (1.0, 1.0, 1.0, 1.0)  # white, not transparent


def test_plot_layer_shapes_on_given_axes_and_bad_input():
    figure, axes = plt.subplots(1, 2)
    returned = plotting.plot_layer_shapes(models.dcgan_discriminator(base_channels=8), ax=axes[1])
    assert returned is figure and not axes[0].patches and axes[1].patches
    assert "7×7×16" in [text.get_text() for text in axes[1].texts]
    with pytest.raises(TypeError, match="keras.Model"):
        plotting.plot_layer_shapes(np.zeros((3, 3)))


# ---------------------------------------------------------------- the GAN diagram
def test_plot_gan_diagram_draws_the_labelled_boxes_and_arrows():
    figure = plotting.plot_gan_diagram()
    assert isinstance(figure, Figure)
    assert figure.get_facecolor()[:3] == (1.0, 1.0, 1.0) and figure.get_facecolor()[3] == 1.0
    axis = figure.axes[0]
    boxes = {patch.get_gid()[4:]: patch for patch in axis.patches if (patch.get_gid() or "").startswith("box:")}
    assert set(boxes) == {"noise", "generator", "fake", "real", "discriminator", "verdict",
                          "generator_loss", "discriminator_loss"}
    texts = " ".join(text.get_text() for text in axis.texts)
    for label in ("noise", "generator", "discriminator", "real sample", "generator loss",
                  "discriminator loss", r"\theta", r"\phi", "updates"):
        assert label in texts, label
    arrows = {patch.get_gid(): patch for patch in axis.patches if isinstance(patch, matplotlib.patches.FancyArrowPatch)}
    flows = {gid for gid in arrows if gid.startswith("flow:")}
    assert flows == {"flow:noise->generator", "flow:generator->fake", "flow:fake->discriminator",
                     "flow:real->discriminator", "flow:discriminator->verdict",
                     "flow:verdict->generator_loss", "flow:verdict->discriminator_loss"}
    assert {"update:generator", "update:discriminator"} <= set(arrows)

    # Every data-flow arrow starts on its source box's edge and ends on its target box's edge
    # (independently of the library: from the patches' own corners).
    def on_edge(point, box):
        x0, y0, width, height = box.get_x(), box.get_y(), box.get_width(), box.get_height()
        inside = x0 - 1e-6 <= point[0] <= x0 + width + 1e-6 and y0 - 1e-6 <= point[1] <= y0 + height + 1e-6
        edge = min(abs(point[0] - x0), abs(point[0] - x0 - width), abs(point[1] - y0), abs(point[1] - y0 - height))
        return inside and edge < 1e-6

    for gid in flows:
        source, target = gid[5:].split("->")
        start, end = arrows[gid]._posA_posB
        assert on_edge(start, boxes[source]) and on_edge(end, boxes[target]), gid
    # The generator's loss updates the generator, the discriminator's loss the discriminator.
    for player in ("generator", "discriminator"):
        start, end = arrows[f"update:{player}"]._posA_posB
        assert on_edge(start, boxes[f"{player}_loss"]) and on_edge(end, boxes[player]), player


def test_plot_gan_diagram_highlights_one_player_and_draws_into_a_given_axes():
    figure, (left, right) = plt.subplots(1, 2)
    assert plotting.plot_gan_diagram(left, highlight="discriminator", title="D step") is figure
    plotting.plot_gan_diagram(right, highlight="generator")
    assert left.get_title() == "D step"

    def edge(axis, gid):
        return next(p for p in axis.patches if p.get_gid() == gid).get_edgecolor()

    grey = matplotlib.colors.to_rgba("0.65")
    assert edge(left, "box:generator") == grey and edge(left, "box:discriminator") != grey
    assert edge(right, "box:discriminator") == grey and edge(right, "box:generator") != grey
    with pytest.raises(ValueError, match="highlight"):
        plotting.plot_gan_diagram(highlight="critic")
