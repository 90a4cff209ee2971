"""The Proyecto2 TFX pipeline: from the penguins CSV to a blessed model pushed to serving.

CsvExampleGen -> StatisticsGen -> SchemaGen (inferred) / ImportSchemaGen (curated)
-> ExampleValidator -> Transform -> (Tuner, optional) -> Trainer -> Resolver (latest blessed model)
-> Evaluator -> Pusher -> MlflowLogger. The notebook runs the components one by one with
InteractiveContext; the same pipeline runs headless with LocalDagRunner:

    python -m proyecto2.pipeline            # inside the proyecto2 container
    python -m proyecto2.pipeline --worse    # a deliberately worse model: not blessed, not pushed
    python -m proyecto2.pipeline --tune     # search the hyperparameters with Tuner before training
"""

import argparse
import json
from pathlib import Path

from tfx import v1 as tfx

from lab_base.beam import beam_pipeline_args as lab_beam_args
from lab_base.paths import DATA_DIR, TFX_DIR, pipeline_paths, require_data_dir
from proyecto2.evaluation import eval_config
from proyecto2.model import TrainingConfig
from proyecto2.tracking import MlflowLogger

PIPELINE_NAME = "proyecto2"
PENGUIN_DATA = DATA_DIR / "penguins"
# The curated schema, reviewed and kept in git (see proyecto2/schema.py).
CURATED_SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "schema.pbtxt"
# Pusher copies each blessed model to <SERVING_DIR>/<version>/, which the serving service watches.
SERVING_DIR = TFX_DIR / "serving" / "penguins"
# A configuration that trains far too little: Evaluator must reject it.
WORSE_CONFIG = TrainingConfig(learning_rate=1e-4, hidden_units=2, epochs=1)


def create_data_components(data_root: Path | str, schema_path: Path | str = CURATED_SCHEMA) -> dict:
    """Ingest, describe and validate the data, and transform it; by name."""
    # Only the CSV files of the folder (it also holds a README), split 2:1 into train and eval.
    example_gen = tfx.components.CsvExampleGen(
        input_base=str(require_data_dir(data_root)),
        input_config=tfx.proto.Input(splits=[tfx.proto.Input.Split(name="all", pattern="*.csv")]))
    statistics_gen = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
    # The inferred schema is a starting point to review; the pipeline uses the curated one.
    schema_gen = tfx.components.SchemaGen(statistics=statistics_gen.outputs["statistics"],
                                          infer_feature_shape=True)
    curated_schema = tfx.components.ImportSchemaGen(schema_file=str(schema_path))
    example_validator = tfx.components.ExampleValidator(statistics=statistics_gen.outputs["statistics"],
                                                        schema=curated_schema.outputs["schema"])
    transform = tfx.components.Transform(
        examples=example_gen.outputs["examples"],
        schema=curated_schema.outputs["schema"],
        preprocessing_fn="proyecto2.preprocessing.preprocessing_fn",
    )
    return {
        "example_gen": example_gen,
        "statistics_gen": statistics_gen,
        "schema_gen": schema_gen,
        "curated_schema": curated_schema,
        "example_validator": example_validator,
        "transform": transform,
    }


def create_model_components(data: dict, serving_dir: Path | str, config: TrainingConfig | None = None,
                            accuracy_lower_bound: float | None = None, suffix: str = "", tune: bool = False) -> dict:
    """(Tune,) train, compare with the latest blessed model, and push if blessed; by name.

    `data` is what create_data_components returned; `suffix` tells apart the
    components of a second training run in the same notebook; `tune` adds a
    Tuner whose best hyperparameters replace those of `config`.
    """
    config = config or TrainingConfig()
    components = {}
    if tune:
        components["tuner"] = tfx.components.Tuner(
            tuner_fn="proyecto2.tuning.tuner_fn",
            examples=data["transform"].outputs["transformed_examples"],
            transform_graph=data["transform"].outputs["transform_graph"],
            schema=data["curated_schema"].outputs["schema"],
            custom_config=config.to_custom_config(),
        ).with_id(f"Tuner{suffix}")
    trainer = tfx.components.Trainer(
        run_fn="proyecto2.model.run_fn",
        examples=data["transform"].outputs["transformed_examples"],
        transform_graph=data["transform"].outputs["transform_graph"],
        schema=data["curated_schema"].outputs["schema"],
        custom_config=config.to_custom_config(),
        hyperparameters=components["tuner"].outputs["best_hyperparameters"] if tune else None,
    ).with_id(f"Trainer{suffix}")
    # The baseline: the newest model Evaluator blessed before (none the first time).
    baseline = tfx.dsl.Resolver(
        strategy_class=tfx.dsl.experimental.LatestBlessedModelStrategy,
        model=tfx.dsl.Channel(type=tfx.types.standard_artifacts.Model),
        model_blessing=tfx.dsl.Channel(type=tfx.types.standard_artifacts.ModelBlessing),
    ).with_id(f"latest_blessed_model_resolver{suffix}")
    thresholds = {} if accuracy_lower_bound is None else {"accuracy_lower_bound": accuracy_lower_bound}
    evaluator = tfx.components.Evaluator(
        examples=data["example_gen"].outputs["examples"],
        model=trainer.outputs["model"],
        baseline_model=baseline.outputs["model"],
        eval_config=eval_config(**thresholds),
    ).with_id(f"Evaluator{suffix}")
    pusher = tfx.components.Pusher(
        model=trainer.outputs["model"],
        model_blessing=evaluator.outputs["blessing"],
        push_destination=tfx.proto.PushDestination(
            filesystem=tfx.proto.PushDestination.Filesystem(base_directory=str(serving_dir))),
    ).with_id(f"Pusher{suffix}")
    # Logs the run to MLflow and registers the pushed model (a custom component: proyecto2/tracking.py).
    mlflow_logger = MlflowLogger(
        model_run=trainer.outputs["model_run"],
        evaluation_result=evaluator.outputs["evaluation"],
        blessing=evaluator.outputs["blessing"],
        pushed_model=pusher.outputs["pushed_model"],
        schema=data["curated_schema"].outputs["schema"],
        hyperparameters=components["tuner"].outputs["best_hyperparameters"] if tune else None,
        training_config=json.dumps(config.to_custom_config()),
    ).with_id(f"MlflowLogger{suffix}")
    return {**components, "trainer": trainer, "baseline": baseline, "evaluator": evaluator, "pusher": pusher,
            "mlflow_logger": mlflow_logger}


def create_pipeline(pipeline_name: str, pipeline_root: Path | str, data_root: Path | str,
                    metadata_path: Path | str, serving_dir: Path | str, schema_path: Path | str = CURATED_SCHEMA,
                    config: TrainingConfig | None = None, tune: bool = False,
                    beam_pipeline_args: list[str] | None = None) -> tfx.dsl.Pipeline:
    """The whole pipeline, every path an argument."""
    data = create_data_components(data_root, schema_path)
    model = create_model_components(data, serving_dir, config, tune=tune)
    return tfx.dsl.Pipeline(
        pipeline_name=pipeline_name,
        pipeline_root=str(pipeline_root),
        components=[*data.values(), *model.values()],
        metadata_connection_config=tfx.orchestration.metadata.sqlite_metadata_connection_config(
            str(metadata_path)),
        beam_pipeline_args=lab_beam_args() if beam_pipeline_args is None else beam_pipeline_args,
    )


def main(argv: list[str] | None = None) -> None:
    """Run the pipeline headless into the shared volume, with its own MLMD database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=PENGUIN_DATA)
    parser.add_argument("--pipeline-name", default=PIPELINE_NAME)
    parser.add_argument("--tfx-dir", type=Path, default=None, help="default: $LAB_TFX_DIR (/tfx)")
    parser.add_argument("--serving-dir", type=Path, default=SERVING_DIR)
    parser.add_argument("--worse", action="store_true", help="train the deliberately worse configuration")
    parser.add_argument("--tune", action="store_true", help="search the hyperparameters with Tuner first")
    args = parser.parse_args(argv)
    paths = pipeline_paths(args.pipeline_name, args.tfx_dir)
    tfx.orchestration.LocalDagRunner().run(create_pipeline(
        pipeline_name=paths.name, pipeline_root=paths.pipeline_root, data_root=args.data_root,
        metadata_path=paths.metadata_path, serving_dir=args.serving_dir,
        config=WORSE_CONFIG if args.worse else None, tune=args.tune))
    print(f"Pipeline {paths.name}: artefactos en {paths.pipeline_root}, metadatos en {paths.metadata_path}")


if __name__ == "__main__":
    main()
