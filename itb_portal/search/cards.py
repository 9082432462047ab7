"""The care cards at the top of a search that names a symptom: one for each of the checker's
groups the query's signs fall in, most urgent first, each offering the checker with those signs
ticked. A group whose level gives the same advice at every hour (call 999, go to A&E) also says
that advice and its numbers, from the rules and content/contacts.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from itb_portal.addresses import url
from itb_portal.contacts.directory import Directory, Line
from itb_portal.symptoms.rules import Group, RuleBook, Sign


@dataclass(frozen=True)
class SymptomCard:
    group: Group
    variant: str  # the NHS.UK care card variant of the group's level
    rank: int  # the level's urgency: higher is more urgent
    signs: tuple[Sign, ...]
    action: str | None  # the level's advice, when it does not depend on the time
    lines: tuple[Line, ...]

    @property
    def checker_url(self) -> str:
        return checker_url(self.signs)


def checker_url(signs: tuple[Sign, ...]) -> str:
    query = urlencode([("sign", sign.slug) for sign in signs])
    return url("symptoms:checker") + (f"?{query}" if query else "")


def card_for(group: Group, signs: tuple[Sign, ...], rules: RuleBook, directory: Directory) -> SymptomCard:
    level = rules.levels[group.level]
    advice = level.advice
    return SymptomCard(
        group=group,
        variant=level.card,
        rank=level.rank,
        signs=signs,
        action=advice.action if advice else None,
        lines=tuple(directory.line(line_id) for line_id in advice.lines) if advice else (),
    )


def symptom_cards(slugs: tuple[str, ...], rules: RuleBook, directory: Directory) -> list[SymptomCard]:
    """Cards for the signs a query named, most urgent group first (the checker's group order
    breaks a tie, as the checker lists them)."""
    chosen = [rules.signs[slug] for slug in slugs if slug in rules.signs]
    cards = []
    for group in rules.groups:
        signs = tuple(sign for sign in chosen if sign.group == group.id)
        if signs:
            cards.append(card_for(group, signs, rules, directory))
    return sorted(cards, key=lambda card: -card.rank)


def every_card(rules: RuleBook, directory: Directory) -> list[SymptomCard]:
    """One card for each group with no signs in it: the patterns the offline search fills in."""
    return [card_for(group, (), rules, directory) for group in rules.groups]
