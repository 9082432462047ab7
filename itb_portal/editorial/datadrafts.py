"""Drafts of the contacts and the symptom rules: the whole YAML file, checked as a release checks it.

An edit is refused when `release` would refuse it: the file's own checks (rules.py, directory.py), the
two files against each other (symptoms/checks.py), and every section's data blocks (load_content).
Approved, the text is kept in the file's record (`datafiles.DataFile`, its `document`) and is the text in
use (`DataFileKind.text_in_use`) until it reaches git.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from itb_portal.audit.models import AuditEntry, record
from itb_portal.booklet.blocks import problems as block_problems
from itb_portal.booklet.models import Section
from itb_portal.contacts.directory import load_directory, parse_directory_text
from itb_portal.datafiles import DATA_FILES, read_text
from itb_portal.datafiles.models import DataFile
from itb_portal.datafiles.signoff import sign_off
from itb_portal.symptoms.checks import document_problems
from itb_portal.symptoms.rules import load_rules, parse_rules_text

from .models import Draft


def title(kind: str) -> str:
    """The file as editors know it (the audit log keeps its file name, `label`)."""
    return DATA_FILES[kind].title


def label(kind: str) -> str:
    """The file as the audit log names it: its path inside content/."""
    return DATA_FILES[kind].label


def path_of(kind: str) -> Path:
    return DATA_FILES[kind].path()


def loaders(kind: str, document: str):
    if kind == Draft.CONTACTS:
        return load_rules, lambda: parse_directory_text(document, path_of(kind))
    return lambda: parse_rules_text(document, path_of(kind)), load_directory


def problems(kind: str, document: str) -> list[str]:
    """Why `release` would refuse this text, in plain words; empty when it would take it."""
    return plain(_problems(kind, document))


def _problems(kind: str, document: str) -> list[str]:
    rules_loader, directory_loader = loaders(kind, document)
    found = document_problems(rules_loader, directory_loader)
    if found:
        return found
    rules, directory = rules_loader(), directory_loader()
    return [
        f"the page “{section.title}”: " + "; ".join(problems)
        for section in Section.objects.order_by("order")
        if (problems := block_problems(section.body, rules, directory))
    ]


def plain(found: list[str]) -> list[str]:
    """Problems without server paths or internal ids: the files by their names in the admin, levels by their
    headings, lines by their names, signs by their labels."""
    names = _names()
    cleaned = []
    for problem in found:
        for file in DATA_FILES.values():
            path = str(file.path())
            problem = problem.replace(f"{path}: ", f"{file.title}: ").replace(path, file.title)
        problem = re.sub(r"(?<![\w/])/[\w./-]+/", "", problem)  # any other folder on the server
        # A file named from content/ ("symptoms/rules.yaml"), with or without the folders above it.
        for file in DATA_FILES.values():
            name = re.escape(Path(file.relative).name)
            problem = re.sub(rf"(?:[\w.-]+/)*{name}", file.title, problem)
        for ident, name in names.items():
            problem = re.sub(rf"'{re.escape(ident)}'|(?<=\(){re.escape(ident)}(?=\))", f"“{name}”", problem)
        cleaned.append(problem)
    return cleaned


def _names() -> dict[str, str]:
    """The published ids and what editors call them (from the files in use, which may not load)."""
    names: dict[str, str] = {}
    with contextlib.suppress(ValueError, OSError):
        for line in load_directory().lines:
            names[line.id] = line.name
    with contextlib.suppress(ValueError, OSError):
        book = load_rules()
        for level in book.levels.values():
            names[level.id] = level.heading
        for sign in book.signs.values():
            names[sign.slug] = sign.label
    return names


def facts(kind: str, document: str) -> dict[str, str]:
    """Every sign, rule, level and phone number the text gives, one line each, to show what changed."""
    rules_loader, directory_loader = loaders(kind, document)
    try:
        book = rules_loader() if kind == Draft.RULES else None
        directory = directory_loader() if kind == Draft.CONTACTS else None
    except ValueError:
        return {}
    found: dict[str, str] = {}
    if directory is not None:
        for line in directory.lines:
            phones = ", ".join(f"{phone.label} {phone.number}" for phone in line.phones)
            found[f"line {line.id}"] = f"{line.name}: {phones}; {line.hours_text}"
        found["review"] = f"{directory.review.last_reviewed} to {directory.review.next_review_due}"
    if book is not None:
        groups = {group.id: group for group in book.groups}
        for sign in book.signs.values():
            group = groups[sign.group]
            found[f"sign {sign.slug}"] = f"{sign.label}: level {group.level} ({group.heading})"
        for rule in book.rules:
            parts = [f"all of {sorted(rule.all_of)}" if rule.all_of else "", f"any of {sorted(rule.any_of)}"]
            if rule.at_least:
                parts.append(f"at least {rule.at_least} of {sorted(rule.among)}")
            found[f"rule {rule.id}"] = f"level {rule.level}: " + "; ".join(p for p in parts if p and p != "any of []")
        for level in book.levels.values():
            advices = {"": level.advice} if level.advice else dict(level.routes or {})
            for route, advice in advices.items():
                name = f"level {level.id}" + (f" {route}" if route else "")
                found[name] = f"{advice.heading}: {advice.action} Call: {', '.join(advice.lines)}"
        found["review"] = f"{book.review.last_reviewed} to {book.review.next_review_due}"
    return found


def changed_facts(kind: str, before: str, after: str) -> list[tuple[str, str, str]]:
    old, new = facts(kind, before), facts(kind, after)
    return [
        (name, old.get(name, ""), new.get(name, ""))
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    ]


def publish(draft: Draft, user, note: str) -> None:
    """Put an approved data draft in use (the caller checked the rules of approval, and `problems`)."""
    with transaction.atomic():
        row, _ = DataFile.objects.select_for_update().get_or_create(data=draft.kind)
        in_file = read_text(path_of(draft.kind))
        row.document = "" if draft.document.strip() == in_file.strip() else draft.document
        row.changed_at = timezone.now()
        sign_off(row, user)  # the approver is named on the pages, with today's date
        row.save()  # DataFile is watched: the content version moves on, and every page with it
        record(AuditEntry.PUBLISHED, label(draft.kind), user, detail=f"draft #{draft.pk}, version {draft.version}")


def structure(kind: str, document: str) -> dict | None:
    """The rules as editors read them: each level's advice (heading, action, whom to call) and each group's
    signs. None for the contacts (their forms show them), or when the text does not load."""
    if kind != Draft.RULES:
        return None
    try:
        book = parse_rules_text(document, path_of(kind))
        directory = load_directory()
    except ValueError:
        return None
    names = {line.id: line.name for line in directory.lines}
    levels = []
    for level in sorted(book.levels.values(), key=lambda level: -level.rank):
        advices = (
            [("At any time", level.advice)]
            if level.advice
            else [(ROUTE_WORDS.get(route, route), advice) for route, advice in (level.routes or {}).items()]
        )
        levels.append(
            {
                "heading": level.heading,
                "advices": [
                    {
                        "when": when,
                        "heading": a.heading,
                        "action": a.action,
                        "lines": [names.get(x, x) for x in a.lines],
                    }
                    for when, a in advices
                ],
            }
        )
    groups = [
        {"heading": group.heading, "signs": [sign.label for sign in book.signs.values() if sign.group == group.id]}
        for group in book.groups
    ]
    return {"levels": levels, "groups": groups}


ROUTE_WORDS = {
    "recent-operation": "In the 6 weeks after an operation on the pump",
    "team-open": "When the ITB team is open",
    "team-closed": "When the ITB team is closed",
}
