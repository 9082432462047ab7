"""Client mistakes are logged as one plain line; real server errors keep their traceback."""

import io
import logging

import pytest
from django.test import Client

from itb_portal.security import ClientErrorsWithoutTraceback

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """What the console handler from settings.LOGGING writes, captured."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, ClientErrorsWithoutTraceback) for f in getattr(h, "filters", []))
    )
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def test_a_bad_host_header_is_one_log_line_without_a_traceback(console, fixture_sections):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    lines = console.getvalue().splitlines()
    assert lines == [
        "ERROR django.security.DisallowedHost: Invalid HTTP_HOST header: 'evil.example'. "
        "You may need to add 'evil.example' to ALLOWED_HOSTS."
    ]


def test_a_server_error_keeps_its_traceback(console, fixture_sections, monkeypatch):
    from itb_portal.booklet.models import Section

    def broken():
        raise RuntimeError("a real bug")

    monkeypatch.setattr(Section.objects, "published", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    logged = console.getvalue()
    assert "ERROR django.request: Internal Server Error: /" in logged
    assert "Traceback (most recent call last)" in logged and "RuntimeError: a real bug" in logged


def test_a_404_is_one_line_and_never_logs_the_query_string(console, fixture_sections):
    Client().get("/no-such-page/?sign=seizures")
    assert console.getvalue().splitlines() == ["WARNING django.request: Not Found: /no-such-page/"]


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        ("GET /symptoms/result/?sign=hallucinations&recent_operation=yes HTTP/1.1", "GET /symptoms/result/ HTTP/1.1"),
        ("GET /search/?q=itchy+rash HTTP/1.1", "GET /search/ HTTP/1.1"),  # a search can hold health details
    ],
)
def test_the_development_servers_request_lines_leave_out_query_strings(line, logged):
    import logging

    from itb_portal.security import QueryStringsNotLogged

    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s', (line, "200", "1234"), None)
    assert QueryStringsNotLogged().filter(record)
    assert record.getMessage() == f'"{logged}" 200 1234'
    assert logging.getLogger("django.server").handlers[0].filters[0].__class__ is QueryStringsNotLogged
