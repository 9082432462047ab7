"""The Easy Read pages' own words, from content/easy-read/*.yaml (issue 26).

Each page is a list of parts; each part a heading (or none) and its points. A point is a sentence or two
of at most 15 words each, with a picture (a file in static/img/easy-read/) and, where it says to phone
someone, the line in content/contacts.yaml whose numbers are shown beside it. The signs and what to do
are never written here: a part with `signs: true` shows them from content/symptoms/rules.yaml.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import yaml
from django.conf import settings
from pydantic import AfterValidator, Field

from itb_portal.datafiles.rules import EASY_READ_MOST_WORDS, RouteId
from itb_portal.datafiles.schema import DataFileError, Schema, Slug, Title, refuse, validated
from itb_portal.pagecache.memo import for_content_version

FOLDER = "easy-read"
# The pages, in the order the Easy Read start page lists them (each a file in content/easy-read/).
PAGES = ("if-something-is-wrong", "refills", "living-with-your-pump", "the-operation", "contacts")
START_PAGE = "index"
MOST_SENTENCES = 2
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class EasyReadDataError(DataFileError):
    """A file in content/easy-read/ cannot be used: the message names the file and the field."""


def sentences(text: str) -> list[str]:
    return [sentence for sentence in SENTENCE_END.split(text.strip()) if sentence]


def easy_read_sentences(text: str) -> str:
    found = sentences(text)
    if len(found) > MOST_SENTENCES:
        raise refuse(f"a point is at most {MOST_SENTENCES} sentences, not {len(found)}: split it into two points")
    for sentence in found:
        if len(sentence.split()) > EASY_READ_MOST_WORDS:
            raise refuse(f"a sentence has at most {EASY_READ_MOST_WORDS} words: {sentence!r}")
        if not sentence.endswith((".", "?", "!")):
            raise refuse(f"a point is whole sentences, each ending with a full stop: {sentence!r}")
    return text


class PointSchema(Schema):
    text: Annotated[Title, AfterValidator(easy_read_sentences)]
    picture: Slug
    phone: Slug | None = None  # a line in content/contacts.yaml: its numbers are shown beside the point


class PartSchema(Schema):
    heading: Title | None = None
    points: Annotated[list[PointSchema], Field(max_length=30)] = []
    # Shows every sign and what to do from the rules, with these points after them.
    signs: bool = False
    # For the levels whose advice depends on the hour and a recent operation: when each line is the one.
    routes: dict[RouteId, Annotated[Title, AfterValidator(easy_read_sentences)]] = {}

    @property
    def anchor(self) -> str:
        """The heading's id, so a carer can share a link to this part: "When you phone" is when-you-phone."""
        return "-".join(re.findall(r"[a-z0-9]+", (self.heading or "").lower())) or "part"


class PageSchema(Schema):
    title: Title
    picture: Slug
    summary: Annotated[Title, AfterValidator(easy_read_sentences)]
    parts: Annotated[list[PartSchema], Field(min_length=1, max_length=20)]


def page_path(slug: str) -> Path:
    return Path(settings.CONTENT_DIR) / FOLDER / f"{slug}.yaml"


def read_page(path: Path) -> PageSchema:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as problem:
        raise EasyReadDataError(f"{path}: cannot be read: {problem}") from problem
    return validated(PageSchema, data, path, EasyReadDataError)


def easy_read_page(slug: str) -> PageSchema:
    """The Easy Read page `slug`, read once per content version."""
    path = page_path(slug)
    return for_content_version(f"easyread:{path}", lambda: read_page(path))
