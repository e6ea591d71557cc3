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
