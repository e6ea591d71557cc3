"""Wrong answers to assignment 5 (debug a broken GAN) that its autograder tests must catch.

First each seeded bug left unfixed on its own (the handout's version of one function), then single
bugs in otherwise repaired code: each body is put in place of the student's function of the same
name (see ``__init__.py``). From the solution's namespace, not imported: ``noise_dim`` and
``binary_cross_entropy`` (defined by the handout) and the student's ``discriminator_labels``.
"""
from typing import TYPE_CHECKING

from . import WrongAnswers

if TYPE_CHECKING:  # the solution's namespace, in which each body runs, has these
    import keras
    import tensorflow as tf
    from keras import layers

wrong = WrongAnswers(__name__)

# The seeded bugs, each left unfixed on its own.
for question, function in [
        ("q1_real_data", "load_real_images"), ("q1_real_data", "sample_real_batch"),
        ("q2_labels", "discriminator_labels"), ("q3_models", "build_generator"),
        ("q3_models", "build_discriminator"), ("q4_training_steps", "discriminator_step"),
        ("q4_training_steps", "generator_step")]:
    wrong.from_handout(question, f"handout's {function}", function)


# Single bugs in otherwise repaired code.
@wrong("q3_models", "relu followed by LeakyReLU in a 28x28 generator")
def generator_with_relu_then_leaky_relu():
    def build_generator():
        model = keras.Sequential([keras.Input((noise_dim,)), layers.Dense(7 * 7 * 16), layers.Reshape((7, 7, 16)),
                                  layers.Conv2DTranspose(8, 4, strides=2, padding="same", activation="relu"),
                                  layers.LeakyReLU(0.2),
                                  layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")])
        return model


@wrong("q4_training_steps", "one optimizer over both networks")
def discriminator_step_updating_both_networks():
    def discriminator_step(generator, discriminator, d_optimizer, real_batch):
        batch_size = real_batch.shape[0]
        variables = generator.trainable_variables + discriminator.trainable_variables
        with tf.GradientTape() as tape:
            fake_batch = generator(tf.random.normal((batch_size, noise_dim)), training=True)
            logits = discriminator(tf.concat([real_batch, fake_batch], axis=0), training=True)
            loss = binary_cross_entropy(discriminator_labels(batch_size), logits)
        d_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss


@wrong("q4_training_steps", "unfrozen discriminator in the stacked model")
def generator_step_through_unfrozen_discriminator():
    def generator_step(generator, discriminator, g_optimizer, batch_size):
        combined = keras.Sequential([generator, discriminator])
        with tf.GradientTape() as tape:
            logits = combined(tf.random.normal((batch_size, noise_dim)), training=True)
            loss = binary_cross_entropy(tf.ones((batch_size, 1)), logits)
        g_optimizer.apply_gradients(zip(tape.gradient(loss, combined.trainable_variables),
                                        combined.trainable_variables))
        return loss


@wrong('q4_training_steps', "label 0 for the generator's fakes")
def generator_step_with_label_0():
    def generator_step(generator, discriminator, g_optimizer, batch_size):
        with tf.GradientTape() as tape:
            logits = discriminator(generator(tf.random.normal((batch_size, noise_dim)), training=True), training=True)
            loss = binary_cross_entropy(tf.zeros((batch_size, 1)), logits)
        gradients = tape.gradient(loss, generator.trainable_variables)
        g_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
        return loss


# A bare assignment, so a string; the tests read ``steps_per_epoch`` from the namespace.
wrong.code("q5_training", "half_batch used as steps per epoch", "steps_per_epoch = half_batch",
           only="test_one_pass_over_the_data_per_epoch", namespace_until="q4_training_steps",
           setup="real_images = load_real_images(limit=12800)\nsteps_per_epoch = len(real_images) // batch_size")


wrong.code("q5_training", "one optimizer for both networks", "d_optimizer = g_optimizer",
           only="test_two_optimizers_within_the_budget")
wrong.code("q5_training", "the tutorial's 1000 epochs: over the budget",
           "g_optimizer = keras.optimizers.Adam(2e-4)\ng_optimizer.iterations.assign(epochs_in_the_tutorial * half_batch)\n",
           only="test_two_optimizers_within_the_budget", setup="epochs_in_the_tutorial = 1000")
