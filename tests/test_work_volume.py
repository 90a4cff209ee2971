"""The student's work folder survives `down` + `up`; `down -v` + `up` brings back the pristine notebook."""

import hashlib

import pytest

from harness.repo import ROOT, proyectos, service_of

pytestmark = pytest.mark.e2e

EDIT = ("import json, sys; p = sys.argv[1]; nb = json.load(open(p)); "
        "nb['cells'].append({'cell_type': 'markdown', 'metadata': {}, 'source': ['Mis notas']}); "
        "json.dump(nb, open(p, 'w'))")


def notebook_sha(stack, service: str, proyecto: str) -> str:
    """The SHA-256 of the notebook in the lab's work folder (the folder's listing if it is missing)."""
    result = stack.exec(service, "sha256sum", f"{proyecto}.ipynb", check=False)
    listing = stack.exec(service, "ls", "-la", "/home/lab/work", check=False).stdout
    assert result.returncode == 0, f"{proyecto}.ipynb missing from the work folder: {result.stderr}\n{listing}"
    return result.stdout.split()[0]


def test_edits_survive_down_and_reset_with_down_v(fresh_stack):
    """An edited notebook and a new file persist across `down`/`up`, and vanish after `down -v`."""
    proyecto = proyectos()[0]
    service = service_of(proyecto)
    pristine = hashlib.sha256((ROOT / "Proyectos" / proyecto / f"{proyecto}.ipynb").read_bytes()).hexdigest()

    fresh_stack.up()
    assert notebook_sha(fresh_stack, service, proyecto) == pristine, "a new lab does not start with the repo notebook"
    fresh_stack.exec(service, "python", "-c", EDIT, f"{proyecto}.ipynb")
    fresh_stack.exec(service, "sh", "-c", "echo apuntes > notas.txt")
    edited = notebook_sha(fresh_stack, service, proyecto)

    fresh_stack.down()
    fresh_stack.up(build=False)
    assert notebook_sha(fresh_stack, service, proyecto) == edited, "the edited notebook did not survive down/up"
    assert fresh_stack.exec(service, "cat", "notas.txt").stdout.strip() == "apuntes"

    fresh_stack.down(volumes=True)
    fresh_stack.up(build=False)
    assert notebook_sha(fresh_stack, service, proyecto) == pristine, "down -v did not bring back the notebook"
    assert fresh_stack.exec(service, "test", "-e", "notas.txt", check=False).returncode == 1
