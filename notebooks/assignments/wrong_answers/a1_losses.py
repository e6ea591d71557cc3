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
