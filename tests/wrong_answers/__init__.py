"""Wrong answers that the autograder tests of each assignment must catch, one module per master.

``NAME.py`` here belongs to the master ``notebooks/assignments/NAME.ipynb`` and registers its
wrong answers on ``wrong = WrongAnswers(__name__)``. ``tests/test_assignments.py`` puts each one
into a copy of the solution's namespace at the check cell of its question, in place of the
student's code, and demands that at least one test of that question fails (while the solution
passes them). A wrong answer is a function whose *body* is the code put in place, usually the
student's function defined again with one bug::

    @wrong("q1_discriminator_loss", "swapped real and fake labels")
    def discriminator_loss_with_swapped_labels():
        def minimax_discriminator_loss(real_logits, fake_logits):
            ...

The decorator keeps the source of the body (dedented; the decorator and ``def`` lines left out)
and returns the function unchanged; nothing calls it. The body is executed in the solution's
namespace, so it may use every name the solution defined (``tf``, ``noise_dim``, the student's
other functions, ...); the modules import what they can only for readers and linters. The outer
function exists because several wrong answers redefine the same student function, which one
module cannot do twice at its top level without linters objecting, and because a body may
define more than one name. Two plain calls register the rest:

* ``wrong.code(question, label, code)``: code given as a string (for a bare assignment);
* ``wrong.from_handout(question, label, function)``: the handout's own version of ``function``.

Options, the same for all three: ``only`` (run only this test function of the question),
``namespace_until`` (take the namespace at this question's check cell instead), ``setup``
(code run in that namespace first, for the solution and the wrong answer alike) and ``expect``
(text that the message of a failing test must contain: the failure names the real cause). The test's id
is ``ASSIGNMENT-QUESTION-LABEL``, so a label is unique within its question.
"""
import ast
import importlib
import inspect
import textwrap
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WrongAnswer:
    """``code`` replaces the solution of ``question`` (or, with ``from_handout``, the handout's
    version of that function is used); see the module's docstring for the options."""

    assignment: str
    question: str
    label: str
    code: str = ""
    from_handout: str = ""
    only: str = ""
    namespace_until: str = ""
    setup: str = ""
    expect: str = ""

    @property
    def id(self):
        return f"{self.assignment}-{self.question}-{self.label}"


class WrongAnswers(list):
    """The wrong answers of one assignment (module ``__name__``), in the order registered."""

    def __init__(self, module_name):
        super().__init__()
        self.assignment = module_name.rpartition(".")[2]

    def __call__(self, question, label, **options):
        """Decorator: the body of the decorated function is the wrong answer's code."""
        def register(function):
            self._add(question, label, code=body_source(function), **options)
            return function

        return register

    def code(self, question, label, code, **options):
        self._add(question, label, code=textwrap.dedent(code), **options)

    def from_handout(self, question, label, function, **options):
        self._add(question, label, from_handout=function, **options)

    def _add(self, question, label, **fields):
        answer = WrongAnswer(self.assignment, question, label, **fields)
        if any(other.id == answer.id for other in self):
            raise ValueError(f"two wrong answers with the id {answer.id!r}: give one another label")
        self.append(answer)


def body_source(function):
    """The source of ``function``'s body, dedented, without its decorators and ``def`` line."""
    source = textwrap.dedent(inspect.getsource(function))
    definition = ast.parse(source).body[0]
    arguments = definition.args
    if arguments.posonlyargs or arguments.args or arguments.vararg or arguments.kwonlyargs or arguments.kwarg:
        raise TypeError(f"{function.__name__}: a wrong answer's function takes no arguments; its body is the code")
    if definition.body[0].lineno == definition.lineno:
        raise ValueError(f"{function.__name__}: put the body on the lines below the def")
    lines = source.splitlines(keepends=True)[definition.lineno:definition.end_lineno]  # lineno: the def line
    return textwrap.dedent("".join(lines))


def assignments():
    """The assignments that have a module of wrong answers here (named like their masters)."""
    return sorted(path.stem for path in Path(__file__).parent.glob("*.py") if not path.name.startswith("_"))


def of(assignment):
    """The wrong answers of ``assignment``: the ``wrong`` of its module."""
    return list(importlib.import_module(f"{__name__}.{assignment}").wrong)
