"""Model builders: MLPs for toy data, DCGANs for 28x28x1 images, optionally class-conditional.

Every discriminator returns **logits** (no sigmoid): the losses in ``gan_utils.losses``
take logits. MLPs are introduced in chapter 1, DCGANs in chapter 4, conditional variants
in chapter 5.
"""
import keras
import numpy as np
from keras import layers

from .checks import check_positive_int


def probability_real(discriminator, samples, labels=None):
    """D(x) = sigmoid(logit) for each sample, a float64 array of shape (N,): the probability
    the discriminator gives to "real". Its mean over a batch is how much D believes the batch.

    Computed stably in float64 from the logits, with the network in inference mode.
    Introduced in chapter 2; used in chapters 4 and 6 and by ``gan_utils.plotting``.
    """
    inputs = np.asarray(samples, dtype=np.float32)
    if labels is not None:
        inputs = [inputs, np.asarray(labels, dtype=np.int32)]
    logits = np.asarray(discriminator(inputs, training=False), dtype=np.float64).reshape(-1)
    return np.exp(-np.logaddexp(0.0, -logits))  # sigmoid without overflow for large |logit|


def _check_hidden_units(hidden_units):
    if isinstance(hidden_units, (int, np.integer)) or not all(
            isinstance(units, (int, np.integer)) and not isinstance(units, bool) and units >= 1
            for units in hidden_units):
        raise ValueError(f"hidden_units must be a tuple of layer widths such as (64, 64) (one entry per "
                         f"hidden layer; () for none), got {hidden_units!r}.")


def _maybe_spectral(layer, spectral_norm):
    return layers.SpectralNormalization(layer) if spectral_norm else layer


def _label_input():
    return keras.Input(shape=(), dtype="int32", name="label")


def _generator_inputs(noise_dim, num_classes):
    """Noise input, plus a label input whose embedding is appended to the noise if conditional."""
    check_positive_int(noise_dim, "noise_dim")
    noise = keras.Input(shape=(noise_dim,), name="noise")
    if not num_classes:
        return noise, noise
    label = _label_input()
    embedded = layers.Embedding(num_classes, noise_dim)(label)
    return [noise, label], layers.Concatenate()([noise, embedded])


def mlp_generator(noise_dim=8, output_dim=1, hidden_units=(64, 64), activation="relu",
                  output_activation=None, num_classes=None, name="generator"):
    """Noise (and optionally a label) -> ``output_dim`` numbers through dense layers.

    Introduced in chapter 1.
    """
    check_positive_int(output_dim, "output_dim")
    _check_hidden_units(hidden_units)
    inputs, x = _generator_inputs(noise_dim, num_classes)
    for units in hidden_units:
        x = layers.Dense(units, activation=activation)(x)
    outputs = layers.Dense(output_dim, activation=output_activation, name="sample")(x)
    return keras.Model(inputs, outputs, name=name)


def mlp_discriminator(input_dim=1, hidden_units=(64, 64), activation="leaky_relu",
                      dropout_rate=0.0, spectral_norm=False, num_classes=None, name="discriminator"):
    """``input_dim`` numbers (and optionally a label) -> one logit. Introduced in chapter 1."""
    check_positive_int(input_dim, "input_dim")
    _check_hidden_units(hidden_units)
    sample = keras.Input(shape=(input_dim,), name="sample")
    inputs, x = [sample], sample
    if num_classes:
        label = _label_input()
        inputs.append(label)
        x = layers.Concatenate()([x, layers.Embedding(num_classes, 8)(label)])
    for units in hidden_units:
        x = _maybe_spectral(layers.Dense(units, activation=activation), spectral_norm)(x)
        if dropout_rate:
            x = layers.Dropout(dropout_rate)(x)
    logits = _maybe_spectral(layers.Dense(1, name="logit"), spectral_norm)(x)
    return keras.Model(inputs if num_classes else sample, logits, name=name)


def dcgan_generator(noise_dim=64, base_channels=64, kernel_size=4, batch_norm=True,
                    num_classes=None, name="generator"):
    """Noise -> 28x28x1 image in [-1, 1]: dense to 7x7, two stride-2 transposed convolutions.

    Widths are ``2 * base_channels`` at 7x7 and ``base_channels`` at 14x14. BatchNorm after
    each hidden layer (Radford et al., 2016), ReLU inside, tanh at the output so images
    live in [-1, 1] like the scaled data. Introduced in chapter 4.
    """
    inputs, x = _generator_inputs(noise_dim, num_classes)
    # No bias before BatchNorm: its shift would be cancelled anyway.
    x = layers.Dense(7 * 7 * 2 * base_channels, use_bias=not batch_norm)(x)
    if batch_norm:
        x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((7, 7, 2 * base_channels))(x)
    x = layers.Conv2DTranspose(base_channels, kernel_size, strides=2, padding="same", use_bias=not batch_norm)(x)
    if batch_norm:
        x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    image = layers.Conv2DTranspose(1, kernel_size, strides=2, padding="same", activation="tanh", name="image")(x)
    return keras.Model(inputs, image, name=name)


def dcgan_discriminator(base_channels=64, kernel_size=4, dropout_rate=0.0, batch_norm=False,
                        spectral_norm=False, num_classes=None, image_shape=(28, 28, 1),
                        name="discriminator"):
    """28x28x1 image -> one logit: two stride-2 convolutions with LeakyReLU(0.2), then dense.

    A conditional discriminator gets the label as an extra image channel (an embedding
    reshaped to 28x28), so it can judge whether the image fits its label. Introduced in chapter 4.
    """
    if len(tuple(image_shape)) != 3 or not all(isinstance(size, (int, np.integer)) and size >= 1
                                               for size in image_shape):
        raise ValueError(f"image_shape must be (height, width, channels), e.g. (28, 28, 1), got {image_shape!r}.")
    image = keras.Input(shape=image_shape, name="image")
    inputs, x = [image], image
    if num_classes:
        label = _label_input()
        inputs.append(label)
        height, width = image_shape[:2]
        plane = layers.Embedding(num_classes, height * width)(label)
        x = layers.Concatenate()([x, layers.Reshape((height, width, 1))(plane)])
    for index, channels in enumerate((base_channels, 2 * base_channels)):
        x = _maybe_spectral(layers.Conv2D(channels, kernel_size, strides=2, padding="same"), spectral_norm)(x)
        if batch_norm and index > 0:  # DCGAN: no BatchNorm on the discriminator's input layer
            x = layers.BatchNormalization()(x)
        x = layers.LeakyReLU(0.2)(x)
        if dropout_rate:
            x = layers.Dropout(dropout_rate)(x)
    x = layers.Flatten()(x)
    logits = _maybe_spectral(layers.Dense(1, name="logit"), spectral_norm)(x)
    return keras.Model(inputs if num_classes else image, logits, name=name)
