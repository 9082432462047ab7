"""A section as a document (its content/ file), and readable differences between two documents."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from markupsafe import Markup, escape

from itb_portal.booklet.loader import ContentError, parse_section_text, section_to_text
from itb_portal.booklet.models import Section

WORDS = re.compile(r"\s+|[^\s]+")
FIELDS = {
    "title": "Title",
    "slug": "Address",
    "summary": "Summary",
    "order": "Position",
    "is_published": "Shown to patients",
    "last_reviewed": "Last reviewed",
    "next_review_due": "Next review due",
    "sources": "Sources",
}


def section_document(section: Section) -> str:
    return section_to_text(section)


def section_from_document(document: str, section: Section) -> Section:
    """`section` with the document's fields set (not saved). Raises ContentError as the loader would."""
    parsed = parse_section_text(document, Path(f"the draft of {section.slug or 'a new section'}"))
    for name, value in parsed.fields.items():
        setattr(section, name, value)
    section.slug = parsed.slug
    return section


def fields_of(document: str) -> dict[str, str]:
    try:
        parsed = parse_section_text(document, Path("draft"))
    except ContentError:
        return {}
    return {**{name: str(parsed.fields[name]) for name in FIELDS if name != "slug"}, "slug": parsed.slug}


def changed_fields(published: str, draft: str) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field outside the text that the draft changes."""
    before, after = fields_of(published), fields_of(draft)
    return [
        (label, before.get(n, ""), after.get(n, "")) for n, label in FIELDS.items() if before.get(n) != after.get(n)
    ]


def body_of(document: str) -> str:
    try:
        return parse_section_text(document, Path("draft")).fields["body"]
    except ContentError:
        return document


def word_diff(before: str, after: str) -> Markup:
    """The text with removed words in <del> and added words in <ins>, everything escaped."""
    old, new = WORDS.findall(before), WORDS.findall(after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(Markup('<del class="editorial-del">{}</del>').format("".join(old[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(Markup('<ins class="editorial-ins">{}</ins>').format("".join(new[j1:j2])))
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
    return Markup("").join(parts)


def has_changes(before: str, after: str) -> bool:
    return before.strip() != after.strip()
