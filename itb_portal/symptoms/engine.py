"""The symptom checker's decision: a pure function of (signs, context, moment).

`assess` reads only its arguments and the rules and contacts data; it has no side
effects and never logs, so the same question always gets the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from itb_portal.contacts.directory import Directory, Line, load_directory

from .rules import Explanation, RuleBook, load_rules


class UnknownSign(ValueError):
    """A sign the rules do not list. The view turns this into a 400 before calling the engine."""


@dataclass(frozen=True)
class Context:
    recent_operation: bool = False


@dataclass(frozen=True)
class Reason:
    """Why a chosen sign matters: the categories it points to, in plain words."""

    slug: str
    label: str
    points_to: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    level: str
    card: str  # the NHS.UK care card variant
    heading: str  # the one action, e.g. "Call 999 now"
    action: str
    # What the advice says about the reason, from the rules that gave the level (never the level's own)
    explanations: tuple[Explanation, ...]
    lines: tuple[Line, ...]
    route: str | None  # recent-operation, team-open or team-closed; None for emergency levels
    team_open: bool
    reasons: tuple[Reason, ...]
    fired_rules: tuple[str, ...]
    sources: tuple[str, ...]
    if_worse: str

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(phone.number for line in self.lines for phone in line.phones)


def assess(
    signs: frozenset[str],
    context: Context,
    at: datetime,
    rules: RuleBook | None = None,
    directory: Directory | None = None,
) -> Outcome:
    """Where to get help, and how fast, for `signs` at the moment `at` (timezone-aware)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("assess needs a timezone-aware moment")
    rules = rules or load_rules()
    directory = directory or load_directory()
    unknown = sorted(set(signs) - set(rules.signs))
    if unknown:
        raise UnknownSign(", ".join(unknown))
    fired = rules.fired(signs)
    level = rules.level_of(signs)
    deciding = [rule for rule in fired if rule.level == level.id]
    team_open = bool(directory.is_open(directory.team_line, at))
    route = None if level.advice else choose_route(context, team_open)
    advice = level.advice or level.routes[route]
    return Outcome(
        level=level.id,
        card=level.card,
        heading=advice.heading,
        action=advice.action,
        explanations=rules.explain(deciding),
        lines=tuple(directory.line(line_id) for line_id in advice.lines),
        route=route,
        team_open=team_open,
        reasons=reasons_for(signs, rules),
        fired_rules=tuple(rule.id for rule in deciding),
        sources=tuple(dict.fromkeys([rule.source for rule in deciding] + [level.source])),
        if_worse=rules.if_worse[level.id],
    )


def choose_route(context: Context, team_open: bool) -> str:
    # After an operation the wards answer at any hour, so they come first.
    if context.recent_operation:
        return "recent-operation"
    return "team-open" if team_open else "team-closed"


def reasons_for(signs: frozenset[str], rules: RuleBook) -> tuple[Reason, ...]:
    # In the order the checker lists them, so the page reads the same way as the form.
    return tuple(
        Reason(sign.slug, sign.label, tuple(rules.categories[c].label for c in sign.categories))
        for sign in rules.signs.values()
        if sign.slug in signs
    )
