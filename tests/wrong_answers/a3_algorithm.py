"""Wrong answers to assignment 3 (Algorithm 1 by hand) that its autograder tests must catch.

Each body below is put in place of the student's function of the same name (see ``__init__.py``).
From the solution's namespace, not imported: the student's ``discriminator_step`` and
``generator_step`` (used in q3).
"""
from typing import TYPE_CHECKING

from . import WrongAnswers

if TYPE_CHECKING:  # the solution's namespace, in which each body runs, has these
    import keras
    import numpy as np
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


@wrong("q3_train_iteration", "one optimizer over both networks", expect="two optimizers, one per player")
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


@wrong("q1_discriminator_step", "the loss after the step returned")
def discriminator_step_returning_the_loss_after_the_step():
    def discriminator_step(generator, discriminator, d_optimizer, real, noise):
        fake = generator(noise, training=True)
        with tf.GradientTape() as tape:
            d_loss = minimax_discriminator_loss(discriminator(real, training=True), discriminator(fake, training=True))
        gradients = tape.gradient(d_loss, discriminator.trainable_variables)
        d_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
        return minimax_discriminator_loss(discriminator(real, training=True), discriminator(fake, training=True))


@wrong("q1_discriminator_step", "its own noise instead of the noise given")
def discriminator_step_drawing_its_own_noise():
    def discriminator_step(generator, discriminator, d_optimizer, real, noise):
        fake = generator(tf.random.normal(tf.shape(noise)), training=True)
        with tf.GradientTape() as tape:
            d_loss = minimax_discriminator_loss(discriminator(real, training=True), discriminator(fake, training=True))
        gradients = tape.gradient(d_loss, discriminator.trainable_variables)
        d_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
        return d_loss


@wrong("q1_discriminator_step", "two steps per call")
def discriminator_step_taking_two_steps():
    def discriminator_step(generator, discriminator, d_optimizer, real, noise):
        fake = generator(noise, training=True)
        for _ in range(2):
            with tf.GradientTape() as tape:
                d_loss = minimax_discriminator_loss(discriminator(real, training=True),
                                                    discriminator(fake, training=True))
            gradients = tape.gradient(d_loss, discriminator.trainable_variables)
            d_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
        return d_loss


@wrong("q2_generator_step", "the loss after the step returned")
def generator_step_returning_the_loss_after_the_step():
    def generator_step(generator, discriminator, g_optimizer, noise):
        with tf.GradientTape() as tape:
            g_loss = non_saturating_generator_loss(discriminator(generator(noise, training=True), training=True))
        gradients = tape.gradient(g_loss, generator.trainable_variables)
        g_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
        return non_saturating_generator_loss(discriminator(generator(noise, training=True), training=True))


@wrong("q2_generator_step", "its own noise instead of the noise given")
def generator_step_drawing_its_own_noise():
    def generator_step(generator, discriminator, g_optimizer, noise):
        with tf.GradientTape() as tape:
            fake_logits = discriminator(generator(tf.random.normal(tf.shape(noise)), training=True), training=True)
            g_loss = non_saturating_generator_loss(fake_logits)
        gradients = tape.gradient(g_loss, generator.trainable_variables)
        g_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
        return g_loss


# Question 3's requirement sentences (issue 26): the minibatch of each step, fresh TensorFlow
# noise per step, the order of the steps, each player's optimizer, the shapes, what is returned.
@wrong("q3_train_iteration", "every discriminator step on the first minibatch", expect="real_minibatches[1]")
def train_iteration_on_the_first_minibatch_only():
    def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
        d_steps, size = real_minibatches.shape[0], real_minibatches.shape[1]
        for _ in range(d_steps):
            d_loss = discriminator_step(generator, discriminator, d_optimizer, real_minibatches[0],
                                        tf.random.normal((size, noise_dim)))
        g_loss = generator_step(generator, discriminator, g_optimizer, tf.random.normal((size, noise_dim)))
        return d_loss, g_loss


@wrong("q3_train_iteration", "noise drawn with NumPy (one constant inside tf.function)",
       expect="draw the noise with tf.random.normal")
def train_iteration_with_numpy_noise():
    def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
        d_steps, size = real_minibatches.shape[0], real_minibatches.shape[1]
        for index in range(d_steps):
            noise = np.random.standard_normal((size, noise_dim)).astype("float32")
            d_loss = discriminator_step(generator, discriminator, d_optimizer, real_minibatches[index], noise)
        noise = np.random.standard_normal((size, noise_dim)).astype("float32")
        g_loss = generator_step(generator, discriminator, g_optimizer, noise)
        return d_loss, g_loss


@wrong("q3_train_iteration", "one noise draw reused for every step", expect="its own fresh noise")
def train_iteration_reusing_one_noise_draw():
    def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
        d_steps, size = real_minibatches.shape[0], real_minibatches.shape[1]
        noise = tf.random.normal((size, noise_dim))
        for index in range(d_steps):
            d_loss = discriminator_step(generator, discriminator, d_optimizer, real_minibatches[index], noise)
        g_loss = generator_step(generator, discriminator, g_optimizer, noise)
        return d_loss, g_loss


@wrong("q3_train_iteration", "generator step before the discriminator steps", expect="in that order")
def train_iteration_with_the_generator_first():
    def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
        d_steps, size = real_minibatches.shape[0], real_minibatches.shape[1]
        g_loss = generator_step(generator, discriminator, g_optimizer, tf.random.normal((size, noise_dim)))
        for index in range(d_steps):
            d_loss = discriminator_step(generator, discriminator, d_optimizer, real_minibatches[index],
                                        tf.random.normal((size, noise_dim)))
        return d_loss, g_loss


@wrong("q3_train_iteration", "the whole (k, m, 2) tensor to the discriminator",
       expect="real_minibatches[i], of shape (m, 2)")
def train_iteration_on_the_whole_tensor():
    def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
        d_steps, size = real_minibatches.shape[0], real_minibatches.shape[1]
        for _ in range(d_steps):
            d_loss = discriminator_step(generator, discriminator, d_optimizer, real_minibatches,
                                        tf.random.normal((size, noise_dim)))
        g_loss = generator_step(generator, discriminator, g_optimizer, tf.random.normal((size, noise_dim)))
        return d_loss, g_loss


@wrong("q3_train_iteration", "d_optimizer passed to both steps", expect="its own optimizer")
def train_iteration_with_d_optimizer_for_both_steps():
    def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
        d_steps, size = real_minibatches.shape[0], real_minibatches.shape[1]
        for index in range(d_steps):
            d_loss = discriminator_step(generator, discriminator, d_optimizer, real_minibatches[index],
                                        tf.random.normal((size, noise_dim)))
        g_loss = generator_step(generator, discriminator, d_optimizer, tf.random.normal((size, noise_dim)))
        return d_loss, g_loss


@wrong("q3_train_iteration", "optimizers swapped")
def train_iteration_with_swapped_optimizers():
    def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
        d_steps, size = real_minibatches.shape[0], real_minibatches.shape[1]
        for index in range(d_steps):
            d_loss = discriminator_step(generator, discriminator, g_optimizer, real_minibatches[index],
                                        tf.random.normal((size, noise_dim)))
        g_loss = generator_step(generator, discriminator, d_optimizer, tf.random.normal((size, noise_dim)))
        return d_loss, g_loss


@wrong("q3_train_iteration", "uniform noise instead of standard normal")
def train_iteration_with_uniform_noise():
    def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
        d_steps, size = real_minibatches.shape[0], real_minibatches.shape[1]
        for index in range(d_steps):
            d_loss = discriminator_step(generator, discriminator, d_optimizer, real_minibatches[index],
                                        tf.random.uniform((size, noise_dim)))
        g_loss = generator_step(generator, discriminator, g_optimizer, tf.random.uniform((size, noise_dim)))
        return d_loss, g_loss


@wrong("q3_train_iteration", "the first discriminator loss returned, not the last")
def train_iteration_returning_the_first_loss():
    def train_iteration(generator, discriminator, d_optimizer, g_optimizer, real_minibatches, noise_dim):
        d_steps, size = real_minibatches.shape[0], real_minibatches.shape[1]
        d_losses = [discriminator_step(generator, discriminator, d_optimizer, real_minibatches[index],
                                       tf.random.normal((size, noise_dim))) for index in range(d_steps)]
        g_loss = generator_step(generator, discriminator, g_optimizer, tf.random.normal((size, noise_dim)))
        return d_losses[0], g_loss


# Question 4's budget: read from the optimizers handed in, which must be the ones that trained.
wrong.code("q4_ring", "trained with another optimizer, a fresh g_optimizer handed in", """
    other_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5)
    other_optimizer.build(generator.trainable_variables)  # stands for the optimizer that trained the generator
    g_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5)
    g_optimizer.build(generator.trainable_variables)
    g_optimizer.iterations.assign(1)
""")
wrong.code("q4_ring", "discriminator steps beyond the budget", """
    d_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5)  # stands for one that took too many steps
    d_optimizer.build(discriminator.trainable_variables)
    d_optimizer.iterations.assign(max_discriminator_steps + 1)
""", only="test_within_the_budget")
wrong.code("q4_ring", "generator steps beyond the budget", """
    g_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5)
    g_optimizer.build(generator.trainable_variables)
    g_optimizer.iterations.assign(max_generator_steps + 1)
""", only="test_within_the_budget")


# A shortcut reports itself first, also in the test that compares the loss (issue 26: it used
# to say "check which logits are real and which are fake", wrong advice for this answer).
@wrong("q1_discriminator_step", "shortcut: alias import (the loss test names it)",
       only="test_returns_the_minimax_loss_before_the_step", expect="must not use the course's reference")
def discriminator_step_through_an_alias_in_the_loss_test():
    def discriminator_step(generator, discriminator, d_optimizer, real, noise):
        from gan_utils import training as T
        return T.discriminator_step(generator, discriminator, d_optimizer, real, noise_dim=noise.shape[-1],
                                    seed_generator=keras.random.SeedGenerator(0))
