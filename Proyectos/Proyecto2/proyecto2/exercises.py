"""The checks of Proyecto2's three "Para practicar" exercises, one function each.

Each check works out the right answer from the student's own artifacts with
TFDV, tf.Transform or TFMA, and returns a lab_helpers.exercises.Verdict:
PENDING (with what to do) while the exercise is unanswered, then RIGHT or
WRONG, with why.
"""

import tensorflow_data_validation as tfdv
from tensorflow_metadata.proto.v0 import schema_pb2
from tensorflow_model_analysis import constants as tfma_constants
from tensorflow_model_analysis.evaluators import metrics_validator
from tensorflow_model_analysis.utils import config_util
from tfx.types import Artifact

from lab_helpers import artifacts
from lab_helpers.exercises import Verdict
from proyecto2 import evaluation
from proyecto2.features import ISLANDS

NO_ANOMALY = "ninguna"

# Exercise 1: an island missing from the domain.
ISLAND = "island"

# Exercise 2: a new feature. What the shipped preprocessing_fn outputs (tests/test_exercises.py checks that it
# still does): a feature among these is not new.
SHIPPED_OUTPUTS = frozenset({
    "bill_length_mm_xf", "bill_depth_mm_xf", "flipper_length_mm_xf", "body_mass_g_xf", "island_xf", "species_xf",
})


def anomaly_prediction(schema: schema_pb2.Schema, statistics, prediction: str | None) -> Verdict:
    """Exercise 1: is `prediction` (e.g. ENUM_TYPE_UNEXPECTED_STRING_VALUES, or "ninguna") what TFDV finds in island?"""
    domain = sorted(tfdv.get_domain(schema, ISLAND).value)
    if domain == sorted(ISLANDS):
        return Verdict.pending(f"Quita primero una isla del dominio de «{ISLAND}» (descomenta la línea de "
                               "\"Torgersen\").")
    if prediction is None:
        return Verdict.pending(f"Con el dominio {', '.join(domain)}, escribe en `prediccion` la anomalía que esperas "
                               f"en eval (por ejemplo \"ENUM_TYPE_UNEXPECTED_STRING_VALUES\" o \"{NO_ANOMALY}\") y "
                               "ejecuta la celda.")
    found = artifacts.anomaly_types(tfdv.validate_statistics(statistics, schema), ISLAND) or [NO_ANOMALY]
    explanation = f"Con el dominio {', '.join(domain)}, TFDV encuentra en «{ISLAND}» de eval: {', '.join(found)}."
    if prediction in found:
        return Verdict.judged(True, explanation)
    return Verdict.judged(False, f"Predijiste «{prediction}». {explanation} Mira qué islas hay en las estadísticas "
                                 "de eval y cuáles admite tu dominio.")


def transformed_feature(transform_graph, name: str | None) -> Verdict:
    """Exercise 2: is `name` a feature Transform outputs now and the shipped preprocessing_fn did not?"""
    if name is None:
        return Verdict.pending("Añade una feature a preprocessing_fn (proyecto2/preprocessing.py), por ejemplo la "
                               "relación entre largo y profundidad del pico; guarda, ejecuta Transform con "
                               "context.run(transform, enable_cache=False) y escribe su nombre en `nueva_feature`.")
    new = sorted(set(artifacts.transformed_features(transform_graph)) - SHIPPED_OUTPUTS)
    if name in new:
        return Verdict.judged(True, f"Transform produce ahora «{name}», además de las del proyecto. El modelo no la "
                                    "usa mientras features.py no la nombre.")
    why = ("es una de las que ya trae el proyecto" if name in SHIPPED_OUTPUTS else
           "no está entre las salidas de Transform")
    return Verdict.judged(False, f"«{name}» {why}; las nuevas son: {', '.join(new) or 'ninguna todavía'}. Añádela "
                                 "en preprocessing_fn, guarda y vuelve a ejecutar Transform con enable_cache=False.")


def _had_baseline(sliced_metrics: list[tuple]) -> bool:
    """Whether the evaluation compared with a baseline model (its metrics then include the baseline's)."""
    return any(key.model_name == tfma_constants.BASELINE_KEY for _, metrics in sliced_metrics for key in metrics)


def _failure_text(slice_key, failure) -> str:
    name = "Overall" if not slice_key else ", ".join(f"{column}={value}" for column, value in slice_key)
    kind = "cambio frente al modelo base" if failure.metric_key.is_diff else "accuracy"
    return f"{name} ({kind} {failure.metric_value.double_value.value:.3f})"


def blessing_prediction(evaluation_result: Artifact | str, lower_bound: float, prediction: bool | None) -> Verdict:
    """Exercise 3: with accuracy >= `lower_bound`, would the Evaluator bless the model it evaluated?

    The Evaluator's own rule, from TFMA: the notebook's EvalConfig with the
    student's bound, completed as TFX's Evaluator completes it (without a
    baseline model the change threshold does not count), and each slice's
    metrics validated by TFMA's metrics validator.
    """
    if prediction is None:
        return Verdict.pending(f"Escribe en `se_bendice` True o False: ¿bendeciría el Evaluator el modelo con el "
                               f"umbral {lower_bound:g}? Mira la tabla de accuracy por slice antes de ejecutar.")
    sliced_metrics = artifacts.load_sliced_metrics(evaluation_result)
    has_baseline = _had_baseline(sliced_metrics)
    config = config_util.update_eval_config_with_defaults(
        evaluation.eval_config(accuracy_lower_bound=lower_bound), has_baseline=has_baseline, rubber_stamp=True)
    failures = [_failure_text(slice_key, failure) for slice_key, metrics in sliced_metrics
                for validation in [metrics_validator.validate_metrics((slice_key, metrics), config)]
                for per_slice in validation.metric_validations_per_slice for failure in per_slice.failures]
    blessed = bool(sliced_metrics) and not failures
    rule = (f"accuracy >= {lower_bound:g} en cada slice y, como había modelo base, no perder más de "
            f"{evaluation.ACCURACY_MAX_DROP:g} frente a él" if has_baseline else
            f"accuracy >= {lower_bound:g} en cada slice (sin modelo base, el umbral de cambio no cuenta)")
    reason = "todos los slices lo cumplen" if blessed else f"no lo cumplen: {'; '.join(sorted(failures))}"
    explanation = f"El Evaluator {'lo bendeciría' if blessed else 'no lo bendeciría'}. Regla: {rule}; {reason}."
    if prediction == blessed:
        return Verdict.judged(True, explanation)
    return Verdict.judged(False, f"Predijiste que {'sí' if prediction else 'no'} se bendeciría. {explanation}")
