"""The feature classifier behind the image metrics: a small CNN trained on the dataset itself.

The classifier FID, inception score and precision/recall of ``gan_utils.metrics`` compare
images through this network's 128-d ``"features"`` layer. Its weights for Fashion-MNIST ship
with the package (``weights/``), trained by ``scripts/train_feature_classifier.py``; for
another dataset it is trained once and cached in ``~/.cache/gan_book``. Introduced in
chapter 4.
"""
import json
import time
from pathlib import Path

import keras
import numpy as np

from .checks import check_images, check_positive_int
from .data import load_images
from .precision import policy

CLASSIFIER_DATASETS = ("fashion_mnist", "mnist")
BUNDLED_WEIGHTS_DIR = Path(__file__).parent / "weights"
CACHE_DIR = Path.home() / ".cache" / "gan_book"
IMAGE_SHAPE = (28, 28, 1)
DEFAULT_EPOCHS = 15  # 92.6% test accuracy on Fashion-MNIST with seed 0

_classifiers = {}  # dataset name -> trained classifier, so each is loaded once per process
_feature_extractors = {}

def build_feature_classifier(num_classes=10, feature_dim=128):
    """A small CNN mapping 28x28x1 images in [-1, 1] to class logits.

    Its penultimate layer, a Dense layer named ``"features"``, gives the ``feature_dim``
    features that the classifier FID and precision/recall compare. Used by ``train_feature_classifier``.
    """
    num_classes = check_positive_int(num_classes, "num_classes")
    feature_dim = check_positive_int(feature_dim, "feature_dim")
    inputs = keras.Input(IMAGE_SHAPE)
    x = keras.layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
    x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dropout(0.3)(x)
    features = keras.layers.Dense(feature_dim, activation="relu", name="features")(x)
    x = keras.layers.Dropout(0.3)(features)
    logits = keras.layers.Dense(num_classes, name="logits")(x)
    return keras.Model(inputs, logits, name="feature_classifier")


def _check_dataset(dataset):
    if dataset not in CLASSIFIER_DATASETS:
        raise ValueError(
            f"No feature classifier for dataset {dataset!r}; choose one of {CLASSIFIER_DATASETS} "
            "(the classifier needs 28x28 grey-scale images)."
        )


def train_feature_classifier(dataset="fashion_mnist", epochs=DEFAULT_EPOCHS, seed=0, batch_size=128, verbose=2):
    """Train the feature classifier on the training split; return ``(model, test_accuracy)``.

    The test split is used only to report the accuracy, never to choose the model.
    About 10 seconds per epoch on two CPU cores. Used by ``feature_classifier`` (and scripts/train_feature_classifier.py).
    """
    _check_dataset(dataset)
    epochs = check_positive_int(epochs, "epochs")
    keras.utils.set_random_seed(seed)
    train_images, train_labels = load_images(dataset, "train")
    test_images, test_labels = load_images(dataset, "test")
    model = build_feature_classifier()
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    model.fit(train_images, train_labels, batch_size=batch_size, epochs=epochs, verbose=verbose)
    _, test_accuracy = model.evaluate(test_images, test_labels, batch_size=1000, verbose=0)
    # An uncompiled copy: its saved weights then hold no optimizer state (1.7 MB instead of 5 MB).
    trained = build_feature_classifier()
    trained.set_weights(model.get_weights())
    return trained, float(test_accuracy)


def feature_classifier(dataset="fashion_mnist"):
    """Return the trained classifier for ``dataset``, loading it at most once per process.

    Uses the weights shipped in ``gan_utils/weights/`` when there are some; otherwise trains
    a classifier (a few minutes on a CPU) and caches its weights in ``~/.cache/gan_book/``.
    Used by ``extract_features``, ``class_probabilities`` and ``TrainingMonitor``.
    """
    _check_dataset(dataset)
    if dataset in _classifiers:
        return _classifiers[dataset]
    file_name = f"{dataset}_classifier.weights.h5"
    with policy("float32"):  # the measuring stick stays float32, whatever the GANs use
        model = build_feature_classifier()
    for path in (BUNDLED_WEIGHTS_DIR / file_name, CACHE_DIR / file_name):
        if path.exists():
            model.load_weights(path)
            break
    else:
        print(f"No trained classifier for {dataset!r} yet: training one (a few minutes on a CPU) "
              f"and caching its weights in {CACHE_DIR}.")
        start = time.time()
        model, test_accuracy = train_feature_classifier(dataset, verbose=0)
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        model.save_weights(CACHE_DIR / file_name)
        (CACHE_DIR / f"{dataset}_classifier.json").write_text(json.dumps(
            {"dataset": dataset, "test_accuracy": test_accuracy, "epochs": DEFAULT_EPOCHS, "seed": 0}, indent=2))
        print(f"Done in {time.time() - start:.0f} s; test accuracy {test_accuracy:.4f}.")
    _classifiers[dataset] = model
    return model


def extract_features(images, dataset="fashion_mnist", batch_size=1000):
    """The classifier's ``"features"`` activations for each image, float64 of shape (N, 128).

    ``images`` must be float32 (N, 28, 28, 1) in [-1, 1]. Introduced in chapter 4; used in chapter 6
    and the page GANs and diffusion at the same budget.
    """
    images = check_images(images, shape=IMAGE_SHAPE)
    batch_size = check_positive_int(batch_size, "batch_size")
    if dataset not in _feature_extractors:
        classifier = feature_classifier(dataset)
        _feature_extractors[dataset] = keras.Model(classifier.inputs, classifier.get_layer("features").output)
    features = _feature_extractors[dataset].predict(images, batch_size=batch_size, verbose=0)
    return features.astype(np.float64)


def class_probabilities(images, dataset="fashion_mnist", batch_size=1000):
    """The classifier's softmax probabilities, float64 of shape (N, classes). Used by ``classify`` and ``classifier_inception_score``."""
    logits = feature_classifier(dataset).predict(check_images(images, shape=IMAGE_SHAPE), batch_size=batch_size, verbose=0)
    logits = logits.astype(np.float64)
    logits -= logits.max(axis=1, keepdims=True)  # a stable softmax
    probabilities = np.exp(logits)
    return probabilities / probabilities.sum(axis=1, keepdims=True)


def classify(images, dataset="fashion_mnist"):
    """The classifier's predicted label for each image, an int64 array of shape (N,).

    Introduced in A GAN in one cell; used in chapters 4 and 5 and the assignments.
    """
    return class_probabilities(images, dataset).argmax(axis=1).astype(np.int64)
