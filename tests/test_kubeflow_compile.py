"""Each Proyecto's headless pipeline compiles for Kubeflow Pipelines / Vertex AI, and the JSON checks out offline."""

import json

import pytest

from conftest import resolve_compose
from harness.repo import proyectos, service_of

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("proyecto", proyectos())
def test_pipeline_compiles_to_a_valid_pipeline_job(stack, proyecto):
    """`python -m lab_scaleout.kubeflow <package>.pipeline` writes a PipelineJob per runner: strict parse, same DAG,
    and no host name of the lab's network in it (every compose service's name: a cluster resolves none)."""
    service = service_of(proyecto)
    lab_hosts = [f"--lab-host={name}" for name in resolve_compose(profiles=("*",))["services"]]
    result = stack.exec(service, "python", "-m", "lab_scaleout.kubeflow", f"{service}.pipeline", *lab_hosts,
                        check=False, timeout=600)
    assert result.returncode == 0, f"{result.stdout[-4000:]}\n{result.stderr[-3000:]}"
    summaries = json.loads(result.stdout.strip().splitlines()[-1])
    assert [s["runner"] for s in summaries] == ["dataflow", "flink", "spark"], summaries
    for summary in summaries:
        assert summary["problems"] == [], summary
        assert {"CsvExampleGen", "StatisticsGen", "Transform"} <= set(summary["tasks"]), summary
    dataflow = summaries[0]
    text = stack.exec(service, "cat", dataflow["file"]).stdout
    assert "mlflow:5000" not in text, "the compiled pipeline carries the lab's MLflow address"
    job = json.loads(text)
    executors = job["pipelineSpec"]["deploymentSpec"]["executors"]
    transform = next(e for name, e in executors.items() if name.startswith("Transform"))
    assert "--runner=DataflowRunner" in transform["container"]["args"], transform
    assert job["runtimeConfig"]["gcsOutputDirectory"].startswith("gs://"), job["runtimeConfig"]
