"""The lab's Airflow side: every Proyecto's TFX pipeline as an Airflow DAG (lab_airflow.dags)."""
