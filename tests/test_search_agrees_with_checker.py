"""Search agrees with the symptom checker by construction (issue 20, point 7; docs/clinical-safety.md, H55).

A synonym leads to signs, and a search's care card gives the level the checker gives for exactly
the signs on it, with the same words about the reason. This walks every synonym group and every sign.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from itb_portal.contacts.directory import load_directory
from itb_portal.search.cards import symptom_cards
from itb_portal.search.engine import search
from itb_portal.search.index import current_index
from itb_portal.search.terms import load_synonyms
from itb_portal.symptoms.rules import load_rules

RULES = load_rules()
CARD = re.compile(r'<div class="nhsuk-card[^"]*"[^>]*data-testid="symptom-card"[^>]*>(.*?)data-card-checker', re.S)


def checker_says(slugs: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """The checker's level for these signs, and the reasons its deciding rules give."""
    level = RULES.level_of(slugs)
    deciding = [rule for rule in RULES.fired(slugs) if rule.level == level.id]
    return level.id, tuple(explanation.id for explanation in RULES.explain(deciding))


def assert_cards_match_the_checker(query: str) -> list:
    answer = search(query, current_index())
    cards = symptom_cards(answer.signs, RULES, load_directory())
    for card in cards:
        slugs = frozenset(sign.slug for sign in card.signs)
        level, reasons = checker_says(slugs)
        assert card.level.id == level, (query, sorted(slugs))
        assert tuple(e.id for e in card.explanations) == reasons, (query, sorted(slugs))
    return cards


def test_every_entry_of_every_synonym_group_gives_the_checkers_advice_for_its_signs(whole_booklet):
    led_to_a_sign = 0
    for group in load_synonyms():
        found = {entry: search(entry, current_index()).signs for entry in group.entries}
        # Every word of a group leads to the same signs: a synonym never changes the advice.
        assert len(set(found.values())) == 1, found
        for entry in group.entries:
            led_to_a_sign += bool(assert_cards_match_the_checker(entry))
    assert led_to_a_sign > 50


def test_a_search_for_each_signs_own_name_gives_the_checkers_level_for_that_sign(whole_booklet):
    for sign in RULES.signs.values():
        answer = search(sign.label, current_index())
        assert sign.slug in answer.signs, sign.label
        cards = assert_cards_match_the_checker(sign.label)
        (card,) = [card for card in cards if sign in card.signs]
        if card.signs == (sign,):
            assert card.level == RULES.level_alone(sign.slug), sign.slug


@pytest.mark.parametrize(
    ("query", "sign", "level"),
    [
        ("very tired", "lethargy", "urgent"),
        ("faint", "low-blood-pressure", "urgent"),
        ("feeling floppy", "leg-weakness", "go-to-ae"),
        ("floppy legs", "leg-weakness", "go-to-ae"),
        ("very weak", "leg-weakness", "go-to-ae"),
        ("wound", "wound-problem", "urgent"),
        ("leaking", "wound-problem", "urgent"),
        ("collapsed", "hard-to-wake", "call-999"),
        ("withdrawal", "increased-stiffness", "urgent"),
        ("overdose", "drowsiness", "go-to-ae"),
        ("can't wake", "hard-to-wake", "call-999"),
    ],
)
def test_the_searches_the_review_tried_give_the_checkers_card(client, whole_booklet, query, sign, level):
    answer = search(query, current_index())
    assert sign in answer.signs, (query, answer.signs)
    assert not answer.corrections, (query, answer.corrections)  # not "Showing results for want"
    html = client.get("/search/", {"q": query}).content.decode()
    cards = CARD.findall(html)
    assert cards, query
    first = unescape(re.sub(r"<[^>]+>", " ", cards[0]))
    assert RULES.signs[sign].label in first
    assert RULES.levels[level].heading in first
    assert "Showing results for" not in html


def test_faint_never_shows_overdose_words_and_very_tired_is_not_drowsiness(client, whole_booklet):
    faint = client.get("/search/", {"q": "faint"}).content.decode()
    assert "turn your pump down" not in faint and "too little baclofen" in faint
    tired = search("very tired", current_index())
    assert "drowsiness" not in tired.signs
