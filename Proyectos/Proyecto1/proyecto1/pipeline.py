"""The Proyecto1 TFX pipeline: ingest, describe, validate and transform the Chicago Taxi sample.

The notebook runs these components one by one with InteractiveContext; the
same pipeline runs headless with LocalDagRunner:

    python -m proyecto1.pipeline            # inside the proyecto1 container
"""

import argparse
from pathlib import Path

from tfx import v1 as tfx

from lab_base import beam
from lab_base.paths import DATA_DIR, pipeline_paths, require_data_dir
from proyecto1.anomalies import INCOMING_SPLITS, prepare_incoming

PIPELINE_NAME = "proyecto1"
TAXI_DIR = DATA_DIR / "chicago-taxi"
TAXI_DATA = TAXI_DIR / "span-1"
NEXT_SPAN_CSV = TAXI_DIR / "span-2" / "data.csv"
# The curated schema (stages 4-5 of the notebook, proyecto1.schema.curate_schema),
# committed so the headless run imports the same schema the notebook builds.
CURATED_SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "schema.pbtxt"
# Transform imports and calls this function (proyecto1/preprocessing.py).
PREPROCESSING_FN = "proyecto1.preprocessing.preprocessing_fn"


def create_components(data_root: Path | str, schema_file: Path | str = CURATED_SCHEMA) -> dict:
    """The main chain, by name: ingest, statistics, inferred and curated schema, validation, Transform."""
    # CsvExampleGen reads every CSV file of a folder (not a single file) and
    # splits it 2:1 into train and eval.
    example_gen = tfx.components.CsvExampleGen(input_base=str(require_data_dir(data_root)))
    statistics_gen = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
    schema_gen = tfx.components.SchemaGen(statistics=statistics_gen.outputs["statistics"],
                                          infer_feature_shape=True)
    # The schema curated by hand (proyecto1.schema) comes back into the pipeline as an artifact.
    import_schema_gen = tfx.components.ImportSchemaGen(schema_file=str(schema_file))
    curated_schema = import_schema_gen.outputs["schema"]
    curated_statistics_gen = tfx.components.StatisticsGen(
        examples=example_gen.outputs["examples"], schema=curated_schema).with_id("CuratedStatisticsGen")
    example_validator = tfx.components.ExampleValidator(
        statistics=curated_statistics_gen.outputs["statistics"], schema=curated_schema)
    transform = tfx.components.Transform(examples=example_gen.outputs["examples"], schema=curated_schema,
                                         preprocessing_fn=PREPROCESSING_FN)
    return {
        "example_gen": example_gen,
        "statistics_gen": statistics_gen,
        "schema_gen": schema_gen,
        "import_schema_gen": import_schema_gen,
        "curated_statistics_gen": curated_statistics_gen,
        "example_validator": example_validator,
        "transform": transform,
    }


def create_incoming_components(incoming_root: Path | str, schema) -> dict:
    """New data validated against the curated `schema` channel: one split per folder of incoming_root.

    See proyecto1.anomalies.prepare_incoming: span2 (the next span), serving (no
    tips) and corrupted. ExampleValidator skips `serving`, which is validated in
    the SERVING environment instead.
    """
    splits = [tfx.proto.Input.Split(name=name, pattern=f"{name}/*.csv") for name in INCOMING_SPLITS]
    example_gen = tfx.components.CsvExampleGen(
        input_base=str(incoming_root), input_config=tfx.proto.Input(splits=splits)).with_id("IncomingExampleGen")
    statistics_gen = tfx.components.StatisticsGen(
        examples=example_gen.outputs["examples"], schema=schema).with_id("IncomingStatisticsGen")
    example_validator = tfx.components.ExampleValidator(
        statistics=statistics_gen.outputs["statistics"], schema=schema,
        exclude_splits=["serving"]).with_id("IncomingExampleValidator")
    return {
        "incoming_example_gen": example_gen,
        "incoming_statistics_gen": statistics_gen,
        "incoming_example_validator": example_validator,
    }


def create_pipeline(pipeline_name: str, pipeline_root: Path | str, data_root: Path | str,
                    metadata_path: Path | str, schema_file: Path | str = CURATED_SCHEMA,
                    incoming_root: Path | str | None = None,
                    beam_pipeline_args: list[str] | None = None) -> tfx.dsl.Pipeline:
    """The whole pipeline, every path an argument; with `incoming_root`, also validates the new data."""
    components = create_components(data_root, schema_file)
    if incoming_root is not None:
        components |= create_incoming_components(incoming_root, components["import_schema_gen"].outputs["schema"])
    return tfx.dsl.Pipeline(
        pipeline_name=pipeline_name,
        pipeline_root=str(pipeline_root),
        components=list(components.values()),
        metadata_connection_config=tfx.orchestration.metadata.sqlite_metadata_connection_config(
            str(metadata_path)),
        # The lab's Beam settings (lab_base.beam): in-process unless LAB_BEAM_MODE says otherwise.
        beam_pipeline_args=beam.beam_pipeline_args() if beam_pipeline_args is None else beam_pipeline_args,
    )


def main(argv: list[str] | None = None) -> None:
    """Run the pipeline headless into the shared volume, with its own MLMD database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=TAXI_DATA)
    parser.add_argument("--new-span", type=Path, default=NEXT_SPAN_CSV,
                        help="CSV of the next span, validated with its serving and corrupted copies")
    parser.add_argument("--schema-file", type=Path, default=CURATED_SCHEMA)
    parser.add_argument("--pipeline-name", default=PIPELINE_NAME)
    parser.add_argument("--tfx-dir", type=Path, default=None, help="default: $LAB_TFX_DIR (/tfx)")
    args = parser.parse_args(argv)
    paths = pipeline_paths(args.pipeline_name, args.tfx_dir)
    incoming_root = paths.root / "incoming"
    prepare_incoming(args.new_span, incoming_root)
    tfx.orchestration.LocalDagRunner().run(create_pipeline(
        pipeline_name=paths.name, pipeline_root=paths.pipeline_root, data_root=args.data_root,
        metadata_path=paths.metadata_path, schema_file=args.schema_file, incoming_root=incoming_root))
    print(f"Pipeline {paths.name}: artefactos en {paths.pipeline_root}, metadatos en {paths.metadata_path}")


if __name__ == "__main__":
    main()
