#!/bin/sh
# Before a run that writes a report (--csv, --html) starts: the report folder (the repository's
# informes-carga/, bind-mounted at /home/lab/informes) must be writable by this container's user (uid 1000).
# On Docker Desktop it always is; on Linux it is when the student's uid is 1000, the usual first user.
# Otherwise Locust would run the whole test and only then fail to write its CSV and HTML: say it now, in the
# student's language, with the fix.
set -eu
reports=/home/lab/informes
writes_report=false
for argument in "$@"; do
    case "$argument" in --csv*|--html*) writes_report=true ;; esac
done
if [ "$writes_report" = true ] && ! [ -w "$reports" ]; then
    echo "ERROR: la carpeta informes-carga/ del repositorio no deja escribir al usuario de este contenedor" \
         "(uid $(id -u)); es de uid $(stat -c %u "$reports")." >&2
    echo "Dale permiso de escritura desde la raíz del repositorio: chmod a+w informes-carga" >&2
    exit 1
fi
exec locust "$@"
