"""Questions and answers in a section, for schema.org FAQPage structured data.

A question is any h2 whose text ends in "?"; its answer is the plain text that
follows, up to the next h2. A section is an FAQ page only when every h2 in it is
a question: a page that asks one question among other headings ("Will it show?")
is not an FAQ page, and search engines penalise FAQ markup on such pages.
The HTML is our own sanitised body_html, so a small standard-library parser is enough.
"""

from __future__ import annotations

import json
from html import unescape
from html.parser import HTMLParser

from django.http import HttpRequest

from .html import End, Tag, parse
from .models import Section

# Tags whose edges separate words, so "</p><p>" never glues two words together.
_BLOCK_TAGS = {"p", "li", "ul", "ol", "h3", "h4", "br", "table", "tr", "td", "th", "dt", "dd", "blockquote"}


class _FaqParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, list[str]]] = []  # (h2 text, text after it)
        self._in_h2 = False
        self._heading: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "h2":
            self._in_h2 = True
            self._heading = []
        elif tag in _BLOCK_TAGS:
            self._add(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._in_h2:
            self._in_h2 = False
            self.blocks.append(("".join(self._heading), []))
        elif tag in _BLOCK_TAGS:
            self._add(" ")

    def handle_data(self, data: str) -> None:
        self._add(data)

    def _add(self, text: str) -> None:
        if self._in_h2:
            self._heading.append(text)
        elif self.blocks:
            self.blocks[-1][1].append(text)


def _plain(text: str) -> str:
    return " ".join(text.split())


def _h2_blocks(body_html: str) -> list[tuple[str, str]]:
    parser = _FaqParser()
    parser.feed(body_html or "")
    parser.close()
    return [(_plain(heading), _plain("".join(parts))) for heading, parts in parser.blocks]


def faq_entries(body_html: str) -> list[tuple[str, str]]:
    """Each (question, answer) pair, in page order. Headings that are not questions are skipped."""
    return [(heading, text) for heading, text in _h2_blocks(body_html) if heading.endswith("?") and text]


def is_faq_page(body_html: str) -> bool:
    blocks = _h2_blocks(body_html)
    return bool(blocks) and all(heading.endswith("?") for heading, _ in blocks)


def question_links(body_html: str) -> list[tuple[str, str]]:
    """(heading id, question) for each question of an FAQ page, in page order; [] for any other page.

    The page lists them first, each a link to its answer."""
    if not is_faq_page(body_html):
        return []
    found, current = [], None
    for part in parse(body_html):
        if isinstance(part, Tag) and part.name == "h2":
            current = (dict(part.attrs).get("id", ""), [])
        elif isinstance(part, End) and part.name == "h2" and current:
            if current[0]:
                found.append((current[0], _plain(unescape("".join(current[1])))))
            current = None
        elif isinstance(part, str) and current:
            current[1].append(part)
    return found


def _safe_in_script(text: str) -> str:
    # Inside <script>, "</" could close the element early; escaped this way it is still valid JSON.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def faq_json_ld(section: Section, request: HttpRequest) -> str:
    """JSON-LD for an FAQ section's questions, or "" when the section is not an FAQ page."""
    entries = faq_entries(section.body_html)
    if not entries or not is_faq_page(section.body_html):
        return ""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": request.build_absolute_uri(section.get_absolute_url()),
        "name": section.title,
        "mainEntity": [
            {"@type": "Question", "name": question, "acceptedAnswer": {"@type": "Answer", "text": answer}}
            for question, answer in entries
        ],
    }
    return _safe_in_script(json.dumps(data, ensure_ascii=False))
