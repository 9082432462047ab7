"""Markdown to safe HTML: Python-Markdown renders, nh3 sanitises.

Content comes from editors, so nothing in it is trusted: no script, iframe,
event handler, style or javascript: URL survives. Every h2 and h3 gets a
stable id from its text so a nurse can link straight to it.
"""

import posixpath
from urllib.parse import unquote

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
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
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
    "a": {"href", "title", "class"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    # Markdown (with raw HTML shown as text) never makes these: they mark the data blocks that
    # booklet/blocks.py fills in, and must survive when printing sanitises the HTML again.
    "div": {"class", "data-block", "data-level", "data-testid"},
    "ul": {"class", "data-block", "data-group", "data-testid"},
    "li": {"data-line"},
    "p": {"class", "data-block", "data-testid", "data-block-missing"},
    "span": {"class", "data-block-missing"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Pictures come from our own static files only: no request may leave the site.
IMAGE_PREFIX = "/static/img/"


def _is_our_image(src: str) -> bool:
    """Whether a browser asking for `src` would stay inside /static/img/.

    The check is on the path as the server will see it: percent-encoding undone (again and
    again, so %252e%252e is caught too) and backslashes read as slashes, as browsers do. It must
    then be normal already: no . or .. segment, no empty segment, nothing but a plain path.
    """
    path = src
    for _ in range(4):
        path, before = unquote(path), path
        if path == before:
            break
    else:
        return False  # encoded more deeply than any real picture's name
    path = path.replace("\\", "/")
    if any(char in path for char in "?#") or not path.isprintable() or path != path.strip():
        return False
    return src.startswith(IMAGE_PREFIX) and path.startswith(IMAGE_PREFIX) and posixpath.normpath(path) == path


def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not _is_our_image(value):
        return None
    return value


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
        attribute_filter=keep_attribute,
        strip_comments=True,
    )
