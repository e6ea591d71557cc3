"""Measure the margins of the assignments' thresholds: the solution over several seeds against a weak answer.

    python scripts/assignment_thresholds.py                  # every measurable question, 5 seeds each
    python scripts/assignment_thresholds.py a3_algorithm     # only the assignments named
    python scripts/assignment_thresholds.py --seeds 3 --json results.json --markdown

Each measurable question of a master in notebooks/assignments/ has a threshold the autograder
applies (modes covered >= 7 of 8, classifier FID below 90, ...). A threshold is only fair if it
separates a correct answer from a plausible weak one with room to spare. For each question this
script executes the master's own solution, cell by cell as a student's notebook runs, up to the
question's training cell, with the seed of ``seed_everything(...)`` and of the minibatch
generator set to 0, 1, ..., n-1; it measures what the public test measures (same evaluation
noise); then it does the same for one or two *weak answers*: the solution with a small,
plausible change (half the steps, no BatchNorm, the tutorial's learning rate, a label that
reaches the discriminator too late, ...), given below as text substitutions in the master's
cells, so they follow the master when it changes.

It prints, per question: the threshold, the solution's values (min, median, max over the
seeds), each weak answer's values, the solution's margin (its worst seed against the
threshold) and how many of the weak answer's seeds pass. Training runs at the masters' full
settings (no smoke profile), so this is slow on a CPU: a few minutes per seed for the image
assignments. It is not part of ``make test``; run it after changing a threshold or a solution
and copy its ``--markdown`` table into book/instructor_guide.md.
"""
import argparse
import json
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import book_files



@dataclass
class Measure:
    """What the public test of one question measures, and the threshold it applies."""

    name: str
    code: str  # evaluated in the notebook's namespace after training; its value is the measure
    threshold: float
    at_least: bool  # True: the value must be >= threshold; False: it must be < threshold

    def passes(self, value):
        return value >= self.threshold if self.at_least else value < self.threshold

    def margin(self, values):
        worst = min(values) if self.at_least else max(values)
        return worst - self.threshold if self.at_least else self.threshold - worst

    def describe(self):
        return f"{self.name} {'>=' if self.at_least else '<'} {self.threshold:g}"


@dataclass
class Question:
    assignment: str
    question: str
    training_cell: str  # a snippet unique to the training cell
    measures: list
    weak: dict = field(default_factory=dict)  # label: [(cell snippet, old, new), ...]


RING_MODES = """_noise = np.random.default_rng(1).standard_normal((2000, generator.input_shape[-1])).astype("float32")
_samples = np.asarray(generator(_noise, training=False))
metrics.modes_covered(_samples, data.ring_of_gaussians())"""
RING_QUALITY = RING_MODES.replace("metrics.modes_covered", "metrics.high_quality_fraction")
FID = """_test_images, _ = data.load_images("fashion_mnist", "test", limit=2000)
_noise = np.random.default_rng(1).standard_normal((2000, {noise})).astype("float32")
metrics.classifier_fid(_test_images, np.asarray(generator(_noise, training=False)))"""
CLASS_ACCURACY = """_requested = np.repeat(np.arange(10), 100).astype("int32")
_noise = np.random.default_rng(1).standard_normal((len(_requested), generator.input_shape[0][-1])).astype("float32")
float(np.mean(classify(np.asarray(generator([_noise, _requested], training=False))) == _requested))"""

QUESTIONS = [
    Question("a3_algorithm", "q4_ring", "compiled_iteration = tf.function(train_iteration)",
             [Measure("modes covered of 8", RING_MODES, 7, True),
              Measure("high-quality fraction", RING_QUALITY, 0.5, True)],
             {"half the steps (2,000), no learning-rate decay": [
                 ("compiled_iteration = tf.function", "d_steps, generator_steps = 2, 128, 1, 4000",
                  "d_steps, generator_steps = 2, 128, 1, 2000"),
                 ("compiled_iteration = tf.function", "end_learning_rate=5e-5", "end_learning_rate=1e-3")],
              "a quarter of the steps (1,000)": [
                 ("compiled_iteration = tf.function", "d_steps, generator_steps = 2, 128, 1, 4000",
                  "d_steps, generator_steps = 2, 128, 1, 1000")]}),
    Question("a4_dcgan", "q3_training", "gan = GAN(generator, discriminator, noise_dim=noise_dim)",
             [Measure("classifier FID", FID.format(noise="generator.input_shape[-1]"), 90, False)],
             {"generator without BatchNorm, half the steps (500)": [
                 ("def build_generator(noise_dim):", "        layers.BatchNormalization(),\n", ""),
                 ("gan = GAN(generator", "epochs=4, steps_per_epoch=250", "epochs=2, steps_per_epoch=250")]}),
    Question("a5_debugging", "q5_training", "compiled_discriminator_step = tf.function(discriminator_step)",
             [Measure("classifier FID", FID.format(noise="noise_dim"), 110, False)],
             {"the tutorial's learning rate (2e-4) for both players": [
                 ("compiled_discriminator_step = tf.function", "Adam(2e-3, beta_1=0.5)", "Adam(2e-4, beta_1=0.5)")]}),
    Question("a6_conditional", "q3_class_accuracy", "gan = GAN(generator, discriminator, noise_dim=noise_dim, conditional=True)",
             [Measure("fraction classified as requested", CLASS_ACCURACY, 0.5, True)],
             {"discriminator gets the label only after Flatten, in the last Dense": [
                 ("def build_conditional_discriminator(num_classes):",
                  '    label_plane = layers.Reshape((28, 28, 1))(layers.Embedding(num_classes, 28 * 28)(label))\n'
                  '    x = layers.Concatenate()([image, label_plane])\n'
                  '    x = layers.Conv2D(32, 4, strides=2, padding="same")(x)\n',
                  '    x = layers.Conv2D(32, 4, strides=2, padding="same")(image)\n'),
                 ("def build_conditional_discriminator(num_classes):",
                  "logit = layers.Dense(1)(layers.Flatten()(x))",
                  "logit = layers.Dense(1)(layers.Concatenate()([layers.Flatten()(x), "
                  "layers.Embedding(num_classes, 16)(label)]))")],
              "half the steps (500)": [
                 ("conditional=True)", "epochs=5, steps_per_epoch=200", "epochs=5, steps_per_epoch=100")]}),
]


def solution_cells(assignment, training_cell, substitutions=(), seed=0):
    """The master's code cells a student runs, up to and including the training cell.

    Test cells, otter's cells and the Colab install cell are left out; the training cell's
    seeds (``seed_everything(0)``, ``np.random.default_rng(0)``) become ``seed``.
    """
    cells, in_tests, found = [], False, False
    pending = list(substitutions)
    for cell in book_files.cells(book_files.ROOT / "notebooks" / "assignments" / f"{assignment}.ipynb"):
        source = cell["source"]
        if cell["cell_type"] == "raw":
            in_tests = {"# BEGIN TESTS": True, "# END TESTS": False}.get(source.strip(), in_tests)
            continue
        if cell["cell_type"] != "code" or in_tests or "grader." in source or "otter" in source:
            continue
        for snippet, old, new in list(pending):
            if snippet in source:
                if old not in source:
                    raise SystemExit(f"{assignment}: the weak answer's text {old!r} is not in the cell with {snippet!r}; "
                                     "update QUESTIONS in this script to the master.")
                source = source.replace(old, new)
                pending.remove((snippet, old, new))
        if training_cell in source:
            source = source.replace("seed_everything(0)", f"seed_everything({seed})")
            source = source.replace("np.random.default_rng(0)", f"np.random.default_rng({seed})")
            cells.append(source)
            found = True
            break
        cells.append(source)
    if not found:
        raise SystemExit(f"{assignment}: no cell contains {training_cell!r}; update QUESTIONS in this script.")
    if pending:
        raise SystemExit(f"{assignment}: the weak answer's cells {[s for s, _, _ in pending]} were not found.")
    return cells


def run(question, substitutions, seed):
    """Execute the solution (or weak answer) with ``seed``; return {measure name: value}."""
    import contextlib
    import io

    import keras
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keras.backend.clear_session()
    namespace = {"__name__": f"threshold_{question.assignment}"}
    with contextlib.redirect_stdout(io.StringIO()):
        for index, source in enumerate(solution_cells(question.assignment, question.training_cell, substitutions, seed)):
            exec(compile(source, f"<{question.assignment} cell {index}>", "exec"), namespace)
            plt.close("all")
        if "classify" not in namespace:
            exec("from gan_utils.classifier import classify\nfrom gan_utils import data, metrics\nimport numpy as np",
                 namespace)
        values = {}
        for measure in question.measures:
            *statements, last = measure.code.strip().splitlines()
            exec("\n".join(statements), namespace)
            values[measure.name] = float(eval(last, namespace))
    return values


def measure_question(question, seeds):
    """{"solution" | weak label: {measure: [value per seed]}}, printing as it goes."""
    results = {}
    for label, substitutions in [("solution", [])] + list(question.weak.items()):
        results[label] = {measure.name: [] for measure in question.measures}
        for seed in range(seeds):
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            values = run(question, substitutions, seed)
            for name, value in values.items():
                results[label][name].append(value)
            print(f"  {question.assignment} {question.question} [{label}] seed {seed}: "
                  + ", ".join(f"{name} {value:.3g}" for name, value in values.items())
                  + f" ({time.perf_counter() - start_wall:.0f} s wall, {time.process_time() - start_cpu:.0f} s CPU)",
                  flush=True)
    return results


def summary(values):
    return f"{min(values):.3g} / {statistics.median(values):.3g} / {max(values):.3g}"


def markdown_table(questions, measured, seeds):
    lines = [f"| assignment, question | threshold | solution, {seeds} seeds (min / median / max) | margin of the "
             "worst seed | weak answer | weak answer (min / median / max) | weak seeds that pass |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for question in questions:
        results = measured[question.assignment]
        for measure in question.measures:
            solution = results["solution"][measure.name]
            for label in question.weak:
                weak = results[label][measure.name]
                passing = sum(measure.passes(value) for value in weak)
                lines.append(f"| `{question.assignment}` `{question.question}` | {measure.describe()} | "
                             f"{summary(solution)} | {measure.margin(solution):+.3g} | {label} | {summary(weak)} | "
                             f"{passing} of {len(weak)} |")
        if len(question.measures) > 1:  # the question needs every measure at once
            solution_all = sum(all(m.passes(results["solution"][m.name][i]) for m in question.measures)
                               for i in range(seeds))
            for label in question.weak:
                weak_all = sum(all(m.passes(results[label][m.name][i]) for m in question.measures)
                               for i in range(seeds))
                lines.append(f"| `{question.assignment}` `{question.question}` | all of the above | "
                             f"{solution_all} of {seeds} seeds pass | | {label} | | {weak_all} of {seeds} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*", help="assignments to measure (default: all with a threshold)")
    parser.add_argument("--seeds", type=int, default=5, help="seeds per answer (default 5)")
    parser.add_argument("--json", type=Path, help="also write every value to this file")
    parser.add_argument("--markdown", action="store_true", help="print the table for the instructor guide")
    parser.add_argument("--from-json", type=Path,
                        help="train nothing: print the table of values measured earlier (--json) against today's thresholds")
    args = parser.parse_args(argv)
    if os.environ.get("GAN_BOOK_PROFILE"):
        raise SystemExit("Unset GAN_BOOK_PROFILE: thresholds are measured at the assignments' own settings.")
    known = {question.assignment for question in QUESTIONS}
    unknown = sorted(set(args.assignments) - known)
    if unknown:
        raise SystemExit(f"No measurable question in {unknown}; choose from {sorted(known)}.")
    questions = [question for question in QUESTIONS if not args.assignments or question.assignment in args.assignments]
    if args.from_json:
        measured = json.loads(args.from_json.read_text())
        questions = [question for question in questions if question.assignment in measured]
        seeds = len(next(iter(measured[questions[0].assignment]["solution"].values())))
        print(markdown_table(questions, measured, seeds))
        return 0
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    measured = {}
    for question in questions:
        measured[question.assignment] = measure_question(question, args.seeds)
        if args.json:  # after each question, so a long run keeps what it has
            args.json.write_text(json.dumps(measured, indent=1) + "\n")
    print(markdown_table(questions, measured, args.seeds) if args.markdown else json.dumps(measured, indent=1))
    print(f"\n{time.perf_counter() - start_wall:.0f} s wall, {time.process_time() - start_cpu:.0f} s CPU "
          f"(process time of this process, all threads)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
