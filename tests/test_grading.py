"""gan_utils.grading's guards against shortcuts through the library (the assignments' tests use them)."""
import importlib
import textwrap

import numpy as np
import pytest

from gan_utils import grading, losses


def define(source, namespace=None):
    """Define the function in ``source`` as a notebook would (its source findable by inspect)."""
    import linecache

    source = textwrap.dedent(source)
    filename = f"<cell {abs(hash(source))}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {} if namespace is None else namespace
    exec(compile(source, filename, "exec"), namespace)
    return namespace


HONEST = """
def loss(logits):
    import numpy as np
    return np.mean(np.logaddexp(0, -np.asarray(logits, "float64")))
"""
SHORTCUTS = {
    "alias import": """
        def loss(logits):
            from gan_utils import losses as L
            return L.non_saturating_generator_loss(logits)
        """,
    "module import": """
        def loss(logits):
            import gan_utils.losses
            return gan_utils.losses.non_saturating_generator_loss(logits)
        """,
    "importlib": """
        def loss(logits):
            import importlib
            return importlib.import_module("gan_" + "utils.losses").non_saturating_generator_loss(logits)
        """,
    "__import__": """
        def loss(logits):
            return getattr(__import__("gan_utils.losses", fromlist=["x"]), "non_saturating_generator_loss")(logits)
        """,
}


def test_an_honest_function_passes_both_guards():
    loss = define(HONEST)["loss"]
    assert grading.library_shortcuts(loss, "gan_utils.losses") == []
    assert grading.assert_no_shortcut(loss, "gan_utils.losses")
    logits = np.array([-2.0, 0.5], "float32")
    assert grading.compare_functions(loss, losses.non_saturating_generator_loss, [logits], forbidden="gan_utils.losses")


@pytest.mark.parametrize("label", SHORTCUTS)
def test_each_style_of_shortcut_is_found_in_the_source(label):
    loss = define(SHORTCUTS[label])["loss"]
    with pytest.raises(grading.LibraryShortcut, match="write it yourself"):
        grading.assert_no_shortcut(loss, "gan_utils.losses")


@pytest.mark.parametrize("label", SHORTCUTS)
def test_each_style_of_shortcut_springs_the_trap_at_run_time(label):
    namespace = {}
    exec(compile(textwrap.dedent(SHORTCUTS[label]), "<no source>", "exec"), namespace)  # inspect finds nothing
    loss = namespace["loss"]
    assert grading.library_shortcuts(loss, "gan_utils.losses") == [] or label == "module import"
    with pytest.raises(grading.LibraryShortcut, match="non_saturating_generator_loss"):
        grading.compare_functions(loss, losses.non_saturating_generator_loss, [np.zeros(2, "float32")],
                                  forbidden="gan_utils.losses")


def test_a_name_bound_in_another_cell_is_found_through_the_globals():
    namespace = define("from gan_utils.losses import non_saturating_generator_loss as ns\n")
    loss = define("def loss(logits):\n    return ns(logits)\n", namespace)["loss"]
    assert grading.library_shortcuts(loss, "gan_utils.losses") == [
        "it uses ns, which is gan_utils.losses.non_saturating_generator_loss"]
    helper = define("def helper(x):\n    return ns(x)\n\ndef loss(logits):\n    return 2 * helper(logits)\n",
                    namespace)["loss"]
    assert grading.library_shortcuts(helper, "gan_utils.losses"), "a helper of the student's is followed"


def test_one_object_can_be_forbidden_and_the_rest_of_its_module_allowed():
    namespace = define("from gan_utils import training\n")
    uses_gan = define("def build():\n    return training.GAN\n", namespace)["build"]
    seeds = define("def seed():\n    from gan_utils.training import seed_everything\n    seed_everything(0)\n",
                   namespace)["seed"]
    assert grading.library_shortcuts(uses_gan, ["gan_utils.training.GAN"])  # the module holding it
    assert grading.library_shortcuts(seeds, ["gan_utils.training.GAN"]) == []
    with grading.shortcuts_trapped(["gan_utils.training.GAN"]):
        seeds()
        with pytest.raises(grading.LibraryShortcut, match="gan_utils.training.GAN"):
            importlib.import_module("gan_utils.training").GAN(None, None, 2)


def test_the_traps_are_removed_afterwards_even_after_an_error():
    original = losses.minimax_generator_loss
    with pytest.raises(ZeroDivisionError):
        with grading.shortcuts_trapped("gan_utils.losses"):
            assert losses.minimax_generator_loss is not original
            1 / 0
    assert losses.minimax_generator_loss is original


def test_an_unknown_name_is_a_clear_error():
    with pytest.raises(ValueError, match="has no attribute 'no_such_loss'"):
        grading.shortcuts_trapped("gan_utils.losses.no_such_loss")


def reference_log(x):
    return np.log(x)


def test_compare_functions_one_sentence_per_kind_of_error():
    inputs = [(np.array([0.5, 0.9]),), (np.array([0.1]),)]
    assert grading.compare_functions(np.log, reference_log, inputs)
    with pytest.raises(AssertionError, match="opposite sign"):
        grading.compare_functions(lambda x: -np.log(x), reference_log, inputs)
    with pytest.raises(AssertionError, match="returned None"):
        grading.compare_functions(lambda x: None, reference_log, inputs)
    with pytest.raises(AssertionError, match=r"has shape \(\), expected \(2,\)"):
        grading.compare_functions(lambda x: np.log(x).mean(), reference_log, inputs)
    with pytest.raises(AssertionError, match="raised ZeroDivisionError"):
        grading.compare_functions(lambda x: 1 / 0, reference_log, inputs)
    with pytest.raises(AssertionError, match=r"at position \(0,\) got 0\.5, expected -0\.69"):
        grading.compare_functions(lambda x: x, reference_log, inputs)
    with np.errstate(invalid="ignore"), pytest.raises(AssertionError, match="NaN"):
        grading.compare_functions(lambda x: np.log(x - 1), reference_log, inputs)


def test_describe_difference_names_the_kind_of_error():
    reference = np.array([1.0, -2.0, 3.0])
    assert grading.describe_difference(reference + 1e-7, reference) is None
    assert "shape (2,), expected (3,)" in grading.describe_difference(reference[:2], reference)
    assert "opposite sign" in grading.describe_difference(-reference, reference)
    assert "NaN or infinite" in grading.describe_difference(np.array([1.0, np.inf, 3.0]), reference)
    message = grading.describe_difference(np.array([1.0, -2.0, 3.5]), reference, what="the loss")
    assert message.startswith("the loss differs") and "position (2,)" in message and "got 3.5" in message


# ---------------------------------------------------------------- calls_recorded and friends
ITERATION = """
import numpy as np
import tensorflow as tf


def step(real, noise, label="d"):
    return tf.reduce_sum(real) + tf.reduce_sum(noise)


def iteration(real_minibatches, numpy_noise=False):
    for index in range(real_minibatches.shape[0]):
        noise = (tf.constant(np.random.standard_normal((2, 2)).astype("float32")) if numpy_noise
                 else tf.random.normal((2, 2)))
        step(real_minibatches[index], noise)
    return step(real_minibatches[0], tf.zeros((2, 2)), label="g")
"""


def test_calls_recorded_logs_each_call_by_parameter_name_in_order_and_restores_the_function():
    import tensorflow as tf

    namespace = define(ITERATION)
    original = namespace["step"]
    real = tf.constant(np.arange(12, dtype="float32").reshape(3, 2, 2))
    with grading.calls_recorded(namespace["iteration"], ["step"]) as calls:
        namespace["iteration"](real)
    assert namespace["step"] is original
    assert [arguments["label"] for _, arguments in calls] == ["d", "d", "d", "g"]
    assert all(np.array_equal(calls[i][1]["real"], real[i]) for i in range(3))
    assert float(calls[-1][1]["returned"]) == float(np.sum(real[0]))
    assert len({calls[i][1]["noise"].tobytes() for i in range(3)}) == 3


@pytest.mark.parametrize("numpy_noise", [False, True])
def test_calls_recorded_sees_the_values_inside_tf_function(numpy_noise):
    """NumPy noise is drawn once, when tf.function traces: the log shows the same array twice."""
    import tensorflow as tf

    namespace = define(ITERATION)
    compiled = tf.function(namespace["iteration"])
    real = tf.zeros((1, 2, 2))
    with grading.calls_recorded(namespace["iteration"], ["step"]) as calls:
        for _ in range(2):
            compiled(real, numpy_noise)
    noises = [arguments["noise"] for _, arguments in calls if arguments["label"] == "d"]
    assert len(noises) == 2
    assert np.array_equal(noises[0], noises[1]) == numpy_noise


def test_calls_recorded_says_what_to_define_first():
    namespace = define("def iteration():\n    return step()\n")
    with pytest.raises(AssertionError, match="define step first"):
        grading.calls_recorded(namespace["iteration"], ["step"])


def test_explain_keras_error_names_the_cause_of_two_structural_mistakes():
    import keras
    import tensorflow as tf

    from gan_utils import models

    generator = models.mlp_generator(noise_dim=2, output_dim=2, hidden_units=(4,))
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(4,))
    optimizer = keras.optimizers.SGD(0.1)
    for network in (discriminator, generator):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(discriminator(generator(tf.zeros((4, 2)))))
        variables = network.trainable_variables
        try:
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        except ValueError as error:
            message = grading.explain_keras_error(error)
    assert "its own optimizer" in message and "[[" not in message
    with pytest.raises(ValueError) as raised:
        discriminator(tf.zeros((3, 4, 2)))
    message = grading.explain_keras_error(raised.value, "index the minibatches first")
    assert "(3, 4, 2)" in message and "(None, 2)" in message and message.endswith("index the minibatches first.")
    assert grading.explain_keras_error(ValueError("something else")) is None


def test_other_optimizers_of_finds_an_optimizer_that_was_not_handed_in():
    import keras

    from gan_utils import models

    generator = models.mlp_generator(noise_dim=2, output_dim=2, hidden_units=(4,))
    handed_in, hidden = keras.optimizers.Adam(), keras.optimizers.Adam()
    assert not grading.optimizer_trains(handed_in, generator), "not built: it has taken no step"
    handed_in.build(generator.trainable_variables)
    assert grading.optimizer_trains(handed_in, generator)
    assert grading.other_optimizers_of(generator, besides=[handed_in]) == []
    hidden.build(generator.trainable_variables)
    assert grading.other_optimizers_of(generator, besides=[handed_in]) == [hidden]
