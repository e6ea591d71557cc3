from pathlib import Path

import numpy as np
import keras
import pytest
import tensorflow as tf

from gan_utils import models, precision


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


def test_precision_builds_mixed_models_and_restores_the_policy():
    with precision.policy("mixed_bfloat16"):
        generator = models.dcgan_generator(noise_dim=8, base_channels=4)
        discriminator = models.dcgan_discriminator(base_channels=4)
    assert keras.config.dtype_policy().name == "float32"  # restored for what is built next
    assert generator.layers[1].dtype_policy.name == "mixed_bfloat16"
    assert all(v.dtype == "float32" for v in generator.weights)  # variables stay float32
    images = generator(np.zeros((2, 8), np.float32), training=False)
    assert images.dtype == "bfloat16" and discriminator(images).dtype == "bfloat16"
    with pytest.raises(ValueError, match="Unknown precision 'float16'"):
        with precision.policy("float16"):
            pass
    assert keras.config.dtype_policy().name == "float32"


def test_fastest_precision_follows_the_cpu_flags_and_the_gpu(monkeypatch):
    # An independent reading of the CPU's flags: bfloat16 dot products on AVX-512 BF16 or AMX.
    flags = set(open("/proc/cpuinfo").read().split()) if Path("/proc/cpuinfo").exists() else set()
    has_bf16 = bool(flags & {"avx512_bf16", "amx_bf16"})
    assert precision.cpu_has_bfloat16() == has_bf16
    expected = "mixed_bfloat16" if has_bf16 and not tf.config.list_physical_devices("GPU") else "float32"
    assert precision.fastest_precision() == precision.resolve_precision("auto") == expected
    monkeypatch.setattr(precision, "cpu_has_bfloat16", lambda: True)
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: ["GPU:0"] if kind == "GPU" else [])
    assert precision.fastest_precision() == "float32"  # GPUs keep float32
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [])
    assert precision.fastest_precision() == "mixed_bfloat16"
    assert precision.resolve_precision("float32") == "float32"
    with pytest.raises(ValueError, match="Unknown precision 'fp16'"):
        precision.resolve_precision("fp16")


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
