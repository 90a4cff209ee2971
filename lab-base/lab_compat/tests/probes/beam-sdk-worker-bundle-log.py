"""A worker pool's SDK worker finishing bundles: reported with the worker's id (fixed) or not at all (stock)?"""

import apache_beam as beam

import lab_compat
from _shell import verdict
from lab_compat import beam_worker_log
from lab_helpers.beam import portable_args
from lab_scaleout import beam_worker

reports = []
lab_compat.apply("beam-sdk-worker-bundle-log")
beam_worker_log.LISTENERS.append(lambda worker_id, *rest: reports.append(worker_id))
address, server = beam_worker.start_pool(0, paths=[])
with beam.Pipeline(argv=portable_args([address])) as pipeline:
    _ = pipeline | beam.Create(range(10)) | beam.Map(lambda x: x + 1)
server.stop(0)
verdict(bool(reports) and all(worker_id != "worker" for worker_id in reports), f"reports: {reports[:5]}")
