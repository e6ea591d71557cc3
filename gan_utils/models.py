"""Models: builders (MLPs for toy data, DCGANs for 28x28x1 images, optionally class-conditional)
and what a built model's layers tell (its layer shapes, a convolution's receptive field).

Every discriminator returns **logits** (no sigmoid): the losses in ``gan_utils.losses``
take logits. MLPs are introduced in chapter 1, DCGANs in chapter 4, conditional variants
in chapter 5.
"""
from collections import namedtuple

import keras
import numpy as np
from keras import layers

from .checks import check_positive_int


def probability_real(discriminator, samples, labels=None):
    """D(x) = sigmoid(logit) for each sample, a float64 array of shape (N,): the probability
    the discriminator gives to "real". Its mean over a batch is how much D believes the batch.

    Computed stably in float64 from the logits, with the network in inference mode.
    Introduced in chapter 1; used in chapters 2, 3 and 6 and the appendix Bugs that tutorials ship.
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

    Introduced in chapter 1; used in chapters 2, 3, 5 and 6, the page GANs and diffusion at the
    same budget and the assignments.
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
    """``input_dim`` numbers (and optionally a label) -> one logit.

    Introduced in chapter 1; used in chapters 2, 3, 5 and 6, the page GANs and diffusion at the
    same budget and the assignments.
    """
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
    live in [-1, 1] like the scaled data. Introduced in chapter 4; used in chapters 5 and 6, the
    page GANs and diffusion at the same budget, the appendix Bugs that tutorials ship and the
    assignments.
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
    reshaped to 28x28), so it can judge whether the image fits its label. Introduced in chapter 4;
    used in chapters 5 and 6, the page GANs and diffusion at the same budget, the appendix Bugs
    that tutorials ship and the assignments.
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


# ---------------------------------------------------------------- receptive fields
class ReceptiveField(namedtuple("ReceptiveField", "size jump start input_shape output_shape")):
    """Where each cell of a convolutional output map looks in the input; from ``receptive_field``.

    Each field is a (rows, columns) pair: output cell (i, j) depends on the input rows
    ``start[0] + i * jump[0]`` up to ``size[0]`` rows further (and likewise for columns), the
    part outside the image being padding. ``patch(i, j)`` gives those rows and columns clipped
    to the image. Used by ``receptive_field``, which returns it.
    """

    def patch(self, row, column):
        """``((top, bottom), (left, right))``: half-open input ranges that output cell (row, column) sees."""
        bounds = []
        for index, size, jump, start, length, cells in zip(
                (row, column), self.size, self.jump, self.start, self.input_shape, self.output_shape):
            if not 0 <= index < cells:
                raise ValueError(f"Output cell ({row}, {column}) is outside the {self.output_shape} output map.")
            first = start + index * jump
            bounds.append((max(first, 0), min(first + size, length)))
        return tuple(bounds)


def _spatial(shape, layer):
    if len(shape) != 4:
        raise ValueError(
            f"receptive_field follows (batch, height, width, channels) maps, but layer {layer.name!r} "
            f"has shape {tuple(shape)}; pass a fully convolutional model such as a PatchGAN discriminator."
        )
    return tuple(int(n) for n in shape[1:3])


def receptive_field(model):
    """The receptive field of each output cell of a fully convolutional Keras model.

    Walks ``model.layers`` in order, as a chain (several inputs of one size, concatenated, are
    fine), through ``Conv2D`` (optionally wrapped in ``SpectralNormalization``) and 2-D
    pooling layers with "same" or "valid" padding; layers that keep the spatial layout
    (activations, normalisation, dropout, concatenation) are passed over. Anything that
    changes the layout otherwise (transposed convolutions, upsampling, ``Flatten``) raises
    ``ValueError``. Per layer with kernel ``k`` (dilated), stride ``s`` and ``p`` pixels of
    padding before the first row (TensorFlow's "same" rule), the field grows by
    ``(k - 1) * jump``, its start moves by ``-p * jump`` and the jump is multiplied by ``s``.
    Returns a ``ReceptiveField``. Introduced in chapter 5 (which input patch each of the
    PatchGAN's logits judges).
    """
    inputs = [_spatial(tensor.shape, model) for tensor in model.inputs]
    if len(set(inputs)) != 1:
        raise ValueError(f"receptive_field needs inputs of one height and width, got {inputs}.")
    input_shape = current = inputs[0]
    size, jump, start = [1, 1], [1, 1], [0, 0]
    for layer in model.layers:
        inner = getattr(layer, "layer", layer)  # SpectralNormalization wraps its layer
        if isinstance(layer, keras.layers.InputLayer):
            continue
        before = _spatial(layer.input[0].shape if isinstance(layer.input, list) else layer.input.shape, layer)
        after = _spatial(layer.output.shape, layer)
        if isinstance(inner, keras.layers.Conv2D):
            kernel = [d * (k - 1) + 1 for k, d in zip(inner.kernel_size, inner.dilation_rate)]
            strides, padding = inner.strides, inner.padding
        elif isinstance(inner, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)):
            kernel, strides, padding = inner.pool_size, inner.strides, inner.padding
        elif after == before:
            continue
        else:
            raise ValueError(
                f"receptive_field follows convolutions and pooling only, but layer {layer.name!r} "
                f"({type(layer).__name__}) changes the map from {before} to {after}."
            )
        if before != current:
            raise ValueError(f"Layer {layer.name!r} takes a {before} map where the chain has {current}: "
                             "receptive_field needs a chain of layers, not branches.")
        for axis in range(2):
            if padding == "same":
                remainder = before[axis] % strides[axis]
                total = max(kernel[axis] - (strides[axis] if remainder == 0 else remainder), 0)
                before_pad = total // 2
            else:
                before_pad = 0
            start[axis] -= before_pad * jump[axis]
            size[axis] += (kernel[axis] - 1) * jump[axis]
            jump[axis] *= strides[axis]
        current = after
    return ReceptiveField(tuple(size), tuple(jump), tuple(start), input_shape, current)


_SHORT_LAYER_NAMES = {"BatchNormalization": "BatchNorm", "InputLayer": "Input", "Conv2DTranspose": "Conv2DTranspose"}


def layer_shape_blocks(model, merge_same_shape=True):
    """``[(layer_names, shape), ...]``: each layer's output shape (without the batch axis).

    With ``merge_same_shape``, consecutive layers that keep the shape (BatchNorm, activations,
    dropout) join the block of the layer before them. Introduced in chapter 4 (``plot_layer_shapes``
    draws them).
    """
    if not hasattr(model, "layers") or not hasattr(model, "inputs"):
        raise TypeError(f"plot_layer_shapes needs a built keras.Model, got {type(model).__name__}; "
                        "pass e.g. models.dcgan_generator().")
    blocks = []
    for layer in model.layers:
        output = layer.output
        if isinstance(output, (list, tuple)):
            raise ValueError(f"Layer {layer.name!r} has several outputs; plot_layer_shapes draws "
                             "models whose layers form one chain.")
        shape = tuple(int(side) for side in output.shape[1:])
        name = _SHORT_LAYER_NAMES.get(type(layer).__name__, type(layer).__name__)
        activation = getattr(getattr(layer, "activation", None), "__name__", "linear")
        if activation not in ("linear", None):
            name += f" ({activation})"
        if merge_same_shape and blocks and blocks[-1][1] == shape and name != "Input":
            blocks[-1][0].append(name)
        else:
            blocks.append(([name], shape))
    return [(names, shape) for names, shape in blocks]
