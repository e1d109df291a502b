"""What keeps an exact-hostname run (scripts/exact-run.sh) in this container: its names resolve
here and nowhere else, every other name resolves nowhere in Chromium, and the CA this container
trusts vouches for the run's names alone. (The host's side, that its resolver and its trust
stores know none of it, is checked by scripts/exact-run.sh itself; the CA's limits by
scripts/tests/test_exact_ca.sh.)

Marked `exact`: deselected outside an exact run (conftest.py).
"""

import re
import socket
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

import lab

pytestmark = pytest.mark.exact


def loopback_names(hosts_file: str) -> set[str]:
    names = set()
    for line in hosts_file.splitlines():
        fields = line.split("#", 1)[0].split()
        if fields and fields[0] in ("127.0.0.1", "::1"):
            names.update(fields[1:])
    return names


def test_the_runs_names_and_no_other_are_mapped_to_this_containers_loopback():
    # Docker's own lines name localhost (and ip6-* aliases); docker-entrypoint.sh adds the run's.
    extra = loopback_names(Path("/etc/hosts").read_text()) - {"localhost", "ip6-localhost", "ip6-loopback"}
    assert extra == set(lab.LAB_HOSTS)
    for host in lab.LAB_HOSTS:
        assert {info[4][0] for info in socket.getaddrinfo(host, lab.HTTPS_PORT, socket.AF_INET)} == {"127.0.0.1"}
    # Firefox and WebKit ask the system's resolver, which reads /etc/hosts before any DNS server.
    [hosts_line] = [line for line in Path("/etc/nsswitch.conf").read_text().splitlines() if line.startswith("hosts:")]
    assert hosts_line.split()[1] == "files"


@pytest.mark.parametrize("host", ["localhost", "app.lab.localhost"])
def test_chromium_resolves_no_name_outside_the_run(page, host):
    """Names this container could reach without the resolver rules, so none of them would leave it
    either way: localhost (in /etc/hosts) and a .localhost name (Chromium's own loopback rule),
    both on the port where socat listens. With the rules, neither resolves."""
    with pytest.raises(PlaywrightError, match="net::ERR_NAME_NOT_RESOLVED"):
        page.goto(f"https://{host}:{lab.HTTPS_PORT}/")


def test_the_trusted_ca_is_the_runs_own_and_permits_exactly_its_names():
    """The CA that docker-entrypoint.sh trusted here (NSS, as Chromium reads it), as NSS reads its
    name constraints."""
    nssdb = f"sql:{Path.home()}/.pki/nssdb"
    dump = subprocess.run(["certutil", "-L", "-d", nssdb, "-n", "cors-django-lab"], capture_output=True, text=True,
                          check=True).stdout
    assert "per-run CA" in dump
    start = dump.index("Permitted Subtree:")
    permitted = dump[start:dump.index("Excluded Subtree:", start)]
    excluded = dump[dump.index("Excluded Subtree:", start):dump.index("Signature Algorithm", start)]
    assert sorted(re.findall(r'DNS name: "([^"]+)"', permitted)) == lab.TLS_HOSTS
    # Every IPv4 and every IPv6 address: address and mask all zeros, 8 and 32 bytes.
    addresses = [re.sub(r"[\s:]", "", block) for block in excluded.split("IP Address:")[1:]]
    assert addresses == ["0" * 16, "0" * 64]
