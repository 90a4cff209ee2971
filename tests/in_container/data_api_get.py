"""Inside a lab container: GET each path from the data API at $LAB_DATA_API_URL; print the answers as one JSON line.

    python data_api_get.py /columns '/data?group_number=7' ...

Prints [{"path": ..., "status": ..., "body": ...}, ...] in the order given,
a 400's body included, so one `docker compose exec` checks several calls.
"""

import json
import os
import sys
import urllib.error
import urllib.request


def get(path: str) -> dict:
    try:
        with urllib.request.urlopen(os.environ["LAB_DATA_API_URL"] + path, timeout=30) as response:
            return {"path": path, "status": response.status, "body": json.load(response)}
    except urllib.error.HTTPError as error:
        return {"path": path, "status": error.code, "body": json.load(error)}


print(json.dumps([get(path) for path in sys.argv[1:]]))
