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
    "slug": "Web address",
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
        (label, _plain(before.get(n, "")), _plain(after.get(n, "")))
        for n, label in FIELDS.items()
        if before.get(n) != after.get(n)
    ]


def _plain(value: str) -> str:
    return {"True": "Yes", "False": "No"}.get(value, value)


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


def merge(base: str, yours: str, theirs: str) -> str | None:
    """Your change (base to yours) carried over onto their text (base to theirs), line by line; None when
    the two changed the same lines, so a person must choose."""
    base_lines, your_lines, their_lines = (text.splitlines(keepends=True) for text in (base, yours, theirs))
    yours_ops = difflib.SequenceMatcher(None, base_lines, your_lines, autojunk=False).get_opcodes()
    theirs_ops = difflib.SequenceMatcher(None, base_lines, their_lines, autojunk=False).get_opcodes()
    changes = [(i1, i2, your_lines[j1:j2], "yours") for tag, i1, i2, j1, j2 in yours_ops if tag != "equal"]
    changes += [(i1, i2, their_lines[j1:j2], "theirs") for tag, i1, i2, j1, j2 in theirs_ops if tag != "equal"]
    changes.sort(key=lambda change: (change[0], change[1]))
    merged, at, previous = [], 0, None
    for i1, i2, lines, _who in changes:
        if previous and (i1 < previous[1] or (i1 == previous[0] and (i1 == i2 or previous[0] == previous[1]))):
            if (i1, i2, lines) == previous:
                continue  # both made the same change
            return None  # both changed the same lines, or added lines at the same place
        merged += base_lines[at:i1] + lines
        at, previous = i2, (i1, i2, lines)
    return "".join(merged + base_lines[at:])


def changed_parts(before: str, after: str, context: int = 1) -> list[dict]:
    """Only the paragraphs that changed, each with `context` unchanged paragraphs around it: a word diff
    of the raw text, and the published and draft paragraphs rendered as patients would read them."""
    from itb_portal.booklet.markdown import render

    old, new = _paragraphs(before), _paragraphs(after)
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        raw_before, raw_after = "\n\n".join(old[i1:i2]), "\n\n".join(new[j1:j2])
        parts.append(
            {
                "from_line": sum(p.count("\n") + 2 for p in old[:i1]) + 1,
                "diff": word_diff(raw_before, raw_after),
                "before": Markup(render(raw_before)),  # noqa: S704 - sanitised by render (nh3)
                "after": Markup(render(raw_after)),  # noqa: S704
                "rendered": True,
                "skipped_before": i1 > 0,
                "skipped_after": i2 < len(old),
            }
        )
    return parts


def changed_lines(before: str, after: str, context: int = 2) -> list[dict]:
    """As changed_parts, line by line, for data files (no rendering: the preview shows their pages)."""
    old, new = before.splitlines(), after.splitlines()
    parts = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        parts.append(
            {
                "from_line": j1 + 1,
                "diff": word_diff("\n".join(old[i1:i2]), "\n".join(new[j1:j2])),
                "skipped_before": i1 > 0,
                "skipped_after": i2 < len(old),
            }
        )
    return parts


def _paragraphs(text: str) -> list[str]:
    return [part.strip("\n") for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if part.strip()]
