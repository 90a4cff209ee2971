"""Put the official TFX tutorials in your lab, adapted to run offline, and optionally run them.

    git clone https://github.com/tensorflow/tfx      # once, anywhere (needs internet)
    uv run python tools/official_tutorials.py tfx/docs/tutorials            # into proyecto1's tutoriales/
    uv run python tools/official_tutorials.py tfx/docs/tutorials --run      # and run them; table in docs/

Only the two kinds of cells the README's "Usar los tutoriales oficiales de TFX"
says to change are changed: the install cells (`pip install`, Colab's
`pkg_resources` reload) are dropped, and each data download is replaced by a
copy of the same data from /data. The rest of every notebook is the
tutorial's own code. Each notebook lands in /home/lab/work/tutoriales/<name>/ of
the lab (its work folder, so it shows in JupyterLab's file browser).
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.repo import ROOT

# The tutorials this adapts, by path under docs/tutorials/ of tensorflow/tfx.
TUTORIALS = ("tfx/penguin_simple.ipynb", "tfx/penguin_tfdv.ipynb", "tfx/penguin_tfma.ipynb",
             "tfx/components_keras.ipynb", "data_validation/tfdv_basic.ipynb", "transform/simple.ipynb",
             "mlmd/mlmd_tutorial.ipynb", "tfx/penguin_tft.ipynb")
# Data a tutorial downloads -> the lab's copy of the same data.
LOCAL_DATA = {
    "penguin/data/labelled/penguins_processed.csv": "/data/penguins-processed/penguins_processed.csv",
    "chicago_taxi_pipeline/data/simple/data.csv": "/data/chicago-taxi/span-1/data.csv",
}
DOWNLOAD = re.compile(r"^(?P<indent>\s*)(?:\w+, \w+ = )?urllib\.request\.urlretrieve\((?P<args>.*)\)\s*$", re.M)
# tfdv_basic downloads and unzips train/eval/serving splits of the taxi data: the lab's spans stand in.
TFDV_BASIC_ZIP = re.compile(r"^zip, headers = urllib\.request\.urlretrieve\(.*?\n(?:zipfile.*\n)+", re.M)
TFDV_BASIC_DATA = """import shutil, pandas
for _path in (TRAIN_DATA, EVAL_DATA, SERVING_DATA):
    os.makedirs(os.path.dirname(_path), exist_ok=True)
shutil.copy('/data/chicago-taxi/span-1/data.csv', TRAIN_DATA)  # lab: the data comes from /data
shutil.copy('/data/chicago-taxi/span-2/data.csv', EVAL_DATA)
pandas.read_csv(EVAL_DATA).drop(columns=['tips']).to_csv(SERVING_DATA, index=False)
"""


def is_install_cell(source: str) -> bool:
    """A pip install (or Colab's pip upgrade) cell, or the pkg_resources reload that follows installs in Colab."""
    return "pip install" in source or "importlib.reload(pkg_resources)" in source


def local_copy(source: str) -> str:
    """The cell with each known download replaced by a copy of the lab's data (unknown downloads stay)."""
    source = TFDV_BASIC_ZIP.sub(TFDV_BASIC_DATA, source)

    def replace(match: re.Match) -> str:
        url_and_target = match.group("args")
        known = next((local for remote, local in LOCAL_DATA.items() if remote in source), None)
        if known is None:
            return match.group(0)
        target = url_and_target.rsplit(",", 1)[-1].strip()
        return f"{match.group('indent')}import shutil; shutil.copy({known!r}, {target})  # lab: from /data"

    return DOWNLOAD.sub(replace, source)


def adapt(notebook: dict) -> tuple[dict, list[str]]:
    """The notebook without install cells and with local data; and a Spanish list of what changed."""
    cells, changes = [], []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and is_install_cell(source):
            line = next(line for line in source.splitlines() if "pip" in line or "pkg_resources" in line)
            changes.append(f"quitada: `{line.strip()[:60]}`")
            continue
        if cell["cell_type"] == "code":
            adapted = local_copy(source)
            if adapted != source:
                changes.append("datos de /data en lugar de descargarlos")
                cell = {**cell, "source": adapted.splitlines(keepends=True)}
            if DOWNLOAD.search(adapted):
                changes.append("sigue descargando algo que el laboratorio no trae: necesita internet")
        cells.append({**cell, "outputs": [], "execution_count": None} if cell["cell_type"] == "code" else cell)
    return {**notebook, "cells": cells}, changes


def compose(*args: str, timeout: float = 3600, check: bool = True) -> subprocess.CompletedProcess:
    """`docker compose <args>` in the lab's folder; with `check`, stop with its error if it fails."""
    result = subprocess.run(["docker", "compose", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise SystemExit(f"`docker compose {' '.join(args)}` falló (código {result.returncode}). ¿Está arrancado "
                         f"el laboratorio (docker compose up -d)?\n{result.stderr.strip()[-2000:]}")
    return result


def install(notebook: Path, service: str, adapted: dict) -> str:
    """Copy the adapted notebook into the lab's tutoriales/<name>/; return that folder."""
    folder = f"/home/lab/work/tutoriales/{notebook.stem}"
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(tmp) / notebook.name
        local.write_text(json.dumps(adapted, indent=1, ensure_ascii=False))
        compose("exec", "-T", service, "mkdir", "-p", folder)
        compose("cp", str(local), f"{service}:{folder}/{notebook.name}")
        compose("exec", "-T", "-u", "root", service, "chown", "-R", "lab:lab", "/home/lab/work/tutoriales")
    return folder


def run(notebook: Path, service: str, folder: str) -> dict:
    """Execute it in its folder; the errors it shows and how long it took. `failed`: nbconvert itself failed
    (a dead kernel, a timeout), so the notebook did not run to its end."""
    started = time.monotonic()
    execution = compose("exec", "-T", "-w", folder, service, "jupyter", "nbconvert", "--to", "notebook", "--execute",
                        notebook.name, "--output", notebook.name, "--allow-errors",
                        "--ExecutePreprocessor.timeout=3600", check=False)
    seconds = time.monotonic() - started
    if execution.returncode != 0:
        last = (execution.stderr.strip().splitlines() or ["sin salida"])[-1]
        return {"seconds": seconds, "failed": True,
                "errors": [f"nbconvert terminó con código {execution.returncode}: {last[:200]}"]}
    executed = json.loads(compose("exec", "-T", service, "cat", f"{folder}/{notebook.name}").stdout)
    errors = [f"{o['ename']}: {o['evalue'][:120]}" for c in executed["cells"] if c["cell_type"] == "code"
              for o in c["outputs"] if o["output_type"] == "error"]
    return {"seconds": seconds, "failed": False, "errors": errors}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tutorials", type=Path, help="docs/tutorials of a tensorflow/tfx checkout")
    parser.add_argument("--service", default="proyecto1", help="the lab to put them in (default: proyecto1)")
    parser.add_argument("--run", action="store_true", help="run each one and write the table (--output)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "tutorials.md")
    args = parser.parse_args(argv)
    if not any((args.tutorials / name).is_file() for name in TUTORIALS):
        sys.exit(f"{args.tutorials} no tiene ninguno de los tutoriales: pasa docs/tutorials de un clon de "
                 "tensorflow/tfx")
    rows, failed = [], []
    for name in TUTORIALS:
        path = args.tutorials / name
        if not path.is_file():
            print(f"{name}: no está en {args.tutorials}", file=sys.stderr)
            continue
        adapted, changes = adapt(json.loads(path.read_text()))
        folder = install(path, args.service, adapted)
        print(f"{name} -> {args.service}:{folder} ({'; '.join(changes) or 'sin cambios'})")
        if args.run:
            result = run(path, args.service, folder)
            if result["failed"]:
                failed.append(name)
            verdict = "sin errores" if not result["errors"] else "; ".join(result["errors"][:3])
            print(f"  {result['seconds']:.0f} s: {verdict}")
            rows.append((name, "; ".join(sorted(set(changes))), f"{result['seconds']:.0f} s", verdict))
    if args.run and rows:
        table = "\n".join(f"| `{a}` | {b} | {c} | {d} |" for a, b, c, d in rows)
        args.output.write_text(
            "# Los tutoriales oficiales de TFX en el laboratorio\n\nGenerado por `uv run python tools/"
            f"official_tutorials.py <tfx>/docs/tutorials --run` el {time.strftime('%Y-%m-%d')}.\n\n"
            f"| tutorial | cambios | tiempo | resultado |\n|---|---|---|---|\n{table}\n")
    if failed:
        sys.exit(f"no llegaron al final: {', '.join(failed)}")


if __name__ == "__main__":
    main()
