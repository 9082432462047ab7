"""Honest review dates (issues 10 and 20): each page says which booklet it is based on and when that is
due for review, says plainly when a review date has passed and what still holds, claims a review under
way or a check of the numbers only when someone recorded one, and says when the page last changed."""

import ast
import copy
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
import yaml
from django.core.management import call_command
from django.urls import reverse

from itb_portal.booklet.loader import load_sections
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import load_directory
from itb_portal.datafiles.models import DataFile
from itb_portal.symptoms.rules import rules_path
from tests.conftest import LONDON
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)  # the booklet's review date has just passed
DATA_PAGES = ["/symptoms/", "/symptoms/result/?sign=itching", "/symptoms/emergency-sheet/", "/contacts/"]


@pytest.fixture(autouse=True)
def today():
    """Before any other fixture, so an editor's session starts on this day too (it lasts 4 hours)."""
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def booklet(settings, today):
    assert not load_sections(settings.CONTENT_DIR / "sections").errors
    return {section.slug: section for section in Section.objects.all()}


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("nurse", "nurse@example.nhs.uk", "a-long-test-password-123")
    client.force_login(user)
    client.user = user
    return client


def review_text(html: str) -> str:
    block = html[html.index('data-testid="review-statement"') :]
    block = block[block.index(">") + 1 :]
    return text_of(block[: block.index("</div>")])


NOT_REVIEWED = "A clinician has not yet reviewed this page."


def test_a_page_past_its_review_date_says_so_plainly_and_what_still_holds(client, booklet):
    said = review_text(client.get("/booklet/warning-signs/").content.decode())
    assert said.startswith(
        "This page is based on our patient booklet of November 2023. Some of its advice was added after the "
        f"booklet. {NOT_REVIEWED} The booklet was due for review in November 2026. If anything here is different "
        "from what your own team told you, follow your team's advice."
    ), said
    # Nobody recorded a review, a check of the numbers, or a review under way, so no page claims one.
    for path in ["/", "/booklet/warning-signs/", *DATA_PAGES]:
        html = client.get(path).content.decode()
        said = review_text(html)
        assert NOT_REVIEWED in said, path
        assert "checked" not in said and "is checking" not in html and "started reviewing" not in html, path


def test_a_page_within_its_review_date_says_nothing_is_overdue(client, booklet):
    Section.objects.filter(slug="risks").update(last_reviewed=date(2026, 6, 1), next_review_due=date(2027, 6, 1))
    html = client.get("/booklet/risks/").content.decode()
    assert 'data-overdue="true"' not in html
    said = review_text(html)
    assert "The booklet is due for review in June 2027." in said and "follow your team's advice" not in said


def test_a_section_shows_its_own_front_matter_dates(client, booklet):
    Section.objects.filter(slug="glossary").update(last_reviewed=date(2025, 2, 3), next_review_due=date(2028, 4, 5))
    said = review_text(client.get("/booklet/glossary/").content.decode())
    assert "based on our patient booklet of February 2025." in said and "due for review in April 2028." in said
    # The glossary adds no advice to the booklet; the warning signs page does.
    assert "added after the booklet" not in said
    assert "added after the booklet" in review_text(client.get("/booklet/warning-signs/").content.decode())


def changed_dates(tmp_path: Path, name: str, dates: dict) -> Path:
    content = tmp_path / "content"
    shutil.copytree(rules_path().parent.parent, content, ignore=shutil.ignore_patterns("sections"))
    path = content / name
    data = copy.deepcopy(yaml.safe_load(path.read_text(encoding="utf-8")))
    data["review"].update(dates)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return content


def test_the_checker_results_and_sheet_show_the_rules_own_dates(client, booklet, tmp_path, settings):
    settings.CONTENT_DIR = changed_dates(
        tmp_path, "symptoms/rules.yaml", {"last_reviewed": date(2026, 9, 1), "next_review_due": date(2027, 3, 1)}
    )
    for path in DATA_PAGES[:2]:
        said = review_text(client.get(path).content.decode())
        assert "The booklet is due for review in March 2027." in said, path
        # The checker's rules add to the booklet: its date never dates them.
        assert "Some of its advice was added after the booklet." in said, path
    # The sheet also prints every number, so it is as current as the older of its two files.
    sheet = review_text(client.get("/symptoms/emergency-sheet/").content.decode())
    assert "booklet of November 2023." in sheet and "was due for review in November 2026." in sheet
    assert "booklet of September 2026." in review_text(client.get("/symptoms/").content.decode())
    assert "March 2027" not in review_text(client.get("/contacts/").content.decode())


def test_the_contacts_page_shows_the_contacts_own_dates_and_no_unnamed_numbers_check(
    client, booklet, tmp_path, settings
):
    settings.CONTENT_DIR = changed_dates(
        tmp_path,
        "contacts.yaml",
        {
            "last_reviewed": date(2026, 10, 1),
            "next_review_due": date(2027, 4, 1),
            "numbers_confirmed": date(2026, 11, 2),
        },
    )
    said = review_text(client.get("/contacts/").content.decode())
    assert "booklet of October 2026." in said and "The booklet is due for review in April 2027." in said
    assert "Some of its advice was added after the booklet." in said  # NHS 111, who to call now
    assert "was due for review in November 2026." in review_text(client.get("/symptoms/").content.decode())
    # A date in the file names nobody: no page says the numbers were checked.
    for path in ("/contacts/", "/symptoms/"):
        assert "phone numbers" not in review_text(client.get(path).content.decode()), path


def test_an_editor_records_a_review_under_way_for_a_section(editor, booklet):
    section = booklet["faqs"]
    changelist = reverse("admin:booklet_section_changelist")
    editor.post(changelist, {"action": "review_started_today", "_selected_action": [section.pk]})
    section.refresh_from_db()
    assert section.review_started_on == TODAY.date()
    assert not section.edited_in_admin  # content/ can still update it
    said = review_text(editor.get("/booklet/faqs/").content.decode())
    assert "The ITB team started reviewing it on 30 November 2026." in said
    assert NOT_REVIEWED in said  # under way is not done
    assert "started reviewing" not in editor.get("/booklet/risks/").content.decode()
    # A review is finished one way: an approver marks it reviewed, with the next review date.
    finished = {"item": f"section:{section.pk}", "next_review_due": "2027-11-30", "confirm": "on"}
    editor.post(reverse("admin:editorial_reviewsdue_mark_reviewed"), finished)
    assert "started reviewing" not in editor.get("/booklet/faqs/").content.decode()


def test_an_approver_records_a_rules_review_under_way_and_the_numbers_confirmed_by_name(editor, booklet):
    editor.user.first_name, editor.user.last_name = "Nina", "Nurse"
    editor.user.save()
    call_command("load_content", verbosity=0)  # makes the data records
    records = {record.data: record for record in DataFile.objects.all()}
    assert set(records) == {DataFile.CONTACTS, DataFile.RULES}
    changelist = reverse("admin:datafiles_datafile_changelist")
    assert editor.get(changelist).status_code == 200
    editor.post(changelist, {"action": "review_started_today", "_selected_action": [records["rules"].pk]})
    editor.post(changelist, {"action": "numbers_confirmed_today", "_selected_action": [records["contacts"].pk]})
    for path in DATA_PAGES[:2]:
        said = review_text(editor.get(path).content.decode())
        assert "The ITB team started reviewing it on 30 November 2026." in said, path
    # The contacts page comes from contacts.yaml alone, whose review nobody recorded, and the sheet
    # from both files: neither may claim a review of all it shows.
    for path in DATA_PAGES[2:]:
        assert "started reviewing" not in editor.get(path).content.decode(), path
    for path in ["/", "/booklet/warning-signs/", "/contacts/", "/symptoms/"]:
        said = review_text(editor.get(path).content.decode())
        assert "Nina Nurse (clinical approver) confirmed the phone numbers on 30 November 2026." in said, path
    # A page that shows no phone numbers says nothing about them.
    assert "phone numbers" not in review_text(editor.get("/booklet/glossary/").content.decode())


def test_only_an_approver_records_the_numbers_confirmed_and_never_a_typed_date(client, booklet, django_user_model):
    from tests.conftest import person

    call_command("load_content", verbosity=0)
    contacts = DataFile.objects.get(data=DataFile.CONTACTS)
    changelist = reverse("admin:datafiles_datafile_changelist")
    editor = person(django_user_model, "eddie", "Editor")
    editor.post(changelist, {"action": "numbers_confirmed_today", "_selected_action": [contacts.pk]})
    contacts.refresh_from_db()
    assert contacts.numbers_confirmed_on is None
    # The approver's form has no date to type: a check is recorded as today, by the action.
    approver = person(django_user_model, "ada", "Clinical approver")
    change = reverse("admin:datafiles_datafile_change", args=[contacts.pk])
    approver.post(change, {"review_started_on": "2099-01-01", "numbers_confirmed_on": "2099-01-01"})
    contacts.refresh_from_db()
    assert contacts.numbers_confirmed_on is None and contacts.review_started_on is None
    assert "2099" not in client.get("/contacts/").content.decode()


def test_each_page_shows_apart_when_it_last_changed_on_this_website(client, booklet, settings, tmp_path):
    with time_machine.travel(datetime(2026, 11, 12, 9, 0, tzinfo=LONDON), tick=False):
        call_command("load_content", verbosity=0)  # the release that first showed these data files
    Section.objects.filter(slug="glossary").update(updated_at=datetime(2026, 11, 20, 9, 0, tzinfo=LONDON))
    assert "This page last changed on 20 November 2026." in review_text(
        client.get("/booklet/glossary/").content.decode()
    )
    assert "This page last changed on 12 November 2026." in review_text(client.get("/symptoms/").content.decode())
    # A section that shows phone numbers changes when they do.
    Section.objects.filter(slug="support-at-home").update(updated_at=datetime(2026, 11, 1, 9, 0, tzinfo=LONDON))
    assert "This page last changed on 12 November 2026." in review_text(
        client.get("/booklet/support-at-home/").content.decode()
    )
    # A new release with changed numbers is a change, recorded on the day it is loaded.
    settings.CONTENT_DIR = changed_dates(tmp_path, "contacts.yaml", {"numbers_confirmed": date(2026, 11, 29)})
    call_command("load_content", directory=str(ROOT / "content" / "sections"), verbosity=0)
    assert "This page last changed on 30 November 2026." in review_text(client.get("/contacts/").content.decode())
    assert "This page last changed on 12 November 2026." in review_text(client.get("/symptoms/").content.decode())


def test_every_printout_names_who_it_is_for_and_its_honest_dates(client, booklet):
    scope = " ".join(load_directory().scope)
    for path in ["/", "/booklet/warning-signs/", "/symptoms/emergency-sheet/", "/print/booklet/"]:
        html = client.get(path).content.decode()
        header = html[html.index('data-testid="print-header"') :]
        dates = re.search(r'data-testid="print-dates">(.*?)</p>', header, re.S).group(1)
        assert f"{NOT_REVIEWED} The booklet was due for review in November 2026." in dates, path
        assert "checked" not in dates and "started" not in dates, path
        printed_scope = html[html.index('class="app-print-only app-print-scope"') :]
        assert scope in printed_scope[: printed_scope.index("</div>")], path
    home = client.get("/").content.decode()
    assert home.count(scope) == 2  # once on screen under the introduction, once on paper
    assert "does not replace talking to your ITB team or your consultant" in scope
    assert "If another hospital looks after your pump, call your own team." in scope


def imported_modules(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def test_the_checker_and_contacts_take_their_dates_from_their_own_data_not_the_booklet():
    # Layering: booklet > symptoms > contacts. Review dates were the last reason to reach up.
    for app, above in (
        ("symptoms", ("itb_portal.booklet",)),
        ("contacts", ("itb_portal.booklet", "itb_portal.symptoms")),
    ):
        reaching = [m for m in imported_modules(ROOT / "itb_portal" / app) if m.startswith(above)]
        assert reaching == [], app
