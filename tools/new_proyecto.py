"""Create a new Proyecto of the lab, ready to build, start, run and test.

    uv run python tools/new_proyecto.py Proyecto3 "Mi tercer proyecto"

It copies tools/proyecto_template/ to Proyectos/Proyecto3/ with the names
filled in (folder, package proyecto3, notebook Proyecto3.ipynb, the title),
locks its dependencies against the lab's stack (tools/lock.py, in a
container), and adds the Proyecto to docker-compose.yaml (service proyecto3 on
the next free port, its work volume, its DAG folder in Airflow's services and
its Airflow worker airflow-worker-proyecto3), to .env.example and to the README's
tables and `lab-url` commands. The tests find the new Proyecto by its folder
and check it like the others (Proyectos/README.md lists what every Proyecto
holds). A bad or taken name is refused, in Spanish, before anything is written.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from harness.repo import COMPOSE_FILE, ROOT, proyectos, service_of

TEMPLATE = Path(__file__).with_name("proyecto_template")
NAME = re.compile(r"Proyecto[1-9][0-9]*")
# Host ports the lab's other services take by default (serving, TensorBoard, MLflow).
RESERVED_PORTS = {8501, 6006, 5000}

SERVICE = '''
  {service}:
    <<: *lab
    build:
      <<: *proyecto-build
      context: Proyectos/{name}
    environment:
      <<: *lab-environment
      LAB_PORT: ${{{variable}:-{port}}}
    ports:
      - "${{LAB_HOST_IP:-127.0.0.1}}:${{{variable}:-{port}}}:${{{variable}:-{port}}}"
    volumes:
      - {service}-work:/home/lab/work
      - tfx:/tfx
      - ./shared-data:/data:ro
'''

# Its Celery worker: Airflow's tasks of its DAG (Proyectos/<name>/dags/) run on its image and work volume.
WORKER = '''
  airflow-worker-{service}:
    <<: *airflow-worker
    build:
      context: services/airflow
      target: worker
      additional_contexts:
        <<: *uv
        proyecto: service:{service}
    # Its lab fills the work volume first (as for the Beam workers).
    depends_on:
      <<: *airflow-depends
      {service}: {{condition: service_started}}
    command: ["/opt/airflow-venv/bin/airflow", "celery", "worker", "--queues", "{service}"]
    environment:
      <<: [*lab-environment, *airflow-environment]
    volumes:
      - airflow-data:/opt/airflow
      - ./Proyectos/{name}/dags:/opt/lab/dags/{service}:ro
      - {service}-work:/home/lab/work
      - tfx:/tfx
      - ./shared-data:/data:ro
'''


class Refused(Exception):
    """The request cannot be done; the message says why, in Spanish."""


def port_variable(name: str) -> str:
    return f"{service_of(name).upper()}_PORT"


def next_port(compose_text: str) -> int:
    """The port after the highest default port of the Proyectos, skipping the other services' ports."""
    taken = [int(p) for p in re.findall(r"\$\{PROYECTO\d+_PORT:-(\d+)\}", compose_text)]
    port = max(taken, default=8887) + 1
    while port in RESERVED_PORTS:
        port += 1
    return port


def check(name: str, title: str, root: Path) -> None:
    """Refuse a name that is not ProyectoN, or is taken; or an empty title."""
    if not NAME.fullmatch(name):
        raise Refused(f"El nombre «{name}» no vale: tiene que ser «Proyecto» seguido de un número, "
                      "sin espacios ni ceros delante (por ejemplo Proyecto3).")
    if (root / "Proyectos" / name).exists() or name in proyectos(root):
        raise Refused(f"{name} ya existe (Proyectos/{name}): elige otro número.")
    if re.search(rf"^  {service_of(name)}:", (root / COMPOSE_FILE.name).read_text(), re.M):
        raise Refused(f"docker-compose.yaml ya tiene un servicio «{service_of(name)}»: elige otro número.")
    if not title.strip():
        raise Refused("Falta el título del proyecto (entre comillas, por ejemplo \"Mi tercer proyecto\").")


def fill(text: str, name: str, title: str, port: int) -> str:
    return (text.replace("ProyectoN", name).replace("proyectoN", service_of(name))
            .replace("__TITULO__", title).replace("__PUERTO__", str(port)))


def copy_template(name: str, title: str, port: int, folder: Path) -> None:
    """The template's files into `folder`, names and title filled in (proyectoN/ becomes proyecto3/)."""
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        target = folder / fill(str(source.relative_to(TEMPLATE)), name, title, port)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(fill(source.read_text(), name, title, port))


def insert_after_last(text: str, pattern: str, addition: str) -> str:
    """`text` with `addition` inserted after the last line that matches `pattern`."""
    lines = text.splitlines(keepends=True)
    last = max(i for i, line in enumerate(lines) if re.search(pattern, line))
    return "".join(lines[:last + 1] + [addition] + lines[last + 1:])


def register(name: str, title: str, port: int, root: Path) -> None:
    """Add the Proyecto's service and work volume to compose, its port to .env.example, its lines to the README."""
    service, variable = service_of(name), port_variable(name)
    compose = root / COMPOSE_FILE.name
    text = compose.read_text()
    # After the last Proyecto service's block, which ends with the line that mounts the shared data.
    last_service = list(re.finditer(r"^  proyecto\d+:$", text, re.M))[-1]
    end = text.index("./shared-data:/data:ro\n", last_service.end()) + len("./shared-data:/data:ro\n")
    text = text[:end] + SERVICE.format(service=service, name=name, variable=variable, port=port) + text[end:]
    text = insert_after_last(text, r"^  proyecto\d+-work:$", f"  {service}-work:\n")
    # The Beam workers (profile escalado) run the Proyecto's code too: its work volume, read-only.
    text = insert_after_last(text, r"^    - proyecto\d+-work:/home/lab/proyectos/proyecto\d+:ro$",
                             f"    - {service}-work:/home/lab/proyectos/{service}:ro\n")
    text = re.sub(r"^(  depends_on: \[proyecto\d+(?:, proyecto\d+)*)\]$", rf"\1, {service}]", text, count=1,
                  flags=re.M)
    # Airflow: its DAG folder in every Airflow service (x-airflow), and its own worker after the last one.
    text = insert_after_last(text, r"^    - \./Proyectos/Proyecto\d+/dags:/opt/lab/dags/proyecto\d+:ro$",
                             f"    - ./Proyectos/{name}/dags:/opt/lab/dags/{service}:ro\n")
    last_worker = list(re.finditer(r"^  airflow-worker-proyecto\d+:$", text, re.M))[-1]
    end = text.index("./shared-data:/data:ro\n", last_worker.end()) + len("./shared-data:/data:ro\n")
    text = text[:end] + WORKER.format(service=service, name=name) + text[end:]
    compose.write_text(text)

    env = root / ".env.example"
    env.write_text(insert_after_last(env.read_text(), r"^PROYECTO\d+_PORT=", f"{variable}={port}\n"))

    readme = root / "README.md"
    text = readme.read_text()
    text = insert_after_last(text, r"^\| \[Proyecto\d+\]\(Proyectos/",
                             f"| [{name}](Proyectos/{name}/README.md) | {title} | Palmer Penguins (procesado) | "
                             f"http://127.0.0.1:{port}/lab |\n")
    text = insert_after_last(text, r"^docker compose exec proyecto\d+ lab-url$",
                             f"docker compose exec {service} lab-url\n")
    text = insert_after_last(text, r"^\| `PROYECTO\d+_PORT` \|",
                             f"| `{variable}` | `{port}` | puerto del host del {name} |\n")
    readme.write_text(text)


def create(name: str, title: str, root: Path = ROOT, lock: bool = True) -> Path:
    """Create Proyectos/<name> and register it; nothing is written if the name or title is refused."""
    check(name, title, root)
    port = next_port((root / COMPOSE_FILE.name).read_text())
    folder = root / "Proyectos" / name
    copy_template(name, title, port, folder)
    # The shared stack's lock seeds the new one: uv keeps the versions it finds locked, so the Proyecto
    # pins every stack package exactly as lab-base does (its image layer then holds only its own).
    shutil.copy(root / "lab-base" / "uv.lock", folder / "uv.lock")
    if lock:
        # The lock tool of this checkout (PYTHONPATH: its own harness), on the new folder.
        result = subprocess.run([sys.executable, str(root / "tools" / "lock.py"), str(folder)],
                                env={**os.environ, "PYTHONPATH": str(root)})
        if result.returncode:
            shutil.rmtree(folder)
            raise Refused(f"No se pudieron bloquear las dependencias de {name} (mensaje de uv arriba); "
                          "no se ha creado nada. ¿Está Docker arrancado?")
    register(name, title, port, root)
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the Proyecto's folder, e.g. Proyecto3")
    parser.add_argument("title", help="its title, in Spanish, e.g. \"Mi tercer proyecto\"")
    args = parser.parse_args(argv)
    try:
        folder = create(args.name, args.title)
    except Refused as refusal:
        sys.exit(f"error: {refusal}")
    service = service_of(args.name)
    print(f"Creado {folder.relative_to(ROOT)}. Para arrancarlo:\n"
          f"  docker compose up --build -d\n  docker compose exec {service} lab-url")


if __name__ == "__main__":
    main()
