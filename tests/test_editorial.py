"""Issue 17: no change to patient advice goes live until a second person, a clinical approver, approves it.

Each rule of sign-off (itb_portal/editorial/workflow.py), proved through the admin's own forms and views.
The same steps in a real browser: tests/test_browser_editorial.py.
"""

import csv
import re
from datetime import timedelta
from html import unescape
from io import StringIO

import pytest
import reversion
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from reversion.models import Version

from itb_portal import pagecache
from itb_portal.audit.models import AppendOnlyError, AuditEntry, record
from itb_portal.booklet.models import Section
from itb_portal.datafiles.models import DataFile
from itb_portal.editorial import roles, workflow
from itb_portal.editorial.documents import word_diff
from itb_portal.editorial.models import Draft
from tests.conftest import person
from tests.test_admin import edit_form

pytestmark = pytest.mark.django_db
NEW_TEXT = "## The test dose\n\nA first dose of 50 micrograms, given by the nurse."


def save_draft(client, section, **changes):
    data = edit_form(section, **changes)
    return client.post(reverse("admin:booklet_section_change", args=[section.pk]), data)


def approve(client, draft, note="", version=None):
    """A clinical approver approves `draft`, which its last editor submits first if they have not."""
    draft.refresh_from_db()
    if draft.is_open and not draft.submitted_at:
        workflow.submit(draft, draft.updated_by)
    url = reverse("admin:editorial_draft_approve", args=[draft.pk])
    return client.post(url, {"note": note, "version": version or draft.version}, follow=True)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_saved_edit_is_a_draft_and_the_public_page_keeps_the_published_text(editor, client, trial):
    version = pagecache.content_version()
    assert save_draft(editor, trial, body=NEW_TEXT).status_code == 302
    page = client.get("/booklet/the-trial/").content.decode()
    assert "25 micrograms" in page and "50 micrograms" not in page
    assert pagecache.content_version() == version  # a draft moves no page on
    draft = workflow.open_draft(trial)
    assert draft.version == 1 and "50 micrograms" in draft.document
    trial.refresh_from_db()
    assert "25 micrograms" in trial.body


def test_the_change_form_carries_on_with_the_open_draft(editor, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    html = editor.get(reverse("admin:booklet_section_change", args=[trial.pk])).content.decode()
    assert "50 micrograms" in html and 'name="draft_version" value="1"' in html
    assert "You are editing a draft" in html


def test_an_approver_publishes_and_the_page_names_them_and_the_date(editor, approver, client, trial):
    approver.user.first_name, approver.user.last_name = "Ada", "Lovelace"
    approver.user.save()
    save_draft(editor, trial, body=NEW_TEXT)
    version = pagecache.content_version()
    response = approve(approver, workflow.open_draft(trial), note="Checked the dose against the booklet.")
    assert "Approved and published" in messages_of(response)
    page = client.get("/booklet/the-trial/").content.decode()
    assert "50 micrograms" in page
    today = timezone.localdate()
    assert f"Reviewed by Ada Lovelace (clinical approver) on {today.day} {today:%B %Y}." in page
    assert "not yet reviewed" not in page and "eddie" not in page
    assert pagecache.content_version() != version
    draft = Draft.objects.get(section=trial)
    assert (draft.status, draft.approved_by.username, draft.approval_note) == (
        Draft.APPROVED,
        "ada",
        "Checked the dose against the booklet.",
    )
    trial.refresh_from_db()
    assert (trial.signed_off_on, trial.signed_off_by, trial.approver_name) == (today, "ada", "Ada Lovelace")
    assert Version.objects.get_for_object(trial).first().revision.comment.startswith("Approved by ada")


def test_an_approver_cannot_approve_their_own_edit(editing_approver, client, trial):
    save_draft(editing_approver, trial, body=NEW_TEXT)
    response = approve(editing_approver, workflow.open_draft(trial))
    assert "You cannot approve a draft you edited" in messages_of(response)
    assert "50 micrograms" not in client.get("/booklet/the-trial/").content.decode()
    assert workflow.open_draft(trial) is not None


def test_anyone_who_edited_the_draft_cannot_approve_it_even_after_someone_else_saved(editing_approver, editor, trial):
    save_draft(editing_approver, trial, body=NEW_TEXT)
    save_draft(editor, trial, body=NEW_TEXT + "\n\nMore.")
    response = approve(editing_approver, workflow.open_draft(trial))
    assert "You cannot approve a draft you edited" in messages_of(response)


def test_an_editor_without_the_approver_permission_cannot_approve(editor, django_user_model, trial):
    other = person(django_user_model, "other-editor", roles.EDITOR)
    save_draft(editor, trial, body=NEW_TEXT)
    response = approve(other, workflow.open_draft(trial))
    assert "Only a clinical approver" in messages_of(response)
    assert workflow.open_draft(trial).status == Draft.OPEN


def test_approving_a_version_older_than_the_draft_is_refused(editor, approver, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    draft = workflow.open_draft(trial)
    save_draft(editor, trial, body=NEW_TEXT + "\n\nA second change.")
    response = approve(approver, draft, version=1)
    assert "saved this draft again" in messages_of(response)
    assert workflow.open_draft(trial).status == Draft.OPEN


def test_the_approver_sees_a_word_level_diff_and_each_changed_field(editor, approver, trial):
    save_draft(editor, trial, body=NEW_TEXT, title="The trial dose", next_review_due="2028-01-01")
    html = approver.get(reverse("admin:editorial_draft_approve", args=[workflow.open_draft(trial).pk])).content.decode()
    diff = html.split('data-testid="part-diff">')[1].split("</div>")[0]
    assert '<del class="editorial-del">25</del><ins class="editorial-ins">50</ins>' in diff
    assert re.search(r'<del class="editorial-del">[^<]*You go home\.</del>', diff)  # removed words struck out
    assert re.search(r'<ins class="editorial-ins">[^<]*nurse\.</ins>', diff)  # added words marked
    assert "A first dose of " in diff  # unchanged words plain
    fields = html.split('data-testid="fields-diff"')[1].split("</table>")[0]
    assert "Title" in fields and "The trial dose" in fields
    # Review dates are set one way only, "Mark as reviewed": the section form does not change them.
    assert "Next review due" not in fields and "2028-01-01" not in fields


def test_the_word_diff_escapes_what_it_shows():
    html = str(word_diff("a <b>safe</b> text", "a <script>x</script> text"))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_second_editor_saving_an_older_version_is_refused_and_both_texts_are_kept(editor, django_user_model, trial):
    other = person(django_user_model, "second-editor", roles.EDITOR)
    first_form = edit_form(trial, body=NEW_TEXT)  # both open the form at draft version 0
    second_form = edit_form(trial, body="## The test dose\n\nA first dose of 75 micrograms.")
    url = reverse("admin:booklet_section_change", args=[trial.pk])
    assert editor.post(url, first_form).status_code == 302
    refused = other.post(url, second_form)
    assert refused.status_code == 200  # the form again, with their text and a message
    html = refused.content.decode()
    assert "another editor saved this draft after you opened it" in html
    assert "75 micrograms" in html
    open_one = workflow.open_draft(trial)
    assert "50 micrograms" in open_one.document and open_one.version == 1
    copy = Draft.objects.get(section=trial, status=Draft.CONFLICT)
    assert "75 micrograms" in copy.document and copy.updated_by.username == "second-editor"
    assert AuditEntry.objects.filter(action=AuditEntry.CONFLICT, who="second-editor").exists()
    # The refusal names the conflict copy, and the page links to it.
    assert f"Your text is kept as a conflict copy, draft #{copy.pk}" in html
    assert 'data-testid="conflict-copy"' in html and reverse("admin:editorial_draft_change", args=[copy.pk]) in html
    # Saving the same stale form again is refused again: never written over the open draft.
    assert other.post(url, second_form).status_code == 200
    assert "50 micrograms" in workflow.open_draft(trial).document


def test_a_save_that_loses_the_race_after_the_form_check_is_a_conflict_copy_too(editor, trial):
    with pytest.raises(workflow.Conflict) as conflict:
        workflow.save_draft(trial, editor.user, seen=0)
        workflow.save_draft(trial, editor.user, seen=0)
    copy = Draft.objects.get(pk=conflict.value.conflict_copy.pk)
    assert copy.status == Draft.CONFLICT and workflow.open_draft(trial).version == 1


def test_the_preview_shows_the_draft_exactly_as_the_page_will(editor, client, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    draft = workflow.open_draft(trial)
    preview = editor.get(reverse("admin:editorial_draft_preview", args=[draft.pk]))
    assert preview.status_code == 200 and "no-store" in preview["Cache-Control"]
    html = preview.content.decode()
    assert "50 micrograms" in html and 'data-testid="section-body"' in html
    public = client.get("/booklet/the-trial/").content.decode()
    assert public.split("<h1")[0].count("<nav") == html.split("<h1")[0].count("<nav")  # the same page around it
    assert client.get(reverse("admin:editorial_draft_preview", args=[draft.pk])).status_code == 302  # sign in


def test_a_draft_that_names_a_block_the_data_cannot_fill_is_refused_at_the_form(editor, trial):
    response = save_draft(editor, trial, body="Call [[phone nobody]].")
    assert response.status_code == 200 and workflow.open_draft(trial) is None


def test_restoring_an_earlier_version_makes_a_draft_that_needs_approval(editor, approver, client, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    approve(approver, workflow.open_draft(trial))
    loaded = Version.objects.get_for_object(trial).last()
    url = reverse("admin:booklet_section_revision", args=[trial.pk, loaded.pk])
    assert editor.post(url, edit_form(trial, body=loaded.field_dict["body"])).status_code == 302
    assert "50 micrograms" in client.get("/booklet/the-trial/").content.decode()  # not yet
    assert AuditEntry.objects.filter(action=AuditEntry.RESTORED, who="eddie").exists()
    approve(approver, workflow.open_draft(trial))
    assert "25 micrograms" in client.get("/booklet/the-trial/").content.decode()


# The admin's add form for a section nobody has published yet.
NEW_SECTION = {
    "title": "Travel",
    "slug": "travel",
    "summary": "Going away with a pump.",
    "order": 9,
    "is_published": "on",
    "body": "## Before you go\n\nTell the team when you travel.",
    "last_reviewed": "2026-11-01",
    "next_review_due": "2027-11-01",
    "sources": "",
    "draft_version": 0,
}


def test_a_new_section_is_hidden_until_approved(editor, approver, client, fixture_sections):
    url = reverse("admin:booklet_section_add")
    form = dict(NEW_SECTION)
    assert editor.post(url, form).status_code == 302
    assert client.get("/booklet/travel/").status_code == 404
    approve(approver, workflow.open_draft(Section.objects.get(slug="travel")))
    assert client.get("/booklet/travel/").status_code == 200


def test_a_draft_started_before_a_release_changed_the_section_is_kept_not_approved(
    editor, approver, client, content_dir
):
    call_command("load_content", directory=str(content_dir), verbosity=0)
    trial = Section.objects.get(slug="the-trial")
    save_draft(editor, trial, body=NEW_TEXT)
    # While the draft waits, a release from git changes the same section.
    path = next(p for p in content_dir.glob("*.md") if "slug: the-trial" in p.read_text())
    path.write_text(path.read_text() + "\nA sentence the release added.\n")
    call_command("load_content", directory=str(content_dir), verbosity=0)
    draft = workflow.open_draft(trial)

    refusal = messages_of(approve(approver, draft))
    assert "has changed since this draft was started" in refusal and f"draft #{draft.pk}" in refusal
    assert Draft.objects.get(pk=draft.pk).status == Draft.CONFLICT  # its text is kept, for its editor
    page = client.get("/booklet/the-trial/").content.decode()
    assert "A sentence the release added." in page and "first dose of 50 micrograms" not in page
    assert AuditEntry.objects.filter(action=AuditEntry.CONFLICT, who="ada", what="section the-trial").exists()


def test_a_review_marked_while_a_draft_waits_does_not_stop_its_approval(
    editor, approver, client, trial, django_user_model
):
    save_draft(editor, trial, body=NEW_TEXT)
    ada = django_user_model.objects.get(username="ada")
    workflow.mark_section_reviewed(Section.objects.get(pk=trial.pk), ada, timezone.localdate() + timedelta(days=365))
    assert "Approved and published" in messages_of(approve(approver, workflow.open_draft(trial)))
    assert "first dose of 50 micrograms" in client.get("/booklet/the-trial/").content.decode()


def test_the_audit_log_records_each_step_and_cannot_be_changed(editor, approver, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    approve(approver, workflow.open_draft(trial), note="ok")
    steps = list(AuditEntry.objects.filter(what="section the-trial").order_by("pk").values_list("who", "action"))
    assert steps[-4:] == [
        ("eddie", AuditEntry.DRAFTED),
        ("eddie", AuditEntry.SUBMITTED),
        ("ada", AuditEntry.APPROVED),
        ("ada", AuditEntry.PUBLISHED),
    ]
    entry = AuditEntry.objects.first()
    entry.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(detail="x")


def test_the_audit_log_is_read_only_in_the_admin(approver, admin_client):
    record(AuditEntry.DRAFTED, "section x", "someone")
    entry = AuditEntry.objects.get()
    assert approver.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    admin_client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_export_content_writes_the_audit_log(editor, trial, tmp_path):
    save_draft(editor, trial, body=NEW_TEXT)
    call_command("export_content", directory=str(tmp_path / "sections"), stdout=StringIO())
    with (tmp_path / "audit-log.csv").open(encoding="utf-8") as log:
        rows = list(csv.DictReader(log))
    assert {"who": "eddie", "action": "drafted", "what": "section the-trial"}.items() <= rows[-1].items()


def test_a_release_from_git_records_its_commit_but_is_no_clinical_check(content_dir, monkeypatch, client):
    monkeypatch.setenv("ITB_GIT_COMMIT", "0123456789abcdef0123")
    call_command("load_content", directory=str(content_dir), verbosity=0)
    trial = Section.objects.get(slug="the-trial")
    assert (trial.signed_off_on, trial.signed_off_by, trial.approver_name) == (None, "", "")
    assert AuditEntry.objects.filter(action=AuditEntry.RELEASED, what="section the-trial", who="git 0123456789ab")
    rules = DataFile.objects.get(data=DataFile.RULES)
    assert (rules.signed_off_on, rules.signed_off_by) == (None, "")
    for path in ("/booklet/the-trial/", "/symptoms/"):
        page = client.get(path).content.decode()
        assert "A clinician has not yet reviewed this page." in page and "Reviewed by" not in page, path


def test_the_dashboard_lists_everything_overdue_first(approver, fixture_sections):
    html = approver.get(reverse("admin:editorial_reviewsdue_changelist")).content.decode()
    rows = re.findall(r'data-key="([^"]+)" data-overdue="(yes|no)"', html)
    keys = [key for key, _ in rows]
    overdue = [flag for _, flag in rows]
    assert overdue == sorted(overdue, key=lambda flag: flag != "yes")  # every overdue row before the rest
    assert overdue[0] == "yes"
    assert dict(rows)[f"section:{Section.objects.get(slug='spasticity').pk}"] == "yes"
    assert {"data:contacts", "data:rules"} <= set(keys) and len(keys) == 5
    for heading in ("Last clinical review", "Next review due", "Numbers last confirmed", "Last approved"):
        assert heading in html


def test_mark_as_reviewed_needs_an_approver_a_confirmation_and_a_post(approver, editor, client, fixture_sections):
    spasticity = Section.objects.get(slug="spasticity")
    url = reverse("admin:editorial_reviewsdue_mark_reviewed")
    item = f"section:{spasticity.pk}"
    next_due = (timezone.localdate() + timedelta(days=365)).isoformat()
    assert editor.post(url, {"item": item, "next_review_due": next_due, "confirm": "on"}).status_code == 403
    confirm_page = approver.get(url, {"item": item})
    assert confirm_page.status_code == 200 and "csrfmiddlewaretoken" in confirm_page.content.decode()
    unconfirmed = approver.post(url, {"item": item, "next_review_due": next_due})
    assert unconfirmed.status_code == 200  # shown again: the box was not ticked
    spasticity.refresh_from_db()
    assert spasticity.is_overdue_for_review()
    done = approver.post(url, {"item": item, "next_review_due": next_due, "confirm": "on"})
    assert done.status_code == 302
    spasticity.refresh_from_db()
    assert spasticity.last_reviewed == timezone.localdate() and spasticity.next_review_due.isoformat() == next_due
    assert spasticity.signed_off_by == "ada"
    assert AuditEntry.objects.filter(action=AuditEntry.REVIEWED, who="ada", what="section spasticity").exists()
    page = client.get("/booklet/spasticity/").content.decode()
    assert "was due for" not in page and "not yet reviewed" not in page
    today, due = timezone.localdate(), spasticity.next_review_due
    assert f"Reviewed by ada (clinical approver) on {today.day} {today:%B %Y}. Next review due by {due.day}" in page


def test_marking_a_data_file_reviewed_gives_its_pages_the_new_dates(approver, client, fixture_sections):
    url = reverse("admin:editorial_reviewsdue_mark_reviewed")
    next_due = timezone.localdate() + timedelta(days=200)
    assert approver.post(url, {"item": "data:rules", "next_review_due": next_due, "confirm": "on"}).status_code == 302
    page = client.get("/symptoms/").content.decode()
    assert f"{next_due.day} {next_due:%B %Y}" in page
    assert DataFile.objects.get(data=DataFile.RULES).signed_off_by == "ada"


def test_mark_as_reviewed_refuses_a_date_not_after_today(approver, fixture_sections):
    url = reverse("admin:editorial_reviewsdue_mark_reviewed")
    today = timezone.localdate().isoformat()
    item = f"section:{Section.objects.get(slug='spasticity').pk}"
    assert approver.post(url, {"item": item, "next_review_due": today, "confirm": "on"}).status_code == 200
    assert not AuditEntry.objects.filter(action=AuditEntry.REVIEWED).exists()


def test_the_groups_have_the_least_each_role_needs():
    editor = set(Group.objects.get(name=roles.EDITOR).permissions.values_list("codename", flat=True))
    approver = set(Group.objects.get(name=roles.APPROVER).permissions.values_list("codename", flat=True))
    assert "change_section" in editor and "approve_draft" not in editor
    assert "approve_draft" in approver and "change_section" not in approver
    for group in (editor, approver):
        assert not {code for code in group if code.startswith("delete_")}
        assert "change_auditentry" not in group and "add_auditentry" not in group
        assert "change_draft" not in group


def test_the_migration_made_the_groups_the_roles_describe():
    from importlib import import_module

    made = import_module("itb_portal.editorial.migrations.0002_editor_and_clinical_approver_groups").GROUPS
    feedback = import_module("itb_portal.editorial.migrations.0006_groups_read_feedback").FEEDBACK
    # Later migrations moved and renamed these: datafiles 0001 (the data file record) and editorial 0007.
    renamed = {
        ("contacts", "view_datareview"): ("datafiles", "view_datafile"),
        ("contacts", "change_datareview"): ("datafiles", "change_datafile"),
        ("editorial", "view_reviewdashboard"): ("editorial", "view_reviewsdue"),
    }
    assert {name: {renamed.get(p, p) for p in wanted} | set(feedback) for name, wanted in made.items()} == {
        name: set(wanted) for name, wanted in roles.GROUPS.items()
    }
    for name, wanted in roles.GROUPS.items():
        have = Group.objects.get(name=name).permissions.all()
        assert set(have) == {Permission.objects.get(content_type__app_label=a, codename=c) for a, c in wanted}


def test_nobody_can_delete_a_section_in_the_admin_not_even_a_superuser(admin_client, client, trial):
    delete_page = reverse("admin:booklet_section_delete", args=[trial.pk])
    assert admin_client.get(delete_page).status_code == 403
    assert admin_client.post(delete_page, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:booklet_section_changelist")
    action = {"action": "delete_selected", "_selected_action": [trial.pk], "post": "yes"}
    admin_client.post(changelist, action)
    assert "delete_selected" not in admin_client.get(changelist).content.decode()
    assert client.get("/booklet/the-trial/").status_code == 200


def test_a_deleted_section_recovered_from_its_history_is_hidden_until_approved(editor, approver, client, trial):
    with reversion.create_revision():
        trial.save()  # a version to recover from
    trial.delete()  # outside the admin, which no longer deletes (a shell, or an older version of the site)
    assert client.get("/booklet/the-trial/").status_code == 404
    version = Version.objects.get_deleted(Section).first()
    url = reverse("admin:booklet_section_recover", args=[version.pk])
    assert editor.post(url, edit_form(trial)).status_code == 302
    assert client.get("/booklet/the-trial/").status_code == 404  # back, but hidden until approved
    approve(approver, workflow.open_draft(Section.objects.get(slug="the-trial")))
    assert "25 micrograms" in client.get("/booklet/the-trial/").content.decode()


@hypothesis_settings(max_examples=200, deadline=None)
@given(before=st.text(alphabet="ab <&>\n", max_size=40), after=st.text(alphabet="ab <&>\n", max_size=40))
def test_the_word_diff_loses_nothing_either_text_holds(before, after):
    """Without its insertions the diff reads as the published text; without its deletions, as the draft."""
    html = str(word_diff(before, after))
    published = re.sub(r'<ins class="editorial-ins">.*?</ins>', "", html, flags=re.S)
    draft = re.sub(r'<del class="editorial-del">.*?</del>', "", html, flags=re.S)
    strip = lambda text: unescape(re.sub(r"</?(del|ins)[^>]*>", "", text))  # noqa: E731
    assert strip(published) == before and strip(draft) == after
