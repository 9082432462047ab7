"""The words the search knows beyond the booklet's own: synonyms, and the symptom checker's signs.

Synonyms come from content/search/synonyms.yaml, which editors change. The signs come from
the checker's rules (content/symptoms/rules.yaml): each sign is known by its slug, the medical
term in brackets in its label, and the parts of its label. Nothing here lists a word itself.

Every name becomes a *phrase*: the set of stems of its words (see analysis.py). A query holds a
phrase when it holds all of the phrase's stems, in any order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from itb_portal.datafiles import read_yaml
from itb_portal.symptoms.rules import RuleBook

from .analysis import stems

Phrase = frozenset[str]
BRACKETS = re.compile(r"\(([^)]*)\)")
ALTERNATIVES = re.compile(r",|\bor\b")


class SynonymsDataError(ValueError):
    """The synonyms file is missing or malformed. The message names the file and the problem."""


@dataclass(frozen=True)
class SynonymGroup:
    entries: tuple[str, ...]  # as written in the file
    phrases: tuple[Phrase, ...]

    def found_in(self, query: set[str] | frozenset[str]) -> bool:
        return any(phrase <= query for phrase in self.phrases)

    def phrase_in(self, query: set[str] | frozenset[str]) -> bool:
        """Whether the query holds one of its entries of more than one word."""
        return any(len(phrase) > 1 and phrase <= query for phrase in self.phrases)

    @property
    def stems(self) -> frozenset[str]:
        return frozenset().union(*self.phrases)

    @property
    def words(self) -> frozenset[str]:
        """The stems of its one-word entries. A search adds only these: lunr cannot look for a phrase,
        and the words of one ("top up") are too common alone."""
        return frozenset().union(*(phrase for phrase in self.phrases if len(phrase) == 1))


@dataclass(frozen=True)
class SignNames:
    slug: str
    label: str
    group: str  # the checker's group (red flags first)
    phrases: tuple[Phrase, ...]

    def found_in(self, query: set[str] | frozenset[str]) -> bool:
        return any(phrase <= query for phrase in self.phrases)


def synonyms_path() -> Path:
    return Path(settings.CONTENT_DIR) / "search" / "synonyms.yaml"


def load_synonyms(path: Path | None = None) -> tuple[SynonymGroup, ...]:
    """The synonym groups from `path` (default content/search/synonyms.yaml), cached per path."""
    return _load(path or synonyms_path())


@cache
def _load(path: Path) -> tuple[SynonymGroup, ...]:
    return parse_synonyms(read_yaml(path, SynonymsDataError), path)


def parse_synonyms(raw: object, path: Path) -> tuple[SynonymGroup, ...]:
    def fail(problem: str) -> SynonymsDataError:
        return SynonymsDataError(f"{path}: {problem}")

    if not isinstance(raw, dict) or not isinstance(raw.get("groups"), list) or not raw["groups"]:
        raise fail("expected a non-empty list under 'groups'")
    groups = []
    for number, entries in enumerate(raw["groups"], start=1):
        if not isinstance(entries, list) or len(entries) < 2:
            raise fail(f"group {number} must list at least two words or phrases, got {entries!r}")
        phrases = []
        for entry in entries:
            phrase = frozenset(stems(str(entry))) if isinstance(entry, str | int) else frozenset()
            if not phrase:
                raise fail(f"group {number}: {entry!r} has no word the search can use (only common words like 'the')")
            phrases.append(phrase)
        groups.append(SynonymGroup(tuple(str(entry) for entry in entries), tuple(phrases)))
    return tuple(groups)


def groups_in(query: set[str] | frozenset[str], groups: tuple[SynonymGroup, ...]) -> list[SynonymGroup]:
    """The synonym groups a query's stems hold a phrase of."""
    return [group for group in groups if group.found_in(query)]


def label_phrases(label: str) -> list[Phrase]:
    """The names in a sign's label: the medical term in brackets, and each alternative of the rest.

    In "Blurred or double vision" the lone "Blurred" shares the words after it, so a single word
    is a name on its own only when every alternative is a single word ("Constipation or diarrhoea").
    """
    names = [part for inner in BRACKETS.findall(label) for part in ALTERNATIVES.split(inner)]
    outside = [frozenset(stems(part)) for part in ALTERNATIVES.split(BRACKETS.sub(" ", label))]
    outside = [phrase for phrase in outside if phrase]
    all_single = all(len(phrase) == 1 for phrase in outside)
    phrases = [frozenset(stems(name)) for name in names]
    phrases += [phrase for phrase in outside if all_single or len(phrase) > 1]
    return [phrase for phrase in phrases if phrase]


def sign_names(rules: RuleBook) -> tuple[SignNames, ...]:
    """Every sign of the checker with the phrases that name it, in the checker's order."""
    found = []
    for sign in rules.signs.values():
        phrases = [frozenset(stems(sign.slug.replace("-", " "))), *label_phrases(sign.label)]
        unique = tuple(dict.fromkeys(phrase for phrase in phrases if phrase))
        found.append(SignNames(sign.slug, sign.label, sign.group, unique))
    return tuple(found)
