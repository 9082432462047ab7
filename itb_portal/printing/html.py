"""Section HTML, made ready for paper.

Two jobs, both done on our own sanitised body_html with a standard-library parser
(never with string replacement, which could break markup):

- every real link gets `data-print-url`, its full address, so the print stylesheet
  can show it after the link text; `#fragment`, `tel:` and `mailto:` links get none,
  because their text already says all a reader of paper needs;
- for the combined booklet, headings move one level down (the section title is the
  h2), ids get the section's slug in front so they stay unique in one document, and
  links to a section that is in the same printout point inside it instead.

The result is sanitised again with the booklet's own allow-list, so a mistake here
can never let markup through that the editor's Markdown could not produce.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import nh3

from itb_portal.booklet.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# Elements that never have an end tag, so none is written for them.
VOID_TAGS = {"br", "hr", "img"}
PRINT_ATTRIBUTES = {"data-print-url", "data-print-see"}


def _shifted(tag: str, shift: int) -> str:
    if shift and tag in HEADINGS:
        return HEADINGS[min(HEADINGS.index(tag) + shift, len(HEADINGS) - 1)]
    return tag


@dataclass
class Anchors:
    """Where each section, and each heading inside it, lands in one combined document."""

    page_url: str
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


class _IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]


def plan_anchors(sections: Iterable, page_url: str, reserved: Iterable[str] = ()) -> Anchors:
    """Give every section and every heading in `sections` an id unique in the combined document.

    `sections` are Section-like objects (slug, title, body_html, get_absolute_url()); `reserved`
    are ids the page template uses itself.
    """
    anchors = Anchors(page_url=page_url, used=set(reserved))
    sections = list(sections)
    for section in sections:
        anchors.section_ids[section.slug] = anchors.claim(section.slug)
        anchors.section_titles[section.slug] = section.title
        anchors.section_paths[section.get_absolute_url()] = section.slug
    for section in sections:
        collector = _IdCollector()
        collector.feed(section.body_html or "")
        collector.close()
        for old in collector.ids:
            anchors.heading_ids.setdefault((section.slug, old), anchors.claim(f"{section.slug}--{old}"))
    return anchors


class _Rewriter(HTMLParser):
    def __init__(self, page_url: str, *, slug: str | None = None, anchors: Anchors | None = None, shift: int = 0):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.slug = slug
        self.anchors = anchors
        self.shift = shift
        self.out: list[str] = []

    def _link(self, href: str) -> dict[str, str]:
        """The attributes a link gets in print: a new href inside the document, or its full address."""
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

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values and self.anchors and self.slug:
            values["id"] = self.anchors.heading_ids.get((self.slug, values["id"]), values["id"])
        if tag == "a" and values.get("href"):
            values.update(self._link(values["href"]))
        written = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in values.items())
        self.out.append(f"<{_shifted(tag, self.shift)}{written}{' /' if closed else ''}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=tag not in VOID_TAGS)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS:
            self.out.append(f"</{_shifted(tag, self.shift)}>")

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))


def _clean(html: str) -> str:
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    attributes["a"] |= PRINT_ATTRIBUTES
    for tag in HEADINGS:
        attributes.setdefault(tag, set()).add("id")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | set(HEADINGS),
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _rewrite(html: str, parser: _Rewriter) -> str:
    parser.feed(html or "")
    parser.close()
    return _clean("".join(parser.out))


def with_link_addresses(html: str, page_url: str) -> str:
    """Section HTML whose real links carry their full address for print (see the module docstring)."""
    return _rewrite(html, _Rewriter(page_url))


def for_combined_document(html: str, slug: str, anchors: Anchors) -> str:
    """A section's HTML as part of the combined booklet: headings one level down, ids unique,
    links to sections in the same printout pointing inside it."""
    return _rewrite(html, _Rewriter(anchors.page_url, slug=slug, anchors=anchors, shift=1))
