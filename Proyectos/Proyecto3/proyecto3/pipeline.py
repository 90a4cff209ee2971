"""The Proyecto3 TFX pipeline: one span of taxi trips, from its CSV to a blessed model pushed to serving.

CsvExampleGen (one span) -> StatisticsGen -> ImportSchemaGen (curated, schema/schema.pbtxt)
-> ExampleValidator -> Transform -> Trainer -> Resolver (latest blessed model) -> Evaluator -> Pusher

Each batch the data API serves is written as a span folder by proyecto3.collect
(<data_root>/span-<N>/data.csv). CsvExampleGen reads **one span per run**: its
input pattern is `span-{SPAN}/*.csv`, and its range_config pins the span to
read when one is given (`--span N`); without one, ExampleGen takes the newest
span present when it runs. One span and not a window of them: the batches are
time-ordered and drift, so the newest is the best picture of the world the
model will serve, and a span omitted for anomalies can never slip into a
training window (TFX's FileBasedExampleGen ingests exactly one span per
execution anyway; a window would be a Resolver over several Examples).

The Evaluator compares the candidate with the latest blessed model (the
champion) on the same eval split: a value threshold and a change threshold
(proyecto3.evaluation). What to do with the batch — omit, reject, promote —
is proyecto3.decision's, applied by the Airflow DAG; headless, the whole graph
runs on the span:

    python -m proyecto3.pipeline             # inside the proyecto3 container, on the newest span
                                             # (with none collected yet, it collects the API's current batch)
    python -m proyecto3.pipeline --span 2    # on span 2

Proyecto2's MLflow logging component (proyecto2.tracking) is not importable
here (it lives in Proyecto2's image): the MLflow record comes later.
"""

import sys
from pathlib import Path

from tfx import v1 as tfx

from lab_helpers import pipelines
from lab_helpers.paths import TFX_DIR
from proyecto3.collect import DATA_ROOT, SPAN_FOLDER, collect
from proyecto3.evaluation import eval_config
from proyecto3.model import TrainingConfig
from proyecto3.schema import SCHEMA_PATH

PIPELINE_NAME = "proyecto3"
# Pusher copies each blessed model to <SERVING_DIR>/<version>/.
SERVING_DIR = TFX_DIR / "serving" / "taxi"
# Each component imports its function by name and calls it.
PREPROCESSING_FN = "proyecto3.preprocessing.preprocessing_fn"  # Transform
RUN_FN = "proyecto3.model.run_fn"  # Trainer
# Every span's CSV, as one split that CsvExampleGen divides 2:1 into train and eval.
SPAN_INPUT = tfx.proto.Input(splits=[tfx.proto.Input.Split(
    name="all", pattern=f"{SPAN_FOLDER.format(span='{SPAN}')}/*.csv")])


def span_range(span: int | None) -> tfx.proto.RangeConfig | None:
    """Pin CsvExampleGen to `span`; None lets it take the newest span present when it runs."""
    if span is None:
        return None
    return tfx.proto.RangeConfig(static_range=tfx.proto.StaticRange(
        start_span_number=span, end_span_number=span))


def create_pipeline(pipeline_name: str, pipeline_root: Path | str, data_root: Path | str,
                    metadata_path: Path | str, serving_dir: Path | str, schema_path: Path | str = SCHEMA_PATH,
                    span: int | None = None, config: TrainingConfig | None = None,
                    beam_pipeline_args: list[str] | None = None) -> tfx.dsl.Pipeline:
    """The whole pipeline on one span of `data_root` (the newest, or `span`), every path an argument."""
    config = config or TrainingConfig()
    example_gen = tfx.components.CsvExampleGen(input_base=str(data_root), input_config=SPAN_INPUT,
                                               range_config=span_range(span))
    statistics_gen = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
    import_schema_gen = tfx.components.ImportSchemaGen(schema_file=str(schema_path))
    schema = import_schema_gen.outputs["schema"]
    example_validator = tfx.components.ExampleValidator(statistics=statistics_gen.outputs["statistics"],
                                                        schema=schema)
    transform = tfx.components.Transform(examples=example_gen.outputs["examples"], schema=schema,
                                         preprocessing_fn=PREPROCESSING_FN)
    trainer = tfx.components.Trainer(
        run_fn=RUN_FN, examples=transform.outputs["transformed_examples"],
        transform_graph=transform.outputs["transform_graph"], schema=schema,
        custom_config=config.to_custom_config())
    # The baseline: the newest model Evaluator blessed before, the champion (none the first time).
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
    components = [example_gen, statistics_gen, import_schema_gen, example_validator, transform, trainer,
                  resolver, evaluator, pusher]
    return pipelines.lab_pipeline(pipeline_name, pipeline_root, components, metadata_path, beam_pipeline_args)


def main(argv: list[str] | None = None) -> None:
    """Build the pipeline on the spans collected so far and run it headless, with its own MLMD database."""
    parser = pipelines.headless_parser(__doc__.splitlines()[0], PIPELINE_NAME, DATA_ROOT)
    parser.add_argument("--schema-path", type=Path, default=SCHEMA_PATH)
    parser.add_argument("--serving-dir", type=Path, default=SERVING_DIR)
    parser.add_argument("--span", type=int, default=None, help="the span to read (default: the newest)")
    args = parser.parse_args(argv)
    paths = pipelines.paths_from(args)
    pipelines.run(create_pipeline(
        pipeline_name=paths.name, pipeline_root=paths.pipeline_root, data_root=args.data_root,
        metadata_path=paths.metadata_path, serving_dir=args.serving_dir, schema_path=args.schema_path,
        span=args.span))


def collect_first_batch(data_root: Path | str = DATA_ROOT) -> None:
    """With nothing collected yet (a fresh lab), the data API's current batch becomes span 1."""
    if not any(Path(data_root).glob(SPAN_FOLDER.format(span="*"))):
        print(collect(data_root).message, flush=True)


if __name__ == "__main__":
    # Only when run as a command: main() itself never calls the API (the DAG's manifest is built from it).
    if not {"--span", "--data-root"} & {arg.split("=")[0] for arg in sys.argv[1:]}:
        collect_first_batch()
    main()
