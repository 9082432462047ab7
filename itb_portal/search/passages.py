"""The booklet as a reader meets it, cut into passages: each section's opening, then one passage
for each h2 and h3 heading (with the id the page gives it, so a result links straight there).

Built from the section's rendered, sanitised HTML, so the search finds what the page shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

PASSAGE_HEADINGS = {"h2", "h3"}
# Elements whose text stands apart: each becomes its own block, so a snippet never runs two
# paragraphs or list items together.
BLOCKS = {
    "p",
    "li",
    "dt",
    "dd",
    "td",
    "th",
    "caption",
    "summary",
    "blockquote",
    "pre",
    "h4",
    "br",
    "tr",
    "ul",
    "ol",
    "dl",
    "table",
    "details",
}


@dataclass(frozen=True)
class Passage:
    section: str  # the section's title
    heading: str  # the heading's words; the section's title for its opening
    parent: str  # for an h3, the h2 it sits under
    url: str  # the page's address, with the heading's #anchor for a heading's part
    blocks: tuple[str, ...]  # the text, one paragraph or list item each

    @property
    def text(self) -> str:
        return "\n".join(self.blocks)

    @property
    def where(self) -> str:
        """Where the passage sits, unless its heading is the section's own: the section, and the h2 above an h3."""
        if self.heading == self.section:
            return ""
        return " › ".join(part for part in (self.section, self.parent) if part)


class _Splitter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str, str, list[str]]] = []  # (level, id, heading, blocks)
        self._heading: tuple[str, str] | None = None  # (tag, id) of a heading being read
        self._heading_text: list[str] = []
        self._block: list[str] = []
        self._blocks: list[str] = []
        self.parts.append(("", "", "", self._blocks))

    def _end_block(self) -> None:
        text = " ".join("".join(self._block).split())
        if text:
            self._blocks.append(text)
        self._block = []

    def handle_starttag(self, tag: str, attrs) -> None:
        heading_id = dict(attrs).get("id")
        if tag in PASSAGE_HEADINGS and heading_id and self._heading is None:
            self._end_block()
            self._heading = (tag, heading_id)
            self._heading_text = []
        elif tag in BLOCKS:
            self._end_block()

    def handle_endtag(self, tag: str) -> None:
        if self._heading and tag == self._heading[0]:
            level, heading_id = self._heading
            self._heading = None
            self._blocks = []
            self.parts.append((level, heading_id, " ".join("".join(self._heading_text).split()), self._blocks))
        elif tag in BLOCKS:
            self._end_block()

    def handle_data(self, data: str) -> None:
        (self._heading_text if self._heading else self._block).append(data)

    def close(self) -> None:
        super().close()
        self._end_block()


def passages(title: str, url: str, html: str) -> Iterable[Passage]:
    """The passages of one section, in page order. A heading with no text under it (an h2 whose
    first words are an h3) is left out: its words go with each h3 under it, as `parent`."""
    splitter = _Splitter()
    splitter.feed(html)
    splitter.close()
    parent = ""
    for level, heading_id, heading, blocks in splitter.parts:
        if level == "h2":
            parent = heading
        if not blocks:
            continue
        if not heading_id:
            yield Passage(title, title, "", url, tuple(blocks))
        else:
            yield Passage(
                title,
                heading,
                parent if level == "h3" else "",
                f"{url}#{heading_id}",
                tuple(blocks),
            )
