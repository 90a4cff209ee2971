"""Beam's embedded job service and EXTERNAL environment, as LAB_BEAM_MODE=portable uses them (lab_helpers.beam)."""


def spread_over_worker_pools(worker_handlers) -> None:
    """Let an EXTERNAL environment list several worker pools, one SDK worker started in each.

    Beam's EXTERNAL environment names one worker pool (`--environment_config=host:port`),
    and the runner asks it for all of its `direct_num_workers` workers; a cluster
    runner starts its workers itself. To put the workers in separate containers,
    an address list `a:50000,b:50000` sends the runner's n-th worker to the n-th
    pool, round robin (worker ids count up). A single address is left as Beam has it.
    Applied to apache_beam...worker_handlers when it is imported (lab_compat.registry).
    """
    handler = worker_handlers.ExternalWorkerHandler
    if getattr(handler.start_worker, "spreads_over_pools", False):
        return
    start_worker = handler.start_worker

    def start_worker_in_its_pool(self):
        pools = self._external_payload.endpoint.url.split(",")
        if len(pools) > 1:
            payload = type(self._external_payload)()
            payload.CopyFrom(self._external_payload)
            payload.endpoint.url = pools[int(self.worker_id.rsplit("_", 1)[-1]) % len(pools)]
            self._external_payload = payload
        return start_worker(self)

    start_worker_in_its_pool.spreads_over_pools = True
    handler.start_worker = start_worker_in_its_pool


def honour_num_workers(fn_runner) -> None:
    """Make the embedded job service run as many SDK workers as --direct_num_workers asks.

    The job service (--job_endpoint=embed) runs the submitted pipeline with
    FnApiRunner.run_via_runner_api, which keeps the runner's default of one
    worker: only FnApiRunner.run_pipeline, the DirectRunner's entry, reads
    direct_num_workers. Without this, every stage would run in a single worker
    whatever the option says. Applied to apache_beam...fn_runner when it is
    imported (lab_compat.registry); a runner already set to several workers is left alone.
    """
    from apache_beam.options.pipeline_options import DirectOptions

    runner = fn_runner.FnApiRunner
    if getattr(runner.run_via_runner_api, "honours_num_workers", False):
        return
    run_via_runner_api = runner.run_via_runner_api

    def run_with_requested_workers(self, pipeline_proto, options):
        # The job service rebuilds the options from their JSON form: the number may arrive as text.
        requested = int(options.view_as(DirectOptions).direct_num_workers or 1) if options is not None else 1
        if self._num_workers == 1 and requested > 1:
            self._num_workers = requested
        return run_via_runner_api(self, pipeline_proto, options)

    run_with_requested_workers.honours_num_workers = True
    runner.run_via_runner_api = run_with_requested_workers
