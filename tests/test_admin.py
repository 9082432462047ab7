"""Editors work in the admin: an edit is a draft until a second person, a clinical approver, publishes
it; every published version is a revision, and any revision can be restored (as a draft, approved again)."""

import pytest
import reversion
from django.contrib.messages import get_messages
from django.urls import reverse
from reversion.models import Version

from itb_portal.audit.models import AuditEntry
from itb_portal.booklet.models import Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("nurse", "nurse@example.nhs.uk", "a-long-test-password-123")
    client.force_login(user)
    return client


def edit_form(section, **changes):
    """The section form as the admin posts it, started from the section's open draft (if any)."""
    from itb_portal.editorial.workflow import draft_version, published_version

    data = {
        "draft_version": draft_version(section),
        # The published version the form was opened on ("" for a section not in the database, being recovered).
        "published_version": published_version(section.pk).number
        if type(section).objects.filter(pk=section.pk)
        else "",
        "title": section.title,
        "slug": section.slug,
        "summary": section.summary,
        "order": section.order,
        "is_published": "on",
        "body": section.body,
        "last_reviewed": section.last_reviewed.isoformat(),
        "next_review_due": section.next_review_due.isoformat(),
        "sources": section.sources,
    }
    data.update(changes)
    return data


def publish(section):
    """A second person, a clinical approver who did not edit it, approves the section's open draft."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from itb_portal.editorial.workflow import open_draft, submit

    approver, _ = User.objects.get_or_create(username="second-approver", defaults={"is_staff": True})
    approver.groups.add(Group.objects.get(name="Clinical approver"))
    client = Client()
    client.force_login(approver)
    draft = open_draft(section)
    assert draft is not None, "no draft waiting for approval"
    if not draft.submitted_at:  # its editor says it is ready
        submit(draft, draft.updated_by)
    response = client.post(reverse("admin:editorial_draft_approve", args=[draft.pk]), {"version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved", [str(m) for m in get_messages(response.wsgi_request)]
    section.refresh_from_db()
    return section


def test_edit_history_restore_brings_back_the_earlier_text(editor, fixture_sections):
    section = Section.objects.get(slug="the-trial")
    change_url = reverse("admin:booklet_section_change", args=[section.pk])
    original_body = section.body

    response = editor.post(change_url, edit_form(section, body="## New text\n\nA nurse rewrote this."))
    assert response.status_code == 302
    section.refresh_from_db()
    assert "A nurse rewrote this." not in section.body_html  # a draft, until approved
    publish(section)
    assert "A nurse rewrote this." in section.body_html
    assert section.edited_in_admin

    history = editor.get(reverse("admin:booklet_section_history", args=[section.pk]))
    assert history.status_code == 200
    versions = Version.objects.get_for_object(section)
    assert versions.count() == 2  # the load, then the edit
    loaded_version = versions.last()
    assert loaded_version.revision.comment.startswith("Loaded from")

    revision_url = reverse("admin:booklet_section_revision", args=[section.pk, loaded_version.pk])
    form_page = editor.get(revision_url)
    assert form_page.status_code == 200
    assert "25 micrograms" in form_page.content.decode()

    restored = editor.post(revision_url, edit_form(section, body=original_body))
    assert restored.status_code == 302
    section.refresh_from_db()
    assert "A nurse rewrote this." in section.body_html  # the restored text is a draft, until approved
    publish(section)
    assert section.body.strip() == original_body.strip()
    assert "25 micrograms" in section.body_html
    assert Version.objects.get_for_object(section).count() == 3  # nothing was lost: the edit is still there
    assert AuditEntry.objects.filter(action=AuditEntry.RESTORED, what="section the-trial").exists()


def test_admin_list_flags_sections_past_their_review_date(editor, fixture_sections):
    html = editor.get(reverse("admin:booklet_section_changelist")).content.decode()
    assert "Past review date" in html
    overdue_only = editor.get(reverse("admin:booklet_section_changelist") + "?review=overdue").content.decode()
    assert "What is spasticity?" in overdue_only and "The trial" not in overdue_only


def test_admin_edit_uses_the_markdown_editor_with_live_preview(editor, fixture_sections):
    section = Section.objects.get(slug="the-trial")
    html = editor.get(reverse("admin:booklet_section_change", args=[section.pk])).content.decode()
    assert "markdownx-editor" in html and "markdownx-preview" in html


def test_markdown_preview_is_for_editors_only_and_sanitised(client, editor):
    url = reverse("markdownx_markdownify")
    response = editor.post(url, {"content": "## Hi\n\n<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    client.logout()
    assert client.post(url, {"content": "x"}).status_code in (302, 403)


def test_xss_saved_in_the_admin_never_reaches_the_page(editor, client, fixture_sections):
    section = Section.objects.get(slug="the-trial")
    payload = "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>"
    editor.post(reverse("admin:booklet_section_change", args=[section.pk]), edit_form(section, body=payload))
    publish(section)
    html = client.get("/booklet/the-trial/").content.decode()
    body = html.split('data-testid="section-body"')[1].split("</div>")[0]
    assert (
        "<script" not in body
        and "javascript:" not in body
        and "onerror" not in body.replace("onerror=alert(1)&gt;", "")
    )


def test_restoring_in_code_also_works_outside_the_admin(fixture_sections):
    section = Section.objects.get(slug="the-pump")
    with reversion.create_revision():
        section.body = "changed"
        section.save()
    Version.objects.get_for_object(section).last().revert()
    section.refresh_from_db()
    assert "20 ml and 40 ml" in section.body


def test_the_live_preview_fills_in_data_blocks_as_the_page_will(editor):
    from itb_portal.contacts.directory import load_directory

    url = reverse("markdownx_markdownify")
    html = editor.post(url, {"content": "Call [[phone nurse-specialist]].\n\n[[signs overdose]]"}).content.decode()
    assert load_directory().line("nurse-specialist").phones[0].number in html
    assert "Feeling very sleepy (drowsiness)" in html and "[[" not in html
