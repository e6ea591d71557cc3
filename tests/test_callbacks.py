import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_utils import callbacks, data, losses, models, training


def ring_dataset(batch_size=64, n=512):
    return tf.data.Dataset.from_tensor_slices(data.ring_of_gaussians().sample(n, seed=0)).batch(batch_size)


def toy_gan(seed=0, hidden_units=(32, 32)):
    training.seed_everything(seed)
    generator = models.mlp_generator(noise_dim=4, output_dim=2, hidden_units=hidden_units)
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=hidden_units)
    gan = training.GAN(generator, discriminator, noise_dim=4)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    return gan


def test_divergence_guard_stops_with_a_clear_message():
    training.seed_everything(0)
    exploding = (lambda real, fake: 1e6 * losses.minimax_discriminator_loss(real, fake),  # about 1.4e6
                 losses.non_saturating_generator_loss)
    gan = training.compiled_gan(models.mlp_generator(noise_dim=4, output_dim=2), models.mlp_discriminator(input_dim=2),
                                noise_dim=4, loss=exploding)
    with pytest.raises(callbacks.TrainingDiverged, match=r"epoch 1, batch 1: d_loss = .*learning rates"):
        gan.fit(ring_dataset(), epochs=2, verbose=0, callbacks=[callbacks.DivergenceGuard()])


@pytest.mark.parametrize("on_divergence, epochs_run", [("stop", 1), ("record", 2)])
def test_divergence_guard_can_stop_quietly_or_only_record(on_divergence, epochs_run):
    training.seed_everything(0)
    exploding = (lambda real, fake: 1e6 * losses.minimax_discriminator_loss(real, fake),
                 losses.non_saturating_generator_loss)
    gan = training.compiled_gan(models.mlp_generator(noise_dim=4, output_dim=2), models.mlp_discriminator(input_dim=2),
                                noise_dim=4, loss=exploding)
    guard = callbacks.DivergenceGuard(on_divergence=on_divergence)
    history = gan.fit(ring_dataset(), epochs=2, verbose=0, callbacks=[guard]).history
    assert len(history["d_loss"]) == epochs_run
    assert guard.reason.startswith("at epoch 1, batch 1: d_loss = ") and "(limit 10000)" in guard.reason
    with pytest.raises(ValueError, match="on_divergence must be 'raise', 'stop' or 'record', got 'quiet'"):
        callbacks.DivergenceGuard(on_divergence="quiet")


@pytest.mark.parametrize("loss, limit", [("non_saturating", "10000"), ("minimax", "10000"), ("least_squares", "10000"),
                                         ("wasserstein", "NaN or inf only"), ("hinge", "NaN or inf only")])
def test_divergence_guard_holds_free_scores_to_nan_and_inf_only(loss, limit):
    """A critic's score drifts freely, so a Wasserstein or hinge loss of 5e4 is no divergence; NaN is."""
    gan = training.GAN(models.mlp_generator(noise_dim=4, output_dim=2, hidden_units=(8,)),
                       models.mlp_discriminator(input_dim=2, hidden_units=(8,)), noise_dim=4, loss=loss)
    free = loss in callbacks.FREE_SCORE_LOSSES
    for logs, diverged in (({"d_loss": 5e4, "g_loss": 1.0}, not free), ({"d_loss": 1.0, "g_loss": float("nan")}, True)):
        guard = callbacks.DivergenceGuard(on_divergence="record")
        guard.set_model(gan)
        guard.on_train_begin()
        guard.on_train_batch_end(0, logs)
        assert (guard.reason is not None) == diverged, (loss, logs, guard.reason)
        if diverged:
            assert guard.reason.endswith(f"(limit {limit})"), guard.reason
    # A limit given by hand holds for every loss.
    guard = callbacks.DivergenceGuard(max_abs_loss=100.0, on_divergence="record")
    guard.set_model(gan)
    guard.on_train_begin()
    guard.on_train_batch_end(0, {"d_loss": 101.0})
    assert guard.reason == "at epoch 1, batch 1: d_loss = 101 (limit 100)"
    with pytest.raises(ValueError, match="max_abs_loss must be a positive number"):
        callbacks.DivergenceGuard(max_abs_loss=0)


def test_recorder_keeps_samples_and_metrics_and_leaves_its_own_time_out():
    import time

    gan = toy_gan()
    samples = callbacks.Recorder(lambda model: model.generate(tf.zeros((5, 4))), every=2)

    def slow_metric(model):
        time.sleep(0.25)
        return float(np.mean(model.generate(tf.zeros((3, 4)))))

    metric = callbacks.Recorder(slow_metric)
    started = time.perf_counter()
    gan.fit(ring_dataset(), epochs=4, verbose=0, callbacks=[samples, metric])
    wall = time.perf_counter() - started
    assert samples.epochs == [0, 2, 4] and isinstance(samples.values[0], np.ndarray)
    assert samples.values[0].shape == (5, 2)
    assert metric.epochs == [0, 1, 2, 3, 4] and metric.seconds[0] == 0.0 == metric.cpu_seconds[0]
    assert all(b > a for a, b in zip(metric.seconds, metric.seconds[1:]))
    assert all(b >= a for a, b in zip(metric.cpu_seconds, metric.cpu_seconds[1:]))
    # five measurements slept 1.25 s in all: none of it counts as training time
    assert metric.seconds[-1] < wall - 1.2, (metric.seconds, wall)
    with pytest.raises(ValueError, match="every must be an integer"):
        callbacks.Recorder(slow_metric, every=0)


INTERRUPTED_RUN = textwrap.dedent("""
    import os
    import numpy as np, keras, tensorflow as tf
    from gan_utils import callbacks, data, models, precision, training
    training.seed_everything(0)
    generator = models.mlp_generator(noise_dim=4, output_dim=2, hidden_units=(16,))
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(16,))
    gan = training.GAN(generator, discriminator, noise_dim=4)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    samples = data.ring_of_gaussians().sample(512, seed=0)
    dataset = tf.data.Dataset.from_tensor_slices(samples).batch(64)

    class KillMidEpoch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:  # remember what the checkpoint after epoch 2 should hold
                np.save({weights!r}, np.concatenate([w.ravel() for w in generator.get_weights()]))
        def on_train_batch_end(self, batch, logs=None):
            if self.epoch == 2 and batch == 3:
                os._exit(3)  # killed in the middle of epoch 3, no cleanup
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

    gan.fit(dataset, epochs=6, verbose=0, callbacks=[callbacks.Checkpoint({directory!r}), KillMidEpoch()])
""")


def test_checkpoint_resumes_a_killed_run(tmp_path):
    # The child process imports the installed gan_utils (the project's set-up installs it).
    script = INTERRUPTED_RUN.format(weights=str(tmp_path / "after_epoch_2.npy"),
                                    directory=str(tmp_path / "checkpoints"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, result.stderr[-2000:]

    training.seed_everything(123)  # different initial weights: everything must come from the checkpoint
    generator = models.mlp_generator(noise_dim=4, output_dim=2, hidden_units=(16,))
    discriminator = models.mlp_discriminator(input_dim=2, hidden_units=(16,))
    gan = training.GAN(generator, discriminator, noise_dim=4)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    initial_epoch = callbacks.resume(gan, tmp_path / "checkpoints")
    assert initial_epoch == 2  # only the epoch in progress is lost
    restored = np.concatenate([w.ravel() for w in generator.get_weights()])
    np.testing.assert_array_equal(restored, np.load(tmp_path / "after_epoch_2.npy"))
    assert int(gan.g_optimizer.iterations.numpy()) == 16  # the optimizer state came back too
    samples = data.ring_of_gaussians().sample(512, seed=0)
    history = gan.fit(tf.data.Dataset.from_tensor_slices(samples).batch(64), epochs=4,
                      initial_epoch=initial_epoch, verbose=0,
                      callbacks=[callbacks.Checkpoint(tmp_path / "checkpoints")])
    assert len(history.history["d_loss"]) == 2
    assert callbacks.resume(gan, tmp_path / "checkpoints") == 4


def test_resume_without_checkpoint_starts_at_zero_but_a_missing_folder_is_an_error(tmp_path):
    gan = toy_gan()
    assert callbacks.resume(gan, tmp_path) == 0
    with pytest.raises(FileNotFoundError, match="No checkpoint folder .*typo"):
        callbacks.resume(gan, tmp_path / "chekpoints")


def test_recorder_needs_a_function():
    with pytest.raises(TypeError, match=r"Recorder needs a function of the model to record"):
        callbacks.Recorder(5)


def test_resume_into_another_architecture_says_so_and_names_the_folder(tmp_path):
    gan = toy_gan(hidden_units=(16,))
    gan.fit(data.ring_of_gaussians().sample(128, seed=0), batch_size=64, epochs=1, verbose=0,
            callbacks=[callbacks.Checkpoint(tmp_path)])
    for other in (toy_gan(hidden_units=(32,)), toy_gan(hidden_units=(16, 16))):
        with pytest.raises(ValueError, match=rf"checkpoint in '{tmp_path}' was written by a different network"):
            callbacks.resume(other, tmp_path)
    assert callbacks.resume(toy_gan(hidden_units=(16,)), tmp_path) == 1


def test_checkpoint_and_resume_refuse_a_file_for_a_folder(tmp_path):
    path = tmp_path / "run.ckpt"
    path.write_text("")
    for call in (lambda: callbacks.Checkpoint(path), lambda: callbacks.resume(toy_gan(), path)):
        with pytest.raises(NotADirectoryError, match=r"run.ckpt' is a file.*pass a folder"):
            call()
