"""Wrong answers to assignment 3 (Algorithm 1 by hand) that its autograder tests must catch.

Each body below is put in place of the student's function of the same name (see ``__init__.py``).
From the solution's namespace, not imported: the student's ``discriminator_step`` and
``generator_step`` (used in q3).
"""
from typing import TYPE_CHECKING

from . import WrongAnswers

if TYPE_CHECKING:  # the solution's namespace, in which each body runs, has these
    import keras
    import tensorflow as tf
    from gan_utils.losses import minimax_discriminator_loss, non_saturating_generator_loss

wrong = WrongAnswers(__name__)


@wrong("q1_discriminator_step", "swapped real and fake labels")
def discriminator_step_with_swapped_labels():
    def discriminator_step(generator, discriminator, d_optimizer, real, noise):
        fake = generator(noise, training=True)
        with tf.GradientTape() as tape:
            d_loss = minimax_discriminator_loss(discriminator(fake, training=True), discriminator(real, training=True))
        gradients = tape.gradient(d_loss, discriminator.trainable_variables)
        d_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
        return d_loss


@wrong("q1_discriminator_step", "flipped sign of the update")
def discriminator_step_with_flipped_sign():
    def discriminator_step(generator, discriminator, d_optimizer, real, noise):
        fake = generator(noise, training=True)
        with tf.GradientTape() as tape:
            d_loss = minimax_discriminator_loss(discriminator(real, training=True), discriminator(fake, training=True))
        gradients = [-gradient for gradient in tape.gradient(d_loss, discriminator.trainable_variables)]
        d_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
        return d_loss


@wrong("q1_discriminator_step", "missing log")
def discriminator_step_without_log():
    def discriminator_step(generator, discriminator, d_optimizer, real, noise):
        fake = generator(noise, training=True)
        with tf.GradientTape() as tape:
            d_loss = (-tf.reduce_mean(tf.sigmoid(discriminator(real, training=True)))
                      - tf.reduce_mean(1.0 - tf.sigmoid(discriminator(fake, training=True))))
        gradients = tape.gradient(d_loss, discriminator.trainable_variables)
        d_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
        return d_loss


@wrong("q1_discriminator_step", "one optimizer over both networks")
def discriminator_step_updating_both_networks():
    def discriminator_step(generator, discriminator, d_optimizer, real, noise):
        variables = generator.trainable_variables + discriminator.trainable_variables
        with tf.GradientTape() as tape:
            fake = generator(noise, training=True)
            d_loss = minimax_discriminator_loss(discriminator(real, training=True), discriminator(fake, training=True))
        d_optimizer.apply_gradients(zip(tape.gradient(d_loss, variables), variables))
        return d_loss


@wrong("q2_generator_step", "unfrozen discriminator (D updated in the G step)")
def generator_step_updating_the_discriminator():
    def generator_step(generator, discriminator, g_optimizer, noise):
        variables = generator.trainable_variables + discriminator.trainable_variables
        with tf.GradientTape() as tape:
            g_loss = non_saturating_generator_loss(discriminator(generator(noise, training=True), training=True))
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, variables), variables))
        return g_loss


@wrong("q2_generator_step", "label 0: trained to be caught")
def generator_step_with_label_0():
    def generator_step(generator, discriminator, g_optimizer, noise):
        with tf.GradientTape() as tape:
            fake_logits = discriminator(generator(noise, training=True), training=True)
            g_loss = tf.reduce_mean(tf.math.softplus(fake_logits))  # cross-entropy with target 0
        gradients = tape.gradient(g_loss, generator.trainable_variables)
        g_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
        return g_loss


@wrong("q2_generator_step", "flipped sign")
def generator_step_with_flipped_sign():
    def generator_step(generator, discriminator, g_optimizer, noise):
        with tf.GradientTape() as tape:
            g_loss = -non_saturating_generator_loss(discriminator(generator(noise, training=True), training=True))
        gradients = tape.gradient(g_loss, generator.trainable_variables)
        g_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
        return g_loss


@wrong("q3_train_iteration", "one optimizer over both networks")
def train_iteration_with_one_optimizer():
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


@wrong("q3_train_iteration", "k ignored: one discriminator step")
def train_iteration_ignoring_k():
    def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
        size = real_minibatches.shape[1]
        d_loss = discriminator_step(generator, discriminator, d_optimizer, real_minibatches[0],
                                    tf.random.normal((size, noise_dim)))
        g_loss = generator_step(generator, discriminator, g_optimizer, tf.random.normal((size, noise_dim)))
        return d_loss, g_loss


# Shortcuts through the library's training code: each caught by the public test (source and
# globals, then run-time traps) and by a hidden value test (run-time traps only).
PUBLIC, HIDDEN = "test_updates_the_discriminator_only", "test_discriminator_learns_to_separate"


@wrong("q1_discriminator_step", "shortcut: alias import (public)", only=PUBLIC)
@wrong("q1_discriminator_step", "shortcut: alias import (hidden, run time)", only=HIDDEN)
def discriminator_step_through_an_alias():
    def discriminator_step(generator, discriminator, d_optimizer, real, noise):
        from gan_utils import training as T
        return T.discriminator_step(generator, discriminator, d_optimizer, real, noise_dim=noise.shape[-1],
                                    seed_generator=keras.random.SeedGenerator(0))


@wrong("q1_discriminator_step", "shortcut: importlib (public)", only=PUBLIC)
@wrong("q1_discriminator_step", "shortcut: importlib (hidden, run time)", only=HIDDEN)
def discriminator_step_through_importlib():
    def discriminator_step(generator, discriminator, d_optimizer, real, noise):
        import importlib
        library = importlib.import_module("gan_utils.training")
        return library.discriminator_step(generator, discriminator, d_optimizer, real, noise_dim=noise.shape[-1],
                                          seed_generator=keras.random.SeedGenerator(0))


@wrong("q2_generator_step", "shortcut: getattr of __import__ (public)", only="test_updates_the_generator_only")
@wrong("q2_generator_step", "shortcut: getattr of __import__ (hidden, run time)",
       only="test_generator_learns_to_fool_a_fixed_discriminator")
def generator_step_through_dunder_import():
    def generator_step(generator, discriminator, g_optimizer, noise):
        step = getattr(__import__("gan_utils.training", fromlist=["generator_step"]), "generator_step")
        return step(generator, discriminator, g_optimizer, noise.shape[0], noise_dim=noise.shape[-1],
                    seed_generator=keras.random.SeedGenerator(0))
