import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from gan_utils import data, models, plotting


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_image_grid_layout_range_and_labels():
    images = np.linspace(-1, 1, 10 * 4 * 4, dtype=np.float32).reshape(10, 4, 4, 1)
    figure = plotting.image_grid(images, num_columns=5, row_labels=["first", "second"])
    assert len(figure.axes) == 10
    shown = [axis.images[0].get_array() for axis in figure.axes]
    assert min(a.min() for a in shown) == pytest.approx(0) and max(a.max() for a in shown) == pytest.approx(1)
    assert figure.axes[5].get_ylabel() == "second"
    with pytest.raises(ValueError, match=r"got shape \(10, 16\)"):
        plotting.image_grid(images.reshape(10, 16))


def test_array_grid_and_gif(tmp_path):
    images = np.full((6, 3, 3, 1), -1.0, np.float32)
    images[1] = 1.0
    grid = plotting.images_to_array_grid(images, num_columns=3)
    assert grid.shape == (6, 9) and grid.dtype == np.uint8
    assert grid[0, 3] == 255 and grid[0, 0] == 0
    path = plotting.save_gif([images, -images, images], tmp_path / "run.gif")
    with Image.open(path) as gif:
        assert gif.n_frames == 3
    with pytest.raises(ValueError, match="at least one frame"):
        plotting.save_gif([], tmp_path / "empty.gif")


def test_plot_1d_draws_the_exact_density_and_discriminator():
    mixture = data.gaussian_mixture_1d()
    discriminator = models.mlp_discriminator(1, hidden_units=(4,))
    figure = plotting.plot_1d(mixture.sample(500, seed=0), mixture=mixture, discriminator=discriminator)
    density_line = figure.axes[0].lines[0]
    x, y = density_line.get_data()
    np.testing.assert_allclose(y, mixture.density(x))
    d_line = figure.axes[1].lines[0]
    assert 0 <= d_line.get_ydata().min() and d_line.get_ydata().max() <= 1


def test_plot_2d_and_surface():
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(4,))
    xs, ys, values = plotting.discriminator_surface(discriminator, grid_size=20)
    assert values.shape == (20, 20) and 0 <= values.min() and values.max() <= 1
    ring = data.ring_of_gaussians()
    figure = plotting.plot_2d(ring.sample(100, seed=1), real_samples=ring.sample(100, seed=2),
                              discriminator=discriminator)
    assert figure.axes[0].collections  # contour set and scatter plots
    assert len(figure.axes) == 2  # the plot and its colour bar


def test_plot_losses_and_metric_curves():
    history = {"d_loss": [1.0, 0.8, 0.7], "g_loss": [0.5, 0.9, 1.1]}
    figure = plotting.plot_losses(history)
    lines = figure.axes[0].lines
    assert [tuple(line.get_ydata()) for line in lines] == [(1.0, 0.8, 0.7), (0.5, 0.9, 1.1)]
    curves = {"a": ([0, 10, 20], [100.0, 50.0, 20.0])}
    figure = plotting.plot_metric_vs_time(curves, log_y=True)
    assert figure.axes[0].get_yscale() == "log"
    assert tuple(figure.axes[0].lines[0].get_xdata()) == (0, 10, 20)


def test_animate_2d_frames():
    ring = data.ring_of_gaussians()
    snapshots = [{"samples": ring.sample(50, seed=s), "surface": None, "title": f"step {s}"} for s in range(3)]
    movie = plotting.animate_2d(snapshots, ring.sample(50, seed=9))
    html = movie.to_jshtml()
    assert html.count("frames[") >= 3
