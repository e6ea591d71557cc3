"""Watch a GAN train and name what goes wrong: ``TrainingMonitor``, a callback for ``GAN.fit()``.

Every ``every`` epochs (and once before training) the monitor measures a fixed probe: the
discriminator's mean probability "real" on real and on generated samples, both players'
losses and gradient norms, how varied the generated samples are, and, given held-out real
samples, how much more the discriminator believes the samples it trained on. From these
numbers it raises flags, one line each, naming the symptom, the evidence and the place in
the book that treats it (a row of chapter 6's symptom table). Introduced in chapter 6.
"""
import math
import threading
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from .data import GaussianMixture
from .callbacks import Recorder
from .training import GAN, _resolve_losses
from .training import gradient_norms as _gradient_norms, model_inputs as _as_inputs  # LIB-B: use the public names

# ---------------------------------------------------------------- thresholds
# Each is a module constant so a reader can see, and change, what counts as a symptom.

MAX_ABS_LOSS = 1e4
"""Divergence: a loss above this (or NaN/inf) after any batch. The logit losses of a working
run stay within a few tens (a loss of 20 already means a logit of about 20, a probability
within 1e-9 of 0 or 1); 1e4 is reached only when the weights themselves blow up. The same
value as ``DivergenceGuard``'s default."""

EXPLODING_LOSS = 20
"""Divergence (minimax and non-saturating losses): a player's loss, on the probe or averaged
over an epoch, this many times its value before training (about 0.7 for the generator, 1.4
for the discriminator). A generator loss of 14 means D(G(z)) around 1e-6: logits that large
come from weights running away, not from a discriminator that merely wins (which sits at a
loss of 2-5, D(G(z)) between 0.1 and 0.01)."""

EXPLODING_GRADIENT = 1e3
"""Divergence: a player's gradient norm this many times larger than its value before
training. Healthy runs of the book stay within a factor of about 10-30 of it; a learning rate
far too high throws the weights where the gradients are thousands of times larger, often
epochs before a loss overflows."""

WINS_REAL = 0.9
"""Discriminator wins: mean D(x) on real samples at least this ... """

WINS_FAKE = 0.1
"""... and mean D(G(z)) on generated samples at most this. At the equilibrium both are 1/2;
a working run hovers between about 0.3 and 0.7. When D gives 9 in 10 to reals and 1 in 10
to fakes it separates the two almost perfectly, the generator's gradient carries little
about where the data are (minimax loss: it vanishes), and training stalls."""

COLLAPSE_SPREAD = 0.25
"""Mode collapse: generated samples vary (mean per-feature standard deviation over the
probe) less than this fraction as much as real ones. A generator that ignores its noise
scores 0; one that learns the data scores near 1. A quarter leaves room for a generator
that is still spreading out early in training."""

COLLAPSE_GROWTH = 0.05
"""... unless the spread grew by more than this (in units of the data's spread) over those
records: a DCGAN generator starts with a spread near 0.06 and needs a few hundred steps to
pass 0.25; one that is still spreading out is not collapsing."""

COLLAPSE_MODES = 0.25
"""Mode collapse (toy data, with ``mixture``): good samples (at least half of them near
some mode) that cover at most this fraction of the modes, e.g. 2 of 8 on chapter 3's ring."""

COLLAPSE_ENTROPY = 0.5
"""Mode collapse (images, with ``dataset``): the entropy of the classifier's predicted-class
histogram of generated images, divided by log(number of classes), below this. 1 is a
balanced histogram; 0.5 is what about 3 of 10 classes in equal parts give."""

OVERFIT_GAP = 0.15
"""Discriminator overfitting (with ``held_out``): mean D(x) on training samples minus mean D(x)
on held-out real samples at least this. A discriminator that generalises scores the two
alike (the gap of a healthy run stays within a few hundredths, the noise of a 128-sample
probe); a gap this large means it has learned the training samples, not the data."""

PATIENCE = 2
"""A symptom (other than divergence) must show at this many records in a row, none of them
the one before training, so a single noisy epoch raises nothing."""

GRADIENT_PROBE = 64
"""Not a threshold but a cost: the gradient norms are measured on the first this many probe
samples (a minibatch of the book's runs), the probabilities on all ``probe_size`` (128 by
default). A backward pass costs about twice a forward one, so this keeps a probe near the
cost of a few training steps."""

EAGER_PROBES = 3
"""Not a threshold but a cost: a run that makes at most this many probes (counting those of
earlier ``fit()`` calls and those the current one will make: one before training, one every
``every`` epochs) runs them eagerly; a longer one runs all of them through one compiled
function, traced at the first probe. Measured in CPU seconds per probe: chapter 3's MLPs take
25 ms eagerly, 2 ms compiled after a 0.17 s tracing (compiling pays from about 7 probes on);
a small DCGAN with the Fashion-MNIST classifier 0.24 s eagerly, 0.085 s compiled after a
0.5 s tracing (it pays from 3 probes on; the eager backward passes of its convolutions are
3 times slower than compiled ones). 3 keeps the convolutional runs, where the cost matters,
on the right side and costs the MLPs at most 0.1 s. The probes then take about 3 % of the
CPU time of chapter 3's 60-epoch run and 6 % of a 3-epoch DCGAN run's (the first probe's
tracing included; ``benchmarks/monitor_overhead.py``)."""

SECTIONS = {
    "divergence": ("Divergence", "chapter 6, 'Divergence'"),
    "discriminator_wins": ("Discriminator wins", "chapter 6, 'Discriminator wins'"),
    "mode_collapse": ("Mode collapse", "chapter 6, 'Mode collapse'"),
    "discriminator_overfitting": ("Discriminator overfitting", "chapter 6, 'Discriminator overfitting'"),
}
"""Flag name -> (symptom, where the book treats it): the rows of chapter 6's symptom table."""

PROBABILITY_LOSSES = ("minimax", "non_saturating")
"""Losses whose discriminator outputs logits of a probability; only for these do the
thresholds on D(x) (discriminator wins, overfitting) apply."""

CLASSIFIER_SHAPE = (28, 28, 1)


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


def _split(samples, name):
    """(array, labels or None) from samples or a (samples, labels) tuple, checked."""
    labels = None
    if isinstance(samples, (tuple, list)):
        if len(samples) != 2:
            raise ValueError(f"{name} must be an array of samples or a (samples, labels) tuple, "
                             f"got a sequence of {len(samples)} items.")
        samples, labels = samples
        labels = np.asarray(labels)
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"{name}'s labels must be integers, got {labels.dtype}.")
    array = np.asarray(samples.numpy() if hasattr(samples, "numpy") else samples)
    if array.ndim not in (2, 4):
        raise ValueError(f"{name} must have shape (N, features) or (N, height, width, channels), got "
                         f"{array.shape}; for one number per sample use {name}[:, None].")
    if not np.issubdtype(array.dtype, np.floating):
        raise TypeError(f"{name} must be floating point, got {array.dtype}; images go through "
                        "gan_utils.data.to_unit_range, other data through .astype('float32').")
    if len(array) < 2:
        raise ValueError(f"{name} has {len(array)} sample(s); the monitor needs at least 2 to measure a spread.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    if labels is not None and labels.shape != (len(array),):
        raise ValueError(f"{name} has {len(array)} samples but labels of shape {labels.shape}; "
                         f"give one label per sample.")
    return array.astype(np.float32, copy=False), labels


def _entropy_ratio(labels, num_classes):
    counts = np.bincount(labels, minlength=num_classes).astype(np.float64)
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum() / np.log(num_classes))


class TrainingMonitor(Recorder):
    """A ``fit()`` callback that watches a ``GAN`` train and flags the symptoms it sees.

    ``real``: real training samples, (N, features) or images (N, H, W, C) in [-1, 1], or
    ``(samples, labels)`` for a conditional GAN; the first ``probe_size`` form a fixed probe.
    ``held_out``: real samples the GAN never trains on (same shape), for the overfitting
    check. ``mixture``: the toy data's ``GaussianMixture``, to count modes covered.
    ``dataset``: ``"fashion_mnist"`` or ``"mnist"``, to classify generated 28x28 images.

    A ``Recorder`` whose measure is the probe, so ``epochs``, ``seconds`` and ``cpu_seconds``
    (the monitor's own time left out) come with it; ``history`` holds the measurements,
    ``flags`` the symptoms, ``report()`` prints them, ``dashboard()`` draws everything. It
    absorbs ``DivergenceGuard``: it checks the losses after every batch and, with
    ``stop_on_divergence``, stops ``fit()`` quietly at the first NaN, inf or huge loss (do not
    add a guard too). It leaves the GAN as it found it: BatchNorm statistics and random
    states are restored after each probe, so a seeded run gives the same numbers with and
    without it. Introduced in chapter 6 (its symptom table and overfitting run) and listed in
    "How to use this book".
    """

    # The per-batch divergence check only reads the logs, so Keras may run it in a worker thread
    # while the next batch trains (a lock keeps flags unique); the probes run at epoch ends.
    async_safe = True

    def __init__(self, real, held_out=None, mixture=None, dataset=None, every=1, probe_size=128,
                 stop_on_divergence=True, verbose=True, seed=0):
        super().__init__(self._probe, every=every)
        if isinstance(probe_size, bool) or not isinstance(probe_size, (int, np.integer)) or probe_size < 2:
            raise ValueError(f"probe_size must be an integer of at least 2, got {probe_size!r}.")
        self.real, self.real_labels = (part[:probe_size] if part is not None else None
                                       for part in _split(real, "real"))
        self.held_out, self.held_out_labels = None, None
        if held_out is not None:
            held, held_labels = _split(held_out, "held_out")
            if held.shape[1:] != self.real.shape[1:]:
                raise ValueError(f"held_out samples have shape {held.shape[1:]} but the real samples have "
                                 f"{self.real.shape[1:]}; hold out samples of the same data.")
            if (held_labels is None) != (self.real_labels is None):
                raise ValueError("Give labels with both real and held_out (a conditional GAN) or with neither.")
            count = min(len(held), len(self.real))  # equal sizes, so the two means are equally noisy
            self.held_out = held[:count]
            self.held_out_labels = None if held_labels is None else held_labels[:count]
        if mixture is not None:
            if not isinstance(mixture, GaussianMixture):
                raise TypeError(f"mixture must be a gan_utils.data.GaussianMixture (e.g. data.ring_of_gaussians()), "
                                f"got {type(mixture).__name__}.")
            if self.real.ndim != 2 or self.real.shape[1] != mixture.dim:
                raise ValueError(f"The mixture is {mixture.dim}-D but the real samples have shape "
                                 f"{self.real.shape[1:]}; pass the mixture the data were sampled from.")
        self.mixture = mixture
        if dataset is not None:
            from .classifier import CLASSIFIER_DATASETS
            if dataset not in CLASSIFIER_DATASETS:
                raise ValueError(f"No classifier for dataset {dataset!r}; choose one of {CLASSIFIER_DATASETS} "
                                 "or leave dataset=None (the spread of the samples still measures diversity).")
            if self.real.shape[1:] != CLASSIFIER_SHAPE:
                raise ValueError(f"dataset={dataset!r} classifies 28x28x1 images, but the real samples have "
                                 f"shape {self.real.shape[1:]}; leave dataset=None for other data.")
        self.dataset = dataset
        self.stop_on_divergence = bool(stop_on_divergence)
        self.verbose = bool(verbose)
        self.seed = seed
        self._real_std = float(self.real.reshape(len(self.real), -1).std(axis=0).mean())
        if self._real_std == 0:
            raise ValueError("The real samples are all identical, so there is no spread to compare the "
                             "generator's with; pass a sample of the training data.")
        self.flags = []
        self._lock = threading.Lock()
        self.history = {}
        self._noise = None
        self._compiled = None  # see _functions
        self._epoch = 0
        self._logs = {}

    # ------------------------------------------------------------ set-up and checks
    def set_model(self, model):
        if not isinstance(model, GAN):
            raise TypeError(f"TrainingMonitor watches a gan_utils.training.GAN's fit(), not a "
                            f"{type(model).__name__}; build the model with GAN(...) or compiled_gan(...).")
        super().set_model(model)

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
        loss = gan._loss
        self.loss_functions = _resolve_losses(loss)
        self.probabilities = isinstance(loss, str) and loss in PROBABILITY_LOSSES
        # The probes this fit() will make (the one before training, if not yet made, and one
        # every ``every`` epochs), so that _probe can choose eager or compiled for all of them.
        functions = self._functions(gan)
        epochs = int((self.params or {}).get("epochs") or 0)
        functions[4] = functions[3] + (0 if self.epochs else 1) + epochs // self.every
        super().on_train_begin(logs)

    # ------------------------------------------------------------ measuring
    def _probe_networks(self, gan):
        """The network part of a probe, as one function (run eagerly, or compiled by ``_probe``)."""
        generator, discriminator = gan.generator, gan.discriminator
        d_loss_fn, g_loss_fn = self.loss_functions
        if self.dataset is not None:
            from .classifier import feature_classifier
            classifier = feature_classifier(self.dataset)

        def first(*arrays):  # the gradients need one minibatch, not the whole probe
            return [None if array is None else array[:GRADIENT_PROBE] for array in arrays]

        def probe(real, noise, labels, held_out, held_labels):
            fake = tf.cast(generator(_as_inputs(noise, labels), training=False), tf.float32)
            # One inference call for real, generated and held-out samples (no batch statistics
            # in inference mode, so stacking them changes nothing), split afterwards.
            parts = [real, fake] + ([] if held_out is None else [held_out])
            part_labels = None if labels is None else [labels, labels] + ([] if held_out is None else [held_labels])
            stacked_labels = None if labels is None else tf.concat(part_labels, 0)
            logits = discriminator(_as_inputs(tf.concat(parts, 0), stacked_labels), training=False)
            sizes = [tf.shape(part)[0] for part in parts]
            real_logits, fake_logits, *held = tf.split(logits, sizes)
            class_logits = (classifier(tf.clip_by_value(fake, -1.0, 1.0), training=False)
                            if self.dataset is not None else tf.zeros((0, 1)))
            # Both players' gradient norms as the training steps see them (training mode), on one
            # minibatch: what training.discriminator_gradient_norm and generator_gradient_norm return.
            d_grad_norm, g_grad_norm = _gradient_norms(generator, discriminator, d_loss_fn, g_loss_fn,
                                                       *first(real, noise, labels))
            return dict(fake=fake, class_logits=class_logits, real_logits=real_logits, fake_logits=fake_logits,
                        held_logits=held[0] if held else tf.zeros((0, 1)),
                        d_loss=d_loss_fn(real_logits, fake_logits), g_loss=g_loss_fn(fake_logits),
                        d_grad_norm=d_grad_norm, g_grad_norm=g_grad_norm)

        return probe

    def _functions(self, gan):
        """[gan, eager probe, compiled probe, probes run, probes planned], made once per GAN."""
        if self._compiled is None or self._compiled[0] is not gan:
            function = self._probe_networks(gan)
            # No AutoGraph: the probe has no Python control flow on tensors, and converting it
            # would double the cost of tracing.
            self._compiled = [gan, function, tf.function(function, autograph=False), 0, 0]
        return self._compiled

    def _probe(self, gan):
        functions = self._functions(gan)
        # Tracing the compiled probe costs as much as a few eager probes (EAGER_PROBES): a run
        # that makes more probes than that, counting those fit() has planned, compiles at once.
        functions[3] += 1
        function = functions[1] if max(functions[3], functions[4]) <= EAGER_PROBES else functions[2]
        # Training-mode calls update BatchNorm statistics and draw dropout masks: keep those
        # states and put them back, so watching never changes the run.
        state = gan.generator.non_trainable_variables + gan.discriminator.non_trainable_variables
        saved = [v.numpy() for v in state]
        out = {key: np.asarray(value, dtype=np.float64)
               for key, value in function(self.real, self._noise, self.real_labels, self.held_out,
                                                    self.held_out_labels).items()}
        for variable, value in zip(state, saved):
            variable.assign(value)
        fake, real_logits = out["fake"].astype(np.float32), out["real_logits"]
        record = {
            "d_real": float(_sigmoid(real_logits).mean()),
            "d_fake": float(_sigmoid(out["fake_logits"]).mean()),
            "d_loss": float(out["d_loss"]),
            "g_loss": float(out["g_loss"]),
            "train_d_loss": float(self._logs.get("d_loss", math.nan)),
            "train_g_loss": float(self._logs.get("g_loss", math.nan)),
            "d_grad_norm": float(out["d_grad_norm"]),
            "g_grad_norm": float(out["g_grad_norm"]),
        }
        if self.held_out is not None:
            held_logits = out["held_logits"]
            record["d_held_out"] = float(_sigmoid(held_logits).mean())
            record["overfit_gap"] = float(_sigmoid(real_logits[:len(held_logits)]).mean() - record["d_held_out"])
        finite = np.all(np.isfinite(fake))
        flat = fake.reshape(len(fake), -1)
        record["spread"] = float(flat.std(axis=0).mean() / self._real_std) if finite else math.nan
        if self.mixture is not None:
            from .metrics import high_quality_fraction, modes_covered
            record["modes"] = modes_covered(fake, self.mixture) if finite else 0
            record["high_quality"] = high_quality_fraction(fake, self.mixture) if finite else 0.0
        if self.dataset is not None:
            if finite:  # the classifier's predicted class for each generated image (gan_utils.classifier.classify)
                predicted = out["class_logits"].argmax(axis=1)
                record["classes"] = int(len(np.unique(predicted)))
                record["class_entropy"] = _entropy_ratio(predicted, out["class_logits"].shape[1])
            else:
                record["classes"], record["class_entropy"] = 0, 0.0
        return record

    def _record(self, epoch):
        super()._record(epoch)
        record = self.values[-1]
        self.history.setdefault("epoch", []).append(epoch)
        for key, value in record.items():
            self.history.setdefault(key, []).append(value)
        self._check(epoch)

    def on_epoch_begin(self, epoch, logs=None):
        super().on_epoch_begin(epoch, logs)
        self._epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        self._logs = dict(logs or {})
        super().on_epoch_end(epoch, logs)

    def on_train_batch_end(self, batch, logs=None):
        for key in ("d_loss", "g_loss"):
            if logs and key in logs:
                value = float(logs[key])
                if not math.isfinite(value) or abs(value) > MAX_ABS_LOSS:
                    self._raise("divergence", self._epoch + 1,
                                f"{key} = {value:.4g} in batch {batch + 1} of epoch {self._epoch + 1} "
                                f"(limit {MAX_ABS_LOSS:g}); lower the learning rates")
                    if self.stop_on_divergence:
                        self.model.stop_training = True
                    return

    # ------------------------------------------------------------ flags
    def _raise(self, name, epoch, evidence):
        with self._lock:
            if any(flag.name == name for flag in self.flags):
                return
            symptom, section = SECTIONS[name]
            flag = Flag(name, symptom, int(epoch), evidence, section)
            self.flags.append(flag)
        if self.verbose:
            print(flag)

    def _recent(self, key):
        """The last PATIENCE values of ``key``, or None while there are fewer records after epoch 0."""
        epochs = self.history["epoch"]
        if len(epochs) <= PATIENCE or key not in self.history:
            return None
        return np.asarray(self.history[key][-PATIENCE:], dtype=np.float64)

    def _check(self, epoch):
        h = {key: values[-1] for key, values in self.history.items()}
        first = {key: values[0] for key, values in self.history.items()}
        # Divergence: anything non-finite, or gradients thousands of times their starting size.
        broken = [key for key in ("d_real", "d_fake", "d_loss", "g_loss", "d_grad_norm", "g_grad_norm")
                  if not math.isfinite(h[key])]
        if broken or not math.isfinite(h["spread"]):
            what = ", ".join(broken + ([] if math.isfinite(h["spread"]) else ["the generated samples"]))
            self._raise("divergence", epoch, f"{what} became NaN or infinite; lower the learning rates")
        if self.probabilities:
            for key, player in (("d_loss", "discriminator"), ("g_loss", "generator")):
                start = abs(first[key])
                for value, where in ((h[key], "on the probe"), (h[f"train_{key}"], "averaged over the epoch")):
                    if math.isfinite(value) and value > EXPLODING_LOSS * start:
                        self._raise("divergence", epoch,
                                    f"the {player}'s loss rose to {value:.3g} {where}, {value / start:.0f} times its "
                                    f"{start:.3g} before training (limit {EXPLODING_LOSS:g}x); lower the learning rates")
        for key, player in (("d_grad_norm", "discriminator"), ("g_grad_norm", "generator")):
            start = first[key]
            if math.isfinite(h[key]) and start > 0 and h[key] > EXPLODING_GRADIENT * start:
                self._raise("divergence", epoch,
                            f"the {player}'s gradient norm grew to {h[key]:.3g}, {h[key] / start:.0f} times "
                            f"its {start:.3g} before training (limit {EXPLODING_GRADIENT:g}x); lower the learning rates")
        if epoch == 0:
            return
        if self.probabilities:
            real, fake = self._recent("d_real"), self._recent("d_fake")
            if real is not None and np.all(real >= WINS_REAL) and np.all(fake <= WINS_FAKE):
                self._raise("discriminator_wins", epoch,
                            f"D(x) = {h['d_real']:.2f} on real samples and D(G(z)) = {h['d_fake']:.2f} on generated "
                            f"ones (limits {WINS_REAL:g} and {WINS_FAKE:g}, {PATIENCE} records in a row); the "
                            f"generator's gradient norm is {h['g_grad_norm']:.3g} (it was {first['g_grad_norm']:.3g} "
                            "before training)")
            gap = self._recent("overfit_gap")
            if gap is not None and np.all(gap >= OVERFIT_GAP):
                self._raise("discriminator_overfitting", epoch,
                            f"D(x) = {h['d_real']:.2f} on training samples but {h['d_held_out']:.2f} on held-out "
                            f"real ones, a gap of {h['overfit_gap']:.2f} (limit {OVERFIT_GAP:g}, {PATIENCE} records "
                            "in a row)")
        spread = self._recent("spread")
        if spread is not None and np.all(spread < COLLAPSE_SPREAD) and not spread[-1] > spread[0] + COLLAPSE_GROWTH:
            self._raise("mode_collapse", epoch,
                        f"generated samples vary {h['spread']:.2f} times as much as real ones "
                        f"(limit {COLLAPSE_SPREAD:g}, {PATIENCE} records in a row)")
        if self.mixture is not None:
            modes, quality = self._recent("modes"), self._recent("high_quality")
            most = COLLAPSE_MODES * self.mixture.num_modes
            if modes is not None and np.all(modes <= most) and np.all(quality >= 0.5):
                self._raise("mode_collapse", epoch,
                            f"{h['modes']} of {self.mixture.num_modes} modes covered although "
                            f"{h['high_quality']:.0%} of the samples are good (limit {most:g} modes, "
                            f"{PATIENCE} records in a row)")
        if self.dataset is not None:
            entropy = self._recent("class_entropy")
            if entropy is not None and np.all(entropy < COLLAPSE_ENTROPY):
                self._raise("mode_collapse", epoch,
                            f"the classifier finds {h['classes']} classes among the generated images, class "
                            f"entropy {h['class_entropy']:.2f} of the maximum (limit {COLLAPSE_ENTROPY:g}, "
                            f"{PATIENCE} records in a row)")

    # ------------------------------------------------------------ reading the results
    def _check_recorded(self, what):
        if not self.epochs:
            raise RuntimeError(f"Nothing recorded yet: pass the monitor to fit(..., callbacks=[monitor]) "
                               f"before calling {what}().")

    def report(self):
        """Print one line per flag (or that none was raised) and return the lines as a list."""
        self._check_recorded("report")
        lines = [str(flag) for flag in self.flags]
        if not lines:
            lines = [f"No symptoms flagged in {self.epochs[-1]} epochs (last record: D(x) = "
                     f"{self.history['d_real'][-1]:.2f}, D(G(z)) = {self.history['d_fake'][-1]:.2f}, "
                     f"spread {self.history['spread'][-1]:.2f})."]
        print("\n".join(lines))
        return lines

    def dashboard(self, figsize=None):
        """One figure with every panel the monitor keeps; flagged epochs are marked. Returns the figure."""
        self._check_recorded("dashboard")
        import matplotlib.pyplot as plt

        h = {key: np.asarray(value, dtype=np.float64) for key, value in self.history.items()}
        epochs = h["epoch"]
        panels = ["D", "loss", "grad", "diversity"]
        fig, axes = plt.subplots(1, len(panels), figsize=figsize or (4 * len(panels), 3.2), facecolor="white")
        ax = axes[0]
        ax.plot(epochs, h["d_real"], label="D(x), real")
        ax.plot(epochs, h["d_fake"], label="D(G(z)), generated")
        if "d_held_out" in h:
            ax.plot(epochs, h["d_held_out"], label="D(x), held out")
        ax.axhline(0.5, color="grey", lw=0.8, ls=":")
        ax.set(ylim=(-0.02, 1.02), title="discriminator's belief", ylabel="mean probability 'real'")
        ax = axes[1]
        ax.plot(epochs, h["d_loss"], label="discriminator")
        ax.plot(epochs, h["g_loss"], label="generator")
        ax.set(title="losses on the probe")
        ax = axes[2]
        ax.plot(epochs, h["d_grad_norm"], label="discriminator")
        ax.plot(epochs, h["g_grad_norm"], label="generator")
        if np.all(h["d_grad_norm"][np.isfinite(h["d_grad_norm"])] > 0):
            ax.set_yscale("log")
        ax.set(title="gradient norms")
        ax = axes[3]
        ax.plot(epochs, h["spread"], label="spread (1 = as varied as the data)")
        if "modes" in h:
            ax.plot(epochs, h["modes"] / self.mixture.num_modes, label="fraction of modes covered")
        if "class_entropy" in h:
            ax.plot(epochs, h["class_entropy"], label="class entropy / maximum")
        ax.set(title="diversity of generated samples")
        for ax in axes:
            ax.set_xlabel("epoch")
            ax.set_facecolor("white")
            for flag in self.flags:
                ax.axvline(flag.epoch, color="red", lw=0.8, alpha=0.6)
            ax.legend(fontsize=7)
        if self.flags:
            fig.suptitle("flagged: " + "; ".join(f"{flag.symptom} (epoch {flag.epoch})" for flag in self.flags),
                         color="red", fontsize=9)
        fig.tight_layout()
        return fig


def _sigmoid(logits):
    with np.errstate(invalid="ignore"):  # NaN logits of a diverged run stay NaN, quietly
        return np.exp(-np.logaddexp(0.0, -logits.reshape(-1)))
