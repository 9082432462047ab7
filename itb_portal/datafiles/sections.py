"""The schema of a booklet section's front matter (content/sections/*.md, and an editor's draft of one).

The lengths are the database's own (booklet/models.py): a title that fits the file always fits the
column, so nothing is cut short or refused half-way through a release.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from .schema import Day, Paragraph, Position, ReviewDates, Slug, Summary, Title


def a_list(value: Any) -> Any:
    """One source may be written on its own line, without making a list of it; none at all is no list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


class FrontMatter(ReviewDates):
    title: Title
    slug: Slug
    summary: Summary
    order: Position
    last_reviewed: Day
    next_review_due: Day
    sources: Annotated[list[Paragraph], BeforeValidator(a_list), Field(max_length=50)] = []
    # Safety points this service added beyond its sources, kept in the file through an export.
    safety_additions: Annotated[list[Paragraph], Field(max_length=50)] = []
    # Quoted "false" is text, and any text would count as true: the section would go live.
    published: Annotated[bool, Field(strict=True)] = True
