"""The health probe answers by IP address, whatever DJANGO_ALLOWED_HOSTS says, and still tells
the truth: 503 when the database is down. Everything else keeps validating the Host header."""

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client

from tests.test_security_headers import assert_hardened

pytestmark = pytest.mark.django_db

PROBES = ["10.0.3.7:8000", "127.0.0.1:8000", "[::1]:8000", "172.17.0.2"]


@pytest.fixture
def real_host_name(settings):
    settings.ALLOWED_HOSTS = ["itb.example.nhs.uk"]


@pytest.mark.parametrize("host", PROBES)
def test_a_probe_by_ip_address_gets_200(real_host_name, host):
    response = Client().get("/health/", HTTP_HOST=host)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "data": "ok", "database": "ok"}
    assert "no-store" in response.headers["Cache-Control"]


def test_the_probe_by_ip_still_reports_a_database_outage(real_host_name, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = Client().get("/health/", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "data": "ok", "database": "unavailable"}


def test_the_probe_carries_the_security_headers(real_host_name):
    for method in ("get", "head"):
        response = getattr(Client(), method)("/health/", HTTP_HOST="10.0.3.7", HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 200
        assert_hardened(response, f"{method} /health/ by IP")


def test_every_other_address_still_refuses_a_host_that_is_not_ours(real_host_name):
    client = Client(raise_request_exception=False)
    for path in ["/", "/health", "/health/x/", "/symptoms/"]:
        assert client.get(path, HTTP_HOST="10.0.3.7").status_code == 400, path
    assert client.get("/", HTTP_HOST="itb.example.nhs.uk").status_code == 200


def test_a_probe_that_posts_is_refused(real_host_name):
    assert Client().post("/health/", HTTP_HOST="10.0.3.7").status_code == 405
