"""Training: Algorithm 1 of Goodfellow et al. (2014) as a ``keras.Model``, and what measures its steps.

``GAN.train_step`` runs ``d_steps`` discriminator updates (``discriminator_step``), each on
its own slice of the incoming batch, then one generator update (``generator_step``), so
``fit()`` gives the progress bar, callbacks and ``History`` for free. Chapter 3 writes the
two steps and the loop around them out by hand and checks that ``fit()`` gives the same
numbers; every later chapter trains with ``fit()``. Beside them: ``seed_everything``,
``compiled_gan`` (the usual two Adam optimizers), the gradient norms the steps see, and the
time one step takes.
"""
import time

import keras
import numpy as np
import tensorflow as tf

from .checks import check_generator_matches, check_positive_int
from .losses import (get_losses, gradient_penalty, minimax_discriminator_loss, non_saturating_generator_loss,
                     r1_penalty)


DETERMINISM_ADVICE = (
    "TensorFlow has no deterministic kernel for an op of this model on this device (usually a "
    "GPU). Call seed_everything(seed, deterministic=False): the run then repeats only "
    "approximately, as GPU runs do.")


def seed_everything(seed=0, deterministic="auto"):
    """Make a run repeatable: seeds Python, NumPy, TensorFlow and Keras, and makes ops deterministic.

    ``deterministic="auto"`` turns TensorFlow's op determinism on where it holds for every op
    the book uses, a machine without a GPU; on a GPU some ops have no deterministic kernel and
    would fail at run time, so there it stays off (the same seed then gives nearly, not
    exactly, the same numbers). ``True`` or ``False`` force it. Introduced in chapter 1; used in
    chapters 2, 3, 4, 5 and 6, A GAN in one cell, the page GANs and diffusion at the same budget,
    the appendix Bugs that tutorials ship and the assignments.
    """
    keras.utils.set_random_seed(seed)
    if deterministic == "auto":
        deterministic = not tf.config.list_physical_devices("GPU")
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    return bool(deterministic)


def model_inputs(x, labels):
    """What a network of this library takes: ``x``, or ``[x, labels]`` for a conditional one.

    Used by ``GAN``, ``discriminator_step``, ``generator_step``, ``gradient_norms``,
    ``generator_gradient_norm`` and ``monitor.TrainingMonitor``.
    """
    # Keras 3 refuses a list that mixes tensors and NumPy arrays, so convert both.
    return x if labels is None else [tf.convert_to_tensor(x), tf.convert_to_tensor(labels, tf.int32)]


def _check_callable(value, name, example):
    if not callable(value):
        raise TypeError(f"{name} must be a function, e.g. {name}={example}; got {value!r}.")
    return value


def _check_non_negative(value, name, meaning):
    if not value >= 0:  # also refuses NaN
        raise ValueError(f"{name} must be 0 (off) or positive, got {value}: {meaning}.")
    return float(value)


def _loss_pair(loss):
    if not (isinstance(loss, (tuple, list)) and len(loss) == 2 and all(map(callable, loss))):
        raise TypeError("loss must be a name in losses.LOSSES, e.g. loss='non_saturating', or a pair of functions "
                        f"(discriminator_loss, generator_loss) of the logits; got {loss!r}.")
    return tuple(loss)


def discriminator_step(generator, discriminator, optimizer, real, *, noise_dim, seed_generator,
                       labels=None, loss=minimax_discriminator_loss, gradient_penalty_weight=0.0,
                       r1_weight=0.0, augment=None):
    """One discriminator update on the real minibatch ``real`` and as many fresh fakes. Returns the loss.

    ``loss(real_logits, fake_logits)`` is the discriminator's loss (``GAN`` passes its
    ``discriminator_loss``); ``labels`` go to both networks of a conditional GAN;
    ``gradient_penalty_weight`` adds WGAN-GP's penalty and ``r1_weight`` (gamma)
    ``gamma / 2 * r1_penalty``; ``augment(images, seed)`` (e.g. ``augmentation.diff_augment``)
    transforms real and fake images alike before the discriminator sees them (chapter 6).
    Everything after ``real`` is a keyword; ``seed_generator`` is a ``keras.random.SeedGenerator``
    (the noise stream). Chapter 3 writes the same step out by hand; ``GAN.train_step`` calls it.
    Used in chapter 6.
    """
    noise = keras.random.normal((tf.shape(real)[0], noise_dim), seed=seed_generator)
    # The generator runs in training mode (BatchNorm uses batch statistics) but is not updated here.
    fake = generator(model_inputs(noise, labels), training=True)
    if augment is not None:  # the same kind of transformation for reals and fakes
        real, fake = augment(real, seed_generator), augment(fake, seed_generator)
    with tf.GradientTape() as tape:
        real_logits = discriminator(model_inputs(real, labels), training=True)
        fake_logits = discriminator(model_inputs(fake, labels), training=True)
        d_loss = loss(real_logits, fake_logits)
        if gradient_penalty_weight:
            d_loss += gradient_penalty_weight * gradient_penalty(discriminator, real, fake, labels, seed=seed_generator)
        if r1_weight:
            d_loss += 0.5 * r1_weight * r1_penalty(discriminator, real, labels)
    grads = tape.gradient(d_loss, discriminator.trainable_variables)
    optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    return d_loss


def generator_step(generator, discriminator, optimizer, batch_size, *, noise_dim, seed_generator,
                   labels=None, loss=non_saturating_generator_loss, augment=None):
    """One generator update on ``batch_size`` fresh fakes, through the (not updated) discriminator.

    Returns the loss ``loss(fake_logits)`` (``GAN`` passes its ``generator_loss``). Only the
    generator's variables go to its optimizer, so no ``trainable = False`` freezing of the
    discriminator is needed (or relied on). Everything after ``batch_size`` is a keyword.
    Chapter 3 writes the same step out by hand. Used by ``GAN`` (its ``train_step``).
    """
    noise = keras.random.normal((batch_size, noise_dim), seed=seed_generator)
    with tf.GradientTape() as tape:
        fake = generator(model_inputs(noise, labels), training=True)
        if augment is not None:  # differentiable, so the gradient reaches the generator through it
            fake = augment(fake, seed_generator)
        g_loss = loss(discriminator(model_inputs(fake, labels), training=True))
    grads = tape.gradient(g_loss, generator.trainable_variables)
    optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    return g_loss


NOT_FINITE = ("The training data contain NaN or infinite values; find them with np.isfinite(x).all() "
              "and fix the loading or scaling step that made them.")
OUT_OF_RANGE = ("The real images must lie in [-1, 1] (the range of a tanh generator); scale pixels "
                "with x / 127.5 - 1 (data.to_unit_range does it).")


def _split_message(d_steps):
    return (f"A batch cannot be split into d_steps={d_steps} equal minibatches; batch the data in multiples "
            f"of {d_steps} (e.g. batch_size={d_steps} * minibatch size) and use drop_remainder=True.")


def _split_for_d_steps(batch, d_steps):
    size = batch.shape[0]
    if size is not None and size % d_steps:
        raise ValueError(f"A batch of {size}: " + _split_message(d_steps))
    if d_steps == 1:
        return [batch]
    if size is None:  # known only when the batch arrives: checked then, before the split runs
        check = tf.debugging.assert_equal(tf.shape(batch)[0] % d_steps, 0, message=_split_message(d_steps))
        with tf.control_dependencies([check]):
            batch = tf.identity(batch)
    return tf.split(batch, d_steps)


def _checked_data(samples):
    """The real samples, made to wait for two checks: all finite, and images (4-D) in [-1, 1].

    Toy data of other ranks may span anything. ``GAN.fit`` turns a failed check into a ValueError.
    """
    magnitude = tf.abs(tf.cast(samples, tf.float32))
    checks = [tf.debugging.assert_equal(tf.reduce_all(tf.math.is_finite(magnitude)), True, message=NOT_FINITE)]
    if samples.shape.rank == 4:
        with tf.control_dependencies(checks):
            checks.append(tf.debugging.assert_less_equal(tf.reduce_max(magnitude), 1.0 + 1e-6, message=OUT_OF_RANGE))
    with tf.control_dependencies(checks):
        return tf.identity(samples)


def _sample_input_shape(discriminator):
    """The shape of one sample the discriminator takes (its first input when conditional), if known."""
    try:
        shape = discriminator.input_shape
    except (AttributeError, ValueError):
        return None
    return tuple(shape[0] if isinstance(shape, list) else shape)[1:]


class GAN(keras.Model):
    """A generator and a discriminator trained against each other with ``fit()``.

    Batches of ``d_steps * m`` examples are split into ``d_steps`` minibatches of ``m``, one
    per discriminator update; the generator update then uses ``m`` noise vectors. For a
    conditional GAN, feed ``(images, labels)`` batches and set ``conditional=True``.
    ``loss`` is a name in ``losses.LOSSES`` or a ``(discriminator_loss, generator_loss)`` pair
    of functions of the logits; the GAN keeps the two functions as ``discriminator_loss`` and
    ``generator_loss`` and the name as ``loss_name`` (None for a pair).
    Introduced in chapter 1; used in chapters 4 and 6 and the assignments (chapter 3 writes its
    step out by hand).
    """

    def __init__(self, generator, discriminator, noise_dim, d_steps=1, loss="non_saturating",
                 gradient_penalty_weight=0.0, conditional=False, ema_decay=None, seed=0, r1_weight=0.0,
                 augment=None, **kwargs):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.noise_dim = check_positive_int(noise_dim, "noise_dim")
        sample_shape = _sample_input_shape(discriminator)
        if sample_shape is not None:  # a subclassed, unbuilt discriminator has no shape yet
            check_generator_matches(generator, sample_shape, self.noise_dim, "the discriminator's input")
        self.d_steps = check_positive_int(d_steps, "d_steps (k, discriminator steps per generator step)")
        # Not self.loss: keras.Model.compile owns that name.
        self.loss_name = loss if isinstance(loss, str) else None
        self.discriminator_loss, self.generator_loss = get_losses(loss) if isinstance(loss, str) else _loss_pair(loss)
        self.gradient_penalty_weight = _check_non_negative(gradient_penalty_weight, "gradient_penalty_weight",
                                                           "a negative penalty rewards a steep critic (WGAN-GP uses 10)")
        self.r1_weight = _check_non_negative(r1_weight, "r1_weight",  # gamma of the R1 penalty (chapter 6)
                                             "a negative penalty rewards a steep discriminator (try 0.1 to 10)")
        # augment(images, seed) for everything D sees, e.g. augmentation.diff_augment
        self.augment = None if augment is None else _check_callable(augment, "augment", "augmentation.diff_augment")
        self.conditional = conditional
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.ema_decay = ema_decay
        self.ema_generator = None
        if ema_decay is not None:
            if not 0.0 < ema_decay < 1.0:
                raise ValueError(f"ema_decay must be between 0 and 1 (e.g. 0.999), got {ema_decay}.")
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        """Two optimizers over two separate variable lists: the players compete, not cooperate."""
        kwargs.setdefault("jit_compile", False)
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        d_optimizer.build(self.discriminator.trainable_variables)
        g_optimizer.build(self.generator.trainable_variables)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def train_step(self, data):
        images, labels = self._images_and_labels(data)
        image_slices = _split_for_d_steps(images, self.d_steps)
        label_slices = [None] * self.d_steps if labels is None else _split_for_d_steps(labels, self.d_steps)

        # k discriminator steps, each on its own minibatch of real images
        for real, real_labels in zip(image_slices, label_slices):
            d_loss = discriminator_step(
                self.generator, self.discriminator, self.d_optimizer, real, labels=real_labels,
                noise_dim=self.noise_dim, seed_generator=self.seed_generator, loss=self.discriminator_loss,
                gradient_penalty_weight=self.gradient_penalty_weight, r1_weight=self.r1_weight,
                augment=self.augment)

        # then one generator step, on as many fresh noise vectors
        g_loss = generator_step(
            self.generator, self.discriminator, self.g_optimizer, tf.shape(image_slices[0])[0],
            labels=label_slices[0], noise_dim=self.noise_dim, seed_generator=self.seed_generator,
            loss=self.generator_loss, augment=self.augment)

        if self.ema_generator is not None:
            for ema_weight, weight in zip(self.ema_generator.weights, self.generator.weights):
                ema_weight.assign(self.ema_decay * ema_weight + (1.0 - self.ema_decay) * weight)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}

    def _images_and_labels(self, batch):
        """``(images, labels)`` of a batch that ``fit()`` passes (labels None unless conditional), checked.

        Refuses a batch of the wrong kind for ``conditional`` with an error that says how to
        fix it; the images are made to wait for the checks of ``_checked_data``.
        """
        if isinstance(batch, (tuple, list)) and len(batch) == 1:
            batch = batch[0]
        labelled = isinstance(batch, (tuple, list))
        if self.conditional and not (labelled and len(batch) == 2):
            raise ValueError(
                "This GAN is conditional (conditional=True), so each batch must be (images, labels), but it "
                "got images only; pass a dataset of (images, labels) pairs (or fit(images, labels)), or "
                "build an unconditional GAN (conditional=False).")
        if labelled and not self.conditional:
            raise ValueError(
                f"This GAN is unconditional (conditional=False) but got batches of {len(batch)} parts, such "
                "as (images, labels); pass the images alone (dataset.map(lambda x, y: x)), or build a "
                "conditional GAN (conditional=True, with models built with num_classes).")
        images, labels = batch if self.conditional else (batch, None)
        return _checked_data(images), labels

    def fit(self, *args, **kwargs):
        """``keras.Model.fit``, with a plain error for bad data and for op determinism this device lacks."""
        try:
            return super().fit(*args, **kwargs)
        except tf.errors.UnimplementedError as error:
            if "eterministic" not in str(error):
                raise
            raise RuntimeError(DETERMINISM_ADVICE) from error
        except tf.errors.InvalidArgumentError as error:
            for message in (NOT_FINITE, OUT_OF_RANGE, _split_message(self.d_steps)):
                if message in str(error):
                    raise ValueError(message) from None  # the data, not TensorFlow's graph, is at fault
            raise

    def generate(self, noise, labels=None, use_ema=True):
        """Samples for the given noise (or an int: that many samples), BatchNorm in inference mode.

        Samples are float32 even when the networks compute in bfloat16 (mixed precision).
        """
        if isinstance(noise, (int, np.integer)):
            count = check_positive_int(noise, "generate's number of samples")
            noise = keras.random.normal((count, self.noise_dim), seed=self.seed_generator)
        generator = self.ema_generator if (use_ema and self.ema_generator is not None) else self.generator
        return tf.cast(generator(model_inputs(noise, labels), training=False), tf.float32)


def _check_learning_rate(rate, name):
    if isinstance(rate, (int, float, np.number)) and not rate > 0:
        raise ValueError(f"{name} must be positive (e.g. 2e-4), got {rate}: a negative rate climbs the loss "
                         "instead of descending it.")
    return rate


def compiled_gan(generator, discriminator, noise_dim, learning_rate=2e-4, d_learning_rate=None,
                 g_learning_rate=None, beta_1=0.5, beta_2=0.999, compile_options=None, **gan_options):
    """A ``GAN`` compiled with one Adam optimizer per player, the set-up the chapters repeat.

    ``beta_1=0.5`` is the DCGAN paper's choice (Radford et al., 2016); ``d_learning_rate`` and
    ``g_learning_rate`` default to ``learning_rate``. ``gan_options`` go to ``GAN`` (``d_steps``,
    ``loss``, ``ema_decay``, ``conditional``, ``seed``, ...), ``compile_options`` to ``compile``.
    Introduced in chapter 3 (where the two optimizers are first written out); used in
    chapters 4, 5 and 6, the page GANs and diffusion at the same budget and the appendix Bugs
    that tutorials ship.
    """
    _check_learning_rate(learning_rate, "learning_rate")
    d_rate = _check_learning_rate(learning_rate if d_learning_rate is None else d_learning_rate, "d_learning_rate")
    g_rate = _check_learning_rate(learning_rate if g_learning_rate is None else g_learning_rate, "g_learning_rate")
    gan = GAN(generator, discriminator, noise_dim=noise_dim, **gan_options)
    adam = lambda rate: keras.optimizers.Adam(rate, beta_1=beta_1, beta_2=beta_2)  # noqa: E731
    gan.compile(d_optimizer=adam(d_rate), g_optimizer=adam(g_rate), **(compile_options or {}))
    return gan


def seconds_per_step(gan, batches, steps=20, jit_compile=False):
    """Median wall-clock seconds of one ``gan.train_step`` over ``steps`` timed steps.

    ``batches`` is one batch (used for every step) or an iterator of batches. The step is
    compiled and run once before timing, and each timed step waits for its result, so the
    median measures the step itself: no tracing, no Python loop overhead of ``fit()``.
    Used in chapter 6.
    """
    steps = check_positive_int(steps, "steps")
    step = tf.function(gan.train_step, jit_compile=jit_compile)
    next_batch = (lambda: next(batches)) if hasattr(batches, "__next__") else (lambda: batches)
    float(step(next_batch())["d_loss"])  # trace and compile outside the timing
    times = []
    for _ in range(steps):
        batch = next_batch()
        started = time.perf_counter()
        float(step(batch)["d_loss"])  # float() waits until the step has finished
        times.append(time.perf_counter() - started)
    return float(np.median(times))


def generator_gradient_norm(generator, discriminator, generator_loss, noise, labels=None):
    """Global norm of ``generator_loss``'s gradient over all of the generator's weights, on ``noise``.

    Measured as ``generator_step`` would see it (both networks in training mode), without
    updating anything; ``labels`` for a conditional GAN. Used in chapter 6.
    """
    with tf.GradientTape() as tape:
        fake = generator(model_inputs(noise, labels), training=True)
        loss = generator_loss(discriminator(model_inputs(fake, labels), training=True))
    return float(tf.linalg.global_norm(tape.gradient(loss, generator.trainable_variables)))


def gradient_norms(generator, discriminator, discriminator_loss, generator_loss, real, noise, labels=None):
    """The global norms of both players' loss gradients, ``(d_norm, g_norm)`` as tensors, from one tape.

    On the real samples ``real`` and the fakes made from ``noise`` (``labels`` for both in a
    conditional GAN), as the two steps would see them (training mode; no gradient penalty, R1
    or augmentation), without updating anything: 3 network calls instead of 5 for two
    separate tapes. Used by ``monitor.TrainingMonitor``, which records both every epoch.
    """
    with tf.GradientTape(persistent=True) as tape:
        fake = generator(model_inputs(noise, labels), training=True)
        real_logits = discriminator(model_inputs(real, labels), training=True)  # reals first, as in discriminator_step
        fake_logits = discriminator(model_inputs(fake, labels), training=True)
        d_loss = discriminator_loss(real_logits, fake_logits)
        g_loss = generator_loss(fake_logits)
    d_norm = tf.linalg.global_norm(tape.gradient(d_loss, discriminator.trainable_variables))
    g_norm = tf.linalg.global_norm(tape.gradient(g_loss, generator.trainable_variables))
    del tape
    return d_norm, g_norm
