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


def test_glue_without_myst_nb_prints(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_myst(name, *args, **kwargs):
        if name.startswith("myst_nb"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_myst)
    assert book.glue("fid", 7.5) is None
    assert capsys.readouterr().out == "fid = 7.5\n"


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
