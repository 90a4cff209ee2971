"""Proyecto3's TFX pipeline as an Airflow DAG, one task per component, for Airflow's DAG processor.

The nodes and their edges come from proyecto3.pipeline.create_pipeline through
pipeline.json (regenerate it with `python -m lab_helpers.node_runner manifest
proyecto3.pipeline > dags/pipeline.json` in the proyecto3 container); the
DAG itself is built by the lab's helper (services/airflow/src/lab_airflow/dags.py).
"""

from pathlib import Path

from lab_airflow.dags import pipeline_dag

dag = pipeline_dag(Path(__file__).with_name("pipeline.json"))
