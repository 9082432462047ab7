"""The emergency sheet for the fridge: the checker's own words and levels, every number, one A4 page."""

import io
import re

import pytest
from pypdf import PdfReader

from itb_portal.contacts.directory import load_directory
from itb_portal.symptoms.engine import Context, assess
from itb_portal.symptoms.rules import load_rules
from tests.conftest import TUESDAY_MORNING
from tests.helpers import pdf_text, printed_pdf, squash

SHEET = "/symptoms/emergency-sheet/"
A4_POINTS = (595, 842)


def every_number() -> list[str]:
    return [phone.number for line in load_directory().lines for phone in line.phones]


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def row(html: str, level: str) -> str:
    return re.search(rf'<tr data-level="{level}">(.*?)</tr>', html, re.S).group(1)


@pytest.mark.django_db
def test_the_sheet_uses_the_checkers_words_for_each_level(client, fixture_sections):
    html = client.get(SHEET).content.decode().replace("&amp;", "&")
    rules = load_rules()
    for level_id in ("call-999", "go-to-ae"):
        words = re.sub(r"<[^>]+>", "", row(html, level_id))
        assert squash(rules.levels[level_id].advice.action) in squash(words)
        # The card's heading ("Call 999 now") is said by the action's first sentence: never twice.
        assert rules.levels[level_id].advice.heading + "." not in words
    for route in ("team-open", "team-closed", "recent-operation"):
        assert rules.levels["urgent"].routes[route].heading in row(html, "urgent")
    for rule in rules.rules:
        if rule.needs_several:
            assert lower_first(rule.summary) in row(html, rule.level), rule.id


@pytest.mark.django_db
def test_every_sign_is_in_the_row_of_the_level_the_checker_gives_it(client, fixture_sections):
    # The form's group headings decide the rows, and the rules must give each sign its group's level
    # alone (the data is refused otherwise), so the sheet and the checker agree by construction.
    html = client.get(SHEET).content.decode().replace("&amp;", "&")
    rules = load_rules()
    at = TUESDAY_MORNING
    for sign in rules.signs.values():
        level = assess(frozenset({sign.slug}), Context(), at, rules=rules).level
        assert lower_first(sign.label) in row(html, level), sign.slug


@pytest.mark.django_db
def test_worse_stiffness_is_a_sign_on_the_sheet_never_none_of_the_signs(client, fixture_sections):
    html = client.get(SHEET).content.decode()
    stiffness = load_rules().signs["increased-stiffness"].label
    assert lower_first(stiffness) in row(html, "urgent")
    assert "none of the signs above" not in html.lower()
    assert "stiffness" not in re.search(r'<p data-level="non-urgent">(.*?)</p>', html, re.S).group(1).lower()


@pytest.mark.django_db
def test_the_sheet_has_every_number_with_its_hours_and_lines_to_write_on(client, fixture_sections):
    html = client.get(SHEET).content.decode()
    for number in every_number():
        assert number in html
    assert "Monday to Friday, 8am to 4pm, not on bank holidays" in html
    assert "Every day, 24 hours" in html
    for label in ("Pump type", "Drug concentration", "Dose"):
        assert f'<dt>{label}</dt><dd><span class="app-write-in__line"></span></dd>' in html
    assert "Nobody checks this inbox" in html


@pytest.mark.browser
def test_the_sheet_prints_on_at_most_two_a4_pages_with_every_number(live_site, page):
    pdf = printed_pdf(page, live_site.url + SHEET)
    reader = PdfReader(io.BytesIO(pdf))
    # Advice by reason (issue 20) made the sheet longer; issue 22 allows any page count, none nearly empty.
    assert 1 <= len(reader.pages) <= 2
    box = reader.pages[0].mediabox
    # A4 is 595 x 842 points; Chromium rounds the page size to whole pixels.
    assert abs(float(box.width) - A4_POINTS[0]) < 2 and abs(float(box.height) - A4_POINTS[1]) < 2
    text = squash(pdf_text(pdf))
    for number in every_number():
        assert squash(number) in text, number
    rules = load_rules()
    actions = [rules.levels[level].advice.action.split(". ")[0] for level in ("call-999", "go-to-ae")]
    for words in ("Pump type", "Drug concentration", "Dose", *actions):
        assert squash(words) in text


@pytest.mark.browser
def test_the_sheet_prints_without_the_site_header_or_link_addresses(live_site, page):
    page.goto(live_site.url + SHEET)
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-header").is_visible()
    assert not page.locator("[data-testid=urgent-help]").is_visible()
    text = squash(PdfReader(io.BytesIO(page.pdf(format="A4"))).pages[0].extract_text())
    assert "tel:" not in text


@pytest.mark.django_db
def test_the_sheet_is_never_served_from_a_cache_so_numbers_stay_current(client, fixture_sections):
    assert "no-store" in client.get(SHEET)["Cache-Control"]
