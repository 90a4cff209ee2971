"""Prometheus metrics of the serving app, exported at GET /metrics with prometheus-client.

One process per container (replicas, not uvicorn workers): the client's
multiprocess mode cannot carry the model's labelled gauge and needs its
directory wiped and dead workers marked, and every worker would load its own
TensorFlow. Each app gets its own registry, so tests can build several apps.

Series (every name starts with `serving_`):
- requests_total{route, method, status}: every answered request, by route template;
- request_duration_seconds{route}: a latency histogram per route;
- predictions_total{species}: /predict answers by predicted class;
- errors_total{kind}: bad_input (422) and no_model (503);
- model_info{model, version, mlflow_run_id}: 1 for the version being served.
"""

import time

from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

# Predictions take milliseconds: fine buckets below 100 ms, a few above for a machine under load.
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
ERROR_KINDS = {422: "bad_input", 503: "no_model"}


class ServingMetrics:
    """The app's series in their own registry; `instrument` installs them on an app."""

    def __init__(self, model: str = "penguins"):
        self.model = model
        self.registry = CollectorRegistry()
        self.requests = Counter("serving_requests", "Requests answered, by route template, method and status.",
                                ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("serving_request_duration_seconds", "Time to answer a request, by route template.",
                                 ["route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.predictions = Counter("serving_predictions", "Predictions answered, by predicted species.",
                                   ["species"], registry=self.registry)
        self.errors = Counter("serving_errors", "Requests refused, by kind: bad_input (422), no_model (503).",
                              ["kind"], registry=self.registry)
        self.model_info = Gauge("serving_model_info", "1 for the model version served and the MLflow run behind it.",
                                ["model", "version", "mlflow_run_id"], registry=self.registry)
        for kind in ERROR_KINDS.values():  # both kinds exist at 0 from the start, so rate() has a series
            self.errors.labels(kind)
        self._served: tuple[str, str] | None = None

    def predicted(self, species: str) -> None:
        self.predictions.labels(species).inc()

    def serving(self, version: int | None, run_id: str | None) -> None:
        """Point model_info at the version served now (no series while there is no model)."""
        labels = None if version is None else (str(version), run_id or "")
        if labels == self._served:
            return
        if self._served is not None:
            self.model_info.remove(self.model, *self._served)
        if labels is not None:
            self.model_info.labels(self.model, *labels).set(1)
        self._served = labels

    def instrument(self, app: FastAPI, before_scrape=None) -> None:
        """Count and time every request of `app` and add GET /metrics; `before_scrape()` runs at each scrape."""
        app.add_middleware(_Middleware, metrics=self)

        @app.get("/metrics", include_in_schema=False)
        def metrics() -> Response:
            if before_scrape is not None:
                before_scrape()
            return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class _Middleware:
    """A plain ASGI middleware (no BaseHTTPMiddleware: it would add a task per request)."""

    def __init__(self, app, metrics: ServingMetrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def send_and_remember(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_remember)
        finally:
            # FastAPI puts the matched route in the scope; unmatched paths share one label (bounded cardinality).
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.requests.labels(route, scope["method"], str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)
            if kind := ERROR_KINDS.get(status):
                self.metrics.errors.labels(kind).inc()
