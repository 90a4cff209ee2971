"""The check of ProyectoN's "Para practicar" exercise: a feature of the student's own in preprocessing_fn.

The check reads the transformed schema of the student's own TransformGraph with
tf.Transform and returns a lab_helpers.exercises.Verdict: PENDING (with what to
do) while the exercise is unanswered, then RIGHT or WRONG, with why. A new
Proyecto's exercises go here, one function each, next to this one.
"""

from lab_helpers import artifacts
from lab_helpers.exercises import Verdict
from proyectoN.features import FEATURE_KEYS, LABEL_KEY, transformed_name

# What the shipped preprocessing_fn outputs (tests/test_exercises.py checks that it still does): a feature among
# these is not new.
SHIPPED_OUTPUTS = frozenset(transformed_name(key) for key in (*FEATURE_KEYS, LABEL_KEY))


def new_feature(transform_graph, name: str | None) -> Verdict:
    """Is `name` a feature Transform outputs now and the shipped preprocessing_fn did not?"""
    if name is None:
        return Verdict.pending("Añade una feature a preprocessing_fn (proyectoN/preprocessing.py), guarda, ejecuta "
                               "Transform con context.run(transform, enable_cache=False) y escribe su nombre en "
                               "`nueva_feature`.")
    features = artifacts.transformed_features(transform_graph)
    if name in SHIPPED_OUTPUTS:
        return Verdict.judged(False, f"«{name}» ya la produce el preprocessing_fn del proyecto: añade una nueva.")
    if name not in features:
        return Verdict.judged(False, f"«{name}» no está en el esquema transformado ({', '.join(features)}). Añádela "
                                     "en preprocessing_fn, guarda el módulo y vuelve a ejecutar Transform con "
                                     "enable_cache=False.")
    return Verdict.judged(True, f"«{name}» es nueva y está en el esquema transformado, con las demás: "
                                f"{', '.join(features)}.")
