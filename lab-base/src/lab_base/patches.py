"""Make stock TFX code, the official tutorials' included, work in the lab offline.

Installed in every Python process of the lab image by lab_base.pth (site
packages), it only registers an import hook; each fix runs right after the
module it fixes is first imported, so a process that never imports TFDV, TFMA
or Beam pays nothing.

- tensorflow_model_analysis: TFMA 0.52 lists EvalConfig, MetricThreshold,
  PerSliceMetricThresholds... in `tfma.__all__` but defines them only once
  `tfx` is imported (TFX copies them over from the config protos). They are
  copied the same way as soon as TFMA is imported, so `tfma.EvalConfig` works
  whichever comes first.
- tensorflow_data_validation: `tfdv.visualize_statistics` draws Facets, whose
  scripts come from the internet: offline it is a blank box. It draws the
  lab's offline table and histograms instead (lab_base.views).
- tensorflow_model_analysis.view: `tfma.view.render_slicing_metrics` returns a
  widget JupyterLab 4 cannot draw ("Click to show javascript error"). It shows
  the metrics by slice as a table instead.
- TFX's visualization registry: `context.show(...)` of statistics and of an
  evaluation goes through the two functions above, and the registry gets the
  lab's views registered under TFX's own artifact types.
- Apache Beam's interactive environment: in a notebook it would inject
  JavaScript that loads jQuery and DataTables from public CDNs. It does not.
- Apache Beam's embedded job service and EXTERNAL environment
  (LAB_BEAM_MODE=portable): the job service honours --direct_num_workers,
  which it ignored, and the workers go one to each listed worker pool (the
  containers beam-worker-1, beam-worker-2) instead of all to the first
  (lab_base.beam).
- TFX's Kubeflow Pipelines v2 compiler (KubeflowV2DagRunner): it checks every
  component against tfx.components.InfraValidator, which is None here (it
  needs the Kubernetes client the lab leaves out), and fails with a TypeError.
  It sees a class no component is an instance of instead, so every pipeline
  without an InfraValidator compiles (lab_base.kubeflow).

And before TensorFlow is imported at all, the CPU must offer AVX
(lab_base.cpu): without it the import stops with the Spanish explanation of
what to change (SystemExit: a clean message in a notebook or a terminal, not a
dead kernel or a stack trace). This check is on even with LAB_STOCK_TFX=0.

LAB_STOCK_TFX=1 (the default) switches them on; LAB_STOCK_TFX=0 leaves TFX as
shipped, e.g. to see the difference.
"""

import importlib.abc
import importlib.util
import os
import sys
from collections.abc import Callable

from lab_base import cpu

# Module name -> what to do to the module once it has been executed.
_FIXES: dict[str, Callable] = {}
# Whether the fixes apply (LAB_STOCK_TFX); the AVX check always does.
_enabled = True


def fixes(module_name: str):
    """Register the decorated function as the fix for `module_name`."""
    def register(function: Callable) -> Callable:
        _FIXES[module_name] = function
        return function
    return register


@fixes("tensorflow_model_analysis")
def _complete_tfma_api(tfma) -> None:
    from tensorflow_model_analysis.proto import config_pb2

    for name in getattr(tfma, "__all__", []):
        if not hasattr(tfma, name) and hasattr(config_pb2, name):
            setattr(tfma, name, getattr(config_pb2, name))


def _lab_view(name: str) -> Callable:
    """A function that calls lab_base.views.<name>, imported on the first call (views imports TFDV itself)."""
    def view(*args, **kwargs):
        from lab_base import views

        return getattr(views, name)(*args, **kwargs)

    view.__name__ = view.__qualname__ = name
    view.__doc__ = f"The lab's offline view in place of TFX's own: see lab_base.views.{name}."
    return view


@fixes("tensorflow_data_validation")
def _offline_visualize_statistics(tfdv) -> None:
    tfdv.visualize_statistics = _lab_view("visualize_statistics")


@fixes("tensorflow_model_analysis.view")
def _offline_slicing_metrics(view) -> None:
    view.render_slicing_metrics = _lab_view("render_slicing_metrics")


@fixes("tfx.orchestration.experimental.interactive.standard_visualizations")
def _offline_context_show(standard_visualizations) -> None:
    from lab_base import views

    register_standard = standard_visualizations.register_standard_visualizations

    def register_with_lab_views() -> None:
        register_standard()
        views.register_tfx_visualizations()

    standard_visualizations.register_standard_visualizations = register_with_lab_views


@fixes("apache_beam.runners.interactive.interactive_environment")
def _no_cdn_scripts(interactive_environment) -> None:
    interactive_environment.InteractiveEnvironment.load_jquery_with_datatable = lambda self: None


@fixes("apache_beam.runners.portability.fn_api_runner.fn_runner")
def _job_service_num_workers(fn_runner) -> None:
    from lab_base.beam import honour_num_workers

    honour_num_workers(fn_runner)


@fixes("apache_beam.runners.portability.fn_api_runner.worker_handlers")
def _spread_external_workers(worker_handlers) -> None:
    from lab_base.beam import spread_over_worker_pools

    spread_over_worker_pools(worker_handlers)


@fixes("tfx.orchestration.kubeflow.v2.step_builder")
def _compile_without_infra_validator(step_builder) -> None:
    import types

    if step_builder.components.InfraValidator is None:
        components = types.SimpleNamespace(**vars(step_builder.components))
        components.InfraValidator = type("InfraValidatorNotInstalled", (), {})
        step_builder.components = components


class _FixAfterImport(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds the modules in _FIXES with the other finders, runs them, then applies the fix."""

    def __init__(self):
        self._finding: set[str] = set()
        self._loaders: dict[str, importlib.abc.Loader] = {}

    def find_spec(self, fullname, path, target=None):
        if fullname == "tensorflow" and not cpu.has_avx():
            raise SystemExit(cpu.MESSAGE)
        if not _enabled or fullname not in _FIXES or fullname in self._finding:
            return None
        self._finding.add(fullname)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self._finding.discard(fullname)
        if spec is None or spec.loader is None:
            return None
        self._loaders[fullname] = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec):
        return self._loaders[spec.name].create_module(spec)

    def exec_module(self, module):
        self._loaders[module.__name__].exec_module(module)
        _FIXES[module.__name__](module)


def install() -> None:
    """Put the import hook first in sys.meta_path (once); with LAB_STOCK_TFX=0 it only checks for AVX."""
    global _enabled
    _enabled = os.environ.get("LAB_STOCK_TFX", "1") != "0"
    if not any(isinstance(finder, _FixAfterImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _FixAfterImport())
