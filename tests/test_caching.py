"""Rendered pages are cached by content version: fast, validated with ETags, never stale after an edit.

"Another worker" or "another app instance" is simulated by changing the database the way that
process would (its save bumps the content version in the shared database) while a stale copy
sits in this process's memory and in the shared cache.
"""

import gzip
import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import brotli
import pytest
import time_machine
from django.core.cache import caches
from django.db import connections
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from itb_portal.booklet.models import Section
from itb_portal.pagecache import pages
from itb_portal.pagecache.models import ContentVersion
from itb_portal.pagecache.pages import ProcessMemory

LONDON = ZoneInfo("Europe/London")
CACHED_PATHS = ["/", "/booklet/the-trial/", "/accessibility/", "/symptoms/", "/contacts/", "/print/"]
RESULT = "/symptoms/result/"


def shared_keys() -> list[str]:
    return list(caches["pages"]._cache)  # the test settings keep pages in a LocMemCache


@contextmanager
def database_down():
    """Every query fails as it would with the database unreachable."""
    wrapper = type(connections["default"])
    with mock.patch.object(wrapper, "cursor", side_effect=OperationalError("simulated outage")):
        yield


@contextmanager
def another_process():
    """A second worker or app instance: its own memory, the same database and shared cache."""
    mine = pages.memory
    pages.memory = ProcessMemory()
    try:
        yield
    finally:
        pages.memory = mine


# --- Validators and conditional GET ---------------------------------------------


@pytest.mark.parametrize("path", CACHED_PATHS)
def test_cached_pages_have_a_stable_etag_and_last_modified_and_must_be_revalidated(client, fixture_sections, path):
    first = client.get(path)
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


def test_last_modified_is_when_the_content_last_changed(client, fixture_sections):
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=LONDON), tick=False):
        response = client.get("/booklet/the-trial/")
    changed = ContentVersion.current().changed_at
    midnight = datetime(2026, 11, 25, tzinfo=LONDON)
    from django.utils.http import parse_http_date

    assert parse_http_date(response["Last-Modified"]) == int(max(changed, midnight).timestamp())


def test_pages_come_compressed_when_the_browser_accepts_it(client, fixture_sections):
    plain = client.get("/booklet/the-trial/")
    as_br = client.get("/booklet/the-trial/", headers={"accept-encoding": "gzip, deflate, br"})
    as_gzip = client.get("/booklet/the-trial/", headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in plain
    assert as_br["Content-Encoding"] == "br" and brotli.decompress(as_br.content) == plain.content
    assert as_gzip["Content-Encoding"] == "gzip" and gzip.decompress(as_gzip.content) == plain.content
    assert len(as_br.content) < len(plain.content) / 3
    assert as_br["ETag"] == plain["ETag"]  # a weak ETag: the same page in any encoding


# --- Never stale after an edit ------------------------------------------------------


def test_an_admin_edit_shows_at_once_with_a_new_etag(client, admin_client, fixture_sections):
    section = Section.objects.get(slug="the-trial")
    before = client.get(section.get_absolute_url())
    home_before = client.get("/")
    form = {
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
    saved = admin_client.post(reverse("admin:booklet_section_change", args=[section.pk]), form)
    assert saved.status_code == 302

    after = client.get(section.get_absolute_url(), headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert "A nurse rewrote this just now." in after.content.decode()
    assert after["ETag"] != before["ETag"]
    home = client.get("/", headers={"if-none-match": home_before["ETag"]})
    assert home.status_code == 200 and "The trial dose" in home.content.decode()


def test_an_edit_saved_by_another_worker_shows_here_though_a_stale_copy_is_in_memory(client, fixture_sections):
    stale = client.get("/booklet/the-trial/")
    assert "25 micrograms" in stale.content.decode()
    with another_process():
        section = Section.objects.get(slug="the-trial")
        section.body = "## The test dose\n\nA first dose of 50 micrograms."
        section.save()
        assert "50 micrograms" in client.get("/booklet/the-trial/").content.decode()
    # Back in the first process, whose memory still holds the old page.
    assert any(b"25 micrograms" in page.body for page in pages.memory.pages.values())
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
    section = Section.objects.get(slug="the-pump")
    section.is_published = False
    section.save()
    assert client.get("/booklet/the-pump/").status_code == 404
    assert "The pump" not in client.get("/print/").content.decode()


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
        assert 'data-testid="review-overdue"' not in client.get("/booklet/the-trial/").content.decode()
    with time_machine.travel(last_evening + timedelta(hours=1, seconds=1), tick=False):
        assert 'data-testid="review-overdue"' in client.get("/booklet/the-trial/").content.decode()


# --- Privacy: what someone picks is never stored ------------------------------------


@pytest.mark.parametrize(
    "query", ["sign=seizures", "sign=drowsiness&recent_operation=yes", "sign=itching&sign=headache", ""]
)
def test_results_are_never_stored_in_any_cache_and_say_no_store(client, fixture_sections, query):
    for _ in range(2):
        response = client.get(f"{RESULT}?{query}" if query else RESULT)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "ETag" not in response
    assert pages.memory.pages == {}
    assert shared_keys() == []


def test_a_checker_link_with_earlier_choices_is_not_stored_either(client, fixture_sections):
    plain = client.get("/symptoms/")
    with_choices = client.get("/symptoms/?sign=seizures&sign=fever")
    assert 'value="seizures" checked' in with_choices.content.decode()
    assert "no-store" in with_choices["Cache-Control"] and "private" in with_choices["Cache-Control"]
    assert "ETag" not in with_choices
    assert 'value="seizures" checked' not in client.get("/symptoms/").content.decode()
    stored = b"".join(page.body for page in pages.memory.pages.values())
    assert b"seizures" in plain.content and b'value="seizures" checked' not in stored
    assert not any("sign" in key for key in [*pages.memory.pages, *shared_keys()])


# --- Degraded database: stale if error --------------------------------------------------


def test_with_the_database_down_a_page_rendered_before_is_still_served(client, fixture_sections):
    page = client.get("/booklet/the-trial/")
    with database_down():
        degraded = client.get("/booklet/the-trial/")
        health = client.get("/health/")
    assert degraded.status_code == 200
    assert degraded.content == page.content
    assert "no-store" in degraded["Cache-Control"]  # nobody keeps the fallback copy
    assert health.status_code == 503


def test_another_worker_serves_the_copy_from_the_shared_cache_in_an_outage(client, fixture_sections):
    page = client.get("/")
    with another_process(), database_down():
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
    with mock.patch.object(type(caches["pages"]), "get", side_effect=ConnectionError("cache down")):
        response = client.get("/")
    assert response.status_code == 200 and "The trial" in response.content.decode()


# --- Shared fragments ----------------------------------------------------------------


def test_every_outcome_uses_one_of_the_advice_variants_rendered_up_front():
    from itertools import product

    from itb_portal.contacts.directory import load_directory
    from itb_portal.symptoms.cards import Advice, every_advice
    from itb_portal.symptoms.engine import Context, assess
    from itb_portal.symptoms.rules import load_rules

    rules, directory = load_rules(), load_directory()
    variants = set(every_advice(rules, directory))
    moments = [
        datetime(2026, 11, 24, 10, 0, tzinfo=LONDON),  # the team is open
        datetime(2026, 11, 24, 22, 0, tzinfo=LONDON),  # closed
        datetime(2026, 12, 25, 10, 0, tzinfo=LONDON),  # a bank holiday
    ]
    seen = set()
    for sign, at, recent in product([None, *rules.signs], moments, [False, True]):
        outcome = assess(frozenset([sign] if sign else []), Context(recent_operation=recent), at, rules=rules)
        advice = Advice.of(outcome, directory)
        assert advice in variants
        seen.add(advice)
    assert seen == variants  # and no variant is unreachable


def test_the_result_page_shows_the_advice_for_its_own_outcome(client, fixture_sections):
    with time_machine.travel(datetime(2026, 11, 24, 22, 0, tzinfo=LONDON), tick=False):
        night = client.get(f"{RESULT}?sign=itching").content.decode()
    with time_machine.travel(datetime(2026, 11, 24, 10, 0, tzinfo=LONDON), tick=False):
        day = client.get(f"{RESULT}?sign=itching").content.decode()
        emergency = client.get(f"{RESULT}?sign=seizures").content.decode()
    assert 'data-route="team-closed"' in night and "The ITB team is open now" not in night
    assert 'data-route="team-open"' in day and "The ITB team is open now" in day
    assert 'data-level="call-999"' in emergency and 'data-route="emergency"' in emergency


def test_each_page_marks_its_own_place_in_the_shared_header(client, fixture_sections):
    for path, current in [("/", "Contents"), ("/symptoms/", "Check symptoms"), ("/contacts/", "Contacts")]:
        html = client.get(path).content.decode()
        marked = re.findall(r'aria-current="page"[^>]*>\s*(?:<[^>]+>\s*)*([\w ]+)', html)
        assert marked and marked[0].strip() == current, (path, marked)


# --- The short way through --------------------------------------------------------------


@pytest.fixture
def served_early():
    """Whether each request was answered by PageCacheMiddleware, before routing and the view."""
    answers = []
    early = pages.PageCacheMiddleware.early

    def spy(self, request):
        response = early(self, request)
        answers.append(response is not None)
        return response

    with mock.patch.object(pages.PageCacheMiddleware, "early", spy):
        yield answers


@pytest.mark.parametrize("path", ["/", "/contacts/", "/symptoms/"])
def test_a_page_served_early_has_the_same_body_and_headers_as_the_full_way(
    client, fixture_sections, served_early, path
):
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, 5, tzinfo=LONDON), tick=False):
        full = client.get(path)
        fast = client.get(path)
        fast_304 = client.get(path, headers={"if-none-match": full["ETag"]})
    assert served_early == [False, True, True]
    assert fast.content == full.content
    headers = {name: value for name, value in full.items() if name != "Date"}
    assert {name: value for name, value in fast.items() if name != "Date"} == headers
    for name in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "Referrer-Policy"):
        assert fast_304[name] == full[name]
    assert fast_304.status_code == 304


def test_after_an_edit_the_early_way_steps_aside_for_a_fresh_render(client, fixture_sections, served_early):
    client.get("/booklet/the-trial/")
    section = Section.objects.get(slug="the-trial")
    section.title = "The trial dose"
    section.save()
    assert "The trial dose" in client.get("/booklet/the-trial/").content.decode()
    assert "The trial dose" in client.get("/booklet/the-trial/").content.decode()
    assert served_early == [False, False, True]


def test_with_the_database_down_the_early_way_hands_over_to_the_stale_copy(client, fixture_sections, served_early):
    page = client.get("/")
    with database_down():
        degraded = client.get("/")
    assert served_early == [False, False]
    assert degraded.status_code == 200 and degraded.content == page.content
    assert "no-store" in degraded["Cache-Control"]


def test_a_page_another_app_server_rendered_for_the_new_version_is_taken_from_the_shared_cache(
    client, fixture_sections
):
    client.get("/")
    Section.objects.filter(slug="the-pump").update(title="The pump and its refills")
    ContentVersion.bump()
    with another_process():
        rendered_there = client.get("/")  # the other server renders the new version first
    with mock.patch("itb_portal.booklet.views.render", side_effect=AssertionError("rendered again")):
        here = client.get("/")
    assert here.content == rendered_there.content and "The pump and its refills" in here.content.decode()


def test_in_development_nothing_is_kept_so_template_edits_show_at_once(client, fixture_sections, settings):
    settings.DEBUG = True
    first, second = client.get("/"), client.get(f"{RESULT}?sign=itching")
    assert first.status_code == second.status_code == 200
    assert "ETag" not in first
    assert pages.memory.pages == {} and pages.routes == {} and shared_keys() == []
    from itb_portal.pagecache.fragments import _rendered

    assert _rendered == {}


def test_a_release_with_new_code_or_data_moves_the_version_on_and_a_rerun_does_not(fixture_sections):
    ContentVersion.on_migrate(sender=None)  # the release step's migrate, with this code
    version = ContentVersion.current()
    ContentVersion.on_migrate(sender=None)
    assert ContentVersion.current() == version
    with mock.patch("itb_portal.pagecache.release.fingerprint", return_value="a-new-release"):
        ContentVersion.on_migrate(sender=None)
    assert ContentVersion.current().number == version.number + 1
    assert ContentVersion.objects.get().release == "a-new-release"


def test_process_memory_keeps_the_newest_pages_up_to_its_size():
    memory = ProcessMemory(slots=2)
    page = pages.Rendered("tag", "tick", 0, (), b"", b"", b"")
    for key in ("a", "b", "a", "c"):
        memory.put(key, page)
    assert list(memory.pages) == ["a", "c"]


def test_pages_rendered_for_each_request_go_out_compressed_but_the_admin_does_not(client, fixture_sections, settings):
    import gzip

    result = client.get("/symptoms/result/?sign=itching", HTTP_ACCEPT_ENCODING="gzip")
    assert result["Content-Encoding"] == "gzip"
    assert "Your symptom check" in gzip.decompress(result.content).decode()
    sheet = client.get("/symptoms/emergency-sheet/", HTTP_ACCEPT_ENCODING="gzip")
    assert sheet["Content-Encoding"] == "gzip"
    # The admin's pages hold a CSRF token, so compression could help an attacker guess it.
    login = client.get("/" + settings.ADMIN_URL + "login/", HTTP_ACCEPT_ENCODING="gzip")
    assert login.status_code == 200 and "Content-Encoding" not in login


def test_a_fragment_slot_fills_in_each_pages_own_address_and_keeps_none_of_them(client, fixture_sections):
    from itb_portal.pagecache import fragments

    fragments.forget_fragments()
    first = client.get("/symptoms/result/?sign=itching").content.decode()
    second = client.get("/symptoms/result/?sign=seizures").content.decode()
    assert "/share/?page=%2Fsymptoms%2Fresult%2F%3Fsign%3Ditching" in first
    assert "/share/?page=%2Fsymptoms%2Fresult%2F%3Fsign%3Dseizures" in second
    assert fragments._MARKER not in first + second
    kept = " ".join(str(key) + str(html) for key, html in fragments._rendered.items())
    assert "itching" not in kept and "seizures" not in kept
    assert fragments._MARKER in kept  # the kept button holds the marker, filled in for each page


def test_a_fragment_slot_value_is_escaped():
    from itb_portal.pagecache.fragments import shared_fragment

    html = shared_fragment("partials/share_buttons.html", slots={"share_page_url": '/share/?page="><script>x</script>'})
    assert "<script>" not in html and "&#34;&gt;&lt;script&gt;" in html
