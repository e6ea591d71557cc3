"""Which floating-point precision the networks compute in, picked at run time for this CPU.

On a CPU with bfloat16 dot-product instructions, Keras' ``mixed_bfloat16`` policy makes a
DCGAN step faster (``benchmarks/step_levers.py`` measures it); elsewhere float32 is
kept. The smoke profile always computes in float32, so that its checks run under one
numeric regime whichever CPU the continuous integration draws. Introduced in chapter 4.
"""
import contextlib

import keras
import tensorflow as tf

from .book import is_smoke

PRECISIONS = ("float32", "mixed_bfloat16")


def cpu_has_bfloat16(cpuinfo="/proc/cpuinfo"):
    """True on a CPU with bfloat16 dot-product instructions (AVX-512 BF16 or AMX-BF16, Linux).

    Reads the flags Linux lists in ``cpuinfo``; without that file (not Linux), False.
    Introduced in the appendix Fast on a CPU.
    """
    try:
        with open(cpuinfo) as file:
            flags = file.read().split()
    except OSError:  # not Linux: assume not
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def fastest_precision():
    """``"mixed_bfloat16"`` on a CPU-only machine with bfloat16 instructions, else ``"float32"``.

    There, oneDNN multiplies in bfloat16 (variables stay float32), which makes a DCGAN step
    faster on the book's CPU (measured by ``benchmarks/dcgan_speed.py`` and in chapter 4). GPUs keep
    float32: not all of them (e.g. Colab's T4) compute bfloat16 natively. Introduced in the
    appendix Fast on a CPU.
    """
    if tf.config.list_physical_devices("GPU") or not cpu_has_bfloat16():
        return "float32"
    return "mixed_bfloat16"


def resolve_precision(name):
    """``name`` checked against ``PRECISIONS``; ``"auto"`` means ``fastest_precision()``, or float32 under
    the smoke profile (``book.is_smoke()``: one numeric regime for its checks on any CPU).

    Introduced in chapter 4 (its ``precision`` parameter); used in chapter 5 and the appendix
    Bugs that tutorials ship.
    """
    if name == "auto":
        return "float32" if is_smoke() else fastest_precision()
    if name not in PRECISIONS:
        raise ValueError(f"Unknown precision {name!r}; choose one of {PRECISIONS} "
                         "or \"auto\" (precision.fastest_precision() picks for this machine).")
    return name


@contextlib.contextmanager
def policy(name):
    """Build the models created inside this block with the Keras dtype policy ``name``.

    ``"mixed_bfloat16"`` computes in bfloat16 with float32 variables; the losses and
    ``GAN.generate`` return float32 either way; ``"auto"`` is resolved by
    ``resolve_precision``. The previous policy is restored afterwards, so models built later
    (e.g. the FID classifier) are unaffected. Introduced in chapter 4; used in chapter 5 and the
    appendix Bugs that tutorials ship.
    """
    name = resolve_precision(name)
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(name)
    try:
        yield name
    finally:
        keras.config.set_dtype_policy(previous)
