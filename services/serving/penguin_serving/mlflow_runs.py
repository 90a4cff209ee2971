"""Which MLflow run produced a served model version, asked to the lab's MLflow server.

Proyecto2's MlflowLogger registers every pushed model as a version of one
registered model, tagged with the Pusher's version (`pushed_version`). The
lookup is one REST call with a short timeout: without MLflow (stopped, or not
logged yet) the answer is None and serving carries on.
"""

import json
import logging
import os
import urllib.parse
import urllib.request

TRACKING_URI = os.environ.get("MLFLOW_TRACKING_URI", "")
REGISTERED_MODEL = os.environ.get("MLFLOW_REGISTERED_MODEL", "penguins")
# /health waits at most this long for MLflow.
TIMEOUT_SECONDS = 1.5

log = logging.getLogger(__name__)


class RunIds:
    """The MLflow run id of each pushed version; found ids are remembered (a version's run never changes)."""

    def __init__(self, tracking_uri: str = TRACKING_URI, model_name: str = REGISTERED_MODEL,
                 timeout: float = TIMEOUT_SECONDS):
        self.tracking_uri = tracking_uri.rstrip("/")
        self.model_name = model_name
        self.timeout = timeout
        self._found: dict[int, str] = {}

    def run_id(self, version: int | None) -> str | None:
        """The run id of the registry version tagged pushed_version=`version`; None if unknown or unreachable."""
        if version is None or not self.tracking_uri.startswith(("http://", "https://")):
            return None
        if version not in self._found:
            try:
                found = self._search(version)
            except (OSError, ValueError) as error:  # MLflow down, slow or answering something else
                log.info("MLflow at %s did not answer for version %s: %s", self.tracking_uri, version, error)
                return None
            if found:
                self._found[version] = found
        return self._found.get(version)

    def _search(self, version: int) -> str | None:
        query = urllib.parse.urlencode({
            "filter": f"name = '{self.model_name}' and tags.pushed_version = '{version}'", "max_results": 1})
        url = f"{self.tracking_uri}/api/2.0/mlflow/model-versions/search?{query}"
        with urllib.request.urlopen(url, timeout=self.timeout) as response:
            versions = json.load(response).get("model_versions", [])
        return versions[0].get("run_id") if versions else None
