"""gan_utils.startup keeps TensorFlow's start-up notices out of a notebook, and nothing else.

Each check runs in a fresh interpreter, as a notebook's kernel starts: once with the real
TensorFlow (its known notices must be gone) and once with a stand-in `tensorflow` module that
writes a notice and a real error to the process's standard error (the error must come back)."""
import subprocess
import sys
import textwrap
from pathlib import Path

STARTUP = Path(__file__).resolve().parents[1] / "gan_utils" / "startup.py"
LOAD_STARTUP = textwrap.dedent(f"""
    import importlib.util
    spec = importlib.util.spec_from_file_location("startup", {str(STARTUP)!r})
    startup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(startup)
""")


def run_python(code, tmp_path):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300)


def test_importing_gan_utils_prints_none_of_tensorflows_start_up_notices(tmp_path):
    result = run_python("import gan_utils, tensorflow as tf; print(float(tf.constant(1.0) + 1))", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2.0"
    assert result.stderr.strip() == "", f"start-up lines reached the notebook: {result.stderr[:500]}"


def test_a_line_that_is_not_a_known_notice_is_printed_back(tmp_path):
    (tmp_path / "tensorflow").mkdir()
    (tmp_path / "tensorflow" / "__init__.py").write_text(textwrap.dedent("""
        import os
        os.write(2, b"I0000 cudart_stub.cc:31] Could not find cuda drivers on your machine.\\n")
        os.write(2, b"E0000 some_kernel.cc:12] a real failure the reader must see\\n")
        class config:
            @staticmethod
            def list_physical_devices():
                os.write(2, b"E0000 cuda_platform.cc:52] failed call to cuInit: UNKNOWN ERROR (303)\\n")
                return []
    """))
    result = run_python(f"import sys; sys.path.insert(0, '.')\n{LOAD_STARTUP}\npass  # loading the module imports the stand-in quietly",
                        tmp_path)
    assert result.returncode == 0, result.stderr
    assert "a real failure the reader must see" in result.stderr
    assert "cudart_stub" not in result.stderr and "cuInit" not in result.stderr
