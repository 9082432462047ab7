"""Issues 17 and 23 in a real browser, through the real admin: each person signs in with their own browser.

An edit is not public until it is submitted and a second person approves it; an approver sees no button
that would only refuse them; the approver sees only the changed parts; a concurrent edit is refused and
kept; a save from a form opened before another change was published is refused (sections and data files)
and can be carried over; send back (with its comment shown to the editor), discard, and submit then
approve, with an email at each step; a contacts line edited through its own form; the 999 wording check;
export-content leaving out a section nobody approved; the dashboard puts overdue items first; and the
audit log records every step. The rules themselves are proved in tests/test_editorial*.py.
"""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from itb_portal.booklet.models import Section
from itb_portal.editorial import roles

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password-123"
DESK = {"viewport": {"width": 1280, "height": 900}}
# The fixture section's text with one number changed.
TRIAL_50 = "## The test dose\n\nA first dose of 50 micrograms.\n\n## After the test\n\nYou go home."


@pytest.fixture
def sign_in(browser, live_site, django_user_model):
    """A browser of its own for each person, signed in to the admin with the given groups."""
    contexts = []

    def open_as(name: str, *groups: str):
        user = django_user_model.objects.create_user(name, f"{name}@example.nhs.uk", PASSWORD, is_staff=True)
        user.groups.set(Group.objects.filter(name__in=groups))
        context = browser.new_context(**DESK)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_site.url + reverse("admin:login") + "?next=" + reverse("admin:index"))
        page.get_by_label("Username").fill(name)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator("#site-name")).to_be_visible()
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def visitor(browser, live_site):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def edit_trial(page, live_site, text: str, button: str = "Save and submit for approval"):
    page.goto(live_site.url + reverse("admin:booklet_section_changelist"))
    page.get_by_role("link", name="The trial", exact=True).click()
    page.locator("#id_body").fill(text)
    page.get_by_role("button", name=button, exact=True).click()


def open_draft_to_approve(page, live_site):
    page.goto(live_site.url + reverse("admin:editorial_reviewsdue_changelist"))
    page.get_by_test_id("dashboard-row").filter(has_text="The trial").get_by_role(
        "link", name="Waiting for approval"
    ).click()


def test_an_edit_is_not_public_until_a_clinical_approver_approves_it(sign_in, visitor, live_site):
    editor = sign_in("eddie", roles.EDITOR)
    edit_trial(editor, live_site, "## The test dose\n\nA first dose of 50 micrograms.")
    expect(editor.locator(".messagelist")).to_contain_text("Submitted for approval")

    visitor.goto(live_site.url + "/booklet/the-trial/")
    expect(visitor.get_by_test_id("section-body")).to_contain_text("25 micrograms")
    expect(visitor.get_by_test_id("section-body")).not_to_contain_text("50 micrograms")

    approver = sign_in("ada", roles.APPROVER)
    open_draft_to_approve(approver, live_site)
    approver.get_by_test_id("preview-link").click()
    expect(approver.get_by_test_id("section-body")).to_contain_text("50 micrograms")  # the page as it will be
    approver.go_back()
    approver.get_by_label("Note (optional)").fill("Dose checked against the booklet.")
    approver.get_by_test_id("approve").click()
    expect(approver.locator(".messagelist")).to_contain_text("Approved and published")

    visitor.reload()
    expect(visitor.get_by_test_id("section-body")).to_contain_text("50 micrograms")
    # The page names the approver who signed it off, and the day.
    expect(visitor.get_by_test_id("review-statement")).to_have_text(
        re.compile(r"^Reviewed by ada \(clinical approver\) on \d+ \w+ \d{4}\.")
    )


def test_the_approver_sees_the_change_as_a_word_level_diff(sign_in, live_site):
    editor = sign_in("eddie", roles.EDITOR)
    edit_trial(editor, live_site, TRIAL_50)
    approver = sign_in("ada", roles.APPROVER)
    open_draft_to_approve(approver, live_site)
    diff = approver.get_by_test_id("text-diff")
    expect(diff.locator("del")).to_have_text(["25"])
    expect(diff.locator("ins")).to_have_text(["50"])
    expect(diff).to_contain_text("A first dose of")


def test_an_approver_cannot_approve_their_own_edit(sign_in, visitor, live_site):
    both = sign_in("pat", roles.EDITOR, roles.APPROVER)
    edit_trial(both, live_site, "## The test dose\n\nA first dose of 50 micrograms.")
    expect(both.get_by_test_id("next-step")).to_contain_text("another clinical approver must approve it")
    expect(both.get_by_test_id("approve")).to_have_count(0)  # no button that would only refuse them
    visitor.goto(live_site.url + "/booklet/the-trial/")
    expect(visitor.get_by_test_id("section-body")).to_contain_text("25 micrograms")


def test_a_concurrent_edit_is_refused_and_its_text_kept_as_a_conflict_copy(sign_in, live_site):
    first = sign_in("eddie", roles.EDITOR)
    second = sign_in("sam", roles.EDITOR)
    for page in (first, second):  # both open the same section before either saves
        page.goto(live_site.url + reverse("admin:booklet_section_changelist"))
        page.get_by_role("link", name="The trial", exact=True).click()
    first.locator("#id_body").fill("## The test dose\n\nA first dose of 50 micrograms.")
    first.get_by_role("button", name="Save draft").click()
    expect(first.locator(".messagelist")).to_contain_text("Saved as a draft")

    second.locator("#id_body").fill("## The test dose\n\nA first dose of 75 micrograms.")
    second.get_by_role("button", name="Save draft").click()
    expect(second.locator(".errornote, .errorlist").first).to_be_visible()
    expect(second.locator("#section_form")).to_contain_text("another editor saved this draft after you opened it")
    expect(second.locator("#id_body")).to_have_value(re.compile("75 micrograms"))  # their text, shown back

    second.goto(second.url)  # opened again: the open draft is the first editor's, the second's kept beside it
    expect(second.locator("#id_body")).to_have_value(re.compile("50 micrograms"))
    second.get_by_test_id("conflict-copy").get_by_role("link").click()
    expect(second.locator("body")).to_contain_text("75 micrograms")


def test_the_dashboard_puts_overdue_items_first_and_an_approver_marks_one_reviewed(sign_in, live_site):
    approver = sign_in("ada", roles.APPROVER)
    approver.goto(live_site.url + reverse("admin:editorial_reviewsdue_changelist"))
    rows = approver.get_by_test_id("dashboard-row")
    flags = [rows.nth(i).get_attribute("data-overdue") for i in range(rows.count())]
    assert flags[0] == "yes" and flags == sorted(flags, key=lambda flag: flag != "yes"), flags
    overdue = rows.filter(has_text="What is spasticity?")
    expect(overdue).to_have_attribute("data-overdue", "yes")
    expect(overdue).to_contain_text("Overdue")

    overdue.get_by_role("link", name="Mark as reviewed").click()
    approver.get_by_label("I have reviewed this clinically and it is correct.").check()
    approver.get_by_test_id("confirm-reviewed").click()
    expect(approver.locator(".messagelist")).to_contain_text("marked as reviewed today")
    spasticity = approver.get_by_test_id("dashboard-row").filter(has_text="What is spasticity?")
    expect(spasticity).to_have_attribute("data-overdue", "no")
    expect(spasticity).to_contain_text("by ada")


def test_the_audit_log_records_every_step(sign_in, live_site):
    editor = sign_in("eddie", roles.EDITOR)
    edit_trial(editor, live_site, "## The test dose\n\nA first dose of 50 micrograms.")
    approver = sign_in("ada", roles.APPROVER)
    open_draft_to_approve(approver, live_site)
    approver.get_by_test_id("approve").click()
    expect(approver.locator(".messagelist")).to_contain_text("Approved and published")

    approver.goto(live_site.url + reverse("admin:audit_auditentry_changelist") + "?what=section+the-trial")
    rows = approver.locator("#result_list tbody tr")
    text = " | ".join(rows.all_inner_texts())
    steps = (
        ("eddie", "drafted"),
        ("eddie", "submitted"),
        ("ada", "approved"),
        ("ada", "published"),
        ("git", "released"),
    )
    for who, action in steps:
        assert re.search(rf"{who}[^|]*\t{action}", text), (who, action, text)
    expect(approver.get_by_role("link", name="Add audit log entry")).to_have_count(0)  # read-only


def test_a_phone_number_change_is_not_public_until_approved_and_wrong_rules_are_refused(sign_in, visitor, live_site):
    from itb_portal.contacts.directory import contacts_path
    from itb_portal.symptoms.rules import rules_path

    editor = sign_in("eddie", roles.EDITOR)
    editor.goto(live_site.url + reverse("admin:editorial_draft_data", args=["rules"]))
    wrong = rules_path().read_text(encoding="utf-8").replace("group: red-flags", "group: withdrawal", 1)
    editor.locator("#id_document").fill(wrong)
    editor.get_by_role("button", name="Save draft").click()
    expect(editor.get_by_test_id("data-errors")).to_contain_text("Not saved")

    editor.goto(live_site.url + reverse("admin:editorial_reviewsdue_changelist"))
    editor.get_by_role("link", name="Contacts and opening hours").click()
    assert "0113 392 2178" in contacts_path().read_text(encoding="utf-8")
    # A contacts line edited through its own form: number, label, hours.
    line = editor.locator('[data-line="nurse-specialist"]')
    line.get_by_label("Phone 1: number").fill("0113 392 9999")
    editor.get_by_role("button", name="Save and submit for approval").click()
    expect(editor.locator(".messagelist")).to_contain_text("Submitted for approval")
    visitor.goto(live_site.url + "/contacts/")
    expect(visitor.locator("main")).to_contain_text("0113 392 2178")

    approver = sign_in("ada", roles.APPROVER)
    approver.goto(live_site.url + reverse("admin:editorial_reviewsdue_changelist"))
    approver.locator('[data-key="data:contacts"]').get_by_role("link", name="Waiting for approval").click()
    expect(approver.get_by_test_id("facts-diff")).to_contain_text("0113 392 9999")
    expect(approver.get_by_test_id("part-diff")).to_have_count(1)  # only the changed part, with context
    expect(approver.get_by_test_id("part-diff").locator("ins")).to_contain_text("9999")
    approver.get_by_test_id("approve").click()
    expect(approver.locator(".messagelist")).to_contain_text("Approved and published")
    visitor.reload()
    expect(visitor.locator("main")).to_contain_text("0113 392 9999")
    expect(visitor.locator("main")).not_to_contain_text("0113 392 2178")


def test_the_editorial_admin_pages_have_zero_axe_violations(sign_in, live_site, axe_violations):
    """Editors are users too: the pages this project added to the admin meet WCAG 2.2 AA, as the site does."""
    editor = sign_in("eddie", roles.EDITOR)
    edit_trial(editor, live_site, TRIAL_50)
    approver = sign_in("ada", roles.APPROVER)
    open_draft_to_approve(approver, live_site)
    approve_page = approver.url
    pages = {
        "editor: the section, with its open draft": (editor, editor.url),
        "editor: a data file's draft": (
            editor,
            live_site.url + reverse("admin:editorial_draft_data", args=["contacts"]),
        ),
        "approver: the reviews due page": (
            approver,
            live_site.url + reverse("admin:editorial_reviewsdue_changelist"),
        ),
        "approver: the draft with its word diff": (approver, approve_page),
        "approver: the audit log": (approver, live_site.url + reverse("admin:audit_auditentry_changelist")),
        "approver: drafts": (approver, live_site.url + reverse("admin:editorial_draft_changelist")),
        "editor: drafts": (editor, live_site.url + reverse("admin:editorial_draft_changelist")),
        "editor: the rules as tables": (editor, live_site.url + reverse("admin:editorial_draft_data", args=["rules"])),
        "editor: the draft with its timeline": (editor, approve_page),
        "editor: taking a page off the site": (
            editor,
            live_site.url
            + reverse("admin:editorial_draft_unpublish", args=[Section.objects.get(slug="spasticity").pk]),
        ),
    }
    failures = {}
    for name, (page, address) in pages.items():
        page.goto(address)
        found = axe_violations(page)
        if found:
            failures[name] = found
    # Pages reached by a link: opened by their address, so axe never runs on a page still loading.
    approver.goto(pages["approver: the reviews due page"][1])
    mark = approver.get_by_test_id("dashboard-row").first.get_by_role("link", name="Mark as reviewed")
    approver.goto(live_site.url + mark.get_attribute("href"))
    failures.update({"approver: mark as reviewed": found} if (found := axe_violations(approver)) else {})
    approver.goto(approve_page)
    approver.goto(live_site.url + approver.get_by_test_id("preview-link").get_attribute("href"))
    expect(approver.locator("main h1")).to_be_visible()
    failures.update({"approver: the draft's preview": found} if (found := axe_violations(approver)) else {})
    assert failures == {}


def open_trial(page, live_site):
    page.goto(live_site.url + reverse("admin:booklet_section_changelist"))
    page.get_by_role("link", name="The trial", exact=True).click()


def test_a_save_from_a_page_opened_before_a_change_was_published_is_refused_and_carried_over(
    sign_in, visitor, live_site
):
    """Issue 23's silent undo: B opens the section, A's draft is approved, then B saves."""
    later = sign_in("sam", roles.EDITOR)
    open_trial(later, live_site)  # opened now, on the published text
    body = later.locator("#id_body").input_value()
    editor = sign_in("eddie", roles.EDITOR)
    edit_trial(editor, live_site, body.replace("25 micrograms", "50 micrograms"))
    approver = sign_in("ada", roles.APPROVER)
    open_draft_to_approve(approver, live_site)
    approver.get_by_test_id("approve").click()
    expect(approver.locator(".messagelist")).to_contain_text("Approved and published")

    later.locator("#id_body").fill(body + "\n\nSam's own line.")
    later.get_by_role("button", name="Save draft").click()
    expect(later.get_by_test_id("moved")).to_be_visible()
    expect(later.get_by_test_id("moved-current")).to_contain_text("50 micrograms")  # both texts, side by side
    expect(later.get_by_test_id("moved-yours")).to_contain_text("Sam's own line.")
    visitor.goto(live_site.url + "/booklet/the-trial/")
    expect(visitor.get_by_test_id("section-body")).to_contain_text("50 micrograms")  # not undone

    later.get_by_test_id("carry-over").click()
    expect(later.get_by_test_id("carried")).to_contain_text("carried over")
    expect(later.locator("#id_body")).to_have_value(re.compile(r"50 micrograms[\s\S]*Sam's own line\."))
    later.get_by_role("button", name="Save draft").click()
    expect(later.locator(".messagelist")).to_contain_text("Saved as a draft")
    later.get_by_test_id("draft-link").click()
    expect(later.get_by_test_id("text-diff")).to_contain_text("Sam's own line.")
    expect(later.get_by_test_id("text-diff").locator("del")).to_have_count(0)  # nothing of A's struck out


def test_a_data_file_saved_from_an_older_version_is_refused_and_the_number_never_comes_back(
    sign_in, visitor, live_site
):
    contacts = live_site.url + reverse("admin:editorial_draft_data", args=["contacts"])
    later = sign_in("sam", roles.EDITOR)
    later.goto(contacts)
    editor = sign_in("eddie", roles.EDITOR)
    editor.goto(contacts)
    editor.locator('[data-line="nurse-specialist"]').get_by_label("Phone 1: number").fill("0113 392 9999")
    editor.get_by_role("button", name="Save and submit for approval").click()
    approver = sign_in("ada", roles.APPROVER)
    approver.goto(live_site.url + reverse("admin:editorial_reviewsdue_changelist"))
    approver.locator('[data-key="data:contacts"]').get_by_role("link", name="Waiting for approval").click()
    approver.get_by_test_id("approve").click()
    expect(approver.locator(".messagelist")).to_contain_text("Approved and published")

    later.locator('[data-line="ward-l24"]').get_by_label("Phone 1: number").fill("0113 392 7420")
    later.get_by_role("button", name="Save draft").click()
    expect(later.get_by_test_id("moved")).to_be_visible()
    visitor.goto(live_site.url + "/contacts/")
    expect(visitor.locator("main")).to_contain_text("0113 392 9999")  # the corrected number stands
    later.get_by_test_id("carry-over").click()
    expect(later.locator(".messagelist")).to_contain_text("Saved as a draft")
    facts = later.get_by_test_id("facts-diff")
    expect(facts).to_contain_text("0113 392 7420")
    expect(facts).not_to_contain_text("2178")  # the old number is not brought back


def test_submit_then_approve_with_an_email_at_each_step(sign_in, visitor, live_site):
    mail.outbox.clear()
    approver = sign_in("ada", roles.APPROVER)
    editor = sign_in("eddie", roles.EDITOR)
    edit_trial(editor, live_site, TRIAL_50, button="Save draft")
    expect(editor.locator(".messagelist")).to_contain_text("Saved as a draft")
    assert mail.outbox == []
    editor.get_by_test_id("draft-link").click()
    editor.get_by_test_id("submit").click()
    expect(editor.locator(".messagelist")).to_contain_text("Submitted for approval")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ada@example.nhs.uk"], "Waiting for your approval: The trial")
    ]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)

    approver.goto(link)  # the email's link opens the draft, ready to check and approve
    approver.get_by_test_id("approve").click()
    expect(approver.locator(".messagelist")).to_contain_text("Approved and published")
    assert mail.outbox[-1].to == ["eddie@example.nhs.uk"]
    assert mail.outbox[-1].subject == "Approved and published: The trial"
    editor.reload()
    expect(editor.get_by_test_id("timeline")).to_contain_text("Approved and published by ada")
    visitor.goto(live_site.url + "/booklet/the-trial/")
    expect(visitor.get_by_test_id("section-body")).to_contain_text("50 micrograms")


def test_send_back_shows_its_comment_to_the_editor(sign_in, live_site):
    mail.outbox.clear()
    editor = sign_in("eddie", roles.EDITOR)
    edit_trial(editor, live_site, TRIAL_50)
    approver = sign_in("ada", roles.APPROVER)
    open_draft_to_approve(approver, live_site)
    approver.get_by_label("Comment for the editor").fill("Please say who gives the dose.")
    approver.get_by_test_id("send-back").click()
    expect(approver.locator(".messagelist")).to_contain_text("Sent back to the editor")
    assert mail.outbox[-1].to == ["eddie@example.nhs.uk"] and "Sent back" in mail.outbox[-1].subject

    open_trial(editor, live_site)
    expect(editor.get_by_test_id("sent-back-comment")).to_contain_text("Please say who gives the dose.")
    editor.get_by_test_id("draft-link").click()
    expect(editor.get_by_test_id("draft-state")).to_contain_text("Sent back to the editor")
    expect(editor.get_by_test_id("timeline")).to_contain_text("Sent back by ada")


def test_discard_leaves_the_published_page(sign_in, visitor, live_site):
    editor = sign_in("eddie", roles.EDITOR)
    edit_trial(editor, live_site, TRIAL_50, button="Save draft")
    editor.get_by_test_id("draft-link").click()
    editor.get_by_test_id("discard").click()
    expect(editor.locator(".messagelist")).to_contain_text("Discarded")
    expect(editor.get_by_test_id("draft-state")).to_contain_text("Discarded")
    visitor.goto(live_site.url + "/booklet/the-trial/")
    expect(visitor.get_by_test_id("section-body")).to_contain_text("25 micrograms")
    open_trial(editor, live_site)
    expect(editor.locator("#id_body")).to_have_value(re.compile("25 micrograms"))  # back to the published text


def test_a_999_action_that_does_not_say_999_is_refused(sign_in, live_site):
    from itb_portal.symptoms.rules import rules_path

    editor = sign_in("eddie", roles.EDITOR)
    editor.goto(live_site.url + reverse("admin:editorial_draft_data", args=["rules"]))
    expect(editor.get_by_test_id("rules-levels")).to_contain_text("Call 999 for an ambulance now.")
    text = rules_path().read_text(encoding="utf-8")
    editor.locator("#id_document").fill(
        text.replace("Call 999 for an ambulance now. Do not drive to hospital yourself.", "Wait and see if it passes.")
    )
    editor.get_by_role("button", name="Save and submit for approval").click()
    errors = editor.get_by_test_id("data-errors")
    expect(errors).to_contain_text("must say 999")
    expect(errors).not_to_contain_text("call-999")
    expect(errors).not_to_contain_text("/")


def test_export_content_leaves_out_a_new_section_nobody_approved(sign_in, live_site, tmp_path):
    editor = sign_in("eddie", roles.EDITOR)
    editor.goto(live_site.url + reverse("admin:booklet_section_add"))
    editor.get_by_label("Title").fill("Travel")
    editor.get_by_label("Web address").fill("travel")
    editor.get_by_label("Summary").fill("Going away with a pump.")
    editor.locator("#id_body").fill("## Before you go\n\nTell the team when you travel.")
    editor.get_by_label("Last reviewed").fill("2026-11-01")
    editor.get_by_label("Next review due").fill("2027-11-01")
    editor.get_by_role("button", name="Save and submit for approval").click()
    expect(editor.locator(".messagelist")).to_contain_text("Submitted for approval")
    out = StringIO()
    call_command("export_content", directory=str(tmp_path / "sections"), stdout=out)
    assert "left out travel" in out.getvalue()
    assert not list((tmp_path / "sections").glob("*travel*"))
