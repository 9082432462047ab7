"""The pump companion on the server: the service worker's script and what it keeps, the web app
manifest, and the pump card pages, whose words and numbers all come from the data.

What happens in a real browser (offline, the card's own storage, the printouts) is in
test_browser_offline.py and test_browser_my_pump.py."""

import json
import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from itb_portal.booklet.models import Section
from itb_portal.booklet.readability import MAX_GRADE, measure_page
from itb_portal.companion.fields import PUMP_FIELDS
from itb_portal.companion.worker import offline_pages
from itb_portal.contacts.directory import load_directory
from itb_portal.symptoms.rules import load_rules

PUMP_PAGES = ["companion:my_pump", "companion:wallet_card", "companion:handover_sheet"]
OFFLINE_FALLBACKS = ["companion:offline", "companion:offline_check"]
SETTINGS_LINE = re.compile(r"^self\.ITB_OFFLINE=(\{.*\});$", re.MULTILINE)


def worker_settings(client) -> dict:
    response = client.get("/sw.js")
    assert response.status_code == 200
    return json.loads(SETTINGS_LINE.search(response.content.decode()).group(1))


def kept_urls(client) -> set[str]:
    # A hashed address (in production) is kept by its address alone; any other with its revision.
    return {entry if isinstance(entry, str) else entry["url"] for entry in worker_settings(client)["precache"]}


class TextOf(HTMLParser):
    """The words a reader sees in <main>: no scripts or templates, and not the "#" link beside each heading."""

    SKIP = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.skipping = 0
        self.lines: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        elif self.depth and (tag in self.SKIP or self.skipping or ("class", "app-heading-link") in attrs):
            self.skipping += 1
        if self.depth and tag in {"p", "li", "h1", "h2", "h3", "dt", "dd", "td", "th", "br", "div"}:
            self.lines.append("\n")

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        elif self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.lines.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return re.sub(r"[ \t]+", " ", "".join(parser.lines))


# --- The service worker ---------------------------------------------------------------------------


def test_the_worker_is_served_from_the_site_root_as_javascript_checked_on_every_visit(client, fixture_sections):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies
    # The whole of Workbox is inside, and everything kept is on this site: nothing is loaded from anywhere else.
    assert "importScripts" not in response.content.decode()
    assert all(url.startswith("/") and not url.startswith("//") for url in kept_urls(client))


def test_the_worker_keeps_every_page_the_issue_names(client, fixture_sections):
    kept = kept_urls(client)
    expected = {
        reverse("booklet:home"),
        reverse("contacts:index"),
        reverse("symptoms:checker"),
        reverse("symptoms:emergency_sheet"),
        *(reverse(name) for name in PUMP_PAGES + OFFLINE_FALLBACKS),
        *(section.get_absolute_url() for section in fixture_sections),
    }
    assert expected <= kept
    assert set(offline_pages()) <= kept


def test_the_worker_never_keeps_a_result_or_anything_with_a_query_string(client, fixture_sections):
    kept = kept_urls(client)
    assert not any("?" in url for url in kept)
    assert not any(url.startswith(reverse("symptoms:result")) for url in kept)
    assert worker_settings(client)["resultPath"] == reverse("symptoms:result")


def test_the_worker_keeps_the_static_files_pages_ask_for(client, fixture_sections):
    kept = kept_urls(client)
    for name in ("css/main.css", "js/app.js"):
        assert settings.STATIC_URL + name in kept, name
    assert settings.STATIC_URL + "js/app.mjs" not in kept  # bundled into js/app.js
    assert settings.STATIC_URL + "js/my-pump.mjs" in kept
    assert settings.STATIC_URL + "js/my-pump-calendar.mjs" in kept
    # The worker's own source is bundled into /sw.js, never fetched by a page.
    assert settings.STATIC_URL + "js/sw-worker.mjs" not in kept


def test_every_cached_page_answers_200(client, fixture_sections):
    for url in kept_urls(client):
        assert client.get(url).status_code == 200, url


def test_the_worker_changes_when_a_section_is_saved(client, fixture_sections):
    before = client.get("/sw.js").content
    section = Section.objects.get(slug=fixture_sections[0].slug)
    section.body += "\n\nOne more line."
    section.save()
    after = client.get("/sw.js").content
    assert before != after
    assert worker_settings(client)["version"] in after.decode()


def test_the_worker_changes_when_a_phone_number_changes(client, fixture_sections, tmp_path):
    before = worker_settings(client)["version"]
    content = tmp_path / "content"
    content.mkdir()
    (content / "symptoms").mkdir()
    (content / "symptoms" / "rules.yaml").write_bytes((settings.CONTENT_DIR / "symptoms" / "rules.yaml").read_bytes())
    contacts = (settings.CONTENT_DIR / "contacts.yaml").read_text()
    (content / "contacts.yaml").write_text(contacts.replace("0113 392 2178", "0113 392 9999"))
    with override_settings(CONTENT_DIR=content):
        assert worker_settings(client)["version"] != before


def test_the_worker_knows_where_the_offline_pages_are(client, fixture_sections):
    found = worker_settings(client)
    assert found["offlinePage"] == reverse("companion:offline")
    assert found["offlineCheck"] == reverse("companion:offline_check")
    assert "__SAVED_ON__" in found["savedCopyNotice"]
    assert 'href="tel:999"' in found["savedCopyNotice"]


# --- Installing: the web app manifest ----------------------------------------------------------------


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_the_manifest_makes_the_site_installable(client, fixture_sections):
    response = client.get(reverse("companion:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] and manifest["short_name"]
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#005eb8"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        name = icon["src"].removeprefix(settings.STATIC_URL)
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert png_size(settings.BASE_DIR / "static" / name) == (width, height)
        assert client.get(icon["src"]).status_code == 200


def test_every_page_names_the_manifest_and_the_nhs_blue_theme(client, fixture_sections):
    for path in [reverse("booklet:home"), reverse("companion:my_pump"), fixture_sections[0].get_absolute_url()]:
        html = client.get(path).content.decode()
        assert f'<link rel="manifest" href="{reverse("companion:manifest")}">' in html, path
        assert '<meta name="theme-color" content="#005eb8">' in html, path


# --- The pump card pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PUMP_PAGES + OFFLINE_FALLBACKS)
def test_pump_and_offline_pages_set_no_cookie_and_are_the_same_for_everyone(client, fixture_sections, name):
    first = client.get(reverse(name))
    assert first.status_code == 200
    assert not first.cookies
    assert "public" in first["Cache-Control"]


class FieldsInForms(HTMLParser):
    """Each pump field on the page, and whether it sits inside a <form>."""

    def __init__(self):
        super().__init__()
        self.forms = 0
        self.fields: dict[str, bool] = {}

    def handle_starttag(self, tag, attrs):
        self.forms += tag == "form"
        key = dict(attrs).get("data-my-pump-input")
        if key:
            self.fields[key] = self.forms > 0

    def handle_endtag(self, tag):
        self.forms -= tag == "form"


def test_the_card_page_has_no_form_that_could_send_what_is_typed(client, fixture_sections):
    html = client.get(reverse("companion:my_pump")).content.decode()
    found = FieldsInForms()
    found.feed(html)
    assert found.fields == dict.fromkeys((field.key for field in PUMP_FIELDS), False)
    # The fields show only where the script that keeps them runs.
    assert re.search(r"<div data-my-pump-form hidden>", html)
    assert "data-my-pump-no-js" in html


def test_the_card_page_says_what_is_kept_and_where(client, fixture_sections):
    text = TextOf.of(client.get(reverse("companion:my_pump")).content.decode())
    assert "stays in this web browser on this device" in text
    assert "local storage" in text
    assert "never sent to us or to anyone else" in text
    assert "Forget my details" in text


@pytest.mark.parametrize("name", ["companion:wallet_card", "companion:handover_sheet"])
def test_each_printout_has_every_field_to_fill_in(client, fixture_sections, name):
    html = client.get(reverse(name)).content.decode()
    for field in PUMP_FIELDS:
        assert f'data-my-pump-value="{field.key}"' in html, field.key


def team_numbers() -> list[str]:
    return [phone.number for phone in load_directory().team_line.phones]


def test_the_card_gives_the_teams_numbers_from_the_contacts_file(client, fixture_sections):
    text = TextOf.of(client.get(reverse("companion:wallet_card")).content.decode())
    for number in team_numbers():
        assert number in text
    assert "call 999" in text


def test_the_handover_sheet_is_built_from_the_rules_and_contacts(client, fixture_sections):
    rules, directory = load_rules(), load_directory()
    text = TextOf.of(client.get(reverse("companion:handover_sheet")).content.decode())
    for sign in rules.signs_of("overdose") + rules.signs_of("withdrawal"):
        assert sign.label in text, sign.slug
    for number in team_numbers():
        assert number in text
    for paragraph in directory.out_of_hours:
        assert paragraph in text
    for line_id in rules.levels["urgent"].routes["recent-operation"].lines:
        assert directory.line(line_id).phones[0].number in text


def test_the_handover_sheet_warns_against_stopping_and_names_its_sources(client, fixture_sections):
    text = " ".join(TextOf.of(client.get(reverse("companion:handover_sheet")).content.decode()).split())
    assert "Do not switch off or take out the pump" in text
    assert "Sudden withdrawal can be life-threatening" in text
    assert "Withdrawal can look like sepsis or autonomic dysreflexia" in text
    assert "What ITB is" in text
    # The claims the booklet does not make cite where they come from.
    assert "summary of product characteristics for Lioresal Intrathecal" in text
    assert "Intrathecal baclofen withdrawal mimicking sepsis" in text


def test_the_offline_page_gives_999_and_every_number_from_the_contacts_file(client, fixture_sections):
    html = client.get(reverse("companion:offline")).content.decode()
    assert 'href="tel:999"' in html
    for line in load_directory().lines:
        for phone in line.phones:
            assert f'href="tel:{phone.tel}"' in html, line.id
    assert '<meta name="robots" content="noindex">' in html


def test_the_offline_check_page_gives_every_levels_guidance_and_says_why(client, fixture_sections):
    rules = load_rules()
    text = " ".join(TextOf.of(client.get(reverse("companion:offline_check")).content.decode()).split())
    assert "The full symptom check needs a connection" in text
    for level_id in ("call-999", "go-to-ae"):
        assert rules.levels[level_id].advice.action in text
    for route in rules.levels["urgent"].routes.values():
        assert route.heading in text


@pytest.mark.parametrize("name", ["companion:my_pump", "companion:wallet_card", "companion:offline"])
def test_patient_pages_read_at_grade_7_with_short_sentences(client, fixture_sections, name):
    result = measure_page(client.get(reverse(name)).content.decode())
    assert result.grade <= MAX_GRADE, (name, result.grade)
    assert result.long_sentences == [], name


def test_over_a_weak_signal_the_worker_shows_the_saved_copy_after_5_seconds(client, fixture_sections):
    assert worker_settings(client)["networkTimeoutSeconds"] == 5
