"""Claim nothing unrecorded (issue 20 item 4, issue 22 item 8; hazards H70 to H74).

No page or PDF says it was checked or reviewed unless a named person with the clinical approver role
recorded that in the admin. A load or release from git is not a clinical check. Until an approver signs
a page off, it says it is based on the booklet and not yet reviewed by a clinician; once they do, it
names them and the day. Each page ends with one plain statement that never contradicts itself.
"""

import re
import shutil
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from itb_portal.booklet.models import Section
from itb_portal.contacts.old_sign_offs import name_the_approver_or_clear
from itb_portal.contacts.reviews import PageReview
from itb_portal.datafiles.models import DataFile
from itb_portal.datafiles.signoff import SignOff
from itb_portal.editorial import workflow
from itb_portal.pagecache.pages import forget
from tests.conftest import LONDON, person
from tests.helpers import pdf_text, printed_text, text_of
from tests.public_pages import public_paths
from tests.test_admin import edit_form
from tests.test_editorial import approve

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)  # the booklet's review date (November 2026) has passed
NOT_REVIEWED = "A clinician has not yet reviewed this page."
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
CLAIM = re.compile(r"\b(?:checked|confirmed|reviewed|approved|signed off|verified)\b", re.I)
DATED_OR_NAMED = re.compile(rf"\b{MONTH} \d{{4}}\b|\bby\b|\d{{4}}-\d\d-\d\d", re.I)
# "Not yet reviewed" claims nothing, nor does "the time you checked" (the reader's own symptom check).
DENIED = re.compile(r"\b(?:not|never)\b|\byou (?:checked|reviewed)\b", re.I)
PDFS = [reverse("symptoms:emergency_sheet_pdf")]
OTHER_TEXT = [reverse("search:index")]  # what an offline search shows


BLOCK = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|td|th|tr|table|br|button|a|label|summary|details|header|footer|nav|section|"
    r"title|option|dt|dd|figcaption|script)\b[^>]*>",
    re.I,
)


def sentences(text: str) -> list[str]:
    """Sentences, never running on from one block of a page (a button, a list item) into the next."""
    found = []
    for block in text.split("\n"):
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(block.split())) if s.strip()]
    return found


def claims(text: str) -> list[str]:
    """Every sentence that says something was checked or reviewed, by someone or on a day."""
    return [s for s in sentences(text) if CLAIM.search(s) and DATED_OR_NAMED.search(s) and not DENIED.search(s)]


def blocks_of(response) -> str:
    """What a reader sees in a page, a PDF (via pypdf) or an index, with markup removed and each
    block of a page (a paragraph, a button) on a line of its own, so no sentence runs between them."""
    if response["Content-Type"].startswith("application/pdf"):
        return pdf_text(response.content)
    return "\n".join(text_of(block) for block in BLOCK.split(response.content.decode()))


def every_text(client) -> dict[str, str]:
    forget()
    found = {}
    for path in [*public_paths(), *PDFS, *OTHER_TEXT]:
        response = client.get(path)
        assert response.status_code == 200, path
        found[path] = blocks_of(response)
    return found


def statements(client, path: str) -> list[str]:
    html = client.get(path).content.decode()
    return [text_of(found) for found in re.findall(r'data-testid="review-statement">(.*?)</p>', html, re.S)]


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def released(today):
    """The real booklet and data, released from git (as `make production` does)."""
    call_command("load_content", verbosity=0)


@pytest.fixture
def ada(django_user_model, today):
    """A named clinical approver, signed in to the admin."""
    client = person(django_user_model, "ada", "Clinical approver")
    client.user.first_name, client.user.last_name = "Ada", "Lovelace"
    client.user.save()
    return client


def mark_reviewed(approver, item: str) -> None:
    url = reverse("admin:editorial_reviewsdue_mark_reviewed")
    next_due = (TODAY + timedelta(days=365)).date().isoformat()
    response = approver.post(url, {"item": item, "next_review_due": next_due, "confirm": "on"})
    assert response.status_code == 302, item


# --- Before any clinician has signed anything off ----------------------------------------------


def test_a_release_claims_no_check_on_any_page_or_pdf(client, released):
    for path, text in every_text(client).items():
        assert claims(text) == [], (path, claims(text))
    assert not Section.objects.exclude(signed_off_on=None).exists()
    assert not DataFile.objects.exclude(signed_off_on=None).exists()


def test_until_an_approver_signs_off_every_page_says_it_is_the_booklet_not_yet_reviewed(client, released):
    for path in public_paths():
        said = statements(client, path)
        if path == reverse("booklet:accessibility"):  # no clinical advice: its own dates
            assert said == [
                "This statement was last updated on 25 November 2026. Its next update is due by 25 November 2027."
            ], said
            continue
        assert len(said) == 1, (path, said)  # one plain statement per page
        assert "based on our patient booklet of November 2023." in said[0], path
        assert NOT_REVIEWED in said[0], path
        assert "The booklet was due for review in November 2026." in said[0], path  # passed, and said so
    pdf = every_text(client)[PDFS[0]]
    assert "clinician has not yet" in " ".join(pdf.split())


def test_advice_added_after_the_booklet_never_claims_the_booklets_date_alone(client, released):
    added = "Some of its advice was added after the booklet."
    for path in ["/symptoms/", "/symptoms/result/?sign=itching", "/symptoms/emergency-sheet/", "/booklet/risks/"]:
        assert added in statements(client, path)[0], path
    assert added not in statements(client, "/booklet/glossary/")[0]
    assert "Page last reviewed" not in client.get("/symptoms/").content.decode()


# --- Once a named approver records a sign-off in the admin -------------------------------------


def test_a_sign_off_recorded_in_the_admin_names_the_approver_and_the_day(client, released, ada):
    warning_signs = Section.objects.get(slug="warning-signs")
    mark_reviewed(ada, f"section:{warning_signs.pk}")
    for data in ("rules", "contacts"):
        mark_reviewed(ada, f"data:{data}")
    contacts = DataFile.objects.get(data=DataFile.CONTACTS)
    ada.post(
        reverse("admin:datafiles_datafile_changelist"),
        {"action": "numbers_confirmed_today", "_selected_action": [contacts.pk]},
    )
    named = "Reviewed by Ada Lovelace (clinical approver) on 7 December 2026."
    numbers = "Ada Lovelace (clinical approver) confirmed the phone numbers on 7 December 2026."
    texts = every_text(client)
    for path, text in texts.items():
        assert set(claims(text)) <= {named, numbers}, (path, claims(text))
    assert numbers in " ".join(texts["/contacts/"].split())
    signed = [
        "/booklet/warning-signs/",
        "/symptoms/",
        "/symptoms/result/?sign=seizures",
        "/symptoms/emergency-sheet/",
        "/contacts/",
        "/my-pump/card/",
        "/my-pump/handover/",
        "/offline/symptom-check/",
    ]
    for path in signed:
        said = statements(client, path)[0]
        assert said.startswith(f"{named} Next review due by 7 December 2027."), (path, said)
        assert NOT_REVIEWED not in said, path
    assert named in " ".join(texts[PDFS[0]].split())
    # The rest of the booklet is still nobody's check, and the pages built from all of it say so.
    for path in ["/", "/booklet/risks/", "/print/booklet/"]:
        said = statements(client, path)[0]
        assert NOT_REVIEWED in said and "Reviewed by" not in said, path


def test_a_release_that_changes_signed_off_text_clears_the_sign_off(client, released, ada, settings, tmp_path):
    mark_reviewed(ada, f"section:{Section.objects.get(slug='glossary').pk}")
    assert "Reviewed by Ada Lovelace" in statements(client, "/booklet/glossary/")[0]
    folder = tmp_path / "sections"
    shutil.copytree(settings.CONTENT_DIR / "sections", folder)
    call_command("load_content", directory=str(folder), verbosity=0)  # the same text again: still hers
    forget()
    assert "Reviewed by Ada Lovelace" in statements(client, "/booklet/glossary/")[0]
    glossary = next(folder.glob("*-glossary.md"))
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\nA new line nobody has checked.\n", encoding="utf-8")
    call_command("load_content", directory=str(folder), verbosity=0)
    forget()
    said = statements(client, "/booklet/glossary/")[0]
    assert NOT_REVIEWED in said and "Ada" not in said


def test_a_release_that_changes_a_signed_off_data_file_clears_its_sign_off(client, released, ada, settings, tmp_path):
    mark_reviewed(ada, "data:rules")
    assert "Reviewed by Ada Lovelace" in statements(client, "/symptoms/")[0]
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    settings.CONTENT_DIR = content
    call_command("load_content", verbosity=0)  # the same files again: still hers
    forget()
    assert "Reviewed by Ada Lovelace" in statements(client, "/symptoms/")[0]
    rules = content / "symptoms" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# A change nobody has checked.\n", encoding="utf-8")
    call_command("load_content", verbosity=0)
    forget()
    said = statements(client, "/symptoms/")[0]
    assert NOT_REVIEWED in said and "Ada" not in said
    row = DataFile.objects.get(data=DataFile.RULES)
    assert (row.signed_off_on, row.approver_name, row.last_reviewed) == (None, "", None)


def test_a_draft_is_nobodys_check_until_approved_and_keeps_what_the_booklet_lacks(
    client, released, ada, django_user_model
):
    risks = Section.objects.get(slug="risks")
    mark_reviewed(ada, f"section:{risks.pk}")
    editor = person(django_user_model, "eddie", "Editor")
    response = editor.post(
        reverse("admin:booklet_section_change", args=[risks.pk]),
        edit_form(risks, body=risks.body + "\nA new sentence.\n"),
    )
    assert response.status_code == 302
    draft = workflow.open_draft(risks)
    # The approver's preview of the draft claims no check: nobody has approved that text yet.
    preview = ada.get(reverse("admin:editorial_draft_preview", args=[draft.pk])).content.decode()
    said = text_of(preview.split('data-testid="review-statement">')[1].split("</p>")[0])
    assert NOT_REVIEWED in said and "Ada" not in said
    assert "Reviewed by Ada Lovelace" in statements(client, "/booklet/risks/")[0]  # the published text is hers
    # Approved by a second person, the section still says it adds advice to the booklet.
    bo = person(django_user_model, "bo", "Clinical approver")
    approve(bo, draft)
    forget()
    said = statements(client, "/booklet/risks/")[0]
    assert said.startswith("Reviewed by bo (clinical approver) on 7 December 2026."), said
    assert Section.objects.get(slug="risks").added_advice.strip()


def test_the_first_release_after_the_upgrade_keeps_an_approvers_sign_off(client, released, ada):
    risks = Section.objects.get(slug="risks")
    mark_reviewed(ada, f"section:{risks.pk}")
    Section.objects.filter(pk=risks.pk).update(added_advice="")  # as the migration leaves it
    call_command("load_content", verbosity=0)
    risks.refresh_from_db()
    assert risks.added_advice.strip() and risks.approver_name == "Ada Lovelace"


def test_no_page_shows_a_check_dated_in_the_future(client, released, ada):
    Section.objects.filter(slug="risks").update(
        signed_off_on=date(2099, 1, 1), signed_off_by="ada", approver_name="Ada"
    )
    contacts = DataFile.objects.get(data=DataFile.CONTACTS)
    # The admin form has no date to type for a check: a typed one is ignored.
    ada.post(
        reverse("admin:datafiles_datafile_change", args=[contacts.pk]),
        {"review_started_on": "", "numbers_confirmed_on": "2099-01-01"},
    )
    contacts.refresh_from_db()
    assert contacts.numbers_confirmed_on is None
    DataFile.objects.filter(pk=contacts.pk).update(numbers_confirmed_on=date(2099, 1, 1), numbers_confirmed_by="Ada")
    forget()
    for path in ["/booklet/risks/", "/contacts/", "/"]:
        html = client.get(path).content.decode()
        assert "2099" not in html and "Reviewed by" not in html, path


def test_only_a_clinical_approver_can_sign_off(released, django_user_model):
    editor = person(django_user_model, "eddie", "Editor")
    url = reverse("admin:editorial_reviewsdue_mark_reviewed")
    item = f"section:{Section.objects.get(slug='risks').pk}"
    assert editor.post(url, {"item": item, "next_review_due": "2027-12-07", "confirm": "on"}).status_code == 403
    assert Section.objects.get(slug="risks").signed_off_on is None


def test_a_stamp_left_by_an_old_release_is_cleared_and_an_approvers_gains_their_name(released, ada):
    Section.objects.filter(slug="risks").update(signed_off_on=TODAY.date(), signed_off_by="git 0123456789ab")
    Section.objects.filter(slug="faqs").update(signed_off_on=TODAY.date(), signed_off_by="ada")
    name_the_approver_or_clear(Section.objects, type(ada.user).objects, on="signed_off_on", by="signed_off_by")
    risks, faqs = Section.objects.get(slug="risks"), Section.objects.get(slug="faqs")
    assert (risks.signed_off_on, risks.signed_off_by, risks.approver_name) == (None, "", "")
    assert (faqs.signed_off_on, faqs.approver_name) == (TODAY.date(), "Ada Lovelace")


# --- The statement itself: one, plain, never contradicting itself ----------------------------

days = st.dates(min_value=date(2023, 1, 1), max_value=date(2028, 12, 31))
sign_offs = st.lists(
    st.builds(
        SignOff, on=st.dates(min_value=date(2023, 1, 1), max_value=TODAY.date()), by=st.sampled_from(["Ada", "Bo"])
    ),
    max_size=3,
).map(lambda found: tuple(sorted(set(found))))


@given(
    last=days,
    due=days,
    signed=sign_offs,
    started=st.none() | days,
    added=st.booleans(),
)
def test_the_statement_claims_a_review_exactly_when_one_was_recorded_and_says_one_due_date(
    last, due, signed, started, added
):
    with time_machine.travel(TODAY, tick=False):
        review = PageReview(last, due, review_started_on=started, sign_offs=signed, added_advice=added)
        said = " ".join(review.statement)
    found = claims(said)
    if signed:
        assert found and all(claim.startswith("Reviewed by ") for claim in found), said
        assert NOT_REVIEWED not in said and "booklet of" not in said
        assert all(s.by in found[0] for s in signed)
    else:
        assert found == [] and NOT_REVIEWED in said, said
    # At most one sentence about when the next review is due, and it agrees with today's date.
    due_sentences = [s for s in sentences(said) if re.search(r"\bdue\b|next review", s)]
    assert len(due_sentences) == 1, said
    if due < TODAY.date() and (not signed or due > max(signed).on):
        assert "was due" in due_sentences[0], said
    assert all(len(s.split()) <= 20 for s in sentences(said)), said


# --- Printouts, as Chromium's "Save as PDF" makes them, read back with pypdf ------------------

PRINTED = [
    "/booklet/warning-signs/",
    "/symptoms/",
    "/symptoms/emergency-sheet/",
    "/contacts/",
    "/my-pump/handover/",
    "/my-pump/card/",
    "/print/booklet/?section=warning-signs&section=risks",
]


@pytest.mark.browser
def test_printouts_claim_no_check_until_an_approver_records_one_then_name_them(live_booklet, page, django_user_model):
    with time_machine.travel(TODAY, tick=True):
        call_command("load_content", verbosity=0)
        for path in PRINTED:
            text = printed_text(page, live_booklet.url + path)
            assert claims(text) == [], (path, claims(text))
            assert "clinician has not yet reviewed" in text, path
        approver = person(django_user_model, "ada", "Clinical approver")
        approver.user.first_name, approver.user.last_name = "Ada", "Lovelace"
        approver.user.save()
        mark_reviewed(approver, "data:rules")
        text = printed_text(page, live_booklet.url + "/symptoms/")
        # On every sheet's running header, and nothing else.
        assert set(claims(text)) == {"Reviewed by Ada Lovelace (clinical approver) on 7 December 2026."}, text


def test_a_sign_off_of_the_rules_is_never_claimed_for_the_easy_read_words(client, released, ada):
    """The Easy Read pages show the rules' signs, but their own words (content/easy-read/) are nobody's
    sign-off: a clinician who approved rules.yaml is never named on them (docs/easy-read.md)."""
    mark_reviewed(ada, "data:rules")
    assert "Reviewed by Ada Lovelace" in statements(client, "/symptoms/")[0]
    for path in ["/easy-read/", "/easy-read/if-something-is-wrong/", "/easy-read/check/", "/easy-read/check/result/"]:
        said = statements(client, path)[0]
        assert NOT_REVIEWED in said and "Ada Lovelace" not in said, (path, said)
