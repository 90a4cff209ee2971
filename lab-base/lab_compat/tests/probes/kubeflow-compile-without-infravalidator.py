"""KubeflowV2DagRunner compiling a pipeline without InfraValidator: a JSON file (fixed) or TypeError (stock)?"""

import tempfile
from pathlib import Path

from tfx import v1 as tfx

from _shell import verdict

folder = Path(tempfile.mkdtemp())
# The builder's InfraValidator check comes after ExampleGen's and Importer's: a StatisticsGen reaches it.
example_gen = tfx.components.CsvExampleGen(input_base=str(folder / "data"))
statistics_gen = tfx.components.StatisticsGen(examples=example_gen.outputs["examples"])
pipeline = tfx.dsl.Pipeline(pipeline_name="probe", pipeline_root=str(folder / "root"),
                            components=[example_gen, statistics_gen])
runner = tfx.orchestration.experimental.KubeflowV2DagRunner(
    config=tfx.orchestration.experimental.KubeflowV2DagRunnerConfig(default_image="lab"),
    output_dir=str(folder), output_filename="probe.json")
try:
    runner.run(pipeline, write_out=True)
    verdict((folder / "probe.json").exists(), "compiled")
except TypeError as error:
    verdict(False, f"TypeError: {error}")
