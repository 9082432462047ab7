"""Markdown to safe HTML: Python-Markdown renders, nh3 sanitises.

Content comes from editors, so nothing in it is trusted: no script, iframe,
event handler, style or javascript: URL survives. Every h2 and h3 gets a
stable id from its text so a nurse can link straight to it.
"""

import markdown
import nh3
from django.utils.text import slugify

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "details",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def heading_id(value: str, separator: str = "-") -> str:
    return slugify(value) or "section"


def _converter() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists", "def_list"],
        extension_configs={"toc": {"slugify": heading_id}},
        output_format="html",
    )
    # Raw HTML in content is shown as text, never passed through as markup.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def render(text: str) -> str:
    html = _converter().convert(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
