"""The admin sign-in: lockout after repeated failures, a configurable address, sessions that end,
and cookies only where someone signs in."""

import json
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-123"


@pytest.fixture
def nurse(django_user_model):
    return django_user_model.objects.create_superuser("nurse", "nurse@example.nhs.uk", PASSWORD)


def sign_in(client, username="nurse", password=PASSWORD, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        secure=True,
        **extra,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("admin:index")


def fail_until_locked(client, settings, **extra):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, password="wrong-password", **extra).status_code == 200
    # The failure that reaches the limit is answered with the lockout page.
    assert sign_in(client, password="wrong-password", **extra).status_code == 429


def test_repeated_failures_lock_the_username_at_that_address(client, nurse, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    fail_until_locked(client, settings)
    locked = sign_in(client)  # even the right password is refused now
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Sign-in locked" in html and "30 minutes" in html
    assert "Traceback" not in html and PASSWORD not in html
    assert int(locked["Retry-After"]) == 30 * 60
    assert "_auth_user_id" not in client.session


def test_lockout_page_carries_the_security_headers(client, nurse, settings):
    fail_until_locked(client, settings)
    locked = sign_in(client)
    assert locked.status_code == 429
    assert "frame-ancestors 'none'" in locked["Content-Security-Policy"]
    assert locked["X-Content-Type-Options"] == "nosniff"
    assert "max-age=" in locked["Strict-Transport-Security"]


def test_lockout_is_for_that_username_and_address_only(client, nurse, settings, django_user_model):
    django_user_model.objects.create_superuser("colleague", "c@example.nhs.uk", PASSWORD)
    fail_until_locked(client, settings)
    assert signed_in(sign_in(client, username="colleague"))
    client.logout()
    assert signed_in(sign_in(client, REMOTE_ADDR="192.0.2.44"))


def test_lockout_ends_after_the_cool_off(client, nurse, settings):
    fail_until_locked(client, settings)
    assert sign_in(client).status_code == 429
    with time_machine.travel(timedelta(minutes=31)):
        assert signed_in(sign_in(client))


def test_a_success_before_the_limit_starts_the_count_again(client, nurse, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, password="wrong-password")
    assert signed_in(sign_in(client))
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, password="wrong-password")
    assert signed_in(sign_in(client))


def settings_in_a_fresh_process(env: dict, code: str) -> dict:
    """Imports the settings and URLs as a deployment would, with the given environment."""
    script = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'itb_portal.settings'; django.setup()\n"
        "from django.conf import settings; from django.urls import reverse, resolve, Resolver404\n" + code
    )
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "-c", script], env={**base, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_lockout_limit_and_cool_off_come_from_the_environment():
    found = settings_in_a_fresh_process(
        {"AXES_FAILURE_LIMIT": "3", "AXES_COOLOFF_MINUTES": "90"},
        "print(json.dumps([settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds()]))",
    )
    assert found == [3, 90 * 60]


def test_admin_address_comes_from_the_environment():
    found = settings_in_a_fresh_process(
        {"DJANGO_ADMIN_URL": "editors-7f3k/"},
        "def resolves(p):\n"
        "    try:\n        resolve(p); return True\n"
        "    except Resolver404:\n        return False\n"
        "print(json.dumps([reverse('admin:index'), reverse('markdownx_markdownify'), resolves('/admin/')]))",
    )
    assert found == ["/editors-7f3k/", "/editors-7f3k/markdownx/markdownify/", False]


def test_admin_session_ends_with_the_browser_and_after_four_hours(client, nurse, settings):
    response = sign_in(client)
    assert signed_in(response)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes
    assert client.get(reverse("admin:index"), secure=True).status_code == 200
    with time_machine.travel(timedelta(hours=4, minutes=1)):
        expired = client.get(reverse("admin:index"), secure=True)
        assert expired.status_code == 302 and expired.url.startswith(reverse("admin:login"))


def test_admin_cookies_are_secure_httponly_and_same_site(client, nurse, settings):
    login_page = client.get(reverse("admin:login"), secure=True)
    csrf = login_page.cookies[settings.CSRF_COOKIE_NAME]
    session = sign_in(client).cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (csrf, session):
        assert cookie["secure"] is True, cookie
        assert cookie["httponly"] is True, cookie
        assert cookie["samesite"] == "Lax", cookie
        assert cookie["path"] == "/admin/", cookie


def test_public_pages_never_touch_the_lockout_tables_or_set_cookies(client, fixture_sections):
    for path in public_paths():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, secure=True)
        assert response.status_code == 200, path
        assert not response.cookies, path
        assert not [q["sql"] for q in queries if "axes_" in q["sql"]], path
