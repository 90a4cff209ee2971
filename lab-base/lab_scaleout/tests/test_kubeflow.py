"""lab_scaleout.kubeflow compiles a lab pipeline for Kubeflow Pipelines / Vertex AI and checks it as a cluster would."""

import json
import textwrap

import pytest
from google.protobuf import json_format

from lab_scaleout import kubeflow

# A small lab-style pipeline module: create_pipeline with every path an argument, the defaults as constants.
DEMO = '''
from tfx import v1 as tfx
from lab_helpers.paths import DATA_DIR, TFX_DIR

PIPELINE_NAME = "demo"
DATA_ROOT = DATA_DIR / "demo"
SERVING_DIR = TFX_DIR / "serving" / "demo"


def create_pipeline(pipeline_name, pipeline_root, data_root, metadata_path, serving_dir, beam_pipeline_args=None):
    example_gen = tfx.components.CsvExampleGen(input_base=str(data_root))
    statistics_gen = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
    schema_gen = tfx.components.SchemaGen(statistics=statistics_gen.outputs["statistics"])
    validator = tfx.components.ExampleValidator(statistics=statistics_gen.outputs["statistics"],
                                                schema=schema_gen.outputs["schema"])
    # Like Proyecto2's baseline: a Resolver asks ML Metadata for an artifact type, no component feeds it.
    latest = tfx.dsl.Resolver(strategy_class=tfx.dsl.experimental.LatestArtifactStrategy,
                              examples=tfx.dsl.Channel(type=tfx.types.standard_artifacts.Examples)
                              ).with_id("latest_examples")
    latest_statistics = tfx.components.StatisticsGen(examples=latest.outputs["examples"]).with_id("LatestStatistics")
    return tfx.dsl.Pipeline(
        pipeline_name=pipeline_name, pipeline_root=str(pipeline_root),
        components=[example_gen, statistics_gen, schema_gen, validator, latest, latest_statistics],
        metadata_connection_config=tfx.orchestration.metadata.sqlite_metadata_connection_config(str(metadata_path)),
        beam_pipeline_args=beam_pipeline_args or [])
'''
IMAGE = "europe-west1-docker.pkg.dev/mi-proyecto/tfx-lab/demo:1.21"


@pytest.fixture
def demo_module(tmp_path, monkeypatch):
    """The importable module kfdemo.pipeline."""
    package = tmp_path / "kfdemo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "pipeline.py").write_text(textwrap.dedent(DEMO))
    monkeypatch.syspath_prepend(str(tmp_path))
    return "kfdemo.pipeline"


@pytest.fixture
def compiled(demo_module, tmp_path):
    """The demo pipeline for Dataflow, compiled to tmp_path/demo.json: (pipeline, file, Beam arguments)."""
    beam_args = kubeflow.RUNNERS["dataflow"].beam_args(project="p", region="r", bucket="gs://b", image=IMAGE)
    pipeline = kubeflow.build_pipeline(demo_module, beam_args, "gs://b")
    return pipeline, kubeflow.compile_pipeline(pipeline, tmp_path / "out" / "demo.json", IMAGE), beam_args


def test_compiled_pipeline_passes_every_check(compiled):
    """The PipelineJob parses strictly, its DAG is the pipeline's, every Beam component carries the arguments."""
    pipeline, output_file, beam_args = compiled
    summary = kubeflow.check(output_file, pipeline, IMAGE, beam_args)
    assert summary["problems"] == [], summary
    assert {"CsvExampleGen", "ExampleValidator", "LatestStatistics"} <= set(summary["tasks"]), summary
    assert summary["beam_components"] == ["CsvExampleGen", "LatestStatistics", "StatisticsGen"], summary


def test_paths_go_under_the_bucket(demo_module):
    """The pipeline root, the data and the other lab paths of the defaults move under the bucket."""
    pipeline = kubeflow.build_pipeline(demo_module, [], "gs://b/", overrides={"data_root": "gs://datos/demo"})
    assert pipeline.pipeline_info.pipeline_root == "gs://b/tfx/demo/artifacts"
    example_gen = next(c for c in pipeline.components if c.id == "CsvExampleGen")
    assert example_gen.exec_properties["input_base"] == "gs://datos/demo"
    assert kubeflow.cluster_path("/tfx/serving/demo", "gs://b") == "gs://b/tfx/serving/demo"
    assert kubeflow.cluster_path("/data", "s3://lab") == "s3://lab/data"
    assert kubeflow.cluster_path("/home/lab/work/schema/schema.pbtxt", "gs://b") == "/home/lab/work/schema/schema.pbtxt"


def test_missing_argument_is_explained(demo_module, monkeypatch):
    """An argument with no default and no constant of that name fails naming it and how to pass it."""
    import kfdemo.pipeline

    monkeypatch.delattr(kfdemo.pipeline, "SERVING_DIR")
    with pytest.raises(SystemExit, match="--set serving_dir="):
        kubeflow.build_pipeline(demo_module, [], "gs://b")


def test_a_missing_edge_is_found(compiled):
    """A JSON whose ExampleValidator no longer waits for SchemaGen does not match the pipeline's DAG."""
    pipeline, output_file, _ = compiled
    job, spec, _ = kubeflow.parse_strictly(output_file.read_text())
    validator = spec.root.dag.tasks["ExampleValidator"]
    del validator.dependent_tasks[:]
    validator.inputs.artifacts["schema"].task_output_artifact.producer_task = "StatisticsGen"
    problems = kubeflow.dag_problems(spec, pipeline)
    assert len(problems) == 1 and problems[0].startswith("ExampleValidator depende de ['StatisticsGen']"), problems


def test_an_unknown_field_fails_the_strict_parse(compiled):
    """A field the PipelineSpec does not define is an error, not ignored."""
    _, output_file, _ = compiled
    job = json.loads(output_file.read_text())
    job["pipelineSpec"]["root"]["dag"]["tasks"]["StatisticsGen"]["retryPolicyy"] = {}
    with pytest.raises(json_format.ParseError):
        kubeflow.parse_strictly(json.dumps(job))


def test_every_runner_says_what_it_needs():
    """Dataflow, Flink and Spark each name their runner, their worker image and what a cluster must provide."""
    assert set(kubeflow.RUNNERS) == {"dataflow", "flink", "spark"}
    for name, runner in kubeflow.RUNNERS.items():
        args = runner.beam_args(project="p", region="r", bucket="gs://b", image=IMAGE)
        assert args[0].startswith("--runner="), (name, args)
        assert f"--sdk_container_image={IMAGE}" in args, (name, args)
        assert runner.needs and all(isinstance(n, str) and n for n in runner.needs), name


def test_command_line_writes_one_valid_file_per_runner(demo_module, tmp_path, capsys):
    """`python -m lab_scaleout.kubeflow <module>` writes and checks <name>-<runner>.json for each runner."""
    with pytest.raises(SystemExit) as exit_code:
        kubeflow.main([demo_module, "--output-dir", str(tmp_path / "kf")])
    summaries = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert exit_code.value.code == 0, summaries
    assert sorted(p.name for p in (tmp_path / "kf").iterdir()) == [
        "demo-dataflow.json", "demo-flink.json", "demo-spark.json"]
    assert [s["problems"] for s in summaries] == [[], [], []]


def test_infra_validator_check_does_not_break_the_compiler():
    """TFX's compiler checks components against InfraValidator, None without the Kubernetes client: it gets a class."""
    from tfx.orchestration.kubeflow.v2 import step_builder

    assert isinstance(step_builder.components.InfraValidator, type)


def test_lab_host_names_are_found():
    """A URL or host:port naming a lab host is a problem; an image tag or a module of the same name is not."""
    hosts = {"mlflow", "beam-worker-1", "proyecto1"}
    text = json.dumps({"tracking_uri": "http://mlflow:5000", "workers": "beam-worker-1:50000",
                       "image": "r-docker.pkg.dev/p/tfx-lab/proyecto1:1.21", "module": "proyecto1.pipeline"})
    problems = kubeflow.host_problems(text, hosts)
    assert [p.split()[3].rstrip(",") for p in problems] == ["beam-worker-1", "mlflow"], problems


def test_lab_hosts_come_from_the_lab_settings(monkeypatch):
    """The hosts checked by default: MLflow's and the Beam workers', as the lab's environment names them."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://mlflow:5000")
    monkeypatch.setenv("LAB_BEAM_WORKERS", "otro-worker:50000")
    assert kubeflow.lab_hosts() == {"mlflow", "beam-worker-1", "beam-worker-2", "otro-worker"}
