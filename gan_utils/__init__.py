"""gan_utils: the small library behind the GAN course. See the book's chapters for each part."""
# First, before any module imports TensorFlow: its start-up notices stay out of the notebooks.
from . import startup  # noqa: F401
from . import (augmentation, book, callbacks, checks, classifier, data, diagrams, grading, losses,  # noqa: F401
               metrics, models, plotting, precision, training)
from .book import current_profile, glue, is_smoke, pick  # noqa: F401
from .training import GAN, seed_everything  # noqa: F401

# The one place the version lives (pyproject.toml reads it); a course release is the tag
# v<version>, which the assignments' handouts and autograders install (scripts/assign.py).
__version__ = "0.1.0"
