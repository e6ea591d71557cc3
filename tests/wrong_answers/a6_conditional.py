"""Wrong answers to assignment 6 (conditional GAN) that its autograder tests must catch.

Each body below is put in place of the student's function of the same name (see ``__init__.py``).
"""
from typing import TYPE_CHECKING

from . import WrongAnswers

if TYPE_CHECKING:  # the solution's namespace, in which each body runs, has these
    import keras
    from keras import layers

wrong = WrongAnswers(__name__)


@wrong("q1_conditional_generator", "the generator ignores its label")
def generator_ignoring_its_label():
    def build_conditional_generator(noise_dim, num_classes):
        noise, label = keras.Input((noise_dim,)), keras.Input((), dtype="int32")
        ignored = layers.Embedding(num_classes, noise_dim)(label)
        x = layers.Add()([noise, 0.0 * ignored])
        x = layers.Reshape((7, 7, 16))(layers.Dense(7 * 7 * 16, activation="relu")(x))
        x = layers.Conv2DTranspose(8, 4, strides=2, padding="same", activation="relu")(x)
        image = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
        return keras.Model([noise, label], image)


@wrong("q2_conditional_discriminator", "the discriminator ignores its label")
def discriminator_ignoring_its_label():
    def build_conditional_discriminator(num_classes):
        image, label = keras.Input((28, 28, 1)), keras.Input((), dtype="int32")
        ignored = layers.Reshape((28, 28, 1))(layers.Embedding(num_classes, 28 * 28)(label))
        x = layers.Add()([image, 0.0 * ignored])
        x = layers.LeakyReLU(0.2)(layers.Conv2D(16, 4, strides=2, padding="same")(x))
        return keras.Model([image, label], layers.Dense(1)(layers.Flatten()(x)))


@wrong("q2_conditional_discriminator", "sigmoid on the logit")
def discriminator_with_sigmoid_on_the_logit():
    def build_conditional_discriminator(num_classes):
        image, label = keras.Input((28, 28, 1)), keras.Input((), dtype="int32")
        plane = layers.Reshape((28, 28, 1))(layers.Embedding(num_classes, 28 * 28)(label))
        x = layers.Concatenate()([image, plane])
        x = layers.LeakyReLU(0.2)(layers.Conv2D(16, 4, strides=2, padding="same")(x))
        return keras.Model([image, label], layers.Dense(1, activation="sigmoid")(layers.Flatten()(x)))


# Shortcuts through the library's reference networks (which take num_classes too): caught by a
# public test (source and globals, then run-time traps) and by a hidden one (run-time traps only).
@wrong("q1_conditional_generator", "shortcut: alias import (public)", only="test_is_small_and_of_your_own")
@wrong("q1_conditional_generator", "shortcut: alias import (hidden, run time)", only="test_every_label_matters")
def conditional_generator_through_an_alias():
    def build_conditional_generator(noise_dim, num_classes):
        from gan_utils import models as reference
        return reference.dcgan_generator(noise_dim=noise_dim, base_channels=32, num_classes=num_classes)


@wrong("q2_conditional_discriminator", "shortcut: importlib (public)",
       only="test_outputs_logits_is_small_and_of_your_own")
@wrong("q2_conditional_discriminator", "shortcut: importlib (hidden, run time)",
       only="test_outputs_logits_on_other_inputs")
def conditional_discriminator_through_importlib():
    def build_conditional_discriminator(num_classes):
        import importlib
        return importlib.import_module("gan_utils.models").dcgan_discriminator(base_channels=32, num_classes=num_classes)


@wrong("q2_conditional_discriminator", "shortcut: getattr of __import__ (public)",
       only="test_outputs_logits_is_small_and_of_your_own")
def conditional_discriminator_through_dunder_import():
    def build_conditional_discriminator(num_classes):
        build = getattr(__import__("gan_utils.models", fromlist=["x"]), "dcgan_discriminator")
        return build(base_channels=32, num_classes=num_classes)


wrong.code("q3_class_accuracy", "over the budget of generator steps",
           "g_optimizer = keras.optimizers.Adam(1e-3)\ng_optimizer.iterations.assign(3000)\n",
           only="test_within_the_budget")


# Issue 26: each requirement sentence of a question has a wrong answer that breaks it alone.
@wrong("q1_conditional_generator", "inputs in the other order (label, noise)")
def generator_with_its_inputs_swapped():
    def build_conditional_generator(noise_dim, num_classes):
        noise, label = keras.Input((noise_dim,)), keras.Input((), dtype="int32")
        x = layers.Concatenate()([noise, layers.Embedding(num_classes, noise_dim)(label)])
        x = layers.Reshape((7, 7, 16))(layers.Dense(7 * 7 * 16, activation="relu")(x))
        x = layers.Conv2DTranspose(8, 4, strides=2, padding="same", activation="relu")(x)
        image = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
        return keras.Model([label, noise], image)


@wrong("q2_conditional_discriminator", "inputs in the other order (label, image)")
def discriminator_with_its_inputs_swapped():
    def build_conditional_discriminator(num_classes):
        image, label = keras.Input((28, 28, 1)), keras.Input((), dtype="int32")
        plane = layers.Reshape((28, 28, 1))(layers.Embedding(num_classes, 28 * 28)(label))
        x = layers.Concatenate()([image, plane])
        x = layers.LeakyReLU(0.2)(layers.Conv2D(16, 4, strides=2, padding="same")(x))
        return keras.Model([label, image], layers.Dense(1)(layers.Flatten()(x)))
