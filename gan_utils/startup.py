"""Import TensorFlow without its start-up noise in the student's notebook.

TensorFlow's CUDA-enabled wheels print, on any machine without a GPU driver (a laptop, Colab's
CPU runtime), a few lines from C++ to the process's standard error: absl's "All log messages
before absl::InitializeLog()", "Could not find cuda drivers", a red "failed call to cuInit" when
the first device is set up, and oneDNN/CPU-feature notices. Jupyter shows them in the first cell
that touches TensorFlow, where they read like errors. ``TF_CPP_MIN_LOG_LEVEL`` cannot silence
the first ones (they are printed before it is read), so this module imports TensorFlow and sets
up its devices with standard error sent to a temporary file, then prints back every line that is
not one of those known notices: a real error still shows. It does so when it is imported, which
``import gan_utils`` does before anything else; every page and assignment imports gan_utils
first, in its set-up cell.
"""
import os
import re
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's later INFO/WARNING lines

KNOWN_NOTICES = re.compile(
    r"absl::InitializeLog\(\)|cudart_stub\.cc|failed call to cuInit|Could not find cuda drivers"
    r"|cpu_feature_guard\.cc|oneDNN custom operations are on|rebuild TensorFlow with the appropriate compiler flags"
    r"|Unable to register cu(DNN|FFT|BLAS) factory|TF-TRT Warning: Could not find TensorRT")


def _import_tensorflow_quietly():
    """Imports TensorFlow and initialises its devices; re-prints start-up lines that are not notices."""
    if "tensorflow" in sys.modules:  # imported before gan_utils: its lines are already out
        return
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no standard error to redirect (an embedded interpreter): import plainly
        import tensorflow  # noqa: F401
        return
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import tensorflow as tf

            tf.config.list_physical_devices()  # sets up the devices now, so cuInit's notice is caught
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            text = captured.read().decode(errors="replace")
    kept = [line for line in text.splitlines() if line.strip() and not KNOWN_NOTICES.search(line)]
    if kept:
        print("\n".join(kept), file=sys.stderr)


_import_tensorflow_quietly()
