"""How long the book's metrics take on this CPU: classifier FID, precision/recall, classifier IS.

The gan_utils issue asks for a classifier FID of 10,000 samples in a few seconds on a CPU.
Both sides here are real Fashion-MNIST images (10,000 test against 10,000 training images), so
the numbers also give the metric's floor at this sample size. The classifier is loaded (and
its first call traced) before timing; each timing is the median of ``--repeats`` runs.

    python benchmarks/metric_speed.py
"""
import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from gan_utils import classifier, data, metrics  # noqa: E402


def median_seconds(function, repeats):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return float(np.median(times)), result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    real, _ = data.load_images("fashion_mnist", "test", limit=args.samples)
    other, _ = data.load_images("fashion_mnist", "train", limit=args.samples)
    classifier.extract_features(real[:1000])  # loads the classifier and traces it
    features_real = classifier.extract_features(real)
    features_other = classifier.extract_features(other)
    rows = [
        ("classifier FID (features of both sides + Frechet distance)",
         *median_seconds(lambda: metrics.classifier_fid(real, other), args.repeats)),
        ("  of which: features of one side", *median_seconds(lambda: classifier.extract_features(other), args.repeats)),
        ("  of which: Frechet distance of 128-d features",
         *median_seconds(lambda: metrics.frechet_distance(features_real, features_other), args.repeats)),
        ("precision/recall (k = 3) on the features",
         *median_seconds(lambda: metrics.precision_recall(features_real, features_other), args.repeats)),
        ("classifier Inception Score", *median_seconds(lambda: metrics.classifier_inception_score(other), args.repeats)),
    ]
    print(f"{args.samples:,} vs {args.samples:,} images, median of {args.repeats} runs\n")
    print("| metric | seconds | value |\n|---|---|---|")
    for name, seconds, value in rows:
        shown = ", ".join(f"{v:.3f}" for v in value) if isinstance(value, tuple) else (
            f"{value:.3f}" if np.ndim(value) == 0 else f"{value.shape} array")
        print(f"| {name} | {seconds:.2f} | {shown} |")


if __name__ == "__main__":
    main()
