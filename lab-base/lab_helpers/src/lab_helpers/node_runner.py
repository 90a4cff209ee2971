"""One node of a Proyecto's TFX pipeline at a time: what an orchestrator's task runs (Airflow, lab_airflow).

TFX's own orchestrators ran a pipeline this way (the Kubeflow v1
`container_entrypoint.py`, the Airflow 2 runner's `airflow_component.py`): the
pipeline is compiled to its IR, the IR's run id is set to the orchestrator's
run id, and TFX's `Launcher` runs ONE node (driver, executor, publisher;
Resolver and Importer nodes too) against the pipeline's ML Metadata. Every task
of one DAG run is then one TFX pipeline run in ML Metadata: a node finds its
inputs among the artifacts of that run, never among those of a notebook run
or another DAG run in between (which is what LocalDagRunner's partial runs
would reuse). A failed node fails alone, and re-running it re-runs only it.

The pipeline is the one `python -m proyecton.pipeline` runs: its module's
`main()` builds it with its default paths (artifacts and ML Metadata in
/tfx/proyecton/) and hands it to `lab_helpers.pipelines.run`, which here keeps
it instead of running it. Beam follows LAB_BEAM_MODE like every other run.

    python -m lab_helpers.node_runner manifest proyecto2.pipeline    # the nodes and their edges, as JSON
    python -m lab_helpers.node_runner run proyecto2.pipeline Trainer --run-id manual__2026-01-01

The DAG of each Proyecto (Proyectos/ProyectoN/dags/) is built from the
manifest, since Airflow's own processes cannot import TFX.
"""

import argparse
import importlib
import json
import os
import sys
import traceback
from unittest import mock

from tfx.dsl.compiler import compiler, constants
from tfx.orchestration import metadata
from tfx.orchestration.local import runner_utils
from tfx.orchestration.portable import launcher, runtime_parameter_utils

from lab_helpers import pipelines


def headless_pipeline(module_name: str):
    """The `tfx.dsl.Pipeline` that `python -m <module_name>` runs, built by the module's own main() and not run."""
    module = importlib.import_module(module_name)
    built = []
    with mock.patch.object(pipelines, "run", built.append):
        module.main([])
    if len(built) != 1:
        raise RuntimeError(f"{module_name}.main() debe construir un pipeline y pasarlo a lab_helpers.pipelines.run "
                           f"una sola vez (lo hizo {len(built)} veces).")
    return built[0]


def compiled(module_name: str):
    """The pipeline's IR (`pipeline_pb2.Pipeline`), its run id still a runtime parameter."""
    return compiler.Compiler().compile(headless_pipeline(module_name))


def manifest(module_name: str) -> dict:
    """The pipeline's name and its nodes in TFX's (topological) order, each with the ids of its upstream nodes."""
    ir = compiled(module_name)
    nodes = [{"id": node.pipeline_node.node_info.id, "upstream": sorted(node.pipeline_node.upstream_nodes)}
             for node in ir.nodes]
    return {"module": module_name, "pipeline": ir.pipeline_info.id, "nodes": nodes}


def run_node(module_name: str, node_id: str, run_id: str) -> None:
    """Run node `node_id` of the module's pipeline within the TFX pipeline run `run_id`."""
    ir = compiled(module_name)
    runtime_parameter_utils.substitute_runtime_parameter(ir, {constants.PIPELINE_RUN_ID_PARAMETER_NAME: run_id})
    nodes = {node.pipeline_node.node_info.id: node.pipeline_node for node in ir.nodes}
    if node_id not in nodes:
        raise KeyError(f"El pipeline {ir.pipeline_info.id} no tiene el componente {node_id!r}; "
                       f"tiene: {', '.join(nodes)}. ¿Cambió create_pipeline sin regenerar el manifiesto del DAG?")
    deployment = runner_utils.extract_local_deployment_config(ir)
    connection = deployment.metadata_connection_config
    connection = getattr(connection, connection.WhichOneof("connection_config"))
    executor_spec = runner_utils.extract_executor_spec(deployment, node_id)
    node_launcher = launcher.Launcher(
        pipeline_node=nodes[node_id], mlmd_connection=metadata.Metadata(connection),
        pipeline_info=ir.pipeline_info, pipeline_runtime_spec=ir.runtime_spec, executor_spec=executor_spec,
        custom_driver_spec=runner_utils.extract_custom_driver_spec(deployment, node_id))
    execution = node_launcher.launch()
    # A Resolver or Importer (no executor) may legitimately resolve nothing; a component that did not
    # run found no inputs of this run: its upstream tasks did not run in this DAG run.
    if execution is None and executor_spec is not None:
        raise RuntimeError(f"{node_id} no se ejecutó: no encontró sus entradas en la ejecución {run_id}. "
                           "Ejecuta antes las tareas de las que depende, en la misma ejecución del DAG.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    manifest_parser = commands.add_parser("manifest", help="print the pipeline's nodes and edges as JSON")
    manifest_parser.add_argument("module", help="the Proyecto's pipeline module, e.g. proyecto2.pipeline")
    run_parser = commands.add_parser("run", help="run one node within a pipeline run")
    run_parser.add_argument("module")
    run_parser.add_argument("node_id", help="the node's id in the pipeline, e.g. Trainer")
    run_parser.add_argument("--run-id", required=True, help="the pipeline run id (Airflow's run_id)")
    args = parser.parse_args(argv)
    if args.command == "manifest":
        print(json.dumps(manifest(args.module), indent=2))
        return
    try:
        run_node(args.module, args.node_id, args.run_id)
    except Exception as error:  # noqa: BLE001 - any failure of the component ends the task the same way
        # The traceback for the details; the last lines, what the task's log ends with.
        traceback.print_exc()
        print(f"\nERROR: el componente {args.node_id} del pipeline {args.module} falló en la ejecución "
              f"{args.run_id}: {error}\nCorrige la causa y vuelve a ejecutar solo esta tarea (Clear en Airflow).",
              file=sys.stderr)
        sys.exit(1)
    print(f"{args.node_id}: terminado (ejecución {args.run_id}).", flush=True)
    # Everything is in ML Metadata and on disk: skip the interpreter's shutdown, where TensorFlow's
    # and Beam's finalizers spend about 4 s of every task writing nothing.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
