"""Fuzzing every public URL: whatever a client sends, the answer is never a 5xx or a traceback.

Hypothesis throws malformed paths, query strings, headers, methods and bodies at the site through
Django's test client, with exceptions turned into responses (raise_request_exception=False) so a
500 shows up as one. A request that reaches Django's uncaught-exception handling fails the test
even if the response looked fine. Every answer must also carry the security headers and set no
cookie. FUZZ_EXAMPLES scales the number of requests per test (default 100; try 5000 locally).
"""

import io
import os
import string
from urllib.parse import urlsplit

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from itb_portal.handlers import PortalWSGIRequest
from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Public URLs beyond the pages: the QR code, the probe, a static file, the 404 page, the search
# index, and the feedback form's steps (its POST endpoints included: the fuzzer sends any method).
OTHER_URLS = ["/qr/?page=/", "/qr/?page=/symptoms/", "/health/", "/static/css/main.css", "/no-such-page/"]
OTHER_URLS += ["/search/index.json", "/search/?q=pump", "/feedback/", "/feedback/comment/"]
OTHER_URLS += ["/feedback/tell-us-more/?page=/", "/feedback/thanks/?page=/booklet/the-trial/"]

# A WSGI environ holds latin-1 strings: each character stands for one byte on the wire.
latin1 = st.text(alphabet=st.characters(max_codepoint=255), max_size=200)
oversized = st.integers(min_value=8_000, max_value=200_000).map(lambda n: "x" * n)
junk = st.one_of(latin1, oversized, st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
unicode_text = st.text(max_size=60)

PATH_TRICKS = [
    "%00",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "%2F..%2F..%2F",
    "//",
    "%zz",
    "%",
    "%C0%AF",
    "%ff%fe",
    "\x00",
    "/static/../itb_portal/settings.py",
    ";jsessionid=1",
    "%E2%80%AE",
    "~",
    "/.git/config",
]


@st.composite
def paths(draw, bases):
    base = draw(st.sampled_from(bases))
    path, _, query = base.partition("?")
    how = draw(st.sampled_from(["as-is", "suffix", "trick", "replace", "long", "double-slash", "encoded-slash"]))
    if how == "suffix":
        path += draw(unicode_text)
    elif how == "trick":
        path += draw(st.sampled_from(PATH_TRICKS))
    elif how == "replace":
        path = "/" + draw(unicode_text)
    elif how == "long":
        path += "a" * draw(st.integers(min_value=1_000, max_value=20_000)) + "/"
    elif how == "double-slash":
        path = "/" + path
    elif how == "encoded-slash":
        path = path.replace("/", "%2F")
    return path, query


def pairs_to_query(pairs: list[tuple[str, str]], separator: str) -> str:
    return separator.join(f"{k}={v}" if v is not None else k for k, v in pairs)


query_values = st.one_of(
    st.sampled_from(["seizures", "drowsiness", "itching", "yes", "no", "/", "/symptoms/", "//evil.example", ""]),
    st.sampled_from(["https://evil.example/", "javascript:alert(1)", "%ff", "%zz", "%", "%00", "%E2%80%AE", "+"]),
    latin1,
    oversized,
    st.none(),
)
query_keys = st.one_of(st.sampled_from(["sign", "recent_operation", "page", "q", "utm_source", ""]), latin1)
query_strings = st.one_of(
    st.just(""),
    st.builds(pairs_to_query, st.lists(st.tuples(query_keys, query_values), max_size=12), st.sampled_from(["&", ";"])),
    st.integers(min_value=100, max_value=3_000).map(lambda n: "&".join(["sign=seizures"] * n)),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
)

HEADER_VALUES = {
    "HTTP_HOST": st.one_of(
        st.sampled_from(["testserver", "evil.example", "", "testserver:99999", "[::1", "testserver:abc", "тест.рф"]),
        junk,
    ),
    "HTTP_ACCEPT": st.one_of(st.sampled_from(["*/*", "text/html", "application/json;q=x", "*/*;q=-1"]), junk),
    "HTTP_ACCEPT_ENCODING": st.one_of(st.sampled_from(["br, gzip", "gzip;q=0", "identity;q=0, *;q=0", "x"]), junk),
    "HTTP_ACCEPT_LANGUAGE": junk,
    "HTTP_IF_NONE_MATCH": st.one_of(st.sampled_from(['"abc"', "*", 'W/"x"', '"', "W/", ",,,"]), junk),
    "HTTP_IF_MODIFIED_SINCE": st.one_of(
        st.sampled_from(
            ["Sat, 29 Oct 1994 19:43:31 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 00 Jan 0000 00:00:00 GMT", "-1"]
        ),
        junk,
    ),
    "HTTP_IF_MATCH": junk,
    "HTTP_IF_UNMODIFIED_SINCE": junk,
    "HTTP_RANGE": st.one_of(
        st.sampled_from(["bytes=0-10", "bytes=999999999-", "bytes=-0", "bytes=5-1", "bytes=0-0,1-1,2-2", "bytes=x"]),
        junk,
    ),
    "HTTP_COOKIE": st.one_of(
        st.sampled_from(
            [
                "sessionid=made-up-session-key-123",
                "csrftoken=" + "a" * 32,
                "csrftoken=short",
                '=;=;;"',
                "a" * 5000 + "=1",
            ]
        ),
        junk,
    ),
    "HTTP_USER_AGENT": junk,
    "HTTP_REFERER": st.one_of(st.sampled_from(["https://evil.example/", "javascript:x", "//"]), junk),
    "HTTP_ORIGIN": st.one_of(st.sampled_from(["null", "https://evil.example"]), junk),
    "HTTP_X_FORWARDED_PROTO": st.one_of(st.sampled_from(["https", "http", "https, http"]), junk),
    "HTTP_X_FORWARDED_FOR": st.one_of(st.sampled_from(["1.2.3.4", "1.2.3.4, 5.6.7.8", "::1", "x"]), junk),
    "HTTP_X_FORWARDED_HOST": junk,
    "HTTP_X_REQUESTED_WITH": st.sampled_from(["XMLHttpRequest", ""]),
    "CONTENT_TYPE": st.one_of(
        st.sampled_from(
            [
                "multipart/form-data",
                "multipart/form-data; boundary=",
                "multipart/form-data; boundary=xyz",
                "application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded; charset=no-such-charset",
                "application/json",
                "text/plain; charset=utf-8",
            ]
        ),
        junk,
    ),
}
headers = st.fixed_dictionaries({}, optional=HEADER_VALUES)

METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "get"]
methods = st.one_of(st.sampled_from(METHODS), st.text(alphabet=string.ascii_letters + "-_!", min_size=1, max_size=30))

bodies = st.one_of(
    st.just(b""),
    st.binary(max_size=2_000),
    st.just(b"csrfmiddlewaretoken=" + b"a" * 32 + b"&sign=seizures"),
    st.integers(min_value=1_001, max_value=3_000).map(lambda n: "&".join(f"f{i}=1" for i in range(n)).encode()),
    st.just(b"a=" + b"x" * 3_000_000),  # over DATA_UPLOAD_MAX_MEMORY_SIZE
    st.just(b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz'),  # truncated multipart
)
# The length a client declares, which need not match what it sends.
content_lengths = st.one_of(
    st.none(), st.sampled_from(["-1", "abc", "", "0", "99999999999999999999", "1e3"]), st.integers(0, 10_000).map(str)
)


@pytest.fixture
def fuzz_client(fixture_sections, monkeypatch):
    """A client that turns exceptions into responses, and a record of any exception Django saw.

    It builds requests with the class our WSGI entry point uses (itb_portal/wsgi.py).
    """
    monkeypatch.setattr("django.test.client.WSGIRequest", PortalWSGIRequest)
    seen = []

    def record(sender, request=None, **kwargs):
        seen.append(request.path if request is not None else "?")

    got_request_exception.connect(record)
    yield Client(raise_request_exception=False), seen
    got_request_exception.disconnect(record)


def targets() -> list[str]:
    return public_paths() + OTHER_URLS


def send(client, method, path, query="", environ=None, body=b"", content_length=None, secure=False):
    # Django's test client parses the path as a URL first, and cannot send one such as "//[" that
    # reads as a broken host (gunicorn gets such a request line whole); those are not the site's to handle.
    try:
        urlsplit(path)
    except ValueError:
        assume(False)
    environ = dict(environ or {})
    environ["QUERY_STRING"] = query
    environ["wsgi.input"] = io.BytesIO(body)  # a short read at the end, as from a real socket
    if content_length is None:
        content_length = str(len(body)) if body else None
    if content_length is not None:
        environ["CONTENT_LENGTH"] = content_length
    return client.generic(method, path, secure=secure, **environ)


def assert_handled(response, seen, what):
    assert response.status_code < 500, (what, response.status_code)
    assert seen == [], (what, "an exception reached Django's 500 handling")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Traceback" not in body and b'File "/' not in body, what
    assert "Content-Security-Policy" in response.headers, what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert not response.cookies, (what, response.cookies)


@FUZZ
@given(data=st.data())
def test_malformed_paths_never_break_the_site(fuzz_client, data):
    client, seen = fuzz_client
    path, query = data.draw(paths(targets()))
    response = send(client, data.draw(st.sampled_from(["GET", "HEAD"])), path, query)
    event(f"status {response.status_code}")
    assert_handled(response, seen, (path[:200], query[:200]))


@FUZZ
@given(data=st.data())
def test_malformed_query_strings_never_break_the_site(fuzz_client, data):
    client, seen = fuzz_client
    path = data.draw(st.sampled_from(targets())).partition("?")[0]
    query = data.draw(query_strings)
    response = send(client, "GET", path, query)
    event(f"status {response.status_code}")
    assert_handled(response, seen, (path, query[:300]))


@FUZZ
@given(data=st.data())
def test_malformed_headers_never_break_the_site(fuzz_client, data):
    client, seen = fuzz_client
    path, _, query = data.draw(st.sampled_from(targets())).partition("?")
    environ = data.draw(headers)
    method = data.draw(st.sampled_from(["GET", "HEAD"]))
    response = send(client, method, path, query, environ, secure=data.draw(st.booleans()))
    event(f"status {response.status_code}")
    assert_handled(response, seen, (method, path, {k: v[:100] for k, v in environ.items()}))


@FUZZ
@given(data=st.data())
def test_any_method_and_body_never_break_the_site(fuzz_client, data):
    client, seen = fuzz_client
    path, _, query = data.draw(st.sampled_from(targets())).partition("?")
    method, body, length = data.draw(methods), data.draw(bodies), data.draw(content_lengths)
    environ = data.draw(
        st.fixed_dictionaries({}, optional={k: HEADER_VALUES[k] for k in ("CONTENT_TYPE", "HTTP_COOKIE")})
    )
    response = send(client, method, path, query, environ, body, length)
    event(f"status {response.status_code}")
    assert_handled(response, seen, (method, path, len(body), length, environ.get("CONTENT_TYPE", "")[:80]))


@FUZZ
@given(data=st.data())
def test_everything_at_once_never_breaks_the_site(fuzz_client, data):
    client, seen = fuzz_client
    path, query = data.draw(paths(targets()))
    query = data.draw(st.one_of(st.just(query), query_strings))
    method, body, length = data.draw(methods), data.draw(bodies), data.draw(content_lengths)
    environ = data.draw(headers)
    response = send(client, method, path, query, environ, body, length, secure=data.draw(st.booleans()))
    event(f"status {response.status_code}")
    assert_handled(response, seen, (method, path[:200], query[:200], len(body), length))


def test_the_fuzz_check_would_see_a_server_error(fuzz_client, monkeypatch):
    """The checks above can fail: a view that raises is caught as a 500 and as an exception seen."""
    from itb_portal.booklet.models import Section

    client, seen = fuzz_client

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(Section.objects, "published", broken)
    response = send(client, "GET", "/")
    assert response.status_code == 500 and seen == ["/"]
    with pytest.raises(AssertionError):
        assert_handled(response, seen, "/")


CSRF_SECRET = "a" * 32


@pytest.mark.parametrize(
    ("what", "body", "content_type", "length"),
    [
        (
            "oversized form",
            b"csrfmiddlewaretoken=" + CSRF_SECRET.encode() + b"&a=" + b"x" * 3_000_000,
            "application/x-www-form-urlencoded",
            None,
        ),
        (
            "too many fields",
            ("&".join(f"f{i}=1" for i in range(2_000))).encode(),
            "application/x-www-form-urlencoded",
            None,
        ),
        ("multipart without a boundary", b"--x\r\n", "multipart/form-data", None),
        (
            "truncated multipart",
            b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1',
            "multipart/form-data; boundary=xyz",
            None,
        ),
        (
            "declares more than it sends",
            b"csrfmiddlewaretoken=" + CSRF_SECRET.encode(),
            "application/x-www-form-urlencoded",
            "5000",
        ),
        ("negative length", b"a=1", "application/x-www-form-urlencoded", "-1"),
        ("unknown charset", b"a=%ff", "application/x-www-form-urlencoded; charset=no-such-charset", None),
    ],
)
def test_bodies_the_csrf_check_must_read_are_refused_cleanly(fuzz_client, what, body, content_type, length):
    """With a well-formed CSRF cookie the POST body is parsed before the view refuses the method."""
    client, seen = fuzz_client
    for path in ["/", "/symptoms/result/", "/qr/", "/health/", "/feedback/", "/feedback/comment/"]:
        environ = {"CONTENT_TYPE": content_type, "HTTP_COOKIE": f"csrftoken={CSRF_SECRET}"}
        response = send(client, "POST", path, "", environ, body, length)
        assert 400 <= response.status_code < 500, (what, path, response.status_code)
        assert_handled(response, seen, (what, path))


def test_the_wsgi_entry_point_answers_too_many_query_fields_with_a_charset_with_400(fixture_sections):
    """Found by the fuzzer: Django's own request class raised this while being built, a 500 under gunicorn."""
    from wsgiref.util import setup_testing_defaults

    from django.core import signals
    from django.db import close_old_connections

    from itb_portal.wsgi import application

    environ = {
        "PATH_INFO": "/symptoms/result/",
        "QUERY_STRING": "&".join(["a"] * 1001),
        "CONTENT_TYPE": "text/plain; charset=utf-8",
        "REQUEST_METHOD": "GET",
        "SERVER_NAME": "testserver",
    }
    setup_testing_defaults(environ)
    environ["wsgi.input"] = io.BytesIO(b"")
    status = []
    # As Django's test client does: keep the test's database connection open across the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(application(environ, lambda s, headers, exc_info=None: status.append(s)))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert status == ["400 Bad Request"]
    assert b"Traceback" not in body
