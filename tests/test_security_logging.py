"""Client mistakes are logged as one plain line; real server errors keep their traceback."""

import io
import logging
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from itb_portal.security import ClientErrorsWithoutTraceback

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


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


@pytest.mark.parametrize(
    ("logged", "kept"),
    [
        (
            "Invalid request from ip=192.0.2.7: Invalid HTTP request line: 'GET /symptoms/result/?sign=seizures HTTP/1.1 x'",
            "Invalid request from ip=192.0.2.7: Invalid HTTP request line: [not logged]",
        ),
        (
            "Invalid request from ip=192.0.2.7: Invalid HTTP Version: 'drowsiness HTTP/1.1'",
            "Invalid request from ip=192.0.2.7: Invalid HTTP Version: [not logged]",
        ),
        (
            "Invalid request from ip=192.0.2.7: Invalid HTTP Header: "
            "'Referer: https://itb.example/symptoms/result/?sign=it\\'s \"odd\"'",
            "Invalid request from ip=192.0.2.7: Invalid HTTP Header: [not logged]",
        ),
        (
            "Invalid request from ip=192.0.2.7: Request Line is too large (9000 > 4094)",
            "Invalid request from ip=192.0.2.7: Request Line is too large (9000 > 4094)",
        ),
    ],
)
def test_gunicorns_error_log_keeps_the_problem_but_not_what_the_request_said(logged, kept):
    from itb_portal.security import RequestDetailsNotLogged

    record = logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1, logged, None, None)
    assert RequestDetailsNotLogged().filter(record)
    assert record.getMessage() == kept


def test_an_error_handling_a_request_is_logged_without_its_query():
    from itb_portal.security import RequestDetailsNotLogged

    record = logging.LogRecord(
        "gunicorn.error",
        logging.ERROR,
        __file__,
        1,
        "Error handling request %s %s",
        ("GET", "/symptoms/result/?sign=seizures&recent_operation=yes"),
        None,
    )
    RequestDetailsNotLogged().filter(record)
    assert record.getMessage() == "Error handling request GET /symptoms/result/?[not logged]"


def test_malformed_requests_through_real_gunicorn_leave_no_query_in_its_log(tmp_path):
    """gunicorn with gunicorn.conf.py, as in production, sent request lines it cannot parse."""
    from django.conf import settings

    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "gunicorn-log-test-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
        "DJANGO_DEBUG": "0",
        "DJANGO_STATIC_MANIFEST": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ITB_PAGE_CACHE_DIR": str(tmp_path / "pages"),
    }
    command = [sys.executable, "-m", "gunicorn", "itb_portal.wsgi", "--config", "gunicorn.conf.py"]
    server = subprocess.Popen(
        [*command, "--bind", "127.0.0.1:0", "--workers", "1"],
        cwd=settings.BASE_DIR,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = []
    try:
        port = None
        while port is None:
            line = server.stderr.readline()
            assert line, "gunicorn stopped:\n" + "".join(log)
            log.append(line)
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
            port = found and int(found.group(1))
        malformed = [
            b"GET /symptoms/result/?sign=seizures HTTP/1.1 extra\r\n\r\n",
            b"GET /symptoms/result/?sign=x sign=seizures HTTP/1.1\r\n\r\n",
            b"GET /symptoms/result/?sign=seizures\x01 HTTP/1.1\r\n\r\n",
            b"GET /symptoms/result/?sign=drowsiness HTTP/9.9\r\n\r\n",
            b"G(T /symptoms/result/?sign=itching HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: localhost\r\nReferer /symptoms/result/?sign=fever\r\n\r\n",
        ]
        for request in malformed:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
                connection.sendall(request)
                assert connection.recv(100).startswith(b"HTTP/1.1 400"), request
    finally:
        server.terminate()
        log.append(server.communicate(timeout=30)[1])
    text = "".join(log)
    assert text.count("Invalid request from ip=127.0.0.1") == len(malformed), text
    assert "sign=" not in text and "seizures" not in text and "fever" not in text, text


DEVELOPMENT_REQUESTS = """
import django, logging
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
print(client.get("/no-such-page/").status_code, client.post("/").status_code, flush=True)
logging.getLogger("itb_portal").warning("one warning")
"""


def test_with_debug_on_as_make_run_serves_each_warning_is_logged_once_and_a_post_as_the_405_it_got(tmp_path):
    """Django's own console handler (debug only) printed every warning a second time beside ours; a
    public page refusing a post logged "Forbidden (CSRF cookie not set.)" but answered 405."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    environment |= {
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "itb_portal.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", DEVELOPMENT_REQUESTS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["404", "405"], result.stderr
    assert result.stderr.splitlines() == [
        "WARNING django.request: Not Found: /no-such-page/",
        "WARNING django.security.csrf: Method Not Allowed (POST): /",
        "WARNING itb_portal: one warning",
    ]
