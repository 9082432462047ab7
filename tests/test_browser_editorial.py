"""Issue 17 in a real browser, through the real admin: each person signs in with their own browser.

An edit is not public until a second person approves it; self-approval is refused; the approver sees
the change; a concurrent edit is refused and kept; the dashboard puts overdue items first; and the
audit log records every step. The rules themselves are proved in tests/test_editorial.py.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

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


def edit_trial(page, live_site, text: str, button: str = "Save"):
    page.goto(live_site.url + reverse("admin:booklet_section_changelist"))
    page.get_by_role("link", name="The trial", exact=True).click()
    page.locator("#id_body").fill(text)
    page.get_by_role("button", name=button, exact=True).click()


def open_draft_to_approve(page, live_site):
    page.goto(live_site.url + reverse("admin:editorial_reviewdashboard_changelist"))
    page.get_by_test_id("dashboard-row").filter(has_text="The trial").get_by_role(
        "link", name="Waiting for approval"
    ).click()


def test_an_edit_is_not_public_until_a_clinical_approver_approves_it(sign_in, visitor, live_site):
    editor = sign_in("eddie", roles.EDITOR)
    edit_trial(editor, live_site, "## The test dose\n\nA first dose of 50 micrograms.")
    expect(editor.locator(".messagelist")).to_contain_text("Saved as a draft")

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
    expect(both.locator(".errornote")).to_contain_text("another clinical approver must approve it")
    both.get_by_test_id("approve").click()
    expect(both.locator(".messagelist")).to_contain_text("You cannot approve a draft you edited")
    visitor.goto(live_site.url + "/booklet/the-trial/")
    expect(visitor.get_by_test_id("section-body")).to_contain_text("25 micrograms")


def test_a_concurrent_edit_is_refused_and_its_text_kept(sign_in, live_site):
    first = sign_in("eddie", roles.EDITOR)
    second = sign_in("sam", roles.EDITOR)
    for page in (first, second):  # both open the same section before either saves
        page.goto(live_site.url + reverse("admin:booklet_section_changelist"))
        page.get_by_role("link", name="The trial", exact=True).click()
    first.locator("#id_body").fill("## The test dose\n\nA first dose of 50 micrograms.")
    first.get_by_role("button", name="Save and continue editing").click()
    expect(first.locator(".messagelist")).to_contain_text("Saved as a draft")

    second.locator("#id_body").fill("## The test dose\n\nA first dose of 75 micrograms.")
    second.get_by_role("button", name="Save and continue editing").click()
    expect(second.locator(".errornote, .errorlist").first).to_be_visible()
    expect(second.locator("#section_form")).to_contain_text("another editor saved this draft after you opened it")
    expect(second.locator("#id_body")).to_have_value(re.compile("75 micrograms"))  # their text, shown back

    second.goto(second.url)  # opened again: the open draft is the first editor's, the second's kept beside it
    expect(second.locator("#id_body")).to_have_value(re.compile("50 micrograms"))
    second.get_by_test_id("kept-draft").get_by_role("link").click()
    expect(second.locator("body")).to_contain_text("75 micrograms")


def test_the_dashboard_puts_overdue_items_first_and_an_approver_marks_one_reviewed(sign_in, live_site):
    approver = sign_in("ada", roles.APPROVER)
    approver.goto(live_site.url + reverse("admin:editorial_reviewdashboard_changelist"))
    rows = approver.get_by_test_id("dashboard-row")
    flags = [rows.nth(i).get_attribute("data-overdue") for i in range(rows.count())]
    assert flags[0] == "yes" and flags == sorted(flags, key=lambda flag: flag != "yes"), flags
    expect(rows.first).to_contain_text("What is spasticity?")
    expect(rows.first).to_contain_text("Overdue")

    rows.first.get_by_role("link", name="Mark as reviewed").click()
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
    for who, action in (("eddie", "drafted"), ("ada", "approved"), ("ada", "published"), ("git", "released")):
        assert re.search(rf"{who}[^|]*\t{action}", text), (who, action, text)
    expect(approver.get_by_role("link", name="Add audit log entry")).to_have_count(0)  # read-only


def test_a_phone_number_change_is_not_public_until_approved_and_wrong_rules_are_refused(sign_in, visitor, live_site):
    from itb_portal.contacts.directory import contacts_path
    from itb_portal.symptoms.rules import rules_path

    editor = sign_in("eddie", roles.EDITOR)
    editor.goto(live_site.url + reverse("admin:editorial_draft_data", args=["rules"]))
    wrong = rules_path().read_text(encoding="utf-8").replace("group: red-flags", "group: withdrawal", 1)
    editor.locator("#id_document").fill(wrong)
    editor.get_by_role("button", name="Save as a draft").click()
    expect(editor.get_by_test_id("data-errors")).to_contain_text("Not saved")

    editor.goto(live_site.url + reverse("admin:editorial_reviewdashboard_changelist"))
    editor.get_by_role("link", name="contacts.yaml").click()
    editor.locator("#id_document").fill(
        contacts_path().read_text(encoding="utf-8").replace("0113 392 2178", "0113 392 9999")
    )
    editor.get_by_role("button", name="Save as a draft").click()
    expect(editor.locator(".messagelist")).to_contain_text("Saved as a draft")
    visitor.goto(live_site.url + "/contacts/")
    expect(visitor.locator("main")).to_contain_text("0113 392 2178")

    approver = sign_in("ada", roles.APPROVER)
    approver.goto(live_site.url + reverse("admin:editorial_reviewdashboard_changelist"))
    approver.locator('[data-key="data:contacts"]').get_by_role("link", name="Waiting for approval").click()
    expect(approver.get_by_test_id("facts-diff")).to_contain_text("0113 392 9999")
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
        "approver: the review dashboard": (
            approver,
            live_site.url + reverse("admin:editorial_reviewdashboard_changelist"),
        ),
        "approver: the draft with its word diff": (approver, approve_page),
        "approver: the audit log": (approver, live_site.url + reverse("admin:audit_auditentry_changelist")),
        "approver: drafts": (approver, live_site.url + reverse("admin:editorial_draft_changelist")),
    }
    failures = {}
    for name, (page, address) in pages.items():
        page.goto(address)
        found = axe_violations(page)
        if found:
            failures[name] = found
    # Pages reached by a link: opened by their address, so axe never runs on a page still loading.
    approver.goto(pages["approver: the review dashboard"][1])
    mark = approver.get_by_test_id("dashboard-row").first.get_by_role("link", name="Mark as reviewed")
    approver.goto(live_site.url + mark.get_attribute("href"))
    failures.update({"approver: mark as reviewed": found} if (found := axe_violations(approver)) else {})
    approver.goto(approve_page)
    approver.goto(live_site.url + approver.get_by_test_id("preview-link").get_attribute("href"))
    expect(approver.locator("main h1")).to_be_visible()
    failures.update({"approver: the draft's preview": found} if (found := axe_violations(approver)) else {})
    assert failures == {}
