"""Expensive pages cost less (issue 21): a chosen printout and the emergency sheet PDF are made once per
content version, day and choice, and kept on the page cache; every answer still says no-store."""

from datetime import datetime, timedelta

import pytest
import time_machine

from itb_portal.booklet.models import Section
from itb_portal.printing import views as printing_views
from itb_portal.symptoms import views as symptom_views
from tests.conftest import LONDON

pytestmark = pytest.mark.django_db
PDF = "/symptoms/emergency-sheet.pdf"


@pytest.fixture
def renders(monkeypatch):
    """How often a printout and the PDF were really made."""
    made = {"printout": 0, "pdf": 0}
    context, pdf = printing_views.booklet_context, symptom_views.sheet_pdf

    def counted_context(*args, **kwargs):
        made["printout"] += 1
        return context(*args, **kwargs)

    def counted_pdf(*args, **kwargs):
        made["pdf"] += 1
        return pdf(*args, **kwargs)

    monkeypatch.setattr(printing_views, "booklet_context", counted_context)
    monkeypatch.setattr(symptom_views, "sheet_pdf", counted_pdf)
    return made


def chosen(sections, *extra: str) -> str:
    return "/print/booklet/?" + "&".join([f"section={sections[0].slug}", *extra])


def test_a_chosen_printout_is_made_once_and_still_says_no_store(client, fixture_sections, renders):
    path = chosen(fixture_sections, "also=contacts")
    first, second = client.get(path), client.get(path)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and renders["printout"] == 1
    for response in (first, second):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert not response.cookies


def test_the_same_choice_written_another_way_is_the_same_kept_printout(client, fixture_sections, renders):
    one, two = fixture_sections[0].slug, fixture_sections[1].slug
    client.get(f"/print/booklet/?section={one}&section={two}&also=contacts")
    client.get(f"/print/booklet/?also=contacts&section={two}&section={one}&section={one}")
    assert renders["printout"] == 1


def test_each_choice_is_kept_apart(client, fixture_sections, renders):
    with_contacts = client.get(chosen(fixture_sections, "also=contacts")).content
    with_sheet = client.get(chosen(fixture_sections, "also=emergency-sheet")).content
    assert renders["printout"] == 2 and with_contacts != with_sheet


def test_an_edit_makes_the_printout_again(client, fixture_sections, renders):
    path = chosen(fixture_sections)
    client.get(path)
    section = Section.objects.get(slug=fixture_sections[0].slug)
    section.title = "A new title for this section"
    section.save()
    assert "A new title for this section" in client.get(path).content.decode()
    assert renders["printout"] == 2


def test_a_choice_naming_unknown_sections_is_never_kept(client, fixture_sections, renders):
    for name in ("made-up-one", "made-up-two"):
        assert client.get(chosen(fixture_sections, f"section={name}")).status_code == 200
    assert client.get(chosen(fixture_sections, "section=made-up-one")).status_code == 200
    assert renders["printout"] == 3


def test_the_pdf_is_made_once_a_day_and_never_kept_by_a_browser(client, fixture_sections, renders):
    evening = datetime(2026, 11, 30, 23, 50, tzinfo=LONDON)
    with time_machine.travel(evening, tick=False):
        first, second = client.get(PDF), client.get(PDF)
    assert first.content == second.content and first.content.startswith(b"%PDF") and renders["pdf"] == 1
    for response in (first, second):
        assert "no-store" in response["Cache-Control"]
        assert response["Content-Disposition"] == 'attachment; filename="itb-emergency-sheet.pdf"'
        assert response["Content-Type"] == "application/pdf"
    with time_machine.travel(evening + timedelta(minutes=20), tick=False):
        client.get(PDF)  # the next day: the sheet says the day it was made
    assert renders["pdf"] == 2
