"""The first half of the booklet (orders 10 to 80) renders, and keeps the sources' facts exact."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings

from itb_portal.booklet.loader import load_sections
from itb_portal.booklet.models import Section
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

IMAGES = settings.BASE_DIR / "static" / "img"
SVG = "{http://www.w3.org/2000/svg}"

# Facts each page must show word for word: doses, times, sizes, names and figures from the sources.
FACTS = {
    "spasticity": [
        "18,727",
        "84%",
        "30%",
        "urinary retention or infections",
        "low mood",
        "bowel impaction, constipation",
        "tight clothes or splints",
        "red or broken skin",
        "baclofen",
        "tizanidine",
        "gabapentin or pregabalin",
        "clonazepam",
        "Sativex",
        "four-week trial",
        "about half of people with MS",
        "NICE",
    ],
    "baclofen-and-itb": [
        "blood-brain barrier",
        "cerebrospinal fluid, CSF",
        "about 1/100",
        "drowsiness",
        "dizziness",
        "fatigue",
    ],
    "who-could-have-a-pump": [
        "spasticity service",
        "neurophysiotherapist",
        "neurologist or a rehabilitation specialist",
        "Read Erica's story",
    ],
    "the-trial": [
        "Leeds General Infirmary",
        "pre-operative assessment",
        "lumbar",
        "about 30 minutes",
        "25 micrograms",
        "2 to 3 hours",
        "next 2 to 3 days",
        "50 micrograms or 75 micrograms",
        "about 6 hours",
        "nurse specialist",
    ],
    "the-pump-system": [
        "20 ml",
        "40 ml",
        "titanium",
        "8.75cm (3.4 inches)",
        "1.95cm (0.77 inch)",
        "5 to 7 years",
        "microchip",
        "Clinician Programmer",
        "Wireless Communicator",
        "alarm",
        "dummy pump",
    ],
    "the-operation": [
        "general anaesthetic",
        "2 to 4 hours",
        "at least 4 hours",
        "X-rays",
        "contrast",
        "Low Molecular Weight Heparin (LMWH)",
        "7 to 10 days",
        "the day after the operation",
        "6 to 8 weeks",
        "0113 392 7424",
        "0113 392 7425",
    ],
    "finding-your-dose": [
        "each hour",
        "a few weeks",
        "2 to 3 months or longer",
        "Never stop your tablets suddenly",
        "Continuous",
        "Flex dose",
        "Pulsed dose",
        "Patient Therapy Manager (PTM)",
        "Rehabilitation Medicine consultant",
    ],
    "refills-and-reviews": [
        "every 3 to 6 months",
        "refill port",
        "does not usually hurt",
        "5 to 7 years",
        "estimate",
        "catheter",
        "GP",
    ],
}
PICTURES = {"the-pump-system": "pump-system.svg", "refills-and-reviews": "patient-journey.svg"}
# Each picture is followed by the same information in words, for people who cannot see it.
TEXT_ALTERNATIVES = {
    "the-pump-system": "What the picture shows: a body seen from the side.",
    "refills-and-reviews": "Battery replacement: a new pump, usually after 5 to 7 years.",
}
GLOSSARY_ANCHORS = {
    "spasticity",
    "spasm",
    "clonus",
    "intrathecal",
    "cerebrospinal-fluid-csf",
    "catheter",
    "lumbar-puncture",
    "bolus",
    "titration",
    "reservoir",
    "withdrawal",
    "blood-brain-barrier",
    "general-anaesthetic",
    "neurosurgeon",
    "multidisciplinary-team",
}


class PageParts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.images: list[dict] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.h1 += tag == "h1"
        if tag == "img":
            self.images.append(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


@pytest.fixture
def real_content(db):
    report = load_sections(settings.CONTENT_DIR / "sections")
    assert report.errors == []
    return report


def page(client, slug: str) -> tuple[str, PageParts]:
    response = client.get(f"/booklet/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    parts = PageParts()
    parts.feed(html)
    return html, parts


@pytest.mark.parametrize("slug", FACTS)
def test_section_renders_with_one_heading_and_its_exact_facts(client, real_content, slug):
    html, parts = page(client, slug)
    assert parts.h1 == 1
    words = text_of(html)
    missing = [fact for fact in FACTS[slug] if fact not in words]
    assert missing == []


def test_every_section_of_the_first_half_is_loaded(real_content):
    assert set(FACTS) <= set(real_content.created)


@pytest.mark.parametrize("slug", FACTS)
def test_section_links_only_to_pages_and_parts_that_exist(client, real_content, slug):
    _, parts = page(client, slug)
    for href in parts.links:
        match = re.fullmatch(r"/booklet/([a-z0-9-]+)/(?:#([a-z0-9_-]+))?", href)
        if not match:
            continue
        target, anchor = match.groups()
        assert Section.objects.published().filter(slug=target).exists(), href
        if anchor:
            assert f'id="{anchor}"' in client.get(f"/booklet/{target}/").content.decode(), href


def test_section_links_to_an_anchor_of_another_section_that_exists(client, real_content):
    _, pump_parts = page(client, "the-pump-system")
    assert "/booklet/refills-and-reviews/#the-battery" in pump_parts.links
    html, _ = page(client, "refills-and-reviews")
    assert 'id="the-battery"' in html


@pytest.mark.parametrize(("slug", "name"), PICTURES.items())
def test_picture_is_shown_with_alt_text_and_a_text_alternative(client, real_content, slug, name):
    html, parts = page(client, slug)
    shown = [img for img in parts.images if img.get("src") == f"/static/img/{name}"]
    assert len(shown) == 1
    assert len(shown[0].get("alt", "").split()) >= 4
    assert TEXT_ALTERNATIVES[slug] in text_of(html)
    assert client.get(f"/static/img/{name}").status_code == 200


@pytest.mark.parametrize("name", PICTURES.values())
def test_picture_is_small_accessible_svg_that_scales_to_a_phone(name):
    path = IMAGES / name
    assert path.stat().st_size < 8 * 1024
    root = ET.parse(path).getroot()
    assert root.get("role") == "img"
    assert root.get("viewBox")
    assert root.get("width") == "100%"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text.strip()
    assert desc is not None and len(desc.text.split()) >= 10
    # No inline styles or scripts: the site's content security policy forbids them.
    assert root.find(f".//{SVG}script") is None
    assert root.find(f".//{SVG}style") is None
    assert not [el for el in root.iter() if "style" in el.attrib]


def test_timeline_shows_every_step_of_the_journey_in_order():
    root = ET.parse(IMAGES / "patient-journey.svg").getroot()
    labels = [el.text for el in root.iter(f"{SVG}text") if el.get("font-size") == "16"]
    assert labels == [
        "Referral",
        "Assessment",
        "Trial",
        "Implant",
        "Finding your dose",
        "Refills",
        "Battery replacement",
    ]


@pytest.mark.browser
def test_pictures_load_and_fit_a_320px_phone(live_booklet, page):
    page.set_viewport_size({"width": 320, "height": 640})
    for slug in FACTS:
        page.goto(f"{live_booklet.url}/booklet/{slug}/")
        pictures = page.locator("[data-testid=section-body] img").all()
        assert len(pictures) == (1 if slug in PICTURES else 0), slug
        for img in pictures:
            # A picture that failed to load has no natural width.
            assert img.evaluate("el => el.complete && el.naturalWidth > 0"), slug
            assert img.bounding_box()["width"] <= 320, slug


def test_glossary_explains_every_term_the_sections_link_to(client, real_content):
    html = client.get("/booklet/glossary/").content.decode()
    missing = [anchor for anchor in sorted(GLOSSARY_ANCHORS) if f'id="{anchor}"' not in html]
    assert missing == []
