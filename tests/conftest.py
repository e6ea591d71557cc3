"""Shared test setup: quiet TensorFlow, no downloads, the smoke profile."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("GAN_BOOK_OFFLINE", "1")  # a test that would download fails instead
os.environ.setdefault("GAN_BOOK_PROFILE", "smoke")
os.environ.setdefault("MPLBACKEND", "Agg")
