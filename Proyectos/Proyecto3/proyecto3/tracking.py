"""Every batch's decision as an MLflow run, the champion in MLflow's registry, and the history read back from both.

    python -m proyecto3.tracking --run-id <DAG run id>    # the DAG's last task: record this run's batch

Experiment EXPERIMENT_NAME has one run per batch (named "lote B · span S"):
- tags: the outcome (`decision`: omitido / rechazado / promovido), its reason
  in words, the span, the batch, the DAG run and the model version served after it;
- metrics: the batch's rows, the drift of each feature against the champion's
  span (`deriva_<feature>`), the candidate's and the champion's accuracy;
- a promoted candidate's SavedModel (what Pusher published) as the run's
  artifact `model`, registered as a new version of REGISTERED_MODEL with the
  alias `champion` moved to it. The serving service answers with the same
  model: Pusher's newest version under /tfx/serving/taxi, which only a blessed
  candidate reaches.

`history_table()` and `plot_history()` are what the notebook shows.
"""

import argparse
import contextlib
import io
import logging
import os
from dataclasses import replace

import matplotlib.pyplot as plt
import mlflow
import pandas as pd
from matplotlib.ticker import MaxNLocator

from proyecto3.decision import METRIC_LABEL, OMITTED, PROMOTED, REJECTED
from proyecto3.history import History, Record

logging.getLogger("mlflow").setLevel(logging.WARNING)
EXPERIMENT_NAME = "proyecto3"
REGISTERED_MODEL = os.environ.get("PROYECTO3_REGISTERED_MODEL", "taxi")
CHAMPION = "champion"
# Where each outcome is drawn, and in which colour, in plot_history.
COLOURS = {PROMOTED: "tab:green", REJECTED: "tab:red", OMITTED: "tab:gray"}


def tracking_uri() -> str:
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if not uri:
        raise RuntimeError("MLFLOW_TRACKING_URI no está definida: es la dirección del servidor de MLflow "
                           "(http://mlflow:5000 en el laboratorio, que la pone docker-compose.yaml).")
    return uri


def run_name(record: Record) -> str:
    return f"lote {record.batch_number} · span {record.span}"


def record_batch(record: Record, saved_model_dir: str | None = None) -> str:
    """Log `record` as a run of EXPERIMENT_NAME (and register `saved_model_dir` if promoted); its run id."""
    mlflow.set_tracking_uri(tracking_uri())
    mlflow.set_experiment(EXPERIMENT_NAME)
    tags = {"decision": record.outcome, "motivo": record.reason, "span": str(record.span),
            "lote": str(record.batch_number), "dag_run_id": record.run_id,
            "version_servida": str(record.model_version or ""), "span_campeon": str(record.champion_span or "")}
    metrics = {"filas": record.rows, **{f"deriva_{f}": v for f, v in record.drift.items()}}
    if record.candidate is not None:
        metrics[f"{METRIC_LABEL}_candidato"] = record.candidate
    if record.champion is not None:
        metrics[f"{METRIC_LABEL}_campeon"] = record.champion
    with mlflow.start_run(run_name=run_name(record), tags=tags) as run:
        mlflow.log_metrics(metrics, step=record.span)
        if record.outcome == PROMOTED and saved_model_dir:
            register(run.info.run_id, saved_model_dir, record)
    return run.info.run_id


def register(run_id: str, saved_model_dir: str, record: Record) -> int:
    """The promoted SavedModel as the run's artifact, a new registry version, and the `champion` alias on it."""
    client = mlflow.MlflowClient()
    with contextlib.redirect_stderr(io.StringIO()):  # MLflow narrates uploads on stderr
        mlflow.log_artifacts(saved_model_dir, artifact_path="model")
    with contextlib.suppress(mlflow.exceptions.MlflowException):  # it exists after the first promotion
        client.create_registered_model(REGISTERED_MODEL, description="El campeón de Proyecto3 (taxis de Chicago).")
    source = f"{mlflow.get_run(run_id).info.artifact_uri}/model"
    version = client.create_model_version(
        REGISTERED_MODEL, source=source, run_id=run_id,
        tags={"pushed_version": str(record.model_version), "span": str(record.span)},
        description=f"Lote {record.batch_number} (span {record.span}): {record.reason}")
    client.set_registered_model_alias(REGISTERED_MODEL, CHAMPION, version.version)
    return int(version.version)


def history_table(experiment_name: str = EXPERIMENT_NAME) -> pd.DataFrame:
    """One row per batch, oldest first, from the experiment's runs: what arrived, the decision and why."""
    mlflow.set_tracking_uri(tracking_uri())
    runs = mlflow.search_runs(experiment_names=[experiment_name], order_by=["attributes.start_time ASC"])
    if runs.empty:
        return pd.DataFrame(columns=["lote", "span", "filas", "decisión", "motivo"])

    def column(name: str) -> pd.Series:
        if name in runs:
            return runs[name]
        # A metric no run has logged yet (the champion's, before any promotion) is NaN, so it still rounds.
        return pd.Series([None] * len(runs), index=runs.index, dtype=float if name.startswith("metrics.") else object)

    table = pd.DataFrame({
        "lote": pd.to_numeric(column("tags.lote"), errors="coerce").astype("Int64"),
        "span": pd.to_numeric(column("tags.span"), errors="coerce").astype("Int64"),
        "filas": column("metrics.filas").astype("Int64"),
        **{name.removeprefix("metrics."): runs[name].round(3)
           for name in sorted(runs.columns) if name.startswith("metrics.deriva_")},
        f"{METRIC_LABEL} candidato": column(f"metrics.{METRIC_LABEL}_candidato").round(3),
        f"{METRIC_LABEL} campeón": column(f"metrics.{METRIC_LABEL}_campeon").round(3),
        "decisión": column("tags.decision"),
        "motivo": column("tags.motivo"),
        "versión servida": column("tags.version_servida"),
    })
    return table.sort_values("span", kind="stable").reset_index(drop=True)


def plot_history(table: pd.DataFrame):
    """The champion's accuracy over the batches and each candidate's, coloured by its outcome."""
    figure, axis = plt.subplots(figsize=(8, 3.5))
    candidate, champion = f"{METRIC_LABEL} candidato", f"{METRIC_LABEL} campeón"
    # The champion in service AFTER each batch: a promoted candidate replaces it from its own batch on.
    promoted = table["decisión"] == PROMOTED
    in_service = table[champion].where(~promoted, table[candidate]).astype(float)
    axis.step(table["span"], in_service, where="post", color="tab:blue", label="campeón (en servicio)")
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    for outcome, colour in COLOURS.items():
        rows = table[(table["decisión"] == outcome) & table[candidate].notna()]
        axis.scatter(rows["span"], rows[candidate], color=colour, label=f"candidato {outcome}", zorder=3)
    axis.set_xlabel("span (lote recogido)")
    axis.set_ylabel(METRIC_LABEL)
    axis.set_title("Entrenamiento continuo: el campeón y cada candidato")
    axis.legend(loc="lower right", fontsize="small")
    return figure


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-id", required=True, help="the DAG run whose batch to record")
    parser.add_argument("--serving-dir", default=None, help="where Pusher publishes (default: the pipeline's)")
    args = parser.parse_args(argv)
    from proyecto3.pipeline import SERVING_DIR  # noqa: PLC0415 - imports TFX; the table above needs none

    history = History()
    record = history.of_run(args.run_id)
    if record is None:
        raise SystemExit(f"La ejecución {args.run_id} no tomó ninguna decisión (¿falló la tarea gate?): "
                         "no hay nada que registrar en MLflow.")
    model_dir = None
    if record.outcome == PROMOTED:
        model_dir = os.path.join(args.serving_dir or str(SERVING_DIR), str(record.model_version))
    mlflow_run = record_batch(record, model_dir)
    history.add(replace(record, mlflow_run_id=mlflow_run))
    print(f"Registrado en MLflow (experimento {EXPERIMENT_NAME}, run {mlflow_run}): "
          f"{record.outcome} — {record.reason}", flush=True)


if __name__ == "__main__":
    main()
