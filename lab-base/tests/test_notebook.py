"""lab_base.notebook shows a module's code in a notebook, read from the module itself."""

from lab_base import paths
from lab_base.notebook import show_source


def test_show_source_renders_the_function_as_highlighted_html():
    """The function's own source comes back as HTML a notebook renders, with its name and body."""
    html = show_source(paths.pipeline_paths)._repr_html_()
    assert "pipeline_paths" in html and "mkdir" in html, html[:300]
    assert "<script" not in html, "highlighting must not load scripts"
