"""Issue 17 for the contacts and the symptom rules: an edit of either file is a draft, refused as `release`
refuses wrong data, published only when a second person approves it, and settled by the next release."""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import timezone

from itb_portal import pagecache
from itb_portal.audit.models import AuditEntry
from itb_portal.contacts.directory import contacts_path, load_directory
from itb_portal.datafiles.models import DataFile
from itb_portal.editorial import datadrafts, workflow
from itb_portal.editorial.models import Draft
from itb_portal.pagecache.pages import forget_this_process
from itb_portal.symptoms.checks import data_problems
from itb_portal.symptoms.rules import rules_path
from tests.conftest import person
from tests.test_editorial import approve, messages_of

pytestmark = pytest.mark.django_db
OLD, NEW = "0113 392 2178", "0113 392 9999"
HARD_TO_WAKE = "  - slug: hard-to-wake\n    label: Very hard to wake, or not responding\n    group: red-flags"


def save_data(client, kind, text, version=None):
    url = reverse("admin:editorial_draft_data", args=[kind])
    seen = version if version is not None else workflow.draft_version_of(kind)
    return client.post(url, {"document": text, "draft_version": seen})


def new_process():
    """Forget the data files this process read: each is read once per process (a deploy starts new ones)."""
    from itb_portal import datafiles

    datafiles.forget()


def contacts_text():
    return contacts_path().read_text(encoding="utf-8")


@pytest.fixture
def content_folder(tmp_path, settings):
    """A writable content/ with the real data files, for releases."""
    shutil.copytree(settings.CONTENT_DIR, tmp_path / "content")
    settings.CONTENT_DIR = tmp_path / "content"
    return tmp_path / "content"


def test_a_changed_phone_number_is_a_draft_until_a_second_person_approves_it(
    editor, approver, client, fixture_sections
):
    version = pagecache.content_version()
    response = save_data(editor, "contacts", contacts_text().replace(OLD, NEW))
    assert response.status_code == 302
    assert pagecache.content_version() == version  # a draft changes no page
    assert OLD in client.get("/contacts/").content.decode() and NEW not in client.get("/contacts/").content.decode()

    draft = workflow.open_data_draft("contacts")
    page = approver.get(reverse("admin:editorial_draft_approve", args=[draft.pk])).content.decode()
    facts = page.split('data-testid="facts-diff"')[1].split("</table>")[0]
    assert "line nurse-specialist" in facts and OLD in facts and NEW in facts  # the number that changes
    assert '<del class="editorial-del">2178"}</del>' in page or "2178" in page.split('data-testid="text-diff"')[1]

    assert "Approved and published" in messages_of(approve(approver, draft, note="Rang the number."))
    assert pagecache.content_version() != version
    contacts = client.get("/contacts/").content.decode()
    assert NEW in contacts and OLD not in contacts
    assert f"Reviewed by ada (clinical approver) on {timezone.localdate().day} " in contacts
    assert load_directory().line("nurse-specialist").phones[0].number == NEW
    assert contacts_text().count(OLD) == 1  # the file itself is untouched until it goes through git
    row = DataFile.objects.get(data="contacts")
    assert row.signed_off_by == "ada" and NEW in row.document
    steps = list(AuditEntry.objects.filter(what="contacts.yaml").values_list("who", "action"))
    assert {("eddie", "drafted"), ("ada", "approved"), ("ada", "published")} <= set(steps)


def test_wrong_rules_are_refused_with_the_problem_release_names(editor, content_folder, fixture_sections, monkeypatch):
    wrong = (
        rules_path().read_text(encoding="utf-8").replace(HARD_TO_WAKE, HARD_TO_WAKE.replace("red-flags", "withdrawal"))
    )
    response = save_data(editor, "rules", wrong)
    assert response.status_code == 200 and workflow.open_data_draft("rules") is None
    shown = response.context["form"].non_field_errors()[0]

    published = rules_path().read_text(encoding="utf-8")
    rules_path().write_text(wrong, encoding="utf-8")  # the same text, released from git, read by a new process
    new_process()
    from_release = data_problems()
    with pytest.raises(Exception, match=r"symptom data cannot be used|symptoms\.E00"):
        call_command("release", verbosity=0, stdout=StringIO(), stderr=StringIO())
    # In plain words, each id by the name the published files gave it when the editor saved.
    rules_path().write_text(published, encoding="utf-8")
    new_process()
    assert from_release and shown == "Not saved: " + "; ".join(datadrafts.plain(from_release))
    assert "/" not in shown and "call-999" not in shown and "Symptom checker rules" in shown  # plain words


def test_rules_that_would_break_a_sections_data_block_are_refused(editor, fixture_sections):
    from itb_portal.booklet.models import Section

    Section.objects.filter(slug="the-trial").update(body="## Signs\n\n[[signs withdrawal]]\n")
    renamed = rules_path().read_text(encoding="utf-8").replace("  withdrawal:", "  too-little:", 1)
    response = save_data(editor, "rules", renamed)
    assert response.status_code == 200
    assert workflow.open_data_draft("rules") is None


def test_an_approver_cannot_approve_their_own_data_edit(editing_approver, client, fixture_sections):
    save_data(editing_approver, "contacts", contacts_text().replace(OLD, NEW))
    response = approve(editing_approver, workflow.open_data_draft("contacts"))
    assert "You cannot approve a draft you edited" in messages_of(response)
    assert NEW not in client.get("/contacts/").content.decode()


def test_a_second_data_edit_from_an_older_version_is_refused_and_kept_as_a_conflict_copy(
    editor, django_user_model, fixture_sections
):
    other = person(django_user_model, "sam", "Editor")
    assert save_data(editor, "contacts", contacts_text().replace(OLD, NEW), version=0).status_code == 302
    response = save_data(other, "contacts", contacts_text().replace(OLD, "0113 392 8888"), version=0)
    assert response.status_code == 200
    assert "another editor saved this draft" in response.content.decode()
    assert NEW in workflow.open_data_draft("contacts").document
    assert "0113 392 8888" in Draft.objects.get(kind="contacts", status=Draft.CONFLICT).document


def test_a_release_with_the_approved_text_puts_the_file_back_in_use(editor, approver, content_folder, fixture_sections):
    save_data(editor, "contacts", contacts_text().replace(OLD, NEW))
    approve(approver, workflow.open_data_draft("contacts"))
    call_command("export_content", stdout=StringIO())  # written back to content/, as for review in git
    assert NEW in contacts_text()
    new_process()  # the release is deployed: a new process reads the files
    call_command("load_content", verbosity=0, directory=str(content_folder / "sections"))
    assert DataFile.objects.get(data="contacts").document == ""  # the file holds it now
    assert load_directory().line("nurse-specialist").phones[0].number == NEW


def test_a_release_keeps_approved_data_unless_forced(editor, approver, content_folder, fixture_sections):
    save_data(editor, "contacts", contacts_text().replace(OLD, NEW))
    approve(approver, workflow.open_data_draft("contacts"))
    out = StringIO()
    (content_folder / "contacts.yaml").write_text(contacts_text().replace("0113 392 7424", "0113 392 7425"))
    call_command("load_content", directory=str(content_folder / "sections"), stdout=out)
    assert "kept data approved in the admin" in out.getvalue()
    assert "data changed since the last release: contacts" not in out.getvalue()  # the file is not in use
    dashboard = approver.get(reverse("admin:editorial_reviewsdue_changelist")).content.decode()
    assert "not yet in git" in dashboard
    assert load_directory().line("nurse-specialist").phones[0].number == NEW
    call_command("load_content", directory=str(content_folder / "sections"), force=True, stdout=StringIO())
    assert load_directory().line("nurse-specialist").phones[0].number == OLD


def test_a_data_draft_started_before_a_release_changed_the_file_is_kept_not_approved(
    editor, approver, content_folder, fixture_sections
):
    save_data(editor, "contacts", contacts_text().replace(OLD, NEW))
    # While the draft waits, a release from git changes a ward's number.
    (content_folder / "contacts.yaml").write_text(contacts_text().replace("0113 392 7424", "0113 392 7425"))
    new_process()
    call_command("load_content", directory=str(content_folder / "sections"), verbosity=0)
    draft = workflow.open_data_draft("contacts")

    assert "has changed since this draft was started" in messages_of(approve(approver, draft))
    assert Draft.objects.get(pk=draft.pk).status == Draft.CONFLICT
    assert load_directory().line("ward-l24").phones[0].number == "0113 392 7425"  # the release stands
    assert load_directory().line("nurse-specialist").phones[0].number == OLD


def test_a_worker_started_during_an_outage_uses_the_approved_numbers_not_the_older_file(
    editor, approver, fixture_sections, monkeypatch
):
    save_data(editor, "contacts", contacts_text().replace(OLD, NEW))
    approve(approver, workflow.open_data_draft("contacts"))
    assert load_directory().line("nurse-specialist").phones[0].number == NEW  # read once, by some worker

    new_process()
    forget_this_process()  # a worker started afresh, with nothing read yet

    def refuse(*args, **kwargs):
        raise OperationalError("connection failed: Connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    assert load_directory().line("nurse-specialist").phones[0].number == NEW


def test_an_earlier_published_version_can_be_restored_as_a_draft(editor, approver, client, fixture_sections):
    save_data(editor, "contacts", contacts_text().replace(OLD, NEW))
    first = workflow.open_data_draft("contacts")
    approve(approver, first)
    save_data(editor, "contacts", contacts_text().replace(OLD, "0113 392 7777"))
    approve(approver, workflow.open_data_draft("contacts"))
    assert "0113 392 7777" in client.get("/contacts/").content.decode()

    assert editor.post(reverse("admin:editorial_draft_restore", args=[first.pk])).status_code == 302
    assert "0113 392 7777" in client.get("/contacts/").content.decode()  # not until approved
    approve(approver, workflow.open_data_draft("contacts"))
    assert NEW in client.get("/contacts/").content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.RESTORED, what="contacts.yaml", who="eddie").exists()


def test_the_preview_shows_the_contacts_page_and_the_emergency_sheet_from_the_draft(editor, client, fixture_sections):
    save_data(editor, "contacts", contacts_text().replace(OLD, NEW))
    preview = editor.get(reverse("admin:editorial_draft_preview", args=[workflow.open_data_draft("contacts").pk]))
    assert preview.status_code == 200 and "no-store" in preview["Cache-Control"]
    assert NEW in preview.content.decode() and NEW not in client.get("/contacts/").content.decode()

    relabelled = rules_path().read_text(encoding="utf-8").replace("Fits (seizures)", "Fits or seizures (fits)")
    assert save_data(editor, "rules", relabelled).status_code == 302
    sheet = editor.get(reverse("admin:editorial_draft_preview", args=[workflow.open_data_draft("rules").pk]))
    assert "fits or seizures (fits)" in sheet.content.decode().lower()  # the sheet starts signs in lower case
    assert "fits or seizures" not in client.get("/symptoms/emergency-sheet/").content.decode().lower()
