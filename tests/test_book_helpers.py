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


def test_timer_describes_seconds_and_minutes(monkeypatch):
    timer = book.NotebookTimer()
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    timer.started -= 0.2
    assert timer.describe().startswith("1 second on ") and "smoke profile" in timer.describe()
    timer.started -= 44.0
    assert timer.describe().startswith("44 seconds")
    timer.started -= 250.0
    assert timer.describe().startswith("4.9 minutes")


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


def test_glue_with_myst_nb_stores_the_value(monkeypatch, capsys):
    """In the book build glue hands the value (a NumPy scalar as a plain number) to myst-nb's glue."""
    import sys
    import types

    import numpy as np

    glued = []
    fake = types.ModuleType("myst_nb")
    fake.glue = lambda name, value, display=True: glued.append((name, value, display))
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    book.glue("fid", np.float64(7.5))
    assert glued == [("fid", 7.5, False)] and type(glued[0][1]) is float
    assert capsys.readouterr().out == ""


def test_mean_and_spread_uses_the_sample_standard_deviation():
    assert book.mean_and_spread([1.0, 2.0, 3.0], 2) == "2.00 ± 1.00"  # std with n - 1: 1
    assert book.mean_and_spread([4.25], 1) == "4.2"
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
