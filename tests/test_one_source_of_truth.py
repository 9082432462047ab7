"""One source of clinical truth (issue 10): every sign, its words, its action, every phone number and
opening hour is stated once, in content/ data, and every page shows it from there.

Sections name data blocks ([[signs withdrawal]], [[phone nurse-specialist]] ...) that are filled
in when a page is shown, so a change to the data reaches every page with the deploy that makes
it, without saving any section again.
"""

import copy
import re
import shutil
from pathlib import Path

import pytest
import time_machine
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from itb_portal.booklet.blocks import TYPED_NUMBER, TYPED_TIME, expand, problems
from itb_portal.booklet.loader import LoadReport, load_sections, read_sections
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import contacts_path, load_directory
from itb_portal.symptoms.engine import Context, assess
from itb_portal.symptoms.rules import load_rules, rules_path
from tests.conftest import TUESDAY_MORNING
from tests.helpers import text_of
from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ROOT / "content" / "sections"


@pytest.fixture
def booklet(settings):
    report = load_sections(settings.CONTENT_DIR / "sections")
    assert not report.errors
    return {section.slug: section for section in Section.objects.all()}


def changed_content(tmp_path: Path, *, rules=None, contacts=None) -> Path:
    content = tmp_path / "content"
    shutil.copytree(rules_path().parent.parent, content)
    for change, path in ((rules, content / "symptoms" / "rules.yaml"), (contacts, content / "contacts.yaml")):
        if change:
            data = copy.deepcopy(yaml.safe_load(path.read_text(encoding="utf-8")))
            change(data)
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return content


def test_one_sign_label_changed_in_the_data_changes_the_checker_the_warning_signs_and_the_sheet(
    client, booklet, tmp_path, settings
):
    old = load_rules().signs["goosebumps"].label
    new = "Hair standing on end"

    def relabel(data):
        next(sign for sign in data["signs"] if sign["slug"] == "goosebumps")["label"] = new

    pages = ["/symptoms/", "/booklet/warning-signs/", "/symptoms/emergency-sheet/", "/booklet/risks/"]
    before = {path: text_of(client.get(path).content.decode()).lower() for path in pages}
    assert all(old.lower() in html for html in before.values())
    # The sections are not saved again: only the data changes, as in a deploy.
    settings.CONTENT_DIR = changed_content(tmp_path, rules=relabel)
    for path in pages:
        html = text_of(client.get(path).content.decode()).lower()
        assert new.lower() in html and old.lower() not in html, path
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        result = client.get("/symptoms/result/?sign=goosebumps").content.decode()
    assert new in result and old not in result


def test_one_phone_number_changed_in_the_data_changes_every_page(client, booklet, tmp_path, settings):
    old, new = "0113 392 2178", "0113 496 0000"

    def renumber(data):
        nurse = next(line for line in data["lines"] if line["id"] == "nurse-specialist")
        nurse["phones"][0]["number"] = new

    settings.CONTENT_DIR = changed_content(tmp_path, contacts=renumber)
    showing = []
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        for path in [*public_paths(), "/symptoms/result/?sign=itching"]:
            html = client.get(path).content.decode()
            assert old not in html, path
            assert old.replace(" ", "") not in html, path
            if new in html:
                showing.append(path)
    for path in (
        "/contacts/",
        "/symptoms/emergency-sheet/",
        "/accessibility/",
        "/booklet/warning-signs/",
        "/booklet/support-at-home/",
        "/booklet/refills-and-reviews/",
        "/symptoms/result/?sign=itching",
    ):
        assert path in showing, path


def test_no_section_types_a_phone_number_an_opening_hour_or_a_ward():
    for path in sorted(SECTIONS.glob("*.md")):
        assert problems(path.read_text(encoding="utf-8")) == [], path.name


def test_no_template_types_a_phone_number_or_an_opening_hour():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert TYPED_NUMBER.findall(text) == [], path
        assert TYPED_TIME.findall(text) == [], path


def test_no_template_but_the_page_of_last_resort_types_999_or_111():
    """999 and 111 come from contacts.yaml too (partials/emergency.html), whose check holds those lines to
    exactly those numbers. The 500 page states them itself: it reads no data, which may be what failed."""
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if path.relative_to(ROOT / "templates").as_posix() == "errors/500.html":
            continue
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # comments may name them
        # Names that merely contain them: classes, ids and the line kind ("app-call--999", "nhs-111").
        text = re.sub(r"[\w-]*-(?:999|111)\b|phone\.number == '999'", "", text)
        assert re.findall(r"\b(?:999|111)\b", text) == [], path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Call the ward on 0113 392 7424.", "the phone number 0113 392 7424 is typed in"),
        ("Call 01133927424 now.", "is typed in"),
        ("The team is open from 8am.", "the time '8am' is typed in"),
        ("Open until 16:00.", "the time '16:00' is typed in"),
        ("Call ward L24 for advice.", "is named by hand: use [[name ward-l24]]"),
        ("[[signs sneezing]]", "name one category of signs"),
        ("[[phone nowhere]]", "name one line from contacts.yaml"),
        ("[[shout loudly]]", "[[shout loudly]] is not a data block"),
        ("Signs are [[signs withdrawal]] here.", "must be on a line of its own"),
        ("An unclosed [[phone nurse-specialist", "an unfinished data block"),
    ],
)
def test_a_typed_fact_or_a_block_the_data_cannot_fill_is_named(text, problem):
    found = problems(text)
    assert any(problem in item for item in found), found


def test_a_section_file_with_a_phone_number_or_an_unknown_block_is_refused_naming_the_file(tmp_path):
    folder = tmp_path / "sections"
    folder.mkdir()
    head = "---\ntitle: T\nslug: {slug}\nsummary: S\norder: 1\nlast_reviewed: 2026-01-01\nnext_review_due: 2027-01-01\n---\n\n"
    (folder / "01-number.md").write_text(head.format(slug="number") + "Call 0113 392 2178.\n", encoding="utf-8")
    (folder / "02-block.md").write_text(head.format(slug="block") + "[[signs sneezing]]\n", encoding="utf-8")
    (folder / "03-fine.md").write_text(head.format(slug="fine") + "[[signs withdrawal]]\n", encoding="utf-8")
    report = LoadReport()
    assert [item.slug for item in read_sections(folder, report)] == ["fine"]
    assert any("01-number.md" in error and "0113 392 2178" in error for error in report.errors)
    assert any("02-block.md" in error and "[[signs sneezing]]" in error for error in report.errors)
    with pytest.raises(CommandError, match="2 problem"):
        call_command("load_content", directory=str(folder), verbosity=0)


def test_the_admin_refuses_an_edit_that_types_a_number(booklet):
    from django.core.exceptions import ValidationError

    section = booklet["support-at-home"]
    section.body += "\n\nCall the ward on 0113 392 7424.\n"
    with pytest.raises(ValidationError, match="0113 392 7424"):
        section.full_clean()


def test_a_stored_section_whose_block_the_new_data_lacks_fails_the_release_and_shows_a_notice(
    client, booklet, tmp_path, caplog, settings
):
    # Edited in the admin before a deploy that removed the ward line it names.
    section = booklet["the-operation"]
    Section.objects.filter(pk=section.pk).update(
        body=section.body + "\n\n[[phone secretary-sivakumar]]\n", edited_in_admin=True
    )
    Section.objects.get(pk=section.pk).save()

    def drop_secretary(data):
        data["lines"] = [line for line in data["lines"] if line["id"] != "secretary-sivakumar"]

    settings.CONTENT_DIR = changed_content(tmp_path, contacts=drop_secretary)
    with pytest.raises(CommandError, match="1 section"):
        call_command("load_content", verbosity=0)
    html = client.get("/booklet/the-operation/").content.decode()
    assert 'data-block-missing="phone secretary-sivakumar"' in html
    assert "Part of this page cannot be shown." in html
    assert any("secretary-sivakumar" in record.getMessage() for record in caplog.records)


def test_blocks_are_filled_from_the_data_in_use_when_the_page_is_shown(booklet):
    section = booklet["warning-signs"]
    assert "[[" in section.stored_html  # stored as markers
    assert "[[" not in section.body_html  # shown filled in
    assert section.body_html == expand(section.stored_html)
    assert load_directory().line("nhs-111").name in section.body_html


# --- One answer for each sign, on every page that gives one ---------------------------------


def level_on_warning_signs(html: str) -> dict[str, str]:
    found = {}
    what_to_do = html.split('data-testid="what-to-do"')[1]
    for part in what_to_do.split('<div data-level="')[1:]:
        level, block = part.split('"', 1)
        for label in re.findall(r"<li>(.*?)</li>", block.split("</ul>\n  \n    <p>")[0]):
            found.setdefault(label, level)
    return found


def level_on_sheet(html: str) -> dict[str, str]:
    """The signs each row of the sheet lists under its groups (not its combinations), by level."""
    return {
        level: " ".join(
            text_of(group).lower() for group in re.findall(r"<div [^>]*data-group=[^>]*>(.*?)</div>", row, re.S)
        )
        for level, row in re.findall(r'<tr data-level="([\w-]+)">(.*?)</tr>', html, re.S)
    }


def level_on_form(html: str) -> dict[str, str]:
    found = {}
    for level, block in re.findall(r'data-level="([\w-]+)"(.*?)</fieldset>', html, re.S):
        for slug in re.findall(r'name="sign" type="checkbox" value="([\w-]+)"', block):
            found[slug] = level
    return found


def test_each_sign_gets_one_answer_on_the_checker_the_sheet_the_warning_signs_and_its_result(client, booklet):
    rules = load_rules()
    page = client.get("/booklet/warning-signs/").content.decode().replace("&amp;", "&")
    on_page = level_on_warning_signs(page)
    on_sheet = level_on_sheet(client.get("/symptoms/emergency-sheet/").content.decode())
    on_form = level_on_form(client.get("/symptoms/").content.decode())
    for sign in rules.signs.values():
        result = assess(frozenset({sign.slug}), Context(), TUESDAY_MORNING).level
        assert on_form[sign.slug] == result, sign.slug
        assert on_page[sign.label] == result, sign.slug
        label = sign.label[:1].lower() + sign.label[1:]
        assert [level for level, text in on_sheet.items() if label.lower() in text] == [result], sign.slug


def test_withdrawal_with_a_fever_has_one_answer_on_every_page(client, booklet):
    rule = next(rule for rule in load_rules().rules if rule.id == "fever-with-withdrawal")
    sentence = f"Go to A&E now if you have {rule.summary[:1].lower()}{rule.summary[1:]}."
    for path in ("/symptoms/", "/booklet/warning-signs/"):
        assert sentence in client.get(path).content.decode().replace("&amp;", "&"), path
    assert rule.summary[1:] in client.get("/symptoms/emergency-sheet/").content.decode()
    # Pages that list the signs of withdrawal send you to the one answer rather than give another.
    for slug in ("risks", "faqs"):
        body = booklet[slug].body_html
        assert 'href="/booklet/warning-signs/#what-to-do"' in body, slug
        assert "contact the team for advice" not in text_of(body).lower(), slug
    assert "fever-with-withdrawal" in {rule.id for rule in load_rules().rules_at("go-to-ae")}


def test_the_wards_are_named_and_numbered_from_the_data_only(client, booklet):
    html = client.get("/booklet/the-operation/").content.decode()
    for line_id in ("ward-l24", "ward-l25"):
        line = load_directory().line(line_id)
        assert line.name in html and line.phones[0].number in html
    for path in sorted(SECTIONS.glob("*.md")):
        assert not re.search(r"\bL2[45]\b", path.read_text(encoding="utf-8")), path.name


def test_data_files_are_the_only_place_numbers_live():
    numbers = {phone.number for line in load_directory().lines for phone in line.phones} - {"999", "111"}
    for path in [*SECTIONS.glob("*.md"), *(ROOT / "templates").rglob("*.html"), *(ROOT / "itb_portal").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert not [number for number in numbers if number in text], path
    assert contacts_path().exists()
