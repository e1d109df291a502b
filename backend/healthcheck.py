"""Docker's healthcheck: asks gunicorn directly, as nginx would (Host and X-Forwarded-Proto)."""

import os
import sys
import urllib.request

request = urllib.request.Request(
    "http://127.0.0.1:8000/healthz/",
    headers={"Host": os.environ["LAB_API_HOST"], "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=2) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError:
    sys.exit(1)
