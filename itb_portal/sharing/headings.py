"""A "link to this part" control after a heading, so a nurse can send a link to one part of a page.

The control is a plain link to the heading's own id: it works with JavaScript off and by
keyboard. It sits beside the heading, not inside it, so the heading's name (what a screen
reader lists) stays just its words.
"""

from __future__ import annotations

from functools import lru_cache
from html.parser import HTMLParser

from markupsafe import Markup

LINKED_LEVELS = {"h2", "h3"}


def heading_link(heading_id: str, text: str) -> Markup:
    return Markup(
        '<a class="app-heading-link" href="#{id}">'
        '<span aria-hidden="true">#</span>'
        '<span class="nhsuk-u-visually-hidden">Link to this part: {text}</span></a>'
    ).format(id=heading_id, text=text)


# Template headings are the same words on every request (never anything from a query string),
# so each is built once per process.
@lru_cache(maxsize=1024)
def linked_heading(text: str, id: str, level: int = 2, classes: str = "") -> Markup:
    """A heading with its id and a link to it, for the headings written in templates."""
    class_attribute = Markup(' class="{}"').format(classes) if classes else ""
    return Markup('<div class="app-heading"><h{level} id="{id}"{cls}>{text}</h{level}>{link}</div>').format(
        level=int(level), id=id, cls=class_attribute, text=text, link=heading_link(id, text)
    )


class _HeadingFinder(HTMLParser):
    """Finds each h2 and h3 that has an id: where it starts and ends in the text, and its words."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self._html = html
        # HTMLParser counts lines at "\n" only, so offsets are counted the same way.
        self._line_starts = [0] + [index + 1 for index, char in enumerate(html) if char == "\n"]
        self.headings: list[tuple[int, int, str, str]] = []  # (start, end, id, text)
        self._open: tuple[str, int, str] | None = None
        self._text: list[str] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs) -> None:
        heading_id = dict(attrs).get("id")
        if tag in LINKED_LEVELS and heading_id and self._open is None:
            self._open = (tag, self._offset(), heading_id)
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            _, start, heading_id = self._open
            end = self._html.index(">", self._offset()) + 1  # just after this end tag
            self._open = None
            self.headings.append((start, end, heading_id, " ".join("".join(self._text).split())))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


@lru_cache(maxsize=128)
def heading_links(html: str) -> Markup:
    """Sanitised section HTML with a "link to this part" control after every h2 and h3 that has an id."""
    finder = _HeadingFinder(html)
    finder.feed(html)
    finder.close()
    out, done = [], 0
    for start, end, heading_id, text in finder.headings:
        out += [
            html[done:start],
            '<div class="app-heading">',
            html[start:end],
            heading_link(heading_id, text),
            "</div>",
        ]
        done = end
    out.append(html[done:])
    return Markup("".join(out))  # noqa: S704 - body_html is sanitised by nh3; the links are escaped above
