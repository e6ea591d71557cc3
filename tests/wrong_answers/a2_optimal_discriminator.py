"""Wrong answers to assignment 2 (optimal discriminator and JSD) that its autograder tests must catch.

Each body below is put in place of the student's function of the same name (see ``__init__.py``).
From the solution's namespace, not imported: ``integrate``, the quadrature rule the handout defines,
and (question 5) ``data``, ``x``, ``p_data``, ``model_means``, ``c_for_gaussian``, ``value_function``
and ``optimal_discriminator``.
"""
from typing import TYPE_CHECKING

from . import WrongAnswers

if TYPE_CHECKING:  # the solution's namespace, in which each body runs, has these
    import numpy as np
    from gan_utils import data

wrong = WrongAnswers(__name__)


@wrong("q1_optimal_discriminator", "swapped real and fake")
def optimal_discriminator_with_swapped_densities():
    def optimal_discriminator(p_data, p_model):
        return np.asarray(p_model, float) / (np.asarray(p_data, float) + np.asarray(p_model, float))


@wrong("q2_value_function", "missing log")
def value_function_without_log():
    def value_function(discriminator, p_data, p_model, x):
        return float(integrate(p_data * discriminator, x) + integrate(p_model * (1 - discriminator), x))


@wrong("q2_value_function", "flipped sign")
def value_function_with_flipped_sign():
    def value_function(discriminator, p_data, p_model, x):
        return -float(integrate(p_data * np.log(discriminator), x) + integrate(p_model * np.log(1 - discriminator), x))


@wrong("q2_value_function", "swapped real and fake")
def value_function_with_swapped_densities():
    def value_function(discriminator, p_data, p_model, x):
        return float(integrate(p_model * np.log(discriminator), x) + integrate(p_data * np.log(1 - discriminator), x))


@wrong("q3_jensen_shannon", "missing log")
def jensen_shannon_without_log():
    def jensen_shannon(p, q, x):
        m = 0.5 * (p + q)
        return float(0.5 * integrate(p * (p / m), x) + 0.5 * integrate(q * (q / m), x))


@wrong("q3_jensen_shannon", "KL instead of JSD")
def kl_instead_of_jensen_shannon():
    def jensen_shannon(p, q, x):
        with np.errstate(all="ignore"):
            return float(integrate(np.where(p > 0, p * np.log(np.where(p > 0, p, 1) / np.where(q > 0, q, 1e-300)), 0), x))


@wrong("q3_jensen_shannon", "missing the factor 1/2")
def jensen_shannon_without_the_half():
    def jensen_shannon(p, q, x):
        m = 0.5 * (p + q)
        with np.errstate(all="ignore"):
            return float(integrate(p * np.log(p / m), x) + integrate(q * np.log(q / m), x))


@wrong("q3_jensen_shannon", "0 log 0 not handled")
def jensen_shannon_with_nan_for_0_log_0():
    def jensen_shannon(p, q, x):
        m = 0.5 * (p + q)
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(0.5 * integrate(p * np.log(p / m), x) + 0.5 * integrate(q * np.log(q / m), x))


@wrong("q5_moving_the_generator", "best mean of the narrow model taken at 0 (by symmetry)")
def narrow_best_mean_at_zero():
    best_mean_narrow = 0.0  # noqa: F841 (read by the tests from the namespace)


@wrong("q5_moving_the_generator", "the narrow curve computed with the wide model's width")
def narrow_curve_with_the_wide_width():
    c_curve_narrow = np.array([c_for_gaussian(mean, 1.5) for mean in model_means])
    best_mean_narrow = model_means[np.argmin(c_curve_narrow)]  # noqa: F841


@wrong("q5_moving_the_generator", "C(G) through log(1 - D*), -inf for the narrow model")
def c_through_the_optimal_discriminator():
    def c_for_gaussian(mean, std):
        density = data.gaussian_mixture_1d(means=(mean,), stds=(std,)).density(x)
        with np.errstate(divide="ignore"):
            return value_function(optimal_discriminator(p_data, density), p_data, density, x)

    c_curve_wide = np.array([c_for_gaussian(mean, 1.5) for mean in model_means])
    c_curve_narrow = np.array([c_for_gaussian(mean, 0.5) for mean in model_means])
    best_mean_wide = model_means[np.argmin(c_curve_wide)]  # noqa: F841
    best_mean_narrow = model_means[np.argmin(c_curve_narrow)]  # noqa: F841


@wrong("q5_moving_the_generator", "symmetry answer (a) to the explanation")
def explanation_by_symmetry():
    explanation = "a"  # noqa: F841


# Issue 26: each requirement sentence of a question has a wrong answer that breaks it alone.
@wrong("q5_moving_the_generator", "the index of the best mean stored, not the mean")
def best_means_as_indices():
    def c_for_gaussian(mean, std):
        density = data.gaussian_mixture_1d(means=(mean,), stds=(std,)).density(x)
        return -np.log(4) + 2 * jensen_shannon(p_data, density, x)

    c_curve_wide = np.array([c_for_gaussian(mean, 1.5) for mean in model_means])
    c_curve_narrow = np.array([c_for_gaussian(mean, 0.5) for mean in model_means])
    best_mean_wide = int(np.argmin(c_curve_wide))
    best_mean_narrow = int(np.argmin(c_curve_narrow))
