import pytest

from gan_utils import book


def test_profile_switch(monkeypatch):
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    assert book.is_smoke() and book.pick(smoke=1, full=40) == 1
    monkeypatch.setenv("GAN_BOOK_PROFILE", "full")
    assert book.pick(smoke=1, full=40) == 40
    monkeypatch.delenv("GAN_BOOK_PROFILE")
    assert book.current_profile() == "full"
    monkeypatch.setenv("GAN_BOOK_PROFILE", "fast")
    with pytest.raises(ValueError, match="GAN_BOOK_PROFILE='fast' is not a known profile"):
        book.pick(1, 2)


def test_timer_describes_whole_seconds(monkeypatch):
    """One unit everywhere (issue 23 item 5): seconds, also past a minute."""
    monkeypatch.setattr(book, "_kernel_age", lambda: None)
    timer = book.NotebookTimer()
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    timer.started -= 0.2
    assert timer.describe().startswith("1 second on ") and "smoke profile" in timer.describe()
    timer.started -= 44.0
    assert timer.describe().startswith("44 seconds")
    timer.started -= 250.0
    assert timer.describe().startswith("294 seconds on the computer that built this page")


def test_timer_counts_from_the_start_of_a_fresh_kernel(monkeypatch):
    """Starting Python and importing TensorFlow count, as they do for a reader; an old kernel's hours do not."""
    monkeypatch.setattr(book, "_kernel_age", lambda: 7.0)
    assert 7.0 <= book.NotebookTimer().seconds() < 8.0
    monkeypatch.setattr(book, "_kernel_age", lambda: 3600.0)
    assert book.NotebookTimer().seconds() < 1.0


def test_glue_without_myst_nb_is_silent(monkeypatch, capsys):
    """On Colab and in a plain Jupyter (no myst-nb) glue prints nothing: no bookkeeping in the output."""
    import builtins

    real_import = builtins.__import__

    def no_myst(name, *args, **kwargs):
        if name.startswith("myst_nb"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_myst)
    assert book.glue("fid", 7.5) is None
    assert book.glue("run_time", "3 seconds on the computer that built this page (smoke profile)") is None
    assert capsys.readouterr() == ("", "")


def test_glue_with_myst_nb_stores_floats_as_the_text_shows_them(monkeypatch, capsys):
    """In the book build glue hands myst-nb a float already written by format_number (a NumPy
    scalar too), and integers and strings as they are: the prose needs no format of its own."""
    import sys
    import types

    import numpy as np

    glued = []
    fake = types.ModuleType("myst_nb")
    fake.glue = lambda name, value, display=True: glued.append((name, value, display))
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    book.glue("fid", np.float64(7.5))
    book.glue("tiny", -2.8e-12)
    book.glue("share", 0.38666666666666666, decimals=2)
    book.glue("steps", np.int64(12000))
    book.glue("method", "WGAN-GP")
    assert glued == [("fid", "7.50", False), ("tiny", "\u22122.80 × 10⁻¹²", False), ("share", "0.39", False),
                     ("steps", 12000, False), ("method", "WGAN-GP", False)]
    assert type(glued[3][1]) is int
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("value, options, text", [
    (0.38666666666666666, {}, "0.387"),  # chapter 2's 17-digit float
    (-2.8e-12, {}, "\u22122.80 × 10⁻¹²"),  # e-notation and a hyphen in the prose
    (3e-05, {}, "3.00 × 10⁻⁵"),
    (0.00123, {}, "0.00123"),
    (1.87, {}, "1.87"),
    (9.996, {}, "10.0"),  # the significant figures counted after rounding
    (1234.5, {"significant": 3}, "1,234"),  # no digit of the integer part is dropped
    (2_500_000.0, {}, "2.50 × 10⁶"),
    (0.0, {}, "0"),
    (0.5, {"decimals": 2}, "0.50"),
    (-0.5, {"decimals": 1}, "\u22120.5"),
    (-0.0001, {"decimals": 2}, "0.00"),  # no minus sign on a number that shows as zero
    (0.127, {"significant": 2}, "0.13"),
    (2014, {}, "2014"),  # integers (years) in full
    (-3, {}, "\u22123"),
    (float("nan"), {}, "NaN"),
    (float("-inf"), {}, "\u2212∞"),
])
def test_format_number(value, options, text):
    assert book.format_number(value, **options) == text


def test_format_number_rejects_what_is_not_a_number():
    with pytest.raises(TypeError, match="real number, got '0.5' of type str"):
        book.format_number("0.5")
    with pytest.raises(TypeError, match="got True"):
        book.format_number(True)
    with pytest.raises(ValueError, match="significant must be a positive integer"):
        book.format_number(0.5, significant=0)
    with pytest.raises(ValueError, match="decimals must be a non-negative integer"):
        book.format_number(0.5, decimals=-1)


def test_results_table_has_one_header_row_and_right_aligned_numbers():
    import pandas as pd

    frame = pd.DataFrame({"loss": ["bce", "wgan"], "FID": [12.345, 3.2e-5], "steps": [100, 2000]})
    table = book.results_table(frame.set_index("loss"), decimals={"FID": 1})
    assert table.header == ["loss", "FID", "steps"]  # the index name heads its column, on the one header row
    assert table.rows == [["bce", "12.3", "100"], ["wgan", "0.0", "2000"]]
    assert table.numeric == [False, True, True]
    html = table._repr_html_()
    assert html.count("<tr>") == 3 and "<th" in html and html.count('style="text-align: right"') == 6
    assert repr(table).splitlines()[1] == "bce   12.3    100"
    spreads = book.results_table(pd.DataFrame({"modes": ["7.5 ± 0.5", "8.0"], "note": ["a", "1 b"]}))
    assert spreads.numeric == [True, False]  # numbers already written as text align as numbers
    unnamed = book.results_table(pd.DataFrame({"x": [-0.5]}))
    assert unnamed.header == ["x"] and unnamed.rows == [["\u22120.500"]]  # an unnamed index is not shown
    with pytest.raises(TypeError, match="takes a pandas DataFrame, got list"):
        book.results_table([[1, 2]])


def test_mean_and_spread_uses_the_sample_standard_deviation():
    assert book.mean_and_spread([1.0, 2.0, 3.0], 2) == "2.00 ± 1.00"  # std with n - 1: 1
    assert book.mean_and_spread([4.25], 1) == "4.2"
    assert book.mean_and_spread([-1.0, -2.0], 1) == "\u22121.5 ± 0.7"  # the minus sign of the formulas
    with pytest.raises(ValueError, match="no values"):
        book.mean_and_spread([], 1)


def test_check_claim_stops_the_build_but_not_a_reader(monkeypatch, capsys):
    monkeypatch.setenv("GAN_BOOK_STRICT", "1")
    assert book.check_claim(True, "every class is there", "10 classes") is True
    with pytest.raises(AssertionError, match="The text says every class is there; this run measured 9 classes"):
        book.check_claim(False, "every class is there", "9 classes")
    monkeypatch.delenv("GAN_BOOK_STRICT")
    assert book.check_claim(False, "every class is there", "9 classes") is False
    printed = capsys.readouterr().out
    assert "this run differs from the text" in printed and "9 classes" in printed
