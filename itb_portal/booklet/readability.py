"""Readability, measured as NHS content style asks: Flesch–Kincaid grade 7 or below, and sentences
of 20 words or fewer.

Pages are measured as a reader meets them: all the visible text inside a rendered page's `<main>`
(the accessibility statement, the emergency sheet and the checker too), not the Markdown alone. A
list is read as part of the sentence that introduces it ("Signs of an overdose are: drowsiness,
weak legs, dizziness."), so its items are joined into that sentence rather than counted as short
sentences of their own; a list with no introduction ending in a colon is read item by item. A
heading or label with no full stop runs into the sentence after it, as in a plain-text checker.

Text hidden from sighted readers is left out: anything `hidden`, `aria-hidden`, visually hidden
for screen readers, shown only on paper, or inside a closed `<details>` (its summary is read).
The 20-word limit applies to the sentences an editor writes, not to a sentence made long by the
list it introduces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import textstat

MAX_GRADE = 7.0
MAX_SENTENCE_WORDS = 20

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`>#|]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

# Elements whose edges end a run of text.
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "label",
    "legend", "li", "main", "nav", "ol", "p", "section", "summary", "table", "td", "th", "tr", "ul",
}  # fmt: skip
_LISTS = {"ul", "ol", "dl"}
_INVISIBLE_TAGS = {"script", "style", "template", "noscript", "svg", "head", "title"}
_INVISIBLE_CLASSES = {"nhsuk-u-visually-hidden", "app-print-only"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def words(sentence: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’\-/.]*", sentence))


@dataclass
class _Run:
    text: str
    item: bool  # a list item (or a checkbox), to be joined into the sentence that introduces it
    aside: bool  # a hint: read on its own, without ending the introduction of the list after it


class _Main(HTMLParser):
    """The visible text runs inside <main>, in reading order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[_Run] = []
        self._stack: list[tuple[str, bool, bool, bool]] = []  # (tag, hidden, item, aside)
        self._buffer: list[str] = []
        self._in_main = 0

    def _flags(self) -> tuple[bool, bool, bool]:
        hidden = any(entry[1] for entry in self._stack)
        item = any(entry[2] for entry in self._stack)
        aside = any(entry[3] for entry in self._stack)
        return hidden, item, aside

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if text:
            _, item, aside = self._flags()
            self.runs.append(_Run(text, item, aside))

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "main":
            self._in_main += 1
        if tag in _BLOCKS:
            self._flush()
        if tag in _VOID:
            return
        classes = set((attributes.get("class") or "").split())
        # A closed <details> shows its summary only: the rest is read once it is opened.
        in_closed_details = bool(self._stack) and self._stack[-1][0] == "details:closed" and tag != "summary"
        hidden = (
            tag in _INVISIBLE_TAGS
            or "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
            or bool(classes & _INVISIBLE_CLASSES)
            or in_closed_details
        )
        if tag == "details" and "open" not in attributes:
            tag = "details:closed"
        item = tag == "li" or "nhsuk-checkboxes__item" in classes or "nhsuk-radios__item" in classes
        aside = "nhsuk-hint" in classes
        self._stack.append((tag, hidden, item, aside))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._flush()
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0].split(":")[0] == tag:
                del self._stack[index:]
                break
        if tag == "main":
            self._in_main -= 1

    def handle_data(self, data: str) -> None:
        if self._in_main and not self._flags()[0]:
            self._buffer.append(data)


def _end(text: str) -> str:
    return text if text[-1] in ".!?" else text.rstrip(":;,") + "."


def page_text(html: str) -> tuple[str, list[str]]:
    """The visible text of a page's <main> as one piece of prose, and the sentences written as such.

    Text is read as a plain-text readability checker reads a page: a heading, a label or a
    paragraph with no full stop of its own runs into what follows it (the stricter reading). A list
    is read as part of the sentence that introduces it (the run before it, ending with a colon),
    and that sentence ends with the list. The items of a list with no introduction (a list of
    links, say) are read one at a time.
    """
    parser = _Main()
    parser.feed(html)
    parser.close()
    blocks: list[str] = []
    written: list[str] = []
    intro: int | None = None  # the block that introduces the list now being read
    for run in parser.runs:
        if run.item and intro is not None:
            joiner = " " if blocks[intro].endswith(":") else ", "
            blocks[intro] = blocks[intro] + joiner + run.text.rstrip(".;")
            continue
        if intro is not None and not run.aside and not blocks[intro].endswith(":"):
            blocks[intro] = _end(blocks[intro])  # the list, and so its sentence, has ended
        blocks.append(_end(run.text) if run.item else run.text)
        written += [sentence for sentence in _SENTENCE_END.split(run.text) if sentence]
        if run.text.endswith(":") and not run.item:
            intro = len(blocks) - 1
        elif not run.aside:
            intro = None
    if intro is not None:
        blocks[intro] = _end(blocks[intro])
    return " ".join(blocks), written


@dataclass(frozen=True)
class Readability:
    grade: float
    words: int
    long_sentences: list[str]

    @property
    def ok(self) -> bool:
        return self.grade <= MAX_GRADE and not self.long_sentences


def measure_page(html: str) -> Readability:
    """The grade of everything a reader sees inside <main>, lists read into their introductions."""
    prose, written = page_text(html)
    return Readability(
        grade=round(textstat.flesch_kincaid_grade(prose), 1) if prose else 0.0,
        words=textstat.lexicon_count(prose),
        long_sentences=[sentence for sentence in written if words(sentence) > MAX_SENTENCE_WORDS],
    )


def plain_sentences(markdown_text: str) -> list[str]:
    """The sentences an editor wrote in Markdown, one list item or heading at a time."""
    sentences: list[str] = []
    for raw in markdown_text.splitlines():
        line = _LINK.sub(r"\1", raw)
        line = re.sub(r"^\s*([-*+]|\d+\.)\s+", "", line)
        line = _MARKUP.sub(" ", line).strip()
        if not line or set(line) <= set("-: ") or re.fullmatch(r"\[\[[^\]]*\]\]", line):
            continue
        sentences += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return sentences


def long_sentences(markdown_text: str) -> list[str]:
    return [s for s in plain_sentences(markdown_text) if words(s) > MAX_SENTENCE_WORDS]


def page_paths() -> list[str]:
    """Every kind of public page a reader can meet: each section, the checker and a result at each
    level, the emergency sheet, contacts, the accessibility statement, the print and share pages, and
    a search, and the pump card with its printouts and offline pages."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from .models import Section

    result = reverse("symptoms:result")
    return [
        reverse("booklet:home"),
        *(section.get_absolute_url() for section in Section.objects.published()),
        reverse("symptoms:checker"),
        result + "?sign=seizures",
        result + "?sign=drowsiness",
        result + "?sign=itching",
        result + "?sign=wound-problem&recent_operation=yes",
        result,
        reverse("symptoms:emergency_sheet"),
        reverse("contacts:index"),
        reverse("booklet:accessibility"),
        reverse("printing:index"),
        reverse("sharing:share") + "?" + urlencode({"page": reverse("contacts:index")}),
        reverse("search:results") + "?q=itchy",
        reverse("companion:my_pump"),
        reverse("companion:wallet_card"),
        reverse("companion:handover_sheet"),
        reverse("companion:offline"),
        reverse("companion:offline_check"),
    ]
