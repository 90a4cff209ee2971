"""Prueba de carga de POST /predict con pingüinos reales del curso (shared-data/penguins/penguins.csv).

Cada usuario virtual envía filas del CSV elegidas al azar; una parte (INVALID_SHARE,
5 % por defecto) son filas no válidas a propósito (medidas que faltan, una isla
que no existe, un número que es texto): el servicio debe responder 422. Locust
cuenta esas respuestas como fallos con el nombre "/predict (fila no válida)",
así que la tasa de fallos del informe es la proporción de filas no válidas
enviadas. El proceso termina con código 1 solo si algo falla sin que debiera
(una fila válida sin 200, o una no válida sin 422).

    locust                                             # interfaz web en el puerto 8089
    locust --headless -u 50 -r 10 -t 30s --csv informes/carga --html informes/carga.html
"""

import csv
import os
import random
from pathlib import Path

from locust import FastHttpUser, between, events, task

DATA = Path(os.environ.get("PENGUINS_CSV", "/data/penguins/penguins.csv"))
INVALID_SHARE = float(os.environ.get("INVALID_SHARE", "0.05"))
# Pausa de cada usuario entre dos peticiones, en segundos (mínimo,máximo); "0,0": sin pausa (bench/).
WAIT_SECONDS = [float(s) for s in os.environ.get("WAIT_SECONDS", "0.05,0.2").split(",")]
FEATURES = ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
VALID_NAME = "/predict"
INVALID_NAME = "/predict (fila no válida)"


def penguin_rows(path: Path = DATA) -> tuple[list[dict], list[dict]]:
    """Los pingüinos del CSV como cuerpos de petición: (filas completas, filas a las que les falta una medida)."""
    valid, missing = [], []
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            if any(row[name] == "NA" for name in FEATURES):
                missing.append({name: row[name] for name in FEATURES if row[name] != "NA"})
            else:
                valid.append({"island": row["island"], **{name: float(row[name]) for name in FEATURES[1:]}})
    return valid, missing


VALID, MISSING = penguin_rows()
# Las filas incompletas del propio CSV y errores típicos de un cliente.
INVALID = MISSING + [
    {**VALID[0], "island": "Mallorca"},
    {**VALID[1], "body_mass_g": -3800},
    {**VALID[2], "flipper_length_mm": "larga"},
]
# Respuestas que no son las que la fila merece (una válida sin 200, una no válida sin 422).
unexpected = {"count": 0}


class Penguinologist(FastHttpUser):
    """Un cliente del servicio: una predicción tras otra, con una pausa corta entre ellas."""

    wait_time = between(*WAIT_SECONDS)

    @task
    def predict(self):
        invalid = random.random() < INVALID_SHARE
        body = random.choice(INVALID if invalid else VALID)
        with self.client.post("/predict", json=body, name=INVALID_NAME if invalid else VALID_NAME,
                              catch_response=True) as response:
            expected = 422 if invalid else 200
            if response.status_code != expected:
                unexpected["count"] += 1
                response.failure(f"se esperaba {expected} y llegó {response.status_code}")
            elif invalid:
                response.failure("422: fila no válida (a propósito)")
            elif "species" not in response.json():
                unexpected["count"] += 1
                response.failure("respuesta 200 sin especie")


@events.quitting.add_listener
def exit_code(environment, **_):
    """Código de salida 0 si los únicos fallos son los 422 de las filas no válidas; 1 si no."""
    environment.process_exit_code = 1 if unexpected["count"] else 0
