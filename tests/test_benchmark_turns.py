"""benchmarks/dcgan_speed.train_in_turns: every run trains its seconds, in slices taken in turn."""
import dcgan_speed


class FakeRun:
    def __init__(self, name, log):
        self.name, self.log, self.trained_seconds = name, log, 0.0

    def train_for(self, seconds):
        self.log.append((self.name, seconds))
        self.trained_seconds += seconds


def test_runs_take_turns_in_slices_until_each_has_trained_its_seconds():
    log = []
    runs = [FakeRun("a", log), FakeRun("b", log)]
    dcgan_speed.train_in_turns(runs, seconds=25, slice_seconds=10)
    assert log == [("a", 10), ("b", 10), ("a", 10), ("b", 10), ("a", 5), ("b", 5)]
    dcgan_speed.train_in_turns(runs, seconds=30, slice_seconds=10)  # a later budget adds only the gap
    assert log[-2:] == [("a", 5), ("b", 5)] and all(run.trained_seconds == 30 for run in runs)
