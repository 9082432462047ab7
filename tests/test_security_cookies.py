"""Public pages set no cookie at all, whatever the response; only the admin does."""

import pytest
from django.test import Client

from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db

# Responses other than a plain page: errors, redirects, the QR code, the probe.
OTHER_RESPONSES = [
    "/no-such-page/",
    "/booklet/no-such-section/",
    "/symptoms/result/?sign=not-a-sign",
    "/symptoms/result/?" + "sign=x&" * 400,
    "/qr/?page=/",
    "/qr/?page=//evil.example/",
    "/health/",
    "/symptoms",
    "/static/css/main.css",
]


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def test_no_public_response_sets_a_cookie(anonymous, fixture_sections):
    for path in public_paths() + OTHER_RESPONSES:
        for method in (anonymous.get, anonymous.head):
            response = method(path, secure=True)
            assert response.status_code < 500, (path, response.status_code)
            assert not response.cookies, (method.__name__, path, response.cookies)
            assert "Set-Cookie" not in response.headers, (method.__name__, path)


def test_no_cookie_on_refused_requests_either(anonymous, fixture_sections):
    for response in (
        anonymous.post("/", secure=True),
        anonymous.post("/symptoms/result/", {"sign": "seizures"}, secure=True),
        anonymous.get("/", secure=True, HTTP_HOST="evil.example"),
        anonymous.generic("PROPFIND", "/contacts/", secure=True),
    ):
        assert 400 <= response.status_code < 500, response.status_code
        assert not response.cookies, (response.status_code, response.cookies)


def test_a_cookie_sent_to_a_public_page_is_not_answered_with_one(anonymous, fixture_sections):
    anonymous.cookies["sessionid"] = "made-up"
    anonymous.cookies["csrftoken"] = "made-up"
    response = anonymous.get("/symptoms/result/?sign=seizures", secure=True)
    assert response.status_code == 200 and not response.cookies


def test_only_the_admin_sets_cookies_and_only_for_its_own_path(anonymous, settings):
    response = anonymous.get("/admin/login/", secure=True)
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["path"] == "/admin/"
    assert settings.SESSION_COOKIE_PATH == "/admin/"
