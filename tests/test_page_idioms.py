"""One idiom per thing on every page: showing a figure, fixed noise, importing from gan_utils.

A reader who copies code from one chapter into another should not meet a second way of doing
the same thing. The rules, checked in every notebook page's code:

- A cell that draws with matplotlib ends its drawing with ``plt.show()`` (not a trailing
  semicolon, not a figure left for the inline backend to find); figures drawn as the frames of
  an animation go to ``plotting.save_gif``, which closes them, and the GIF is displayed.
- Noise that must stay the same (for samples shown, for a measurement) is made once with
  ``tf.random.stateless_normal(shape, seed=(seed, k))``; ``keras.random.normal`` is for the
  fresh noise of training steps (with a ``SeedGenerator``), NumPy's generators are for data.
- A figure is drawn for the text column (issue 23 item 2): its size comes from
  ``plotting.figure_size(height)`` or ``plotting.subplots_in_rows`` (never a typed
  ``figsize=(15, 4)``, which the page would shrink with its labels), and no text is set
  smaller than ``plotting.SMALL_FONT_SIZE``.
- The library's toolbox modules are imported as modules and used as ``data.load_images``;
  the training API (``training``, ``callbacks``, ``classifier``, ``precision``, ``monitor``,
  ``augmentation``) is imported by name, ``from gan_utils.training import compiled_gan``;
  ``gan_utils.book`` (the page's bookkeeping) by name too.
"""
import ast
import re

import pytest

import book_files

TOOLBOX = {"checks", "data", "diagrams", "diffusion", "losses", "metrics", "models", "plotting"}
BY_NAME = {"training", "callbacks", "classifier", "precision", "monitor", "augmentation", "book"}
PLOTTING_DRAWERS = re.compile(r"^(plot_\w+|image_grid)$")
PAGES = book_files.notebooks()


def code_cells(page):
    for cell in book_files.cells(page):
        if cell["cell_type"] == "code":
            source = "\n".join(line for line in cell["source"].splitlines() if not line.lstrip().startswith(("%", "!")))
            yield cell.get("id"), ast.parse(source)


def draws(statement):
    """Whether a top-level statement (not a definition) calls matplotlib or a plotting function."""
    if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
        return False
    for node in ast.walk(statement):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "plt" and node.func.attr != "show":
                return True
            if isinstance(owner, ast.Name) and owner.id == "plotting" and PLOTTING_DRAWERS.match(node.func.attr):
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.startswith("draw_"):
            return True
    return False


def is_show(statement):
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
            and ast.unparse(statement.value.func) == "plt.show")


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_figures_are_shown_with_plt_show(page):
    problems = []
    for cell_id, tree in code_cells(page):
        body = tree.body
        drawing = [index for index, statement in enumerate(body) if draws(statement)]
        if "plotting.save_gif(" in ast.unparse(tree):
            continue  # the frames of an animation: save_gif closes each figure
        if drawing and not any(is_show(statement) for statement in body[drawing[-1] + 1:]):
            problems.append(f"cell {cell_id} draws a figure but does not end it with plt.show()")
    assert not problems, f"{page.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_fixed_noise_is_stateless(page):
    problems = []
    for cell_id, tree in code_cells(page):
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
                continue
            name, value = node.targets[0].id, ast.unparse(node.value)
            if re.search(r"SeedGenerator\(|default_rng\(|seed=(self\.)?\w*seed_generator", value):
                continue  # a source of fresh randomness (training noise), not a fixed draw
            if name.endswith("noise") and "stateless_normal" not in value:
                problems.append(f"cell {cell_id}: {name} = {value[:80]} (fixed noise: tf.random.stateless_normal)")
        text = ast.unparse(tree)
        for call in re.findall(r"keras\.random\.normal\([^\n]*", text):
            if "seed=" in call and not re.search(r"seed=self\.seed_generator|seed=\w*seed_generator|seed=noise_seed", call):
                problems.append(f"cell {cell_id}: {call[:80]} (keras.random.normal is for training noise, "
                                "with a SeedGenerator)")
    assert not problems, f"{page.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_gan_utils_is_imported_one_way(page):
    problems = []
    for cell_id, tree in code_cells(page):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "gan_utils":
                wrong = sorted(alias.name for alias in node.names if alias.name not in TOOLBOX)
                if wrong:
                    problems.append(f"cell {cell_id}: `from gan_utils import {', '.join(wrong)}`: import their names, "
                                    f"e.g. `from gan_utils.{wrong[0]} import ...`")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gan_utils."):
                module = node.module.split(".")[1]
                if module not in BY_NAME:
                    problems.append(f"cell {cell_id}: `from gan_utils.{module} import ...`: import the module, "
                                    f"`from gan_utils import {module}`, and use {module}.name")
    assert not problems, f"{page.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_figures_are_sized_for_the_text_column(page):
    from gan_utils.plotting import SMALL_FONT_SIZE

    problems = []
    for cell_id, tree in code_cells(page):
        for node in ast.walk(tree):
            if not isinstance(node, ast.keyword):
                continue
            if node.arg == "figsize" and isinstance(node.value, ast.Tuple):
                problems.append(f"cell {cell_id}: figsize={ast.unparse(node.value)} "
                                "(use plotting.figure_size(height) or plotting.subplots_in_rows)")
            if (node.arg == "fontsize" and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, (int, float)) and node.value.value < SMALL_FONT_SIZE):
                problems.append(f"cell {cell_id}: fontsize={node.value.value} (at least "
                                f"plotting.SMALL_FONT_SIZE = {SMALL_FONT_SIZE}, or leave the default)")
    assert not problems, f"{page.name}:\n" + "\n".join(problems)
