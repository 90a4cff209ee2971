"""The bodies /docs shows for POST /models/{name}/predict carry exactly the features of each model's Proyecto."""

import ast
from pathlib import Path

import pytest

from harness.repo import ROOT

SERVING = ROOT / "services" / "serving" / "penguin_serving"


def literal(path: Path, name: str):
    """The value of a module-level `name = <literal>` (tuples joined with + included), read without importing."""
    values = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            expression = node.value
            if isinstance(expression, ast.BinOp):  # e.g. NUMERIC_FEATURES + CATEGORICAL_FEATURES
                values[node.targets[0].id] = values[expression.left.id] + values[expression.right.id]
            else:
                try:
                    values[node.targets[0].id] = ast.literal_eval(expression)
                except ValueError:
                    continue
    assert name in values, f"{path} has no literal {name}"
    return values[name]


PIPELINES = literal(SERVING / "models.py", "PIPELINES")


@pytest.mark.parametrize("model", sorted(PIPELINES))
def test_each_model_example_has_its_proyecto_features(model):
    """The example has one value per feature of features.py: a number for a numeric one, text for a category."""
    proyecto = PIPELINES[model]
    features = ROOT / "Proyectos" / proyecto / proyecto.lower() / "features.py"
    numeric, categorical = literal(features, "NUMERIC_FEATURES"), literal(features, "CATEGORICAL_FEATURES")
    examples = literal(SERVING / "examples.py", "PREDICT_EXAMPLES")
    assert model in examples, f"/docs has no example body for {model} ({proyecto})"
    [instance] = examples[model]["value"]["instances"]
    assert sorted(instance) == sorted(numeric + categorical), f"{model}: {sorted(instance)}"
    wrong = [k for k in numeric if not isinstance(instance[k], int | float)]
    wrong += [k for k in categorical if not isinstance(instance[k], str)]
    assert not wrong, f"{model}: wrong types for {wrong}"
