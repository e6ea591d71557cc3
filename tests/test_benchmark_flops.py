"""The speed benchmark's analytic FLOP count, checked against hand counts (no timing here)."""
import keras

from benchmarks.flops import cpu_peak_gflops, forward_flops_per_example, gan_step_flops


def test_forward_flops_by_hand():
    model = keras.Sequential([
        keras.Input((8, 8, 2)),
        keras.layers.Conv2D(4, 3, strides=2, padding="same"),           # 4x4 outputs x 3x3x2x4 MACs
        keras.layers.Conv2DTranspose(3, 2, strides=2, padding="same"),  # 4x4 inputs x 2x2x4x3 MACs
        keras.layers.Flatten(),
        keras.layers.Dense(5),                                          # 192 x 5 MACs
    ])
    expected = 2 * (16 * 3 * 3 * 2 * 4 + 16 * 2 * 2 * 4 * 3 + 8 * 8 * 3 * 5)
    assert forward_flops_per_example(model) == expected


def test_gan_step_counts_each_pass():
    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])      # 12 FLOPs
    discriminator = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])  # 6 FLOPs
    # D step: G forward + D forward/backward on real and fake; G step: both forward/backward.
    assert gan_step_flops(generator, discriminator, batch_size=10) == 10 * (12 + 3 * 2 * 6) + 10 * (3 * 12 + 3 * 6)


def test_cpu_peak_is_read_from_the_machine():
    info = cpu_peak_gflops()
    assert info["cores"] >= 1 and info["mhz"] > 0 and info["width_bits"] in (128, 256, 512)
    assert 1 < info["peak_gflops"] < 100_000
