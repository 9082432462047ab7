"""The care cards at the top of a search that names a symptom: one for each of the checker's
groups the query's signs fall in, most urgent first, each offering the checker with those signs
ticked.

A card agrees with the checker by construction: its level is the level the checker gives for
exactly the signs on it (`RuleBook.level_of`), and what it says about the reason comes from the
rules that decided that level (`RuleBook.explain`), as on the result's care card. A level that gives
the same advice at every hour (call 999, go to A&E) also says that advice and its numbers."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from itb_portal.addresses import url
from itb_portal.contacts.directory import Directory, Line
from itb_portal.symptoms.rules import Explanation, Group, Level, RuleBook, Sign


@dataclass(frozen=True)
class SymptomCard:
    group: Group
    level: Level  # what the checker gives for exactly these signs
    signs: tuple[Sign, ...]
    explanations: tuple[Explanation, ...]  # what the advice says about the reason, from the rules
    action: str | None  # the level's advice, when it does not depend on the time
    lines: tuple[Line, ...]

    @property
    def variant(self) -> str:  # the NHS.UK care card variant of the level
        return self.level.card

    @property
    def rank(self) -> int:  # the level's urgency: higher is more urgent
        return self.level.rank

    @property
    def checker_url(self) -> str:
        return checker_url(self.signs)


def checker_url(signs: tuple[Sign, ...]) -> str:
    query = urlencode([("sign", sign.slug) for sign in signs])
    return url("symptoms:checker") + (f"?{query}" if query else "")


def card_for(group: Group, signs: tuple[Sign, ...], rules: RuleBook, directory: Directory) -> SymptomCard:
    # Without signs, the pattern an offline search fills in: it says what any one sign of the group
    # says alone (the rules are refused unless each sign alone gives its group's level).
    chosen = frozenset(sign.slug for sign in signs or rules.signs_in(group.id)[:1])
    level = rules.level_of(chosen)
    advice = level.advice
    return SymptomCard(
        group=group,
        level=level,
        signs=signs,
        explanations=rules.explain([rule for rule in rules.fired(chosen) if rule.level == level.id]),
        action=advice.action if advice else None,
        lines=tuple(directory.line(line_id) for line_id in advice.lines) if advice else (),
    )


def symptom_cards(slugs: tuple[str, ...], rules: RuleBook, directory: Directory) -> list[SymptomCard]:
    """Cards for the signs a query named, most urgent first (the checker's group order
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
