"""The emergency sheet as a PDF download: made from the same data as the page, one A4 page, 999 in bold."""

import io
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from itb_portal.contacts.directory import load_directory
from itb_portal.jinja2 import uk_date
from itb_portal.symptoms.review import sheet_review
from itb_portal.symptoms.rules import load_rules
from itb_portal.symptoms.sheet_pdf import latin_1
from tests.conftest import TUESDAY_MORNING
from tests.helpers import pdf_text, squash, text_of
from tests.test_one_source_of_truth import changed_content
from tests.test_second_service import (  # second_service: the fixture
    SECOND_LINES,
    SECOND_SERVICE,
    first_service_traces,
    second_service,  # noqa: F401
)

pytestmark = pytest.mark.django_db

SHEET = "/symptoms/emergency-sheet/"
PDF = "/symptoms/emergency-sheet.pdf"
A4_POINTS = (595, 842)


def sheet_pdf(client) -> PdfReader:
    response = client.get(PDF)
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.content))


def sheet_text(client) -> str:
    """The PDF sheet's words, every space removed (see `squash`)."""
    response = client.get(PDF)
    assert response.status_code == 200
    return squash(pdf_text(response.content))


def sheet_signs(html: str) -> list[str]:
    """Every sign and combination listed on the HTML sheet, in its own words."""
    levels = re.search(r'data-testid="what-to-do">(.*?)</table>', html, re.S).group(1)
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", levels, re.S)]


def sheet_numbers(html: str) -> list[str]:
    """The numbers in the sheet's own table of phone numbers."""
    html = re.search(r'class="app-emergency-sheet__numbers">(.*?)</table>', html, re.S).group(1)
    return re.findall(r'<a (?:class="[^"]*" )?href="tel:[^"]+">(?:<span class="app-call__number">Call )?([^<]+)<', html)


def test_the_download_is_a_pdf_attachment_that_sets_no_cookie(client, fixture_sections):
    response = client.get(PDF)
    assert response["Content-Type"] == "application/pdf"
    assert re.fullmatch(r'attachment; filename="[\w.-]+\.pdf"', response["Content-Disposition"])
    assert not response.cookies and "Set-Cookie" not in response.headers
    assert "no-cache" in response["Cache-Control"]  # made from contacts.yaml as it is now, like the page
    assert response.content.startswith(b"%PDF-")


def test_other_methods_are_refused_405():
    client = Client(enforce_csrf_checks=True)
    for method in ("post", "put", "delete"):
        assert getattr(client, method)(PDF).status_code == 405, method
    assert client.head(PDF).status_code == 200


def test_the_pdf_is_at_most_two_a4_pages_with_what_to_do_on_the_first(client, fixture_sections):
    # Advice by reason (issue 20) made the sheet longer; issue 22 allows any page count, none nearly empty.
    reader = sheet_pdf(client)
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    first = squash(reader.pages[0].extract_text())
    rules = load_rules()
    for level in ("call-999", "go-to-ae"):
        assert squash(rules.levels[level].advice.action.split(". ")[0]) in first
    assert all(squash(sign.label[1:]) in first for sign in rules.signs.values())


def test_the_pdf_has_every_sign_and_every_number_the_html_sheet_shows(client, fixture_sections):
    html = client.get(SHEET).content.decode()
    text = sheet_text(client)
    signs, numbers = sheet_signs(html), sheet_numbers(html)
    # Nothing vacuous: the red-flag signs and every number in contacts.yaml are among them.
    assert {sign.slug for sign in load_rules().signs.values()} and len(signs) >= len(load_rules().signs)
    assert set(numbers) == {phone.number for line in load_directory().lines for phone in line.phones}
    for sign in signs:
        assert squash(sign) in text, sign
    for number in numbers:
        assert squash(number) in text, number
    assert squash(load_directory().service.team_at_hospital) in text


def test_the_999_signs_are_all_on_the_pdf(client, fixture_sections):
    text = sheet_text(client).lower()
    (red_flags,) = [summary for summary in load_rules().what_to_do() if summary.level.id == "call-999"]
    signs = [sign for entry in red_flags.groups for sign in entry.signs]
    assert signs
    for sign in signs:
        assert squash(sign.label).lower() in text, sign.slug


def test_999_is_in_bold_and_no_text_is_under_11_points(client, fixture_sections):
    shown = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            shown.append((text, font.get("/BaseFont") if font else None, size * tm[0] if tm[0] else size))

    sheet_pdf(client).pages[0].extract_text(visitor_text=visit)
    nines = [(text, font) for text, font, _ in shown if "999" in text]
    assert nines
    assert all(font == "/Helvetica-Bold" for _, font in nines), nines
    assert min(size for *_, size in shown) >= 11


def test_the_pdf_shows_the_review_statement_and_the_day_it_was_made(client, fixture_sections):
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        text = sheet_text(client)
        review = sheet_review()
    assert squash(f"Made on {uk_date(TUESDAY_MORNING.date())}") in text
    for sentence in review.statement:
        assert squash(sentence) in text, sentence
    assert squash("testserver/symptoms/emergency-sheet/") in text  # where to check for newer numbers


def test_a_phone_number_changed_in_the_data_changes_the_pdf(client, fixture_sections, tmp_path, settings):
    old, new = "0113 392 2178", "0113 496 0000"
    assert squash(old) in sheet_text(client)

    def renumber(data):
        nurse = next(line for line in data["lines"] if line["id"] == "nurse-specialist")
        nurse["phones"][0]["number"] = new

    settings.CONTENT_DIR = changed_content(tmp_path, contacts=renumber)
    text = sheet_text(client)
    assert squash(new) in text and squash(old) not in text


def test_typographic_marks_become_plain_and_other_characters_fail_loudly():
    assert latin_1("It\u2019s \u201cfine\u201d \u2013 wait\u2026") == 'It\'s "fine" - wait...'
    with pytest.raises(UnicodeEncodeError):
        latin_1("Call \u2192 999")


def test_the_sheet_and_the_print_chooser_link_to_the_pdf_but_the_no_signal_page_does_not(client, fixture_sections):
    link = 'href="/symptoms/emergency-sheet.pdf" download>Download the emergency sheet (PDF)</a>'
    assert link in client.get(SHEET).content.decode()
    assert link in client.get("/print/").content.decode()
    assert "emergency-sheet.pdf" not in client.get(reverse("companion:offline_check")).content.decode()


@pytest.mark.usefixtures("second_service")
def test_a_second_services_pdf_is_one_page_of_its_own_team_and_numbers(client):
    assert len(sheet_pdf(client).pages) <= 2
    text = sheet_text(client)
    assert squash(f"From the ITB team at {SECOND_SERVICE['hospital']}.") in text
    for _id, _name, numbers in SECOND_LINES.values():
        assert all(squash(number) in text for number in numbers)
    assert not [trace for trace in first_service_traces() if squash(trace) in text]
