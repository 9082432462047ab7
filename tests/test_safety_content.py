"""The content fixes a clinical-safety review asked for (issue 10): each wrong or missing statement,
proved right on the pages a patient reads."""

import re
from pathlib import Path

import pytest

from itb_portal.contacts.directory import load_directory
from itb_portal.symptoms.rules import load_rules
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

SECTIONS = Path(__file__).resolve().parent.parent / "content" / "sections"


def faq_answer(whole_booklet, question: str) -> str:
    body = whole_booklet["faqs"].body_html
    part = body.split(f">{question}</h2>")[1].split("<h2")[0]
    return text_of(part)


def test_the_cremation_answer_says_the_pump_comes_out_first(whole_booklet):
    answer = faq_answer(whole_booklet, "Can I be cremated with a pump?")
    assert not answer.startswith("Yes")
    assert "The funeral director must remove it before the cremation." in answer
    assert "The funeral director removes it before the cremation." in text_of(
        whole_booklet["living-with-a-pump"].body_html
    )


def test_the_other_medicines_answer_says_to_tell_every_prescriber(whole_booklet):
    answer = faq_answer(whole_booklet, "Can I take other medicines?")
    assert "Tell every doctor, nurse and pharmacist who gives you a medicine that you have a baclofen pump." in answer
    assert "avoid medicines that do not mix with baclofen" in answer
    living = text_of(whole_booklet["living-with-a-pump"].body_html)
    assert "Tell every doctor, nurse, dentist and pharmacist" in living


def test_no_page_suggests_stopping_or_changing_tablets_yourself(whole_booklet):
    for slug in ("spasticity", "finding-your-dose", "faqs", "living-with-a-pump"):
        said = text_of(whole_booklet[slug].body_html)
        assert re.search(
            r"[Nn]ever stop (or change )?(your tablets|any medicine|your spasticity tablets|them)", said
        ), slug
    spasticity = text_of(whole_booklet["spasticity"].body_html)
    assert "If you avoid them, you may not need medicine" not in spasticity
    assert "never stop or change them yourself. Your team lowers them slowly." in spasticity
    assert "Never stop or change your tablets yourself." in faq_answer(
        whole_booklet, "Do I keep taking my oral anti-spasticity medicines?"
    )


def test_stitches_come_out_in_one_statement_everywhere():
    said = []
    for path in sorted(SECTIONS.glob("*.md")):
        for sentence in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8")):
            if re.search(r"stitches", sentence) and re.search(r"\d+ days|10 days", sentence):
                said.append(sentence.strip())
    assert said, "no page says when stitches come out"
    assert all("7 to 10 days after the operation" in sentence for sentence in said), said
    assert not any("after 10 days" in sentence or "7-10" in sentence for sentence in said), said


def test_most_problems_not_from_the_pump_is_said_only_out_of_hours(whole_booklet, client):
    for slug, section in whole_booklet.items():
        said = text_of(section.body_html).lower()
        for match in re.finditer(r"not caused by the pump|nothing to do with the pump", said):
            before = said[max(0, match.start() - 200) : match.start()]
            assert "out of hours" in before, slug
    support = text_of(whole_booklet["support-at-home"].body_html)
    assert "Out of hours, the problem is often not caused by the pump or the baclofen." in support
    assert "But a warning sign always needs the help that the warning signs page says." in support
    assert "More stiffness or spasms than usual can be a sign of too little baclofen" in support
    contacts = text_of(client.get("/contacts/").content.decode())
    out_of_hours = contacts.split("When the ITB team is closed")[-1]
    assert load_directory().out_of_hours[0] in out_of_hours


def test_missed_refills_are_explained_where_refills_and_warning_signs_are(whole_booklet):
    refills = text_of(whole_booklet["refills-and-reviews"].body_html)
    assert "If a refill is missed or late, the pump can run empty." in refills
    assert "withdrawal" in refills and "Cannot get to a refill? Call the ITB team as soon as you know" in refills
    # The MS charity's interval beside the booklet's.
    assert "usually does this every 3 to 6 months" in refills
    assert "An MS charity says a pump needs a refill at least every 6 months." in refills
    warning = text_of(whole_booklet["warning-signs"].body_html)
    assert "If a refill is missed or late, the pump can run empty." in warning
    assert load_rules().signs["missed-refill"].label in warning
    assert "A missed refill can let your pump run empty." in text_of(whole_booklet["your-responsibilities"].body_html)


def test_after_an_mri_scan_the_pages_say_to_watch_for_signs_of_too_little_baclofen(whole_booklet):
    for slug in ("risks", "warning-signs", "faqs"):
        said = text_of(whole_booklet[slug].body_html)
        assert "watch for" in said.lower() and "too little baclofen" in said, slug
    assert load_rules().signs["mri-not-checked"].label in text_of(whole_booklet["warning-signs"].body_html)


def test_the_signs_of_a_wound_infection_are_cited_to_nhs_uk_as_an_addition(whole_booklet):
    label = load_rules().signs["wound-problem"].label
    for slug in ("the-operation", "warning-signs", "risks"):
        section = whole_booklet[slug]
        assert label in text_of(section.body_html), slug
        assert any("NHS.UK" in source for source in section.source_list), slug
        assert "These signs of infection come from NHS.UK" in text_of(section.body_html) or slug == "risks"
    assert "NHS.UK" in load_rules().categories["wound"].source


def test_the_checker_speaks_to_carers_checking_for_someone_else(client, whole_booklet):
    html = text_of(client.get("/symptoms/").content.decode())
    assert "Tick every sign you or the person you care for has now." in html
    assert "If you are checking for someone else, tick what you can see." in html
    rules = load_rules()
    red_flags = {sign.slug for sign in rules.signs_in("red-flags")}
    assert {"confusion", "hard-to-wake"} <= red_flags


def test_the_home_page_says_who_this_is_for_and_that_it_does_not_replace_the_team(client, whole_booklet):
    html = text_of(client.get("/").content.decode())
    for sentence in load_directory().scope:
        assert sentence in html
