"""The care cards at the top of a search that names a symptom: one for each of the checker's
groups the query's signs fall in, most urgent first, each offering the checker with those signs
ticked.

A card agrees with the checker by construction: its level is the level the checker gives for
exactly the signs on it (`RuleBook.level_of`), and what it says about the reason comes from the
rules that decided that level (`RuleBook.explain`), as on the result's care card. A level that gives
the same advice at every hour (call 999, go to A&E) also says that advice and its numbers."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    chosen = frozenset(sign.slug for sign in signs)
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


@dataclass(frozen=True)
class GroupPatterns:
    """What an offline search needs to give a group's card without the rules: one pattern for each
    different card the group's signs can give, and which of them each choice of its signs gives.

    A choice is a bitmask over `signs` (bit i set when signs[i] is chosen); `outcomes[mask - 1]`
    is the index in `patterns` of the card the server gives for exactly those signs."""

    group: Group
    signs: tuple[Sign, ...]
    patterns: tuple[SymptomCard, ...]  # with no signs on them: the page's script lists the chosen ones
    outcomes: tuple[int, ...]

    def as_data(self) -> dict:
        return {
            "group": self.group.id,
            "signs": [sign.slug for sign in self.signs],
            "ranks": [card.rank for card in self.patterns],
            "outcomes": list(self.outcomes),
        }


def group_patterns(group: Group, rules: RuleBook, directory: Directory) -> GroupPatterns:
    signs = tuple(rules.signs_in(group.id))  # at most MAX_SIGNS_IN_A_GROUP: the rules are refused otherwise
    patterns: dict[tuple, int] = {}
    cards: list[SymptomCard] = []
    outcomes = []
    for mask in range(1, 2 ** len(signs)):
        card = card_for(group, tuple(s for i, s in enumerate(signs) if mask >> i & 1), rules, directory)
        # Everything the card says but its signs and the checker's link (which names them).
        says = (card.level.id, card.explanations, card.action, tuple(line.id for line in card.lines))
        if says not in patterns:
            patterns[says] = len(cards)
            cards.append(replace(card, signs=()))
        outcomes.append(patterns[says])
    return GroupPatterns(group, signs, tuple(cards), tuple(outcomes))


def every_card(rules: RuleBook, directory: Directory) -> list[GroupPatterns]:
    """For each group, in the checker's order, every card its signs can give: the patterns the
    offline search fills in (static/js/search.mjs), so it gives the card the server would for any
    choice of signs, two that escalate together included."""
    return [group_patterns(group, rules, directory) for group in rules.groups]
