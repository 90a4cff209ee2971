"""In proyecto2's container, after its notebook ran: what blessing_prediction says of each Evaluator run.

Prints one JSON line: per evaluation folder, whether the Evaluator blessed it and the verdicts of the
exercise's check for that answer, for the opposite one, and for an unreachable bound.
Usage: python blessing_check.py /tfx/proyecto2-notebook/artifacts
"""

import json
import sys
from pathlib import Path

from proyecto2 import evaluation, exercises

root = Path(sys.argv[1])
results = {}
for component in ("Evaluator", "Evaluator_worse"):
    for folder in sorted((root / component / "evaluation").iterdir()):
        blessed = (root / component / "blessing" / folder.name / "BLESSED").exists()
        bound = evaluation.ACCURACY_LOWER_BOUND
        results[f"{component}/{folder.name}"] = {
            "blessed": blessed,
            "same": exercises.blessing_prediction(str(folder), bound, blessed).state,
            "opposite": exercises.blessing_prediction(str(folder), bound, not blessed).state,
            "unreachable_bound": exercises.blessing_prediction(str(folder), 1.01, False).state,
            "message": exercises.blessing_prediction(str(folder), bound, blessed).message,
        }
print(json.dumps(results))
