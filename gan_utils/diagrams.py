"""Diagrams drawn from the code: the GAN's block diagram and a network's layer shapes.

Like every figure of ``gan_utils.plotting`` they return their matplotlib Figure; the notebook
ends the cell with ``plt.show()``. Introduced in chapter 1 (the GAN diagram) and chapter 4
(layer shapes).
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colors

from .models import layer_shape_blocks
from .plotting import FONT_SIZE, GENERATED_COLOR, SMALL_FONT_SIZE, TEXT_WIDTH, figure_size


# ---------------------------------------------------------------- the GAN as a diagram
_DIAGRAM_BOXES = {  # name: (centre x, centre y, width, height, text, player), on a 13 x 7 canvas
    "noise": (1.0, 4.5, 1.8, 1.1, "noise\n$z \\sim p_z$", None),
    "generator": (3.5, 4.5, 2.1, 1.1, "generator\n$G(z;\\,\\theta)$", "generator"),
    "fake": (6.0, 4.5, 2.0, 1.1, "generated\nsample $G(z)$", None),
    "real": (6.0, 1.7, 2.0, 1.1, "real sample\n$x \\sim p_\\mathrm{data}$", None),
    "discriminator": (8.4, 3.1, 2.1, 1.1, "discriminator\n$\\ell(\\cdot\\,;\\,\\phi)$", "discriminator"),
    "verdict": (11.0, 3.1, 2.2, 1.1, "$D = \\sigma(\\ell)$:\nP(input is real)", None),
    "generator_loss": (11.0, 6.0, 2.8, 1.0, "generator loss\n$-\\log D(G(z))$", "generator"),
    "discriminator_loss": (11.0, 0.3, 3.9, 1.0,
                           "discriminator loss\n$-\\log D(x) - \\log(1 - D(G(z)))$", "discriminator"),
}
_DIAGRAM_FLOWS = [("noise", "generator"), ("generator", "fake"), ("fake", "discriminator"),
                  ("real", "discriminator"), ("discriminator", "verdict"),
                  ("verdict", "generator_loss"), ("verdict", "discriminator_loss")]
_DIAGRAM_UPDATES = {  # player: (loss box, updated box, label, label position); elbow arrows
    "generator": ("generator_loss", "generator",
                  "updates $\\theta$ only (the gradient flows back through $D$)", (5.9, 6.35)),
    "discriminator": ("discriminator_loss", "discriminator", "updates $\\phi$ only", (7.3, 0.3)),
}
_PLAYER_COLORS = {"generator": GENERATED_COLOR, "discriminator": "tab:blue"}


def _box_edge(box, toward):
    """Where the ray from ``box``'s centre towards the point ``toward`` leaves the box."""
    x, y, width, height = box[:4]
    dx, dy = toward[0] - x, toward[1] - y
    scale = min(width / 2 / abs(dx) if dx else np.inf, height / 2 / abs(dy) if dy else np.inf)
    return x + scale * dx, y + scale * dy


def plot_gan_diagram(ax=None, highlight=None, title=None):
    """The block diagram of a GAN: who sees what, and which loss updates which network.

    Noise ``z`` goes through the generator to a generated sample; generated and real samples go,
    one at a time, through the discriminator, whose logit gives ``D = sigmoid(logit)``; from
    ``D`` come the two losses, and dashed arrows show which parameters each loss updates (the
    generator's gradient passes back through the discriminator but leaves its weights alone).
    ``highlight="discriminator"`` or ``"generator"`` colours that player's step and greys the
    other player. Boxes and arrows carry gids (``box:generator``, ``flow:noise->generator``,
    ``update:generator``) so that tests can find them. With ``ax``, draws into that Axes and
    returns ``ax.figure``. Introduced in chapter 1; used in chapter 3.
    """
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    if highlight not in (None, "generator", "discriminator"):
        raise ValueError(f"highlight must be None, 'generator' or 'discriminator', got {highlight!r}.")
    if ax is None:
        figure, ax = plt.subplots(figsize=figure_size(TEXT_WIDTH * 7.1 / 13.3 + (0.3 if title else 0.0)))
        figure.set_facecolor("white")
        figure.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.94 if title else 0.99)
    muted = "0.65"

    def player_color(player):
        if player is None:
            return "black"
        return _PLAYER_COLORS[player] if highlight in (None, player) else muted

    for name, (x, y, width, height, text, player) in _DIAGRAM_BOXES.items():
        color = player_color(player)
        lit = player is not None and highlight == player
        ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                    boxstyle="round,pad=0.02,rounding_size=0.15", gid=f"box:{name}",
                                    facecolor=colors.to_rgba(color, 0.2 if lit else 0.06),
                                    edgecolor=color, linewidth=2.4 if lit else 1.2))
        ax.text(x, y, text, ha="center", va="center", fontsize=SMALL_FONT_SIZE,
                color="0.45" if color == muted else "black")
    for start, end in _DIAGRAM_FLOWS:
        a, b = _DIAGRAM_BOXES[start], _DIAGRAM_BOXES[end]
        ax.add_patch(FancyArrowPatch(_box_edge(a, b[:2]), _box_edge(b, a[:2]), arrowstyle="-|>",
                                     mutation_scale=14, color="0.2", linewidth=1.2, gid=f"flow:{start}->{end}"))
    for player, (start, end, label, (label_x, label_y)) in _DIAGRAM_UPDATES.items():
        (x_a, y_a, width_a), (x_b, y_b, _, height_b) = _DIAGRAM_BOXES[start][:3], _DIAGRAM_BOXES[end][:4]
        end_y = y_b + height_b / 2 if y_a > y_b else y_b - height_b / 2  # top or bottom of the network
        color = player_color(player)
        ax.add_patch(FancyArrowPatch((x_a - width_a / 2, y_a), (x_b, end_y), arrowstyle="-|>",
                                     mutation_scale=16, color=color, linestyle="--",
                                     linewidth=2.4 if highlight == player else 1.4,
                                     connectionstyle="angle,angleA=0,angleB=90,rad=8", gid=f"update:{player}"))
        ax.text(label_x, label_y, label, ha="center", va="center", fontsize=SMALL_FONT_SIZE, color=color,
                style="italic")
    ax.set(xlim=(-0.2, 13.1), ylim=(-0.35, 6.75), aspect="equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax.figure


# ---------------------------------------------------------------- architectures
def plot_layer_shapes(model, ax=None, merge_same_shape=True, title=None):
    """A diagram of a model's tensor shapes, layer by layer, drawn from the model itself.

    Each block is one layer's output (or, with ``merge_same_shape``, a layer and the
    shape-keeping layers after it): a feature map of side H and C channels is a box of height
    proportional to H and width growing with log2(C); a vector is a thin bar. The shape is
    written above the block, the layers below. Draws into ``ax`` if given; returns the Figure.
    Introduced in chapter 4.
    """
    blocks = layer_shape_blocks(model, merge_same_shape)
    if ax is None:
        figure, ax = plt.subplots(figsize=figure_size(2.8))  # the text width, however many blocks
    figure = ax.figure
    figure.patch.set_facecolor("white")
    figure.patch.set_alpha(1.0)
    ax.set_facecolor("white")
    largest_side = max([shape[0] for _, shape in blocks if len(shape) == 3] or [1])
    largest_vector = max([int(np.prod(shape)) for _, shape in blocks if len(shape) != 3] or [2])
    spacing, box_height = 1.6, 1.6
    for index, (names, shape) in enumerate(blocks):
        center = index * spacing
        if len(shape) == 3:
            height = box_height * shape[0] / largest_side
            width = 0.25 + 0.12 * np.log2(max(shape[2], 1))
            label, color = "×".join(str(side) for side in shape), "tab:orange"
        else:
            size = int(np.prod(shape))
            height = box_height * np.log2(size + 1) / np.log2(largest_vector + 1)
            width, label, color = 0.12, f"{size:,}" if len(shape) == 1 else str(shape), "tab:blue"
        ax.add_patch(plt.Rectangle((center - width / 2, -height / 2), width, height, facecolor=color,
                                   edgecolor="black", alpha=0.75))
        ax.text(center, box_height / 2 + 0.12, label, ha="center", va="bottom", fontsize=SMALL_FONT_SIZE,
                weight="bold")
        names = "\n+ ".join(name.replace(" (", "\n(") for name in names)  # one short line each
        ax.text(center, -box_height / 2 - 0.12, names, ha="center", va="top", fontsize=SMALL_FONT_SIZE)
        if index:
            ax.annotate("", xy=(center - 0.55, 0), xytext=(center - spacing + 0.55, 0),
                        arrowprops={"arrowstyle": "->", "color": "gray"})
    ax.set(xlim=(-spacing / 2, (len(blocks) - 0.5) * spacing), ylim=(-box_height * 1.35, box_height * 0.85),
           xticks=[], yticks=[], title=title if title is not None else f"{model.name}: output shape of each layer")
    for spine in ax.spines.values():
        spine.set_visible(False)
    return figure
