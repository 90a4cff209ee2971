"""The Proyecto1 TFX pipeline: ingest, describe and validate the Chicago Taxi sample.

The notebook runs these components one by one with InteractiveContext; the
same pipeline runs headless with LocalDagRunner:

    python -m proyecto1.pipeline            # inside the proyecto1 container
"""

import argparse
from pathlib import Path

from tfx import v1 as tfx

from tfx_lab.paths import DATA_DIR, pipeline_paths, require_data_dir

PIPELINE_NAME = "proyecto1"
TAXI_DATA = DATA_DIR / "chicago-taxi" / "span-1"


def create_components(data_root: Path | str) -> dict:
    """CsvExampleGen -> StatisticsGen -> SchemaGen -> ExampleValidator, by name."""
    # CsvExampleGen reads every CSV file of a folder (not a single file) and
    # splits it 2:1 into train and eval.
    example_gen = tfx.components.CsvExampleGen(input_base=str(require_data_dir(data_root)))
    statistics_gen = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
    schema_gen = tfx.components.SchemaGen(statistics=statistics_gen.outputs["statistics"],
                                          infer_feature_shape=True)
    example_validator = tfx.components.ExampleValidator(statistics=statistics_gen.outputs["statistics"],
                                                        schema=schema_gen.outputs["schema"])
    return {
        "example_gen": example_gen,
        "statistics_gen": statistics_gen,
        "schema_gen": schema_gen,
        "example_validator": example_validator,
    }


def create_pipeline(pipeline_name: str, pipeline_root: Path | str, data_root: Path | str,
                    metadata_path: Path | str, beam_pipeline_args: list[str] | None = None) -> tfx.dsl.Pipeline:
    """The whole pipeline, every path an argument."""
    return tfx.dsl.Pipeline(
        pipeline_name=pipeline_name,
        pipeline_root=str(pipeline_root),
        components=list(create_components(data_root).values()),
        metadata_connection_config=tfx.orchestration.metadata.sqlite_metadata_connection_config(
            str(metadata_path)),
        beam_pipeline_args=beam_pipeline_args or [],
    )


def main(argv: list[str] | None = None) -> None:
    """Run the pipeline headless into the shared volume, with its own MLMD database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-root", type=Path, default=TAXI_DATA)
    parser.add_argument("--pipeline-name", default=PIPELINE_NAME)
    parser.add_argument("--tfx-dir", type=Path, default=None, help="default: $LAB_TFX_DIR (/tfx)")
    args = parser.parse_args(argv)
    paths = pipeline_paths(args.pipeline_name, args.tfx_dir)
    tfx.orchestration.LocalDagRunner().run(create_pipeline(
        pipeline_name=paths.name, pipeline_root=paths.pipeline_root, data_root=args.data_root,
        metadata_path=paths.metadata_path))
    print(f"Pipeline {paths.name}: artefactos en {paths.pipeline_root}, metadatos en {paths.metadata_path}")


if __name__ == "__main__":
    main()
