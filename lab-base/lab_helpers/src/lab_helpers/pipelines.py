"""What every Proyecto's headless pipeline shares: its command-line options, its ML Metadata, its run.

Each Proyecto's `proyectoN/pipeline.py` builds its own TFX pipeline with
`create_pipeline(...)`, every path an argument, and runs it without a notebook:

    python -m proyectoN.pipeline

into /tfx/proyectoN (artifacts and its own ML Metadata database), with
LocalDagRunner and the lab's Beam settings. The notebook's pipeline is
`proyectoN-notebook`, in a folder and database of its own, run component by
component by the InteractiveContext `interactive_context(paths)` makes, with
the same Beam settings.
"""

import argparse
from pathlib import Path

from tfx import v1 as tfx

from lab_helpers import beam
from lab_helpers.paths import PipelinePaths, pipeline_paths

# CsvExampleGen's input when a data folder also holds a README: its CSV files only, as one split
# (which CsvExampleGen then divides 2:1 into train and eval).
CSV_FILES_ONLY = tfx.proto.Input(splits=[tfx.proto.Input.Split(name="all", pattern="*.csv")])


def headless_parser(description: str, pipeline_name: str, data_root: Path) -> argparse.ArgumentParser:
    """The options every headless pipeline takes: its data, its name and the folder of its outputs."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data-root", type=Path, default=data_root, help=f"default: {data_root}")
    parser.add_argument("--pipeline-name", default=pipeline_name, help=f"default: {pipeline_name}")
    parser.add_argument("--tfx-dir", type=Path, default=None, help="default: $LAB_TFX_DIR (/tfx)")
    return parser


def paths_from(args: argparse.Namespace) -> PipelinePaths:
    """The pipeline's folder under the shared volume, from the parsed options."""
    return pipeline_paths(args.pipeline_name, args.tfx_dir)


def metadata_config(metadata_path: Path | str):
    """The connection to a pipeline's own SQLite ML Metadata database."""
    return tfx.orchestration.metadata.sqlite_metadata_connection_config(str(metadata_path))


def lab_pipeline(pipeline_name: str, pipeline_root: Path | str, components: list, metadata_path: Path | str,
                 beam_pipeline_args: list[str] | None = None) -> tfx.dsl.Pipeline:
    """A `tfx.dsl.Pipeline` of `components` with the lab's settings.

    Its artifacts go under `pipeline_root`, its ML Metadata to its own SQLite
    database at `metadata_path`, and its components run Beam with the lab's
    arguments (lab_helpers.beam: in-process unless LAB_BEAM_MODE says otherwise).
    """
    return tfx.dsl.Pipeline(
        pipeline_name=pipeline_name,
        pipeline_root=str(pipeline_root),
        components=components,
        metadata_connection_config=metadata_config(metadata_path),
        beam_pipeline_args=beam.beam_pipeline_args() if beam_pipeline_args is None else beam_pipeline_args,
    )


def interactive_context(paths: PipelinePaths, beam_pipeline_args: list[str] | None = None):
    """The InteractiveContext of a notebook's pipeline: its folder, its own ML Metadata, the lab's Beam arguments.

    Every component `context.run` runs gets the Beam arguments a headless run
    gets (lab_helpers.beam: LAB_BEAM_MODE), so a notebook honours the mode too.
    """
    # Imported here: it loads IPython (3 s), which headless pipelines never need.
    from tfx.orchestration.experimental.interactive.interactive_context import InteractiveContext

    return InteractiveContext(
        pipeline_name=paths.name,
        pipeline_root=str(paths.pipeline_root),
        metadata_connection_config=metadata_config(paths.metadata_path),
        beam_pipeline_args=beam.beam_pipeline_args() if beam_pipeline_args is None else beam_pipeline_args,
    )


def run(pipeline: tfx.dsl.Pipeline) -> None:
    """Run a pipeline headless with LocalDagRunner and say where its outputs are."""
    tfx.orchestration.LocalDagRunner().run(pipeline)
    print(f"Pipeline {pipeline.pipeline_info.pipeline_name}: artefactos en {pipeline.pipeline_info.pipeline_root}")
