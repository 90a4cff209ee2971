"""The Proyecto2 TFX pipeline: from the penguins CSV to a blessed model pushed to serving.

CsvExampleGen -> StatisticsGen -> SchemaGen (inferred) | ImportSchemaGen (curated,
schema/schema.pbtxt) -> ExampleValidator -> Transform -> (Tuner, optional) ->
Trainer -> Resolver (latest blessed model) -> Evaluator -> Pusher -> MlflowLogger
(a custom component, proyecto2/tracking.py: the run in MLflow, the pushed model in its registry).

The notebook builds the same components one by one, each in the cell that runs
it; headless, LocalDagRunner runs them all into /tfx/proyecto2:

    python -m proyecto2.pipeline            # inside the proyecto2 container
    python -m proyecto2.pipeline --worse    # a deliberately worse model: not blessed, not pushed
    python -m proyecto2.pipeline --tune     # search the hyperparameters with Tuner before training
"""

import json
from pathlib import Path

from tfx import v1 as tfx

from lab_helpers import pipelines
from lab_helpers.paths import DATA_DIR, TFX_DIR, require_data_dir
from proyecto2.evaluation import eval_config
from proyecto2.model import TrainingConfig
from proyecto2.tracking import MlflowLogger

PIPELINE_NAME = "proyecto2"
DATA_ROOT = DATA_DIR / "penguins"
# The curated schema (proyecto2.schema.curate_schema): the notebook writes it,
# ImportSchemaGen imports it, git keeps it.
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "schema.pbtxt"
# Pusher copies each blessed model to <SERVING_DIR>/<version>/, which the serving service watches.
SERVING_DIR = TFX_DIR / "serving" / "penguins"
# Each component imports its function by name and calls it.
PREPROCESSING_FN = "proyecto2.preprocessing.preprocessing_fn"  # Transform
RUN_FN = "proyecto2.model.run_fn"  # Trainer
TUNER_FN = "proyecto2.tuning.tuner_fn"  # Tuner
# A configuration that trains far too little: Evaluator must reject it.
WORSE_CONFIG = TrainingConfig(learning_rate=1e-4, hidden_units=2, epochs=1)


def create_pipeline(pipeline_name: str, pipeline_root: Path | str, data_root: Path | str,
                    metadata_path: Path | str, serving_dir: Path | str, schema_path: Path | str = SCHEMA_PATH,
                    config: TrainingConfig | None = None, tune: bool = False,
                    beam_pipeline_args: list[str] | None = None) -> tfx.dsl.Pipeline:
    """The whole pipeline, every path an argument; `tune` adds a Tuner whose best values replace `config`'s."""
    config = config or TrainingConfig()
    # Only the CSV files of the folder (it also holds a README), split 2:1 into train and eval.
    example_gen = tfx.components.CsvExampleGen(
        input_base=str(require_data_dir(data_root)),
        input_config=pipelines.CSV_FILES_ONLY)
    statistics_gen = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
    # The inferred schema is a starting point to review; the pipeline uses the curated one.
    schema_gen = tfx.components.SchemaGen(statistics=statistics_gen.outputs["statistics"],
                                          infer_feature_shape=True)
    import_schema_gen = tfx.components.ImportSchemaGen(schema_file=str(schema_path))
    schema = import_schema_gen.outputs["schema"]
    example_validator = tfx.components.ExampleValidator(statistics=statistics_gen.outputs["statistics"],
                                                        schema=schema)
    transform = tfx.components.Transform(examples=example_gen.outputs["examples"], schema=schema,
                                         preprocessing_fn=PREPROCESSING_FN)
    components = [example_gen, statistics_gen, schema_gen, import_schema_gen, example_validator, transform]
    hyperparameters = None
    if tune:
        tuner = tfx.components.Tuner(
            tuner_fn=TUNER_FN, examples=transform.outputs["transformed_examples"],
            transform_graph=transform.outputs["transform_graph"], schema=schema,
            custom_config=config.to_custom_config())
        components.append(tuner)
        hyperparameters = tuner.outputs["best_hyperparameters"]
    trainer = tfx.components.Trainer(
        run_fn=RUN_FN, examples=transform.outputs["transformed_examples"],
        transform_graph=transform.outputs["transform_graph"], schema=schema,
        custom_config=config.to_custom_config(), hyperparameters=hyperparameters)
    # The baseline: the newest model Evaluator blessed before (none the first time).
    resolver = tfx.dsl.Resolver(
        strategy_class=tfx.dsl.experimental.LatestBlessedModelStrategy,
        model=tfx.dsl.Channel(type=tfx.types.standard_artifacts.Model),
        model_blessing=tfx.dsl.Channel(type=tfx.types.standard_artifacts.ModelBlessing),
    ).with_id("latest_blessed_model_resolver")
    evaluator = tfx.components.Evaluator(
        examples=example_gen.outputs["examples"], model=trainer.outputs["model"],
        baseline_model=resolver.outputs["model"], eval_config=eval_config())
    pusher = tfx.components.Pusher(
        model=trainer.outputs["model"], model_blessing=evaluator.outputs["blessing"],
        push_destination=tfx.proto.PushDestination(
            filesystem=tfx.proto.PushDestination.Filesystem(base_directory=str(serving_dir))))
    # Logs the run to MLflow and registers the pushed model (a custom component: proyecto2/tracking.py).
    mlflow_logger = MlflowLogger(
        model_run=trainer.outputs["model_run"], evaluation_result=evaluator.outputs["evaluation"],
        blessing=evaluator.outputs["blessing"], pushed_model=pusher.outputs["pushed_model"], schema=schema,
        hyperparameters=hyperparameters, training_config=json.dumps(config.to_custom_config()))
    components += [trainer, resolver, evaluator, pusher, mlflow_logger]
    return pipelines.lab_pipeline(pipeline_name, pipeline_root, components, metadata_path, beam_pipeline_args)


def main(argv: list[str] | None = None) -> None:
    """Run the pipeline headless into the shared volume, with its own MLMD database."""
    parser = pipelines.headless_parser(__doc__.splitlines()[0], PIPELINE_NAME, DATA_ROOT)
    parser.add_argument("--schema-path", type=Path, default=SCHEMA_PATH)
    parser.add_argument("--serving-dir", type=Path, default=SERVING_DIR)
    parser.add_argument("--worse", action="store_true", help="train the deliberately worse configuration")
    parser.add_argument("--tune", action="store_true", help="search the hyperparameters with Tuner first")
    args = parser.parse_args(argv)
    paths = pipelines.paths_from(args)
    pipelines.run(create_pipeline(
        pipeline_name=paths.name, pipeline_root=paths.pipeline_root, data_root=args.data_root,
        metadata_path=paths.metadata_path, serving_dir=args.serving_dir, schema_path=args.schema_path,
        config=WORSE_CONFIG if args.worse else None, tune=args.tune))


if __name__ == "__main__":
    main()
