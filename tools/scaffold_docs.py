"""What a new Proyecto adds to .env.example (by variable) and README.md (its marked regions).

The README marks what the scaffold owns with HTML comments, `<!-- proyectos:begin -->` ...
`<!-- proyectos:end -->` (and `lab-url`, `puertos`); the scaffold rewrites a region whole from the
list of Proyectos, keeping each existing row's cells, so the text around and inside it can be
re-padded or re-worded freely.
"""

import re
from dataclasses import dataclass

from harness.repo import service_of

PROYECTO_LINK = re.compile(r"\[(Proyecto[1-9][0-9]*)\]\(Proyectos/")
PORT_VARIABLE = re.compile(r"`(PROYECTO[1-9][0-9]*)_PORT`")


@dataclass(frozen=True)
class Row:
    """A new Proyecto's row in a README table: how to find its Proyecto in a row, and its cells."""

    proyecto: re.Pattern
    cells: list[str]


# ---- .env.example ------------------------------------------------------------------------------------------

def add_env_variable(text: str, variable: str, value: object, after: re.Pattern) -> str:
    """`variable=value` on the line after the last variable whose name matches `after` (or, if `variable` is
    already there, its value replaced where it stands)."""
    lines = text.splitlines(keepends=True)
    names = [found.group(1) if (found := re.match(r"\s*(?:export\s+)?(\w+)\s*=", line)) else None for line in lines]
    if variable in names:
        lines[names.index(variable)] = f"{variable}={value}\n"
        return "".join(lines)
    last = max(i for i, name in enumerate(names) if name and after.fullmatch(name))
    return "".join([*lines[:last + 1], f"{variable}={value}\n", *lines[last + 1:]])


# ---- README regions ----------------------------------------------------------------------------------------

def region(text: str, name: str) -> tuple[int, int]:
    """The span of the text between `<!-- name:begin ... -->` and `<!-- name:end -->` (their lines excluded)."""
    begin = re.search(rf"^[ \t]*<!--\s*{name}:begin\b.*?-->[ \t]*\n", text, re.M)
    end = re.search(rf"^[ \t]*<!--\s*{name}:end\b.*?-->", text, re.M)
    if not begin or not end or end.start() < begin.end():
        raise ValueError(f"README.md has no region <!-- {name}:begin --> ... <!-- {name}:end -->")
    return begin.end(), end.start()


def replace_region(text: str, name: str, render) -> str:
    """`text` with region `name` replaced by `render(old content)`."""
    start, end = region(text, name)
    return text[:start] + render(text[start:end]) + text[end:]


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def render_row(row: list[str]) -> str:
    return "| " + " | ".join(row) + " |\n"


def table_with(content: str, order: list[str], new: Row, proyecto: str) -> str:
    """The region's Markdown table rewritten: its rows that belong to a Proyecto, one per Proyecto in
    `order` (existing rows keep their cells; `proyecto`'s is `new`), where the first of them stood."""
    lines = [line for line in content.splitlines() if line.strip()]
    header, rows = lines[:2], [cells(line) for line in lines[2:]]

    def owner(row: list[str]) -> str | None:
        found = new.proyecto.search(row[0])
        return found and found.group(1).capitalize()

    kept = {owner(row): row for row in rows if owner(row)}
    kept[proyecto] = new.cells
    first = next(i for i, row in enumerate(rows) if owner(row))
    others = [row for row in rows if not owner(row)]
    rows = [*others[:first], *(kept[name] for name in order if name in kept), *others[first:]]
    return "".join([line.strip() + "\n" for line in header] + [render_row(row) for row in rows])


def lab_url_block(proyectos_in_order: list[str]) -> str:
    commands = "".join(f"docker compose exec {service_of(name)} lab-url\n" for name in proyectos_in_order)
    return f"```bash\n{commands}```\n"


def readme_with(text: str, order: list[str], name: str, title: str, port: int, variable: str) -> str:
    """The README `text` with Proyecto `name` (one of `order`, the Proyectos in order) in its regions: its row in
    the Proyectos' table, its `lab-url` line, its port variable's row."""
    text = replace_region(text, "proyectos", lambda content: table_with(content, order, Row(PROYECTO_LINK, [
        f"[{name}](Proyectos/{name}/README.md)", title, "Palmer Penguins (procesado)",
        f"http://127.0.0.1:{port}/lab"]), name))
    text = replace_region(text, "lab-url", lambda _: lab_url_block(order))
    text = replace_region(text, "puertos", lambda content: table_with(content, order, Row(PORT_VARIABLE, [
        f"`{variable}`", f"`{port}`", f"puerto del host del {name}"]), name))
    return text
