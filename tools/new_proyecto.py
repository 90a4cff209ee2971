"""Create a new Proyecto of the lab, ready to build, start, run and test.

    uv run python tools/new_proyecto.py Proyecto3 "Mi tercer proyecto"

It copies tools/proyecto_template/ to Proyectos/Proyecto3/ with the names
filled in (folder, package proyecto3, notebook Proyecto3.ipynb, the title),
locks its dependencies against the lab's stack (tools/lock.py, in a
container), and adds the Proyecto to docker-compose.yaml (scaffold_compose:
service proyecto3 on the next free port, its work volume, its mount in the
Beam workers, its DAG folder in Airflow's services and its Airflow worker
airflow-worker-proyecto3), to .env.example (its port variable) and to the README's marked
regions (scaffold_docs: the Proyectos' table, the `lab-url` commands, the ports
table). Those files are edited by structure, so they can be reformatted
freely. The tests find the new Proyecto by its folder and check it like the
others (Proyectos/README.md lists what every Proyecto holds). A bad or taken
name, or a file the scaffold cannot find its place in, is refused in Spanish
before anything is written.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from harness.repo import COMPOSE_FILE, ROOT, proyectos, service_of
from scaffold_compose import NewProyecto, next_port, registered
from scaffold_compose import load as load_compose
from scaffold_docs import add_env_variable, readme_with

TEMPLATE = Path(__file__).with_name("proyecto_template")
NAME = re.compile(r"Proyecto[1-9][0-9]*")

class Refused(Exception):
    """The request cannot be done; the message says why, in Spanish."""


def check(name: str, title: str, root: Path) -> None:
    """Refuse a name that is not ProyectoN, or is taken; or an empty title."""
    if not NAME.fullmatch(name):
        raise Refused(f"El nombre «{name}» no vale: tiene que ser «Proyecto» seguido de un número, "
                      "sin espacios ni ceros delante (por ejemplo Proyecto3).")
    if (root / "Proyectos" / name).exists() or name in proyectos(root):
        raise Refused(f"{name} ya existe (Proyectos/{name}): elige otro número.")
    if service_of(name) in load_compose((root / COMPOSE_FILE.name).read_text())[1]["services"]:
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


def registrations(proyecto: NewProyecto, title: str, root: Path) -> dict[Path, str]:
    """The new text of docker-compose.yaml (scaffold_compose.REGISTRATIONS), .env.example (its port variable)
    and README.md (its regions) with the Proyecto added; computed whole before anything is written."""
    compose, env, readme = root / COMPOSE_FILE.name, root / ".env.example", root / "README.md"
    order = sorted({*proyectos(root), proyecto.name}, key=lambda name: int(name[8:]))
    try:
        return {
            compose: registered(compose.read_text(), proyecto),
            env: add_env_variable(env.read_text(), proyecto.port_variable, proyecto.port,
                                  after=re.compile(r"PROYECTO[1-9][0-9]*_PORT")),
            readme: readme_with(readme.read_text(), order, proyecto.name, title, proyecto.port,
                                proyecto.port_variable),
        }
    except (KeyError, ValueError, IndexError) as error:
        raise Refused(f"No sé dónde añadir {proyecto.name} ({error}); no se ha creado nada. "
                      "docker-compose.yaml, .env.example y README.md deben conservar los Proyectos existentes "
                      "y las marcas <!-- …:begin --> / <!-- …:end --> del README.") from error


def create(name: str, title: str, root: Path = ROOT, lock: bool = True) -> Path:
    """Create Proyectos/<name> and register it; nothing is written if the name or title is refused."""
    check(name, title, root)
    proyecto = NewProyecto(name, next_port(load_compose((root / COMPOSE_FILE.name).read_text())[1]))
    changed = registrations(proyecto, title, root)
    folder = root / "Proyectos" / name
    copy_template(name, title, proyecto.port, folder)
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
    for path, text in changed.items():
        path.write_text(text)
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
