"""What the fault tests know of the running lab, from the host: its settings (environment over
.env over .env.example, as compose reads them), HTTPS to 127.0.0.1 with the lab's TLS name (the
host's resolver does not resolve *.localhost), and docker compose for the backend's database.
Standard library only: these tests run with the host's python3."""

import functools
import http.client
import json
import os
import socket
import ssl
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def env_file(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line and not line.startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


SETTINGS = {**env_file(ROOT / ".env.example"), **env_file(ROOT / ".env")}
setting = lambda name: os.environ.get(name) or SETTINGS.get(name, "")
API_HOST = setting("LAB_API_HOST")
PORT = int(setting("LAB_HTTPS_PORT"))
COMPOSE_ENV = {**os.environ, "COMPOSE_ENV_FILES": ".env.example,.env"}


class LoopbackHTTPS(http.client.HTTPSConnection):
    """Connects to 127.0.0.1 and checks the certificate for the lab hostname, as a browser would."""

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def connection(port: int = PORT, timeout: float = 15) -> LoopbackHTTPS:
    context = ssl.create_default_context(cafile=str(ROOT / "certs" / "ca.pem"))
    return LoopbackHTTPS(API_HOST, port, context=context, timeout=timeout)


def request(conn, method: str, path: str, body=None) -> tuple[int, str, dict]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = conn.getresponse()
    return response.status, response.read().decode(), {k.lower(): v for k, v in response.getheaders()}


def compose(*args: str, env: dict | None = None, check=True) -> str:
    return subprocess.run(["docker", "compose", *args], cwd=ROOT, env=env or COMPOSE_ENV, check=check,
                          capture_output=True, text=True, timeout=300).stdout


def django_shell(code: str, env: dict | None = None) -> str:
    """Runs Python in the backend's Django, inside its container: reads the real SQLite file."""
    return compose("exec", "-T", "backend", "python3", "manage.py", "shell", "-c", code, env=env).strip()


def usernames_starting(prefix: str, env: dict | None = None) -> set[str]:
    code = ("from experiments.models import UserRecord; import json; print(json.dumps(list("
            f"UserRecord.objects.filter(username__startswith={prefix!r}).values_list('username', flat=True))))")
    return set(json.loads(django_shell(code, env).splitlines()[-1]))


@functools.cache
def container_id(service: str) -> str:
    """Asked of compose once: Docker keeps a container's id across its restarts, stops and pauses.
    A compose call costs about 0.1 s of CPU, a docker inspect far less, and wait_for polls twice a
    second while the machine is busy with the other tests."""
    return compose("ps", "--all", "-q", service).strip()


def container_state(service: str = "backend") -> dict:
    container = container_id(service)
    state = json.loads(subprocess.run(["docker", "inspect", container], capture_output=True, text=True,
                                      check=True).stdout)[0]
    return {"id": container, "pid": state["State"]["Pid"], "restarts": state["RestartCount"],
            "running": state["State"]["Running"], "paused": state["State"]["Paused"]}


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.5)


def backend_healthy() -> bool:
    """The backend is running and answers /healthz/ (which asks its database too) through nginx,
    as the tests' requests go. Asked now: Docker asks only every 30 s, so its status says
    "starting" long after gunicorn answers. Not `docker exec` of its health check: that cost about
    0.1 CPU-second a try, twice a second, while the other tests keep the machine busy."""
    state = container_state()
    if not state["running"] or state["paused"]:
        return False
    conn = connection(timeout=5)
    try:
        return request(conn, "GET", "/healthz/")[0] == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()
