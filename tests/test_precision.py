import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_utils import models, precision


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


CPUINFO = """processor\t: 0
flags\t\t: fpu sse2 avx2 avx512f {extra}
"""


@pytest.mark.parametrize("extra, expected", [("avx512_bf16", True), ("amx_bf16 amx_tile", True),
                                             ("avx512_vnni", False), ("", False)])
def test_cpu_has_bfloat16_reads_the_flags_linux_lists(tmp_path, extra, expected):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(CPUINFO.format(extra=extra))
    assert precision.cpu_has_bfloat16(cpuinfo) is expected
    assert precision.cpu_has_bfloat16(tmp_path / "missing") is False  # not Linux


def test_fastest_precision_takes_bfloat16_only_on_a_cpu_with_it_and_no_gpu(monkeypatch):
    no_gpu = lambda kind=None: []  # noqa: E731
    one_gpu = lambda kind=None: ["GPU:0"] if kind == "GPU" else []  # noqa: E731
    for has_bf16, devices, expected in [(True, no_gpu, "mixed_bfloat16"), (False, no_gpu, "float32"),
                                        (True, one_gpu, "float32")]:  # GPUs keep float32
        monkeypatch.setattr(precision, "cpu_has_bfloat16", lambda: has_bf16)
        monkeypatch.setattr(tf.config, "list_physical_devices", devices)
        assert precision.fastest_precision() == expected


def test_auto_is_float32_in_the_smoke_profile_and_the_fastest_in_the_full_one(monkeypatch):
    monkeypatch.setattr(precision, "fastest_precision", lambda: "mixed_bfloat16")  # a CPU with bfloat16
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    assert precision.resolve_precision("auto") == "float32"
    with precision.policy("auto") as name:
        assert name == "float32" and keras.config.dtype_policy().name == "float32"
    monkeypatch.setenv("GAN_BOOK_PROFILE", "full")
    assert precision.resolve_precision("auto") == "mixed_bfloat16"
    assert precision.resolve_precision("float32") == "float32"
    with pytest.raises(ValueError, match="Unknown precision 'fp16'"):
        precision.resolve_precision("fp16")
