"""Security headers on every kind of response, and a CSP that allows no inline script but the one we hash."""

import base64
import hashlib
import json
import re

import pytest
from django.test import Client

from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)
# A JSON data block (the offline answer's rules, the search page's card outcomes, JSON-LD) is never run
# by a browser, so script-src does not apply to it and it needs no hash; it must be only JSON, with no
# "<" that could close the element early.
DATA_BLOCK = re.compile(r"""\btype=["']application/(ld\+)?json["']""")


def directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for part in csp.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_hardened(response, what):
    """The headers every response must carry, on a request that came over HTTPS."""
    csp = directives(response.headers.get("Content-Security-Policy", ""))
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src, (what, "no CSP")
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, what
    assert csp.get("frame-ancestors") == ["'none'"], what
    assert csp.get("object-src") == ["'none'"], what
    assert "'unsafe-inline'" not in csp["style-src"], what
    hsts = response.headers.get("Strict-Transport-Security", "")
    assert re.search(r"max-age=(\d+)", hsts) and int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000, what
    assert "includeSubDomains" in hsts, what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", what
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), what
    assert "geolocation=()" in response.headers.get("Permissions-Policy", ""), what


@pytest.fixture
def https_client():
    return Client(raise_request_exception=False)


def test_every_inline_script_is_allowed_by_its_hash_and_nothing_else_is(client, fixture_sections):
    for path in public_paths():
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        for attributes, body in INLINE_SCRIPT.findall(response.content.decode()):
            if DATA_BLOCK.search(attributes):
                json.loads(body)
                assert "<" not in body, (path, attributes)
                continue
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in script_src, (path, body)


def test_every_public_page_carries_the_security_headers(https_client, fixture_sections):
    for path in public_paths():
        response = https_client.get(path, secure=True)
        assert response.status_code == 200, path
        assert_hardened(response, path)
        assert response.headers["X-Frame-Options"] == "DENY"


def test_head_requests_carry_them_too(https_client, fixture_sections):
    for path in ["/", "/symptoms/result/?sign=seizures", "/health/"]:
        response = https_client.head(path, secure=True)
        assert response.status_code == 200, path
        assert_hardened(response, f"HEAD {path}")


@pytest.mark.parametrize(
    ("what", "path", "status"),
    [
        ("404 page", "/no-such-page/", 404),
        ("unknown section", "/booklet/no-such-section/", 404),
        ("bad symptom query", "/symptoms/result/?sign=%3Cscript%3E", 400),
        ("QR for another site", "/qr/?page=https://evil.example/", 400),
        ("QR SVG", "/qr/?page=/", 200),
        ("health JSON", "/health/", 200),
        ("stylesheet from WhiteNoise", "/static/css/main.css", 200),
        ("image from WhiteNoise", "/static/img/pump-system.svg", 200),
        ("missing static file", "/static/no-such-file.css", 404),
        ("slash redirect", "/symptoms", 301),
    ],
)
def test_every_kind_of_response_carries_the_security_headers(https_client, fixture_sections, what, path, status):
    response = https_client.get(path, secure=True)
    assert response.status_code == status, (what, response.status_code)
    assert_hardened(response, what)


def test_an_old_section_address_redirects_with_the_headers(https_client, fixture_sections):
    from itb_portal.booklet.models import Section, SlugRedirect

    SlugRedirect.objects.create(old_slug="old-trial", section=Section.objects.get(slug="the-trial"))
    response = https_client.get("/booklet/old-trial/", secure=True)
    assert response.status_code == 301
    assert_hardened(response, "section redirect")


def test_a_method_the_page_does_not_allow_carries_the_headers(https_client, fixture_sections):
    response = https_client.post("/", secure=True)
    assert response.status_code == 405
    assert_hardened(response, "405")


def test_a_bad_host_header_gets_a_400_with_the_headers(https_client, fixture_sections):
    response = https_client.get("/", secure=True, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_hardened(response, "DisallowedHost 400")
    assert "Traceback" not in response.content.decode()


def test_the_500_page_carries_the_headers(https_client, fixture_sections, monkeypatch):
    from itb_portal.booklet.models import Section

    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(Section.objects, "published", broken)
    response = https_client.get("/", secure=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "a bug" not in response.content.decode() and "Traceback" not in response.content.decode()
    assert_hardened(response, "500 page")


def test_plain_http_is_sent_to_https_with_the_headers(settings, fixture_sections):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/contacts/")
    assert response.status_code == 301 and response.url == "https://testserver/contacts/"
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_health_probe_answers_over_plain_http_inside_the_container(settings, fixture_sections):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/health/")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert Client().get("/").status_code == 301


def test_hsts_is_only_sent_over_https(client, fixture_sections):
    assert "Strict-Transport-Security" not in client.get("/")
    assert "Strict-Transport-Security" in client.get("/", HTTP_X_FORWARDED_PROTO="https")


def test_the_admin_carries_the_headers_too(https_client, admin_user):
    https_client.force_login(admin_user)
    for path in ["/admin/login/", "/admin/", "/admin/booklet/section/"]:
        response = https_client.get(path, secure=True)
        assert response.status_code in (200, 302), path
        assert_hardened(response, path)
