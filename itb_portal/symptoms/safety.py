"""The safety invariants: what no edit of the rules or the contacts may ever change.

Each is stated as what it promises someone in trouble, not as the shape of a file. They are checked
here and nowhere else, on the rule book and the directory together, and everything that lets data
reach a patient asks this module (through checks.cross_problems):

- `manage.py check`, and so `release`, which runs it first (the system check in checks.py);
- gunicorn's start (`require_sound_data`) and `/health/` (`data_problems`);
- the admin's data drafts, before anyone can approve one (editorial/datadrafts.py).
"""

from __future__ import annotations

import re

from itb_portal.contacts.directory import ALWAYS, EMERGENCY, KIND_NUMBERS, NHS_111, Directory
from itb_portal.datafiles import CONTACTS, RULES

from .rules import Advice, RuleBook

# The levels that mean an emergency: someone is told to call 999 or go to A&E now.
EMERGENCY_LEVELS = ("call-999", "go-to-ae")
EMERGENCY_CARD = "emergency"


def emergencies_always_send_you_to_999(rules: RuleBook, directory: Directory) -> list[str]:
    """`call-999` and `go-to-ae` are emergency cards, the same at every hour (no routes), and the line they
    offer is the 999 line: no edit can turn "call 999" into "call the nurse specialist"."""
    the_999_line = [line.id for line in directory.of_kind(EMERGENCY)]
    problems = []
    for level_id in EMERGENCY_LEVELS:
        level = rules.levels[level_id]
        if level.card != EMERGENCY_CARD:
            problems.append(
                f"{RULES.label}: level {level_id!r} is an emergency: its card must be {EMERGENCY_CARD!r}, "
                f"not {level.card!r}"
            )
        if level.routes or level.advice is None:
            problems.append(
                f"{RULES.label}: level {level_id!r} is an emergency: it must say the same at every hour, "
                "with one action and its lines (no routes)"
            )
        elif list(level.advice.lines) != the_999_line:
            problems.append(
                f"{RULES.label}: level {level_id!r} is an emergency: its lines must be the 999 line "
                f"({', '.join(the_999_line)}) and no other, not {', '.join(level.advice.lines)}"
            )
    return problems


def the_999_and_111_lines_never_close(rules: RuleBook, directory: Directory) -> list[str]:
    """The 999 and 111 lines are open always: no page may ever call them closed, or send someone to
    wait for them to open."""
    return [
        f"{CONTACTS.label}: line {line.id!r} is the {KIND_NUMBERS[line.kind]} line, so its hours must be "
        f"{ALWAYS!r}, not {line.hours_text!r}"
        for line in directory.lines
        if line.kind in (EMERGENCY, NHS_111) and line.hours != ALWAYS
    ]


def every_action_names_its_number(rules: RuleBook, directory: Directory) -> list[str]:
    """Every level's action says the number of each national line it offers ("call 999", "call 111"): the
    words someone reads and the number under them always agree, on a screen, a printout or read aloud."""
    kinds = {line.id: line.kind for line in directory.lines}
    problems = []
    for level in rules.levels.values():
        advices: dict[str, Advice] = {"": level.advice} if level.advice else dict(level.routes or {})
        for route, advice in advices.items():
            for line_id in advice.lines:
                number = KIND_NUMBERS.get(kinds.get(line_id, ""))
                if number and not re.search(rf"\b{number}\b", advice.action):
                    where = f"level {level.id!r}" + (f" route {route!r}" if route else "")
                    problems.append(
                        f"{RULES.label}: {where} offers the {number} line, so its action must say {number}: "
                        f"{advice.action!r}"
                    )
    return problems


INVARIANTS = (
    emergencies_always_send_you_to_999,
    the_999_and_111_lines_never_close,
    every_action_names_its_number,
)


def safety_problems(rules: RuleBook, directory: Directory) -> list[str]:
    """Every safety invariant these two break; empty when they keep them all."""
    return [problem for invariant in INVARIANTS for problem in invariant(rules, directory)]
