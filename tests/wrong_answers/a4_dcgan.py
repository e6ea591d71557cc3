"""Wrong answers to assignment 4 (DCGAN) that its autograder tests must catch.

Each body below is put in place of the student's function of the same name (see ``__init__.py``).
"""
from typing import TYPE_CHECKING

from . import WrongAnswers

if TYPE_CHECKING:  # the solution's namespace, in which each body runs, has these
    import keras
    from keras import layers

wrong = WrongAnswers(__name__)


@wrong("q1_generator", "sigmoid output instead of tanh")
def generator_with_sigmoid_output():
    def build_generator(noise_dim):
        return keras.Sequential([keras.Input((noise_dim,)), layers.Dense(7 * 7 * 16), layers.ReLU(),
                                 layers.Reshape((7, 7, 16)), layers.Conv2DTranspose(8, 4, strides=2, padding="same"),
                                 layers.BatchNormalization(), layers.ReLU(),
                                 layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="sigmoid")])


@wrong("q1_generator", "three upsamplings from 4x4: 32x32 images")
def generator_of_32x32_images():
    def build_generator(noise_dim):
        return keras.Sequential([keras.Input((noise_dim,)), layers.Dense(4 * 4 * 16), layers.ReLU(),
                                 layers.Reshape((4, 4, 16)),
                                 layers.Conv2DTranspose(16, 4, strides=2, padding="same"), layers.ReLU(),
                                 layers.Conv2DTranspose(8, 4, strides=2, padding="same"), layers.ReLU(),
                                 layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")])


@wrong("q2_discriminator", "sigmoid on the logit")
def discriminator_with_sigmoid_on_the_logit():
    def build_discriminator():
        return keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(16, 4, strides=2, padding="same"),
                                 layers.LeakyReLU(0.2), layers.Conv2D(32, 4, strides=2, padding="same"),
                                 layers.LeakyReLU(0.2), layers.Flatten(), layers.Dense(1, activation="sigmoid")])


# Shortcuts through the library's reference networks: caught by the public test (source and
# globals, then run-time traps) and, separately, by a hidden test (run-time traps only).
@wrong("q1_generator", "shortcut: alias import (public)", only="test_is_a_small_dcgan_generator_of_your_own")
@wrong("q1_generator", "shortcut: alias import (hidden, run time)", only="test_other_noise_sizes_and_a_single_image")
def generator_through_an_alias():
    def build_generator(noise_dim):
        from gan_utils import models as reference
        return reference.dcgan_generator(noise_dim=noise_dim, base_channels=32)


@wrong("q1_generator", "shortcut: importlib (public)", only="test_is_a_small_dcgan_generator_of_your_own")
@wrong("q1_generator", "shortcut: importlib (hidden, run time)", only="test_other_noise_sizes_and_a_single_image")
def generator_through_importlib():
    def build_generator(noise_dim):
        import importlib
        return importlib.import_module("gan_utils.models").dcgan_generator(noise_dim=noise_dim, base_channels=32)


@wrong("q2_discriminator", "shortcut: getattr of __import__ (public)",
       only="test_is_a_small_dcgan_discriminator_of_your_own")
@wrong("q2_discriminator", "shortcut: getattr of __import__ (hidden, run time)",
       only="test_outputs_logits_on_other_images")
def discriminator_through_dunder_import():
    def build_discriminator():
        return getattr(__import__("gan_utils.models", fromlist=["x"]), "dcgan_discriminator")(base_channels=32)


wrong.code("q3_training", "over the budget of generator steps",
           "g_optimizer = keras.optimizers.Adam(1e-3)\ng_optimizer.iterations.assign(3000)\n",
           only="test_within_the_budget")


# Issue 26: each requirement sentence of a question has a wrong answer that breaks it alone.
@wrong("q1_generator", "too big for a CPU (millions of parameters)")
def generator_too_big():
    def build_generator(noise_dim):
        return keras.Sequential([keras.Input((noise_dim,)), layers.Dense(7 * 7 * 1024, use_bias=False),
                                 layers.BatchNormalization(), layers.ReLU(), layers.Reshape((7, 7, 1024)),
                                 layers.Conv2DTranspose(32, 4, strides=2, padding="same"),
                                 layers.BatchNormalization(), layers.ReLU(),
                                 layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")])


@wrong("q1_generator", "no BatchNormalization")
def generator_without_batch_normalization():
    def build_generator(noise_dim):
        return keras.Sequential([keras.Input((noise_dim,)), layers.Dense(7 * 7 * 16), layers.ReLU(),
                                 layers.Reshape((7, 7, 16)),
                                 layers.Conv2DTranspose(8, 4, strides=2, padding="same"), layers.ReLU(),
                                 layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")])


@wrong("q2_discriminator", "ReLU instead of LeakyReLU(0.2)")
def discriminator_with_relu():
    def build_discriminator():
        return keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(16, 4, strides=2, padding="same"),
                                 layers.ReLU(), layers.Conv2D(32, 4, strides=2, padding="same"),
                                 layers.ReLU(), layers.Flatten(), layers.Dense(1)])
