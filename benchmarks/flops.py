"""Analytic FLOP counts for a GAN step and this CPU's nominal fp32 peak."""
import os
import re

import keras


def forward_flops_per_example(model):
    """2 x multiply-accumulates of the Dense/Conv2D/Conv2DTranspose layers, per example."""
    total = 0
    for layer in model._flatten_layers(include_self=False, recursive=True):
        kind = type(layer).__name__
        if kind == "SpectralNormalization":
            continue  # its wrapped layer is counted on its own
        if kind == "Dense":
            total += 2 * layer.kernel.shape[0] * layer.kernel.shape[1]
        elif kind in ("Conv2D", "Conv2DTranspose"):
            kh, kw, c_a, c_b = layer.kernel.shape  # Conv2D: (kh, kw, in, out); transposed: (kh, kw, out, in)
            if kind == "Conv2D":
                _, h, w, _ = layer.output.shape  # one output position per kernel application
            else:
                _, h, w, _ = layer.input.shape  # one input position per kernel application
            total += 2 * h * w * kh * kw * c_a * c_b
    return total


def gan_step_flops(generator, discriminator, batch_size, d_steps=1):
    """FLOPs of one Algorithm-1 step: backward ~ 2x forward.

    Discriminator step: G forward on m, D forward+backward on 2m.
    Generator step: G forward+backward on m, D forward+backward (to its input) on m.
    """
    g, d = forward_flops_per_example(generator), forward_flops_per_example(discriminator)
    per_d_step = batch_size * (g + 3 * 2 * d)
    per_g_step = batch_size * (3 * g + 3 * d)
    return d_steps * per_d_step + per_g_step


def cpu_peak_gflops():
    """Nominal fp32 peak: cores x clock x (datapath width / 32) x 2 (FMA) x 2 FMA pipes.

    Zen 4 (AMD family 25 with AVX-512) executes 512-bit instructions on 256-bit datapaths,
    so its width counts as 256 bits.
    """
    info = open("/proc/cpuinfo").read()
    flags = set(re.search(r"^flags\s*:\s*(.*)$", info, re.M).group(1).split())
    mhz = float(re.search(r"^cpu MHz\s*:\s*([\d.]+)", info, re.M).group(1))
    family = int(re.search(r"^cpu family\s*:\s*(\d+)", info, re.M).group(1))
    vendor = re.search(r"^vendor_id\s*:\s*(\S+)", info, re.M).group(1)
    width = 512 if "avx512f" in flags else 256 if "avx2" in flags else 128
    if vendor == "AuthenticAMD" and family == 25 and width == 512:
        width = 256
    cores = len(os.sched_getaffinity(0))
    peak = cores * mhz / 1000 * (width / 32) * 2 * 2
    return dict(cores=cores, mhz=mhz, width_bits=width, avx512_bf16="avx512_bf16" in flags,
                amx_bf16="amx_bf16" in flags, peak_gflops=peak)


def measured_matmul_gflops(size=2048, repeats=10):
    """The fp32 GFLOP/s of TensorFlow's best large matrix product here: a reachable peak.

    The nominal peak uses the clock that /proc/cpuinfo reports, which on a virtual machine is
    often the base clock, not the boost clock the cores really run at; so a well-vectorised
    model can exceed "100 %" of it. A square matmul through the same oneDNN kernels is the
    practical ceiling to compare against. Best of ``repeats`` (noise only ever slows it down).
    """
    import time

    import tensorflow as tf

    a = tf.random.stateless_normal((size, size), seed=(0, 1))
    b = tf.random.stateless_normal((size, size), seed=(0, 2))
    product = tf.function(lambda x, y: tf.reduce_sum(tf.matmul(x, y)))
    float(product(a, b))  # trace and warm up
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        float(product(a, b))
        best = min(best, time.perf_counter() - started)
    return 2 * size**3 / best / 1e9
