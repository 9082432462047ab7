"""FAQ structured data: questions and answers found in a section, served as safe JSON-LD."""

import json
import re

import pytest
from django.test import RequestFactory

from itb_portal.booklet.faq import faq_entries, faq_json_ld, is_faq_page
from itb_portal.booklet.models import Section

FAQ_BODY = """
Some words before any question.

## Can I swim?

Yes, once your wounds have **healed**.

Ask the team if you are unsure.

## Does it hurt?

- A little at first
- Then not at all
"""


def make_section(body: str, slug: str = "faqs") -> Section:
    return Section.objects.create(
        title="Questions",
        slug=slug,
        summary="Questions people ask.",
        order=1,
        body=body,
        last_reviewed="2023-11-01",
        next_review_due="2026-11-01",
    )


def ld_blocks(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in found]


def test_entries_are_question_headings_with_the_text_up_to_the_next_heading():
    html = (
        '<p>Intro</p><h2 id="a">Can I swim?</h2><p>Yes, once <strong>healed</strong>.</p><p>Ask us.</p>'
        '<h2 id="b">Travel</h2><p>Skip me.</p><h2 id="c">Does it hurt?</h2><ul><li>A little</li><li>No</li></ul>'
    )
    assert faq_entries(html) == [
        ("Can I swim?", "Yes, once healed. Ask us."),
        ("Does it hurt?", "A little No"),
    ]


def test_entries_decode_entities_and_ignore_a_question_with_no_answer():
    html = "<h2>Is A&amp;E open?</h2><p>Always &amp; every day.</p><h2>Empty?</h2>"
    assert faq_entries(html) == [("Is A&E open?", "Always & every day.")]


def test_only_a_page_whose_every_h2_is_a_question_is_an_faq_page():
    assert is_faq_page("<h2>Can I swim?</h2><p>Yes.</p><h2>Does it hurt?</h2><p>No.</p>")
    assert not is_faq_page("<h2>Battery</h2><p>5-7 years.</p><h2>Will it show?</h2><p>Rarely.</p>")
    assert not is_faq_page("<p>No headings at all.</p>")


def test_no_questions_means_no_entries():
    assert faq_entries("<h2>Travel</h2><p>Words.</p>") == []
    assert faq_entries("") == []


@pytest.mark.django_db
def test_json_ld_is_an_faq_page_holding_every_question():
    section = make_section(FAQ_BODY)
    request = RequestFactory().get(section.get_absolute_url())
    data = json.loads(faq_json_ld(section, request))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "FAQPage"
    assert data["url"] == "http://testserver/booklet/faqs/"
    questions = [item["name"] for item in data["mainEntity"]]
    assert questions == ["Can I swim?", "Does it hurt?"]
    first = data["mainEntity"][0]
    assert first["@type"] == "Question"
    assert first["acceptedAnswer"] == {
        "@type": "Answer",
        "text": "Yes, once your wounds have healed. Ask the team if you are unsure.",
    }


@pytest.mark.django_db
def test_json_ld_is_empty_for_a_section_without_questions():
    section = make_section("## Travel\n\nTake your card.\n")
    assert faq_json_ld(section, RequestFactory().get("/")) == ""


@pytest.mark.django_db
def test_json_ld_is_empty_for_a_section_with_one_question_among_other_headings():
    section = make_section("## Battery\n\nIt lasts 5-7 years.\n\n## Will it show?\n\nUsually not.\n")
    assert faq_json_ld(section, RequestFactory().get("/")) == ""


@pytest.mark.django_db
def test_a_closing_script_tag_in_content_cannot_break_out_of_the_json_ld():
    section = make_section("## Is this safe?\n\nTry `</script><script>alert(1)</script>` here.\n")
    text = faq_json_ld(section, RequestFactory().get("/"))
    assert "</" not in text and "<" not in text
    answer = json.loads(text)["mainEntity"][0]["acceptedAnswer"]["text"]
    assert answer == "Try </script><script>alert(1)</script> here."


@pytest.mark.django_db
def test_faq_section_page_carries_the_json_ld_in_its_head(client):
    make_section(FAQ_BODY)
    html = client.get("/booklet/faqs/").content.decode()
    head = html.split("</head>")[0]
    blocks = ld_blocks(head)
    assert len(blocks) == 1
    assert blocks[0]["@type"] == "FAQPage"
    assert [item["name"] for item in blocks[0]["mainEntity"]] == ["Can I swim?", "Does it hurt?"]


@pytest.mark.django_db
def test_a_section_without_questions_has_no_json_ld(client):
    make_section("## Travel\n\nTake your card.\n", slug="travel")
    html = client.get("/booklet/travel/").content.decode()
    assert "application/ld+json" not in html


# --- The list of questions an FAQ page starts with -----------------------------------------------


@pytest.mark.django_db
def test_an_faq_page_lists_every_question_after_its_opening_words_each_linking_to_its_answer(client):
    section = make_section(FAQ_BODY)
    html = client.get(section.get_absolute_url()).content.decode()
    listed = re.search(r'<nav[^>]*data-testid="faq-questions"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'href="#([^"]+)">([^<]+)</a>', listed) == [
        ("can-i-swim", "Can I swim?"),
        ("does-it-hurt", "Does it hurt?"),
    ]
    # The page's opening words come first, then the questions, then the answers, each at its id.
    assert html.index("Some words before any question") < html.index('data-testid="faq-questions"')
    assert (
        html.index('data-testid="faq-questions"')
        < html.index('<h2 id="can-i-swim">')
        < html.index('<h2 id="does-it-hurt">')
    )


@pytest.mark.django_db
def test_a_page_that_is_not_all_questions_has_no_question_list(client):
    section = make_section("Words.\n\n## Can I swim?\n\nYes.\n\n## Swimming\n\nMore.", slug="swim")
    assert 'data-testid="faq-questions"' not in client.get(section.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_real_faq_lists_all_its_questions(client):
    from django.conf import settings

    from itb_portal.booklet.loader import load_sections

    assert not load_sections(settings.CONTENT_DIR / "sections").errors
    faqs = Section.objects.get(slug="faqs")
    html = client.get(faqs.get_absolute_url()).content.decode()
    listed = re.search(r'data-testid="faq-questions"[^>]*>(.*?)</nav>', html, re.S).group(1)
    questions = [question for question, _ in faq_entries(faqs.body_html)]
    assert len(questions) >= 15
    assert [
        re.sub(r"&#39;|&amp;", lambda m: {"&#39;": "'", "&amp;": "&"}[m.group(0)], q)
        for q in re.findall(r'">([^<]+)</a>', listed)
    ] == questions
