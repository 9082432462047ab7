"""The schema of content/symptoms/rules.yaml: signs, the rules they fire, and what each level says.

Here: each field's type and length, and that every name used in the file is one the file defines
(a sign's group and categories, a rule's signs, the levels). What the rules must promise a patient
is checked on the built rule book (symptoms/rules.py: the form and the results agree) and, with the
contacts, in one place (symptoms/safety.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from .schema import Paragraph, PrintedSchema, ReviewDates, Schema, Sentence, Slug, Title, refuse

LEVEL_IDS = ("call-999", "go-to-ae", "urgent", "non-urgent")
CARD_VARIANTS = ("emergency", "urgent", "non-urgent")
ROUTE_IDS = ("recent-operation", "team-open", "team-closed")
# The levels whose advice depends on the hour and on a recent operation: the pages show each route.
ROUTED_LEVELS = ("urgent", "non-urgent")
LevelId = Literal["call-999", "go-to-ae", "urgent", "non-urgent"]
Card = Literal["emergency", "urgent", "non-urgent"]
RouteId = Literal["recent-operation", "team-open", "team-closed"]
Names = Annotated[list[Slug], Field(max_length=100)]
# Easy Read (issue 26): one idea in at most this many words, as the Mencap and Department of Health guides ask.
EASY_READ_MOST_WORDS = 15


def easy_read_words(wording: str) -> str:
    count = len(wording.split())
    if count > EASY_READ_MOST_WORDS:
        raise refuse(f"Easy Read wording has at most {EASY_READ_MOST_WORDS} words, not {count}: {wording!r}")
    return wording


EasyRead = Annotated[Title, AfterValidator(easy_read_words)]
# The name of a picture in static/img/easy-read/ (without .svg): "sign-pump-alarm", "level-urgent".
Picture = Slug


class CategorySchema(Schema):
    label: Title
    source: Paragraph


class GroupSchema(Schema):
    id: Slug
    level: LevelId
    heading: Title
    hint: Sentence

    @field_validator("heading")
    @classmethod
    def ends_with_a_colon(cls, heading: str) -> str:
        if not heading.endswith(":"):
            raise refuse(f"a heading names one action and ends with a colon, not {heading!r}")
        return heading


class SignSchema(Schema):
    slug: Slug
    label: Title
    # Tells it apart from a sign with a near name: "very sleepy" and "very tired".
    example: Sentence | None = None
    group: Slug
    categories: Annotated[list[Slug], Field(min_length=1, max_length=10)]
    # The sign in Easy Read, and its picture: the Easy Read pages and checker show these, never the label.
    easy_read: EasyRead
    picture: Picture


class RuleSchema(Schema):
    id: Slug
    level: LevelId
    summary: Sentence  # finishes the sentence "You have ..."
    source: Paragraph
    all_of: Names = []
    any_of: Names = []
    # Fires when at least this many signs in these categories are chosen (leaving out any sign also
    # in one of `except_categories`).
    at_least: Annotated[int, Field(strict=True, ge=2, le=100)] | None = None
    of_categories: Names = []
    except_categories: Names = []
    # What the rule is about: what the advice says about why comes from `reasons`, never the level.
    reason: Slug | None = None

    @field_validator("summary")
    @classmethod
    def finishes_a_sentence(cls, summary: str) -> str:
        if summary[:1].isupper() and not summary.startswith("A&E"):
            raise refuse(f'a summary finishes the sentence "You have ...", so it starts in lower case: {summary!r}')
        return summary

    @field_validator("source")
    @classmethod
    def cites_the_booklet(cls, source: str) -> str:
        if not source.startswith("Booklet"):
            raise refuse('must cite the booklet passage the rule comes from (source: "Booklet p..")')
        return source

    @model_validator(mode="after")
    def can_fire(self):
        if (self.at_least is None) != (not self.of_categories):
            raise refuse("at_least and of_categories go together: give both, or neither")
        if self.except_categories and self.at_least is None:
            raise refuse("except_categories only leaves signs out of at_least with of_categories")
        if not self.all_of and not self.any_of and self.at_least is None:
            raise refuse("needs all_of, any_of, or at_least with of_categories")
        return self


class AdviceSchema(Schema):
    heading: Title
    action: Paragraph
    lines: Annotated[list[Slug], Field(min_length=1, max_length=5)]


class LevelSchema(Schema):
    id: LevelId
    rank: Annotated[int, Field(strict=True, ge=1, le=100)]
    card: Card
    heading: Title  # the one action, as the form's group headings and the emergency sheet say it
    source: Paragraph
    # The one action in Easy Read, and its picture (the Easy Read result and "if something is wrong").
    easy_read: EasyRead
    picture: Picture
    # The same advice at every hour...
    action: Paragraph | None = None
    lines: Annotated[list[Slug], Field(min_length=1, max_length=5)] | None = None
    # ...or advice by the hour and a recent operation.
    routes: dict[RouteId, AdviceSchema] | None = None

    @model_validator(mode="after")
    def advice_or_routes(self):
        if self.routes is not None:
            if set(self.routes) != set(ROUTE_IDS):
                raise refuse(f"routes must be exactly {', '.join(ROUTE_IDS)}")
            if self.action is not None or self.lines is not None:
                raise refuse("give either routes, or one action with its lines: not both")
        elif self.action is None or self.lines is None:
            raise refuse("needs an action and the lines to call (or routes)")
        return self


class ReasonSchema(Schema):
    """What the advice says about the reason a rule fired for, beside the level's action."""

    label: Annotated[Title, Field(alias="for")]  # names the reason where a page lists several
    says: Paragraph
    watch_for: Slug | None = None  # a category: its signs are listed to look out for
    instead_of: Names = []  # the reasons this one replaces when all of them fire at the same level


class TriggerSchema(Schema):
    name: Title
    detail: Sentence


class RulesFile(PrintedSchema):
    review: ReviewDates
    categories: Annotated[dict[Slug, CategorySchema], Field(min_length=1, max_length=20)]
    groups: Annotated[list[GroupSchema], Field(min_length=1, max_length=20)]
    signs: Annotated[list[SignSchema], Field(min_length=1, max_length=100)]
    rules: Annotated[list[RuleSchema], Field(min_length=1, max_length=100)]
    levels: Annotated[list[LevelSchema], Field(min_length=1, max_length=4)]
    triggers: Annotated[list[TriggerSchema], Field(min_length=1, max_length=30)]
    trigger_source: Paragraph
    # A result lists the triggers only when one of these is chosen, or when no sign is.
    trigger_signs: Names = []
    when_you_call: Annotated[list[Sentence], Field(min_length=1, max_length=10)]
    if_worse: dict[LevelId, Sentence]
    reasons: Annotated[dict[Slug, ReasonSchema], Field(max_length=20)] = {}

    @model_validator(mode="after")
    def names_are_defined(self):
        groups = [group.id for group in self.groups]
        twice(groups, "group")
        slugs = [sign.slug for sign in self.signs]
        twice(slugs, "sign")
        twice([rule.id for rule in self.rules], "rule")
        for sign in self.signs:
            if sign.group not in groups:
                raise refuse(f"sign {sign.slug!r} is in the group {sign.group!r}, which 'groups' does not list")
            unknown = [c for c in sign.categories if c not in self.categories]
            if unknown:
                raise refuse(f"sign {sign.slug!r} names categories 'categories' does not list: {', '.join(unknown)}")
        used = {category for sign in self.signs for category in sign.categories}
        for rule in self.rules:
            unknown = sorted(set(rule.all_of + rule.any_of) - set(slugs))
            if unknown:
                raise refuse(f"rule {rule.id!r} names signs 'signs' does not list: {', '.join(unknown)}")
            if rule.reason is not None and rule.reason not in self.reasons:
                raise refuse(f"rule {rule.id!r} gives the reason {rule.reason!r}, which 'reasons' does not list")
            if rule.at_least is not None:
                if any(c not in used for c in rule.of_categories + rule.except_categories):
                    raise refuse(
                        f"rule {rule.id!r}: of_categories must name categories of listed signs, "
                        f"not {rule.of_categories + rule.except_categories!r}"
                    )
                among = [
                    sign
                    for sign in self.signs
                    if set(sign.categories) & set(rule.of_categories)
                    and not set(sign.categories) & set(rule.except_categories)
                ]
                if len(among) < rule.at_least:
                    raise refuse(f"rule {rule.id!r} can never fire: fewer than {rule.at_least} signs in its categories")
        for key, reason in self.reasons.items():
            if reason.watch_for is not None and reason.watch_for not in self.categories:
                raise refuse(f"reason {key!r}: watch_for must name a category, not {reason.watch_for!r}")
            if set(reason.instead_of) - set(self.reasons) or key in reason.instead_of:
                raise refuse(f"reason {key!r}: instead_of must name other reasons, not {reason.instead_of!r}")
        unknown = sorted(set(self.trigger_signs) - set(slugs))
        if unknown:
            raise refuse(f"trigger_signs names signs 'signs' does not list: {', '.join(unknown)}")
        levels = [level.id for level in self.levels]
        if sorted(levels) != sorted(LEVEL_IDS):
            raise refuse(f"levels must be exactly {', '.join(LEVEL_IDS)}, each once")
        ranked = sorted(self.levels, key=lambda level: -level.rank)
        if [level.id for level in ranked] != list(LEVEL_IDS) or len({level.rank for level in self.levels}) != 4:
            raise refuse(f"level ranks must order the levels {' > '.join(LEVEL_IDS)}")
        for level in self.levels:
            if level.id in ROUTED_LEVELS and level.routes is None:
                raise refuse(
                    f"level {level.id!r} depends on the hour and on a recent operation: it needs routes "
                    f"({', '.join(ROUTE_IDS)})"
                )
        if set(self.if_worse) != set(LEVEL_IDS):
            raise refuse(f"if_worse needs exactly the levels {', '.join(LEVEL_IDS)}")
        return self


def twice(names: list[str], what: str) -> None:
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise refuse(f"{what} {', '.join(repeated)} is listed twice")
