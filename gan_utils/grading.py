"""Grading for the assignments' autograder tests: comparisons that say, in one sentence, how an
answer differs from the reference, and guards that catch an answer that calls the library's
own solution instead of writing it (in its source and at run time), a log of the calls an answer
makes (which data and which noise each step got, in which order, also inside ``tf.function``) and
one-sentence explanations of the Keras errors a wrong structure causes.

The handouts import this module from the installed package (on Colab too), so it lives in
``gan_utils`` rather than in the tests. Introduced in the assignments.
"""
import re

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


def compare_functions(student_fn, reference_fn, inputs, rtol=1e-4, atol=1e-5, name=None, forbidden=()):
    """Call both functions on each tuple of ``inputs``; raise AssertionError at the first difference.

    The message is one sentence naming the function, the input and what differs. With
    ``forbidden`` (dotted names, see ``shortcuts_trapped``) the student's function runs with
    those library parts replaced by traps, so an answer that calls the reference fails.
    Introduced in the assignments (their autograder tests).
    """
    import contextlib

    name = name or getattr(reference_fn, "__name__", "the function")
    for index, args in enumerate(inputs):
        args = args if isinstance(args, tuple) else (args,)
        try:
            with shortcuts_trapped(forbidden) if forbidden else contextlib.nullcontext():
                got = student_fn(*args)
        except LibraryShortcut as error:
            raise LibraryShortcut(f"{name}: {error}") from None
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


# ---------------------------------------------------------------- no shortcut through the library
class LibraryShortcut(AssertionError):
    """Raised when a student's function reaches a part of ``gan_utils`` that the question asks
    them to write themselves. Used by ``shortcuts_trapped`` and ``assert_no_shortcut``."""


_DYNAMIC_IMPORTS = ("__import__", "importlib", "import_module", "find_spec", "exec", "eval")


def _resolve(target):
    """(module, attribute name or None) for a dotted name such as ``gan_utils.losses`` or
    ``gan_utils.training.GAN``."""
    import importlib

    try:
        return importlib.import_module(target), None
    except ImportError:
        module_name, _, attribute = target.rpartition(".")
        module = importlib.import_module(module_name)
        if not hasattr(module, attribute):
            raise ValueError(f"{target!r}: {module_name} has no attribute {attribute!r}; name a module of "
                             "gan_utils or one of its functions or classes.") from None
        return module, attribute


def _forbidden_objects(forbidden):
    """{id(object): dotted name} of every function, class and module that ``forbidden`` names."""
    import inspect

    if isinstance(forbidden, str):
        forbidden = [forbidden]
    objects = {}
    for target in forbidden:
        module, attribute = _resolve(target)
        if attribute is None:
            objects[id(module)] = target
            for name, value in vars(module).items():
                if (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__ == module.__name__:
                    objects[id(value)] = f"{target}.{name}"
        else:
            objects[id(getattr(module, attribute))] = target
    return objects


def _code_objects(code):
    yield code
    for constant in code.co_consts:
        if hasattr(constant, "co_names"):
            yield from _code_objects(constant)


def library_shortcuts(function, forbidden):
    """The ways ``function`` reaches the library parts ``forbidden`` names; an empty list if none.

    ``forbidden`` is a dotted name or a list of them: a module (``"gan_utils.losses"``: all of
    its functions and classes) or one object (``"gan_utils.training.GAN"``). Two checks,
    neither of which runs ``function``:

    * its source (when Python can find it, as in a notebook) must not import a forbidden module
      or object, under any alias, nor use ``__import__``, ``importlib``, ``sys.modules``,
      ``exec`` or ``eval``;
    * every global name its code (nested functions included) uses, and every variable it closes
      over, must not be a forbidden object, the module holding it or a package above it;
      functions of the same notebook that it calls are checked the same way.

    ``shortcuts_trapped`` catches at run time what hides from both.
    Used by ``assert_no_shortcut``.
    """
    import ast
    import inspect
    import textwrap
    import types

    if isinstance(forbidden, str):
        forbidden = [forbidden]
    objects = _forbidden_objects(forbidden)
    whole = {target for target in forbidden if _resolve(target)[1] is None}  # modules forbidden whole
    modules = whole | {target.rpartition(".")[0] for target in forbidden if target not in whole}  # and holders
    packages = {".".join(name.split(".")[:i]) for name in modules for i in range(1, name.count(".") + 1)}
    problems = []

    def forbidden_module(name):
        return any(name == module or name.startswith(module + ".") for module in whole)

    def check_source(func):
        try:
            source = textwrap.dedent(inspect.getsource(func))
            tree = ast.parse(source)
        except (OSError, TypeError, SyntaxError, IndentationError):
            return
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if forbidden_module(alias.name) or alias.name in packages:
                        problems.append(f"it imports {alias.name}" + (f" as {alias.asname}" if alias.asname else ""))
            elif isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    if forbidden_module(node.module) or forbidden_module(f"{node.module}.{alias.name}") \
                            or f"{node.module}.{alias.name}" in forbidden:
                        problems.append(f"it imports {alias.name} from {node.module}")
            elif isinstance(node, ast.Name) and node.id in _DYNAMIC_IMPORTS:
                problems.append(f"it uses {node.id}")
            elif isinstance(node, ast.Attribute) and (node.attr in ("import_module", "find_spec") or (
                    node.attr == "modules" and isinstance(node.value, ast.Name) and node.value.id == "sys")):
                problems.append(f"it uses .{node.attr}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and any(
                    node.value == name or node.value.startswith(name + ".") for name in modules | packages):
                problems.append(f"it names the module {node.value!r} in a string")

    seen = set()

    def check_values(func, depth):
        if id(func) in seen or depth > 4:
            return
        seen.add(id(func))
        check_source(func)
        code = getattr(func, "__code__", None)
        if code is None:
            return
        names = {name for each in _code_objects(code) for name in each.co_names}
        values = [(name, func.__globals__.get(name)) for name in sorted(names) if name in func.__globals__]
        for name, cell in zip(code.co_freevars, func.__closure__ or ()):
            try:
                values.append((name, cell.cell_contents))
            except ValueError:  # an empty cell
                pass
        for name, value in values:
            if id(value) in objects:
                problems.append(f"it uses {name}, which is {objects[id(value)]}")
            elif isinstance(value, types.ModuleType) and (value.__name__ in modules | packages
                                                          or forbidden_module(value.__name__)):
                problems.append(f"it uses {name}, which is the module {value.__name__}")
            elif isinstance(value, types.FunctionType) and value.__globals__ is func.__globals__:
                check_values(value, depth + 1)  # a helper of the student's, in the same notebook

    check_values(function, 0)
    return list(dict.fromkeys(problems))


def assert_no_shortcut(function, forbidden, name=None):
    """Raise AssertionError, with one sentence per way found, if ``function`` reaches the library
    parts ``forbidden`` names (``library_shortcuts``). Introduced in the assignments (their
    tests); also used by ``call_without_shortcuts``."""
    name = name or getattr(function, "__name__", "the function")
    problems = library_shortcuts(function, forbidden)
    if problems:
        wanted = ", ".join([forbidden] if isinstance(forbidden, str) else list(forbidden))
        raise LibraryShortcut(f"{name} must not use the course's reference ({wanted}): write it yourself. "
                              f"Found: {'; '.join(problems)}.")
    return True


class shortcuts_trapped:  # noqa: N801 (used like a function: ``with shortcuts_trapped(...)``)
    """Context manager: while it is active, the library functions and classes ``forbidden`` names
    are replaced, in their modules, by traps that raise ``LibraryShortcut`` when called.

    Whatever way a student's function reaches them (``module.function``,
    ``importlib.import_module(...)``, ``getattr(__import__(...), ...)``), it gets the trap; a
    name bound earlier is caught by ``library_shortcuts`` instead. Run only the student's code
    inside it, never the reference's::

        with grading.shortcuts_trapped("gan_utils.losses"):
            value = student_loss(logits)

    Introduced in the assignments (their tests).
    """

    def __init__(self, forbidden):
        import inspect

        self.forbidden = [forbidden] if isinstance(forbidden, str) else list(forbidden)
        self._replaced = []
        for target in self.forbidden:
            module, attribute = _resolve(target)
            if attribute is None:
                names = [name for name, value in vars(module).items()
                         if (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__ == module.__name__]
                self._replaced += [(module, name, f"{target}.{name}") for name in names]
            else:
                self._replaced.append((module, attribute, target))
        self._originals = []

    @staticmethod
    def _trap(dotted):
        def trap(*args, **kwargs):
            raise LibraryShortcut(f"{dotted} is the course's reference, which this question asks you to write "
                                  "yourself: do not call it (not through importlib either).")

        trap.__name__ = dotted.rpartition(".")[2]
        return trap

    def __enter__(self):
        self._originals = [(module, name, getattr(module, name)) for module, name, _ in self._replaced]
        for module, name, dotted in self._replaced:
            setattr(module, name, self._trap(dotted))
        return self

    def __exit__(self, *exc_info):
        for module, name, original in self._originals:
            setattr(module, name, original)
        self._originals = []
        return False


def call_without_shortcuts(function, forbidden, *args, **kwargs):
    """``function(*args, **kwargs)`` inside ``shortcuts_trapped(forbidden)``, after
    ``assert_no_shortcut``. Introduced in the assignments (their tests)."""
    assert_no_shortcut(function, forbidden)
    with shortcuts_trapped(forbidden):
        return function(*args, **kwargs)


# ---------------------------------------------------------------- what an answer did, in order
class calls_recorded:  # noqa: N801 (used like a function: ``with calls_recorded(...) as calls:``)
    """Context manager: while it is active, the functions that ``function`` reaches by the global
    names ``names`` are wrapped so that every call is logged, in the order it runs, before the
    original runs. ``calls`` (what ``with`` binds) is a list of ``(name, arguments)``, where
    ``arguments`` maps each parameter's name to what the call passed (defaults filled in):
    tensors and arrays as NumPy arrays, everything else as is; after an eager call ``"returned"``
    holds what it returned.

    The log is written at run time, also inside ``tf.function`` (through ``tf.py_function``), so
    it shows the values each call really got: noise drawn with NumPy inside a compiled function
    is the same array on every call. The question's own functions are found in the notebook's
    namespace, so an answer that calls them under another name is not seen (``calls`` stays
    empty for them; the test says which function to call)::

        with grading.calls_recorded(train_iteration, ["discriminator_step", "generator_step"]) as calls:
            train_iteration(...)

    Introduced in the assignments (their tests).
    """

    def __init__(self, function, names):
        self.namespace = getattr(function, "__globals__", None)
        if self.namespace is None:
            raise TypeError(f"calls_recorded needs a Python function, got {type(function).__name__}.")
        missing = [name for name in names if not callable(self.namespace.get(name))]
        if missing:
            raise AssertionError(f"define {', '.join(missing)} first: this question uses it.")
        self.names = list(names)
        self.calls = []
        self._originals = {}

    def _wrap(self, name, original):
        import inspect

        import tensorflow as tf

        signature = inspect.signature(original)

        def recorder(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as error:
                raise AssertionError(f"{name} was called with the wrong arguments: {error}.") from None
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            tensor_names = [key for key, value in arguments.items() if tf.is_tensor(value) or isinstance(value, np.ndarray)]

            def log(*values):
                logged = dict(arguments)
                logged.update({key: value.numpy() for key, value in zip(tensor_names, values)})
                self.calls.append((name, logged))

            tensors = [tf.convert_to_tensor(arguments[key]) for key in tensor_names]
            if tf.executing_eagerly():
                log(*tensors)
            else:  # inside tf.function: log the values the call gets when the graph runs
                tf.py_function(log, tensors, Tout=[])
            result = original(*args, **kwargs)
            if tf.executing_eagerly() and self.calls and self.calls[-1][0] == name:
                self.calls[-1][1]["returned"] = result  # what the call returned (eager calls only)
            return result

        recorder.__name__ = name
        return recorder

    def __enter__(self):
        self._originals = {name: self.namespace[name] for name in self.names}
        for name, original in self._originals.items():
            self.namespace[name] = self._wrap(name, original)
        return self.calls

    def __exit__(self, *exc_info):
        self.namespace.update(self._originals)
        self._originals = {}
        return False


def explain_keras_error(error, shape_hint=""):
    """One sentence for the Keras errors that a wrong answer's structure causes, naming the cause
    (``None`` for any other error). Keras's own text dumps a weight matrix or a layer's spec.
    ``shape_hint`` ends the sentence about a wrong input shape (what the question's data look like).
    Introduced in the assignments (their tests)."""
    text = str(error)
    if "Unknown variable" in text or "can only be called for the variables it was originally built with" in text:
        return ("one optimizer was asked to update variables it was not built for: each player needs its own "
                "optimizer (d_optimizer only for the discriminator's variables, g_optimizer only for the "
                "generator's), and an optimizer sees only the variables of the network it trains.")
    found = re.search(r"expected shape=\(([^)]*)\), found shape=\(([^)]*)\)", text)
    if found:
        return (f"a network was called on a tensor of shape ({found[2]}), but it takes a batch of shape "
                f"({found[1]})" + (f": {shape_hint}" if shape_hint else "") + ".")
    return None



def optimizer_trains(optimizer, model):
    """Whether the Keras ``optimizer`` was built for exactly ``model``'s trainable variables (it
    reads Keras 3's ``optimizer._trainable_variables``, which ``build`` sets; an optimizer that has
    taken no step is not built). Introduced in the assignments (their tests)."""
    built = getattr(optimizer, "_trainable_variables", None) or []
    return bool(built) and {id(v) for v in built} == {id(v) for v in model.trainable_variables}


def other_optimizers_of(model, besides=()):
    """The Keras optimizers alive in this process, other than those in ``besides``, that were built
    for any of ``model``'s trainable variables: an answer that trained a network with an optimizer
    it did not hand in (to stay inside a step budget read from the handed-in one) leaves one.
    Introduced in the assignments (their tests)."""
    import gc

    import keras

    gc.collect()  # optimizers of finished runs that only a reference cycle keeps
    variables = {id(v) for v in model.trainable_variables}
    besides = {id(optimizer) for optimizer in besides}
    return [candidate for candidate in gc.get_objects()
            if isinstance(candidate, keras.optimizers.Optimizer) and id(candidate) not in besides
            and variables & {id(v) for v in (getattr(candidate, "_trainable_variables", None) or [])}]
