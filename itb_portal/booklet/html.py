"""A section's HTML as pages show it, made in one pass over its stored, sanitised body_html.

- After every h2 and h3 that has an id comes a "link to this part" control (seen as "Link"), so a nurse can send
  a link to one part of a page. It is a plain link to the heading's own id (it works with
  JavaScript off and by keyboard), beside the heading rather than inside it, so the heading's
  name (what a screen reader lists) stays just its words.
- Every real link gets `data-print-url`, its full address, so the print stylesheet can show it
  after the link text; `#fragment`, `tel:` and `mailto:` links get none, because their text
  already says all a reader of paper needs.
- In the combined booklet (printing/views.py), headings move one level down (the section title
  is the h2), ids get the section's slug in front so they stay unique in one document, and links
  to a section in the same printout point inside it instead.

Each body is parsed once per render, with the standard library's parser (never with string
replacement, which could break markup). What the pass does not change is written out exactly as
it came in, so nothing can get through that the booklet's sanitiser (markdown.py) did not allow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from itb_portal.interface_text import gettext, interface_language

HEADINGS = ("h2", "h3", "h4", "h5", "h6")
LINKED_LEVELS = {"h2", "h3"}


def heading_link(heading_id: str, text: str) -> Markup:
    # Heard as "Link to this part: <heading>"; seen only on hover and focus, as a "#" (_share.scss),
    # so a page is not lined with the word "Link". Readability counts neither (one is hidden from each).
    return Markup(
        '<a class="app-heading-link" href="#{id}">'
        '<span class="app-heading-link__label" aria-hidden="true">#</span>'
        '<span class="nhsuk-u-visually-hidden">{label}</span></a>'
    ).format(id=heading_id, label=gettext("Link to this part: %(heading)s") % {"heading": text})


# Template headings are the same words on every request (never anything from a query string),
# so each is built once per process. Typed, so a heading given as Markup is never answered with
# one made from the same text escaped (Markup and str of the same text are equal, and hash alike).
def linked_heading(text: str, id: str, level: int = 2, classes: str = "") -> Markup:
    """A heading with its id and a link to it, for the headings written in templates."""
    return _linked_heading(text, id, level, classes, interface_language())


@lru_cache(maxsize=1024, typed=True)  # by language too: the link's label is interface text
def _linked_heading(text: str, id: str, level: int, classes: str, language: str | None) -> Markup:
    class_attribute = Markup(' class="{}"').format(classes) if classes else ""
    return Markup('<div class="app-heading"><h{level} id="{id}"{cls}>{text}</h{level}>{link}</div>').format(
        level=int(level), id=id, cls=class_attribute, text=text, link=heading_link(id, text)
    )


# --- Parsing, once ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tag:
    name: str
    attrs: tuple[tuple[str, str], ...]
    source: str  # the start tag as written
    closed: bool = False  # written as <x />


@dataclass(frozen=True)
class End:
    name: str


class _Parser(HTMLParser):
    """The body as a list of start tags, end tags and text (exactly as written)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[Tag | End | str] = []

    def handle_starttag(self, tag, attrs, closed=False):
        self.parts.append(Tag(tag, tuple((n, v or "") for n, v in attrs), self.get_starttag_text(), closed))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, closed=True)

    def handle_endtag(self, tag):
        self.parts.append(End(tag))

    def handle_data(self, data):
        self.parts.append(data)

    def handle_entityref(self, name):
        self.parts.append(f"&{name};")

    def handle_charref(self, name):
        self.parts.append(f"&#{name};")


def parse(html: str) -> list[Tag | End | str]:
    parser = _Parser()
    parser.feed(html or "")
    parser.close()
    return parser.parts


# --- Where things land in the combined booklet -----------------------------------------------


@dataclass
class Anchors:
    """Where each section, and each heading inside it, lands in one combined document."""

    section_ids: dict[str, str] = field(default_factory=dict)  # slug -> id of the section's own heading
    section_titles: dict[str, str] = field(default_factory=dict)
    section_paths: dict[str, str] = field(default_factory=dict)  # "/booklet/<slug>/" -> slug
    heading_ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (slug, old id) -> new id
    used: set[str] = field(default_factory=set)

    def claim(self, wanted: str) -> str:
        """`wanted`, or `wanted-2`, `wanted-3`... whichever is still free in the document."""
        candidate, n = wanted, 1
        while candidate in self.used:
            n += 1
            candidate = f"{wanted}-{n}"
        self.used.add(candidate)
        return candidate


def plan_anchors(sections: Sequence, bodies: Sequence[list], reserved: Sequence[str] = ()) -> Anchors:
    """An id unique in the combined document for every section and every heading in it.

    `sections` are Section-like (slug, title, get_absolute_url()), `bodies` their parsed HTML;
    `reserved` are ids the page template uses itself."""
    anchors = Anchors(used=set(reserved))
    for section in sections:
        anchors.section_ids[section.slug] = anchors.claim(section.slug)
        anchors.section_titles[section.slug] = section.title
        anchors.section_paths[section.get_absolute_url()] = section.slug
    for section, body in zip(sections, bodies, strict=True):
        for part in body:
            old = dict(part.attrs).get("id") if isinstance(part, Tag) else None
            if old:
                anchors.heading_ids.setdefault((section.slug, old), anchors.claim(f"{section.slug}--{old}"))
    return anchors


# --- Writing it out ------------------------------------------------------------------------------


@dataclass
class _Writer:
    page_url: str
    slug: str | None = None
    anchors: Anchors | None = None
    shift: int = 0
    out: list[str] = field(default_factory=list)
    heading: tuple[str, str] | None = None  # the linked heading open now: its tag and id
    heading_text: list[str] = field(default_factory=list)

    def tag_name(self, name: str) -> str:
        if self.shift and name in HEADINGS:
            return HEADINGS[min(HEADINGS.index(name) + self.shift, len(HEADINGS) - 1)]
        return name

    def link(self, href: str) -> dict[str, str]:
        """The attributes a link gets: a new href inside the combined document, or its full address for print."""
        parts = urlsplit(href)
        if self.anchors and self.slug:
            if href.startswith("#"):
                new = self.anchors.heading_ids.get((self.slug, parts.fragment))
                return {"href": "#" + (new or self.anchors.section_ids[self.slug])}
            target = None if parts.scheme or parts.netloc or parts.query else self.anchors.section_paths.get(parts.path)
            if target:
                new = self.anchors.heading_ids.get((target, parts.fragment)) or self.anchors.section_ids[target]
                attrs = {"href": "#" + new}
                if target != self.slug:
                    attrs["data-print-see"] = self.anchors.section_titles[target]
                return attrs
        if href.startswith("#") or parts.scheme not in ("", "http", "https"):
            return {}
        return {"data-print-url": urljoin(self.page_url, href)}

    def start(self, tag: Tag) -> None:
        values = dict(tag.attrs)
        if "id" in values and self.anchors and self.slug:
            values["id"] = self.anchors.heading_ids.get((self.slug, values["id"]), values["id"])
        if tag.name == "a" and values.get("href"):
            values.update(self.link(values["href"]))
        name = self.tag_name(tag.name)
        if name in LINKED_LEVELS and values.get("id") and self.heading is None:
            self.heading, self.heading_text = (name, values["id"]), []
            self.out.append('<div class="app-heading">')
        if values == dict(tag.attrs) and name == tag.name:
            self.out.append(tag.source)
        else:
            written = "".join(f' {key}="{escape(value, quote=True)}"' for key, value in values.items())
            self.out.append(f"<{name}{written}{' /' if tag.closed else ''}>")

    def end(self, name: str) -> None:
        name = self.tag_name(name)
        self.out.append(f"</{name}>")
        if self.heading and self.heading[0] == name:
            text = " ".join(unescape("".join(self.heading_text)).split())
            self.out += [heading_link(self.heading[1], text), "</div>"]
            self.heading = None

    def write(self, body: list[Tag | End | str]) -> Markup:
        for part in body:
            if isinstance(part, Tag):
                self.start(part)
            elif isinstance(part, End):
                self.end(part.name)
            else:
                self.out.append(part)
                if self.heading:
                    self.heading_text.append(part)
        # The body was sanitised when it was saved; what is added here is escaped above.
        return Markup("".join(self.out))  # noqa: S704


def section_html(body_html: str, page_url: str) -> Markup:
    """A section's body on its own page (`page_url`, the page's full address): heading links and print addresses."""
    return _Writer(page_url).write(parse(body_html))


def opening_and_rest(body: Markup) -> tuple[Markup, Markup]:
    """A section's HTML from `section_html`, split before its first linked heading: the words that
    open the page, and the rest. The wrapper is only ever written by `_Writer` (Markdown shows raw
    HTML as text), so the first one found is the first heading's."""
    at = body.find('<div class="app-heading">')
    if at < 0:
        return body, Markup("")
    return Markup(body[:at]), Markup(body[at:])  # noqa: S704 - halves of markup already made safe


def combined_html(sections: Sequence, page_url: str, reserved: Sequence[str] = ()) -> tuple[Anchors, list[Markup]]:
    """Every section's body in one combined document (see the module docstring), and where each landed."""
    bodies = [parse(section.body_html) for section in sections]
    anchors = plan_anchors(sections, bodies, reserved)
    return anchors, [
        _Writer(page_url, section.slug, anchors, shift=1).write(body)
        for section, body in zip(sections, bodies, strict=True)
    ]
