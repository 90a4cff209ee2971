"""Each student's work folder survives `down` + `up`; `down -v` + `up` brings back the pristine notebook."""

import hashlib

import pytest

from harness.repo import ROOT, proyectos, service_of

pytestmark = pytest.mark.e2e

# Only the labs: the work volumes are theirs, and the rest of the stack would start three times for nothing.
LABS = [service_of(p) for p in proyectos()]


def notebook_sha(stack, proyecto: str) -> str:
    """The SHA-256 of the notebook in the lab's work folder (the folder's listing if it is missing)."""
    service = service_of(proyecto)
    result = stack.exec(service, "sha256sum", f"{proyecto}.ipynb", check=False)
    listing = stack.exec(service, "ls", "-la", "/home/lab/work", check=False).stdout
    assert result.returncode == 0, f"{proyecto}.ipynb missing from the work folder: {result.stderr}\n{listing}"
    return result.stdout.split()[0]


def test_edits_survive_down_and_reset_with_down_v(fresh_stack):
    """In every lab, an edited notebook and a new file persist across `down`/`up`, and vanish after `down -v`."""
    pristine = {p: hashlib.sha256((ROOT / "Proyectos" / p / f"{p}.ipynb").read_bytes()).hexdigest()
                for p in proyectos()}
    fresh_stack.up(*LABS)
    for proyecto in proyectos():
        assert notebook_sha(fresh_stack, proyecto) == pristine[proyecto], f"{proyecto} does not start pristine"
        # A student's edit: a line appended to the notebook, and notes of their own.
        fresh_stack.exec(service_of(proyecto), "sh", "-c", f"echo >> {proyecto}.ipynb && echo apuntes > notas.txt")
    edited = {p: notebook_sha(fresh_stack, p) for p in proyectos()}
    assert all(edited[p] != pristine[p] for p in proyectos()), "the edit did not change the notebooks"

    fresh_stack.down()
    fresh_stack.up(*LABS, build=False)
    for proyecto in proyectos():
        assert notebook_sha(fresh_stack, proyecto) == edited[proyecto], f"{proyecto}'s edit did not survive down/up"
        assert fresh_stack.exec(service_of(proyecto), "cat", "notas.txt").stdout.strip() == "apuntes", proyecto

    fresh_stack.down(volumes=True)
    fresh_stack.up(*LABS, build=False)
    for proyecto in proyectos():
        assert notebook_sha(fresh_stack, proyecto) == pristine[proyecto], f"down -v did not reset {proyecto}"
        assert fresh_stack.exec(service_of(proyecto), "test", "-e", "notas.txt", check=False).returncode == 1
