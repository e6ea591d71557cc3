import numpy as np
import keras
import pytest
import tensorflow as tf

from gan_utils import models


def test_dcgan_shapes_and_output_range():
    generator = models.dcgan_generator(noise_dim=16, base_channels=8)
    discriminator = models.dcgan_discriminator(base_channels=8)
    images = generator(np.random.default_rng(0).normal(size=(5, 16)).astype(np.float32), training=False)
    assert images.shape == (5, 28, 28, 1)
    assert float(np.max(np.abs(images))) <= 1.0  # tanh output, like the scaled data
    assert discriminator(images).shape == (5, 1)


def test_discriminators_return_logits_not_probabilities():
    for discriminator in (models.dcgan_discriminator(base_channels=4), models.mlp_discriminator(2)):
        last = discriminator.layers[-1]
        assert last.activation is keras.activations.linear
    mlp = models.mlp_discriminator(1, hidden_units=(8,))
    for layer in mlp.layers:  # every weight set by hand: positive hidden units, a large output
        if isinstance(layer, keras.layers.Dense):
            layer.set_weights([np.full(layer.kernel.shape, 2.0, np.float32), np.ones(layer.bias.shape, np.float32)])
    assert float(np.max(mlp(np.ones((2, 1), np.float32)))) > 1.0  # a logit can leave [0, 1]


def test_conditional_variants_take_labels():
    generator = models.dcgan_generator(noise_dim=8, base_channels=4, num_classes=10)
    discriminator = models.dcgan_discriminator(base_channels=4, num_classes=10)
    noise = np.zeros((3, 8), np.float32)
    labels = np.array([0, 1, 9], np.int32)
    images = generator([noise, labels])
    assert images.shape == (3, 28, 28, 1)
    assert discriminator([images, tf.constant(labels)]).shape == (3, 1)
    # Different labels with the same noise give different images: the label is used.
    assert not np.allclose(images[0], images[1])
    mlp_g = models.mlp_generator(noise_dim=4, output_dim=2, num_classes=3)
    mlp_d = models.mlp_discriminator(input_dim=2, num_classes=3)
    out = mlp_g([np.zeros((2, 4), np.float32), np.array([0, 2], np.int32)])
    assert mlp_d([out, tf.constant([0, 2])]).shape == (2, 1)


def test_architecture_choices_are_named_arguments():
    small = models.dcgan_generator(noise_dim=8, base_channels=4, kernel_size=3, batch_norm=False)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in small.layers)
    assert small.get_layer("image").kernel_size == (3, 3)
    spectral = models.dcgan_discriminator(base_channels=4, spectral_norm=True, dropout_rate=0.3)
    assert sum(isinstance(layer, keras.layers.SpectralNormalization) for layer in spectral.layers) == 3
    assert any(isinstance(layer, keras.layers.Dropout) for layer in spectral.layers)
    mlp = models.mlp_generator(noise_dim=3, output_dim=5, hidden_units=(7, 9, 11))
    assert [layer.units for layer in mlp.layers if isinstance(layer, keras.layers.Dense)] == [7, 9, 11, 5]


def test_probability_real_is_the_sigmoid_of_the_logit_even_at_the_extremes():
    logits = np.array([-1000.0, -20.0, -1.0, 0.0, 2.0, 30.0, 1000.0])
    discriminator = lambda x, training: x  # noqa: E731 (the "network" returns its input as the logit)
    with np.errstate(over="raise"):
        probabilities = models.probability_real(discriminator, logits[:, None])
    moderate = slice(1, 6)
    np.testing.assert_allclose(probabilities[moderate], 1 / (1 + np.exp(-logits[moderate])), rtol=1e-12)
    assert probabilities[0] == 0.0 and probabilities[-1] == 1.0 and probabilities.dtype == np.float64
    conditional = models.mlp_discriminator(input_dim=2, num_classes=3)
    assert models.probability_real(conditional, np.zeros((4, 2)), labels=[0, 1, 2, 0]).shape == (4,)


def test_layer_shape_blocks_merge_the_layers_that_keep_the_shape():
    generator = models.dcgan_generator(noise_dim=16, base_channels=8)
    blocks = models.layer_shape_blocks(generator)
    expected = [tuple(int(s) for s in layer.output.shape[1:]) for layer in generator.layers]
    # Merged blocks keep the order of the distinct consecutive shapes.
    assert [shape for _, shape in blocks] == [s for i, s in enumerate(expected) if i == 0 or s != expected[i - 1]]
    assert [shape for _, shape in blocks] == [(16,), (784,), (7, 7, 16), (14, 14, 8), (28, 28, 1)]
    assert blocks[1][0] == ["Dense", "BatchNorm", "ReLU"] and blocks[-1][0] == ["Conv2DTranspose (tanh)"]
    assert len(models.layer_shape_blocks(generator, merge_same_shape=False)) == len(generator.layers)


def patch_discriminator_like_chapter_5():
    """Chapter 5's PatchGAN: edges and image stacked, 4x4/2, 4x4/2, 3x3/1 convolutions, all "same"."""
    edges, image = keras.Input((28, 28, 1)), keras.Input((28, 28, 1))
    x = keras.layers.Concatenate()([edges, image])
    x = keras.layers.LeakyReLU(0.2)(keras.layers.Conv2D(4, 4, strides=2, padding="same")(x))
    x = keras.layers.LeakyReLU(0.2)(keras.layers.Conv2D(4, 4, strides=2, padding="same")(x))
    return keras.Model([edges, image], keras.layers.Conv2D(1, 3, padding="same")(x))


def input_support(model, row, column):
    """Independent reference: the input pixels whose gradient on output cell (row, column) is not 0."""
    keras.utils.set_random_seed(0)
    inputs = [tf.random.normal((1, *tensor.shape[1:])) for tensor in model.inputs]
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        cell = model(inputs if len(inputs) > 1 else inputs[0])[0, row, column, 0]
    gradient = np.abs(tape.gradient(cell, inputs[0])[0, ..., 0].numpy())
    rows, columns = np.nonzero(gradient)
    return (rows.min(), rows.max() + 1), (columns.min(), columns.max() + 1)


def test_receptive_field_of_the_chapter_5_patchgan_by_hand():
    # By hand, (first input pixel, size, jump) of output cell 0 along one axis, with TensorFlow's
    # "same" padding (on an even size, k - s pixels in all, (k - s) // 2 of them before):
    #   4x4 stride 2 on 28: 1 pixel before -> first -1, size 4, jump 2
    #   4x4 stride 2 on 14: 1 before (x jump 2) -> first -3, size 4 + 3 * 2 = 10, jump 4
    #   3x3 stride 1 on 7:  1 before (x jump 4) -> first -7, size 10 + 2 * 4 = 18, jump 4
    field = models.receptive_field(patch_discriminator_like_chapter_5())
    assert field.size == (18, 18) and field.jump == (4, 4) and field.start == (-7, -7)
    assert field.input_shape == (28, 28) and field.output_shape == (7, 7)
    assert field.patch(3, 3) == ((5, 23), (5, 23))       # -7 + 12 = 5, 18 rows: whole patch inside
    assert field.patch(0, 6) == ((0, 11), (17, 28))      # clipped at the borders
    with pytest.raises(ValueError, match=r"outside the \(7, 7\) output map"):
        field.patch(7, 0)


@pytest.mark.parametrize("cell", [(0, 0), (3, 3), (6, 2)])
def test_receptive_field_matches_the_gradient_of_each_output_cell(cell):
    model = patch_discriminator_like_chapter_5()
    assert models.receptive_field(model).patch(*cell) == input_support(model, *cell)


def test_receptive_field_with_valid_padding_pooling_dilation_and_odd_sizes():
    x = inputs = keras.Input((29, 23, 2))
    x = keras.layers.Conv2D(3, (3, 5), strides=(2, 1), padding="valid", activation="tanh")(x)
    x = keras.layers.AveragePooling2D(2, padding="same")(x)
    x = keras.layers.Conv2D(1, 3, dilation_rate=2, padding="same")(x)
    model = keras.Model(inputs, x)
    field = models.receptive_field(model)
    # rows: 3/2 valid -> size 3, jump 2; pool 2/2 same on 14 (no padding) -> size 5, jump 4;
    # dilated 3x3 (spans 5) same on 7: 4 pixels in all, 2 before -> start -8, size 5 + 4 * 4 = 21
    assert field.size[0] == 21 and field.jump[0] == 4 and field.start[0] == -8
    assert field.output_shape == tuple(model.output.shape[1:3])
    for cell in [(0, 0), (3, 5), (field.output_shape[0] - 1, field.output_shape[1] - 1)]:
        assert field.patch(*cell) == input_support(model, *cell), cell


def test_receptive_field_refuses_what_it_cannot_follow():
    with pytest.raises(ValueError, match="Conv2DTranspose"):
        models.receptive_field(keras.Sequential([keras.Input((7, 7, 1)), keras.layers.Conv2DTranspose(1, 4, 2, "same")]))
    with pytest.raises(ValueError, match="fully convolutional"):
        models.receptive_field(models.dcgan_discriminator(base_channels=4))


@pytest.mark.parametrize("build, message", [
    (lambda: models.mlp_generator(noise_dim=0, output_dim=2), "noise_dim must be an integer of at least 1, got 0"),
    (lambda: models.mlp_generator(noise_dim=4, output_dim=0), "output_dim must be an integer of at least 1"),
    (lambda: models.mlp_generator(noise_dim=4, output_dim=2, hidden_units=64), r"hidden_units must be a tuple of layer widths such as \(64, 64\)"),
    (lambda: models.mlp_discriminator(input_dim=2, hidden_units=(64, 0)), "hidden_units must be a tuple"),
    (lambda: models.mlp_discriminator(input_dim=2.0), "input_dim must be an integer"),
    (lambda: models.dcgan_generator(noise_dim=0), "noise_dim must be an integer"),
    (lambda: models.dcgan_discriminator(image_shape=(28, 28)), r"image_shape must be \(height, width, channels\)"),
])
def test_model_builders_reject_impossible_sizes(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_mlp_with_no_hidden_layers_is_allowed():
    assert len(models.mlp_generator(noise_dim=2, output_dim=1, hidden_units=()).layers) == 2
