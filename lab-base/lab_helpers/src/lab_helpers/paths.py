"""Where the lab keeps its data and TFX outputs inside every lab container.

docker-compose.yaml mounts shared-data/ read-only at LAB_DATA_DIR (/data) and
the shared volume at LAB_TFX_DIR (/tfx). Each pipeline gets its own folder
there, with its own ML Metadata database: SQLite gives up on a locked file
within seconds, so two pipelines never share one.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

DATA_DIR = Path(os.environ.get("LAB_DATA_DIR", "/data"))
TFX_DIR = Path(os.environ.get("LAB_TFX_DIR", "/tfx"))


@dataclass(frozen=True)
class PipelinePaths:
    """The folders and files of one pipeline under the shared volume."""

    name: str
    root: Path

    @property
    def pipeline_root(self) -> Path:
        """Where TFX writes the pipeline's artifacts."""
        return self.root / "artifacts"

    @property
    def metadata_path(self) -> Path:
        """The pipeline's own ML Metadata SQLite database."""
        return self.root / "metadata.sqlite"


def pipeline_paths(name: str, tfx_dir: Path | str | None = None) -> PipelinePaths:
    """Return the paths of pipeline `name`, creating its folder."""
    root = Path(tfx_dir or TFX_DIR) / name
    root.mkdir(parents=True, exist_ok=True)
    return PipelinePaths(name=name, root=root)


def require_data_dir(path: Path | str) -> Path | str:
    """Return `path` if it is a folder with CSV files; otherwise explain in Spanish.

    A URI (gs://..., s3://...) is returned as it is, unchecked: a pipeline compiled
    for a cluster (lab_scaleout.kubeflow) reads its data from a bucket this container cannot see.
    """
    if "://" in str(path):
        return str(path)
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(
            f"No existe la carpeta de datos {path}. Comprueba que shared-data/ "
            f"está montada en {DATA_DIR} (docker-compose.yaml) y que la ruta es correcta."
        )
    if not any(path.glob("*.csv")):
        raise FileNotFoundError(f"La carpeta de datos {path} no contiene ningún fichero .csv.")
    return path


def artifact_folders(pipeline_root: Path | str) -> pd.DataFrame:
    """Where a pipeline's artifacts are on disk: one row per <component>/<output>/<execution id> folder.

    TFX writes each output of each execution to its own folder under the
    pipeline root, named by the component, the output and the execution's id
    in ML Metadata: a re-run never overwrites an earlier result.
    """
    rows = []
    for folder in sorted(Path(pipeline_root).glob("*/*/*")):
        if folder.is_dir() and folder.name.isdigit():
            files = [f for f in folder.rglob("*") if f.is_file()]
            rows.append({"componente": folder.parent.parent.name, "salida": folder.parent.name,
                         "ejecucion": int(folder.name), "ficheros": len(files),
                         "kB": round(sum(f.stat().st_size for f in files) / 1024, 1), "ruta": str(folder)})
    return pd.DataFrame(rows, columns=["componente", "salida", "ejecucion", "ficheros", "kB", "ruta"])
