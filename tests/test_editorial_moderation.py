"""Issue 23: sign-off a nurse specialist can use. No silent undo; Save draft, Submit, Approve, Send back,
Discard, each audited and on the draft's timeline; emails at each step; contacts as forms; plain errors;
list actions only for those allowed, audited (issue 21 item 4); export of approved work only.
The same through the real admin in a browser: tests/test_browser_editorial.py."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from itb_portal import datafiles
from itb_portal.audit.models import AuditEntry
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import contacts_path
from itb_portal.datafiles.models import DataFile
from itb_portal.editorial import contactform, workflow
from itb_portal.editorial.models import Draft, DraftStep
from itb_portal.symptoms.rules import rules_path
from tests.conftest import FIXTURES, person
from tests.test_admin import edit_form
from tests.test_editorial import NEW_SECTION, NEW_TEXT, approve, messages_of, save_draft

pytestmark = pytest.mark.django_db
OLD, NEW = "0113 392 2178", "0113 392 9999"


def step(client, draft, name, **data):
    return client.post(reverse("admin:editorial_draft_step", args=[draft.pk]), {"step": name, **data}, follow=True)


def page_of(client, draft) -> str:
    return client.get(reverse("admin:editorial_draft_approve", args=[draft.pk])).content.decode()


# --- No silent undo ---------------------------------------------------------------------------------------


def test_a_save_from_a_form_opened_before_another_draft_was_approved_is_refused(editor, approver, client, trial):
    """Issue 23's silent undo: B opens the section, A's draft is approved, then B saves."""
    second = person(type(editor.user), "sam", "Editor")
    opened_by_b = edit_form(trial, body="## The test dose\n\nA first dose of 25 micrograms.\n\nB's own line.")
    save_draft(editor, trial, body=NEW_TEXT)
    approve(approver, workflow.open_draft(trial))
    assert "50 micrograms" in client.get("/booklet/the-trial/").content.decode()

    refused = second.post(reverse("admin:booklet_section_change", args=[trial.pk]), opened_by_b)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "what patients see has changed since you opened this page" in html
    assert 'data-testid="moved-current"' in html and 'data-testid="moved-yours"' in html  # side by side
    assert "50 micrograms" in html and "B&#x27;s own line." in html
    assert workflow.open_draft(trial) is None  # nothing saved over A's change
    assert AuditEntry.objects.filter(
        action=AuditEntry.CONFLICT, who="sam", detail__contains="published version 1"
    ).exists()


def test_carrying_the_change_over_puts_it_onto_the_current_text(editor, approver, trial):
    second = person(type(editor.user), "sam", "Editor")
    body = trial.body
    opened_by_b = edit_form(trial, body=body + "\n\nB's own line.")
    save_draft(editor, trial, body=body.replace("25 micrograms", "50 micrograms"))
    approve(approver, workflow.open_draft(trial))
    url = reverse("admin:booklet_section_change", args=[trial.pk])
    carried = second.post(url, {**opened_by_b, "_carry_over": "Carry my change over"})
    form = carried.context["adminform"].form
    assert "50 micrograms" in form.data["body"] and "B's own line." in form.data["body"]  # both changes
    assert int(form.data["published_version"]) == workflow.published_version(trial).number
    assert workflow.open_draft(trial) is None  # shown to check, not saved
    saved = second.post(
        url, {**opened_by_b, **{k: form.data[k] for k in ("body", "published_version", "draft_version")}}
    )
    assert saved.status_code == 302
    document = workflow.open_draft(trial).document
    assert "50 micrograms" in document and "B's own line." in document


def test_published_and_draft_version_numbers_only_go_up(editor, approver, trial):
    first = workflow.published_version(trial).number
    save_draft(editor, trial, body=NEW_TEXT)
    draft = workflow.open_draft(trial)
    approve(approver, draft)
    assert workflow.published_version(trial).number == first + 1
    save_draft(editor, trial, body=NEW_TEXT + "\n\nMore.")
    again = workflow.open_draft(trial)
    assert again.version > draft.version  # a new draft carries on from the last one's number
    assert again.base_version == first + 1


def test_a_data_file_saved_from_an_older_published_version_is_refused(editor, approver, fixture_sections):
    text = contacts_path().read_text(encoding="utf-8")
    url = reverse("admin:editorial_draft_data", args=["contacts"])
    opened = workflow.published_version(None, "contacts").number
    editor.post(url, {"document": text.replace(OLD, NEW), "draft_version": 0, "published_version": opened})
    approve(approver, workflow.open_data_draft("contacts"))
    other = person(type(editor.user), "sam", "Editor")
    refused = other.post(
        url + "?raw=1",
        {"document": text.replace("0113 392 7424", "0113 392 7420"), "draft_version": 0, "published_version": opened},
    )
    assert refused.status_code == 200 and "what patients see has changed" in refused.content.decode()
    assert workflow.open_data_draft("contacts") is None
    assert NEW in datafiles.CONTACTS.text_in_use()  # the corrected number did not come back
    carried = refused.context["moved"].carried
    assert NEW in carried and "0113 392 7420" in carried


# --- Moderation steps, their audit, timeline and emails ------------------------------------------------------


def test_a_saved_draft_cannot_be_approved_until_submitted_and_the_refusal_is_audited(editor, approver, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    draft = workflow.open_draft(trial)
    url = reverse("admin:editorial_draft_approve", args=[draft.pk])
    assert 'data-testid="approve"' not in page_of(approver, draft)  # no button that only refuses
    response = approver.post(url, {"version": draft.version, "note": ""}, follow=True)
    assert "has not been submitted" in messages_of(response)
    assert AuditEntry.objects.filter(action=AuditEntry.REFUSED, who="ada").exists()
    assert draft.steps.filter(step=DraftStep.REFUSED).exists()


def test_submit_then_approve_emails_the_approvers_then_the_editor(editor, approver, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    draft = workflow.open_draft(trial)
    assert mail.outbox == []  # saving tells nobody
    step(editor, draft, "submit")
    assert [m.to for m in mail.outbox] == [["ada@example.nhs.uk"]]
    assert "Waiting for your approval: The trial" in mail.outbox[0].subject
    assert reverse("admin:editorial_draft_approve", args=[draft.pk]) in mail.outbox[0].body
    approve(approver, draft)
    assert mail.outbox[1].to == ["eddie@example.nhs.uk"] and "Approved and published" in mail.outbox[1].subject
    html = page_of(editor, draft)
    for words in ("Saved", "Submitted for approval", "Approved and published"):
        assert f"<strong>{words}</strong>" in html  # the timeline


def test_send_back_shows_the_comment_to_the_editor_and_emails_them_without_it(editor, approver, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    draft = workflow.open_draft(trial)
    step(editor, draft, "submit")
    assert "Say what should change" in messages_of(step(approver, draft, "send-back", comment=""))
    step(approver, draft, "send-back", comment="Please give the dose range, not one dose.")
    draft.refresh_from_db()
    assert draft.state == "Sent back to the editor" and draft.submitted_at is None
    section_page = editor.get(reverse("admin:booklet_section_change", args=[trial.pk])).content.decode()
    assert "Please give the dose range, not one dose." in section_page
    sent = mail.outbox[-1]
    assert sent.to == ["eddie@example.nhs.uk"] and "Sent back" in sent.subject
    assert "dose range" not in sent.body  # the comment stays in the admin
    assert AuditEntry.objects.filter(action=AuditEntry.SENT_BACK, who="ada").exists()
    assert "has not been submitted" in messages_of(approve_without_submitting(approver, draft))


def approve_without_submitting(client, draft):
    url = reverse("admin:editorial_draft_approve", args=[draft.pk])
    return client.post(url, {"version": draft.version, "note": ""}, follow=True)


def test_discard_keeps_the_published_text_and_the_draft_row(editor, client, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    draft = workflow.open_draft(trial)
    assert "Discarded" in messages_of(step(editor, draft, "discard"))
    draft.refresh_from_db()
    assert draft.status == Draft.DISCARDED and workflow.open_draft(trial) is None
    assert "25 micrograms" in client.get("/booklet/the-trial/").content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.DISCARDED, who="eddie").exists()


def test_an_approver_cannot_send_back_or_discard_what_they_are_not_allowed_to(editor, approver, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    draft = workflow.open_draft(trial)
    assert "not waiting for approval" in messages_of(step(approver, draft, "send-back", comment="x"))
    assert "Only an editor can discard" in messages_of(step(approver, draft, "discard"))
    assert workflow.open_draft(trial) is not None


def test_an_author_who_is_an_approver_sees_no_approve_button(editing_approver, trial):
    save_draft(editing_approver, trial, body=NEW_TEXT)
    draft = workflow.open_draft(trial)
    step(editing_approver, draft, "submit")
    html = page_of(editing_approver, draft)
    assert 'data-testid="approve"' not in html and "another clinical approver must approve it" in html


def test_taking_a_page_down_is_its_own_step_and_its_approval_says_so(editor, approver, client, trial):
    url = reverse("admin:editorial_draft_unpublish", args=[trial.pk])
    assert "goes off the site" in editor.get(url).content.decode()
    versions = {"draft_version": 0, "published_version": workflow.published_version(trial).number}
    assert editor.post(url, versions).status_code == 302
    draft = workflow.open_draft(trial)
    assert draft.is_submitted
    html = page_of(approver, draft)
    assert "takes the page “The trial” off the site" in html and "Approve and take the page off the site" in html
    preview = approver.get(reverse("admin:editorial_draft_preview", args=[draft.pk]))
    assert preview.status_code == 302  # no page shown as live
    approve(approver, draft)
    assert client.get("/booklet/the-trial/").status_code == 404


def test_an_edit_saved_while_a_page_is_being_taken_down_keeps_the_take_down(editor, approver, client, trial):
    # The change form carries on with the draft, fields it does not show (whether patients see the page) included.
    url = reverse("admin:editorial_draft_unpublish", args=[trial.pk])
    editor.post(url, {"draft_version": 0, "published_version": workflow.published_version(trial).number})
    assert save_draft(editor, trial, body=NEW_TEXT).status_code == 302
    draft = workflow.open_draft(trial)
    assert "published: false" in draft.document and "50 micrograms" in draft.document
    approve(approver, draft)
    assert client.get("/booklet/the-trial/").status_code == 404


# --- Pages for the person looking -----------------------------------------------------------------------


def test_a_viewer_sees_read_only_pages_that_say_so(django_user_model, editor, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    viewer = person(django_user_model, "vic")
    from django.contrib.auth.models import Permission

    viewer.user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_section", "view_draft", "view_reviewsdue"])
    )
    html = viewer.get(reverse("admin:booklet_section_change", args=[trial.pk])).content.decode()
    assert "Read only." in html and "You are editing a draft" not in html and "Save draft" not in html
    data = viewer.get(reverse("admin:editorial_draft_data", args=["contacts"])).content.decode()
    assert "Read only." in data and "Save draft" not in data


def test_the_drafts_list_shows_what_waits_for_an_approver_with_a_link(editor, approver, trial):
    save_draft(editor, trial, body=NEW_TEXT)
    draft = workflow.open_draft(trial)
    changelist = reverse("admin:editorial_draft_changelist")
    assert "Check and approve: The trial" not in approver.get(changelist).content.decode()  # not submitted
    step(editor, draft, "submit")
    html = approver.get(changelist).content.decode()
    assert f'href="{reverse("admin:editorial_draft_approve", args=[draft.pk])}">Check and approve: The trial' in html
    mine = editor.get(changelist).content.decode()
    assert 'data-testid="your-drafts"' in mine and "Waiting for approval" in mine


def test_the_diff_shows_only_the_changed_parts_with_the_text_as_patients_read_it(editor, approver, trial):
    body = "\n\n".join(f"Paragraph {n} says something calm." for n in range(20))
    Section.objects.filter(pk=trial.pk).update(body=body)
    trial.refresh_from_db()
    save_draft(editor, trial, body=body.replace("Paragraph 10 says", "Paragraph 10 now says"))
    html = page_of(approver, workflow.open_draft(trial))
    assert html.count('data-testid="changed-part"') == 1
    assert "Paragraph 9 " in html and "Paragraph 11 " in html and "Paragraph 3 " not in html  # context only
    assert re.search(r'<ins class="editorial-ins">\s*now\s*</ins>', html)  # the raw text's word diff
    assert "<p>Paragraph 10 now says something calm.</p>" in html  # rendered beside the raw text


# --- Data files as forms, checked in plain words ----------------------------------------------------------


def test_a_contacts_line_is_edited_through_its_own_form(editor, fixture_sections):
    url = reverse("admin:editorial_draft_data", args=["contacts"])
    html = editor.get(url).content.decode()
    assert 'data-line="nurse-specialist"' in html and 'name="nurse-specialist-phone_0_number"' in html
    text = datafiles.CONTACTS.text_in_use()
    data = {"draft_version": 0, "published_version": workflow.published_version(None, "contacts").number}
    for line in contactform.lines(text):
        data[f"{line['id']}-name"] = line["name"]
        data[f"{line['id']}-hours"] = line["hours"]
        for index, (label, number) in enumerate(line["phones"]):
            data[f"{line['id']}-phone_{index}_label"] = label
            data[f"{line['id']}-phone_{index}_number"] = number
    data["nurse-specialist-phone_0_number"] = NEW
    assert editor.post(url, data).status_code == 302
    draft = workflow.open_data_draft("contacts")
    assert draft.document == text.replace(f'number: "{OLD}"', f'number: "{NEW}"')  # only that value rewritten


def test_a_999_action_that_does_not_say_999_is_refused_in_plain_words(editor, fixture_sections):
    text = rules_path().read_text(encoding="utf-8")
    wrong = text.replace(
        "action: Call 999 for an ambulance now. Do not drive to hospital yourself.",
        "action: Wait and see if it passes.",
    )
    assert wrong != text
    response = editor.post(
        reverse("admin:editorial_draft_data", args=["rules"]),
        {"document": wrong, "draft_version": 0, "published_version": workflow.published_version(None, "rules").number},
    )
    assert response.status_code == 200 and workflow.open_data_draft("rules") is None
    shown = response.context["form"].non_field_errors()[0]
    assert "must say 999" in shown and "Wait and see" in shown
    assert "call-999" not in shown and "/" not in shown


def test_the_rules_page_shows_levels_signs_and_actions_as_tables(editor, fixture_sections):
    html = editor.get(reverse("admin:editorial_draft_data", args=["rules"])).content.decode()
    assert 'data-testid="rules-levels"' in html and "Call 999 for an ambulance now." in html
    assert "When the ITB team is closed" in html and "Fits (seizures)" in html


# --- Admin list actions: allowed permissions, audited (issue 21 item 4) ------------------------------------


def test_list_actions_that_change_what_patients_see_need_permission_and_are_audited(editor, approver, trial):
    call_command("load_content", verbosity=0, directory=str(FIXTURES / "content"))
    contacts = DataFile.objects.get(data=DataFile.CONTACTS)
    changelist = reverse("admin:datafiles_datafile_changelist")
    editor.post(changelist, {"action": "numbers_confirmed_today", "_selected_action": [contacts.pk]})
    contacts.refresh_from_db()
    assert contacts.numbers_confirmed_on != timezone.localdate()  # an editor cannot
    sections = reverse("admin:booklet_section_changelist")
    editor.post(sections, {"action": "review_started_today", "_selected_action": [trial.pk]})
    trial.refresh_from_db()
    assert trial.review_started_on is None

    approver.post(changelist, {"action": "numbers_confirmed_today", "_selected_action": [contacts.pk]})
    approver.post(sections, {"action": "review_started_today", "_selected_action": [trial.pk]})
    contacts.refresh_from_db()
    trial.refresh_from_db()
    assert contacts.numbers_confirmed_on == timezone.localdate() and trial.review_started_on == timezone.localdate()
    actions = set(AuditEntry.objects.filter(who="ada").values_list("action", "what"))
    assert {(AuditEntry.NUMBERS_CHECKED, "contacts"), (AuditEntry.REVIEW_STARTED, "section the-trial")} <= actions


def test_numbers_cannot_be_recorded_as_confirmed_on_a_day_to_come(approver, fixture_sections):
    call_command("load_content", verbosity=0, directory=str(FIXTURES / "content"))
    contacts = DataFile.objects.get(data=DataFile.CONTACTS)
    url = reverse("admin:datafiles_datafile_change", args=[contacts.pk])
    # The numbers' check has no date to type: a posted one is ignored, never recorded.
    approver.post(url, {"review_started_on": "", "numbers_confirmed_on": "2099-01-01"})
    contacts.refresh_from_db()
    assert contacts.numbers_confirmed_on != date(2099, 1, 1)
    # A review cannot be said to start on a day to come either.
    response = approver.post(url, {"review_started_on": "2099-01-01"})
    assert response.status_code == 200 and "in the future" in response.content.decode()
    contacts.refresh_from_db()
    assert contacts.review_started_on != date(2099, 1, 1)


# --- Export, feedback, local users ---------------------------------------------------------------------


def test_export_content_leaves_out_a_new_section_nobody_approved(editor, approver, fixture_sections, tmp_path):
    form = dict(NEW_SECTION)
    assert editor.post(reverse("admin:booklet_section_add"), form).status_code == 302
    out = StringIO()
    call_command("export_content", directory=str(tmp_path / "sections"), stdout=out)
    assert not list((tmp_path / "sections").glob("*travel*")) and "left out travel" in out.getvalue()
    approve(approver, workflow.open_draft(Section.objects.get(slug="travel")))
    call_command("export_content", directory=str(tmp_path / "sections"), stdout=StringIO())
    assert len(list((tmp_path / "sections").glob("*travel*"))) == 1


def test_editors_and_approvers_read_the_feedback(editor, approver):
    for client in (editor, approver):
        assert client.get(reverse("admin:feedback_comment_changelist")).status_code == 200
        assert client.get(reverse("admin:feedback_answercount_changelist")).status_code == 200


def test_make_users_works_in_development_only(settings, django_user_model):
    with pytest.raises(CommandError, match="development machine only"):
        call_command("make_users", stdout=StringIO())
    assert not django_user_model.objects.filter(username="editor").exists()
    settings.DEBUG = True
    out = StringIO()
    call_command("make_users", stdout=out)
    editor = django_user_model.objects.get(username="editor")
    password = out.getvalue().split("editor (Editor): password ")[1].split()[0]
    assert editor.check_password(password) and editor.is_staff and not editor.is_superuser
    assert django_user_model.objects.get(username="approver").has_perm("editorial.approve_draft")


def test_a_page_taken_off_the_site_can_be_put_back_the_same_way(editor, approver, client, trial):
    url = reverse("admin:editorial_draft_unpublish", args=[trial.pk])
    for shown in (False, True):
        versions = {"draft_version": 0, "published_version": workflow.published_version(trial).number}
        editor.post(url, versions)
        draft = workflow.open_draft(trial)
        fields = page_of(approver, draft).split('data-testid="fields-diff"')[1].split("</table>")[0]
        assert "Shown to patients" in fields and ('<ins class="editorial-ins">Yes' if shown else "No</ins>") in fields
        approve(approver, draft)
        assert (client.get("/booklet/the-trial/").status_code == 200) is shown
