"""Whole-site invariants: every page is well formed, and the project is in a consistent state."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command

from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db


class PageOutline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.title = ""
        self._in_title = False
        self.ids: list[str] = []
        # A <template>'s content is its own fragment, not in the page until a script copies it in
        # (the search page's offline patterns: one card per choice of a group's signs).
        self.template_ids: list[list[str]] = []
        self._templates = 0
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.h1 += tag == "h1"
        self._in_title = tag == "title"
        if tag == "template":
            self._templates += 1
            self.template_ids.append([])
        if "id" in attrs:
            (self.template_ids[-1] if self._templates else self.ids).append(attrs["id"])
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            loads = tag in {"script", "img", "iframe", "source"} or (tag == "link" and attrs.get("rel") != "canonical")
            if loads and re.match(r"^(https?:)?//", value):
                self.external.append(value)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "template":
            self._templates -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def outline(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    parser = PageOutline()
    parser.feed(response.content.decode())
    return response, parser


def test_every_page_has_exactly_one_h1(client, fixture_sections):
    for path in public_paths():
        assert outline(client, path)[1].h1 == 1, path


def test_every_page_has_a_unique_title(client, fixture_sections):
    titles = {path: outline(client, path)[1].title.strip() for path in public_paths()}
    assert len(set(titles.values())) == len(titles), titles


def test_no_page_has_duplicate_ids(client, fixture_sections):
    for path in public_paths():
        page = outline(client, path)[1]
        for ids in [page.ids, *page.template_ids]:
            assert len(ids) == len(set(ids)), (path, sorted(i for i in ids if ids.count(i) > 1))


def test_no_page_loads_anything_from_another_host(client, fixture_sections):
    for path in public_paths():
        assert outline(client, path)[1].external == [], path


def test_public_pages_set_no_cookies(client, fixture_sections):
    for path in public_paths():
        response = client.get(path)
        assert not response.cookies, (path, response.cookies)


def test_every_page_offers_urgent_help_and_review_dates(client, fixture_sections):
    for path in public_paths():
        html = client.get(path).content.decode()
        assert 'data-testid="urgent-help"' in html, path
        assert 'href="/symptoms/"' in html, path
        assert 'data-testid="review-dates"' in html, path


def test_unknown_address_gets_the_styled_404_page(client, fixture_sections):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "nhsuk-header" in html and "Traceback" not in html


def test_unknown_section_gets_the_styled_404_page(client, fixture_sections):
    response = client.get("/booklet/no-such-section/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_is_styled_and_needs_no_database(rf):
    from itb_portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_section_page_shows_contents_neighbours_dates_and_sources(client, fixture_sections):
    html = client.get("/booklet/the-trial/").content.decode()
    assert "nhsuk-contents-list" in html
    assert 'href="/booklet/spasticity/"' in html and 'href="/booklet/the-pump/"' in html
    assert "nhsuk-pagination" in html
    assert "booklet of October 2026" in html and "due for review in October 2027" in html
    assert "Test fixture" in html


def test_overdue_review_is_said_truthfully(client, fixture_sections):
    html = client.get("/booklet/spasticity/").content.decode()
    assert 'data-overdue="true"' in html


def test_home_page_explains_itb_lists_sections_and_offers_help(client, fixture_sections):
    html = client.get("/").content.decode()
    assert "Intrathecal baclofen (ITB)" in html
    assert 'data-testid="get-help-now"' in html
    for section in fixture_sections:
        assert section.get_absolute_url() in html


def test_health_endpoint_reports_the_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "data": "ok", "database": "ok"}


def test_health_endpoint_says_when_the_database_is_down(client, monkeypatch):
    from django.db import connection
    from django.db.utils import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_no_migrations_are_pending():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "-c", "import itb_portal.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_asked_for(settings):
    assert settings.DEBUG is False
