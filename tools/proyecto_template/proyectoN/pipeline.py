"""The ProyectoN TFX pipeline: ingest, describe, validate and transform the penguins.

CsvExampleGen -> StatisticsGen -> SchemaGen -> ExampleValidator -> Transform.

The notebook builds the same components one by one, each in the cell that runs
it; headless, LocalDagRunner runs them all into /tfx/proyectoN:

    python -m proyectoN.pipeline            # inside the proyectoN container
"""

from pathlib import Path

from tfx import v1 as tfx

from lab_helpers import pipelines
from lab_helpers.paths import DATA_DIR, require_data_dir

PIPELINE_NAME = "proyectoN"
DATA_ROOT = DATA_DIR / "penguins-processed"
# Transform imports this function by name and calls it (proyectoN/preprocessing.py).
PREPROCESSING_FN = "proyectoN.preprocessing.preprocessing_fn"


def create_pipeline(pipeline_name: str, pipeline_root: Path | str, data_root: Path | str,
                    metadata_path: Path | str, beam_pipeline_args: list[str] | None = None) -> tfx.dsl.Pipeline:
    """The whole pipeline, every path an argument."""
    # The folder's CSV files (it also holds a README), split 2:1 into train and eval.
    example_gen = tfx.components.CsvExampleGen(
        input_base=str(require_data_dir(data_root)),
        input_config=pipelines.CSV_FILES_ONLY)
    statistics_gen = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
    schema_gen = tfx.components.SchemaGen(statistics=statistics_gen.outputs["statistics"],
                                          infer_feature_shape=True)
    example_validator = tfx.components.ExampleValidator(statistics=statistics_gen.outputs["statistics"],
                                                        schema=schema_gen.outputs["schema"])
    transform = tfx.components.Transform(examples=example_gen.outputs["examples"],
                                         schema=schema_gen.outputs["schema"], preprocessing_fn=PREPROCESSING_FN)
    components = [example_gen, statistics_gen, schema_gen, example_validator, transform]
    return pipelines.lab_pipeline(pipeline_name, pipeline_root, components, metadata_path, beam_pipeline_args)


def main(argv: list[str] | None = None) -> None:
    """Run the pipeline headless into the shared volume, with its own MLMD database."""
    args = pipelines.headless_parser(__doc__.splitlines()[0], PIPELINE_NAME, DATA_ROOT).parse_args(argv)
    paths = pipelines.paths_from(args)
    pipelines.run(create_pipeline(pipeline_name=paths.name, pipeline_root=paths.pipeline_root,
                                  data_root=args.data_root, metadata_path=paths.metadata_path))


if __name__ == "__main__":
    main()
