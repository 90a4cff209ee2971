"""FastAPI app: GET /health and POST /predict for the newest penguin model.

    uvicorn penguin_serving.app:app --host 0.0.0.0 --port 8501
"""

import logging
import os
from typing import Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from lab_compat import avx
from penguin_serving.metrics import ServingMetrics
from penguin_serving.mlflow_runs import RunIds

MODEL_BASE_PATH = os.environ.get("MODEL_BASE_PATH", "/tfx/serving/penguins")


class Penguin(BaseModel):
    """One penguin's measurements, as in shared-data/penguins/penguins.csv."""

    model_config = ConfigDict(extra="forbid")

    island: Literal["Biscoe", "Dream", "Torgersen"]
    bill_length_mm: float = Field(gt=0, lt=100)
    bill_depth_mm: float = Field(gt=0, lt=50)
    flipper_length_mm: float = Field(gt=0, lt=300)
    body_mass_g: float = Field(gt=0, lt=10000)


def _spanish(error: dict) -> str:
    """A student-readable message for one pydantic validation error."""
    context = {k: f"{v:g}" if isinstance(v, float) else v for k, v in (error.get("ctx") or {}).items()}
    messages = {
        "missing": "falta este campo",
        "float_parsing": "debe ser un número",
        "float_type": "debe ser un número",
        "greater_than": f"debe ser mayor que {context.get('gt')}",
        "less_than": f"debe ser menor que {context.get('lt')}",
        "literal_error": f"debe ser uno de: {context.get('expected')}",
        "extra_forbidden": "campo desconocido",
        "model_attributes_type": "el cuerpo debe ser un objeto JSON con las medidas",
        "json_invalid": "el cuerpo no es JSON válido",
    }
    return messages.get(error["type"], error["msg"])


def without_avx(app: FastAPI) -> FastAPI:
    """The app on a CPU without AVX: it stays up and answers 503 with what to do, never loading TensorFlow."""
    logging.getLogger("penguin_serving").error("*** %s ***", avx.MESSAGE)

    @app.get("/health")
    def health() -> JSONResponse:
        return JSONResponse(status_code=503, content={"status": "sin AVX", "detail": avx.MESSAGE})

    @app.post("/predict")
    def predict() -> JSONResponse:
        return JSONResponse(status_code=503, content={"detail": avx.MESSAGE})

    return app


def create_app(model_base_path: str = MODEL_BASE_PATH, run_ids: RunIds | None = None,
               has_avx: bool | None = None) -> FastAPI:
    """The app serving the models under `model_base_path`/<version>/; `run_ids` finds their MLflow runs.

    TensorFlow needs the CPU's AVX instructions (lab_compat.avx): without them the
    service explains the fix instead of dying at start and restarting for ever.
    """
    app = FastAPI(title="Clasificador de pingüinos (Proyecto2)")
    metrics = ServingMetrics()
    if not (avx.has_avx() if has_avx is None else has_avx):
        metrics.instrument(app)
        return without_avx(app)
    from penguin_serving.model_store import ModelStore  # imports TensorFlow

    store = ModelStore(model_base_path)
    app.state.store = store
    run_ids = run_ids or RunIds()

    def served() -> tuple[int | None, str | None]:
        """The version served now and its MLflow run (a run id, once found, is remembered), also as a metric."""
        version = store.refresh()
        run_id = run_ids.run_id(version)
        metrics.serving(version, run_id)
        return version, run_id

    metrics.instrument(app, before_scrape=served)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = []
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"] if part != "body") or "(cuerpo)"
            problems.append({"campo": field, "error": _spanish(item)})
        fields = ", ".join(p["campo"] for p in problems)
        return JSONResponse(status_code=422, content={"detail": f"Petición no válida en: {fields}",
                                                      "errores": problems})

    @app.get("/health")
    def health() -> dict:
        version, run_id = served()
        return {"status": "ok", "model_version": version, "model_base_path": model_base_path,
                "mlflow_run_id": run_id}

    @app.post("/predict")
    def predict(penguin: Penguin):
        try:
            version, probabilities = store.predict(penguin.model_dump())
        except LookupError:
            return JSONResponse(status_code=503, content={
                "detail": f"Todavía no hay ningún modelo publicado en {model_base_path}: "
                          "ejecuta el pipeline de Proyecto2 hasta el Pusher."})
        species = max(probabilities, key=probabilities.get)
        metrics.predicted(species)
        return {"species": species, "probabilities": probabilities, "model_version": version}

    return app


app = create_app()
