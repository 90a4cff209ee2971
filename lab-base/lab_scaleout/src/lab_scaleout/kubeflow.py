"""Compile a lab pipeline for Kubeflow Pipelines v2 / Vertex AI, offline, and check what it compiled to.

    python -m lab_scaleout.kubeflow proyecto1.pipeline          # inside the proyecto1 container
    python -m lab_scaleout.kubeflow proyecto2.pipeline --project mi-proyecto --bucket gs://mi-bucket

For each Beam runner a cluster offers (Dataflow, Flink, Spark: RUNNERS below,
with what each needs) it builds the Proyecto's headless pipeline with
`create_pipeline(...)` (keyword arguments only) for the cluster: its paths
under the bucket, its Beam arguments for that runner, its components in the
Proyecto's image pushed to a registry. TFX's KubeflowV2DagRunner compiles it to
the PipelineJob JSON that Vertex AI runs (its `pipelineSpec` is what Kubeflow
Pipelines runs), written to /tfx/<pipeline>/kubeflow/<pipeline>-<runner>.json.
Nothing is submitted: the lab has no cluster.

Then the file is checked as a cluster would read it: parsed strictly (every
field known) into the PipelineJob, PipelineSpec and PipelineDeploymentConfig
protos, every task's component and executor present, every container in the
image asked for, every Beam component carrying the runner's arguments, no
host name of the lab's own network (mlflow, the Beam workers...: a cluster
resolves none of them; lab_hosts() below, and --lab-host), and the DAG equal to
the TFX pipeline's: one task per component (a Resolver may become
several), and each task depending on exactly the components it consumes.
The last line printed is a JSON summary; the exit code is 1 if a check failed.
"""

import argparse
import importlib
import inspect
import json
import os
import re
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from lab_helpers import beam
from lab_helpers.paths import DATA_DIR, TFX_DIR

PLACEHOLDERS = {"project": "mi-proyecto", "region": "europe-west1", "bucket": "gs://mi-bucket"}


@dataclass(frozen=True)
class ClusterRunner:
    """A Beam runner on a cluster: its Beam arguments (templates) and what it needs, in Spanish."""

    title: str
    orchestrator: str
    args: tuple[str, ...]
    needs: tuple[str, ...]

    def beam_args(self, **values: str) -> list[str]:
        """The arguments with {project}, {region}, {bucket}, {image} filled in."""
        return [arg.format(**values) for arg in self.args]


RUNNERS: dict[str, ClusterRunner] = {
    "dataflow": ClusterRunner(
        title="Google Cloud Dataflow",
        orchestrator="Vertex AI Pipelines",
        args=(
            "--runner=DataflowRunner",
            "--project={project}",
            "--region={region}",
            "--temp_location={bucket}/tmp",
            "--staging_location={bucket}/staging",
            # The workers run this image; TFX and Beam are already in it.
            "--sdk_container_image={image}",
            "--sdk_location=container",
            "--max_num_workers=4",
        ),
        needs=(
            "un proyecto de Google Cloud con las APIs de Dataflow y Vertex AI activadas y facturación",
            "un bucket de Cloud Storage: los artefactos (pipeline_root), los datos y los temporales de Beam",
            "una cuenta de servicio con permisos de Dataflow Worker, Storage y Vertex AI",
            "la imagen del Proyecto en Artifact Registry, construida FROM apache/beam_python3.13_sdk:2.77.0 "
            "(Dataflow arranca sus workers con el programa de arranque de Beam, /opt/apache/beam/boot) "
            "con la pila del laboratorio y el código del Proyecto",
        ),
    ),
    "flink": ClusterRunner(
        title="Apache Flink",
        orchestrator="Kubeflow Pipelines",
        args=(
            "--runner=PortableRunner",
            "--job_endpoint=flink-jobserver:8099",
            "--artifact_endpoint=flink-jobserver:8098",
            # A worker pool next to each TaskManager, like the lab's beam-worker containers.
            "--environment_type=EXTERNAL",
            "--environment_config=localhost:50000",
            "--parallelism=4",
            "--sdk_container_image={image}",
        ),
        needs=(
            "un clúster de Flink (JobManager y TaskManagers, p. ej. con el Flink Kubernetes Operator)",
            "el job server de Beam para Flink (beam-runners-flink-1.20-job-server, un jar de Java de Maven), "
            "en flink-jobserver:8099",
            "un pool de workers de Beam junto a cada TaskManager (python -m apache_beam.runners.worker."
            "worker_pool_main --service_port=50000 en la imagen del Proyecto), o Docker en los TaskManagers "
            "con --environment_type=DOCKER --environment_config=<imagen>",
            "un almacenamiento que vean todos (S3/MinIO, GCS o HDFS) para los artefactos y los datos",
        ),
    ),
    "spark": ClusterRunner(
        title="Apache Spark",
        orchestrator="Kubeflow Pipelines",
        args=(
            "--runner=PortableRunner",
            "--job_endpoint=spark-jobserver:8099",
            "--artifact_endpoint=spark-jobserver:8098",
            "--environment_type=EXTERNAL",
            "--environment_config=localhost:50000",
            "--sdk_container_image={image}",
        ),
        needs=(
            "un clúster de Spark 3 (master y workers, o Spark on Kubernetes)",
            "el job server de Beam para Spark (beam-runners-spark-3-job-server, un jar de Java de Maven), "
            "en spark-jobserver:8099",
            "un pool de workers de Beam junto a cada worker de Spark (como los beam-worker del laboratorio), "
            "o Docker en ellos con --environment_type=DOCKER --environment_config=<imagen>",
            "un almacenamiento que vean todos (S3/MinIO, GCS o HDFS) para los artefactos y los datos",
        ),
    ),
}


def cluster_path(path: Path | str, bucket: str) -> str:
    """A lab path as the cluster sees it: /tfx/... and /data/... go under the bucket; others stay (image files)."""
    path = Path(path)
    for lab_dir, folder in ((TFX_DIR, "tfx"), (DATA_DIR, "data")):
        if path == lab_dir or lab_dir in path.parents:
            return f"{bucket.rstrip('/')}/{folder}/{path.relative_to(lab_dir)}".rstrip("/.")
    return str(path)


def build_pipeline(module_name: str, beam_pipeline_args: list[str], bucket: str, pipeline_name: str | None = None,
                   overrides: dict[str, str] | None = None):
    """The module's create_pipeline(...) for the cluster, every argument by keyword.

    The pipeline's name is `pipeline_name`, else the module's PIPELINE_NAME; its
    root is <bucket>/tfx/<name>/artifacts. Every other argument without a default
    (data_root, serving_dir...) is the module's constant of the same name in
    capitals (DATA_ROOT, SERVING_DIR), moved under the bucket; `overrides` wins.
    """
    module = importlib.import_module(module_name)
    name = pipeline_name or getattr(module, "PIPELINE_NAME", module_name.split(".")[0])
    overrides = dict(overrides or {})
    kwargs = {
        "pipeline_name": name,
        "pipeline_root": f"{bucket.rstrip('/')}/tfx/{name}/artifacts",
        # Kubeflow Pipelines and Vertex AI keep ML Metadata themselves: this local file is never opened.
        "metadata_path": str(TFX_DIR / name / "kubeflow" / "metadata.sqlite"),
        "beam_pipeline_args": beam_pipeline_args,
    }
    for parameter in inspect.signature(module.create_pipeline).parameters.values():
        if parameter.name in overrides:
            kwargs[parameter.name] = overrides.pop(parameter.name)
        elif parameter.name not in kwargs and parameter.default is inspect.Parameter.empty:
            constant = parameter.name.upper()
            if not hasattr(module, constant):
                raise SystemExit(f"{module_name}.create_pipeline necesita {parameter.name}: "
                                 f"pásalo con --set {parameter.name}=...")
            kwargs[parameter.name] = cluster_path(getattr(module, constant), bucket)
    if overrides:
        raise SystemExit(f"{module_name}.create_pipeline no tiene los argumentos {sorted(overrides)}")
    return module.create_pipeline(**kwargs)


def compile_pipeline(pipeline, output_file: Path, image: str) -> Path:
    """Compile `pipeline` with KubeflowV2DagRunner to the PipelineJob JSON `output_file`, every component in `image`."""
    from tfx import v1 as tfx

    output_file.parent.mkdir(parents=True, exist_ok=True)
    output_file.unlink(missing_ok=True)
    runner = tfx.orchestration.experimental.KubeflowV2DagRunner(
        config=tfx.orchestration.experimental.KubeflowV2DagRunnerConfig(default_image=image),
        output_dir=str(output_file.parent), output_filename=output_file.name)
    runner.run(pipeline, write_out=True)
    return output_file


def lab_hosts() -> set[str]:
    """The host names the lab's own settings name (MLFLOW_TRACKING_URI, the Beam workers): only its network has them."""
    hosts = {worker.rpartition(":")[0] for worker in [*beam.DEFAULT_WORKERS, *beam.workers_from_env()]}
    hosts.add(urllib.parse.urlsplit(os.environ.get("MLFLOW_TRACKING_URI", "")).hostname or "")
    return hosts - {"", "localhost", "127.0.0.1"}


def host_problems(text: str, hosts: set[str]) -> list[str]:
    """Each of `hosts` that `text` names as a host: in a URL (http://mlflow:5000) or as host:port."""
    named = []
    for host in sorted(hosts):
        name = re.escape(host)
        if re.search(rf"://{name}(?=[:/\"']|$)|(?<![\w./-]){name}:\d+(?![\w.])", text):
            named.append(f"el JSON nombra {host}, un nombre de la red del laboratorio que un clúster no resuelve "
                         "(léelo del entorno al ejecutar, no como parámetro del pipeline)")
    return named


def parse_strictly(text: str):
    """The PipelineJob, its PipelineSpec and its PipelineDeploymentConfig; any unknown field is an error."""
    from google.protobuf import json_format
    from kfp.pipeline_spec import pipeline_spec_pb2

    job_dict = json.loads(text)
    job = json_format.ParseDict(job_dict, pipeline_spec_pb2.PipelineJob())
    spec = json_format.ParseDict(job_dict["pipelineSpec"], pipeline_spec_pb2.PipelineSpec())
    deployment = json_format.ParseDict(job_dict["pipelineSpec"]["deploymentSpec"],
                                       pipeline_spec_pb2.PipelineDeploymentConfig())
    return job, spec, deployment


def node_of(task: str, node_ids: set[str]) -> str | None:
    """The TFX node a compiled task comes from: the same id, or `<id>-...` for the tasks a Resolver becomes."""
    if task in node_ids:
        return task
    return next((n for n in sorted(node_ids, key=len, reverse=True) if task.startswith(f"{n}-")), None)


def dag_problems(spec, pipeline) -> list[str]:
    """Where the compiled DAG differs from the TFX pipeline's: missing or unknown tasks, extra or missing edges."""
    from tfx.dsl.components.common.resolver import Resolver

    node_ids = {node.id for node in pipeline.components}
    tasks = spec.root.dag.tasks
    problems = [f"la tarea {t} no corresponde a ningún componente" for t in tasks if node_of(t, node_ids) is None]
    compiled: dict[str, set[str]] = {n: set() for n in node_ids}
    for name, task in tasks.items():
        node = node_of(name, node_ids)
        upstream = set(task.dependent_tasks) | {
            a.task_output_artifact.producer_task for a in task.inputs.artifacts.values()
            if a.task_output_artifact.producer_task}
        if node is not None:
            compiled[node] |= {node_of(u, node_ids) for u in upstream} - {node}
    covered = {node_of(t, node_ids) for t in tasks}
    for node in pipeline.components:
        if node.id not in covered:
            problems.append(f"el componente {node.id} no tiene tarea")
            continue
        expected = {u.id for u in node.upstream_nodes}
        if compiled[node.id] != expected:
            why = (" (en Kubeflow un Resolver consulta ML Metadata al empezar: no espera a quien produce su "
                   "entrada; dale un tfx.dsl.Channel(type=...))") if isinstance(node, Resolver) else ""
            problems.append(f"{node.id} depende de {sorted(compiled[node.id])} en el JSON "
                            f"y de {sorted(expected)} en el pipeline de TFX{why}")
    return problems


def check(output_file: Path, pipeline, image: str, beam_args: list[str], hosts: set[str] = frozenset()) -> dict:
    """Parse the compiled file strictly and compare it with the pipeline; a summary with the problems found.

    `hosts`: host names of the lab's network the file must not name, besides lab_hosts().
    """
    from tfx.dsl.components.base.base_beam_component import BaseBeamComponent

    text = output_file.read_text()
    job, spec, deployment = parse_strictly(text)
    problems = host_problems(text, lab_hosts() | set(hosts))
    name = pipeline.pipeline_info.pipeline_name
    if spec.pipeline_info.name != name:
        problems.append(f"el JSON se llama {spec.pipeline_info.name}, el pipeline {name}")
    if job.runtime_config.gcs_output_directory != pipeline.pipeline_info.pipeline_root:
        problems.append(f"pipeline_root {job.runtime_config.gcs_output_directory} en el JSON")
    beam_components = {n.id for n in pipeline.components if isinstance(n, BaseBeamComponent)}
    for task_name, task in spec.root.dag.tasks.items():
        component = spec.components.get(task.component_ref.name)
        if component is None:
            problems.append(f"la tarea {task_name} usa el componente {task.component_ref.name}, que no está")
            continue
        executor = deployment.executors.get(component.executor_label)
        if executor is None:
            problems.append(f"el componente {task.component_ref.name} no tiene ejecutor {component.executor_label}")
        elif executor.HasField("container"):
            if executor.container.image != image:
                problems.append(f"{task_name} corre en {executor.container.image}, no en {image}")
            missing = [a for a in beam_args if a not in executor.container.args]
            if task_name in beam_components and missing:
                problems.append(f"{task_name} no lleva los argumentos de Beam {missing}")
    problems += dag_problems(spec, pipeline)
    return {"file": str(output_file), "pipeline": name, "tasks": sorted(spec.root.dag.tasks),
            "beam_components": sorted(beam_components), "problems": problems}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", help="the Proyecto's pipeline module, e.g. proyecto1.pipeline")
    parser.add_argument("--runner", nargs="+", choices=sorted(RUNNERS), default=list(RUNNERS),
                        help="Beam runners to compile for (default: all)")
    parser.add_argument("--project", default=PLACEHOLDERS["project"], help="Google Cloud project")
    parser.add_argument("--region", default=PLACEHOLDERS["region"])
    parser.add_argument("--bucket", default=PLACEHOLDERS["bucket"],
                        help="storage every worker reads: gs://..., s3://... (artifacts, data, temporaries)")
    parser.add_argument("--image", default=None,
                        help="the Proyecto's image in a registry (default: <region>-docker.pkg.dev/<project>/"
                             "tfx-lab/<package>:1.21)")
    parser.add_argument("--pipeline-name", default=None, help="default: the module's PIPELINE_NAME")
    parser.add_argument("--set", action="append", default=[], metavar="ARG=VALUE",
                        help="a create_pipeline argument (a path or text), e.g. --set data_root=gs://b/taxi")
    parser.add_argument("--output-dir", type=Path, default=None, help="default: /tfx/<pipeline>/kubeflow")
    parser.add_argument("--lab-host", action="append", default=[], metavar="NAME",
                        help="a host name of the lab's network the JSON must not name (besides mlflow, the workers)")
    args = parser.parse_args(argv)
    package = args.module.split(".")[0]
    image = args.image or f"{args.region}-docker.pkg.dev/{args.project}/tfx-lab/{package}:1.21"
    overrides = dict(item.split("=", 1) for item in args.set)
    summaries = []
    for runner_name in args.runner:
        runner = RUNNERS[runner_name]
        beam_args = runner.beam_args(project=args.project, region=args.region, bucket=args.bucket.rstrip("/"),
                                     image=image)
        pipeline = build_pipeline(args.module, beam_args, args.bucket, args.pipeline_name, overrides)
        name = pipeline.pipeline_info.pipeline_name
        output_dir = args.output_dir or TFX_DIR / name / "kubeflow"
        output_file = compile_pipeline(pipeline, output_dir / f"{name}-{runner_name}.json", image)
        summary = {"runner": runner_name, **check(output_file, pipeline, image, beam_args, set(args.lab_host))}
        summaries.append(summary)
        verdict = "válido" if not summary["problems"] else "CON PROBLEMAS: " + "; ".join(summary["problems"])
        print(f"{output_file}: {len(summary['tasks'])} tareas para {runner.orchestrator} con Beam en "
              f"{runner.title}, {verdict}")
        print(f"  Beam: {' '.join(beam_args)}")
        print("  Necesitas: " + "; ".join(runner.needs))
    print(json.dumps(summaries))
    sys.exit(1 if any(s["problems"] for s in summaries) else 0)


if __name__ == "__main__":
    main()
