"""Train the small classifier behind the course's classifier FID, and save its weights.

    python scripts/train_feature_classifier.py                # Fashion-MNIST, into gan_utils/weights/
    python scripts/train_feature_classifier.py --dataset mnist --epochs 5  # Colab trains it itself

The notebooks never retrain it: gan_utils.classifier.feature_classifier loads these weights
(shipped with the package). tests/test_metrics.py checks the accuracy of whatever weights
are used.
"""
import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from gan_utils import classifier  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="fashion_mnist", choices=classifier.CLASSIFIER_DATASETS)
    parser.add_argument("--epochs", type=int, default=classifier.DEFAULT_EPOCHS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=classifier.BUNDLED_WEIGHTS_DIR)
    args = parser.parse_args()
    started = time.time()
    model, test_accuracy = classifier.train_feature_classifier(args.dataset, epochs=args.epochs, seed=args.seed)
    seconds = time.time() - started
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_weights(args.out / f"{args.dataset}_classifier.weights.h5")
    record = {"dataset": args.dataset, "test_accuracy": round(test_accuracy, 4), "epochs": args.epochs,
              "seed": args.seed, "training_seconds": round(seconds)}
    (args.out / f"{args.dataset}_classifier.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"test accuracy {test_accuracy:.4f} after {args.epochs} epochs in {seconds:.0f} s -> {args.out}")


if __name__ == "__main__":
    main()
