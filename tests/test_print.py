"""Printing, on the server: the chooser, the booklet as one document, and what every printout shows."""

import itertools
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from itb_portal.booklet.loader import load_sections
from itb_portal.booklet.models import Section
from itb_portal.printing.booklet import BookletChoice, Refusal, choose_sections
from itb_portal.symptoms.query import MAX_QUERY_LENGTH
from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db

BOOKLET = "/print/booklet/"


class Document(HTMLParser):
    """Headings, ids, links and print-header parts of a page, as a reader of its HTML sees them."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[str, str, str]] = []  # (tag, id, text)
        self.ids: list[str] = []
        self.links: list[dict] = []
        self.images: list[dict] = []
        self._heading: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading = [tag, attrs.get("id") or "", ""]
        if tag == "a":
            self.links.append(attrs)
        if tag == "img":
            self.images.append(attrs)

    def handle_endtag(self, tag):
        if self._heading and tag == self._heading[0]:
            self.headings.append((self._heading[0], self._heading[1], " ".join(self._heading[2].split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._heading[2] += data


def read(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    html = response.content.decode()
    doc = Document()
    doc.feed(html)
    return html, doc


@pytest.fixture
def booklet(db):
    """The real booklet from content/: links between its sections are what the combined document rewrites."""
    assert not load_sections(django_settings.CONTENT_DIR / "sections").errors
    return list(Section.objects.published())


# --- Which sections a printout holds -----------------------------------------------------------


def slugs(choice):
    assert isinstance(choice, BookletChoice), choice
    return [section.slug for section in choice.sections]


def test_no_choice_is_the_whole_booklet_in_booklet_order(fixture_sections):
    choice = choose_sections("", fixture_sections)
    assert choice.whole and slugs(choice) == ["spasticity", "the-trial", "the-pump"]
    assert choice.path == BOOKLET


def test_chosen_sections_come_in_booklet_order_once_each(fixture_sections):
    choice = choose_sections("section=the-pump&section=spasticity&section=the-pump&chosen=yes", fixture_sections)
    assert slugs(choice) == ["spasticity", "the-pump"] and not choice.whole
    assert choice.path == BOOKLET + "?section=spasticity&section=the-pump"


def test_choosing_every_section_is_the_whole_booklet(fixture_sections):
    choice = choose_sections("section=the-pump&section=the-trial&section=spasticity", fixture_sections)
    assert choice.whole and choice.path == BOOKLET


def test_an_unknown_section_is_skipped_and_named(fixture_sections):
    choice = choose_sections("section=the-trial&section=no-such-thing&section=", fixture_sections)
    assert slugs(choice) == ["the-trial"]
    assert choice.skipped == ("no-such-thing",)
    assert choice.message == "We could not find a section called “no-such-thing”, so it is not in this printout."


def test_a_section_named_by_its_old_address_is_still_printed(client, fixture_sections):
    trial = next(s for s in fixture_sections if s.slug == "the-trial")
    trial.slug = "trial-stay"
    trial.save()
    _, doc = read(client, f"{BOOKLET}?section=the-trial&section=the-pump")
    assert [h[2] for h in doc.headings if h[0] == "h2"] == [
        "The trial",
        "The pump",
    ]  # two parts need no list of contents


def test_a_long_unknown_name_is_shortened_when_shown(fixture_sections):
    choice = choose_sections("section=the-trial&section=" + "x" * 300 + "\x07", fixture_sections)
    assert choice.skipped == ("x" * 40 + "…",)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("chosen=yes", "Choose at least one section to print."),
        ("section=&chosen=yes", "Choose at least one section to print."),
        (
            "section=nope&section=nor-this",
            "We could not find these sections, so they are not in this printout: “nope”, “nor-this”.",
        ),
        ("section=" + "a" * MAX_QUERY_LENGTH, "The web address is too long for us to read."),
        (urlencode([("section", "the-trial")] * 101), "The web address names too many sections."),
    ],
)
def test_a_request_with_nothing_printable_is_refused_with_plain_words(fixture_sections, query, words):
    refusal = choose_sections(query, fixture_sections)
    assert isinstance(refusal, Refusal)
    assert refusal.message.startswith(words)


# --- The chooser --------------------------------------------------------------------------


def test_the_chooser_offers_the_whole_booklet_the_sheet_and_each_section_in_order(client, fixture_sections):
    html, doc = read(client, "/print/")
    assert '<form action="/print/booklet/" method="get"' in html
    assert "csrfmiddlewaretoken" not in html
    boxes = [html.index(f'type="checkbox" value="{s.slug}"') for s in fixture_sections]
    assert boxes == sorted(boxes)
    hrefs = [link.get("href") for link in doc.links]
    assert BOOKLET in hrefs and "/symptoms/emergency-sheet/" in hrefs
    assert "data-app-print-actions" not in html  # nothing to print on the chooser itself


def test_the_chooser_ticks_the_sections_it_is_sent_back_with(client, fixture_sections):
    html, _ = read(client, "/print/?section=the-trial")
    assert 'value="the-trial" checked' in html
    assert 'value="spasticity" checked' not in html


def test_the_chooser_ignores_an_odd_address_and_ticks_nothing(client, fixture_sections):
    for query in ["section=nope", urlencode([("section", "the-trial")] * 2000)]:
        html, _ = read(client, f"/print/?{query}")
        assert not re.search(r"<input[^>]*\schecked", html)


@pytest.mark.parametrize(
    "query",
    ["chosen=yes", "section=nope", "section=" + "a" * 3000, urlencode([("section", "x")] * 200)],
)
def test_nothing_printable_shows_the_chooser_again_with_a_400(client, fixture_sections, query):
    html, doc = read(client, f"{BOOKLET}?{query}", status=400)
    assert "There is a problem" in html and "nhsuk-error-message" in html
    assert '<form action="/print/booklet/" method="get"' in html
    assert [h[2] for h in doc.headings if h[0] == "h1"] == ["Print the booklet"]
    assert "Traceback" not in html


def test_an_unknown_section_beside_known_ones_is_skipped_with_a_message(client, fixture_sections):
    html, doc = read(client, f"{BOOKLET}?section=the-pump&section=nope")
    assert "We could not find a section called “nope”, so it is not in this printout." in html
    assert [h[2] for h in doc.headings if h[0] == "h2"] == ["The pump"]
    assert 'href="/print/?section=the-pump"' in html  # change the choice, keeping what was valid


@given(query=st.text(max_size=300))
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_query_gets_a_page_or_a_plain_400_never_a_500(client, fixture_sections, query):
    response = client.get(BOOKLET, QUERY_STRING=urlencode({"section": query}) + "&" + urlencode({query: query}))
    assert response.status_code in (200, 400)


# --- The booklet as one document ------------------------------------------------------------


def test_the_whole_booklet_is_one_document_with_a_sane_outline(client, booklet):
    _html, doc = read(client, BOOKLET)
    levels = [h[0] for h in doc.headings]
    assert levels.count("h1") == 1 and doc.headings[0][2] == "The ITB pump booklet"
    section_headings = [h[2] for h in doc.headings if h[0] == "h2"]
    assert section_headings == ["Contents"] + [s.title for s in booklet]
    # No heading skips a level: each is at most one below the one before it.
    numbers = [int(tag[1]) for tag in levels]
    assert all(b <= a + 1 for a, b in itertools.pairwise(numbers)), levels
    assert len(doc.ids) == len(set(doc.ids))


def test_the_contents_list_points_at_each_section_in_order(client, booklet):
    html, doc = read(client, BOOKLET)
    start = html.index('data-testid="print-contents"')
    contents = Document()
    contents.feed(html[start : html.index("</ol>", start)])
    assert [link["href"] for link in contents.links] == [f"#{s.slug}" for s in booklet]
    assert [h[1] for h in doc.headings if h[0] == "h2"][1:] == [s.slug for s in booklet]


def test_links_between_printed_sections_stay_inside_the_document(client, booklet):
    _html, doc = read(client, BOOKLET)
    ids = set(doc.ids)
    inside = [link for link in doc.links if link.get("data-print-see")]
    assert len(inside) > 20  # the booklet links to its glossary often
    for link in inside:
        assert link["href"].startswith("#") and link["href"][1:] in ids, link
    assert not [link for link in doc.links if (link.get("href") or "").startswith("/booklet/")]


def test_a_chosen_section_links_out_to_sections_left_out_with_their_full_address(client, booklet):
    _, doc = read(client, f"{BOOKLET}?section=the-trial")
    glossary = [link for link in doc.links if (link.get("href") or "").startswith("/booklet/glossary/")]
    assert glossary
    for link in glossary:
        assert link["data-print-url"] == "http://testserver" + link["href"]


# --- What every printout shows ----------------------------------------------------------------


def print_header(html: str) -> str:
    start = html.index('data-testid="print-header"')
    return html[start : html.index("</div>\n</div>", start)]


def test_every_page_names_its_title_full_address_qr_code_and_dates_for_print(client, fixture_sections):
    with time_machine.travel("2026-11-24 23:30:00+00:00", tick=False):  # still the 24th in the UK
        for path in public_paths():
            html, doc = read(client, path)
            header = print_header(html)
            assert "Printed on <span data-print-date>24 November 2026</span>" in header, path
            assert re.search(r"(not yet reviewed|Reviewed by|last updated on)", header), path
            assert re.search(r"due (for review in|by) \w+", header), path
            assert 'data-testid="print-address">http://testserver/' in header, path
            qr = [image for image in doc.images if image.get("class") == "app-print-header__qr"]
            assert len(qr) == 1 and qr[0]["src"].startswith("/qr/?page=%2F"), path


def test_the_printed_address_is_the_public_one_when_it_is_set(client, booklet, settings):
    settings.SITE_URL = "https://itb.example.nhs.uk"
    html, _ = read(client, "/booklet/the-trial/")
    assert 'data-testid="print-address">https://itb.example.nhs.uk/booklet/the-trial/<' in html
    assert 'data-print-url="https://itb.example.nhs.uk/booklet/glossary/#bolus"' in html


def test_section_links_print_their_full_address_but_not_fragments_or_phone_numbers(client, booklet):
    _, doc = read(client, "/booklet/warning-signs/")
    body = [link for link in doc.links if link.get("rel") == "noopener noreferrer"]  # links from the Markdown
    assert body
    for link in body:
        href = link["href"]
        if href.startswith(("#", "tel:", "mailto:")):
            assert "data-print-url" not in link, link
        else:
            assert link["data-print-url"] in (href, "http://testserver" + href), link


def test_a_printed_booklet_names_its_canonical_address(client, fixture_sections):
    html, _ = read(client, f"{BOOKLET}?section=the-pump&utm_source=x&section=spasticity&section=the-pump")
    assert (
        'data-testid="print-address">http://testserver/print/booklet/?section=spasticity&amp;section=the-pump<' in html
    )


def test_the_printed_review_dates_are_those_of_the_chosen_sections(client, fixture_sections):
    chosen = next(s for s in fixture_sections if s.slug == "the-trial")
    html, _ = read(client, f"{BOOKLET}?section=the-trial")
    header = print_header(html)
    assert f"booklet of {chosen.last_reviewed:%B %Y}." in header
    assert f"due for review in {chosen.next_review_due:%B %Y}." in header


def test_error_pages_print_no_header(client, fixture_sections):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'data-testid="print-header"' not in response.content.decode()


# --- "Print this page" -------------------------------------------------------------------------


def test_content_pages_offer_a_print_button_for_javascript_and_words_without_it(client, fixture_sections):
    for path in [
        "/",
        "/booklet/the-trial/",
        "/contacts/",
        "/symptoms/result/?sign=itching",
        "/symptoms/emergency-sheet/",
    ]:
        html, _ = read(client, path)
        actions = html[html.index("data-app-print-actions") :]
        template = " ".join(actions[: actions.index("</template>")].split())
        assert re.search(r'<button [^>]*type="button"[^>]*> Print this page </button>', template), path
        assert "choose Print in your browser's menu" in actions.replace("&#39;", "'"), path


def test_without_javascript_a_section_links_to_its_printable_version(client, fixture_sections):
    html, _ = read(client, "/booklet/the-trial/")
    fallback = html[html.index('data-testid="print-fallback"') :]
    assert f'href="{BOOKLET}?section=the-trial">open this section ready to print</a>' in fallback
    home, _ = read(client, "/")
    assert f'href="{BOOKLET}">open the whole booklet ready to print</a>' in home
