"""Issue 26 item 7, translating the booklet: sections per language (content/sections/<language>/), each a
draft signed off by a named approver who names its translation reviewer; nothing unapproved shown; a
translation older than its English marked out of date, its signs always from the data in use; and a line
saying how to ask for a translation, in the language once signed off, else in English.

The translations here are test text in English words marked as a translation, never Urdu: no sample text
in another language is presented as reviewed (docs/languages.md)."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from itb_portal.audit.models import AuditEntry
from itb_portal.booklet.loader import export_sections, load_sections
from itb_portal.booklet.models import LanguageLineSignOff, Section
from itb_portal.contacts.directory import load_directory
from itb_portal.contacts.reviews import recorded_sign_off
from itb_portal.editorial import workflow
from itb_portal.editorial.models import Draft, DraftStep
from itb_portal.pagecache.pages import forget
from itb_portal.symptoms.rules import load_rules, rules_path
from tests.conftest import person
from tests.helpers import text_of
from tests.test_admin import edit_form

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/booklet/warning-signs/"
MARK = "TEST TRANSLATION"  # stands for words in Urdu: this file never presents text in another language as reviewed


def translation_file(english: Section, *, made_from: str | None = None, leave_out: str = "") -> str:
    """A translation of `english` as content/sections/ur/ would hold it: every data block kept, words marked."""
    blocks = [m for m in re.findall(r"\[\[[^\]]+\]\]", english.body) if m != leave_out]
    own_line = [b for b in blocks if not b.startswith(("[[phone", "[[hours", "[[name"))]
    in_sentence = [b for b in blocks if b not in own_line]
    body = f"## {MARK}: what to look for\n\n{MARK}: call {' or '.join(in_sentence)}.\n\n" + "\n\n".join(own_line)
    front = {
        "title": f"{MARK} {english.title}",
        "slug": english.slug,
        "language": "ur",
        "translated_from": made_from if made_from is not None else english.text_version,
        "summary": f"{MARK} summary",
        "order": english.order,
        "last_reviewed": english.last_reviewed,
        "next_review_due": english.next_review_due,
    }
    return f"---\n{yaml.safe_dump(front, sort_keys=False, allow_unicode=True)}---\n\n{body}\n"


@pytest.fixture
def content(tmp_path, settings):
    """A copy of content/ in use, with the English booklet loaded, and an Urdu translation of the warning signs
    in content/sections/ur/, loaded from git and so never signed off."""
    folder = tmp_path / "content"
    shutil.copytree(rules_path().parent.parent, folder)
    settings.CONTENT_DIR = folder
    assert not load_sections(folder / "sections").errors
    english = Section.objects.get(slug="warning-signs")
    (folder / "sections" / "ur").mkdir()
    (folder / "sections" / "ur" / "100-warning-signs.md").write_text(translation_file(english), encoding="utf-8")
    report = load_sections(folder / "sections")
    assert not report.errors and "ur--warning-signs" in report.created
    return folder


@pytest.fixture
def urdu(content) -> Section:
    return Section.objects.get(translation_of__slug="warning-signs", language="ur")


def page_in(client, language: str, english_path: str) -> str:
    """The page at the English address under the language's prefix (/ur/booklet/...), as a patient reads it."""
    forget()  # the same page in two languages: nothing kept from the last request
    response = client.get(f"/{language}{english_path}")
    if response.status_code == 404:  # before the language prefixes (urls.py, i18n_patterns) are in this branch
        with translation.override(language):
            response = client.get(english_path)
    assert response.status_code == 200
    return response.content.decode()


def approve_translation(approver, draft, translation_reviewer="Nadia Reviewer", note=""):
    draft.refresh_from_db()
    if draft.is_open and not draft.submitted_at:
        workflow.submit(draft, draft.updated_by)
    url = reverse("admin:editorial_draft_approve", args=[draft.pk])
    data = {"note": note, "version": draft.version, "translation_reviewer": translation_reviewer}
    return approver.post(url, data, follow=True)


def signed_off(editor, approver, urdu: Section, **changes) -> Section:
    """An editor saves and submits the translation; a different clinical approver approves it, naming its reviewer."""
    form = edit_form(urdu, translated_from=urdu.translated_from, **changes)
    form["_submit"] = "Save and submit for approval"
    saved = editor.post(reverse("admin:booklet_section_change", args=[urdu.pk]), form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    approved = approve_translation(approver, workflow.open_draft(urdu))
    assert "Approved and published" in approved.content.decode()
    return Section.objects.get(pk=urdu.pk)


# --- Loading content/sections/<language>/ -------------------------------------------------------------------


def test_a_translation_loads_from_its_language_folder_naming_its_english_section_and_text_version(urdu):
    english = Section.objects.get(slug="warning-signs")
    assert urdu.translation_of == english and urdu.language == "ur"
    assert urdu.translated_from == english.text_version and not urdu.translation_out_of_date
    # The booklet in English is unchanged: a translation is never a page of its own in the contents.
    assert urdu not in Section.objects.published()
    assert urdu.get_absolute_url() == english.get_absolute_url()


def test_a_release_never_signs_off_a_translation(urdu):
    assert recorded_sign_off(urdu) is None and not urdu.translation_reviewer


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda text: text.replace("slug: warning-signs", "slug: no-such-page"), "names no English section"),
        (lambda text: text.replace("language: ur", "language: pa"), "belongs in content/sections/pa/"),
        (lambda text: re.sub(r"translated_from: .*\n", "", text), "needs translated_from"),
        (lambda text: text.replace("language: ur", "language: en"), "not a language code other than English"),
        (lambda text: text.replace("[[signs withdrawal]]", ""), "leaves out the data block [[signs withdrawal]]"),
    ],
)
def test_a_translation_file_with_a_problem_is_refused_naming_it_and_nothing_loads(content, change, problem):
    path = content / "sections" / "ur" / "100-warning-signs.md"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    (content / "sections" / "010-spasticity.md").write_text(
        (content / "sections" / "010-spasticity.md").read_text(encoding="utf-8").replace("title: ", "title: New "),
        encoding="utf-8",
    )
    report = load_sections(content / "sections")
    assert any(problem in error and "100-warning-signs.md" in error for error in report.errors), report.errors
    assert not Section.objects.filter(title__startswith="New ").exists()  # all or nothing


def test_export_writes_a_translation_back_to_its_language_folder(urdu, tmp_path):
    written = export_sections(tmp_path / "out")
    path = tmp_path / "out" / "ur" / "100-warning-signs.md"
    assert path in written
    text = path.read_text(encoding="utf-8")
    assert (
        "slug: warning-signs" in text and "language: ur" in text and f"translated_from: {urdu.translated_from}" in text
    )
    # And it loads again as the same translation.
    assert not load_sections(tmp_path / "out").errors
    assert Section.objects.filter(translation_of__slug="warning-signs", language="ur").count() == 1


# --- Nothing unapproved is shown ------------------------------------------------------------------------------


def test_an_unapproved_translation_never_shows_and_the_page_says_in_english_how_to_ask_for_one(client, urdu):
    html = page_in(client, "ur", PAGE)
    assert MARK not in html
    assert "Warning signs" in html  # the English page, said to be English
    assert re.search(r'<div class="app-prose" data-testid="section-body" lang="en" dir="ltr">', html)
    ask = re.search(r'data-testid="ask-for-translation" lang="en" dir="ltr">(.*?)</div>', html, re.S)
    number = load_directory().line("nurse-specialist").phones[0].number
    assert "Information in Urdu: call the team on" in text_of(ask.group(1))
    assert number in text_of(ask.group(1)) and "to ask for it." in text_of(ask.group(1))


def test_a_saved_and_submitted_translation_is_not_shown_before_approval(editor, client, urdu):
    form = edit_form(urdu, translated_from=urdu.translated_from, title=f"{MARK} saved")
    form["_submit"] = "Save and submit for approval"
    editor.post(reverse("admin:booklet_section_change", args=[urdu.pk]), form)
    assert workflow.open_draft(urdu).is_submitted
    assert MARK not in page_in(client, "ur", PAGE)


def test_approving_a_translation_without_naming_its_translation_reviewer_is_refused(editor, approver, client, urdu):
    form = edit_form(urdu, translated_from=urdu.translated_from)
    form["_submit"] = "Save and submit for approval"
    editor.post(reverse("admin:booklet_section_change", args=[urdu.pk]), form)
    draft = workflow.open_draft(urdu)
    refused = approve_translation(approver, draft, translation_reviewer="  ")
    assert "Name the translation reviewer" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.is_submitted and draft.last_step(DraftStep.REFUSED)
    assert AuditEntry.objects.filter(action=AuditEntry.REFUSED, what="section ur--warning-signs").exists()
    assert MARK not in page_in(client, "ur", PAGE)


def test_the_approval_page_asks_for_the_translation_reviewer_and_names_the_english(editor, approver, urdu):
    form = edit_form(urdu, translated_from=urdu.translated_from)
    form["_submit"] = "Save and submit for approval"
    editor.post(reverse("admin:booklet_section_change", args=[urdu.pk]), form)
    html = approver.get(reverse("admin:editorial_draft_approve", args=[workflow.open_draft(urdu).pk])).content.decode()
    assert 'name="translation_reviewer"' in html
    assert "A translation into Urdu of “Warning signs”" in html


# --- Approved through the admin, then out of date ---------------------------------------------------------


def test_a_translation_approved_by_a_second_person_naming_its_reviewer_shows_in_its_language(
    editor, approver, client, urdu
):
    urdu = signed_off(editor, approver, urdu, title=f"{MARK} Warning signs, approved")
    assert urdu.translation_reviewer == "Nadia Reviewer" and urdu.approver_name == "ada"
    html = page_in(client, "ur", PAGE)
    assert f"{MARK} Warning signs, approved" in html
    assert re.search(r'<h1 lang="ur" dir="rtl">', html)
    assert re.search(r'data-testid="section-body" lang="ur" dir="rtl">', html)
    assert 'data-testid="ask-for-translation"' not in html and 'data-testid="translation-out-of-date"' not in html
    # Its approval records the translation reviewer: on the draft, its timeline and in the audit log.
    draft = Draft.objects.get(section=urdu, status=Draft.APPROVED)
    assert "Translation reviewer: Nadia Reviewer." in draft.approval_note
    assert AuditEntry.objects.filter(action=AuditEntry.APPROVED, detail__contains="Nadia Reviewer").exists()
    # The English page is unchanged.
    forget()
    english = client.get(PAGE).content.decode()
    assert MARK not in english and "Warning signs" in english


def test_an_editor_cannot_approve_their_own_translation(editing_approver, urdu):
    form = edit_form(urdu, translated_from=urdu.translated_from)
    form["_submit"] = "Save and submit for approval"
    editing_approver.post(reverse("admin:booklet_section_change", args=[urdu.pk]), form)
    refused = approve_translation(editing_approver, workflow.open_draft(urdu))
    assert "You cannot approve a draft you edited" in refused.content.decode()
    assert not Section.objects.get(pk=urdu.pk).translation_reviewer


def test_when_the_english_changes_the_translated_page_is_marked_out_of_date(editor, approver, client, urdu):
    signed_off(editor, approver, urdu)
    assert 'data-testid="translation-out-of-date"' not in page_in(client, "ur", PAGE)
    english = Section.objects.get(slug="warning-signs")
    editor.post(
        reverse("admin:booklet_section_change", args=[english.pk]),
        {**edit_form(english, summary="Signs to look out for, and who to call."), "_submit": "Submit"},
    )
    second = person(type(approver.user), "bea", "Clinical approver")
    approve_translation(second, workflow.open_draft(english))
    assert Section.objects.get(slug="warning-signs").summary == "Signs to look out for, and who to call."

    html = page_in(client, "ur", PAGE)
    assert MARK in html  # still the reviewed translation, now marked
    notice = re.search(r'data-testid="translation-out-of-date">(.*?)data-testid="section-body"', html, re.S).group(1)
    assert 'lang="en"' in notice  # no Urdu out-of-date line is signed off yet: the English line
    assert "This page in Urdu was made from an older English page" in text_of(notice)
    assert 'href="/booklet/warning-signs/"' in notice


def test_a_translated_pages_sign_list_follows_the_data_not_the_translation(
    editor, approver, client, urdu, content, tmp_path, settings
):
    signed_off(editor, approver, urdu)
    old = load_rules().signs["goosebumps"].label
    assert old.lower() in text_of(page_in(client, "ur", PAGE)).lower()

    # A rule's wording changes in the data, as in a deploy; the translation is not saved again.
    changed = tmp_path / "changed"
    shutil.copytree(content, changed)
    rules = changed / "symptoms" / "rules.yaml"
    data = yaml.safe_load(rules.read_text(encoding="utf-8"))
    next(sign for sign in data["signs"] if sign["slug"] == "goosebumps")["label"] = "Hair standing on end"
    rules.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    settings.CONTENT_DIR = changed

    html = text_of(page_in(client, "ur", PAGE)).lower()
    assert MARK.lower() in html  # the translated page
    assert "hair standing on end" in html and old.lower() not in html


def test_a_translation_without_every_english_data_block_is_refused_and_never_shown(editor, approver, client, urdu):
    english = Section.objects.get(slug="warning-signs")
    without = translation_file(english, leave_out="[[signs withdrawal]]").split("---\n", 2)[2].strip()
    form = edit_form(urdu, translated_from=urdu.translated_from, body=without)
    refused = editor.post(reverse("admin:booklet_section_change", args=[urdu.pk]), form)
    assert refused.status_code == 200
    assert "leaves out the data block [[signs withdrawal]]" in refused.content.decode()
    assert workflow.open_draft(urdu) is None


def test_a_release_that_changes_an_approved_translation_takes_it_off_until_approved_again(
    editor, approver, client, urdu, content
):
    signed_off(editor, approver, urdu)
    assert MARK in page_in(client, "ur", PAGE)
    path = content / "sections" / "ur" / "100-warning-signs.md"
    path.write_text(path.read_text(encoding="utf-8").replace("what to look for", "what to watch for"), encoding="utf-8")
    assert not load_sections(content / "sections", force=True).errors
    urdu = Section.objects.get(pk=urdu.pk)
    assert not urdu.translation_reviewer and not urdu.approver_name
    assert MARK not in page_in(client, "ur", PAGE)


# --- The line that says how to ask for a translation ------------------------------------------------------


def write_urdu_line(content: Path, text: str) -> None:
    path = content / "languages.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(lang for lang in data["languages"] if lang["code"] == "ur")["ask_for_translation"] = text
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_language_line_shows_in_its_language_only_once_a_named_approver_signs_it_off(
    editor, approver, client, urdu, content
):
    # An unapproved draft of the line, in test words standing for Urdu.
    write_urdu_line(content, f"{MARK}: call [[phone nurse-specialist]] for this page in your language.")
    html = page_in(client, "ur", PAGE)
    assert f"{MARK}: call" not in html and "Information in Urdu: call the team on" in text_of(html)

    add = reverse("admin:booklet_languagelinesignoff_add")
    assert editor.get(add).status_code == 403  # an editor cannot sign one off
    form = approver.get(add).content.decode()
    assert f"{MARK}: call" in form  # the approver sees the text they sign off
    signed = approver.post(add, {"choice": "ur:ask_for_translation", "translation_reviewer": "Nadia Reviewer"})
    assert signed.status_code == 302
    line = LanguageLineSignOff.objects.get()
    assert (line.approver_name, line.translation_reviewer, line.signed_off_by) == ("ada", "Nadia Reviewer", "ada")

    html = page_in(client, "ur", PAGE)
    ask = re.search(r'data-testid="ask-for-translation" lang="ur" dir="rtl">(.*?)</div>', html, re.S).group(1)
    assert f"{MARK}: call" in ask and load_directory().line("nurse-specialist").phones[0].number in text_of(ask)

    # Changed text is not what was signed off: the English line again, until a new sign-off.
    write_urdu_line(content, f"{MARK}: changed words, not yet signed off.")
    html = page_in(client, "ur", PAGE)
    assert "changed words" not in html and "Information in Urdu: call the team on" in text_of(html)


def test_a_language_line_sign_off_needs_a_translation_reviewer_and_cannot_be_changed(approver, urdu, content):
    write_urdu_line(content, f"{MARK}: a line.")
    add = reverse("admin:booklet_languagelinesignoff_add")
    refused = approver.post(add, {"choice": "ur:ask_for_translation", "translation_reviewer": " "})
    assert refused.status_code == 200 and not LanguageLineSignOff.objects.exists()
    approver.post(add, {"choice": "ur:ask_for_translation", "translation_reviewer": "Nadia Reviewer"})
    line = LanguageLineSignOff.objects.get()
    change = reverse("admin:booklet_languagelinesignoff_change", args=[line.pk])
    assert approver.post(change, {"translation_reviewer": "Someone else"}).status_code == 403
    assert LanguageLineSignOff.objects.get().translation_reviewer == "Nadia Reviewer"


def test_the_urdu_lines_in_git_are_unwritten_so_only_the_english_lines_show():
    """Nobody on the team writes Urdu here: the trust's translation service does, and an approver signs it off."""
    data = yaml.safe_load((ROOT / "content" / "languages.yaml").read_text(encoding="utf-8"))
    for language in data["languages"]:
        assert not language.get("ask_for_translation") and not language.get("out_of_date"), language["code"]


# --- No machine translation -----------------------------------------------------------------------------


MACHINE_TRANSLATION = re.compile(
    r"googletrans|google\.cloud\s*import\s*translate|translate\.googleapis|\bdeepl\b|argostranslate|"
    r"translatepy|libretranslate|api\.cognitive\.microsofttranslator|transformers|easynmt|marianmt",
    re.IGNORECASE,
)


def test_there_is_no_machine_translation_in_the_code_or_its_requirements():
    files = [
        *(ROOT / "itb_portal").rglob("*.py"),
        *(ROOT / "templates").rglob("*.html"),
        *(ROOT / "static" / "js").rglob("*.js"),
        *ROOT.glob("requirements*.txt"),
        ROOT / "package.json",
    ]
    found = [str(path) for path in files if path.exists() and MACHINE_TRANSLATION.search(path.read_text("utf-8"))]
    assert not found
    safety = (ROOT / "docs" / "clinical-safety.md").read_text(encoding="utf-8")
    assert "no machine translation" in safety.lower()


def test_the_preview_of_a_translation_draft_shows_it_in_its_language_at_its_english_place(editor, approver, urdu):
    form = edit_form(urdu, translated_from=urdu.translated_from, title=f"{MARK} previewed")
    editor.post(reverse("admin:booklet_section_change", args=[urdu.pk]), form)
    html = approver.get(reverse("admin:editorial_draft_preview", args=[workflow.open_draft(urdu).pk])).content.decode()
    assert re.search(rf'<h1 lang="ur" dir="rtl">{MARK} previewed</h1>', html)
    assert html.count("Warning signs</a>") <= 1  # in the contents once, as the English section it translates


def test_an_out_of_date_translation_missing_a_block_the_english_gained_loads_but_never_shows(
    editor, approver, client, urdu, content
):
    signed_off(editor, approver, urdu)
    english = content / "sections" / "100-warning-signs.md"
    english.write_text(english.read_text(encoding="utf-8") + "\n[[triggers]]\n", encoding="utf-8")
    assert not load_sections(content / "sections", force=True).errors  # the English release is not held up
    html = page_in(client, "ur", PAGE)
    assert MARK not in html and 'data-testid="ask-for-translation"' in html


def test_the_admin_shows_the_english_text_version_and_a_translations_language_and_english_section(editor, urdu):
    english = Section.objects.get(slug="warning-signs")
    page = editor.get(reverse("admin:booklet_section_change", args=[english.pk])).content.decode()
    assert english.text_version in page
    page = editor.get(reverse("admin:booklet_section_change", args=[urdu.pk])).content.decode()
    assert 'name="translated_from"' in page and f'value="{english.text_version}"' in page
    assert 'name="slug"' not in page  # a translation keeps its English section's address
    assert "Warning signs" in page and "Translation reviewer" in page
