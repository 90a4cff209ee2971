"""A data API (the course's protocol) whose one batch has a column of the wrong type: for Proyecto3's DAG test.

    python corrupted_data_api.py 8123 /data/chicago-taxi/span-2/data.csv fare

Serves GET /columns and GET /data?group_number=N: always batch 1, every row of
the CSV with `column` replaced by text ("gratis"), the way a broken upstream
system would send it. Standard library only; runs in the proyecto3 container,
which the Airflow worker reaches on the lab's network.
"""

import csv
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT, CSV_PATH, COLUMN = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(CSV_PATH, newline="") as handle:
    reader = csv.reader(handle)
    COLUMNS = next(reader)
    ROWS = [row for row in reader][:1500]
broken = COLUMNS.index(COLUMN)
for row in ROWS:
    row[broken] = "gratis"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/columns":
            self.answer(200, COLUMNS)
        elif url.path == "/data":
            group = int(parse_qs(url.query).get("group_number", ["1"])[0])
            self.answer(200, {"group_number": group, "batch_number": 1, "data": ROWS})
        else:
            self.answer(404, {"detail": "no existe"})

    def answer(self, status: int, body) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
