"""The symptom checker's rules, loaded from content/symptoms/rules.yaml and checked.

Every problem is reported with the file name, so a broken edit is caught at start-up
(see checks.py) rather than when a worried patient submits the form.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings

from itb_portal.contacts.directory import FileReview, parse_file_review
from itb_portal.contacts.published import approved_text
from itb_portal.datafiles import content_file, parse_yaml, read_yaml

LEVEL_IDS = ("call-999", "go-to-ae", "urgent", "non-urgent")
CARD_VARIANTS = ("emergency", "urgent", "non-urgent")
ROUTE_IDS = ("recent-operation", "team-open", "team-closed")
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


class RulesDataError(ValueError):
    """The rules file is missing or inconsistent. The message names the file and the problem."""


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
    review: FileReview
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
    return content_file(settings.CONTENT_DIR, "symptoms/rules.yaml")


def load_rules(path: Path | None = None) -> RuleBook:
    """The rule book from `path`, cached per path; by default the one in use: content/symptoms/rules.yaml,
    or the text a clinical approver approved in the admin in its place (contacts/published.py)."""
    if path is None and (approved := approved_text("rules")):
        return parse_rules_text(approved, rules_path())
    return _load(path or rules_path())


@cache
def _load(path: Path) -> RuleBook:
    return parse_rules(read_yaml(path, RulesDataError), path)


@lru_cache(maxsize=8)
def parse_rules_text(text: str, path: Path) -> RuleBook:
    """A rules document, checked exactly as the file is (`path` names it in every problem)."""
    return parse_rules(parse_yaml(text, path, RulesDataError), path)


class _Reader:
    """Small helpers that turn a missing or wrong value into a RulesDataError naming the file."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, problem: str) -> RulesDataError:
        return RulesDataError(f"{self.path}: {problem}")

    def text(self, item: dict, key: str, where: str) -> str:
        value = item.get(key) if isinstance(item, dict) else None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where} needs a non-empty {key!r}")
        return value.strip()

    def items(self, raw: dict, key: str) -> list:
        value = raw.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(f"{key!r} must be a non-empty list")
        return value


def parse_rules(raw: object, path: Path) -> RuleBook:
    read = _Reader(path)
    if not isinstance(raw, dict):
        raise read.fail("expected a mapping at the top level")
    categories = parse_categories(raw, read)
    groups = tuple(parse_group(item, read) for item in read.items(raw, "groups"))
    signs = parse_signs(raw, read, categories, {g.id for g in groups})
    reasons = parse_reasons(raw, read, categories, signs)
    rules = tuple(parse_rule(item, read, signs, reasons) for item in read.items(raw, "rules"))
    levels = parse_levels(raw, read)
    if_worse = raw.get("if_worse") or {}
    if set(if_worse) != set(LEVEL_IDS):
        raise read.fail(f"if_worse needs exactly the levels {', '.join(LEVEL_IDS)}")
    book = RuleBook(
        review=parse_file_review(raw.get("review"), read.fail, numbers=False),
        categories=categories,
        groups=groups,
        signs=signs,
        rules=rules,
        levels=levels,
        triggers=tuple(
            Trigger(read.text(t, "name", "a trigger"), read.text(t, "detail", "a trigger"))
            for t in read.items(raw, "triggers")
        ),
        trigger_source=read.text(raw, "trigger_source", "the file"),
        when_you_call=tuple(str(line) for line in read.items(raw, "when_you_call")),
        if_worse={level: str(text) for level, text in if_worse.items()},
        trigger_signs=parse_trigger_signs(raw, read, signs),
        reasons=reasons,
    )
    check_consistency(read, book)
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


def parse_trigger_signs(raw: dict, read: _Reader, signs: dict) -> frozenset[str]:
    value = raw.get("trigger_signs") or []
    if not isinstance(value, list) or any(slug not in signs for slug in value):
        raise read.fail(f"trigger_signs must be a list of signs from 'signs', got {value!r}")
    return frozenset(value)


def parse_categories(raw: dict, read: _Reader) -> dict[str, Category]:
    value = raw.get("categories")
    if not isinstance(value, dict) or not value:
        raise read.fail("'categories' must be a non-empty mapping")
    return {
        key: Category(
            key, read.text(item, "label", f"category {key!r}"), read.text(item, "source", f"category {key!r}")
        )
        for key, item in value.items()
    }


def parse_group(item: object, read: _Reader) -> Group:
    group_id = read.text(item, "id", "a group")
    level = read.text(item, "level", f"group {group_id!r}")
    if level not in LEVEL_IDS:
        raise read.fail(f"group {group_id!r} has unknown level {level!r}")
    heading = read.text(item, "heading", f"group {group_id!r}")
    if not heading.endswith(":"):
        raise read.fail(f"group {group_id!r}: a heading names one action and ends with a colon, got {heading!r}")
    return Group(group_id, level, heading, read.text(item, "hint", f"group {group_id!r}"))


def parse_signs(raw: dict, read: _Reader, categories: dict[str, Category], group_ids: set[str]) -> dict[str, Sign]:
    signs: dict[str, Sign] = {}
    for item in read.items(raw, "signs"):
        slug = read.text(item, "slug", "a sign")
        if slug in signs:
            raise read.fail(f"sign {slug!r} is listed twice")
        if not slug.replace("-", "").isalnum() or slug != slug.lower():
            raise read.fail(f"sign slug {slug!r} must be lower-case letters, digits and hyphens")
        group = read.text(item, "group", f"sign {slug!r}")
        if group not in group_ids:
            raise read.fail(f"sign {slug!r} is in unknown group {group!r}")
        cats = item.get("categories") or []
        unknown = [c for c in cats if c not in categories]
        if not cats or unknown:
            raise read.fail(f"sign {slug!r} needs categories from {sorted(categories)}, got {cats!r}")
        example = item.get("example") or ""
        if not isinstance(example, str):
            raise read.fail(f"sign {slug!r}: example must be text, got {example!r}")
        signs[slug] = Sign(slug, read.text(item, "label", f"sign {slug!r}"), group, tuple(cats), example.strip())
    missing = sorted(REQUIRED_SLUGS - set(signs))
    if missing:
        raise read.fail(f"required signs are missing: {', '.join(missing)}")
    return signs


def parse_reasons(raw: dict, read: _Reader, categories: dict, signs: dict[str, Sign]) -> dict[str, Explanation]:
    value = raw.get("reasons") or {}
    if not isinstance(value, dict):
        raise read.fail("'reasons' must be a mapping of reason ids to what the advice says")
    reasons: dict[str, Explanation] = {}
    for key, item in value.items():
        where = f"reason {key!r}"
        watch = item.get("watch_for") if isinstance(item, dict) else None
        if watch is not None and watch not in categories:
            raise read.fail(f"{where}: watch_for must name a category, got {watch!r}")
        instead_of = frozenset(item.get("instead_of") or [])
        if instead_of - set(value) or key in instead_of:
            raise read.fail(f"{where}: instead_of must name other reasons, got {sorted(instead_of)!r}")
        reasons[key] = Explanation(
            key,
            read.text(item, "for", where),
            read.text(item, "says", where),
            tuple((sign.slug, "") for sign in signs.values() if watch in sign.categories) if watch else (),
            instead_of,
        )
    return reasons


def parse_rule(item: object, read: _Reader, signs: dict[str, Sign], reasons: dict[str, Explanation]) -> Rule:
    rule_id = read.text(item, "id", "a rule")
    level = read.text(item, "level", f"rule {rule_id!r}")
    if level not in LEVEL_IDS:
        raise read.fail(f"rule {rule_id!r} has unknown level {level!r}")
    source = read.text(item, "source", f"rule {rule_id!r}")
    if not source.startswith("Booklet"):
        raise read.fail(f'rule {rule_id!r} must cite the booklet passage it comes from (source: "Booklet p..")')
    all_of, any_of = frozenset(item.get("all_of") or []), frozenset(item.get("any_of") or [])
    at_least, among = item.get("at_least"), frozenset()
    if at_least is not None or "of_categories" in item:
        wanted = item.get("of_categories") or []
        if not isinstance(at_least, int) or isinstance(at_least, bool) or at_least < 2:
            raise read.fail(f"rule {rule_id!r}: at_least must be a whole number of 2 or more, got {at_least!r}")
        unknown_categories = [c for c in wanted if not any(c in sign.categories for sign in signs.values())]
        if not wanted or unknown_categories:
            raise read.fail(f"rule {rule_id!r}: of_categories must name categories of listed signs, got {wanted!r}")
        left_out = item.get("except_categories") or []
        among = frozenset(
            slug
            for slug, sign in signs.items()
            if set(sign.categories) & set(wanted) and not set(sign.categories) & set(left_out)
        )
        if len(among) < at_least:
            raise read.fail(f"rule {rule_id!r} can never fire: fewer than {at_least} signs in {wanted!r}")
    if not all_of and not any_of and not among:
        raise read.fail(f"rule {rule_id!r} needs all_of, any_of or at_least with of_categories")
    unknown = sorted((all_of | any_of) - set(signs))
    if unknown:
        raise read.fail(f"rule {rule_id!r} names unknown signs: {', '.join(unknown)}")
    summary = read.text(item, "summary", f"rule {rule_id!r}")
    if summary[:1].isupper() and not summary.startswith("A&E"):
        raise read.fail(f'rule {rule_id!r}: a summary finishes the sentence "You have ...", got {summary!r}')
    reason = item.get("reason")
    if reason is not None and reason not in reasons:
        raise read.fail(f"rule {rule_id!r} gives unknown reason {reason!r} (see 'reasons')")
    return Rule(rule_id, level, all_of, any_of, source, summary, at_least or 0, among, reason)


def parse_advice(item: object, read: _Reader, where: str) -> Advice:
    lines = item.get("lines") if isinstance(item, dict) else None
    if not isinstance(lines, list) or not lines:
        raise read.fail(f"{where} needs at least one line to call")
    return Advice(read.text(item, "heading", where), read.text(item, "action", where), tuple(lines))


def parse_levels(raw: dict, read: _Reader) -> dict[str, Level]:
    levels: dict[str, Level] = {}
    for item in read.items(raw, "levels"):
        level_id = read.text(item, "id", "a level")
        if level_id not in LEVEL_IDS:
            raise read.fail(f"unknown level {level_id!r}")
        card = read.text(item, "card", f"level {level_id!r}")
        if card not in CARD_VARIANTS:
            raise read.fail(f"level {level_id!r} has unknown card {card!r}")
        routes = item.get("routes")
        if routes is not None and set(routes) != set(ROUTE_IDS):
            raise read.fail(f"level {level_id!r} routes must be exactly {', '.join(ROUTE_IDS)}")
        levels[level_id] = Level(
            id=level_id,
            rank=int(item.get("rank", 0)),
            card=card,
            heading=read.text(item, "heading", f"level {level_id!r}"),
            source=read.text(item, "source", f"level {level_id!r}"),
            advice=None if routes else parse_advice(item, read, f"level {level_id!r}"),
            routes={k: parse_advice(v, read, f"level {level_id!r} route {k!r}") for k, v in routes.items()}
            if routes
            else None,
        )
    if set(levels) != set(LEVEL_IDS):
        raise read.fail(f"levels must be exactly {', '.join(LEVEL_IDS)}")
    if sorted(levels, key=lambda lid: -levels[lid].rank) != list(LEVEL_IDS):
        raise read.fail(f"level ranks must order the levels {' > '.join(LEVEL_IDS)}")
    return levels


def check_consistency(read: _Reader, book: RuleBook) -> None:
    """What the form promises, the rules must give: the file is refused otherwise (issue 13)."""
    levels = book.levels
    for level in levels.values():
        if level.card == "emergency" and level.routes:
            raise read.fail(f"emergency level {level.id!r} must give the same advice at every hour (no routes)")
    # Every sign must reach at least "urgent" on its own: no listed sign is ever brushed off.
    urgent = levels["urgent"].rank
    uncovered = [slug for slug in book.signs if book.level_of(frozenset({slug})).rank < urgent]
    if uncovered:
        raise read.fail(f"no rule gives these signs on their own at least 'urgent': {', '.join(uncovered)}")
    for group in book.groups:
        level = levels[group.level]
        if level.rank < urgent:
            raise read.fail(f"group {group.id!r} is at level {group.level!r}: a listed sign is never less than urgent")
        if not group.heading.startswith(level.heading):
            raise read.fail(
                f"group {group.id!r} is at level {group.level!r}, so its heading must start with "
                f"{level.heading!r}, got {group.heading!r}"
            )
        if not book.signs_in(group.id):
            raise read.fail(f"group {group.id!r} lists no signs")
    # The form shows each sign under its group's heading: alone, it must give exactly that level.
    for sign in book.signs.values():
        group = next(g for g in book.groups if g.id == sign.group)
        alone = book.level_of(frozenset({sign.slug}))
        if alone.id != group.level:
            raise read.fail(
                f"sign {sign.slug!r} is listed under {group.heading!r} ({group.level}), "
                f"but on its own the rules give {alone.id!r}"
            )
    first = book.groups[0]
    if first.id != RED_FLAG_GROUP or first.level != "call-999":
        raise read.fail(f"the first group must be {RED_FLAG_GROUP!r} at level 'call-999', got {first.id!r}")
    outside = sorted(REQUIRED_RED_FLAGS - {sign.slug for sign in book.signs_in(RED_FLAG_GROUP)})
    if outside:
        raise read.fail(f"these signs must be red flags (call 999): {', '.join(outside)}")
