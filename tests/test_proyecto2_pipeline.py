"""Proyecto2's notebook pushes a blessed model to the shared volume and refuses the worse one."""

import pytest

pytestmark = pytest.mark.e2e


def decisions(store: dict) -> dict:
    """What each Evaluator blessed and each Pusher pushed, run by run, by component; and the pushed versions."""
    found = {"blessed": {}, "pushed": {}, "versions": []}
    for artifact in store["artifacts"]:
        if artifact["type"] == "ModelBlessing":
            found["blessed"].setdefault(artifact["component"], []).append(artifact["custom_properties"]["blessed"])
        if artifact["type"] == "PushedModel":
            pushed = artifact["custom_properties"]["pushed"]
            found["pushed"].setdefault(artifact["component"], []).append(pushed)
            if pushed:
                found["versions"].append(artifact["custom_properties"]["pushed_version"])
    return found


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
    found = decisions(stack.metadata("/tfx/proyecto2-notebook/metadata.sqlite", reader="serving"))
    blessed, pushed = found["blessed"], found["pushed"]
    assert blessed.get("Evaluator") and all(blessed["Evaluator"]), found
    assert blessed.get("Evaluator_worse") and not any(blessed["Evaluator_worse"]), found
    assert pushed.get("Pusher") and all(pushed["Pusher"]), found
    assert pushed.get("Pusher_worse") and not any(pushed["Pusher_worse"]), found


def test_serving_folder_holds_exactly_the_blessed_pushes(stack, executed_notebooks, headless_runs):
    """Every version in /tfx/serving/penguins was pushed by a blessed run, the notebook's or the headless one's."""
    pushed = []
    for pipeline in ("proyecto2-notebook", "proyecto2"):
        pushed += decisions(stack.metadata(f"/tfx/{pipeline}/metadata.sqlite", reader="serving"))["versions"]
    assert sorted(pushed) == versions(stack), f"serving folder {versions(stack)} vs blessed pushes {sorted(pushed)}"
