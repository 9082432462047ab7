"""Read and write the booklet's Markdown files in content/sections/.

Each file is YAML front matter between two `---` lines, then the Markdown body.
Parsing is pure; `load_sections` decides what to write, and never overwrites a
section an editor changed in the admin unless told to. A problem in any file loads
nothing at all: every file is read and checked first, then all are written in one
transaction, so the published booklet is either the old one or the new one, never a mix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import reversion
import yaml
from django.db import transaction
from pydantic import ValidationError

from itb_portal.audit import models as audit
from itb_portal.datafiles import describe, load_yaml, read_text
from itb_portal.datafiles.schema import plain_problems
from itb_portal.datafiles.sections import FrontMatter
from itb_portal.datafiles.signoff import clear_sign_off

from .blocks import problems as block_problems
from .models import Section, SlugRedirect

REVIEW_DATES = ("last_reviewed", "next_review_due")


class ContentError(ValueError):
    pass


@dataclass(frozen=True)
class SectionFile:
    path: Path
    slug: str
    fields: dict = field(hash=False)


def split_front_matter(text: str) -> tuple[dict, str]:
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError("it does not start with front matter (a line of three dashes)")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            try:
                meta = load_yaml("".join(lines[1:index])) or {}
            except yaml.YAMLError as error:
                # The front matter starts on the file's second line.
                raise ContentError(f"its front matter is not valid YAML: {describe(error, first_line=2)}") from error
            if not isinstance(meta, dict):
                raise ContentError("its front matter is not a set of 'key: value' lines")
            return meta, "".join(lines[index + 1 :]).strip() + "\n"
    raise ContentError("its front matter is never closed with a line of three dashes")


def parse_section(path: Path) -> SectionFile:
    try:
        text = read_text(path)
    except UnicodeDecodeError as error:
        raise ContentError(error.reason) from error
    return parse_section_text(text, path)


def parse_section_text(text: str, path: Path) -> SectionFile:
    """A section file's text, checked as the loader checks every file (a draft is held in this form too)."""
    meta, body = split_front_matter(text)
    try:
        front = FrontMatter.model_validate(meta)
    except ValidationError as error:
        raise ContentError("its front matter: " + "; ".join(plain_problems(error, meta))) from error
    if not body.strip():
        raise ContentError("it has no body text")
    problems = block_problems(body)
    if problems:
        raise ContentError("its body " + "; ".join(problems))
    return SectionFile(
        path=path,
        slug=front.slug,
        fields={
            "title": front.title,
            "summary": front.summary,
            "order": front.order,
            "body": body,
            "last_reviewed": front.last_reviewed,
            "next_review_due": front.next_review_due,
            "sources": "\n".join(front.sources),
            "added_advice": "\n".join(line.strip() for line in front.safety_additions),
            "is_published": front.published,
        },
    )


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_admin_edits: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_sections(directory: Path, report: LoadReport) -> list[SectionFile]:
    """Every section file in `directory`, parsed and checked; each problem goes to report.errors."""
    if not directory.is_dir():
        report.errors.append(f"{directory}: no such folder of section files")
        return []
    files: list[SectionFile] = []
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.md")):
        try:
            parsed = parse_section(path)
        except (ContentError, OSError) as error:
            report.errors.append(f"{path}: {error}")
            continue
        if parsed.slug in seen:
            report.errors.append(f"{path}: slug '{parsed.slug}' is already used by {seen[parsed.slug]}")
            continue
        seen[parsed.slug] = path
        files.append(parsed)
    return files


def load_sections(directory: Path, *, force: bool = False, released_by: str = "") -> LoadReport:
    """Loads every section file, or, if any has a problem, nothing at all (see report.errors).

    The audit log records each section created or changed, with `released_by` (the git commit). Git
    review is not a clinical check: a load records no sign-off, and a section whose text it changes
    loses the sign-off of its old text (contacts/reviews.py)."""
    released_by = released_by or audit.release_label()
    report = LoadReport()
    items = read_sections(directory, report)
    if report.errors:
        return report
    with transaction.atomic():
        for item in items:
            with reversion.create_revision():
                reversion.set_comment(f"Loaded from {item.path.name} ({released_by})")
                _load_one(item, force, report, released_by)
    return report


def _load_one(item: SectionFile, force: bool, report: LoadReport, released_by: str) -> None:
    section = Section.objects.filter(slug=item.slug).first()
    if section is None:
        redirect = SlugRedirect.objects.filter(old_slug=item.slug).select_related("section").first()
        section = redirect.section if redirect else None
    if section is None:
        Section.objects.create(slug=item.slug, **item.fields)
        audit.record(audit.AuditEntry.RELEASED, f"section {item.slug}", released_by, detail=item.path.name)
        report.created.append(item.slug)
        return
    if section.edited_in_admin and not force:
        report.kept_admin_edits.append(section.slug)
        return
    # What patients read changed, not only its dates or the note of advice added after the booklet
    # (filled in by the first release after the migration that made it).
    text_changed = any(
        not _same(name, getattr(section, name), value)
        for name, value in item.fields.items()
        if name not in (*REVIEW_DATES, "added_advice")
    )
    # A review an approver recorded after the file's dates stands while the text is still what they
    # reviewed (as a data file's does: contacts/reviews.py, file_or_recorded_review).
    keep_dates = not text_changed and section.signed_off_on and section.last_reviewed > item.fields["last_reviewed"]
    changed = False
    for name, value in item.fields.items():
        if not (keep_dates and name in REVIEW_DATES) and getattr(section, name) != value:
            setattr(section, name, value)
            changed = True
    if not (changed or section.slug != item.slug or section.edited_in_admin):
        report.unchanged.append(item.slug)
        return
    section.slug = item.slug
    section.edited_in_admin = False
    if text_changed:  # what an approver signed off is no longer what patients see
        clear_sign_off(section)
    section.save()
    audit.record(audit.AuditEntry.RELEASED, f"section {item.slug}", released_by, detail=item.path.name)
    report.updated.append(item.slug)


def _same(name: str, current, value) -> bool:
    return current.strip() == value.strip() if name == "body" else current == value


def _file_matches(path: Path, section: Section) -> bool:
    try:
        parsed = parse_section(path)
    except (ContentError, OSError):
        return False
    current = {name: getattr(section, name) for name in parsed.fields}
    current["body"] = current["body"].strip() + "\n"
    return parsed.slug == section.slug and parsed.fields == current


def section_to_text(section: Section) -> str:
    meta = {
        "title": section.title,
        "slug": section.slug,
        "summary": section.summary,
        "order": section.order,
        "last_reviewed": section.last_reviewed,
        "next_review_due": section.next_review_due,
        "sources": section.source_list,
    }
    if section.added_advice.strip():
        meta["safety_additions"] = [line.strip() for line in section.added_advice.splitlines() if line.strip()]
    if not section.is_published:
        meta["published"] = False
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{front}---\n\n{section.body.strip()}\n"


def export_sections(directory: Path, sections=None) -> list[Path]:
    """Write every section (or those of `sections`, a queryset) back to its file, so admin edits can be
    reviewed in git."""
    directory.mkdir(parents=True, exist_ok=True)
    by_slug: dict[str, Path] = {}
    for path in sorted(directory.glob("*.md")):
        try:
            by_slug.setdefault(parse_section(path).slug, path)
        except (ContentError, OSError):
            continue
    written = []
    for section in (
        (sections if sections is not None else Section.objects.all())
        .prefetch_related("old_slugs")
        .order_by("order", "pk")
    ):
        path = by_slug.get(section.slug)
        if path is None:
            path = next((by_slug[old.old_slug] for old in section.old_slugs.all() if old.old_slug in by_slug), None)
        if path is None:
            path = directory / f"{section.order:02d}-{section.slug}.md"
        if path.exists() and _file_matches(path, section):
            continue  # keep the file's own formatting when nothing in it changed
        path.write_text(section_to_text(section), encoding="utf-8")
        written.append(path)
    return written
