"""What the probes share: an IPython shell whose display() output can be captured, and the verdict line."""

import matplotlib

matplotlib.use("Agg")


def notebook_shell():
    """An IPython shell with inline PNG figures, as in a notebook, so display() publishes rich outputs."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    select_figure_formats(shell, {"png"})
    return shell


def html_of(outputs) -> str:
    return "".join(o.data.get("text/html", "") + o.data.get("application/javascript", "") for o in outputs)


def verdict(fixed: bool, detail: str = "") -> None:
    """The probe's last line: `fixed` if the patched behaviour was seen, `stock` if the library's own was."""
    print(detail)
    print("fixed" if fixed else "stock")
