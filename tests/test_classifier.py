"""gan_utils.classifier: the feature classifier behind the image metrics."""
import numpy as np
import pytest

from gan_utils import classifier, data


@pytest.fixture(scope="module")
def test_split():
    return data.load_images("fashion_mnist", "test")


def test_committed_classifier_reaches_90_percent(test_split):
    images, labels = test_split
    accuracy = (classifier.classify(images) == labels).mean()
    assert accuracy >= 0.90, f"feature classifier test accuracy {accuracy:.4f} < 0.90"


def test_features_and_class_probabilities_of_the_classifier(test_split):
    images, labels = test_split
    features = classifier.extract_features(images[:50])
    assert features.shape == (50, 128) and features.dtype == np.float64
    np.testing.assert_array_equal(features, classifier.extract_features(images[:50]))  # deterministic
    probabilities = classifier.class_probabilities(images[:50])
    assert probabilities.shape == (50, 10)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-9)
    np.testing.assert_array_equal(probabilities.argmax(axis=1), classifier.classify(images[:50]))
    with pytest.raises(ValueError, match=r"127\.5"):
        classifier.extract_features(images[:5] * 255.0)


def test_unknown_dataset_is_a_clear_error():
    with pytest.raises(ValueError, match=r"No feature classifier for dataset 'cifar10'; choose one of .*28x28 grey-scale"):
        classifier.feature_classifier("cifar10")


def test_images_the_classifier_cannot_read_are_refused():
    with pytest.raises(ValueError, match=r"images must have shape \(N, 28, 28, 1\), got shape \(3, 32, 32, 1\)"):
        classifier.classify(np.zeros((3, 32, 32, 1), np.float32))
    with pytest.raises(TypeError, match="to_unit_range"):
        classifier.extract_features(np.zeros((3, 28, 28, 1), np.uint8))


def test_the_classifier_is_built_as_documented():
    model = classifier.build_feature_classifier(num_classes=3, feature_dim=16)
    assert model.output_shape == (None, 3) and model.get_layer("features").output.shape == (None, 16)
    with pytest.raises(ValueError, match="feature_dim must be an integer of at least 1"):
        classifier.build_feature_classifier(feature_dim=0)
