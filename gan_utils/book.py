"""What the notebooks need from the book: the budget switch, glue, the book's number format, a
run timer, tables and the check that a run bears out the prose.

Introduced in "How to use this book". ``GAN_BOOK_PROFILE=smoke`` gives tiny budgets (the quick
run, and the tests); anything else (or unset) gives the full budgets of the published book.
Notebooks read their defaults from ``pick`` in the papermill ``parameters`` cell, so
``papermill -p epochs 40`` still overrides them.
"""
import html
import math
import numbers
import os
import re
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

    Introduced in chapter 1; used in chapters 3, 4 and 6 and A GAN in one cell.
    """
    return current_profile() == "smoke"


def pick(smoke, full):
    """Return ``smoke`` under the smoke profile and ``full`` otherwise.

    Introduced in chapter 1 (every parameters cell); used in chapters 2, 3, 4, 5 and 6,
    A GAN in one cell, the page GANs and diffusion at the same budget, the appendix Bugs that
    tutorials ship and the appendix Fast on a CPU.
    """
    return smoke if is_smoke() else full


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
MINUS = "\u2212"  # the minus sign of typeset mathematics, not the hyphen "-"


def format_number(value, significant=3, decimals=None):
    """A number as the book's text shows it: ``0.387``, ``1,250``, ``2.80 × 10⁻¹²``, ``−0.5``.

    Floats get ``significant`` significant figures (three by default), or exactly ``decimals``
    digits after the point when given (numbers compared in one sentence or one column share
    their decimals); numbers below 0.001 or from a million up are written ``m × 10ⁿ``, never
    ``2.8e-12``; a negative number starts with the minus sign U+2212, as in the typeset
    formulas. Integers are written in full (years stay ``2014``); ``nan`` is ``NaN`` and
    infinities ``∞``. Used by ``glue``, ``mean_and_spread`` and ``results_table``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"format_number formats a real number, got {value!r} of type {type(value).__name__}.")
    if significant is not None and (not isinstance(significant, int) or significant < 1):
        raise ValueError(f"significant must be a positive integer, got {significant!r}.")
    if decimals is not None and (not isinstance(decimals, int) or decimals < 0):
        raise ValueError(f"decimals must be a non-negative integer, got {decimals!r}.")
    if isinstance(value, numbers.Integral):
        text = str(abs(int(value)))
    elif math.isnan(value):
        return "NaN"
    elif math.isinf(value):
        text = "∞"
    elif decimals is not None:
        text = f"{abs(value):,.{decimals}f}"
    elif value == 0:
        text = "0"
    else:
        mantissa, exponent = f"{abs(value):.{significant - 1}e}".split("e")
        exponent = int(exponent)
        if -3 <= exponent < 6:
            text = f"{abs(value):,.{max(0, significant - 1 - exponent)}f}"
        else:
            text = f"{mantissa} × 10" + str(exponent).translate(_SUPERSCRIPTS)
    negative = value < 0 and text.strip("0.,") != ""  # -0.0001 at 2 decimals is 0.00, not −0.00
    return (MINUS if negative else "") + text


def glue(name, value, display=False, significant=3, decimals=None):
    """Store ``value`` for the book's ``{glue:text}`` roles (myst-nb); without myst-nb, do nothing.

    This is how numbers get into the prose: computed by the notebook, never typed in. A float
    (Python's or NumPy's) is stored already written as the text shows it, by
    ``format_number(value, significant, decimals)``, so the prose says ``{glue:text}`name```
    with no format of its own. Integers, strings and everything else are stored as they are. On
    Colab and in a plain Jupyter (no myst-nb) the call is silent: a value the student should
    see is shown by a visible cell, as on the page.
    Introduced in chapter 1; used in chapters 2, 3, 4, 5, 6 and 7, A GAN in one cell, the page
    GANs and diffusion at the same budget, the appendix Bugs that tutorials ship and the appendix
    Fast on a CPU.
    """
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # NumPy scalars would render as "np.float64(...)"
    if isinstance(value, float):
        value = format_number(value, significant, decimals)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # Colab and plain Jupyter do not have myst-nb: nothing to store
        return
    myst_glue(name, value, display=display)


class ResultsTable:
    """A table of results as the book shows it: an HTML table, numbers right-aligned.

    Made by ``results_table``; a notebook shows it by ending a cell with it (its ``_repr_html_``),
    and ``print`` or a plain console shows the text version. ``rows`` are lists of cells, the
    cells already written as text. The alignment is written into each cell, so that it holds
    in Jupyter and Colab as on the book's pages. Used by ``results_table``.
    """

    def __init__(self, header, rows, numeric):
        self.header, self.rows, self.numeric = list(header), [list(row) for row in rows], list(numeric)

    def _repr_html_(self):
        def cell(tag, text, column):
            align = ' style="text-align: right"' if self.numeric[column] else ' style="text-align: left"'
            return f"<{tag}{align}>{html.escape(str(text))}</{tag}>"

        head = "".join(cell("th", name, column) for column, name in enumerate(self.header))
        body = "".join("<tr>" + "".join(cell("td", text, column) for column, text in enumerate(row)) + "</tr>"
                       for row in self.rows)
        return (f'<table class="results-table"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def __repr__(self):
        columns = list(zip(self.header, *self.rows))
        widths = [max(len(str(text)) for text in column) for column in columns]

        def line(cells):
            return "  ".join(str(text).rjust(width) if numeric else str(text).ljust(width)
                             for text, width, numeric in zip(cells, widths, self.numeric)).rstrip()

        return "\n".join([line(self.header)] + [line(row) for row in self.rows])


def results_table(frame, significant=3, decimals=None):
    """A pandas DataFrame as a ``ResultsTable``: one header row, numbers right-aligned and formatted.

    The index becomes the first column (its name heads it, on the one header row), floats are
    written by ``format_number`` (``decimals`` may be one number for every float column or a
    dict from column name to decimals), and numeric columns are right-aligned: those of numbers
    and those of numbers already written as text, such as ``mean_and_spread``'s "0.52 ± 0.03".
    Introduced in chapter 3; used in chapters 5 and 6 and the appendix Fast on a CPU.
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"results_table takes a pandas DataFrame, got {type(frame).__name__}; "
                        "build one with pandas.DataFrame(rows) first.")
    flat = frame.reset_index() if _has_named_index(frame) else frame
    header = [str(name) for name in flat.columns]
    numeric = [(pd.api.types.is_numeric_dtype(flat[name]) and not pd.api.types.is_bool_dtype(flat[name]))
               or all(isinstance(value, str) and _NUMBER_TEXT.match(value) for value in flat[name])
               for name in flat.columns]

    def write(value, name):
        places = decimals.get(name) if isinstance(decimals, dict) else decimals
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return format_number(value, significant, places)
        return str(value)

    rows = [[write(value, name) for name, value in zip(flat.columns, row)]
            for row in flat.itertuples(index=False, name=None)]
    return ResultsTable(header, rows, numeric)


_NUMBER_TEXT = re.compile(r"^[\u2212-]?[\d.,]+( × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?( ± [\d.,]+( × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)?$")


def _has_named_index(frame):
    return any(name is not None for name in frame.index.names)


FRESH_KERNEL_SECONDS = 300  # a kernel younger than this when the timer starts is running this page


def _kernel_age():
    """Seconds since this Python process (the notebook's kernel) started; None if unknown."""
    try:
        import psutil  # every Jupyter kernel has it (ipykernel depends on it)
    except ImportError:
        return None
    return max(0.0, time.time() - psutil.Process().create_time())


class NotebookTimer:
    """Measures a page's run time so that its text, and "Before you start", can state it.

    The one measurement of a page's run time: the chapter's "ran in" sentence shows
    ``describe()`` through glue, and the table of "Before you start" (book/_ext/run_times.py)
    reads the same glued text, so the two always agree. In a fresh kernel (the book build, a
    Run all after a restart) it counts from the kernel's start, so that starting Python and
    importing TensorFlow count, as they do for a reader; in a kernel that has been running
    for a while, from the timer's creation. Whole seconds, one unit everywhere.
    Introduced in chapter 1; used in chapters 2, 3, 4, 5, 6 and 7, A GAN in one cell, the page
    GANs and diffusion at the same budget, the appendix Bugs that tutorials ship and the appendix
    Fast on a CPU.
    """

    def __init__(self):
        self.started = time.perf_counter()
        age = _kernel_age()
        if age is not None and age < FRESH_KERNEL_SECONDS:
            self.started -= age

    def seconds(self):
        return time.perf_counter() - self.started

    def describe(self):
        whole = max(1, round(self.seconds()))
        amount = f"{whole} second" + ("s" if whole != 1 else "")
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
        return format_number(mean, decimals=digits)
    spread = (sum((value - mean) ** 2 for value in values) / (len(values) - 1)) ** 0.5
    return f"{format_number(mean, decimals=digits)} ± {format_number(spread, decimals=digits)}"


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
    Introduced in chapter 1; used in chapters 3, 4, 5 and 6, A GAN in one cell and the page
    GANs and diffusion at the same budget.
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
