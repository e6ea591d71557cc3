"""The graded assignments grade correctly: solutions score 100 %, handouts 0, wrong answers fail.

For every master in notebooks/assignments/ this file generates the student versions and
autograders with the one command (`python scripts/assign.py`, once per session) and then

* executes the solution notebook **once**, in this process, cell by cell; at each question's
  check cell it runs that question's test file (public and hidden tests, the files otter's
  autograder runs) and keeps a snapshot of the namespace; it demands full marks;
* grades the student handout with otter's own autograder (`otter run`, no Docker), run as
  is, and demands 0 points on every question;
* injects typical wrong answers (swapped real/fake labels, a missing log, a flipped sign, the
  generator trained through an unfrozen discriminator, one optimizer over both networks, each
  bug of the debugging assignment, ...) into a copy of the snapshot taken at the question's
  check cell and checks that each fails at least one test of the question it targets, while
  the solution passes the same tests in the same kind of namespace; nothing of the solution
  is executed again;
* checks that handouts contain no solutions and no hidden tests, and that the book never
  shows the masters.
"""
import ast
import json
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MASTERS = sorted((ROOT / "notebooks" / "assignments").glob("*.ipynb"))
ASSIGNMENTS = [path.stem for path in MASTERS]


def source_of(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def load_notebook(path):
    return json.loads(Path(path).read_text())


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Student versions and autograders of every assignment, made by the one command."""
    output = tmp_path_factory.mktemp("assignments")
    result = subprocess.run([sys.executable, "scripts/assign.py", "--output", str(output)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def paths(generated, name):
    base = generated / name
    return {"student": base / "student" / f"{name}.ipynb", "solution": base / "autograder" / f"{name}.ipynb",
            "zip": base / "autograder" / f"{name}-autograder.zip", "tests": base / "autograder" / "tests"}


def grade(notebook, autograder_zip):
    from otter.api import grade_submission

    return grade_submission(str(notebook), str(autograder_zip), quiet=True)


def question_names(generated, name):
    return sorted(path.stem for path in paths(generated, name)["tests"].glob("*.py"))


# ---------------------------------------------------------------- structure
def test_there_are_at_least_six_assignments():
    assert len(ASSIGNMENTS) >= 6, ASSIGNMENTS


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_master_is_clean_and_installs_on_colab_only(master):
    notebook = load_notebook(master)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    cells = notebook["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code":
            assert not cell["outputs"] and cell["execution_count"] is None, f"cell {index} has outputs"
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    first = source_of(cells[0])
    assert cells[0]["cell_type"] == "code", "the first cell installs what Colab needs"
    for needed in (f"git+{url}", "otter-grader", '"google.colab" in sys.modules'):
        assert needed in first, f"the install cell lacks {needed!r}"
    config = [c for c in cells if c["cell_type"] == "raw" and source_of(c).startswith("# ASSIGNMENT CONFIG")]
    assert len(config) == 1
    tests = yaml.safe_load(source_of(config[0]))["tests"]
    assert tests == {"files": True, "ok_format": False}, "assert-style test functions, stored as files"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_question_has_public_and_hidden_tests(generated, name):
    from otter.test_files import ExceptionTestFile

    questions = question_names(generated, name)
    assert len(questions) >= 2
    for path in sorted(paths(generated, name)["tests"].glob("*.py")):
        hidden = [case.hidden for case in ExceptionTestFile.from_file(str(path)).test_cases]
        assert any(hidden) and not all(hidden), f"{path.stem} needs public and hidden tests, got hidden={hidden}"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_handout_has_no_solutions_or_hidden_tests_and_runs_on_its_own(generated, name):
    from otter.test_files import ExceptionTestFile

    notebook = load_notebook(paths(generated, name)["student"])
    text = "\n".join(source_of(cell) for cell in notebook["cells"])
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN PROMPT", "# HIDDEN", "BEGIN QUESTION", "ASSIGNMENT CONFIG"):
        assert marker not in text, f"the handout contains {marker!r}"
    for path in sorted(paths(generated, name)["tests"].glob("*.py")):
        for case in ExceptionTestFile.from_file(str(path)).test_cases:
            function_name = case.body.test_func.__name__
            assert (function_name in text) != case.hidden, f"{function_name} (hidden={case.hidden}) in the handout"
    first = source_of(notebook["cells"][0])
    assert first.startswith("# Colab only: install") and "otter-grader" in first
    assert "PUBLIC_TESTS = {" in text and "otter.Notebook(tests_dir=TESTS_DIR)" in text, "public tests are embedded"
    assert not (paths(generated, name)["student"].parent / "tests").exists(), "the handout is one file"


def test_the_book_never_shows_the_masters():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "notebooks/assignments/**" in config["exclude_patterns"]
    assert any("assignments" in pattern for pattern in config["execute"]["exclude_patterns"])
    assert "assignments/" not in (ROOT / "_toc.yml").read_text()
    pages = list((ROOT / "book").glob("*.md")) + list((ROOT / "notebooks").glob("*.ipynb"))
    for page in pages:
        text = page.read_text()
        assert "](notebooks/assignments" not in text and "](../notebooks/assignments" not in text, \
            f"{page.name} links to a master (with solutions)"


# ---------------------------------------------------------------- grading with otter
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_solution_scores_full_marks(generated, name):
    run = solution_run(generated, name)
    assert set(run.results) == set(question_names(generated, name)), "every question has a check cell"
    lost = {question: [(test, message) for test, passed, message in results if not passed]
            for question, (results, score, possible) in run.results.items() if score < possible}
    assert not lost, f"the solution loses points: {lost}"
    assert sum(possible for _, _, possible in run.results.values()) > 0


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_handout_run_as_is_scores_zero_on_every_question(generated, name):
    files = paths(generated, name)
    results = grade(files["student"], files["zip"])
    scores = {question: results.get_score(question) for question in question_names(generated, name)}
    assert scores and all(score == 0 for score in scores.values()), scores


# ---------------------------------------------------------------- wrong answers
@dataclass(frozen=True)
class WrongAnswer:
    """``code`` replaces the solution of ``question`` (or, with ``from_handout``, the handout's
    version of that function is used). ``only`` restricts the check to one test function;
    ``setup`` (with ``wrong_setup`` for the wrong variant) builds variables the tests read."""

    assignment: str
    question: str
    label: str
    code: str = ""
    from_handout: str = ""
    only: str = ""
    namespace_until: str = ""
    setup: str = ""

    @property
    def id(self):
        return f"{self.assignment}-{self.question}-{self.label}"


def wrong(assignment, question, label, code="", **kwargs):
    return WrongAnswer(assignment, question, label, textwrap.dedent(code), **kwargs)


A1, A2, A3, A4, A5, A6 = (
    "a1_losses", "a2_optimal_discriminator", "a3_algorithm", "a4_dcgan", "a5_debugging", "a6_conditional")

WRONG_ANSWERS = [
    # ---- assignment 1: losses from logits
    wrong(A1, "q1_discriminator_loss", "swapped real and fake labels", """
        def minimax_discriminator_loss(real_logits, fake_logits):
            real_logits, fake_logits = tf.constant(real_logits, tf.float32), tf.constant(fake_logits, tf.float32)
            return tf.reduce_mean(tf.math.softplus(real_logits)) + tf.reduce_mean(tf.math.softplus(-fake_logits))
        """),
    wrong(A1, "q1_discriminator_loss", "missing log", """
        def minimax_discriminator_loss(real_logits, fake_logits):
            return -tf.reduce_mean(tf.sigmoid(real_logits)) - tf.reduce_mean(1.0 - tf.sigmoid(fake_logits))
        """),
    wrong(A1, "q1_discriminator_loss", "flipped sign (V instead of -V)", """
        def minimax_discriminator_loss(real_logits, fake_logits):
            real_logits, fake_logits = tf.constant(real_logits, tf.float32), tf.constant(fake_logits, tf.float32)
            return -tf.reduce_mean(tf.math.softplus(-real_logits)) - tf.reduce_mean(tf.math.softplus(fake_logits))
        """),
    wrong(A1, "q1_discriminator_loss", "log of a sigmoid, not stable", """
        def minimax_discriminator_loss(real_logits, fake_logits):
            return (-tf.reduce_mean(tf.math.log(tf.sigmoid(real_logits)))
                    - tf.reduce_mean(tf.math.log(1.0 - tf.sigmoid(fake_logits))))
        """),
    wrong(A1, "q1_discriminator_loss", "one mean over both minibatches", """
        def minimax_discriminator_loss(real_logits, fake_logits):
            terms = tf.concat([tf.math.softplus(-tf.constant(real_logits, tf.float32)),
                               tf.math.softplus(tf.constant(fake_logits, tf.float32))], axis=0)
            return 2.0 * tf.reduce_mean(terms)
        """),
    wrong(A1, "q2_minimax_generator_loss", "flipped sign", """
        def minimax_generator_loss(fake_logits):
            return tf.reduce_mean(tf.math.softplus(tf.constant(fake_logits, tf.float32)))
        """),
    wrong(A1, "q2_minimax_generator_loss", "missing log", """
        def minimax_generator_loss(fake_logits):
            return tf.reduce_mean(1.0 - tf.sigmoid(tf.constant(fake_logits, tf.float32)))
        """),
    wrong(A1, "q3_non_saturating_generator_loss", "flipped sign (minimising E[log D(G(z))])", """
        def non_saturating_generator_loss(fake_logits):
            return -tf.reduce_mean(tf.math.softplus(-tf.constant(fake_logits, tf.float32)))
        """),
    wrong(A1, "q3_non_saturating_generator_loss", "missing log", """
        def non_saturating_generator_loss(fake_logits):
            return -tf.reduce_mean(tf.sigmoid(tf.constant(fake_logits, tf.float32)))
        """),
    wrong(A1, "q4_gradients", "the two gradients swapped", """
        def generator_loss_gradients(fake_logits):
            logits = tf.constant(fake_logits, tf.float32)
            with tf.GradientTape(persistent=True) as tape:
                tape.watch(logits)
                minimax, non_saturating = minimax_generator_loss(logits), non_saturating_generator_loss(logits)
            return tape.gradient(non_saturating, logits).numpy(), tape.gradient(minimax, logits).numpy()
        """),
    # ---- assignment 2: D* and the JSD identity
    wrong(A2, "q1_optimal_discriminator", "swapped real and fake", """
        def optimal_discriminator(p_data, p_model):
            return np.asarray(p_model, float) / (np.asarray(p_data, float) + np.asarray(p_model, float))
        """),
    wrong(A2, "q2_value_function", "missing log", """
        def value_function(discriminator, p_data, p_model, x):
            return float(integrate(p_data * discriminator, x) + integrate(p_model * (1 - discriminator), x))
        """),
    wrong(A2, "q2_value_function", "flipped sign", """
        def value_function(discriminator, p_data, p_model, x):
            return -float(integrate(p_data * np.log(discriminator), x) + integrate(p_model * np.log(1 - discriminator), x))
        """),
    wrong(A2, "q2_value_function", "swapped real and fake", """
        def value_function(discriminator, p_data, p_model, x):
            return float(integrate(p_model * np.log(discriminator), x) + integrate(p_data * np.log(1 - discriminator), x))
        """),
    wrong(A2, "q3_jensen_shannon", "missing log", """
        def jensen_shannon(p, q, x):
            m = 0.5 * (p + q)
            return float(0.5 * integrate(p * (p / m), x) + 0.5 * integrate(q * (q / m), x))
        """),
    wrong(A2, "q3_jensen_shannon", "KL instead of JSD", """
        def jensen_shannon(p, q, x):
            with np.errstate(all="ignore"):
                return float(integrate(np.where(p > 0, p * np.log(np.where(p > 0, p, 1) / np.where(q > 0, q, 1e-300)), 0), x))
        """),
    wrong(A2, "q3_jensen_shannon", "missing the factor 1/2", """
        def jensen_shannon(p, q, x):
            m = 0.5 * (p + q)
            with np.errstate(all="ignore"):
                return float(integrate(p * np.log(p / m), x) + integrate(q * np.log(q / m), x))
        """),
    wrong(A2, "q3_jensen_shannon", "0 log 0 not handled", """
        def jensen_shannon(p, q, x):
            m = 0.5 * (p + q)
            with np.errstate(divide="ignore", invalid="ignore"):
                return float(0.5 * integrate(p * np.log(p / m), x) + 0.5 * integrate(q * np.log(q / m), x))
        """),
    # ---- assignment 3: Algorithm 1 by hand
    wrong(A3, "q1_discriminator_step", "swapped real and fake labels", """
        def discriminator_step(generator, discriminator, d_optimizer, real, noise):
            fake = generator(noise, training=True)
            with tf.GradientTape() as tape:
                d_loss = minimax_discriminator_loss(discriminator(fake, training=True), discriminator(real, training=True))
            gradients = tape.gradient(d_loss, discriminator.trainable_variables)
            d_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
            return d_loss
        """),
    wrong(A3, "q1_discriminator_step", "flipped sign of the update", """
        def discriminator_step(generator, discriminator, d_optimizer, real, noise):
            fake = generator(noise, training=True)
            with tf.GradientTape() as tape:
                d_loss = minimax_discriminator_loss(discriminator(real, training=True), discriminator(fake, training=True))
            gradients = [-gradient for gradient in tape.gradient(d_loss, discriminator.trainable_variables)]
            d_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
            return d_loss
        """),
    wrong(A3, "q1_discriminator_step", "missing log", """
        def discriminator_step(generator, discriminator, d_optimizer, real, noise):
            fake = generator(noise, training=True)
            with tf.GradientTape() as tape:
                d_loss = (-tf.reduce_mean(tf.sigmoid(discriminator(real, training=True)))
                          - tf.reduce_mean(1.0 - tf.sigmoid(discriminator(fake, training=True))))
            gradients = tape.gradient(d_loss, discriminator.trainable_variables)
            d_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
            return d_loss
        """),
    wrong(A3, "q1_discriminator_step", "one optimizer over both networks", """
        def discriminator_step(generator, discriminator, d_optimizer, real, noise):
            variables = generator.trainable_variables + discriminator.trainable_variables
            with tf.GradientTape() as tape:
                fake = generator(noise, training=True)
                d_loss = minimax_discriminator_loss(discriminator(real, training=True), discriminator(fake, training=True))
            d_optimizer.apply_gradients(zip(tape.gradient(d_loss, variables), variables))
            return d_loss
        """),
    wrong(A3, "q2_generator_step", "unfrozen discriminator (D updated in the G step)", """
        def generator_step(generator, discriminator, g_optimizer, noise):
            variables = generator.trainable_variables + discriminator.trainable_variables
            with tf.GradientTape() as tape:
                g_loss = non_saturating_generator_loss(discriminator(generator(noise, training=True), training=True))
            g_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables))
            return g_loss
        """),
    wrong(A3, "q2_generator_step", "label 0: trained to be caught", """
        def generator_step(generator, discriminator, g_optimizer, noise):
            with tf.GradientTape() as tape:
                fake_logits = discriminator(generator(noise, training=True), training=True)
                g_loss = tf.reduce_mean(tf.math.softplus(fake_logits))  # cross-entropy with target 0
            gradients = tape.gradient(g_loss, generator.trainable_variables)
            g_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
            return g_loss
        """),
    wrong(A3, "q2_generator_step", "flipped sign", """
        def generator_step(generator, discriminator, g_optimizer, noise):
            with tf.GradientTape() as tape:
                g_loss = -non_saturating_generator_loss(discriminator(generator(noise, training=True), training=True))
            gradients = tape.gradient(g_loss, generator.trainable_variables)
            g_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
            return g_loss
        """),
    wrong(A3, "q3_train_iteration", "one optimizer over both networks", """
        def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
            variables = generator.trainable_variables + discriminator.trainable_variables
            for index in range(real_minibatches.shape[0]):
                real = real_minibatches[index]
                noise = tf.random.normal((real.shape[0], noise_dim))
                with tf.GradientTape() as tape:
                    d_loss = minimax_discriminator_loss(discriminator(real), discriminator(generator(noise)))
                d_optimizer.apply_gradients(zip(tape.gradient(d_loss, variables), variables))
            with tf.GradientTape() as tape:
                g_loss = non_saturating_generator_loss(discriminator(generator(noise)))
            d_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables))
            return d_loss, g_loss
        """),
    wrong(A3, "q3_train_iteration", "k ignored: one discriminator step", """
        def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
            size = real_minibatches.shape[1]
            d_loss = discriminator_step(generator, discriminator, d_optimizer, real_minibatches[0],
                                        tf.random.normal((size, noise_dim)))
            g_loss = generator_step(generator, discriminator, g_optimizer, tf.random.normal((size, noise_dim)))
            return d_loss, g_loss
        """),
    # ---- assignment 4: DCGAN
    wrong(A4, "q1_generator", "sigmoid output instead of tanh", """
        def build_generator(noise_dim):
            return keras.Sequential([keras.Input((noise_dim,)), layers.Dense(7 * 7 * 16), layers.ReLU(),
                                     layers.Reshape((7, 7, 16)), layers.Conv2DTranspose(8, 4, strides=2, padding="same"),
                                     layers.BatchNormalization(), layers.ReLU(),
                                     layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="sigmoid")])
        """),
    wrong(A4, "q1_generator", "three upsamplings from 4x4: 32x32 images", """
        def build_generator(noise_dim):
            return keras.Sequential([keras.Input((noise_dim,)), layers.Dense(4 * 4 * 16), layers.ReLU(),
                                     layers.Reshape((4, 4, 16)),
                                     layers.Conv2DTranspose(16, 4, strides=2, padding="same"), layers.ReLU(),
                                     layers.Conv2DTranspose(8, 4, strides=2, padding="same"), layers.ReLU(),
                                     layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")])
        """),
    wrong(A4, "q2_discriminator", "sigmoid on the logit", """
        def build_discriminator():
            return keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(16, 4, strides=2, padding="same"),
                                     layers.LeakyReLU(0.2), layers.Conv2D(32, 4, strides=2, padding="same"),
                                     layers.LeakyReLU(0.2), layers.Flatten(), layers.Dense(1, activation="sigmoid")])
        """),
    # ---- assignment 5: the seeded bugs, each left unfixed on its own (taken from the handout) ...
    *[wrong(A5, question, f"handout's {function}", from_handout=function) for question, function in [
        ("q1_real_data", "load_real_images"), ("q1_real_data", "sample_real_batch"),
        ("q2_labels", "discriminator_labels"), ("q3_models", "build_generator"),
        ("q3_models", "build_discriminator"), ("q4_training_steps", "discriminator_step"),
        ("q4_training_steps", "generator_step")]],
    # ... and single bugs in otherwise repaired code
    wrong(A5, "q3_models", "relu followed by LeakyReLU in a 28x28 generator", """
        def build_generator():
            model = keras.Sequential([keras.Input((noise_dim,)), layers.Dense(7 * 7 * 16), layers.Reshape((7, 7, 16)),
                                      layers.Conv2DTranspose(8, 4, strides=2, padding="same", activation="relu"),
                                      layers.LeakyReLU(0.2),
                                      layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")])
            return model
        """),
    wrong(A5, "q4_training_steps", "one optimizer over both networks", """
        def discriminator_step(generator, discriminator, d_optimizer, real_batch):
            batch_size = real_batch.shape[0]
            variables = generator.trainable_variables + discriminator.trainable_variables
            with tf.GradientTape() as tape:
                fake_batch = generator(tf.random.normal((batch_size, noise_dim)), training=True)
                logits = discriminator(tf.concat([real_batch, fake_batch], axis=0), training=True)
                loss = binary_cross_entropy(discriminator_labels(batch_size), logits)
            d_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
            return loss
        """),
    wrong(A5, "q4_training_steps", "unfrozen discriminator in the stacked model", """
        def generator_step(generator, discriminator, g_optimizer, batch_size):
            combined = keras.Sequential([generator, discriminator])
            with tf.GradientTape() as tape:
                logits = combined(tf.random.normal((batch_size, noise_dim)), training=True)
                loss = binary_cross_entropy(tf.ones((batch_size, 1)), logits)
            g_optimizer.apply_gradients(zip(tape.gradient(loss, combined.trainable_variables),
                                            combined.trainable_variables))
            return loss
        """),
    wrong(A5, "q4_training_steps", "label 0 for the generator's fakes", """
        def generator_step(generator, discriminator, g_optimizer, batch_size):
            with tf.GradientTape() as tape:
                logits = discriminator(generator(tf.random.normal((batch_size, noise_dim)), training=True), training=True)
                loss = binary_cross_entropy(tf.zeros((batch_size, 1)), logits)
            gradients = tape.gradient(loss, generator.trainable_variables)
            g_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
            return loss
        """),
    wrong(A5, "q5_training", "half_batch used as steps per epoch", "steps_per_epoch = half_batch",
          only="test_one_pass_over_the_data_per_epoch", namespace_until="q4_training_steps",
          setup="real_images = load_real_images(limit=12800)\nsteps_per_epoch = len(real_images) // batch_size"),
    # ---- assignment 6: conditional GAN
    wrong(A6, "q1_conditional_generator", "the generator ignores its label", """
        def build_conditional_generator(noise_dim, num_classes):
            noise, label = keras.Input((noise_dim,)), keras.Input((), dtype="int32")
            ignored = layers.Embedding(num_classes, noise_dim)(label)
            x = layers.Add()([noise, 0.0 * ignored])
            x = layers.Reshape((7, 7, 16))(layers.Dense(7 * 7 * 16, activation="relu")(x))
            x = layers.Conv2DTranspose(8, 4, strides=2, padding="same", activation="relu")(x)
            image = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
            return keras.Model([noise, label], image)
        """),
    wrong(A6, "q2_conditional_discriminator", "the discriminator ignores its label", """
        def build_conditional_discriminator(num_classes):
            image, label = keras.Input((28, 28, 1)), keras.Input((), dtype="int32")
            ignored = layers.Reshape((28, 28, 1))(layers.Embedding(num_classes, 28 * 28)(label))
            x = layers.Add()([image, 0.0 * ignored])
            x = layers.LeakyReLU(0.2)(layers.Conv2D(16, 4, strides=2, padding="same")(x))
            return keras.Model([image, label], layers.Dense(1)(layers.Flatten()(x)))
        """),
    wrong(A6, "q2_conditional_discriminator", "sigmoid on the logit", """
        def build_conditional_discriminator(num_classes):
            image, label = keras.Input((28, 28, 1)), keras.Input((), dtype="int32")
            plane = layers.Reshape((28, 28, 1))(layers.Embedding(num_classes, 28 * 28)(label))
            x = layers.Concatenate()([image, plane])
            x = layers.LeakyReLU(0.2)(layers.Conv2D(16, 4, strides=2, padding="same")(x))
            return keras.Model([image, label], layers.Dense(1, activation="sigmoid")(layers.Flatten()(x)))
        """),
]


@dataclass
class SolutionRun:
    """One execution of a solution: per question, its test results and the namespace at its check cell."""

    snapshots: dict
    results: dict


_solution_runs = {}


def solution_run(generated, name):
    """Execute the solution notebook once per session, in this process, grading at every check cell.

    A snapshot is a shallow copy of the namespace at the question's check cell: the wrong
    answers replace a function in a copy of it, so no cell of the solution runs twice.
    """
    import matplotlib.pyplot as plt

    if name in _solution_runs:
        return _solution_runs[name]
    run = SolutionRun({}, {})
    namespace = {"__name__": f"assignment_{name}"}
    for index, cell in enumerate(load_notebook(paths(generated, name)["solution"])["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = source_of(cell)
        checked = re.findall(r'^\s*grader\.check\("(\w+)"\)', source, re.MULTILINE)
        for question in checked:
            run.snapshots[question] = dict(namespace)
            run.results[question] = run_question_tests(generated, name, question, dict(namespace))
        if checked or "grader.check" in source or "otter.Notebook(" in source:
            continue
        exec(compile(source, f"<{name} cell {index}>", "exec"), namespace)
        plt.close("all")
    _solution_runs[name] = run
    return run


def solution_namespace(generated, name, until):
    """A fresh copy of the solution's namespace at the check cell of question ``until``."""
    snapshots = solution_run(generated, name).snapshots
    assert until in snapshots, f"{name} has no check cell for {until}"
    return dict(snapshots[until])


def handout_function(generated, name, function):
    """The source of ``function`` as the student receives it."""
    for cell in load_notebook(paths(generated, name)["student"])["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = source_of(cell)
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef) and node.name == function:
                return ast.get_source_segment(source, node)
    raise AssertionError(f"no function {function} in the {name} handout")


def run_question_tests(generated, name, question, namespace, only="", with_score=True):
    """Run the question's tests (public and hidden) on ``namespace``.

    Returns ([(test name, passed, message)], points scored, points possible), or only the list
    when ``with_score`` is false.
    """
    from otter.test_files import ExceptionTestFile

    test_file = ExceptionTestFile.from_file(str(paths(generated, name)["tests"] / f"{question}.py"))
    if only:
        test_file.test_cases = [case for case in test_file.test_cases if case.body.test_func.__name__ == only]
        assert test_file.test_cases, f"no test {only} in {question}"
    test_file.run(namespace)
    results = [(result.test_case.body.test_func.__name__, result.passed, result.message)
               for result in test_file.test_case_results]
    return (results, test_file.score, test_file.possible) if with_score else results


def test_every_required_kind_of_wrong_answer_is_checked():
    labels = " | ".join(case.label for case in WRONG_ANSWERS)
    for kind in ("swapped real and fake", "missing log", "flipped sign", "unfrozen discriminator",
                 "one optimizer over both networks"):
        assert kind in labels, kind
    assert {case.assignment for case in WRONG_ANSWERS} == set(ASSIGNMENTS)


_solution_results = {}


@pytest.mark.parametrize("case", WRONG_ANSWERS, ids=lambda case: case.id)
def test_wrong_answer_fails_the_question_it_targets(generated, case):
    until = case.namespace_until or case.question
    # The solution passes these tests in the same kind of namespace (checked once per question) ...
    key = (case.assignment, case.question, case.only, case.setup)
    if key not in _solution_results:
        namespace = solution_namespace(generated, case.assignment, until)
        exec(case.setup, namespace)
        _solution_results[key] = run_question_tests(generated, case.assignment, case.question, namespace,
                                                     case.only, with_score=False)
    failed = [(test, message) for test, passed, message in _solution_results[key] if not passed]
    assert not failed, f"the solution fails {failed}"
    # ... and the wrong answer, put in its place, fails at least one of them, on its own merits.
    namespace = solution_namespace(generated, case.assignment, until)
    exec(case.setup, namespace)
    code = handout_function(generated, case.assignment, case.from_handout) if case.from_handout else case.code
    exec(compile(code, f"<wrong answer: {case.label}>", "exec"), namespace)
    results = run_question_tests(generated, case.assignment, case.question, namespace, case.only, with_score=False)
    failed = [(test, message) for test, passed, message in results if not passed]
    assert failed, f"no test of {case.question} catches: {case.label}"
    for test, message in failed:
        assert "NameError" not in message and "SyntaxError" not in message, f"broken wrong answer: {message}"
