"""Caching (itb_portal/pagecache): pages kept per content version, validated with ETags, never stale
after an edit, never holding what someone chose, and served from their kept copy in an outage.

"Another worker" or "another app instance" is simulated by changing the database the way that
process would (its save moves the content version on) while a stale copy sits in the shared cache,
and by emptying this process's own `local` cache.
"""

import gzip
import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches
from django.db import connections
from django.db.models import F
from django.db.utils import OperationalError
from django.shortcuts import render as django_render
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import parse_http_date
from jinja2 import Template

from itb_portal import pagecache
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import contacts_path
from itb_portal.jinja2 import environment
from itb_portal.pagecache import memo, outage
from itb_portal.pagecache.memo import for_content_version, fragment
from itb_portal.pagecache.models import DATA_FILES, ContentVersion
from itb_portal.pagecache.pages import forget, forget_this_process
from itb_portal.symptoms.rules import rules_path
from tests.conftest import LONDON
from tests.test_admin import publish

CACHED_PATHS = ["/", "/booklet/the-trial/", "/accessibility/", "/symptoms/", "/contacts/", "/print/", "/print/booklet/"]
RESULT = "/symptoms/result/"


WRITTEN: dict[str, dict[str, None]] = {"pages": {}, "local": {}}  # every key each cache was asked to keep


@pytest.fixture(autouse=True)
def _record_what_caches_are_asked_to_keep():
    """Records the key of every `set` on the two page caches, so a test can ask each cache (through its public
    `get`) what it still holds under them."""
    patches = []
    for alias, written in WRITTEN.items():
        written.clear()
        cache = caches[alias]

        def record(key, *args, real=cache.set, written=written, **kwargs):
            written[key] = None
            return real(key, *args, **kwargs)

        patches.append(mock.patch.object(cache, "set", record))
    for patch in patches:
        patch.start()
    yield
    for patch in patches:
        patch.stop()


def held(alias: str) -> dict:
    """Everything `alias` still holds that this test asked it to keep: pages, and data kept beside them."""
    return {key: value for key in WRITTEN[alias] if (value := caches[alias].get(key)) is not None}


def kept(alias: str = "pages") -> dict:
    """The pages a cache holds, by key (not the data kept beside them for outages, nor the search index)."""
    return {key: value for key, value in held(alias).items() if key.startswith("page:")}


def kept_text(alias: str) -> str:
    return " ".join(f"{key} {value!r}" for key, value in held(alias).items())


@contextmanager
def database_down():
    """Every query fails as it would with the database unreachable."""
    wrapper = type(connections["default"])
    with mock.patch.object(wrapper, "cursor", side_effect=OperationalError("simulated outage")):
        yield


# --- Validators and conditional GET ---------------------------------------------


@pytest.mark.parametrize("path", CACHED_PATHS)
def test_cached_pages_have_a_stable_etag_and_last_modified_and_must_be_revalidated(client, fixture_sections, path):
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, 10, tzinfo=LONDON), tick=False):
        first = client.get(path)
        with mock.patch("django.shortcuts.loader.render_to_string", side_effect=AssertionError("rendered again")):
            second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert first["ETag"].startswith('W/"') and first["ETag"] == second["ETag"]
    assert first["Last-Modified"] == second["Last-Modified"]
    assert first.content == second.content
    assert first["Cache-Control"] == "public, no-cache"
    assert "Accept-Encoding" in first["Vary"]


@pytest.mark.parametrize("path", CACHED_PATHS)
def test_a_conditional_get_for_an_unchanged_page_is_answered_304(client, fixture_sections, path):
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, 10, tzinfo=LONDON), tick=False):
        page = client.get(path)
        by_etag = client.get(path, headers={"if-none-match": page["ETag"]})
        by_date = client.get(path, headers={"if-modified-since": page["Last-Modified"]})
    for response in (by_etag, by_date):
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == page["ETag"]
        assert response["Cache-Control"] == "public, no-cache"
        assert response["Content-Security-Policy"] == page["Content-Security-Policy"]


def test_last_modified_is_when_the_content_last_changed(client, fixture_sections):
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=LONDON), tick=False):
        response = client.get("/booklet/the-trial/")
    changed = ContentVersion.current().changed_at
    midnight = datetime(2026, 11, 25, tzinfo=LONDON)
    assert parse_http_date(response["Last-Modified"]) == int(max(changed, midnight).timestamp())


def test_pages_come_compressed_when_the_browser_accepts_it(client, fixture_sections):
    plain = client.get("/booklet/the-trial/")
    as_gzip = client.get("/booklet/the-trial/", headers={"accept-encoding": "gzip, deflate, br"})
    unchanged = client.get("/booklet/the-trial/", headers={"accept-encoding": "gzip", "if-none-match": plain["ETag"]})
    assert unchanged.status_code == 304 and "Accept-Encoding" in unchanged["Vary"]
    assert "Content-Encoding" not in plain
    assert as_gzip["Content-Encoding"] == "gzip" and gzip.decompress(as_gzip.content) == plain.content
    assert len(as_gzip.content) < len(plain.content) / 3
    assert as_gzip["ETag"] == plain["ETag"]  # a weak ETag: the same page in any encoding


def test_pages_rendered_for_each_request_go_out_compressed_but_the_admin_does_not(client, fixture_sections, settings):
    result = client.get("/symptoms/result/?sign=itching", HTTP_ACCEPT_ENCODING="gzip")
    assert result["Content-Encoding"] == "gzip"
    assert "Your symptom check" in gzip.decompress(result.content).decode()
    sheet = client.get("/symptoms/emergency-sheet/", HTTP_ACCEPT_ENCODING="gzip")
    assert sheet["Content-Encoding"] == "gzip"
    # The admin's pages hold a CSRF token, so compression could help an attacker guess it.
    login = client.get("/" + settings.ADMIN_URL + "login/", HTTP_ACCEPT_ENCODING="gzip")
    assert login.status_code == 200 and "Content-Encoding" not in login


# --- Never stale after an edit ------------------------------------------------------


def test_an_approved_admin_edit_shows_at_once_with_a_new_etag(client, admin_client, fixture_sections):
    section = Section.objects.get(slug="the-trial")
    before = client.get(section.get_absolute_url())
    home_before = client.get("/")
    form = {
        "draft_version": 0,
        "title": "The trial dose",
        "slug": section.slug,
        "summary": section.summary,
        "order": section.order,
        "is_published": "on",
        "body": "## The test dose\n\nA nurse rewrote this just now.",
        "last_reviewed": section.last_reviewed.isoformat(),
        "next_review_due": section.next_review_due.isoformat(),
        "sources": section.sources,
    }
    version_before = pagecache.content_version()
    saved = admin_client.post(reverse("admin:booklet_section_change", args=[section.pk]), form)
    assert saved.status_code == 302
    # A draft changes no page: the content version stays, and the kept page is still good.
    assert pagecache.content_version() == version_before
    draft = client.get(section.get_absolute_url(), headers={"if-none-match": before["ETag"]})
    assert draft.status_code == 304

    publish(section)  # a clinical approver, a second person, approves it: the version moves on
    assert pagecache.content_version() != version_before
    after = client.get(section.get_absolute_url(), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert "A nurse rewrote this just now." in after.content.decode()
    assert after["ETag"] != before["ETag"]
    home = client.get("/", headers={"if-none-match": home_before["ETag"]})
    assert home.status_code == 200 and "The trial dose" in home.content.decode()


def test_an_edit_saved_by_another_worker_shows_here_though_a_stale_copy_is_kept(client, fixture_sections):
    stale = client.get("/booklet/the-trial/")
    assert "25 micrograms" in stale.content.decode()
    section = Section.objects.get(slug="the-trial")
    section.body = "## The test dose\n\nA first dose of 50 micrograms."
    # The other worker's save moves the content version on in the database, and nothing else.
    with mock.patch.object(caches["pages"], "set"):
        section.save()
        assert any(b"25 micrograms" in page.body for page in kept().values())
        fresh = client.get("/booklet/the-trial/")
    assert "50 micrograms" in fresh.content.decode() and "25 micrograms" not in fresh.content.decode()
    assert fresh["ETag"] != stale["ETag"]


def test_a_change_committed_by_another_app_instance_is_read_from_the_database(client, fixture_sections):
    stale = client.get("/")
    # The other instance's own save signal moved the version on; here only the database changed.
    Section.objects.filter(slug="the-pump").update(title="The pump and its refills")
    ContentVersion.bump()
    fresh = client.get("/", headers={"if-none-match": stale["ETag"]})
    assert fresh.status_code == 200 and "The pump and its refills" in fresh.content.decode()


def test_a_page_another_app_server_rendered_for_the_new_version_is_not_rendered_again(client, fixture_sections):
    client.get("/")
    Section.objects.filter(slug="the-pump").update(title="The pump and its refills")
    ContentVersion.bump()
    with mock.patch.object(caches["local"], "set"):  # this server's own copy stays the old one
        rendered_there = client.get("/")  # the other server renders the new version first, into the shared cache
    with mock.patch("itb_portal.booklet.views.render", side_effect=AssertionError("rendered again")):
        here = client.get("/")
    assert here.content == rendered_there.content and "The pump and its refills" in here.content.decode()


def test_deleting_a_section_changes_the_version_and_the_pages(client, fixture_sections):
    home = client.get("/")
    assert "The pump" in home.content.decode()
    version = ContentVersion.current()
    Section.objects.get(slug="the-pump").delete()
    assert ContentVersion.current().number > version.number
    after = client.get("/", headers={"if-none-match": home["ETag"]})
    assert after.status_code == 200 and "The pump" not in after.content.decode()
    assert client.get("/booklet/the-pump/").status_code == 404


def test_unpublishing_a_section_takes_it_off_every_page(client, fixture_sections):
    assert client.get("/booklet/the-pump/").status_code == 200
    assert "The pump" in client.get("/print/booklet/").content.decode()
    section = Section.objects.get(slug="the-pump")
    section.is_published = False
    section.save()
    assert client.get("/booklet/the-pump/").status_code == 404
    assert "The pump" not in client.get("/print/").content.decode()
    assert "The pump" not in client.get("/print/booklet/").content.decode()


def test_the_version_row_is_made_again_if_it_is_missing(fixture_sections):
    ContentVersion.objects.all().delete()
    assert ContentVersion.current().number == 0
    ContentVersion.bump()
    assert ContentVersion.current().number == 1


def test_a_new_release_or_changed_data_file_changes_every_etag(client, fixture_sections, settings, tmp_path):
    import shutil

    before = client.get("/contacts/")
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content, ignore=shutil.ignore_patterns("sections"))
    path = content / "contacts.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("0113 392 2178", "0113 392 2179"), encoding="utf-8")
    settings.CONTENT_DIR = content
    after = client.get("/contacts/", headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert "0113 392 2179" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_a_release_with_new_code_or_data_moves_the_version_on_and_a_rerun_does_not(fixture_sections):
    ContentVersion.on_migrate(sender=None)  # the release step's migrate, with this code
    version = ContentVersion.current()
    ContentVersion.on_migrate(sender=None)
    assert ContentVersion.current() == version
    with mock.patch("itb_portal.pagecache.models.fingerprint", return_value="a-new-release"):
        ContentVersion.on_migrate(sender=None)
    assert ContentVersion.current().number == version.number + 1
    assert ContentVersion.objects.get().release == "a-new-release"


def test_the_apps_tell_the_cache_what_pages_are_built_from(fixture_sections):
    assert {contacts_path(), rules_path()} <= {data_file() for data_file in DATA_FILES}
    version = ContentVersion.current()
    Section.objects.get(slug="the-pump").save()
    assert ContentVersion.current().number == version.number + 1


# --- The clock is part of the key ----------------------------------------------------


@pytest.mark.parametrize(
    ("evening", "morning"),
    [
        (datetime(2026, 11, 25, 23, 59, 59, tzinfo=LONDON), datetime(2026, 11, 26, 0, 0, 0, tzinfo=LONDON)),
        # In summer the London day starts an hour before the UTC one.
        (
            datetime(2026, 7, 6, 22, 59, 59, tzinfo=ZoneInfo("UTC")),
            datetime(2026, 7, 6, 23, 0, 0, tzinfo=ZoneInfo("UTC")),
        ),
    ],
)
def test_a_new_day_in_london_gives_pages_a_new_key(client, fixture_sections, evening, morning):
    with time_machine.travel(evening, tick=False):
        late = client.get("/")
        same_day = client.get("/")
    with time_machine.travel(morning, tick=False):
        next_day = client.get("/", headers={"if-none-match": late["ETag"]})
    assert late["ETag"] == same_day["ETag"]
    assert next_day.status_code == 200 and next_day["ETag"] != late["ETag"]


def test_a_review_date_passing_at_midnight_shows_the_next_day(client, fixture_sections):
    due = Section.objects.get(slug="the-trial").next_review_due
    last_evening = datetime(due.year, due.month, due.day, 23, 0, tzinfo=LONDON)
    with time_machine.travel(last_evening, tick=False):
        assert 'data-overdue="true"' not in client.get("/booklet/the-trial/").content.decode()
    with time_machine.travel(last_evening + timedelta(hours=1, seconds=1), tick=False):
        assert 'data-overdue="true"' in client.get("/booklet/the-trial/").content.decode()


# --- One key per page, whatever the Host header says ------------------------------------


def test_a_flood_of_host_ports_can_neither_replace_kept_pages_nor_add_to_them(client, fixture_sections, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    first = client.get("/", HTTP_HOST="localhost")
    before = set(kept())
    assert len(before) == 1
    with mock.patch("itb_portal.booklet.views.render", wraps=django_render) as made:
        for port in range(1000, 1300):
            response = client.get("/", HTTP_HOST=f"localhost:{port}")
            assert response.status_code == 200 and "no-store" in response["Cache-Control"]
            assert f"http://localhost:{port}/" in response.content.decode()  # its own absolute addresses
        assert made.call_count == 300 and set(kept()) == before
        made.reset_mock()
        again = client.get("/", HTTP_HOST="localhost")
    assert made.call_count == 0 and again.content == first.content and again["ETag"] == first["ETag"]


def test_behind_the_proxy_pages_asked_for_on_its_port_are_kept_and_other_ports_are_not(
    client, fixture_sections, settings
):
    # nginx passes the Host it was asked with (its own port) and says which port it listens on.
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.USE_X_FORWARDED_PORT = True
    proxied = {"HTTP_HOST": "127.0.0.1:8602", "HTTP_X_FORWARDED_PORT": "8602", "SERVER_PORT": "8612"}
    first = client.get("/", **proxied)
    assert "no-store" not in first["Cache-Control"] and len(kept()) == 1
    again = client.get("/", **proxied, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    made_up = client.get("/", **{**proxied, "HTTP_HOST": "127.0.0.1:9"})
    assert "no-store" in made_up["Cache-Control"] and len(kept()) == 1


def test_with_the_public_address_set_every_host_shares_one_kept_page(client, fixture_sections, settings):
    settings.SITE_URL = "https://itb.example.nhs.uk"
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    pages = [client.get("/", HTTP_HOST=host) for host in ("localhost", "localhost:8123", "127.0.0.1:9")]
    assert len({page["ETag"] for page in pages}) == 1 and len(kept()) == 1
    assert 'href="https://itb.example.nhs.uk/"' in pages[0].content.decode()


# --- Privacy: what someone picks is never kept ------------------------------------


@pytest.mark.parametrize(
    "query", ["sign=seizures", "sign=drowsiness&recent_operation=yes", "sign=itching&sign=headache", ""]
)
def test_results_are_never_stored_in_any_cache_and_say_no_store(client, fixture_sections, query):
    for _ in range(2):
        response = client.get(f"{RESULT}?{query}" if query else RESULT)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "ETag" not in response
    assert kept() == {}
    local = kept_text("local")
    assert "sign=" not in local and "recent_operation" not in local


def test_a_checker_link_with_earlier_choices_is_not_stored_either(client, fixture_sections):
    plain = client.get("/symptoms/")
    with_choices = client.get("/symptoms/?sign=seizures&sign=fever")
    assert 'value="seizures" checked' in with_choices.content.decode()
    assert "no-store" in with_choices["Cache-Control"] and "private" in with_choices["Cache-Control"]
    assert "ETag" not in with_choices
    assert 'value="seizures" checked' not in client.get("/symptoms/").content.decode()
    stored = b"".join(page.body for page in kept().values())
    assert b"seizures" in plain.content and b'value="seizures" checked' not in stored
    assert "sign=" not in kept_text("pages") + kept_text("local")


def public_routes(resolver=None, prefix: str = "") -> dict[str, str]:
    """Every route of the site outside the admin, by name, with a concrete path for each."""
    from django.conf import settings

    routes = {}
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if pattern.startswith(settings.ADMIN_URL):
            continue
        if isinstance(entry, URLResolver):
            routes.update(public_routes(entry, pattern))
        elif isinstance(entry, URLPattern):
            namespace = f"{resolver.namespace}:" if resolver is not None and resolver.namespace else ""
            routes[namespace + (entry.name or pattern)] = "/" + re.sub(r"<slug:\w+>", "the-trial", pattern)
    return routes


# A query for each route that it reads, holding a symptom choice where it can.
QUERIES = {
    "sharing:qr": "page=%2Fsymptoms%2Fresult%2F%3Fsign%3Ditching",
    "sharing:share": "page=%2Fsymptoms%2Fresult%2F%3Fsign%3Ditching",
    "printing:booklet": "section=the-trial",
    "printing:index": "section=the-trial",
}


def test_every_route_answers_an_address_with_a_query_with_no_store(fixture_sections):
    client = Client(raise_request_exception=False)
    routes = public_routes()
    assert {"symptoms:result", "sharing:qr", "sharing:share", "printing:booklet", "booklet:section"} <= set(routes)
    for name, path in routes.items():
        for query in {QUERIES.get(name, "sign=itching"), "sign=itching"}:
            response = client.get(f"{path}?{query}")
            cache_control = response.get("Cache-Control", "")
            assert "no-store" in cache_control and "private" in cache_control, (name, query, cache_control)
    # Only a printout's choice of sections is kept (issue 21): nothing personal, named by its canonical query.
    assert list(kept()) == ["page:http://testserver/print/booklet/?section=the-trial"]


def test_a_shared_result_and_its_qr_code_are_never_kept(client, fixture_sections):
    share = client.get("/share/", {"page": "/symptoms/result/?sign=seizures"})
    qr = client.get("/qr/", {"page": "/symptoms/result/?sign=seizures"})
    for response in (share, qr):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "seizures" not in kept_text("pages") + kept_text("local")


# --- Degraded database: stale if error --------------------------------------------------


def test_with_the_database_down_a_page_rendered_before_is_still_served(client, fixture_sections):
    page = client.get("/booklet/the-trial/")
    with database_down():
        degraded = client.get("/booklet/the-trial/")
        health = client.get("/health/")
    assert degraded.status_code == 200
    assert degraded.content == page.content
    assert "no-store" in degraded["Cache-Control"]  # nobody keeps the fallback copy
    assert "ETag" not in degraded
    assert health.status_code == 503


def test_another_worker_serves_the_copy_from_the_shared_cache_in_an_outage(client, fixture_sections):
    page = client.get("/")
    caches["local"].clear()
    with database_down():
        degraded = client.get("/")
    assert degraded.status_code == 200 and degraded.content == page.content


def test_a_booklet_page_from_yesterday_beats_an_error_page_in_an_outage(client, fixture_sections):
    with time_machine.travel(datetime(2026, 11, 25, 23, 59, tzinfo=LONDON), tick=False):
        page = client.get("/")
    with time_machine.travel(datetime(2026, 11, 26, 0, 1, tzinfo=LONDON), tick=False), database_down():
        degraded = client.get("/")
    assert degraded.status_code == 200 and degraded.content == page.content


def test_an_old_open_now_is_never_served_in_an_outage(fixture_sections):
    client = Client(raise_request_exception=False)
    with time_machine.travel(datetime(2026, 11, 23, 15, 59, 30, tzinfo=LONDON), tick=False):
        assert "Open now" in client.get("/contacts/").content.decode()
        with database_down():
            assert client.get("/contacts/").status_code == 200  # the same minute: still right
    with time_machine.travel(datetime(2026, 11, 23, 16, 0, 30, tzinfo=LONDON), tick=False), database_down():
        response = client.get("/contacts/")
    # The contacts page is built from files, so it is rendered afresh for the new minute, never kept.
    assert response.status_code == 200
    assert 'data-line="nurse-specialist" data-open="false"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_page_never_rendered_gives_the_error_page_in_an_outage(fixture_sections):
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get("/booklet/the-trial/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_broken_shared_cache_only_costs_a_render(client, fixture_sections):
    with mock.patch.object(caches["pages"], "get", side_effect=ConnectionError("cache down")):
        response = client.get("/")
    assert response.status_code == 200 and "The trial" in response.content.decode()


# --- Parts of pages, and values kept per content version ----------------------------------------


def test_each_page_marks_its_own_place_in_the_shared_header(client, fixture_sections):
    for path, current in [("/", "Contents"), ("/symptoms/", "Check symptoms"), ("/contacts/", "Contacts")]:
        html = client.get(path).content.decode()
        marked = re.findall(r'aria-current="page"[^>]*>\s*(?:<[^>]+>\s*)*([\w ]+)', html)
        assert marked and marked[0].strip() == current, (path, marked)


def test_a_fragment_is_rendered_once_for_each_set_of_values(fixture_sections):
    with mock.patch.object(Template, "render", autospec=True, side_effect=Template.render) as made:
        symptoms = fragment("partials/site_header.html", nav_current="symptoms")
        assert fragment("partials/site_header.html", nav_current="symptoms") == symptoms
        contacts = fragment("partials/site_header.html", nav_current="contacts")
    assert made.call_count == 2 and contacts != symptoms
    assert 'aria-current="page"' in symptoms


def test_a_value_kept_per_content_version_is_computed_again_when_the_content_changes(fixture_sections):
    counted = []

    def compute():
        counted.append(1)
        return len(counted)

    assert for_content_version("count", compute) == for_content_version("count", compute) == 1
    Section.objects.get(slug="the-pump").save()
    assert for_content_version("count", compute) == 2
    with database_down():
        assert for_content_version("count", compute) == 2  # the value computed last


def test_the_content_version_key_changes_with_the_content_and_the_release(fixture_sections):
    key = pagecache.content_version().key
    Section.objects.get(slug="the-pump").save()
    assert pagecache.content_version().key != key
    key = pagecache.content_version().key
    with mock.patch("itb_portal.pagecache.models.fingerprint", return_value="another-release"):
        assert pagecache.content_version().key != key


def computed_each_time_asked(name: str):
    """Asks memo for `name` and returns how many times it had to compute it so far."""
    counted = []

    def ask() -> int:
        for_content_version(name, lambda: counted.append(1))
        return len(counted)

    return ask


def header_renders(**values) -> int:
    """How many times the header's template is rendered to give the header fragment twice."""
    with mock.patch.object(Template, "render", autospec=True, side_effect=Template.render) as made:
        fragment("partials/site_header.html", **values)
        fragment("partials/site_header.html", **values)
    return made.call_count


def test_forget_clears_every_cache_the_site_keeps(client, fixture_sections):
    page = client.get("/")
    ask = computed_each_time_asked("anything")
    assert ask() == ask() == 1 and header_renders(nav_current="home") <= 1
    assert kept("pages") and kept("local")
    forget()
    assert kept("pages") == {} and kept("local") == {}
    assert ask() == 2 and header_renders(nav_current="home") == 1  # computed and rendered again, once
    with mock.patch("itb_portal.booklet.views.render", wraps=django_render) as made:
        assert client.get("/", headers={"if-none-match": page["ETag"]}).status_code == 304  # the same page
        assert client.get("/").content == page.content
    assert made.call_count == 1  # rendered again, then kept


def test_memos_clear_forgets_every_value_and_fragment_of_this_process(fixture_sections):
    ask = computed_each_time_asked("anything")
    assert ask() == ask() == 1 and header_renders(nav_current="contacts") == 1
    memo.clear()
    assert ask() == 2 and header_renders(nav_current="contacts") == 1


def test_in_development_nothing_is_kept_so_template_edits_show_at_once(client, fixture_sections, settings):
    settings.DEBUG = True
    first, second = client.get("/"), client.get(f"{RESULT}?sign=itching")
    assert first.status_code == second.status_code == 200
    assert "public" not in first.get("Cache-Control", "")
    assert kept("pages") == {}
    assert header_renders(nav_current="home") == 2  # a fragment too is rendered each time


def test_each_request_carries_the_content_version_the_database_has_at_its_start(client, fixture_sections):
    first = client.get(f"{RESULT}?sign=itching").wsgi_request.content_version
    assert first == pagecache.content_version()
    ContentVersion.bump()  # as another worker's approval would
    assert client.get("/").wsgi_request.content_version.number == first.number + 1
    with database_down():
        assert client.get("/symptoms/").wsgi_request.content_version is None


def test_a_change_published_by_another_process_shows_on_the_next_request(client, fixture_sections):
    assert "The pump and its refills" not in client.get("/symptoms/").content.decode()
    assert "The pump and its refills" not in client.get("/").content.decode()
    # Another process's save: only the database changes here, nothing this process keeps is told.
    Section.objects.filter(slug="the-pump").update(title="The pump and its refills")
    ContentVersion.objects.update(number=F("number") + 1)
    assert "The pump and its refills" in client.get("/").content.decode()


def test_values_kept_in_this_process_follow_a_version_moved_on_elsewhere(client, fixture_sections):
    client.get("/")
    ask = computed_each_time_asked("anything")
    assert ask() == ask() == 1
    client.get("/")
    assert ask() == 1  # the same version: kept
    ContentVersion.objects.update(number=F("number") + 1)  # another process's approval
    client.get("/")
    assert ask() == 2


def test_a_value_made_while_the_database_is_down_is_not_kept_after_it_is_back(client, fixture_sections):
    answers = iter(["made in the outage", "made with the database"])
    with database_down():
        client.get("/symptoms/")
        assert for_content_version("approved", lambda: next(answers)) == "made in the outage"
    client.get("/symptoms/")
    assert for_content_version("approved", lambda: next(answers)) == "made with the database"


# --- The outage fallback ------------------------------------------------------------------------


def test_last_known_gives_the_answer_read_last_while_the_database_is_down(fixture_sections):
    def titles():
        return sorted(Section.objects.values_list("title", flat=True))

    before = outage.last_known("titles", titles)
    with database_down():
        assert outage.last_known("titles", titles) == before
        with pytest.raises(OperationalError):
            outage.last_known("never-read", titles)  # nothing to fall back on: the caller decides


def test_last_known_shared_reaches_a_worker_started_during_the_outage(fixture_sections):
    def approved():
        return Section.objects.get(slug="the-pump").title

    assert outage.last_known("approved-title", approved, shared=True) == "The pump"
    forget_this_process()  # a new worker: nothing in its memory, the shared cache as it was
    with database_down():
        assert outage.last_known("approved-title", approved, shared=True) == "The pump"
        assert outage.last_known("approved-title", approved) == "The pump"  # now remembered here too


# --- Template globals -------------------------------------------------------------------------------


REQUEST = object()  # stands for the request a page is rendered for
# Each global with arguments a template might pass.
GLOBAL_CALLS = {
    "static": ("css/main.css",),
    "url": ("booklet:home",),
    "qr_url": ("/booklet/the-trial/",),
    "absolute_url": ("/booklet/the-trial/", REQUEST),
    "print_path": (REQUEST,),
    "linked_heading": ("What happens", "what-happens"),
    "fragment": ("partials/site_header.html",),
    "contacts": (),
    "printed_on": (),
    "page_being_shown": (REQUEST,),
    "html_lang": (),
    "html_dir": (),
    "care_card_label": ("emergency",),
}
NOT_CALLED = {"range", "dict", "lipsum", "cycler", "joiner", "namespace"}
NOT_CALLED |= {"gettext", "ngettext", "pgettext", "npgettext", "_"}  # Django's translation: no database


def test_template_globals_never_query_the_database(client, fixture_sections):
    request = client.get("/booklet/the-trial/").wsgi_request  # a request has read the content version
    blocked = []

    def refuse(execute, sql, params, many, context):
        blocked.append(sql)
        raise AssertionError(f"a template global queried the database: {sql}")

    env = environment()
    assert set(env.globals) == set(GLOBAL_CALLS) | NOT_CALLED, "a new global: add it to GLOBAL_CALLS"
    with connections["default"].execute_wrapper(refuse):
        for name, args in GLOBAL_CALLS.items():
            env.globals[name](*(request if arg is REQUEST else arg for arg in args))
    assert blocked == []
