#!/bin/sh
# Run once by the postgres image on an empty volume (docker-entrypoint-initdb.d):
# one role and one database for each service that keeps its state here, so
# Airflow cannot touch MLflow's tables and the other way round. Both roles
# log in with the server's password (POSTGRES_PASSWORD, .env): the server is
# reached only over the lab's compose network, never published to the host.
set -eu
for service in airflow mlflow; do
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v role="$service" -v password="$POSTGRES_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
SQL
done
