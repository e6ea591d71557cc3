"""gan_utils.diagrams: the GAN's block diagram and a network's layer shapes, read from the
figure's own artists (text, patches and their gids), not from matplotlib's private state."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from gan_utils import diagrams, models


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ---------------------------------------------------------------- architectures
def test_plot_layer_shapes_draws_every_shape_of_the_model():
    generator = models.dcgan_generator(noise_dim=16, base_channels=8)
    blocks = models.layer_shape_blocks(generator)
    figure = diagrams.plot_layer_shapes(generator)
    axis = figure.axes[0]
    texts = [text.get_text() for text in axis.texts]
    for label in ("16", "784", "7×7×16", "14×14×8", "28×28×1"):
        assert label in texts
    assert len(axis.patches) == len(blocks)
    assert figure.get_facecolor() == (1.0, 1.0, 1.0, 1.0)  # white, not transparent


def test_plot_layer_shapes_on_given_axes_and_bad_input():
    figure, axes = plt.subplots(1, 2)
    returned = diagrams.plot_layer_shapes(models.dcgan_discriminator(base_channels=8), ax=axes[1])
    assert returned is figure and not axes[0].patches and axes[1].patches
    assert "7×7×16" in [text.get_text() for text in axes[1].texts]
    with pytest.raises(TypeError, match="keras.Model"):
        diagrams.plot_layer_shapes(np.zeros((3, 3)))


# ---------------------------------------------------------------- the GAN diagram
def test_plot_gan_diagram_draws_the_labelled_boxes_and_arrows():
    figure = diagrams.plot_gan_diagram()
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


def test_plot_gan_diagram_highlights_one_player_and_draws_into_a_given_axes():
    figure, (left, right) = plt.subplots(1, 2)
    assert diagrams.plot_gan_diagram(left, highlight="discriminator", title="D step") is figure
    diagrams.plot_gan_diagram(right, highlight="generator")
    assert left.get_title() == "D step"

    def edge(axis, gid):
        return next(p for p in axis.patches if p.get_gid() == gid).get_edgecolor()

    grey = matplotlib.colors.to_rgba("0.65")
    assert edge(left, "box:generator") == grey and edge(left, "box:discriminator") != grey
    assert edge(right, "box:discriminator") == grey and edge(right, "box:generator") != grey
    with pytest.raises(ValueError, match="highlight"):
        diagrams.plot_gan_diagram(highlight="critic")
