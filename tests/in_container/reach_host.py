"""In a container beside the lab: request the host's published ports as another machine would; print JSON.

    python reach_host.py '<JSON list of [service, port, [path, ...]]>'

Each port is asked for its paths at host.docker.internal (the host,
as `docker run --add-host=host.docker.internal:host-gateway` names it), with no
Host header of its own and with a forged `Host: localhost`, following redirects
on the same port. Each answer: reached or not, the last status and path.
"""

import http.client
import json
import sys
import urllib.parse

HOST = "host.docker.internal"
FORGED = [None, "localhost", "127.0.0.1"]


def ask(port: int, path: str, host_header: str | None) -> dict:
    answer = {"port": port, "path": path, "host_header": host_header, "reached": False}
    for _ in range(5):
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        headers = {"Host": f"{host_header}:{port}"} if host_header else {}
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
        except OSError as error:
            return answer | {"error": repr(error)}
        finally:
            connection.close()
        answer |= {"reached": True, "status": response.status, "final_path": path}
        location = response.getheader("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return answer
        path = urllib.parse.urljoin(path, location)
        path = urllib.parse.urlsplit(path)._replace(scheme="", netloc="").geturl() or "/"
    return answer


if __name__ == "__main__":
    targets = json.loads(sys.argv[1])
    print(json.dumps([{"service": service, **ask(port, path, forged)}
                      for service, port, paths in targets for path in paths for forged in FORGED]))
