"""lab_helpers.paths gives each pipeline its own folder and database, and explains a missing data folder in Spanish."""

import pytest

from lab_helpers.paths import pipeline_paths, require_data_dir


def test_each_pipeline_has_its_own_folder_and_database(tmp_path):
    """Artifacts and the MLMD database of a pipeline live under <tfx_dir>/<name>/."""
    paths = pipeline_paths("demo", tmp_path)
    assert paths.root == tmp_path / "demo" and paths.root.is_dir()
    assert paths.pipeline_root == tmp_path / "demo" / "artifacts"
    assert paths.metadata_path == tmp_path / "demo" / "metadata.sqlite"
    assert pipeline_paths("other", tmp_path).metadata_path != paths.metadata_path


def test_missing_data_folder_names_the_path(tmp_path):
    """A data folder that does not exist fails with a message that names it."""
    missing = tmp_path / "no-such-folder"
    with pytest.raises(FileNotFoundError, match="No existe la carpeta de datos .*no-such-folder"):
        require_data_dir(missing)


def test_data_folder_without_csv_is_refused(tmp_path):
    """A data folder with no CSV file fails before TFX starts."""
    (tmp_path / "notes.txt").write_text("not data")
    with pytest.raises(FileNotFoundError, match="no contiene ningún fichero .csv"):
        require_data_dir(tmp_path)


def test_data_folder_with_csv_is_returned(tmp_path):
    """A folder holding CSV files is accepted as it is."""
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    assert require_data_dir(str(tmp_path)) == tmp_path


def test_artifact_folders_lists_each_output_of_each_execution(tmp_path):
    """<component>/<output>/<execution id> folders become rows with their file count; other folders are ignored."""
    from lab_helpers.paths import artifact_folders

    (tmp_path / "Transform" / "transform_graph" / "7" / "metadata").mkdir(parents=True)
    (tmp_path / "Transform" / "transform_graph" / "7" / "metadata" / "schema.pbtxt").write_text("x" * 2048)
    (tmp_path / "_wheels" / "a" / "b").mkdir(parents=True)
    table = artifact_folders(tmp_path)
    assert table[["componente", "salida", "ejecucion", "ficheros", "kB"]].values.tolist() == [
        ["Transform", "transform_graph", 7, 1, 2.0]], table


def test_bucket_uri_is_returned_unchecked():
    """A bucket URI (a pipeline compiled for a cluster) is passed through as text, its // intact."""
    assert require_data_dir("gs://mi-bucket/data/penguins") == "gs://mi-bucket/data/penguins"
