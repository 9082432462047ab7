"""The rules and contacts data, checked together before any patient sees them.

Each file is checked against its schema when it loads (itb_portal/datafiles/). Here they are
checked against each other: every line the rules name exists, and is the kind of line its
advice promises (the wards route calls wards, the out-of-hours route never offers the team's
line), and the safety invariants hold (safety.py). The same check stops the site four ways:

- `manage.py check` and `release` (a Django system check: release runs `check` first);
- gunicorn, which loads `itb_portal.wsgi` and so `require_sound_data()`, refuses to start;
- `/health/` answers 503 while the loaded data fails (`data_problems()`).
"""

from __future__ import annotations

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from itb_portal.contacts.directory import NHS_111, TEAM, WARD, ContactsDataError, Directory, load_directory

from .engine import TEAM_LINE
from .rules import RuleBook, RulesDataError, load_rules
from .safety import safety_problems

# The kinds of line each route of a time-dependent level may offer.
ROUTE_KINDS = {
    "recent-operation": {WARD},
    "team-open": {TEAM, NHS_111},
    "team-closed": {NHS_111},
}


def cross_problems(rules: RuleBook, directory: Directory) -> list[str]:
    """What is wrong between two files that each loaded cleanly; empty when they agree."""
    known = {line.id: line for line in directory.lines}
    missing = sorted((rules.lines_used() | {TEAM_LINE}) - set(known))
    if missing:
        return [f"The symptom rules name lines that contacts.yaml does not list: {', '.join(missing)}"]
    problems = safety_problems(rules, directory)
    if known[TEAM_LINE].kind != TEAM:
        problems.append(f"contacts.yaml: line {TEAM_LINE!r} must be of kind {TEAM!r}: its hours decide the route")
    for level in rules.levels.values():
        for route, advice in (level.routes or {}).items():
            wrong = [line for line in advice.lines if known[line].kind not in ROUTE_KINDS[route]]
            if wrong:
                allowed = " or ".join(sorted(ROUTE_KINDS[route]))
                problems.append(
                    f"rules.yaml: level {level.id!r} route {route!r} may only offer {allowed} lines, "
                    f"not {', '.join(wrong)}"
                )
    return problems


def data_problems() -> list[str]:
    """Why the rules and contacts in use must not reach a patient; empty when they are sound. The files
    are read once per process (datafiles), and text a clinical approver approved in the admin in place of
    a file was checked the same way before it was published, and is checked again here."""
    return document_problems(load_rules, load_directory)


def document_problems(rules_loader, directory_loader) -> list[str]:
    """Why the rules and contacts these two give must not reach a patient: what `release` refuses."""
    return checked(rules_loader, directory_loader)[1]


def checked(rules_loader=load_rules, directory_loader=load_directory) -> tuple[bool, list[str]]:
    """The one path every check takes: whether both files loaded, and what is wrong (a file that does not
    load, or two that disagree)."""
    try:
        rules, directory = rules_loader(), directory_loader()
    except (RulesDataError, ContactsDataError) as error:
        return False, [str(error)]
    return True, cross_problems(rules, directory)


def require_sound_data() -> None:
    """Stop here, naming the problem, rather than start a site whose advice or numbers are wrong."""
    problems = data_problems()
    if problems:
        raise ImproperlyConfigured("The symptom data cannot be used: " + " | ".join(problems))


@register()
def symptom_data_is_valid(app_configs=None, **kwargs) -> list[Error]:
    loaded, problems = checked()
    # E001: a file that does not load at all; E002: two files that load but disagree, or are unsafe.
    return [Error(problem, id="symptoms.E002" if loaded else "symptoms.E001") for problem in problems]
