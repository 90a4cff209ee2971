"""Proyecto2's notebook pushes a blessed model to the shared volume and refuses the worse one."""

import json

import pytest

from harness.compose import MLMD_READONLY

pytestmark = pytest.mark.e2e

# Lists, read-only from another container, what each Pusher and Evaluator of a pipeline decided, run by run.
DECISIONS = MLMD_READONLY + """
def decisions(type_name, prop):
    found = collections.defaultdict(list)
    for a in store.get_artifacts_by_type(type_name):
        found[a.uri.split("/artifacts/")[1].split("/")[0]].append(a.custom_properties[prop].int_value)
    return found
versions = [a.custom_properties["pushed_version"].string_value for a in store.get_artifacts_by_type("PushedModel")
            if a.custom_properties["pushed"].int_value]
print(json.dumps({"pushed": decisions("PushedModel", "pushed"), "blessed": decisions("ModelBlessing", "blessed"),
                  "versions": versions}))
"""


def versions(stack) -> list[str]:
    """The model versions in /tfx/serving/penguins, as the serving container sees them."""
    listing = stack.exec("serving", "ls", "/tfx/serving/penguins").stdout.split()
    return sorted(v for v in listing if v.isdigit())


def test_a_model_version_is_pushed(stack, executed_notebooks):
    """The notebook's blessed model is a complete SavedModel under /tfx/serving/penguins/<version>/."""
    pushed = versions(stack)
    assert pushed, "no model version in /tfx/serving/penguins after running Proyecto2.ipynb"
    files = stack.exec("serving", "ls", f"/tfx/serving/penguins/{pushed[-1]}").stdout.split()
    assert {"saved_model.pb", "variables"} <= set(files), files


def test_worse_configuration_is_neither_blessed_nor_pushed(stack, executed_notebooks):
    """In the notebook's ML Metadata every good model is blessed and pushed, every worse one is neither.

    The notebook may have run more than once in the session (the browser test runs it too).
    """
    result = stack.exec("serving", "python", "-c", DECISIONS, "/tfx/proyecto2-notebook/metadata.sqlite")
    decisions = json.loads(result.stdout.strip().splitlines()[-1])
    blessed, pushed = decisions["blessed"], decisions["pushed"]
    assert blessed.get("Evaluator") and all(blessed["Evaluator"]), decisions
    assert blessed.get("Evaluator_worse") and not any(blessed["Evaluator_worse"]), decisions
    assert pushed.get("Pusher") and all(pushed["Pusher"]), decisions
    assert pushed.get("Pusher_worse") and not any(pushed["Pusher_worse"]), decisions
    assert sorted(decisions["versions"]) == versions(stack), (
        f"the serving folder should hold exactly the blessed pushes: {versions(stack)} vs {decisions['versions']}")


def test_unit_tests_pass_in_the_image(stack):
    """Proyecto2's own unit tests (preprocessing_fn, run_fn on a tiny dataset, schema, thresholds) pass."""
    stack.run_unit_tests("proyecto2")
