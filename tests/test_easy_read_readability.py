"""Easy Read is measured (issue 26): on every Easy Read page and checker screen, every sentence has at
most 15 words, every point has a picture beside it, and the text reads at Flesch–Kincaid grade 4 or
below. Every picture in static/img/easy-read/ is used by some Easy Read page and has a label."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
import textstat
from django.conf import settings

from itb_portal.booklet.readability import page_text, words
from tests.test_easy_read_pages import easy_read_paths

pytestmark = pytest.mark.django_db

MOST_WORDS = 15
MOST_GRADE = 4.0
PICTURES = Path(settings.BASE_DIR) / "static" / "img" / "easy-read"
SVG = "{http://www.w3.org/2000/svg}"


def easy_read_part(html: str) -> ET.Element:
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    (found,) = [e for e in root.iter() if e.get("data-testid") == "easy-read"]
    return found


def points_of(part: ET.Element) -> list[ET.Element]:
    return [e for e in part.iter() if e.get("data-testid") == "easy-read-point"]


def said(part: ET.Element) -> tuple[str, list[str]]:
    """The Easy Read text as a reader meets it, and its sentences (booklet/readability.py's reading)."""
    return page_text("<main>" + ET.tostring(part, encoding="unicode", method="html") + "</main>")


def measured(client) -> dict[str, tuple[float, list[str], list[str]]]:
    found = {}
    for path in easy_read_paths():
        part = easy_read_part(client.get(path).content.decode())
        _prose, sentences = said(part)
        # The Easy Read words themselves: each point's sentences and each sign on a checker screen (not the
        # names of the people a phone button calls, which are contact data).
        texts = [e for e in part.iter() if "app-easy-read__text" in e.get("class", "").split()]
        grade = round(textstat.flesch_kincaid_grade(" ".join(" ".join(e.itertext()).strip() for e in texts)), 1)
        found[path] = (grade, [s for s in sentences if words(s) > MOST_WORDS], list(points_of(part)))
    return found


def test_every_easy_read_sentence_has_at_most_15_words_and_the_points_read_at_grade_4_or_below(client):
    problems = {}
    for path, (grade, long_sentences, _points) in measured(client).items():
        if grade > MOST_GRADE or long_sentences:
            problems[path] = (grade, long_sentences)
    assert problems == {}


def test_every_easy_read_point_has_a_picture_beside_it(client):
    counted = 0
    for path, (_grade, _long, points) in measured(client).items():
        for point in points:
            counted += 1
            pictures = [img for img in point.iter("img") if img.get("data-picture")]
            assert len(pictures) >= 1, (path, "".join(point.itertext())[:80])
            assert "".join(point.itertext()).strip(), path
    assert counted > 100


def test_the_measure_fails_a_long_sentence_and_hard_words():
    part = easy_read_part(
        '<div data-testid="easy-read"><p>Intrathecal baclofen administration necessitates comprehensive multidisciplinary '
        "consideration of physiological contraindications and pharmacological interactions by specialists.</p></div>"
    )
    _prose, sentences = said(part)
    assert [s for s in sentences if words(s) > MOST_WORDS] == []  # 14 words: long enough only in syllables
    assert textstat.flesch_kincaid_grade(" ".join(sentences)) > MOST_GRADE


def test_every_picture_is_used_by_some_easy_read_page_and_has_a_label(client):
    used = set()
    for path in easy_read_paths():
        root = html5lib.parse(client.get(path).content.decode(), treebuilder="etree", namespaceHTMLElements=False)
        used |= {Path(img.get("src", "")).stem for img in root.iter("img") if "/img/easy-read/" in img.get("src", "")}
    pictures = sorted(PICTURES.glob("*.svg"))
    assert pictures
    for picture in pictures:
        assert picture.stem in used, f"{picture.name} is used by no Easy Read page"
        title = ET.fromstring(picture.read_bytes()).find(f"{SVG}title")
        assert title is not None and title.text.strip(), f"{picture.name} has no label"
