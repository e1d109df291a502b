"""Docker's healthcheck: asks gunicorn directly on its unix socket, as nginx would (Host and
X-Forwarded-Proto), for /healthz/, which also checks the database."""

import http.client
import os
import socket
import sys

SOCKET = "/run/gunicorn/gunicorn.sock"


class UnixConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(SOCKET)


try:
    connection = UnixConnection("localhost", timeout=2)
    connection.request("GET", "/healthz/", headers={"Host": os.environ["LAB_API_HOST"], "X-Forwarded-Proto": "https"})
    sys.exit(0 if connection.getresponse().status == 200 else 1)
except OSError:
    sys.exit(1)
