"""Report every bundle a Beam SDK worker of this process finishes (lab_scaleout.beam_worker logs them)."""

import time
from collections.abc import Callable

# Called as listener(worker_id, instruction_id, descriptor, response, seconds) after each bundle that succeeded.
LISTENERS: list[Callable] = []


def report_bundles(sdk_worker) -> None:
    """Wrap SdkWorker.process_bundle to tell LISTENERS about each bundle, with the id of the worker that ran it.

    The worker id lives on SdkHarness (private `_worker_id`); the harness's
    bundle processor cache, which each SdkWorker shares, is given a copy of it.
    """
    process_bundle = sdk_worker.SdkWorker.process_bundle
    if getattr(process_bundle, "reports_bundles", False):
        return
    harness_init = sdk_worker.SdkHarness.__init__

    def remember_worker_id(self, *args, **kwargs):
        harness_init(self, *args, **kwargs)
        self._bundle_processor_cache.lab_worker_id = self._worker_id

    def reported(self, request, instruction_id):
        started = time.monotonic()
        response = process_bundle(self, request, instruction_id)
        descriptor = self.bundle_processor_cache.fns.get(request.process_bundle_descriptor_id)
        if descriptor is not None and not response.error:
            worker_id = getattr(self.bundle_processor_cache, "lab_worker_id", "worker")
            for listener in LISTENERS:
                listener(worker_id, instruction_id, descriptor, response, time.monotonic() - started)
        return response

    reported.reports_bundles = True
    sdk_worker.SdkHarness.__init__ = remember_worker_id
    sdk_worker.SdkWorker.process_bundle = reported
