"""Public pages take GET and HEAD only: any other method is told 405 by the view, never 403 by CSRF.
The admin, the one place with cookies and forms that post, keeps its CSRF checks."""

import pytest
from django.test import Client

from tests.test_caching import public_routes

pytestmark = pytest.mark.django_db

# "Was this page useful?" is a form that posts, safely without a CSRF cookie (feedback/views.py).
FORM_POSTS = {"feedback:answer", "feedback:comment"}


def read_only_routes() -> dict[str, str]:
    return {name: path for name, path in public_routes().items() if name not in FORM_POSTS}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_public_route_answers_other_methods_405(fixture_sections, method):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    for name, path in read_only_routes().items():
        response = getattr(client, method)(path, {"sign": "itching"} if method == "post" else None)
        assert response.status_code == 405, (name, method, response.status_code)
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}, name


def test_every_public_route_answers_get_and_head(fixture_sections):
    client = Client(raise_request_exception=False)
    for name, path in read_only_routes().items():
        assert client.head(path).status_code < 500, name
        assert client.get(path).status_code < 500, name


def test_the_admin_still_refuses_a_post_without_its_csrf_token(settings, admin_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/{settings.ADMIN_URL}login/", {"username": "admin", "password": "password"})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
