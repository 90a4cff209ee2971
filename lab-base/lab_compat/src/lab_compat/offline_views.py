"""Views that need the internet or a widget JupyterLab 4 cannot draw, swapped for the lab's offline ones.

The views themselves are the course's helpers (lab_helpers.offline_views),
imported only when first used: the compatibility layer stays importable in any
process, and the helpers never import it.
"""

from collections.abc import Callable


def _lab_view(name: str) -> Callable:
    """A function that calls lab_helpers.offline_views.<name>, imported on the first call."""
    def view(*args, **kwargs):
        from lab_helpers import offline_views

        return getattr(offline_views, name)(*args, **kwargs)

    view.__name__ = view.__qualname__ = name
    view.__doc__ = f"The lab's offline view in place of the library's own: see lab_helpers.offline_views.{name}."
    return view


def tfdv_visualize_statistics(tfdv) -> None:
    tfdv.visualize_statistics = _lab_view("visualize_statistics")


def tfma_render_slicing_metrics(view) -> None:
    view.render_slicing_metrics = _lab_view("render_slicing_metrics")


def tfx_context_show(standard_visualizations) -> None:
    """After TFX registers its standard views, register the lab's under the same artifact types."""
    register_standard = standard_visualizations.register_standard_visualizations

    def register_with_lab_views() -> None:
        from lab_helpers import offline_views

        register_standard()
        offline_views.register_tfx_visualizations()

    standard_visualizations.register_standard_visualizations = register_with_lab_views


def beam_no_cdn_scripts(interactive_environment) -> None:
    interactive_environment.InteractiveEnvironment.load_jquery_with_datatable = lambda self: None
