"""The accessibility statement: every part of the GOV.UK model, contact routes that exist,
never the unmonitored inbox, and NHS content style."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from itb_portal.booklet.readability import MAX_SENTENCE_WORDS, words
from itb_portal.contacts.directory import load_directory

pytestmark = pytest.mark.django_db

MODEL_SECTIONS = [
    "Using this website",
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "Content that is not accessible",
    "Disproportionate burden",
    "Content that is not covered by the rules",
    "How we tested this website",
    "Preparation of this accessibility statement",
]


class MainText(HTMLParser):
    """Headings, and the text of each paragraph and list item, inside <main>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_main = False
        self.headings: list[str] = []
        self.blocks: list[str] = []
        self.hrefs: list[str] = []
        self._current: list[str] | None = None
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))
        if tag in {"h1", "h2", "h3", "p", "li"}:
            self._current, self._tag = [], tag

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if self._current is not None and tag == self._tag:
            text = " ".join("".join(self._current).split())
            (self.headings if tag.startswith("h") else self.blocks).append(text)
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)


@pytest.fixture
def statement(client, fixture_sections):
    response = client.get(reverse("booklet:accessibility"))
    assert response.status_code == 200
    parser = MainText()
    parser.feed(response.content.decode())
    return parser


def test_it_has_every_part_of_the_model_statement(statement):
    for heading in MODEL_SECTIONS:
        assert heading in statement.headings, heading


def test_it_names_who_runs_the_site_and_what_it_covers(statement):
    text = " ".join(statement.blocks)
    assert "The Leeds Teaching Hospitals NHS Trust runs this website" in text
    assert "This statement is about this website: http://testserver/" in text


def test_feedback_goes_to_the_team_phone_from_the_contacts_file(statement):
    team = load_directory().line("nurse-specialist")
    phone = team.phones[0]
    assert f"tel:{phone.tel}" in statement.hrefs
    text = " ".join(statement.blocks)
    assert f"Opening hours: {team.hours_text}." in text
    assert f"Dial 18001 then {phone.number}" in text


def test_it_never_sends_anyone_to_the_unmonitored_inbox(statement):
    address = load_directory().email_address
    assert not any(href.startswith("mailto:") for href in statement.hrefs)
    assert address not in " ".join(statement.blocks)
    assert "Do not use the team's email address for this. Nobody checks that inbox." in statement.blocks


def test_it_says_how_to_get_urgent_help(statement):
    assert reverse("symptoms:checker") in statement.hrefs
    assert any("In an emergency, call 999." in block for block in statement.blocks)


def test_it_says_what_works_less_well_and_how_it_was_tested(statement):
    text = " ".join(statement.blocks)
    for known in ("printout", "QR code", "fill in by hand", "by phone"):
        assert known in text, known
    for test in ("axe", "320 pixels", "200% zoom", "text spacing", "JavaScript turned off", "keyboard"):
        assert test in text, test
    assert "has not yet had an independent audit" in text
    assert re.search(r"last tested on \d{1,2} \w+ 20\d\d", text)
    assert re.search(r"prepared on \d{1,2} \w+ 20\d\d\. It was last updated on \d{1,2} \w+ 20\d\d", text)


def test_the_enforcement_bodies_are_named_and_linked(statement):
    text = " ".join(statement.blocks)
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "https://www.equalityadvisoryservice.com/" in statement.hrefs


def test_sentences_are_short(statement):
    long = []
    for block in statement.blocks:
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", block):
            if words(sentence) > MAX_SENTENCE_WORDS:
                long.append(sentence)
    assert long == []
