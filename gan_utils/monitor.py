"""Watch a GAN train and name what goes wrong: ``TrainingMonitor``, a callback for ``GAN.fit()``.

Every ``every`` epochs (and once before training) the monitor measures a fixed probe: the
discriminator's mean output on real and generated samples, both players' losses and gradient
norms, how varied the generated samples are and, given held-out real samples, how much more the
discriminator believes the samples it trained on. From these it raises flags, one line each,
naming the symptom, the evidence and the row of chapter 6's symptom table. Introduced in chapter 6.
"""
import math
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from .callbacks import DivergenceGuard, Recorder
from .checks import check_labels, check_samples
from .data import GaussianMixture
from .training import GAN, gradient_norms, model_inputs

# ---------------------------------------------------------------- thresholds
# Each is a module constant so a reader can see, and change, what counts as a symptom. A loss
# that becomes NaN or infinite after any batch, or larger than callbacks.MAX_ABS_LOSS (except
# the free scores of callbacks.FREE_SCORE_LOSSES), is DivergenceGuard's to catch.

EXPLODING_LOSS = 20
"""Divergence (minimax and non-saturating losses only): a player's loss, on the probe or averaged
over an epoch, this many times as large in magnitude as before training (about 0.69 for the
generator, 1.39 for the discriminator): in magnitude, since the minimax generator's loss,
E[log(1 - D(G(z)))] <= 0, falls towards -inf as D(G(z)) -> 1. A generator loss of +-14 means D(G(z))
within about 1e-6 of 0 or 1, logits from weights running away, not from a discriminator that merely
wins (a loss of 2-5). The other losses, of scores with no such scale, are not checked this way."""

EXPLODING_GRADIENT = 1e3
"""Divergence: a player's gradient norm this many times its value before training. Healthy runs of
the book stay within a factor of about 10-30; a learning rate far too high throws the weights where
the gradients are thousands of times larger, often epochs before a loss overflows."""

WINS_REAL = 0.9
"""Discriminator wins (probability losses only): mean D(x) on real samples at least this ... """

WINS_FAKE = 0.1
"""... and mean D(G(z)) on generated samples at most this. At the equilibrium both are 1/2; a
working run hovers between about 0.3 and 0.7. Beyond these D separates the two almost perfectly,
the generator's gradient carries little about where the data are, and training stalls."""

COLLAPSE_SPREAD = 0.25
"""Mode collapse (any data): generated samples vary (mean per-feature standard deviation over the
probe) less than this fraction as much as real ones: 0 for a generator that ignores its noise, near
1 for one that learned the data. Only that: one Fashion-MNIST class alone has 0.49 (sneakers) to
0.97 (bags) of the data's spread, so a generator of one garment passes; ``dataset`` catches it."""

COLLAPSE_GROWTH = 0.05
"""... unless the spread (for the class check: the class entropy, both as fractions of the real
data's) grew by more than this over those records. A young DCGAN generator's spread starts near
0.06 and needs a few hundred steps to pass 0.25; its first blobs fall into one or two classes."""

COLLAPSE_MODES = 0.25
"""Mode collapse (toy data, with ``mixture``): good samples (at least half of them near some mode)
that cover at most this fraction of the modes, e.g. 2 of 8 on chapter 3's ring."""

CLASS_SHARE = 0.05
"""Mode collapse (images, with ``dataset``): a class counts as covered by a set of images when at
least this share of them is predicted as it, half its share among ten balanced classes (7 of a
128-image probe); a lower share would count the classifier's mistakes as classes (of 128 shirts,
up to three other classes get 5 % each)."""

COLLAPSE_CLASSES = 0.7
"""... flagged when the generated images cover at most this fraction of the classes that the real
probe (classified too) covers: 7 of 10 on Fashion-MNIST, where real probes cover 7-10."""

COLLAPSE_ENTROPY = 0.85
"""... or when their class entropy (over its maximum, log 10) is below this fraction of the real
probe's. Real probes of 128 training images reach 0.95-1.0; 128 images of 5 classes 0.66-0.80 (log
5 / log 10 = 0.70, plus the classifier's mistakes); all ten classes with half the images of one,
0.78. In 3,000 draws of 128 images against a real probe the two rules together never fired on real
data, always on 5 classes or fewer, on 6 classes in 99.97 %, 7 in 78 %, 8 in 2 % of the draws."""

OVERFIT_GAP = 0.15
"""Discriminator overfitting (probability losses, with ``held_out``): mean D(x) on training samples
minus mean D(x) on held-out real ones at least this. A healthy run's gap stays within a few
hundredths (the noise of a 128-sample probe); a gap this large means D has learned the training
samples, not the data."""

PATIENCE = 2
"""A symptom (other than divergence) must show at this many records in a row, none of them the one
before training, so a single noisy epoch raises nothing."""

GRADIENT_PROBE = 64
"""Not a threshold but a cost: the gradient norms are measured on the first this many probe samples
(a minibatch of the book's runs), the probabilities on all ``probe_size``."""

SECTIONS = {
    "divergence": ("Divergence", "chapter 6, 'Divergence'"),
    "discriminator_wins": ("Discriminator wins", "chapter 6, 'Discriminator wins'"),
    "mode_collapse": ("Mode collapse", "chapter 6, 'Mode collapse'"),
    "discriminator_overfitting": ("Discriminator overfitting", "chapter 6, 'Discriminator overfitting'"),
}
"""Flag name -> (symptom, where the book treats it): the rows of chapter 6's symptom table."""

PROBABILITY_LOSSES = ("minimax", "non_saturating")
"""Losses whose discriminator outputs the logit of a probability, D(x) = sigmoid(logit). Only for
these are D(x) (``d_real``, ``d_fake``, ``d_held_out``, ``overfit_gap``) recorded and the limits
on D(x) and on the losses' growth applied. For the others (least squares, hinge, Wasserstein, a
pair of functions) the monitor records mean scores (``score_real``, ``score_fake``,
``score_held_out``, ``score_gap``): a critic has no D(x)."""


@dataclass(frozen=True)
class Flag:
    """One symptom the monitor saw: ``name`` (a key of ``SECTIONS``), ``symptom``, ``epoch``
    (the first epoch it showed), ``evidence`` and ``section``. ``str(flag)`` is its one line.
    Used by ``TrainingMonitor``.
    """

    name: str
    symptom: str
    epoch: int
    evidence: str
    section: str

    def __str__(self):
        return f"Epoch {self.epoch}: {self.symptom}: {self.evidence}. Read {self.section}."


def _class_measures(class_logits):
    """(classes covered, class entropy / its maximum) of a set of images, from the classifier's logits."""
    shares = np.bincount(class_logits.argmax(axis=1), minlength=class_logits.shape[1]) / len(class_logits)
    present = shares[shares > 0]
    return int((shares >= CLASS_SHARE).sum()), float(-(present * np.log(present)).sum() / np.log(len(shares)))


class TrainingMonitor(Recorder):
    """A ``fit()`` callback that watches a ``GAN`` train and flags the symptoms it sees.

    ``real``: real training samples, (N, features) or images (N, H, W, C) in [-1, 1], or
    ``(samples, labels)`` for a conditional GAN; the first ``probe_size`` form a fixed probe.
    ``held_out``: real samples the GAN never trains on, for the overfitting check. ``mixture``:
    the toy data's ``GaussianMixture``, to count modes covered. ``dataset``: ``"fashion_mnist"``
    or ``"mnist"``, to classify the generated images and the real probe and compare their classes.

    A ``Recorder`` whose measure is the probe (so ``epochs``, ``seconds`` and ``cpu_seconds``
    come with it, the monitor's own time left out); ``history`` holds the measurements (D(x)
    for the ``PROBABILITY_LOSSES``, mean scores otherwise), ``flags`` the symptoms, ``report()``
    prints them or what went unchecked, ``dashboard()`` draws everything. Its ``DivergenceGuard``
    watches every batch and, with ``stop_on_divergence``, stops ``fit()`` quietly at the first
    NaN, inf or huge loss (add no guard of your own). BatchNorm statistics and random states are
    restored after each probe, so a seeded run gives the same numbers with and without it.
    Introduced in chapter 6 (its symptom table and overfitting run) and listed in "How to use
    this book".
    """

    # Keras may run on_train_batch_end (which only lets the guard take notes) in a worker thread while the
    # next batch trains; making each batch wait instead cost 7-15 % of the CPU time of a run on chapter 3's ring.
    async_safe = True

    def __init__(self, real, held_out=None, mixture=None, dataset=None, every=1, probe_size=128,
                 stop_on_divergence=True, verbose=True, seed=0):
        super().__init__(self._probe, every=every)
        if isinstance(probe_size, bool) or not isinstance(probe_size, (int, np.integer)) or probe_size < 2:
            raise ValueError(f"probe_size must be an integer of at least 2, got {probe_size!r}.")
        real, labels = self._samples_and_labels(real, "real")
        self.real, self.real_labels = real[:probe_size], None if labels is None else labels[:probe_size]
        self.held_out, self.held_out_labels = None, None
        if held_out is not None:
            held, held_labels = self._samples_and_labels(held_out, "held_out")
            if held.shape[1:] != self.real.shape[1:]:
                raise ValueError(f"held_out samples have shape {held.shape[1:]} but the real samples have "
                                 f"{self.real.shape[1:]}; hold out samples of the same data.")
            if (held_labels is None) != (self.real_labels is None):
                raise ValueError("Give labels with both real and held_out (a conditional GAN) or with neither.")
            count = min(len(held), len(self.real))  # equal sizes, so the two means are equally noisy
            self.held_out, self.held_out_labels = held[:count], None if held_labels is None else held_labels[:count]
        if mixture is not None:
            if not isinstance(mixture, GaussianMixture):
                raise TypeError(f"mixture must be a gan_utils.data.GaussianMixture (e.g. data.ring_of_gaussians()), "
                                f"got {type(mixture).__name__}.")
            if self.real.ndim != 2 or self.real.shape[1] != mixture.dim:
                raise ValueError(f"The mixture is {mixture.dim}-D but the real samples have shape "
                                 f"{self.real.shape[1:]}; pass the mixture the data were sampled from.")
        self.mixture = mixture
        if dataset is not None:
            from .classifier import CLASSIFIER_DATASETS, IMAGE_SHAPE
            if dataset not in CLASSIFIER_DATASETS:
                raise ValueError(f"No classifier for dataset {dataset!r}; choose one of {CLASSIFIER_DATASETS} "
                                 "or leave dataset=None (then only the spread of the samples measures diversity).")
            if self.real.shape[1:] != IMAGE_SHAPE:
                raise ValueError(f"dataset={dataset!r} classifies 28x28x1 images, but the real samples have "
                                 f"shape {self.real.shape[1:]}; leave dataset=None for other data.")
        self.dataset = dataset
        self.guard = DivergenceGuard(on_divergence="stop" if stop_on_divergence else "record")
        self.verbose = bool(verbose)
        self.seed = seed
        self._real_std = float(self.real.reshape(len(self.real), -1).std(axis=0).mean())
        if self._real_std == 0:
            raise ValueError("The real samples are all identical, so there is no spread to compare the "
                             "generator's with; pass a sample of the training data.")
        self.flags, self.history, self._logs = [], {}, {}
        self.real_classes, self.real_class_entropy = None, None
        self._noise, self._probe_gan, self._probe_function = None, None, None

    @staticmethod
    def _samples_and_labels(samples, name):
        """(samples, labels or None) from samples or a (samples, labels) tuple, both checked."""
        labels = None
        if isinstance(samples, (tuple, list)):
            if len(samples) != 2:
                raise ValueError(f"{name} must be an array of samples or a (samples, labels) tuple, "
                                 f"got a sequence of {len(samples)} items.")
            samples, labels = samples
        samples = check_samples(samples, name, min_count=2, purpose="to measure a spread")
        return samples, None if labels is None else check_labels(labels, len(samples), f"{name}'s labels")

    # ------------------------------------------------------------ fit()'s hooks
    def set_model(self, model):
        if not isinstance(model, GAN):
            raise TypeError(f"TrainingMonitor watches a gan_utils.training.GAN's fit(), not a "
                            f"{type(model).__name__}; build the model with GAN(...) or compiled_gan(...).")
        super().set_model(model)
        self.guard.set_model(model)

    def on_train_begin(self, logs=None):
        gan = self.model
        if gan.conditional != (self.real_labels is not None):
            raise ValueError("A conditional GAN needs real=(samples, labels) (and held_out likewise); "
                             "an unconditional one needs samples only." if gan.conditional else
                             "real has labels but the GAN is not conditional; pass the samples only.")
        expected = tuple(gan.generator.output_shape[1:])
        if tuple(self.real.shape[1:]) != expected:
            raise ValueError(f"The generator makes samples of shape {expected} but real has samples of shape "
                             f"{tuple(self.real.shape[1:])}; pass samples of the data the GAN trains on.")
        if self._noise is None or self._noise.shape[1] != gan.noise_dim:
            self._noise = np.random.default_rng(self.seed).standard_normal(
                (len(self.real), gan.noise_dim)).astype(np.float32)
        self.loss_name = gan.loss_name
        self.probabilities = gan.loss_name in PROBABILITY_LOSSES
        self.guard.on_train_begin(logs)
        super().on_train_begin(logs)  # the record before training, on the first fit()
        self._read_new_records()

    def on_epoch_begin(self, epoch, logs=None):
        super().on_epoch_begin(epoch, logs)
        self.guard.on_epoch_begin(epoch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self.guard.on_train_batch_end(batch, logs)  # notes the first divergence; on_epoch_end flags it

    def on_epoch_end(self, epoch, logs=None):
        if self.guard.reason is not None:
            self._flag("divergence", self.guard.epoch + 1,
                       f"the losses diverged {self.guard.reason}; lower the learning rates")
        self._logs = dict(logs or {})
        super().on_epoch_end(epoch, logs)  # records every ``every`` epochs
        self._read_new_records()

    # ------------------------------------------------------------ measuring
    def _compile_probe(self, gan):
        """The networks' part of a probe as one compiled function (traced at its first call)."""
        generator, discriminator = gan.generator, gan.discriminator
        d_loss_fn, g_loss_fn = gan.discriminator_loss, gan.generator_loss
        # D(x) = sigmoid(logit) for the probability losses; the raw score for the others.
        output, name = (tf.sigmoid, "d") if self.probabilities else (tf.identity, "score")
        self._classifier = None
        if self.dataset is not None:
            from .classifier import feature_classifier
            self._classifier = feature_classifier(self.dataset)

        def probe(real, noise, labels, held_out, held_labels):
            fake = tf.cast(generator(model_inputs(noise, labels), training=False), tf.float32)
            # One inference call for real, generated and held-out samples (no batch statistics
            # in inference mode, so stacking them changes nothing), split afterwards.
            parts = [real, fake] + ([] if held_out is None else [held_out])
            stacked_labels = None if labels is None else tf.concat(
                [labels, labels] + ([] if held_out is None else [held_labels]), 0)
            logits = discriminator(model_inputs(tf.concat(parts, 0), stacked_labels), training=False)
            real_logits, fake_logits, *held_logits = tf.split(logits, [tf.shape(part)[0] for part in parts])
            # Both players' gradient norms as the training steps see them, on one minibatch.
            first = lambda array: None if array is None else array[:GRADIENT_PROBE]  # noqa: E731
            d_grad_norm, g_grad_norm = gradient_norms(generator, discriminator, d_loss_fn, g_loss_fn,
                                                      first(real), first(noise), first(labels))
            real_out = output(tf.cast(real_logits, tf.float32))
            out = {"fake": fake, f"{name}_real": tf.reduce_mean(real_out),
                   f"{name}_fake": tf.reduce_mean(output(tf.cast(fake_logits, tf.float32))),
                   "d_loss": d_loss_fn(real_logits, fake_logits), "g_loss": g_loss_fn(fake_logits),
                   "d_grad_norm": d_grad_norm, "g_grad_norm": g_grad_norm}
            if held_out is not None:
                out[f"{name}_held_out"] = tf.reduce_mean(output(tf.cast(held_logits[0], tf.float32)))
                out["overfit_gap" if name == "d" else "score_gap"] = (
                    tf.reduce_mean(real_out[:tf.shape(held_out)[0]]) - out[f"{name}_held_out"])
            if self._classifier is not None:
                out["class_logits"] = self._classifier(tf.clip_by_value(fake, -1.0, 1.0), training=False)
            return out

        # No AutoGraph: the probe has no Python control flow on tensors, and converting it
        # would double the cost of tracing.
        return tf.function(probe, autograph=False)

    def _probe(self, gan):
        if self._probe_gan is not gan:
            self._probe_gan, self._probe_function = gan, self._compile_probe(gan)
        # Training-mode calls update BatchNorm statistics and draw dropout masks: keep those
        # states and put them back, so watching never changes the run.
        state = gan.generator.non_trainable_variables + gan.discriminator.non_trainable_variables
        saved = [v.numpy() for v in state]
        out = {key: np.asarray(value, dtype=np.float64) for key, value in self._probe_function(
            self.real, self._noise, self.real_labels, self.held_out, self.held_out_labels).items()}
        for variable, value in zip(state, saved):
            variable.assign(value)
        fake, class_logits = out.pop("fake").astype(np.float32), out.pop("class_logits", None)
        record = {key: float(value) for key, value in out.items()}
        record.update({f"train_{key}": float(self._logs.get(key, math.nan)) for key in ("d_loss", "g_loss")})
        finite = np.all(np.isfinite(fake))
        flat = fake.reshape(len(fake), -1)
        record["spread"] = float(flat.std(axis=0).mean() / self._real_std) if finite else math.nan
        if self.mixture is not None:
            from .metrics import high_quality_fraction, modes_covered
            record["modes"] = modes_covered(fake, self.mixture) if finite else 0
            record["high_quality"] = high_quality_fraction(fake, self.mixture) if finite else 0.0
        if class_logits is not None:
            if self.real_classes is None:  # the real probe's classes, once: what the generated ones are compared with
                self.real_classes, self.real_class_entropy = _class_measures(
                    np.asarray(self._classifier(self.real, training=False)))
            record["classes"], record["class_entropy"] = _class_measures(class_logits) if finite else (0, 0.0)
        return record

    def _read_new_records(self):
        """Copy the records the Recorder made since the last call into ``history``; check each."""
        for epoch, record in list(zip(self.epochs, self.values))[len(self.history.get("epoch", [])):]:
            self.history.setdefault("epoch", []).append(epoch)
            for key, value in record.items():
                self.history.setdefault(key, []).append(value)
            self._check(epoch)

    # ------------------------------------------------------------ flags
    def _flag(self, name, epoch, evidence):
        if any(flag.name == name for flag in self.flags):
            return
        self.flags.append(Flag(name, SECTIONS[name][0], int(epoch), evidence, SECTIONS[name][1]))
        if self.verbose:
            print(self.flags[-1])

    def _recent(self, key):
        """The last PATIENCE values of ``key``, or None while there are fewer records after epoch 0."""
        if len(self.history["epoch"]) <= PATIENCE or key not in self.history:
            return None
        return np.asarray(self.history[key][-PATIENCE:], dtype=np.float64)

    def _check(self, epoch):
        h = {key: values[-1] for key, values in self.history.items()}
        first = {key: values[0] for key, values in self.history.items()}
        # Divergence: anything non-finite, or gradients thousands of times their starting size.
        name = "d" if self.probabilities else "score"
        broken = [key for key in (f"{name}_real", f"{name}_fake", "d_loss", "g_loss", "d_grad_norm", "g_grad_norm")
                  if not math.isfinite(h[key])] + ([] if math.isfinite(h["spread"]) else ["the generated samples"])
        if broken:
            self._flag("divergence", epoch, f"{', '.join(broken)} became NaN or infinite; lower the learning rates")
        if self.probabilities:
            for key, player in (("d_loss", "discriminator"), ("g_loss", "generator")):
                start = abs(first[key])
                for value, where in ((h[key], "on the probe"), (h[f"train_{key}"], "averaged over the epoch")):
                    if math.isfinite(value) and abs(value) > EXPLODING_LOSS * start:
                        self._flag("divergence", epoch,
                                   f"the {player}'s loss reached {value:.3g} {where}, {abs(value) / start:.0f} times "
                                   f"the size of its {first[key]:.3g} before training (limit {EXPLODING_LOSS:g}x); "
                                   "lower the learning rates")
        for key, player in (("d_grad_norm", "discriminator"), ("g_grad_norm", "generator")):
            start = first[key]
            if math.isfinite(h[key]) and start > 0 and h[key] > EXPLODING_GRADIENT * start:
                self._flag("divergence", epoch,
                           f"the {player}'s gradient norm grew to {h[key]:.3g}, {h[key] / start:.0f} times "
                           f"its {start:.3g} before training (limit {EXPLODING_GRADIENT:g}x); lower the learning rates")
        if epoch == 0:
            return
        if self.probabilities:
            real, fake = self._recent("d_real"), self._recent("d_fake")
            if real is not None and np.all(real >= WINS_REAL) and np.all(fake <= WINS_FAKE):
                self._flag("discriminator_wins", epoch,
                           f"D(x) = {h['d_real']:.2f} on real samples and D(G(z)) = {h['d_fake']:.2f} on generated "
                           f"ones (limits {WINS_REAL:g} and {WINS_FAKE:g}, {PATIENCE} records in a row); the "
                           f"generator's gradient norm is {h['g_grad_norm']:.3g} (it was {first['g_grad_norm']:.3g} "
                           "before training)")
            gap = self._recent("overfit_gap")
            if gap is not None and np.all(gap >= OVERFIT_GAP):
                self._flag("discriminator_overfitting", epoch,
                           f"D(x) = {h['d_real']:.2f} on training samples but {h['d_held_out']:.2f} on held-out "
                           f"real ones, a gap of {h['overfit_gap']:.2f} (limit {OVERFIT_GAP:g}, {PATIENCE} records "
                           "in a row)")
        spread = self._recent("spread")
        if spread is not None and np.all(spread < COLLAPSE_SPREAD) and not spread[-1] > spread[0] + COLLAPSE_GROWTH:
            self._flag("mode_collapse", epoch,
                       f"generated samples vary {h['spread']:.2f} times as much as real ones "
                       f"(limit {COLLAPSE_SPREAD:g}, {PATIENCE} records in a row)")
        if self.mixture is not None:
            modes, quality = self._recent("modes"), self._recent("high_quality")
            most = COLLAPSE_MODES * self.mixture.num_modes
            if modes is not None and np.all(modes <= most) and np.all(quality >= 0.5):
                self._flag("mode_collapse", epoch,
                           f"{h['modes']} of {self.mixture.num_modes} modes covered although "
                           f"{h['high_quality']:.0%} of the samples are good (limit {most:g} modes, "
                           f"{PATIENCE} records in a row)")
        classes, entropy = self._recent("classes"), self._recent("class_entropy")
        if classes is not None:  # with dataset: both relative to the real probe's (a one-class dataset has entropy 0)
            entropy = entropy / self.real_class_entropy if self.real_class_entropy > 0 else np.ones_like(entropy)
            few = (classes <= COLLAPSE_CLASSES * self.real_classes) | (entropy < COLLAPSE_ENTROPY)
            if np.all(few) and not entropy[-1] > entropy[0] + COLLAPSE_GROWTH:
                self._flag("mode_collapse", epoch,
                           f"the generated images cover {h['classes']} classes, the real probe {self.real_classes}; "
                           f"class entropy {h['class_entropy']:.2f} of the maximum, the real probe's "
                           f"{self.real_class_entropy:.2f} (limits {COLLAPSE_CLASSES:g} and {COLLAPSE_ENTROPY:g} of the "
                           f"real probe's, {PATIENCE} records in a row)")

    # ------------------------------------------------------------ reading the results
    def _check_recorded(self, what):
        if not self.epochs:
            raise RuntimeError(f"Nothing recorded yet: pass the monitor to fit(..., callbacks=[monitor]) "
                               f"before calling {what}().")

    def report(self):
        """Print one line per flag, or that none was raised and what this run could not check; return the lines."""
        self._check_recorded("report")
        lines = [str(flag) for flag in self.flags]
        if not lines:  # say what a clean report does not cover, so that it does not reassure about it
            h = {key: values[-1] for key, values in self.history.items()}
            outputs = (f"D(x) = {h['d_real']:.2f}, D(G(z)) = {h['d_fake']:.2f}" if self.probabilities else
                       f"mean score {h['score_real']:.3g} on real samples, {h['score_fake']:.3g} on generated ones")
            blind = []
            if not self.probabilities:
                blind.append(f"discriminator wins, overfitting and growing losses (the {self.loss_name or 'given'} "
                             f"loss scores samples without probabilities; only NaN, inf and {EXPLODING_GRADIENT:g}x "
                             "gradients count as divergence)")
            elif self.held_out is None:
                blind.append("discriminator overfitting (pass held_out)")
            if self.mixture is None and self.dataset is None:
                blind.append("mode collapse beyond a generator that ignores its noise (pass mixture or dataset; "
                             "the spread alone passes a generator of one kind of sample)")
            blind.append("sample quality and the symptom table's other rows: look at the samples, measure a "
                         "distance to the data")
            lines = [f"No symptoms flagged in {self.epochs[-1]} epochs (last record: {outputs}, "
                     f"spread {h['spread']:.2f}).", f"Not checked in this run: {'; '.join(blind)}."]
        print("\n".join(lines))
        return lines

    def dashboard(self, figsize=None):
        """One figure of every panel the monitor keeps, flagged epochs marked: ``plotting.plot_monitor(self)``."""
        self._check_recorded("dashboard")
        from .plotting import plot_monitor
        return plot_monitor(self, figsize)
