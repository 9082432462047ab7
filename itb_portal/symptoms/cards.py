"""The result page's care card and "if things get worse" box, rendered once for every variant.

Both follow from the outcome's level and route alone (a handful of variants), never from the
signs someone chose. They cost most of the result page's rendering, so every variant is
rendered together on first use, and kept: which ones exist never depends on what anyone picked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from markupsafe import Markup

from itb_portal.contacts.directory import Directory, Line
from itb_portal.pagecache import enabled

from .engine import TEAM_LINE, Outcome
from .rules import RuleBook


@dataclass(frozen=True)
class Advice:
    level: str
    variant: str  # the NHS.UK care card variant
    heading: str
    action: str
    lines: tuple[Line, ...]
    route: str | None
    team_hours: str | None  # said when the team is open now
    if_worse: str

    @classmethod
    def of(cls, outcome: Outcome, directory: Directory) -> Advice:
        return cls(
            outcome.level,
            outcome.card,
            outcome.heading,
            outcome.action,
            outcome.lines,
            outcome.route,
            team_hours_for(directory, outcome.route),
            outcome.if_worse,
        )


def team_hours_for(directory: Directory, route: str | None) -> str | None:
    """The team's hours, said on the card only when the advice is to call the team while it is open."""
    return directory.line(TEAM_LINE).hours_text if route == "team-open" else None


@dataclass(frozen=True)
class RenderedAdvice:
    card: Markup
    if_worse: Markup


def every_advice(rules: RuleBook, directory: Directory) -> list[Advice]:
    variants = []
    for level in rules.levels.values():
        routes = {None: level.advice} if level.advice else level.routes
        for route, advice in routes.items():
            lines = tuple(directory.line(line_id) for line_id in advice.lines)
            variants.append(
                Advice(
                    level.id,
                    level.card,
                    advice.heading,
                    advice.action,
                    lines,
                    route,
                    team_hours_for(directory, route),
                    rules.if_worse[level.id],
                )
            )
    return variants


def render(advice: Advice) -> RenderedAdvice:
    return RenderedAdvice(
        card=Markup(render_to_string("symptoms/_care_card.html", {"advice": advice})),  # noqa: S704
        if_worse=Markup(render_to_string("symptoms/_if_worse.html", {"advice": advice})),  # noqa: S704
    )


_rendered: dict[tuple[int, int], dict[Advice, RenderedAdvice]] = {}


def rendered_variants(rules: RuleBook, directory: Directory) -> dict[Advice, RenderedAdvice]:
    """Every variant, rendered together on first use and kept while the data files are the same."""
    # Rules and directory are loaded once per data file and kept, so their ids are stable.
    variants = _rendered.get((id(rules), id(directory)))
    if variants is None:
        variants = {advice: render(advice) for advice in every_advice(rules, directory)}
        if enabled():
            _rendered[(id(rules), id(directory))] = variants
    return variants


def rendered_advice(advice: Advice, rules: RuleBook, directory: Directory) -> RenderedAdvice:
    if not enabled():
        return render(advice)
    found = rendered_variants(rules, directory).get(advice)
    return found if found is not None else render(advice)
