"""gan_utils: the small library behind the GAN course. See the book's chapters for each part."""
from . import checks, data, losses, metrics, models, plotting, profile, training  # noqa: F401
from .profile import current_profile, is_smoke, pick  # noqa: F401
from .training import GAN, seed_everything  # noqa: F401

__version__ = "0.1.0"
