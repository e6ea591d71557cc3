"""Callbacks for ``GAN.fit()``: record a measure, stop on divergence, checkpoint and resume.

``Recorder`` keeps what a function of the model returns (a metric, samples) with the training
time; ``DivergenceGuard`` stops a run whose losses blow up; ``Checkpoint`` and ``resume`` let a
killed run continue where it stopped.
"""
import math
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from .checks import check_positive_int


class TrainingDiverged(RuntimeError):
    """Raised by ``DivergenceGuard`` when a loss becomes NaN, infinite or huge. Used by ``DivergenceGuard``."""


MAX_ABS_LOSS = 1e4
"""``DivergenceGuard``'s limit on a loss's magnitude, for every loss but the ``FREE_SCORE_LOSSES``.
The logit losses of a working run stay within a few tens: a loss of 20 already means logits of
about 20 on the wrong side, a probability within about 2e-9 of 0 or 1 (1 - sigmoid(20) = 2.1e-9);
a least-squares loss of 1e4 means scores about 140 from their targets. 1e4 is reached only when
the weights themselves blow up. Used by ``DivergenceGuard``."""

FREE_SCORE_LOSSES = ("wasserstein", "hinge")
"""Losses of an unbounded score, which ``DivergenceGuard`` holds to NaN and inf only. The
Wasserstein loss is unchanged when a constant is added to the critic's score, so nothing holds the
score's level and the generator's loss -E[score(G(z))] drifts with it (Progressive GAN adds a drift
penalty against this, Karras et al. 2018); the hinge generator's loss is the same mean score. A
large value of either says nothing certain about divergence. Used by ``DivergenceGuard``."""


class DivergenceGuard(keras.callbacks.Callback):
    """Stop training with a clear message as soon as a loss is NaN, infinite or above its limit.

    The limit is ``max_abs_loss`` if given; otherwise ``MAX_ABS_LOSS`` (1e4) for the losses of
    probabilities, least squares and a pair of functions, and none but NaN and inf for the
    ``FREE_SCORE_LOSSES`` (Wasserstein, hinge), read from the GAN's ``loss_name``.
    ``on_divergence`` says what happens then: ``"raise"`` ``TrainingDiverged``, ``"stop"``
    ``fit()`` quietly, or only ``"record"``; ``reason`` keeps where and how this ``fit()`` first
    diverged (None while it has not). Introduced in chapter 4; ``TrainingMonitor`` uses it with
    ``"stop"``.
    """

    def __init__(self, max_abs_loss=None, keys=("d_loss", "g_loss"), on_divergence="raise"):
        super().__init__()
        if on_divergence not in ("raise", "stop", "record"):
            raise ValueError(f"on_divergence must be 'raise', 'stop' or 'record', got {on_divergence!r}.")
        if max_abs_loss is not None and not max_abs_loss > 0:
            raise ValueError(f"max_abs_loss must be a positive number (or None for the loss's own limit), "
                             f"got {max_abs_loss!r}.")
        self.max_abs_loss = max_abs_loss
        self.keys = keys
        self.on_divergence = on_divergence
        self.limit = MAX_ABS_LOSS if max_abs_loss is None else max_abs_loss
        self.epoch = 0
        self.reason = None

    def on_train_begin(self, logs=None):
        self.reason = None
        if self.max_abs_loss is None:
            free = getattr(self.model, "loss_name", None) in FREE_SCORE_LOSSES
            self.limit = math.inf if free else MAX_ABS_LOSS

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        for key in self.keys:
            if self.reason is None and logs and key in logs:
                value = float(logs[key])
                if not math.isfinite(value) or abs(value) > self.limit:
                    limit = "NaN or inf only" if math.isinf(self.limit) else f"{self.limit:g}"
                    self.reason = f"at epoch {self.epoch + 1}, batch {batch + 1}: {key} = {value:.4g} (limit {limit})"
                    if self.on_divergence != "record":
                        self.model.stop_training = True
                    if self.on_divergence == "raise":
                        raise TrainingDiverged(
                            f"Training diverged {self.reason}. Lower the learning rates, check that the data "
                            "lie in [-1, 1], or use a bounded loss (e.g. non_saturating).")


class Recorder(keras.callbacks.Callback):
    """Record ``measure(gan)`` before training and after every ``every`` epochs of ``fit()``.

    For each record it keeps ``epochs`` (epochs trained), ``seconds`` (training wall-clock
    seconds so far), ``cpu_seconds`` (this process's CPU seconds of training so far, which
    other programs on a shared machine disturb far less) and ``values`` (what ``measure``
    returned: a metric, or samples from fixed noise). The time ``measure`` itself takes is
    left out of both clocks. Introduced in chapter 1; used in chapters 4 and 6 and the appendix
    Bugs that tutorials ship.
    """

    def __init__(self, measure, every=1):
        super().__init__()
        if not callable(measure):
            raise TypeError(f"Recorder needs a function of the model to record, e.g. "
                            f"Recorder(lambda gan: gan.generator(noise)); got {type(measure).__name__}.")
        self.measure = measure
        self.every = check_positive_int(every, "every")
        self.epochs, self.seconds, self.cpu_seconds, self.values = [], [], [], []
        self._wall, self._cpu = 0.0, 0.0

    def _record(self, epoch):
        self.epochs.append(epoch)
        self.seconds.append(self._wall)
        self.cpu_seconds.append(self._cpu)
        value = self.measure(self.model)
        self.values.append(np.asarray(value) if tf.is_tensor(value) else value)

    def on_train_begin(self, logs=None):
        if not self.epochs:
            self._record(0)

    def on_epoch_begin(self, epoch, logs=None):
        self._wall_start, self._cpu_start = time.perf_counter(), time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        self._wall += time.perf_counter() - self._wall_start
        self._cpu += time.process_time() - self._cpu_start
        if (epoch + 1) % self.every == 0:
            self._record(epoch + 1)


def _checkpoint(gan, epoch_variable):
    parts = dict(generator=gan.generator, discriminator=gan.discriminator,
                 d_optimizer=gan.d_optimizer, g_optimizer=gan.g_optimizer,
                 seed_state=gan.seed_generator.state, epoch=epoch_variable)
    if gan.ema_generator is not None:
        parts["ema_generator"] = gan.ema_generator
    return tf.train.Checkpoint(**parts)


def _refuse_a_file(directory):
    if Path(directory).is_file():
        raise NotADirectoryError(
            f"{str(directory)!r} is a file, but checkpoints go into a folder of their own; pass a folder "
            "path (Checkpoint creates it if it does not exist), e.g. Path(tempfile.mkdtemp()).")


class Checkpoint(keras.callbacks.Callback):
    """Save both networks, both optimizers and the random state after every epoch.

    A run killed in the middle of an epoch loses only that epoch: ``resume(gan, directory)``
    restores the last save and returns the epoch to pass to ``fit(initial_epoch=...)``.
    Introduced in chapter 4.
    """

    def __init__(self, directory, max_to_keep=2):
        super().__init__()
        _refuse_a_file(directory)
        self.directory = str(directory)
        self.max_to_keep = max_to_keep
        self._manager = None
        self._epoch = tf.Variable(0, dtype=tf.int64, trainable=False)

    def on_train_begin(self, logs=None):
        checkpoint = _checkpoint(self.model, self._epoch)
        self._manager = tf.train.CheckpointManager(checkpoint, self.directory, self.max_to_keep)

    def on_epoch_end(self, epoch, logs=None):
        self._epoch.assign(epoch + 1)
        self._manager.save(checkpoint_number=epoch + 1)


def resume(gan, directory):
    """Restore the latest checkpoint in ``directory`` into ``gan``; return the epochs already done (0 if none).

    The GAN must be built like the one that wrote the checkpoint (same networks, optimizers and
    ``ema_decay``). Introduced in chapter 4.
    """
    _refuse_a_file(directory)
    if not Path(directory).is_dir():
        raise FileNotFoundError(
            f"No checkpoint folder {str(directory)!r}; to start a new run, create the folder first "
            "(Checkpoint(directory) writes into it) or check the path for a typo.")
    latest = tf.train.latest_checkpoint(str(directory))
    if latest is None:
        return 0
    epoch = tf.Variable(0, dtype=tf.int64, trainable=False)
    try:
        _checkpoint(gan, epoch).restore(latest).assert_existing_objects_matched()
    except (ValueError, AssertionError) as error:  # TensorFlow names a variable, not the cause
        raise ValueError(
            f"The checkpoint in {str(directory)!r} was written by a different network than this GAN's "
            "(other layers or sizes, or an averaged generator on one side only); build the GAN as the run "
            "that wrote it did, or resume from another folder (an empty one starts a new run).") from error
    return int(epoch.numpy())
