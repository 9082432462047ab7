"""The second half of the booklet (orders 90-170): real content, loaded and served,
keeps the booklet's facts, names, numbers and addresses exactly."""

import re

import pytest
from django.conf import settings

from itb_portal.booklet.loader import LoadReport, load_sections, read_sections, split_front_matter
from itb_portal.booklet.models import Section
from itb_portal.symptoms.rules import load_rules
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

OUR_SLUGS = [
    "your-responsibilities",
    "warning-signs",
    "risks",
    "living-with-a-pump",
    "support-at-home",
    "faqs",
    "useful-organisations",
    "one-patients-experience",
    "glossary",
]
# Sections that say something the sources do not (such as "call 999"), each listed in safety_additions.
WITH_SAFETY_ADDITIONS = {
    "your-responsibilities",
    "warning-signs",
    "risks",
    "living-with-a-pump",
    "support-at-home",
    "faqs",
}

# The booklet's lists (p17), each name mapped to the checker's sign that stands for it. The page
# shows the signs of each list from the data, in the checker's plain words.
BOOKLET_LISTS = {
    "Signs of too little baclofen": (
        "withdrawal",
        {
            "confusion": "confusion",
            "fast heart rate": "fast-heart-rate",
            "fever": "fever",
            "goosebumps": "goosebumps",
            "hallucinations": "hallucinations",
            "increase in stiffness or spasms": "increased-stiffness",
            "itching": "itching",
            "low blood pressure": "low-blood-pressure",
            "seizures": "seizures",
        },
    ),
    "Signs of too much baclofen": (
        "overdose",
        {
            "dizziness": "dizziness",
            "drowsiness": "drowsiness",
            "lightheadedness": "dizziness",
            "weakness of lower limbs": "leg-weakness",
        },
    ),
    "Other side effects": (
        "side-effect",
        {
            "blurred or double vision": "blurred-vision",
            "constipation or diarrhoea": "constipation-diarrhoea",
            "difficulty breathing": "breathing-difficulty",
            "difficulty passing urine": "urine-difficulty",
            "headache": "headache",
            "itching": "itching",
            "lethargy": "lethargy",
            "low blood pressure": "low-blood-pressure",
            "nausea": "nausea-vomiting",
            "numbness": "numbness-tingling",
            "seizures": "seizures",
            "slurred speech": "slurred-speech",
            "tingling": "numbness-tingling",
            "upperbody weakness": "upper-body-weakness",
            "vomiting": "nausea-vomiting",
            "weakness in arms": "arm-weakness",
        },
    ),
}
FAQ_QUESTIONS = [
    "Are there any risks from the surgery?",
    "Can the pump stop working or go wrong?",
    "Can I have an MRI scan?",
    "Do I keep taking my oral anti-spasticity medicines?",
    "Will the pump cure my condition?",
    "Will the pump be visible?",
    "Can I wash and shower with my pump?",
    "Is it okay to have sex with my pump?",
    "What about pregnancy?",
    "Can I travel abroad with a pump?",
    "How long does the pump last?",
    "Can I be cremated with a pump?",
    "Can I take other medicines?",
    "Will the pump affect my daily activities?",
    "Is there anything I should avoid?",
    "Does the pump work straight away?",
    "Will the response be the same as in the trial?",
    "How long will I be in hospital?",
]
GLOSSARY_ANCHORS = [
    "blood-brain-barrier",
    "bolus",
    "catheter",
    "cerebrospinal-fluid-csf",
    "clonus",
    "general-anaesthetic",
    "intrathecal",
    "lumbar-puncture",
    "multidisciplinary-team",
    "neurosurgeon",
    "reservoir",
    "spasm",
    "spasticity",
    "titration",
    "withdrawal",
]
ORGANISATION_ADDRESSES = [
    "www.mssociety.org.uk",
    "www.neural.org.uk",
    "www.medtronic.com",
    "www.brainandspine.org.uk",
    "www.scope.org.uk/support",
    "www.continence-foundation.org.uk",
]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture
def booklet(db):
    report = load_sections(settings.CONTENT_DIR / "sections")
    assert not report.errors
    return {section.slug: section for section in Section.objects.published()}


def plain_text(markup: str) -> str:
    return text_of(markup).lower()


def under_heading(section: Section, heading_start: str) -> str:
    """The plain text of one h2 part of a section, from its heading to the next h2."""
    for part in section.body_html.split("<h2")[1:]:
        text = plain_text("<h2" + part)
        if text.startswith(heading_start.lower()):
            return text
    raise AssertionError(f"no h2 starting {heading_start!r} in {section.slug}")


def front_matter() -> dict[str, dict]:
    files = read_sections(settings.CONTENT_DIR / "sections", LoadReport())
    return {item.slug: split_front_matter(item.path.read_text(encoding="utf-8"))[0] for item in files}


@pytest.mark.parametrize("slug", OUR_SLUGS)
def test_each_section_is_served_with_one_heading_sources_and_review_dates(client, booklet, slug):
    response = client.get(f"/booklet/{slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    section = booklet[slug]
    assert section.source_list
    assert section.last_reviewed.isoformat() == "2023-11-01"
    assert section.next_review_due.isoformat() == "2026-11-01"


def test_sections_keep_their_agreed_order(booklet):
    assert [booklet[slug].order for slug in OUR_SLUGS] == [90, 100, 110, 120, 130, 140, 150, 160, 170]


def test_warning_signs_list_every_symptom_the_booklet_names_in_its_own_group(booklet):
    section = booklet["warning-signs"]
    rules = load_rules()
    for heading, (category, names) in BOOKLET_LISTS.items():
        shown = under_heading(section, heading)
        for name, slug in names.items():
            assert category in rules.signs[slug].categories, (name, slug)
            assert rules.signs[slug].label.lower() in shown, (heading, name)


def test_warning_signs_escalate_red_flags_to_999_and_overdose_to_a_and_e(booklet):
    section = booklet["warning-signs"]
    rules = load_rules()
    assert '<h3 id="red-flags">Call 999 now for any of these:</h3>' in section.body_html
    red_flags = plain_text(section.body_html.split('id="red-flags"')[1].split("<h3")[0])
    for slug in ["hard-to-wake", "seizures", "breathing-difficulty", "confusion", "hallucinations", "slurred-speech"]:
        assert rules.signs[slug].label.lower() in red_flags, slug
    assert '<h3 id="overdose">Go to A&amp;E now if you have:</h3>' in section.body_html
    what_to_do = under_heading(section, "What to do")
    for words in ["turn your pump down", "do not drive yourself", "call 111", "8am to 4pm", "6 weeks"]:
        assert words in what_to_do, words
    for line in ("nurse-specialist", "nhs-111", "ward-l24", "ward-l25"):
        assert f'data-line="{line}"' in section.body_html
    assert 'href="/symptoms/"' in section.body_html
    assert 'href="/contacts/"' in section.body_html


def test_sections_with_safety_additions_are_exactly_those_that_add_to_the_sources():
    meta = front_matter()
    flagged = {slug for slug in OUR_SLUGS if meta[slug].get("safety_additions")}
    assert flagged == WITH_SAFETY_ADDITIONS
    assert any("999" in addition for addition in meta["warning-signs"]["safety_additions"])


@pytest.mark.parametrize("slug", ["warning-signs", "support-at-home"])
def test_urgent_pages_never_give_an_email_address(client, booklet, slug):
    page = client.get(f"/booklet/{slug}/").content.decode()
    assert "mailto:" not in page
    assert EMAIL.search(booklet[slug].body) is None
    assert EMAIL.search(plain_text(page)) is None


def test_risks_keep_the_booklets_numbers(booklet):
    text = plain_text(booklet["risks"].body_html)
    for fact in ["5 in 100", "(5%)", "less than 1 in 10", "less than 10%", "very rare", "consent form", "mri scan"]:
        assert fact in text
    assert "nurse specialist needs to check your pump" in text


def test_living_with_a_pump_keeps_names_and_advice(booklet):
    text = plain_text(booklet["living-with-a-pump"].body_html)
    for fact in [
        "medtronic",
        "power plates (vibrogym)",
        "'cobra'",
        "scuba diving",
        "hyperbaric oxygen therapy",
        "epidural or a caesarean section",
        "id card",
        "metal detectors",
        "funeral director removes it before the cremation",
        "never stop any medicine suddenly",
        "hoist slings",
        "lap-straps",
    ]:
        assert fact in text


def test_support_at_home_links_to_contacts_and_names_the_causes_that_are_not_the_pump(booklet):
    section = booklet["support-at-home"]
    text = plain_text(section.body_html)
    for fact in [
        "urinary tract infection",
        "constipation",
        "renal stones",
        "urine retention",
        "fracture",
        "pressure ulcer",
        "ingrown toenail",
        "ward l24 (neurosurgery)",
        "ward l25 (neurosurgery)",
        "neurology, neurorehabilitation or neurosurgery",
        "next working day",
    ]:
        assert fact in text
    assert 'href="/contacts/"' in section.body_html
    # Numbers live on the contacts page only, so one change there changes them everywhere.
    assert re.search(r"0\d{3} ?\d{3} ?\d{4}", section.body) is None


def test_every_faq_question_is_a_heading_with_its_own_shareable_id(client, booklet):
    body = booklet["faqs"].body_html
    for question in FAQ_QUESTIONS:
        anchor = re.sub(r"[^a-z0-9]+", "-", question.lower()).strip("-")
        assert f'<h2 id="{anchor}">{question}</h2>' in body
    page = client.get("/booklet/faqs/").content.decode()
    assert page.count('"@type": "Question"') == len(FAQ_QUESTIONS)


def test_every_organisation_address_is_a_link_showing_the_address(booklet):
    body = booklet["useful-organisations"].body_html
    for address in ORGANISATION_ADDRESSES:
        assert f'href="https://{address}"' in body
        assert f">{address}</a>" in body
    assert 'href="/contacts/"' in body


def test_glossary_has_every_agreed_term_in_alphabetical_order(booklet):
    body = booklet["glossary"].body_html
    anchors = re.findall(r'<h3 id="([^"]+)">', body)
    assert [anchor for anchor in GLOSSARY_ANCHORS if anchor not in anchors] == []
    terms = re.findall(r"<h3[^>]*>([^<]+)</h3>", body)
    assert terms == sorted(terms, key=str.lower)


def test_the_patient_story_quotes_no_one(booklet):
    section = booklet["one-patients-experience"]
    assert not re.search(r"[\"“”]", section.body)
    assert not re.search(r"(^|\s)'\w[^']*'", section.body)
    text = plain_text(section.body_html)
    for fact in ["erica", "just over 5 years", "every seven months", "pregabalin and paracetamol"]:
        assert fact in text


# The first half of the booklet, written on another branch: links into it are checked once it is merged.
FIRST_HALF_SLUGS = {
    "spasticity",
    "baclofen-and-itb",
    "who-could-have-a-pump",
    "the-trial",
    "the-pump-system",
    "the-operation",
    "finding-your-dose",
    "refills-and-reviews",
}


def test_links_between_sections_land_on_a_real_heading(booklet):
    ids = {slug: set(re.findall(r'id="([^"]+)"', section.body_html)) for slug, section in booklet.items()}
    for slug in OUR_SLUGS:
        for target, anchor in re.findall(r'href="/booklet/([a-z0-9-]+)/(?:#([a-z0-9-]+))?"', booklet[slug].body_html):
            if target not in booklet:
                assert target in FIRST_HALF_SLUGS, f"{slug} links to missing section {target}"
                continue
            assert not anchor or anchor in ids[target], f"{slug} links to missing #{anchor} in {target}"


def test_in_page_links_land_on_a_real_heading(booklet):
    for slug in OUR_SLUGS:
        body = booklet[slug].body_html
        ids = set(re.findall(r'id="([^"]+)"', body))
        for anchor in re.findall(r'href="#([a-z0-9-]+)"', body):
            assert anchor in ids, f"{slug} links to missing #{anchor}"


@pytest.mark.browser
def test_a_shared_faq_link_opens_at_its_question(live_booklet, page):
    page.goto(f"{live_booklet.url}/booklet/faqs/#can-i-have-an-mri-scan")
    heading = page.locator("#can-i-have-an-mri-scan")
    assert heading.inner_text() == "Can I have an MRI scan?"
    assert heading.is_visible()
    assert 0 <= heading.bounding_box()["y"] < 640
