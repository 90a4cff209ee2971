"""How a notebook shows the answer to a "Para practicar" exercise: right, not yet, or still pending.

Each Proyecto's own `proyectoN/exercises.py` has one check per exercise: it
works out the right answer from the student's own artifacts and returns a
Verdict. An exercise starts unanswered (its variable is None), so the check's
first verdict is PENDING and says what to do; JupyterLab shows each state as
a box of its own colour and mark.
"""

import html
from dataclasses import dataclass

RIGHT, WRONG, PENDING = "correcto", "todavia_no", "pendiente"
# Colour, mark and title of each state's box in the notebook.
LOOK = {
    RIGHT: ("#1e7b34", "✔", "Correcto"),
    WRONG: ("#b3261e", "✘", "Todavía no"),
    PENDING: ("#8a6d00", "✎", "Pendiente"),
}


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check, one of RIGHT, WRONG or PENDING, and the explanation a student reads."""

    state: str
    message: str

    def __post_init__(self):
        if self.state not in LOOK:
            raise ValueError(f"a verdict is one of {', '.join(LOOK)}, not {self.state!r}")

    @classmethod
    def judged(cls, right: bool, message: str) -> "Verdict":
        """RIGHT or WRONG, as `right` says."""
        return cls(RIGHT if right else WRONG, message)

    @classmethod
    def pending(cls, what_to_do: str) -> "Verdict":
        """Not answered yet: `what_to_do` tells the student how to answer."""
        return cls(PENDING, what_to_do)

    def __bool__(self) -> bool:
        """True only for a right answer: a pending exercise is not passed."""
        return self.state == RIGHT

    def _repr_html_(self) -> str:
        color, mark, title = LOOK[self.state]
        return (f'<div class="lab-verdict lab-verdict-{self.state}" '
                f'style="border-left: 4px solid {color}; padding: 4px 10px; margin: 4px 0">'
                f'<b style="color: {color}">{mark} {title}.</b> {html.escape(self.message)}</div>')

    def __str__(self) -> str:
        return f"{LOOK[self.state][2]}. {self.message}"

    __repr__ = __str__
