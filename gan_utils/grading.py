"""Comparisons for the graded assignments' autograder tests: one sentence per kind of error.

The handouts import this module from the installed package (on Colab too), so it lives in
``gan_utils`` rather than in the tests. Introduced in the assignments.
"""
import numpy as np

def describe_difference(student, reference, rtol=1e-4, atol=1e-5, what="the result"):
    """Return ``None`` if the arrays agree, else one sentence saying how they differ.

    Introduced in the assignments (their autograder tests).
    """
    student = np.asarray(student, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if student.shape != reference.shape:
        return f"{what} has shape {student.shape}, expected {reference.shape}."
    if not np.all(np.isfinite(student)):
        return f"{what} contains NaN or infinite values (a log of 0 or of a negative number?)."
    if np.allclose(student, reference, rtol=rtol, atol=atol):
        return None
    if np.allclose(student, -reference, rtol=rtol, atol=atol):
        return f"{what} has the opposite sign of the expected value (a flipped sign?)."
    worst = int(np.argmax(np.abs(student - reference)))
    return (
        f"{what} differs from the expected value: at position {tuple(int(i) for i in np.unravel_index(worst, reference.shape))} "
        f"got {student.flat[worst]:.6g}, expected {reference.flat[worst]:.6g}."
    )


def compare_functions(student_fn, reference_fn, inputs, rtol=1e-4, atol=1e-5, name=None):
    """Call both functions on each tuple of ``inputs``; raise AssertionError at the first difference.

    The message is one sentence naming the function, the input and what differs.
    Introduced in the assignments (their autograder tests).
    """
    name = name or getattr(reference_fn, "__name__", "the function")
    for index, args in enumerate(inputs):
        args = args if isinstance(args, tuple) else (args,)
        try:
            got = student_fn(*args)
        except Exception as error:
            raise AssertionError(f"{name} raised {type(error).__name__}: {error} on test input {index}.") from None
        if got is None:
            raise AssertionError(f"{name} returned None on test input {index}; did you forget `return`?")
        expected = reference_fn(*args)
        got = got.numpy() if hasattr(got, "numpy") else got
        expected = expected.numpy() if hasattr(expected, "numpy") else expected
        message = describe_difference(got, expected, rtol, atol, what=f"{name} on test input {index}")
        if message:
            raise AssertionError(message)
    return True
