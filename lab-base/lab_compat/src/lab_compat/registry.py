"""Every patch the lab makes to third-party code: what it fixes, why, and the versions it was written for.

A patch replaces or wraps something private or undocumented in TFX, TFMA, TFDV
or Beam, so it is only known to be right for the exact versions it was written
and tested against (`written_for`). Before a patch applies, those versions are
compared with what is installed: on any difference the patch is skipped, and
the process says so once (LabCompatWarning) instead of failing deep inside a
pipeline. `python -m lab_compat` prints this table; the lab's tests fail on any
mismatch, so an upgrade of the stack shows every patch to revisit.

LAB_STOCK_LIBRARIES runs the libraries as shipped: `1` (or `all`) switches every
patch off, a comma-separated list of patch names switches off just those. The
AVX check (lab_compat.avx) is not a patch and stays on.
"""

import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata

from lab_compat import beam_portable, beam_worker_log, kubeflow_compile, offline_views, tfma_api

# The stack these patches were written for (lab-base/pyproject.toml, lab-base/uv.lock).
TFX = {"tfx": "1.21.0"}
TFMA = {"tensorflow-model-analysis": "0.52.0"}
TFDV = {"tensorflow-data-validation": "1.21.0"}
BEAM = {"apache-beam": "2.77.0"}


@dataclass(frozen=True)
class Patch:
    """One change to a library: applied to `target` right after it is imported, or on request if `target` is None."""

    name: str
    module: str
    fixes: str
    reason: str
    written_for: dict[str, str]
    apply: Callable = field(repr=False)
    on_import: bool = True


PATCHES: list[Patch] = [
    Patch("tfma-api-without-tfx", "tensorflow_model_analysis",
          "tfma.EvalConfig, tfma.MetricThreshold... exist even when TFMA is imported before TFX",
          "TFMA 0.52 lists them in __all__ but only TFX's import copies them over from the config protos",
          TFMA, tfma_api.complete_api),
    Patch("tfdv-offline-statistics", "tensorflow_data_validation",
          "tfdv.visualize_statistics draws the lab's table and histograms",
          "the Facets view loads its scripts from the internet: offline it is a blank box",
          TFDV, offline_views.tfdv_visualize_statistics),
    Patch("tfma-offline-slicing-metrics", "tensorflow_model_analysis.view",
          "tfma.view.render_slicing_metrics shows the metrics by slice as a table",
          "TFMA's widget does not render in JupyterLab 4 ('Click to show javascript error')",
          TFMA, offline_views.tfma_render_slicing_metrics),
    Patch("tfx-offline-context-show", "tfx.orchestration.experimental.interactive.standard_visualizations",
          "InteractiveContext.show of statistics and evaluations uses the two views above",
          "TFX's registry renders them with Facets and TFMA's widget",
          TFX, offline_views.tfx_context_show),
    Patch("beam-no-cdn-scripts", "apache_beam.runners.interactive.interactive_environment",
          "Beam's interactive environment injects no JavaScript from public CDNs",
          "in a notebook it loads jQuery and DataTables from code.jquery.com and cdn.datatables.net",
          BEAM, offline_views.beam_no_cdn_scripts),
    Patch("beam-job-service-num-workers", "apache_beam.runners.portability.fn_api_runner.fn_runner",
          "the embedded job service (LAB_BEAM_MODE=portable) runs --direct_num_workers SDK workers",
          "FnApiRunner.run_via_runner_api ignores direct_num_workers (only run_pipeline reads it): one worker",
          BEAM, beam_portable.honour_num_workers),
    Patch("beam-external-worker-pools", "apache_beam.runners.portability.fn_api_runner.worker_handlers",
          "an EXTERNAL environment listing several worker pools starts one SDK worker in each, in turn",
          "Beam's EXTERNAL environment takes one pool address and sends it every worker",
          BEAM, beam_portable.spread_over_worker_pools),
    Patch("kubeflow-compile-without-infravalidator", "tfx.orchestration.kubeflow.v2.step_builder",
          "KubeflowV2DagRunner compiles pipelines without an InfraValidator",
          "its step builder checks isinstance(component, InfraValidator), None without the Kubernetes "
          "client the lab leaves out: TypeError",
          TFX, kubeflow_compile.without_infra_validator),
    Patch("beam-sdk-worker-bundle-log", "apache_beam.runners.worker.sdk_worker",
          "a worker pool reports every bundle its SDK workers finish, with the worker's id",
          "Beam logs nothing per bundle; the worker id is private to SdkHarness (lab_scaleout.beam_worker asks)",
          BEAM, beam_worker_log.report_bundles, on_import=False),
]
BY_NAME = {patch.name: patch for patch in PATCHES}
BY_MODULE = {patch.module: patch for patch in PATCHES if patch.on_import}
_warned = False


class LabCompatWarning(UserWarning):
    """A patch of the lab was written for other versions than those installed, so it was not applied."""


def installed(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def version_mismatches(patch: Patch) -> dict[str, tuple[str, str | None]]:
    """{distribution: (written for, installed)} for every version of `patch.written_for` that differs."""
    found = {dist: (version, installed(dist)) for dist, version in patch.written_for.items()}
    return {dist: pair for dist, pair in found.items() if pair[0] != pair[1]}


def mismatches() -> dict[str, dict[str, tuple[str, str | None]]]:
    """The patches whose libraries are not at the versions they were written for, by name."""
    return {patch.name: found for patch in PATCHES if (found := version_mismatches(patch))}


def switched_off(environ=os.environ) -> set[str]:
    """The patches LAB_STOCK_LIBRARIES asks to leave out: all for 1/all/true, or the names listed."""
    value = environ.get("LAB_STOCK_LIBRARIES", "").strip()
    if value.lower() in ("", "0", "false", "no"):
        return set()
    if value.lower() in ("1", "all", "true", "yes"):
        return set(BY_NAME)
    names = {name.strip() for name in value.split(",") if name.strip()}
    unknown = names - set(BY_NAME)
    if unknown:
        warnings.warn(f"LAB_STOCK_LIBRARIES nombra parches que no existen: {', '.join(sorted(unknown))}. "
                      f"Los parches son: {', '.join(BY_NAME)}.", LabCompatWarning, stacklevel=2)
    return names & set(BY_NAME)


def mismatch_message(found: dict[str, dict[str, tuple[str, str | None]]]) -> str:
    lines = [f"  - {name}: " + ", ".join(f"{dist} {have or 'no instalado'} (escrito para {want})"
                                          for dist, (want, have) in versions.items())
             for name, versions in found.items()]
    return ("lab_compat: estos parches del laboratorio se escribieron para otras versiones de las librerías y NO "
            "se aplican (las librerías funcionan tal cual vienen; revisa lab-base/lab_compat al actualizar la pila):\n"
            + "\n".join(lines))


def applicable(patch: Patch) -> bool:
    """True if `patch` should apply: not switched off and written for the installed versions (else say so once)."""
    global _warned
    if patch.name in switched_off():
        return False
    if not version_mismatches(patch):
        return True
    if not _warned:
        _warned = True
        warnings.warn(mismatch_message(mismatches()), LabCompatWarning, stacklevel=2)
    return False
