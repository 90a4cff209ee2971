"""The job service's runner (FnApiRunner.run_via_runner_api) with --direct_num_workers=2: 2 workers or 1?"""

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import fn_runner
from apache_beam.transforms import environments

from _shell import verdict

pipeline = beam.Pipeline()
_ = pipeline | beam.Create([1, 2, 3]) | beam.Map(lambda x: x + 1)
runner = fn_runner.FnApiRunner()
# The job service hands its runner a pipeline whose SDK environment runs in this process.
proto = pipeline.to_runner_api(default_environment=environments.EmbeddedPythonEnvironment.default())
runner.run_via_runner_api(proto, PipelineOptions(["--direct_num_workers=2"]))
verdict(runner._num_workers == 2, f"workers: {runner._num_workers}")
