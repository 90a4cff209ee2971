"""What a new Proyecto adds to docker-compose.yaml, edited as YAML (comments, anchors and merge keys kept).

The file is read and written with ruamel.yaml's round-trip mode, in the indentation it already has, so
it can be reformatted freely: the scaffold looks services, anchors and volumes up by name, never by line.
Compose's `include:` cannot do this: an included file does not merge into another file's services and
anchors do not cross files, and a Proyecto must add its work volume to the Beam workers' anchor.

Each thing a Proyecto adds is one function `(compose, proyecto) -> None` in REGISTRATIONS; adding
another is one function and one line there.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.mergevalue import MergeValue
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from harness.repo import service_of

PROYECTO_SERVICE = re.compile(r"proyecto[1-9][0-9]*")
# Host ports the lab's other services take by default (serving, TensorBoard, MLflow).
RESERVED_PORTS = {8501, 6006, 5000}
FIRST_PORT = 8888


@dataclass(frozen=True)
class NewProyecto:
    """The names a Proyecto goes by in compose: folder Proyecto3, service proyecto3, PROYECTO3_PORT."""

    name: str
    port: int

    @property
    def service(self) -> str:
        return service_of(self.name)

    @property
    def port_variable(self) -> str:
        return f"{self.service.upper()}_PORT"

    @property
    def work_volume(self) -> str:
        return f"{self.service}-work"

    @property
    def dags_mount(self) -> str:
        return f"./Proyectos/{self.name}/dags:/opt/lab/dags/{self.service}:ro"


# ---- Reading and writing, as the file is indented ---------------------------------------------------------

def _yaml(mapping: int, sequence: int, offset: int) -> YAML:
    yaml = YAML()  # round-trip: comments, anchors, aliases, merge keys and key order survive
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def dump(yaml: YAML, data: CommentedMap) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def load(text: str) -> tuple[YAML, CommentedMap]:
    """The compose document, and the YAML writer whose indentation reproduces the text most closely."""
    def distance(yaml: YAML) -> int:
        written = dump(yaml, yaml.load(text)).splitlines()
        return sum(a != b for a, b in zip(written, text.splitlines(), strict=False)) + abs(
            len(written) - len(text.splitlines()))
    styles = [(mapping, sequence, offset) for mapping in (2, 4) for sequence in (2, 4, 6) for offset in (0, 2, 4)
              if offset + 2 <= sequence]
    yaml = min((_yaml(*style) for style in styles), key=distance)
    return yaml, yaml.load(text)


# ---- Looking things up by name -----------------------------------------------------------------------------

def anchored(compose: CommentedMap, anchor: str) -> CommentedMap:
    """The value that carries `&anchor` (e.g. `lab` for `x-lab: &lab`), wherever it is defined."""
    found = _find_anchor(compose, anchor)
    if found is None:
        raise KeyError(f"docker-compose.yaml has no anchor &{anchor}")
    return found


def _find_anchor(node, anchor: str):
    children = node.values() if isinstance(node, CommentedMap) else node if isinstance(node, CommentedSeq) else ()
    for value in children:
        if getattr(value, "anchor", None) is not None and value.anchor.value == anchor:
            return value
        if (inner := _find_anchor(value, anchor)) is not None:
            return inner
    return None


def proyecto_services(compose: CommentedMap) -> list[str]:
    return [name for name in compose["services"] if PROYECTO_SERVICE.fullmatch(name)]


def default_port(service: CommentedMap) -> int:
    """A lab's default host port: the default of its LAB_PORT, e.g. 8888 in ${PROYECTO1_PORT:-8888}."""
    return int(re.search(r":-(\d+)\}", str(service["environment"]["LAB_PORT"])).group(1))


def next_port(compose: CommentedMap) -> int:
    """The port after the highest default port of the Proyectos, skipping the other services' ports."""
    taken = [default_port(compose["services"][name]) for name in proyecto_services(compose)]
    port = max(taken, default=FIRST_PORT - 1) + 1
    while port in RESERVED_PORTS:
        port += 1
    return port


# ---- Inserting where a reader expects it, comments following their block ---------------------------------

def _tail(node) -> tuple[dict, int]:
    """Where the comment after `node`'s last line lives: (comment items, slot), descending into the last child."""
    while isinstance(node, CommentedMap | CommentedSeq) and len(node):
        # A map's own last key, not one merged in from an anchor (`<<: *lab` brings `networks`).
        last = [k for k, _ in node.non_merged_items()][-1] if isinstance(node, CommentedMap) else len(node) - 1
        child = node[last]
        if isinstance(child, CommentedMap | CommentedSeq) and len(child):
            node = child
            continue
        slot = 2 if isinstance(node, CommentedMap) else 0
        items = node.ca.items.setdefault(last, [None] * (4 if slot == 2 else 2))
        return items, slot
    raise ValueError("an empty block has no last line")


def insert_after(mapping: CommentedMap, after: str, key: str, value) -> None:
    """mapping[key] = value, right after `after`; the comment that followed `after` (about the next entry)
    now follows `value`, and `after` keeps only its blank lines."""
    mapping.insert(list(mapping).index(after) + 1, key, value)
    if not isinstance(value, CommentedMap | CommentedSeq):
        return
    items, slot = _tail(mapping[after])
    comment = items[slot]
    if comment is None:
        return
    new_items, new_slot = _tail(value)
    new_items[new_slot] = comment
    blank = comment.value[:len(comment.value) - len(comment.value.lstrip("\n"))]
    items[slot] = type(comment)(blank, comment.start_mark, None) if blank else None


def merged(*anchor_maps: CommentedMap, **entries) -> CommentedMap:
    """A mapping that starts with `<<: *anchor` (or `<<: [*a, *b]`) and adds `entries`."""
    merge = MergeValue()
    merge.merge_pos = 0
    for anchor_map in anchor_maps:
        merge.append(anchor_map)
    if len(anchor_maps) > 1:  # written as `<<: [*a, *b]`
        sequence = CommentedSeq(anchor_maps)
        sequence.fa.set_flow_style()
        merge.sequence = sequence
    mapping = CommentedMap()
    mapping.add_yaml_merge(merge)
    mapping.update(entries)
    return mapping


def block(*items: str) -> CommentedSeq:
    return CommentedSeq(items)


# ---- What a Proyecto adds ----------------------------------------------------------------------------------

def lab_service(compose: CommentedMap, proyecto: NewProyecto) -> None:
    """Its JupyterLab service, built and set up like the other Proyectos', after the last of them."""
    port = f"${{{proyecto.port_variable}:-{proyecto.port}}}"
    service = merged(
        anchored(compose, "lab"),
        build=merged(anchored(compose, "proyecto-build"), context=f"Proyectos/{proyecto.name}"),
        environment=merged(anchored(compose, "lab-environment"), LAB_PORT=port),
        ports=block(DoubleQuotedScalarString(f"${{LAB_HOST_IP:-127.0.0.1}}:{port}:{port}")),
        volumes=block(f"{proyecto.work_volume}:/home/lab/work", "tfx:/tfx", "./shared-data:/data:ro"),
    )
    insert_after(compose["services"], proyecto_services(compose)[-1], proyecto.service, service)


def work_volume(compose: CommentedMap, proyecto: NewProyecto) -> None:
    """Its named work volume (the student's folder), after the other Proyectos' volumes."""
    volumes = compose["volumes"]
    last = [name for name in volumes if re.fullmatch(r"proyecto[1-9][0-9]*-work", name)][-1]
    insert_after(volumes, last, proyecto.work_volume, None)


def beam_worker_mount(compose: CommentedMap, proyecto: NewProyecto) -> None:
    """The Beam workers (x-beam-worker) mount its work volume read-only, once the lab has filled it."""
    worker = anchored(compose, "beam-worker")
    volumes = worker["volumes"]
    mounts = [i for i, v in enumerate(volumes) if re.match(r"proyecto[1-9][0-9]*-work:", str(v))]
    volumes.insert(mounts[-1] + 1, f"{proyecto.work_volume}:/home/lab/proyectos/{proyecto.service}:ro")
    depends_on = worker["depends_on"]
    if isinstance(depends_on, CommentedMap):
        depends_on[proyecto.service] = CommentedMap(condition="service_started")
    else:
        depends_on.append(proyecto.service)


def airflow_dags_mount(compose: CommentedMap, proyecto: NewProyecto) -> None:
    """Every Airflow service (x-airflow) mounts its dags/ folder read-only, where the DAG processor finds it."""
    volumes = anchored(compose, "airflow")["volumes"]
    mounts = [i for i, v in enumerate(volumes) if re.match(r"\./Proyectos/Proyecto[1-9][0-9]*/dags:", str(v))]
    volumes.insert(mounts[-1] + 1, proyecto.dags_mount)


def airflow_worker(compose: CommentedMap, proyecto: NewProyecto) -> None:
    """Its Celery worker, built on its own image, on its queue, with its work volume: where its DAG's tasks run."""
    services = compose["services"]
    workers = [name for name in services if re.fullmatch(r"airflow-worker-proyecto[1-9][0-9]*", name)]
    depends_on = merged(anchored(compose, "airflow-depends"))
    depends_on[proyecto.service] = CommentedMap(condition="service_started")
    command = CommentedSeq(["airflow-worker", "--queues", proyecto.service])
    command.fa.set_flow_style()
    worker = merged(
        anchored(compose, "airflow-worker"),
        build=CommentedMap(context="services/airflow", target="worker",
                           additional_contexts=merged(anchored(compose, "uv"),
                                                      proyecto=f"service:{proyecto.service}")),
        depends_on=depends_on,
        command=command,
        environment=merged(anchored(compose, "lab-environment"), anchored(compose, "airflow-environment")),
        volumes=block("airflow-data:/opt/airflow", proyecto.dags_mount, f"{proyecto.work_volume}:/home/lab/work",
                      "tfx:/tfx", "./shared-data:/data:ro"),
    )
    insert_after(services, workers[-1], f"airflow-worker-{proyecto.service}", worker)


Registration = Callable[[CommentedMap, NewProyecto], None]
# Everything a Proyecto adds to docker-compose.yaml, in order.
REGISTRATIONS: tuple[Registration, ...] = (lab_service, work_volume, beam_worker_mount, airflow_dags_mount,
                                           airflow_worker)


def registered(text: str, proyecto: NewProyecto) -> str:
    """The compose file `text` with every registration applied, indented as it was."""
    yaml, compose = load(text)
    for registration in REGISTRATIONS:
        registration(compose, proyecto)
    return dump(yaml, compose)
