"""lab_helpers.notebook: code shown from its module, edited modules reloaded."""

import os

from lab_helpers import paths
from lab_helpers.notebook import show_source


def test_show_source_renders_the_function_as_highlighted_html():
    """The function's own source comes back as HTML a notebook renders, with its name and body."""
    html = show_source(paths.pipeline_paths)._repr_html_()
    assert "pipeline_paths" in html and "mkdir" in html, html[:300]
    assert "<script" not in html, "highlighting must not load scripts"


def test_edited_package_is_reloaded_in_a_notebook(tmp_path, monkeypatch):
    """With autoreload on for the package, an edited module's function is the new one at the next cell."""
    from IPython.core.interactiveshell import InteractiveShell

    from lab_helpers.notebook import reload_when_edited

    package = tmp_path / "lesson"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "steps.py").write_text("def answer():\n    return 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    shell = InteractiveShell.instance()
    assert reload_when_edited("lesson") == ["lesson", "lesson.steps"]
    shell.run_cell("from lesson import steps")
    (package / "steps.py").write_text("def answer():\n    return 2\n")
    os.utime(package / "steps.py", (1e10, 1e10))  # a later modification time, as an edit would leave
    result = shell.run_cell("steps.answer()")
    assert result.result == 2, "the edited module was not reloaded"
