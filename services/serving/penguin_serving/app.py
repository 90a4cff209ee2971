"""FastAPI app: GET /health and POST /predict for the newest penguin model, and every model by name.

GET /models, GET /models/{name} and POST /models/{name}/predict serve each folder
of MODEL_ROOT (/tfx/serving/<name>/<version>/) through its `predict` signature.

    uvicorn penguin_serving.app:app --host 0.0.0.0 --port 8501
"""

import logging
import os
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from lab_compat import avx
from penguin_serving.examples import PREDICT_EXAMPLES
from penguin_serving.metrics import ServingMetrics
from penguin_serving.mlflow_runs import RunIds

MODEL_BASE_PATH = os.environ.get("MODEL_BASE_PATH", "/tfx/serving/penguins")
# Every Pusher writes to a folder of it, one per model name.
MODEL_ROOT = os.environ.get("MODEL_ROOT", "/tfx/serving")
# One request's examples at most: a batch is one call of the signature, held in memory at once.
MAX_INSTANCES = 1000


class Penguin(BaseModel):
    """One penguin's measurements, as in shared-data/penguins/penguins.csv."""

    model_config = ConfigDict(extra="forbid")

    island: Literal["Biscoe", "Dream", "Torgersen"]
    bill_length_mm: float = Field(gt=0, lt=100)
    bill_depth_mm: float = Field(gt=0, lt=50)
    flipper_length_mm: float = Field(gt=0, lt=300)
    body_mass_g: float = Field(gt=0, lt=10000)


class Instances(BaseModel):
    """Examples for one model: each an object with one value per input of its `predict` signature."""

    model_config = ConfigDict(extra="forbid")

    instances: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_INSTANCES)


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
        "list_type": "debe ser una lista",
        "dict_type": "debe ser un objeto JSON",
        "too_short": "no puede estar vacía",
        "too_long": f"admite como mucho {context.get('max_length')} elementos",
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

    @app.api_route("/models{rest:path}", methods=["GET", "POST"], include_in_schema=False)
    def models() -> JSONResponse:
        return JSONResponse(status_code=503, content={"detail": avx.MESSAGE})

    return app


def create_app(model_base_path: str = MODEL_BASE_PATH, run_ids: RunIds | None = None,
               has_avx: bool | None = None, model_root: str = MODEL_ROOT) -> FastAPI:
    """The app serving the penguins under `model_base_path`/<version>/ and every model under `model_root`/<name>/.

    `run_ids` finds the MLflow runs of the penguins' versions.

    TensorFlow needs the CPU's AVX instructions (lab_compat.avx): without them the
    service explains the fix instead of dying at start and restarting for ever.
    """
    app = FastAPI(title="Modelos del laboratorio",
                  description="El clasificador de pingüinos de Proyecto2 (`/predict`) y cada modelo publicado "
                              f"en `{model_root}/<nombre>/` por su nombre (`/models`).")
    metrics = ServingMetrics()
    if not (avx.has_avx() if has_avx is None else has_avx):
        metrics.instrument(app)
        return without_avx(app)
    from penguin_serving import models  # imports TensorFlow
    from penguin_serving.model_store import SIGNATURE, ModelStore

    store = ModelStore(model_base_path)
    app.state.store = store
    registry = models.ModelRegistry(model_root)
    registry.adopt(store)
    app.state.registry = registry
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
        return invalid(problems)

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

    def served_model(name: str):
        """(version, signature) of model `name`, or the 404/503 answer that says what to do."""
        try:
            model = registry.store(name)
        except models.UnknownModel:
            available = ", ".join(registry.names()) or "ninguno todavía"
            return JSONResponse(status_code=404, content={
                "detail": f"No hay ningún modelo «{name}» en {model_root}. Modelos publicados: {available}."})
        try:
            return model.signature()
        except LookupError:
            pipeline = models.PIPELINES.get(name)
            todo = (f"ejecuta el pipeline de {pipeline} hasta el Pusher" if pipeline
                    else f"el Pusher de su pipeline debe escribir una versión en {model.base_dir}/<versión>/")
            return JSONResponse(status_code=503, content={
                "detail": f"Todavía no hay ninguna versión de «{name}» en {model.base_dir}: {todo}."})

    @app.get("/models", summary="Los modelos publicados")
    def list_models() -> dict:
        """Cada carpeta de la raíz de modelos con al menos una versión completa, y la versión que se sirve."""
        return {"model_root": model_root,
                "models": [{"model": name, "model_version": registry.store(name).refresh()}
                           for name in registry.names()]}

    @app.get("/models/{name}", summary="Las entradas y salidas exactas de un modelo")
    def describe_model(name: str):
        """La versión servida y, según su firma `predict`, cada entrada (nombre, dtype, forma) y cada salida.

        La primera dimensión de cada forma (`null`) es la de los ejemplos: en el cuerpo de
        `POST /models/{name}/predict` cada ejemplo lleva un valor por entrada.
        """
        served_now = served_model(name)
        if isinstance(served_now, JSONResponse):
            return served_now
        version, signature = served_now
        return {"model": name, "model_version": version, "signature": SIGNATURE, **models.describe(signature)}

    @app.post("/models/{name}/predict", summary="Predecir con un modelo por su nombre")
    def predict_with(name: str, body: Annotated[Instances, Body(openapi_examples=PREDICT_EXAMPLES)]):
        """Una predicción por ejemplo, con las salidas de la firma `predict` del modelo.

        Cada ejemplo lleva **todas** las entradas del modelo: `GET /models/{name}` da sus
        nombres y tipos exactos. Un campo que falta, sobra o tiene otro tipo devuelve 422
        y el mensaje lo nombra.
        """
        served_now = served_model(name)
        if isinstance(served_now, JSONResponse):
            return served_now
        version, signature = served_now
        predictions, problems = models.predict(signature, body.instances)
        if problems:
            return invalid(problems)
        return {"model": name, "model_version": version, "predictions": predictions}

    return app


def invalid(problems: list[dict]) -> JSONResponse:
    """The 422 answer naming each field in `problems` ({campo, error}, in Spanish)."""
    fields = ", ".join(p["campo"] for p in problems)
    return JSONResponse(status_code=422, content={"detail": f"Petición no válida en: {fields}", "errores": problems})


app = create_app()
