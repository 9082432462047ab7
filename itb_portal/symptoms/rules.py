"""The symptom checker's rules, loaded from content/symptoms/rules.yaml and checked.

Every problem is reported with the file name, so a broken edit is caught at start-up
(see checks.py) rather than when a worried patient submits the form.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from itb_portal.contacts.directory import ReviewDates
from itb_portal.datafiles import RULES
from itb_portal.datafiles import RulesDataError as RulesDataError
from itb_portal.datafiles.rules import CARD_VARIANTS as CARD_VARIANTS
from itb_portal.datafiles.rules import LEVEL_IDS as LEVEL_IDS
from itb_portal.datafiles.rules import ROUTE_IDS as ROUTE_IDS
from itb_portal.datafiles.rules import LevelSchema, RuleSchema, RulesFile

# The slugs the specification (issue 4) requires; more may be added in the data.
REQUIRED_SLUGS = frozenset(
    {
        "arm-weakness",
        "blurred-vision",
        "breathing-difficulty",
        "confusion",
        "constipation-diarrhoea",
        "dizziness",
        "drowsiness",
        "fast-heart-rate",
        "fever",
        "goosebumps",
        "hallucinations",
        "hard-to-wake",
        "headache",
        "increased-stiffness",
        "itching",
        "leg-weakness",
        "lethargy",
        "low-blood-pressure",
        "nausea-vomiting",
        "numbness-tingling",
        "pump-alarm",
        "seizures",
        "slurred-speech",
        "upper-body-weakness",
        "urine-difficulty",
        "wound-problem",
    }
)
# The red flags come first on the form, and each of these must be among them: each alone means 999.
RED_FLAG_GROUP = "red-flags"
REQUIRED_RED_FLAGS = frozenset(
    {"breathing-difficulty", "confusion", "hallucinations", "hard-to-wake", "seizures", "slurred-speech"}
)
# The offline search page holds the card for every choice of a group's signs (2 ** n - 1 of them,
# search/cards.py): more signs than this in one group would make that page heavy.
MAX_SIGNS_IN_A_GROUP = 10


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    source: str


@dataclass(frozen=True)
class Sign:
    slug: str
    label: str
    group: str
    categories: tuple[str, ...]
    example: str = ""  # tells it apart from a sign with a near name: "very sleepy" and "very tired"


@dataclass(frozen=True)
class Group:
    id: str
    level: str
    heading: str
    hint: str


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    all_of: frozenset[str]
    any_of: frozenset[str]
    source: str
    summary: str
    at_least: int = 0  # with `among`: fires when at least this many of those signs are chosen
    among: frozenset[str] = frozenset()
    reason: str | None = None  # what the advice says about why (RuleBook.reasons); never the level's to say

    def fires(self, signs: frozenset[str]) -> bool:
        # Each condition only ever gains from one more sign, so no rule can lower the advice.
        return (
            self.all_of <= signs
            and (not self.any_of or bool(self.any_of & signs))
            and len(self.among & signs) >= self.at_least
        )

    @property
    def signs_named(self) -> frozenset[str]:
        return self.all_of | self.any_of | self.among

    @property
    def needs_several(self) -> bool:
        """True for a combination: no single sign fires this rule on its own."""
        return not any(self.fires(frozenset({slug})) for slug in self.signs_named)


@dataclass(frozen=True)
class Explanation:
    """What the advice says about the reason a rule fired for, beside the level's action (issue 20).

    `watch_for` holds the signs to look out for (the category `watch_for` names), each as its label and,
    for a sign that needs 999 or A&E on its own, that level's heading: a list never hides a 999 sign;
    `instead_of` names the reasons this one replaces when all of them fire at the same level."""

    id: str
    label: str  # names the reason where a page lists several: "Signs of too little baclofen"
    says: str
    watch_for: tuple[tuple[str, str], ...] = ()  # (label, "Call 999 now" or "Go to A&E now" or "")
    instead_of: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Advice:
    """What a card says: its heading (the one action), the action in full, and the lines to call."""

    heading: str
    action: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Level:
    id: str
    rank: int
    card: str
    heading: str  # the one action, as the form's group headings and the emergency sheet say it
    source: str
    advice: Advice | None  # the same at every hour (emergency levels)
    routes: dict[str, Advice] | None  # by route id, for levels that depend on time and context


@dataclass(frozen=True)
class Trigger:
    name: str
    detail: str


@dataclass(frozen=True)
class GroupEntry:
    group: Group
    condition: str  # the group's heading without its level's action: "If you have signs of too little baclofen:"
    signs: tuple[Sign, ...]


@dataclass(frozen=True)
class LevelSummary:
    """One level of "what to do": the form's groups at that level, and the combinations that lead to it."""

    level: Level
    groups: tuple[GroupEntry, ...]
    combinations: tuple[Rule, ...]
    reasons: tuple[Explanation, ...] = ()  # what the advice at this level says, for each reason it can have


@dataclass(frozen=True)
class RuleBook:
    review: ReviewDates
    categories: dict[str, Category]
    groups: tuple[Group, ...]
    signs: dict[str, Sign]
    rules: tuple[Rule, ...]
    levels: dict[str, Level]
    triggers: tuple[Trigger, ...]
    trigger_source: str
    when_you_call: tuple[str, ...]
    if_worse: dict[str, str]
    # The signs the triggers are about (worse stiffness): a result lists the triggers only when one
    # of them is chosen, or when nothing is. With none named, every result lists them.
    trigger_signs: frozenset[str] = frozenset()
    reasons: dict[str, Explanation] | None = None

    def explain(self, rules: list[Rule] | tuple[Rule, ...]) -> tuple[Explanation, ...]:
        """What the advice says for these fired rules (all at one level): each reason once, in the
        order of `reasons`, a reason with `instead_of` standing for the reasons it replaces."""
        named = {rule.reason for rule in rules if rule.reason}
        known = self.reasons or {}
        for explanation in known.values():
            if explanation.instead_of and explanation.instead_of <= named:
                named = (named - explanation.instead_of) | {explanation.id}
        return tuple(explanation for key, explanation in known.items() if key in named)

    def reasons_at(self, level_id: str) -> tuple[Explanation, ...]:
        """Every reason a rule at this level can give, in the order of `reasons` (the pages that list
        the advice for a level, rather than for someone's signs)."""
        named = {rule.reason for rule in self.rules_at(level_id) if rule.reason}
        return tuple(
            explanation
            for key, explanation in (self.reasons or {}).items()
            if key in named or (explanation.instead_of and explanation.instead_of <= named)
        )

    def triggers_apply(self, signs: frozenset[str]) -> bool:
        return not signs or not self.trigger_signs or bool(signs & self.trigger_signs)

    def signs_in(self, group_id: str) -> list[Sign]:
        return [sign for sign in self.signs.values() if sign.group == group_id]

    def level_alone(self, slug: str) -> Level:
        """The level this sign gives on its own: what a page listing it must say beside it."""
        return self.level_of(frozenset({slug}))

    def fired(self, signs: frozenset[str]) -> list[Rule]:
        return [rule for rule in self.rules if rule.fires(signs)]

    def level_of(self, signs: frozenset[str]) -> Level:
        """The highest level of any rule the signs fire; the lowest level when none fires."""
        return max(
            (self.levels[rule.level] for rule in self.fired(signs)),
            key=lambda level: level.rank,
            default=min(self.levels.values(), key=lambda level: level.rank),
        )

    def combinations_above(self, group: Group) -> list[Rule]:
        """Combinations that lead to a faster level than `group`'s own and name any of its signs."""
        names = {sign.slug for sign in self.signs_in(group.id)}
        rank = self.levels[group.level].rank
        return [
            rule
            for rule in self.rules
            if rule.needs_several and self.levels[rule.level].rank > rank and rule.signs_named & names
        ]

    def what_to_do(self) -> list[LevelSummary]:
        """Every level a sign can lead to, fastest first: the form's groups and the combinations at it.

        The form, the emergency sheet and the warning-signs page are all drawn from this."""
        summaries = []
        for level in sorted(self.levels.values(), key=lambda lv: -lv.rank):
            groups = tuple(
                GroupEntry(group, condition(group.heading, level.heading), tuple(self.signs_in(group.id)))
                for group in self.groups
                if group.level == level.id
            )
            combinations = tuple(rule for rule in self.rules_at(level.id) if rule.needs_several)
            if groups or combinations:
                summaries.append(LevelSummary(level, groups, combinations, self.reasons_at(level.id)))
        return summaries

    def rules_at(self, level_id: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.level == level_id]

    def signs_of(self, category_id: str) -> list[Sign]:
        return [sign for sign in self.signs.values() if category_id in sign.categories]

    def lines_used(self) -> set[str]:
        used: set[str] = set()
        for level in self.levels.values():
            advices = [level.advice] if level.advice else list((level.routes or {}).values())
            for advice in advices:
                used.update(advice.lines)
        return used


def condition(heading: str, action: str) -> str:
    """ "Get urgent advice if your pump:" without "Get urgent advice": "If your pump:"."""
    rest = heading[len(action) :].strip().lstrip(",").strip()
    return rest[:1].upper() + rest[1:]


def rules_path() -> Path:
    return RULES.path()


def load_rules(path: Path | None = None) -> RuleBook:
    """The rule book from `path`; by default the one in use: content/symptoms/rules.yaml, or the text a
    clinical approver approved in the admin in its place."""
    return RULES.load(rule_book_from, path) if path else RULES.in_use(rule_book_from)


def parse_rules_text(text: str, path: Path) -> RuleBook:
    """A rules document, checked exactly as the file is (`path` names it in every problem)."""
    return RULES.load(rule_book_from, path, text)


def rule_book_from(data: RulesFile, path: Path) -> RuleBook:
    """The rule book a checked rules file describes, refused (naming `path`) if its form and results disagree."""
    signs = {
        sign.slug: Sign(sign.slug, sign.label, sign.group, tuple(sign.categories), sign.example or "")
        for sign in data.signs
    }
    reasons = {
        key: Explanation(
            key,
            item.label,
            item.says,
            tuple((slug, "") for slug, sign in signs.items() if item.watch_for in sign.categories)
            if item.watch_for
            else (),
            frozenset(item.instead_of),
        )
        for key, item in data.reasons.items()
    }
    book = RuleBook(
        review=ReviewDates(data.review.last_reviewed, data.review.next_review_due),
        categories={key: Category(key, item.label, item.source) for key, item in data.categories.items()},
        groups=tuple(Group(group.id, group.level, group.heading, group.hint) for group in data.groups),
        signs=signs,
        rules=tuple(rule_from(rule, signs) for rule in data.rules),
        levels={level.id: level_from(level) for level in data.levels},
        triggers=tuple(Trigger(trigger.name, trigger.detail) for trigger in data.triggers),
        trigger_source=data.trigger_source,
        when_you_call=tuple(data.when_you_call),
        if_worse=dict(data.if_worse),
        trigger_signs=frozenset(data.trigger_signs),
        reasons=reasons,
    )
    problem = consistency_problem(book)
    if problem:
        raise RulesDataError(f"{path}: {problem}")
    return with_levels_to_watch(book)


def with_levels_to_watch(book: RuleBook) -> RuleBook:
    """The reasons' lists of signs to watch for, each sign with the level it needs on its own when that
    is an emergency (known only once the rules are read)."""

    def beside(slug: str) -> tuple[str, str]:
        level = book.level_alone(slug)
        return (book.signs[slug].label, level.heading if level.card == "emergency" else "")

    reasons = {
        key: replace(explanation, watch_for=tuple(beside(slug) for slug, _ in explanation.watch_for))
        for key, explanation in (book.reasons or {}).items()
    }
    return replace(book, reasons=reasons)


def rule_from(rule: RuleSchema, signs: dict[str, Sign]) -> Rule:
    wanted, left_out = set(rule.of_categories), set(rule.except_categories)
    among = frozenset(
        slug for slug, sign in signs.items() if wanted & set(sign.categories) and not left_out & set(sign.categories)
    )
    return Rule(
        rule.id,
        rule.level,
        frozenset(rule.all_of),
        frozenset(rule.any_of),
        rule.source,
        rule.summary,
        rule.at_least or 0,
        among,
        rule.reason,
    )


def level_from(level: LevelSchema) -> Level:
    routes = level.routes
    return Level(
        id=level.id,
        rank=level.rank,
        card=level.card,
        heading=level.heading,
        source=level.source,
        advice=None if routes else Advice(level.heading, level.action or "", tuple(level.lines or ())),
        routes={key: Advice(r.heading, r.action, tuple(r.lines)) for key, r in routes.items()} if routes else None,
    )


def consistency_problem(book: RuleBook) -> str:
    """What the form promises, the rules must give: why not, or "" (the file is refused otherwise, issue 13)."""
    missing = sorted(REQUIRED_SLUGS - set(book.signs))
    if missing:
        return f"required signs are missing: {', '.join(missing)}"
    levels = book.levels
    # Every sign must reach at least "urgent" on its own: no listed sign is ever brushed off.
    urgent = levels["urgent"].rank
    uncovered = [slug for slug in book.signs if book.level_of(frozenset({slug})).rank < urgent]
    if uncovered:
        return f"no rule gives these signs on their own at least 'urgent': {', '.join(uncovered)}"
    for group in book.groups:
        level = levels[group.level]
        if level.rank < urgent:
            return f"group {group.id!r} is at level {group.level!r}: a listed sign is never less than urgent"
        if not group.heading.startswith(level.heading):
            return (
                f"group {group.id!r} is at level {group.level!r}, so its heading must start with "
                f"{level.heading!r}, got {group.heading!r}"
            )
        if not book.signs_in(group.id):
            return f"group {group.id!r} lists no signs"
        if len(book.signs_in(group.id)) > MAX_SIGNS_IN_A_GROUP:
            return (
                f"group {group.id!r} lists {len(book.signs_in(group.id))} signs: at most "
                f"{MAX_SIGNS_IN_A_GROUP}, as search offline keeps the advice for every choice of them"
            )
    # The form shows each sign under its group's heading: alone, it must give exactly that level.
    for sign in book.signs.values():
        group = next(g for g in book.groups if g.id == sign.group)
        alone = book.level_of(frozenset({sign.slug}))
        if alone.id != group.level:
            return (
                f"sign {sign.slug!r} is listed under {group.heading!r} ({group.level}), "
                f"but on its own the rules give {alone.id!r}"
            )
    first = book.groups[0]
    if first.id != RED_FLAG_GROUP or first.level != "call-999":
        return f"the first group must be {RED_FLAG_GROUP!r} at level 'call-999', got {first.id!r}"
    outside = sorted(REQUIRED_RED_FLAGS - {sign.slug for sign in book.signs_in(RED_FLAG_GROUP)})
    if outside:
        return f"these signs must be red flags (call 999): {', '.join(outside)}"
    return ""
