"""One budget switch for the whole course (introduced in "How to use this book").

``GAN_BOOK_PROFILE=smoke`` gives tiny budgets for CI; anything else (or unset) gives the
full budgets of the published book. Notebooks read their defaults from here, in the
papermill ``parameters`` cell, so ``papermill -p epochs 40`` still overrides them.
"""
import os

PROFILES = ("smoke", "full")


def current_profile():
    """Return ``"smoke"`` or ``"full"`` from the ``GAN_BOOK_PROFILE`` environment variable."""
    name = os.environ.get("GAN_BOOK_PROFILE", "full").strip().lower() or "full"
    if name not in PROFILES:
        raise ValueError(
            f"GAN_BOOK_PROFILE={name!r} is not a known profile; use one of {PROFILES} "
            "(or leave it unset for the full book)."
        )
    return name


def is_smoke():
    """True when running under the CI smoke profile."""
    return current_profile() == "smoke"


def pick(smoke, full):
    """Return ``smoke`` under the smoke profile and ``full`` otherwise."""
    return smoke if is_smoke() else full
