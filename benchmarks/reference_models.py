"""Reference implementations for the speed benchmark (issue: performance).

``tutorial_generator``/``tutorial_discriminator`` re-create the architecture and settings of
the official TensorFlow DCGAN tutorial (5x5 kernels, generator Dense 7*7*256 -> transposed
convolutions 128, 64, 1; discriminator convolutions 64, 128 with dropout 0.3; batch 256;
Adam 1e-4; noise 100), written here from its description. The DCGAN-paper configuration
(Radford et al., 2016) uses gan_utils' own builders with 4x4 kernels and BatchNorm.
"""
import keras
from keras import layers

from gan_utils import models


def tutorial_generator(noise_dim=100):
    noise = keras.Input((noise_dim,))
    x = layers.Dense(7 * 7 * 256, use_bias=False)(noise)
    x = layers.LeakyReLU()(layers.BatchNormalization()(x))
    x = layers.Reshape((7, 7, 256))(x)
    x = layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False)(x)
    x = layers.LeakyReLU()(layers.BatchNormalization()(x))
    x = layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False)(x)
    x = layers.LeakyReLU()(layers.BatchNormalization()(x))
    image = layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False, activation="tanh")(x)
    return keras.Model(noise, image, name="tutorial_generator")


def tutorial_discriminator():
    image = keras.Input((28, 28, 1))
    x = layers.Conv2D(64, 5, strides=2, padding="same")(image)
    x = layers.Dropout(0.3)(layers.LeakyReLU()(x))
    x = layers.Conv2D(128, 5, strides=2, padding="same")(x)
    x = layers.Dropout(0.3)(layers.LeakyReLU()(x))
    logits = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model(image, logits, name="tutorial_discriminator")


def tutorial_config():
    return dict(
        name="TF tutorial (reference)",
        build=lambda: (tutorial_generator(100), tutorial_discriminator()),
        noise_dim=100, batch_size=256, d_learning_rate=1e-4, g_learning_rate=1e-4, beta_1=0.9,
        loss="non_saturating", ema_decay=None, jit_compile=False,
    )


def dcgan_paper_config():
    return dict(
        name="DCGAN paper (plain)",
        build=lambda: (models.dcgan_generator(noise_dim=100, base_channels=64, kernel_size=4),
                       models.dcgan_discriminator(base_channels=64, kernel_size=4, batch_norm=True)),
        noise_dim=100, generator_channels=64, discriminator_channels=64, kernel_size=4,
        discriminator_batch_norm=True, batch_size=128, d_learning_rate=2e-4, g_learning_rate=2e-4,
        beta_1=0.5, loss="non_saturating", ema_decay=None, jit_compile=False,
    )
