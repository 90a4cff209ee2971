"""The notebooks read as lessons: one way to the InteractiveContext, `tfx` as in the packages, Spanish comments,
cells that can be re-run, and exercises that start unanswered with the Proyecto's own checks."""

import ast
import io
import json
import re
import tokenize

import pytest

from harness.repo import ROOT, proyectos

NOTEBOOKS = {p: ROOT / "Proyectos" / p / f"{p}.ipynb" for p in proyectos()} | {
    "template": ROOT / "tools" / "proyecto_template" / "ProyectoN.ipynb"}
# Words an English code comment has and a Spanish one does not.
ENGLISH = re.compile(r"\b(the|and|before|when|keep|works|with|your|you|this|that|of)\b", re.IGNORECASE)


# An IPython line a student may add (`!jq --version`, `%timeit ...`): not Python, so read as `pass`.
IPYTHON_LINE = re.compile(r"^(\s*)[!%].*$", re.M)


def cells(name: str, kind: str = "code") -> list[str]:
    """The source of each cell of `kind`; in code cells, shell and magic lines become `pass`."""
    sources = ["".join(c["source"]) for c in json.loads(NOTEBOOKS[name].read_text())["cells"]
               if c["cell_type"] == kind]
    return [IPYTHON_LINE.sub(r"\1pass", source) for source in sources] if kind == "code" else sources


def code_tree(name: str) -> ast.Module:
    """The notebook's code cells as one module."""
    return ast.parse("\n".join(cells(name)))


def exercise_calls(name: str) -> list[tuple[str, ast.Call]]:
    """(cell source, call) for each call of an exercise check: exercises.<check>(...)."""
    found = []
    for source in cells(name):
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "exercises"):
                found.append((source, node))
    return found


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_context_comes_from_the_labs_one_function(name):
    """The InteractiveContext is made by lab_helpers.pipelines.interactive_context (the lab's Beam arguments)."""
    code = "\n".join(cells(name))
    assert "pipelines.interactive_context(paths)" in code, f"{name} does not make its context with interactive_context"
    assert "InteractiveContext(" not in code, f"{name} builds an InteractiveContext of its own, without the lab's Beam"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_tfx_is_named_as_in_the_packages(name):
    """`from tfx import v1 as tfx`, as create_pipeline's source shown in the notebook says; never tfx_v1."""
    code = "\n".join(cells(name))
    assert "from tfx import v1 as tfx\n" in code, f"{name} does not import tfx.v1 as tfx"
    assert "tfx_v1" not in code, f"{name} still says tfx_v1"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_code_comments_are_in_spanish(name):
    """Every comment inside a code cell is for the student, in Spanish."""
    english = [token.string for source in cells(name)
               for token in tokenize.generate_tokens(io.StringIO(source).readline)
               if token.type == tokenize.COMMENT and ENGLISH.search(token.string)]
    assert not english, f"{name} has English comments: {english}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_cell_rebinds_an_imported_module(name):
    """Re-running a cell works: no cell assigns to a name the notebook imported (e.g. `selection = selection...`)."""
    tree = code_tree(name)
    imported = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
    rebound = sorted({target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                      for target in node.targets if isinstance(target, ast.Name) and target.id in imported})
    assert not rebound, f"{name} rebinds imported names {rebound}: re-running the cell would fail"


@pytest.mark.parametrize("proyecto", NOTEBOOKS)
def test_exercises_are_the_proyectos_own_and_start_unanswered(proyecto):
    """Each check comes from the Proyecto's package, and the variable with the answer starts as None."""
    package = "proyectoN" if proyecto == "template" else proyecto.lower()
    code = "\n".join(cells(proyecto))
    own = re.search(rf"^from {package} import .*\bexercises\b", code, re.M)
    assert own, f"{proyecto}: its exercises are not imported from {package}"
    calls = exercise_calls(proyecto)
    assert calls, f"{proyecto} has no exercise"
    for source, call in calls:
        answers = [arg.id for arg in call.args if isinstance(arg, ast.Name)]
        unanswered = [name for name in answers if re.search(rf"^{name} = None\b", source, re.M)]
        assert unanswered, f"{proyecto}: no answer of {ast.unparse(call)} starts as None:\n{source}"


@pytest.mark.parametrize("proyecto", NOTEBOOKS)
def test_markdown_explains_what_to_change(proyecto):
    """No exercise says it is right as shipped; each says which `= None` to change."""
    text = "\n".join(cells(proyecto, "markdown"))
    assert "Tal como está" not in text, f"{proyecto} still tells students the exercise passes as shipped"
    for source, call in exercise_calls(proyecto):
        answers = [arg.id for arg in call.args if isinstance(arg, ast.Name) and f"{arg.id} = None" in source]
        said = any(f"`{name} = None`" in text for name in answers)
        assert said, f"{proyecto}: the text never says to change {answers}"
