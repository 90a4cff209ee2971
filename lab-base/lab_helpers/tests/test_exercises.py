"""lab_helpers.exercises: a check's verdict is right, not yet, or pending, each shown as a box of its own."""

import pytest

from lab_helpers.exercises import LOOK, PENDING, RIGHT, WRONG, Verdict


def test_only_a_right_answer_passes():
    """bool(verdict) is True for RIGHT only: a pending exercise is not a passed one."""
    assert Verdict.judged(True, "bien")
    assert not Verdict.judged(False, "prueba otra vez")
    assert not Verdict.pending("escribe tu respuesta")
    states = [Verdict.judged(True, "").state, Verdict.judged(False, "").state, Verdict.pending("").state]
    assert states == [RIGHT, WRONG, PENDING], states


@pytest.mark.parametrize(("verdict", "box"), [
    (Verdict.judged(True, "bien <hecho>"), "✔ Correcto."),
    (Verdict.judged(False, "prueba otra vez"), "✘ Todavía no."),
    (Verdict.pending("escribe tu respuesta"), "✎ Pendiente."),
])
def test_each_state_has_its_own_box(verdict, box):
    """The HTML box carries the state's mark, title and colour, and the explanation escaped."""
    html = verdict._repr_html_()
    color = LOOK[verdict.state][0]
    assert box in html and f"color: {color}" in html and f"lab-verdict-{verdict.state}" in html, html
    assert "<hecho>" not in html
    assert str(verdict) == f"{box[2:-1]}. {verdict.message}"


def test_colours_and_marks_differ():
    """Right, wrong and pending look different: no two share a colour or a mark."""
    colors, marks = zip(*[(color, mark) for color, mark, _ in LOOK.values()], strict=True)
    assert len(set(colors)) == len(set(marks)) == len(LOOK) == 3, LOOK


def test_unknown_state_is_refused():
    """A typo in a check's state fails at once instead of showing a box of no colour."""
    with pytest.raises(ValueError, match="pendiente"):
        Verdict("ok", "")
