"""Shared test setup: quiet TensorFlow, no downloads, the smoke profile, no windows.

Matplotlib draws with Agg in this process only (``matplotlib.use``, not the MPLBACKEND
variable, which kernels started from here would inherit and then show no figures).
"""
import os

import matplotlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("GAN_BOOK_OFFLINE", "1")  # a test that would download fails instead
os.environ.setdefault("GAN_BOOK_PROFILE", "smoke")
matplotlib.use("Agg")
