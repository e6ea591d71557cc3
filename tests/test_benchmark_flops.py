"""The speed benchmark's analytic FLOP count, checked against a hand count (no timing here).

Only the per-layer count has an independent reference (the multiply-accumulates counted by
hand below); the step total and the CPU's nominal peak are formulas that a test could only
restate, and the peak reads /proc/cpuinfo, which exists on Linux only.
"""
import keras

from flops import forward_flops_per_example


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
