"""What the notebooks need from the book: the budget switch, glue, a run timer, table cells and
the check that a run bears out the prose.

Introduced in "How to use this book". ``GAN_BOOK_PROFILE=smoke`` gives tiny budgets (the quick
run, and the tests); anything else (or unset) gives the full budgets of the published book.
Notebooks read their defaults from ``pick`` in the papermill ``parameters`` cell, so
``papermill -p epochs 40`` still overrides them.
"""
import os
import time

PROFILES = ("smoke", "full")


def current_profile():
    """Return ``"smoke"`` or ``"full"`` from the ``GAN_BOOK_PROFILE`` environment variable.

    Used by ``is_smoke`` (and so by ``pick``).
    """
    name = os.environ.get("GAN_BOOK_PROFILE", "full").strip().lower() or "full"
    if name not in PROFILES:
        raise ValueError(
            f"GAN_BOOK_PROFILE={name!r} is not a known profile; use one of {PROFILES} "
            "(or leave it unset for the full book)."
        )
    return name


def is_smoke():
    """True when running under the smoke profile.

    Introduced in chapter 1; used in chapters 3, 4 and 6 and A GAN on one screen.
    """
    return current_profile() == "smoke"


def pick(smoke, full):
    """Return ``smoke`` under the smoke profile and ``full`` otherwise.

    Introduced in chapter 1 (every parameters cell); used in chapters 2, 3, 4, 5 and 6,
    A GAN on one screen, the appendix Bugs that tutorials ship and the appendix Fast on a CPU.
    """
    return smoke if is_smoke() else full


def glue(name, value, display=False):
    """Store ``value`` for the book's ``{glue:}`` roles (myst-nb); without myst-nb, do nothing.

    This is how numbers get into the prose: computed by the notebook, never typed in. On Colab
    and in a plain Jupyter (no myst-nb) the call is silent: a value the student should see is
    shown by a visible cell, as on the page.
    Introduced in chapter 1; used in chapters 2, 3, 4, 5, 6 and 7, A GAN on one screen, the
    appendix Bugs that tutorials ship and the appendix Fast on a CPU.
    """
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # NumPy scalars would render as "np.float64(...)"
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # Colab and plain Jupyter do not have myst-nb: nothing to store
        return
    myst_glue(name, value, display=display)


class NotebookTimer:
    """Measures a notebook's run time so the chapter can state it (computed, not typed).

    Introduced in chapter 1; used in chapters 2, 3, 4, 5, 6 and 7, A GAN on one screen, the
    appendix Bugs that tutorials ship and the appendix Fast on a CPU.
    """

    def __init__(self):
        self.started = time.perf_counter()

    def seconds(self):
        return time.perf_counter() - self.started

    def describe(self):
        seconds = self.seconds()
        if seconds < 120:
            whole = max(1, round(seconds))
            amount = f"{whole} second" + ("s" if whole != 1 else "")
        else:
            amount = f"{seconds / 60:.1f} minutes"
        return f"{amount} on the computer that built this page ({current_profile()} profile)"


def mean_and_spread(values, digits):
    """``"mean ± sample standard deviation"`` of ``values`` for a table; the mean alone for one value.

    Introduced in chapter 3; used in chapter 6.
    """
    values = [float(value) for value in values]
    if not values:
        raise ValueError("mean_and_spread got no values.")
    mean = sum(values) / len(values)
    if len(values) == 1:
        return f"{mean:.{digits}f}"
    spread = (sum((value - mean) ** 2 for value in values) / (len(values) - 1)) ** 0.5
    return f"{mean:.{digits}f} ± {spread:.{digits}f}"


def strict_checks():
    """True where a claim check must stop the run: the book build and CI (``GAN_BOOK_STRICT=1``).

    The Makefile sets it for ``make book`` and ``make test``. Used by ``check_claim``.
    """
    return os.environ.get("GAN_BOOK_STRICT", "").strip() == "1"


def check_claim(holds, text_says, measured):
    """Check that a run bears out what the page's prose says about it.

    In the book build and CI (``strict_checks()``) a claim that does not hold stops the run:
    the published text must never contradict its own figures. Anywhere else (a reader's Run
    all on Colab's GPU or another CPU, where results land differently) it prints what the
    text says and what this run measured, and returns False so the notebook carries on.
    Smoke-profile assertions of real improvement are plain ``assert`` statements instead.
    Introduced in chapter 1; used in chapters 3, 4, 5 and 6 and A GAN on one screen.
    """
    if bool(holds):
        return True
    message = f"The text says {text_says}; this run measured {measured}."
    if strict_checks():
        raise AssertionError(message + " (GAN_BOOK_STRICT=1: the book build stops here.)")
    print("Note: this run differs from the text. " + message + " The text describes the run "
          "that built the published book; on other hardware the numbers can land differently "
          "(see 'Before you start').")
    return False
