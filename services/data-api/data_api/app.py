"""The data API's HTTP face: the course's endpoints (/data, /restart_data_generation) plus the lab's own.

uvicorn builds the app with `--factory data_api.app:create_app`, which reads
its settings from the environment:

- LAB_BATCH_MINUTES: minutes a batch lasts after it is first served (default 5;
  decimals allowed, 0 = every /data call moves on to the next batch);
- DATA_API_DATASET: the folder with span-*/data.csv (default /data/chicago-taxi);
- DATA_API_STATE: the state file (default /state/groups.json, in the volume data-api-state).
"""

import os
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query

from data_api import batches
from data_api.schedule import GROUPS, ProtocolError, Schedule
from data_api.state import StateFile

DESCRIPTION = """\
API de datos del laboratorio: el protocolo de la API de datos del curso, sin internet.

Sirve los viajes de taxi de Chicago de `shared-data/chicago-taxi` en lotes cortados en orden de tiempo
(del más antiguo al más reciente). Cada llamada a `/data` devuelve una décima parte del lote actual, sin
cabecera, con las columnas en el orden de `/columns`; diez llamadas recogen el lote entero. El lote cambia
cuando han pasado `LAB_BATCH_MINUTES` minutos desde que se sirvió por primera vez.
"""

GroupNumber = Annotated[int, Query(description=f"número de grupo, del {GROUPS[0]} al {GROUPS[-1]}")]


def batch_minutes(environ=os.environ) -> float:
    """LAB_BATCH_MINUTES as a number of minutes >= 0 (default 5), or a Spanish error naming the value."""
    raw = environ.get("LAB_BATCH_MINUTES", "").strip() or "5"
    try:
        minutes = float(raw)
    except ValueError:
        minutes = -1.0
    if not minutes >= 0:
        raise ValueError(f"LAB_BATCH_MINUTES debe ser un número de minutos mayor o igual que 0 (p. ej. 5 o 0.5), "
                         f"no {raw!r}")
    return minutes


def schedule_from_environment(environ=os.environ) -> Schedule:
    """The schedule the service runs: dataset, state file and batch length from the environment."""
    dataset = batches.load(Path(environ.get("DATA_API_DATASET", "/data/chicago-taxi")))
    state = StateFile(Path(environ.get("DATA_API_STATE", "/state/groups.json")))
    return Schedule(dataset, state, batch_seconds=60 * batch_minutes(environ))


def create_app(schedule: Schedule | None = None) -> FastAPI:
    """The FastAPI app over `schedule` (by default the one the environment describes)."""
    schedule = schedule or schedule_from_environment()
    dataset = schedule.dataset
    app = FastAPI(title="API de datos del laboratorio", description=DESCRIPTION, version="1.0")

    def answer(call, group: int) -> dict:
        try:
            return call(group)
        except ProtocolError as error:
            raise HTTPException(status_code=400, detail=str(error)) from error

    @app.get("/", summary="Qué sirve esta API")
    def describe() -> dict:
        return {
            "description": "Viajes de taxi de Chicago (muestra de TFX, Apache-2.0) en lotes por orden de tiempo.",
            "columns": list(dataset.columns),
            "batches": len(dataset.batches),
            "rows_per_batch": [len(batch) for batch in dataset.batches],
            "rows_per_call": dataset.rows_per_call(1),
            "batch_minutes": schedule.batch_seconds / 60,
            "groups": [GROUPS[0], GROUPS[-1]],
        }

    @app.get("/columns", summary="Los nombres de las columnas, en el orden de cada fila de /data")
    def columns() -> list[str]:
        return list(dataset.columns)

    @app.get("/health", summary="El servicio responde")
    def health() -> dict:
        return {"status": "ok"}

    @app.get("/data", summary="Una décima parte del lote actual del grupo")
    def data(group_number: GroupNumber) -> dict:
        return answer(schedule.data, group_number)

    @app.get("/restart_data_generation", summary="El grupo vuelve a empezar en el lote 1")
    def restart_data_generation(group_number: GroupNumber) -> dict:
        return answer(schedule.restart, group_number)

    @app.get("/next_batch", summary="El grupo pasa ya al lote siguiente, sin esperar (extensión del laboratorio)")
    def next_batch(group_number: GroupNumber) -> dict:
        return answer(schedule.next_batch, group_number)

    return app
