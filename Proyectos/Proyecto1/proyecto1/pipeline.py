"""The Proyecto1 TFX pipeline: ingest, describe, validate and transform the Chicago Taxi sample.

CsvExampleGen -> StatisticsGen -> SchemaGen (inferred) | ImportSchemaGen (curated,
schema/schema.pbtxt) -> StatisticsGen with the curated schema -> ExampleValidator
-> Transform; then the new data (the next span, a serving copy, a corrupted
copy) ingested, described and validated against the curated schema.

The notebook builds the same components one by one, each in the cell that runs
it; headless, LocalDagRunner runs them all into /tfx/proyecto1:

    python -m proyecto1.pipeline            # inside the proyecto1 container
"""

from pathlib import Path

from tfx import v1 as tfx

from lab_helpers import pipelines
from lab_helpers.paths import DATA_DIR, require_data_dir
from proyecto1.anomalies import INCOMING_SPLITS, prepare_incoming

PIPELINE_NAME = "proyecto1"
TAXI_DIR = DATA_DIR / "chicago-taxi"
DATA_ROOT = TAXI_DIR / "span-1"
NEXT_SPAN_CSV = TAXI_DIR / "span-2" / "data.csv"
# The curated schema (stages 4-5 of the notebook, proyecto1.schema.curate_schema):
# the notebook writes it, ImportSchemaGen imports it, git keeps it.
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "schema.pbtxt"
# Transform imports this function by name and calls it (proyecto1/preprocessing.py).
PREPROCESSING_FN = "proyecto1.preprocessing.preprocessing_fn"


def create_pipeline(pipeline_name: str, pipeline_root: Path | str, data_root: Path | str,
                    metadata_path: Path | str, schema_path: Path | str = SCHEMA_PATH,
                    incoming_root: Path | str | None = None,
                    beam_pipeline_args: list[str] | None = None) -> tfx.dsl.Pipeline:
    """The whole pipeline, every path an argument; with `incoming_root`, it also validates the new data."""
    # CsvExampleGen reads every CSV file of a folder (not a single file) and
    # splits it 2:1 into train and eval.
    example_gen = tfx.components.CsvExampleGen(input_base=str(require_data_dir(data_root)))
    statistics_gen = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
    schema_gen = tfx.components.SchemaGen(statistics=statistics_gen.outputs["statistics"],
                                          infer_feature_shape=True)
    # The schema curated by hand (proyecto1.schema) comes back into the pipeline as an artifact.
    import_schema_gen = tfx.components.ImportSchemaGen(schema_file=str(schema_path))
    curated_schema = import_schema_gen.outputs["schema"]
    curated_statistics_gen = tfx.components.StatisticsGen(
        examples=example_gen.outputs["examples"], schema=curated_schema).with_id("CuratedStatisticsGen")
    example_validator = tfx.components.ExampleValidator(
        statistics=curated_statistics_gen.outputs["statistics"], schema=curated_schema)
    transform = tfx.components.Transform(examples=example_gen.outputs["examples"], schema=curated_schema,
                                         preprocessing_fn=PREPROCESSING_FN)
    components = [example_gen, statistics_gen, schema_gen, import_schema_gen, curated_statistics_gen,
                  example_validator, transform]
    if incoming_root is not None:
        # New data, one split per folder (proyecto1.anomalies.prepare_incoming): the next span,
        # a serving copy without tips (validated in the SERVING environment instead) and a corrupted copy.
        splits = [tfx.proto.Input.Split(name=name, pattern=f"{name}/*.csv") for name in INCOMING_SPLITS]
        incoming_example_gen = tfx.components.CsvExampleGen(
            input_base=str(incoming_root), input_config=tfx.proto.Input(splits=splits)).with_id("IncomingExampleGen")
        incoming_statistics_gen = tfx.components.StatisticsGen(
            examples=incoming_example_gen.outputs["examples"], schema=curated_schema).with_id("IncomingStatisticsGen")
        incoming_example_validator = tfx.components.ExampleValidator(
            statistics=incoming_statistics_gen.outputs["statistics"], schema=curated_schema,
            exclude_splits=["serving"]).with_id("IncomingExampleValidator")
        components += [incoming_example_gen, incoming_statistics_gen, incoming_example_validator]
    return pipelines.lab_pipeline(pipeline_name, pipeline_root, components, metadata_path, beam_pipeline_args)


def main(argv: list[str] | None = None) -> None:
    """Run the pipeline headless into the shared volume, with its own MLMD database."""
    parser = pipelines.headless_parser(__doc__.splitlines()[0], PIPELINE_NAME, DATA_ROOT)
    parser.add_argument("--new-span", type=Path, default=NEXT_SPAN_CSV,
                        help="CSV of the next span, validated with its serving and corrupted copies")
    parser.add_argument("--schema-path", type=Path, default=SCHEMA_PATH)
    args = parser.parse_args(argv)
    paths = pipelines.paths_from(args)
    incoming_root = paths.root / "incoming"
    prepare_incoming(args.new_span, incoming_root)
    pipelines.run(create_pipeline(
        pipeline_name=paths.name, pipeline_root=paths.pipeline_root, data_root=args.data_root,
        metadata_path=paths.metadata_path, schema_path=args.schema_path, incoming_root=incoming_root))


if __name__ == "__main__":
    main()
