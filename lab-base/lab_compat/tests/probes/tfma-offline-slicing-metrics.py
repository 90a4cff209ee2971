"""tfma.view.render_slicing_metrics: the lab's table by slice (fixed) or TFMA's widget (stock)?"""

import tensorflow_model_analysis as tfma
from IPython.utils.capture import capture_output

from _shell import html_of, notebook_shell, verdict


class EvalResult:
    """The shape of tfma.EvalResult.slicing_metrics: (slice key, {output: {sub key: {metric: value}}})."""

    slicing_metrics = [((), {"": {"": {"accuracy": {"doubleValue": 0.95}}}}),
                       ((("species", "Adelie"),), {"": {"": {"accuracy": {"doubleValue": 0.9}}}})]


notebook_shell()
with capture_output() as captured:
    try:
        shown = tfma.view.render_slicing_metrics(EvalResult())
    except Exception as error:  # the widget path fails outright on a result without a config
        shown = error
html = html_of(captured.outputs)
verdict("<table" in html and "species=Adelie" in html, f"{type(shown).__module__}.{type(shown).__name__}")
