"""Wrong answers to assignment 1 (GAN losses from logits) that its autograder tests must catch.

Each body below is put in place of the student's function of the same name (see ``__init__.py``).
From the solution's namespace, not imported: the student's ``minimax_generator_loss`` and
``non_saturating_generator_loss`` (used in q4).
"""
from typing import TYPE_CHECKING

from . import WrongAnswers

if TYPE_CHECKING:  # the solution's namespace, in which each body runs, has these
    import tensorflow as tf

wrong = WrongAnswers(__name__)


@wrong("q1_discriminator_loss", "swapped real and fake labels")
def discriminator_loss_with_swapped_labels():
    def minimax_discriminator_loss(real_logits, fake_logits):
        real_logits, fake_logits = tf.constant(real_logits, tf.float32), tf.constant(fake_logits, tf.float32)
        return tf.reduce_mean(tf.math.softplus(real_logits)) + tf.reduce_mean(tf.math.softplus(-fake_logits))


@wrong("q1_discriminator_loss", "missing log")
def discriminator_loss_without_log():
    def minimax_discriminator_loss(real_logits, fake_logits):
        return -tf.reduce_mean(tf.sigmoid(real_logits)) - tf.reduce_mean(1.0 - tf.sigmoid(fake_logits))


@wrong("q1_discriminator_loss", "flipped sign (V instead of -V)")
def discriminator_loss_with_flipped_sign():
    def minimax_discriminator_loss(real_logits, fake_logits):
        real_logits, fake_logits = tf.constant(real_logits, tf.float32), tf.constant(fake_logits, tf.float32)
        return -tf.reduce_mean(tf.math.softplus(-real_logits)) - tf.reduce_mean(tf.math.softplus(fake_logits))


@wrong("q1_discriminator_loss", "log of a sigmoid, not stable")
def discriminator_loss_as_log_of_sigmoid():
    def minimax_discriminator_loss(real_logits, fake_logits):
        return (-tf.reduce_mean(tf.math.log(tf.sigmoid(real_logits)))
                - tf.reduce_mean(tf.math.log(1.0 - tf.sigmoid(fake_logits))))


@wrong("q1_discriminator_loss", "one mean over both minibatches")
def discriminator_loss_with_one_mean():
    def minimax_discriminator_loss(real_logits, fake_logits):
        terms = tf.concat([tf.math.softplus(-tf.constant(real_logits, tf.float32)),
                           tf.math.softplus(tf.constant(fake_logits, tf.float32))], axis=0)
        return 2.0 * tf.reduce_mean(terms)


@wrong("q2_minimax_generator_loss", "flipped sign")
def minimax_generator_loss_with_flipped_sign():
    def minimax_generator_loss(fake_logits):
        return tf.reduce_mean(tf.math.softplus(tf.constant(fake_logits, tf.float32)))


@wrong("q2_minimax_generator_loss", "missing log")
def minimax_generator_loss_without_log():
    def minimax_generator_loss(fake_logits):
        return tf.reduce_mean(1.0 - tf.sigmoid(tf.constant(fake_logits, tf.float32)))


@wrong("q3_non_saturating_generator_loss", "flipped sign (minimising E[log D(G(z))])")
def non_saturating_loss_with_flipped_sign():
    def non_saturating_generator_loss(fake_logits):
        return -tf.reduce_mean(tf.math.softplus(-tf.constant(fake_logits, tf.float32)))


@wrong("q3_non_saturating_generator_loss", "missing log")
def non_saturating_loss_without_log():
    def non_saturating_generator_loss(fake_logits):
        return -tf.reduce_mean(tf.sigmoid(tf.constant(fake_logits, tf.float32)))


@wrong("q4_gradients", "the two gradients swapped")
def gradients_swapped():
    def generator_loss_gradients(fake_logits):
        logits = tf.constant(fake_logits, tf.float32)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(logits)
            minimax, non_saturating = minimax_generator_loss(logits), non_saturating_generator_loss(logits)
        return tape.gradient(non_saturating, logits).numpy(), tape.gradient(minimax, logits).numpy()


# Shortcuts through the library: each must be caught twice, by the public test that reads the
# function's source and globals (a) and by a value test that runs it with the library's losses
# replaced by traps (b), so neither guard relies on the other.
SOURCE_TEST, RUN_TIME_TEST = "test_writes_it_without_the_library", "test_matches_reference_on_small_inputs"


@wrong("q1_discriminator_loss", "shortcut: alias import (source)", only=SOURCE_TEST)
@wrong("q1_discriminator_loss", "shortcut: alias import (run time)", only=RUN_TIME_TEST)
def discriminator_loss_through_an_alias():
    def minimax_discriminator_loss(real_logits, fake_logits):
        from gan_utils import losses as L
        return L.minimax_discriminator_loss(real_logits, fake_logits)


@wrong("q1_discriminator_loss", "shortcut: importlib (source)", only=SOURCE_TEST)
@wrong("q1_discriminator_loss", "shortcut: importlib (run time)", only=RUN_TIME_TEST)
def discriminator_loss_through_importlib():
    def minimax_discriminator_loss(real_logits, fake_logits):
        import importlib
        reference = importlib.import_module("gan_utils." + "losses")
        return reference.minimax_discriminator_loss(real_logits, fake_logits)


@wrong("q1_discriminator_loss", "shortcut: getattr of __import__ (source)", only=SOURCE_TEST)
@wrong("q1_discriminator_loss", "shortcut: getattr of __import__ (run time)", only=RUN_TIME_TEST)
def discriminator_loss_through_dunder_import():
    def minimax_discriminator_loss(real_logits, fake_logits):
        module = __import__("gan_utils.losses", fromlist=["minimax_discriminator_loss"])
        return getattr(module, "minimax_discriminator_loss")(real_logits, fake_logits)


@wrong("q1_discriminator_loss", "shortcut: imported in another cell under another name", only=SOURCE_TEST,
       setup="from gan_utils.losses import minimax_discriminator_loss as stable_bce")
def discriminator_loss_through_a_name_from_another_cell():
    def minimax_discriminator_loss(real_logits, fake_logits):
        return stable_bce(real_logits, fake_logits)  # noqa: F821 (bound by the setup, as by an earlier cell)


@wrong("q3_non_saturating_generator_loss", "shortcut: alias import (source)", only=SOURCE_TEST)
@wrong("q3_non_saturating_generator_loss", "shortcut: importlib (run time)", only="test_matches_reference")
def non_saturating_loss_through_the_library():
    def non_saturating_generator_loss(fake_logits):
        import importlib as il
        return il.import_module("gan_utils.losses").non_saturating_generator_loss(fake_logits)


@wrong("q2_minimax_generator_loss", "shortcut: getattr of __import__ (run time)", only="test_matches_reference")
def minimax_generator_loss_through_the_library():
    def minimax_generator_loss(fake_logits):
        return getattr(__import__("gan_utils").losses, "minimax_generator_loss")(fake_logits)


@wrong("q4_gradients", "shortcut: the library's losses inside the tape (source)", only=SOURCE_TEST)
def gradients_of_the_library_losses():
    def generator_loss_gradients(fake_logits):
        from gan_utils.losses import minimax_generator_loss as mm, non_saturating_generator_loss as ns
        logits = tf.constant(fake_logits, tf.float32)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(logits)
            minimax, non_saturating = mm(logits), ns(logits)
        return tape.gradient(minimax, logits).numpy(), tape.gradient(non_saturating, logits).numpy()


# Issue 26: each requirement sentence of a question has a wrong answer that breaks it alone.
@wrong("q1_discriminator_loss", "a float64 result (the question asks for float32)")
def discriminator_loss_in_float64():
    def minimax_discriminator_loss(real_logits, fake_logits):
        real_logits = tf.convert_to_tensor(real_logits, tf.float64)
        fake_logits = tf.convert_to_tensor(fake_logits, tf.float64)
        return tf.reduce_mean(tf.math.softplus(-real_logits)) + tf.reduce_mean(tf.math.softplus(fake_logits))


@wrong("q1_discriminator_loss", "a vector of one value, not a scalar")
def discriminator_loss_of_shape_1():
    def minimax_discriminator_loss(real_logits, fake_logits):
        real_logits = tf.convert_to_tensor(real_logits, tf.float32)
        fake_logits = tf.convert_to_tensor(fake_logits, tf.float32)
        return tf.reshape(tf.reduce_mean(tf.math.softplus(-real_logits))
                          + tf.reduce_mean(tf.math.softplus(fake_logits)), (1,))


@wrong("q2_minimax_generator_loss", "a sum, not a mean")
def minimax_generator_loss_as_a_sum():
    def minimax_generator_loss(fake_logits):
        return -tf.reduce_sum(tf.math.softplus(tf.convert_to_tensor(fake_logits, tf.float32)))
