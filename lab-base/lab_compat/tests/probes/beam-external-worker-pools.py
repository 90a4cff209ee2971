"""Beam's EXTERNAL worker handler given two pools: workers sent to each in turn (fixed) or to "a,b" (stock)?

The handler is Beam's own; only the network is replaced by a recorder of the
pool address each StartWorker request goes to.
"""

from apache_beam.portability.api import beam_fn_api_pb2, beam_runner_api_pb2, endpoints_pb2
from apache_beam.runners.portability.fn_api_runner import worker_handlers

from _shell import verdict

asked = []


class RecordingPool:
    def __init__(self, channel):
        self.address = channel

    def StartWorker(self, request):  # noqa: N802 - gRPC method name
        asked.append(self.address)
        return beam_fn_api_pb2.StartWorkerResponse()


worker_handlers.GRPCChannelFactory.insecure_channel = staticmethod(lambda url: url)
worker_handlers.beam_fn_api_pb2_grpc.BeamFnExternalWorkerPoolStub = RecordingPool


class Handler(worker_handlers.ExternalWorkerHandler):
    control_address = "localhost:1"

    def __init__(self, worker_id, url):  # no gRPC server: only start_worker is exercised
        self.worker_id = worker_id
        self._external_payload = beam_runner_api_pb2.ExternalPayload(
            endpoint=endpoints_pb2.ApiServiceDescriptor(url=url))

    def logging_api_service_descriptor(self):
        return None


for number in range(4):
    Handler(f"worker_{number}", "a:50000,b:50000").start_worker()
verdict(asked == ["a:50000", "b:50000", "a:50000", "b:50000"], f"pools asked: {asked}")
