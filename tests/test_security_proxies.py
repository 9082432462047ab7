"""Which address a failed sign-in counts against, with and without a proxy in front.

Two traps from issue 13: an app reachable directly must not let a forged X-Forwarded-For choose
the address (or every failure gets a fresh address and the lockout never comes), and an app behind
our proxy must not see every editor at the proxy's address (or anyone could lock an editor out).
X-Forwarded-For is read only on requests from an address in DJANGO_TRUSTED_PROXIES.
"""

import ipaddress
import subprocess
import sys

import pytest

from itb_portal.security import client_ip
from tests.test_admin_security import fail_until_locked, nurse, sign_in, signed_in  # noqa: F401

pytestmark = pytest.mark.django_db

DIRECT = "203.0.113.50"  # a client on the internet, connecting straight to the app
PROXY = "127.0.0.1"  # nginx on the same machine, as `make production` runs it


def networks(*items):
    return [ipaddress.ip_network(item) for item in items]


def test_by_default_only_this_machine_is_a_trusted_proxy(settings):
    assert networks("127.0.0.0/8", "::1") == settings.TRUSTED_PROXIES


@pytest.mark.usefixtures("nurse")
def test_a_client_reaching_the_app_directly_cannot_forge_its_way_past_the_lockout(client, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, password="wrong-password", REMOTE_ADDR=DIRECT, HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
    assert sign_in(client, REMOTE_ADDR=DIRECT, HTTP_X_FORWARDED_FOR="192.0.2.9").status_code == 429
    assert sign_in(client, REMOTE_ADDR=DIRECT).status_code == 429


@pytest.mark.usefixtures("nurse")
def test_forging_the_header_through_our_proxy_gains_nothing_either(client, settings):
    # nginx appends the address it saw; whatever the client wrote comes before it and is ignored.
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        forged = f"198.51.100.{attempt}, {DIRECT}"
        sign_in(client, password="wrong-password", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged)
    assert sign_in(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.9, {DIRECT}").status_code == 429


@pytest.mark.usefixtures("nurse")
def test_behind_our_proxy_one_person_locked_out_leaves_every_other_editor_signing_in(client, settings):
    attacker, editor = "198.51.100.66", "192.0.2.44"
    fail_until_locked(client, settings, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=attacker)
    assert sign_in(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=attacker).status_code == 429
    assert signed_in(sign_in(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=editor))


@pytest.mark.usefixtures("nurse")
def test_a_proxy_on_another_host_is_trusted_once_it_is_named(client, settings):
    settings.TRUSTED_PROXIES = networks("10.20.0.0/24")
    fail_until_locked(client, settings, REMOTE_ADDR="10.20.0.10", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert signed_in(sign_in(client, REMOTE_ADDR="10.20.0.10", HTTP_X_FORWARDED_FOR="192.0.2.44"))


def test_the_client_is_the_first_address_from_the_right_that_is_not_our_proxy(rf, settings):
    settings.TRUSTED_PROXIES = networks("10.0.0.0/24", "::1")

    def seen(remote, forwarded=None):
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return client_ip(rf.get("/", REMOTE_ADDR=remote, **extra))

    assert seen("10.0.0.2", "6.6.6.6, 203.0.113.7") == "203.0.113.7"
    assert seen("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.9") == "203.0.113.7"  # two proxies of ours
    assert seen("10.0.0.2", "2001:db8::7") == "2001:db8::7"
    assert seen("::1", "203.0.113.7") == "203.0.113.7"
    assert seen("::ffff:10.0.0.2", "203.0.113.7") == "203.0.113.7"
    assert seen("10.0.0.2") == "10.0.0.2"
    assert seen("10.0.0.2", "") == "10.0.0.2"
    # A hop our proxy would never write: nothing to its left is believed.
    assert seen("10.0.0.2", "6.6.6.6, not-an-address") == "10.0.0.2"
    assert seen("10.0.0.2", "6.6.6.6, not-an-address, 10.0.0.9") == "10.0.0.9"
    # Not from a proxy of ours: the header is ignored, however it looks.
    assert seen("203.0.113.50", "10.0.0.9") == "203.0.113.50"
    assert seen("10.0.1.2", "203.0.113.7") == "10.0.1.2"


def test_an_ignored_header_is_logged_once_so_a_missing_proxy_is_noticed(rf, caplog):
    from itb_portal.security import untrusted_forwarder

    untrusted_forwarder.cache_clear()
    for _ in range(3):
        client_ip(rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.7"))
    warnings = [r.getMessage() for r in caplog.records if "DJANGO_TRUSTED_PROXIES" in r.getMessage()]
    assert warnings == [
        "X-Forwarded-For from 10.9.9.9 ignored: not in DJANGO_TRUSTED_PROXIES. If 10.9.9.9 is your proxy, add it there."
    ]


def start(env: dict) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_DEBUG": "0"}
    code = "import itb_portal.settings as s; print(s.TRUSTED_PROXIES)"
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True)


def test_trusted_proxies_come_from_the_environment():
    result = start({"DJANGO_TRUSTED_PROXIES": "10.0.0.5, 172.30.0.0/24,fd00::/8"})
    assert result.returncode == 0, result.stderr
    assert "IPv4Network('10.0.0.5/32'), IPv4Network('172.30.0.0/24'), IPv6Network('fd00::/8')" in result.stdout


def test_a_proxy_setting_that_is_not_an_address_stops_the_app_starting():
    result = start({"DJANGO_TRUSTED_PROXIES": "nginx"})
    assert result.returncode != 0
    assert (
        "DJANGO_TRUSTED_PROXIES" in result.stderr and "'nginx' does not appear to be an IPv4 or IPv6" in result.stderr
    )


def test_the_old_proxy_count_stops_the_app_starting_rather_than_being_ignored():
    result = start({"DJANGO_TRUSTED_PROXY_COUNT": "1"})
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_COUNT is no longer read" in result.stderr
