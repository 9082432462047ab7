"""Real queries against the real booklet (content/sections): everyday words, misspellings and
symptom words find the right part of the right section.

The booklet's wording changes as editors revise it, so each test names what must come first (a
section, and words of its heading or the heading above), never an exact snippet."""

import re

import pytest

from itb_portal.search.engine import search
from tests.search_booklet import real_booklet_index


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    return real_booklet_index(django_db_blocker)


@pytest.fixture
def booklet(loaded):
    return loaded[0]


def first(index, query):
    outcome = search(query, index)
    assert outcome.results, f"nothing found for {query!r}"
    return outcome.results[0].passage


def about(passage, pattern: str) -> bool:
    """Whether a passage's heading, or the heading it sits under, matches `pattern`."""
    return bool(re.search(pattern, f"{passage.heading} {passage.parent}", re.IGNORECASE))


def section_of(passage) -> str:
    return passage.url.split("/")[2]


# Everyday words, and the part of the booklet each must find first: (query, sections, heading pattern).
EVERYDAY = [
    ("beeping", {"the-pump-system", "risks"}, r"alarm"),
    ("my pump is bleeping", {"the-pump-system", "risks"}, r"alarm"),
    ("flying", {"living-with-a-pump", "faqs"}, r"travel|abroad|airport"),
    ("going on a plane", {"living-with-a-pump", "faqs"}, r"travel|abroad|airport"),
    ("holiday", {"living-with-a-pump", "faqs"}, r"travel|abroad|airport"),
    ("abroad", {"living-with-a-pump", "faqs"}, r"travel|abroad"),
    ("airport security", {"living-with-a-pump", "faqs"}, r"airport|travel"),
    ("can I have an MRI scan", {"risks", "faqs"}, r"mri"),
    ("how often is the pump refilled", {"refills-and-reviews", "glossary"}, r"refill"),
    ("top up", {"refills-and-reviews", "glossary"}, r"refill"),
    ("how long does the battery last", {"the-pump-system", "refills-and-reviews", "faqs"}, r"batter|last"),
    ("can I have sex", {"living-with-a-pump", "faqs"}, r"sex"),
    ("shower", {"living-with-a-pump", "faqs"}, r"wash|shower"),
    ("swimming", {"living-with-a-pump", "faqs"}, r"wash|shower|swim"),
    ("pregnant", {"living-with-a-pump", "faqs"}, r"pregnan"),
    ("cremation", {"living-with-a-pump", "faqs"}, r"cremat"),
    ("funeral", {"living-with-a-pump", "faqs"}, r"cremat"),
    ("how long will I be in hospital", {"faqs", "the-operation"}, r"hospital|going home"),
    ("what is spasticity", {"spasticity", "glossary"}, r"spasticity"),
    ("stitches", {"the-operation", "faqs"}, r"wound|stitch"),
    ("weekend", {"support-at-home", "contacts"}, r"hours"),
]


@pytest.mark.parametrize(("query", "sections", "heading"), EVERYDAY)
def test_everyday_words_find_the_right_heading_first(booklet, query, sections, heading):
    found = first(booklet, query)
    assert section_of(found) in sections and about(found, heading), (query, found.url, found.heading)


def test_results_link_to_the_heading_inside_the_section(booklet, loaded):
    found = first(booklet, "beeping")
    path, _, anchor = found.url.partition("#")
    assert path == "/booklet/the-pump-system/" and anchor, found.url
    assert f'id="{anchor}"' in loaded[2]["the-pump-system"]


@pytest.mark.parametrize(
    ("typed", "meant", "heading"),
    [
        ("baclophen", "baclofen", r"baclofen"),
        ("withdrawl", "withdrawal", r"withdrawal|too little"),
        ("diziness", "dizziness", r"too much|side effects|overdose"),
        ("siezures", "seizures", r"999|too little|side effects"),
        ("catheder", "catheter", r"catheter"),
        ("spasticty", "spasticity", r"spasticity"),
        ("tablts", "tablets", r"tablet"),
    ],
)
def test_misspelt_words_are_corrected_and_find_the_right_heading(booklet, typed, meant, heading):
    outcome = search(typed, booklet)
    assert [(c.typed, c.used) for c in outcome.corrections] == [(typed, meant)]
    assert about(outcome.results[0].passage, heading), (typed, outcome.results[0].passage.heading)


def test_words_spelt_right_are_never_corrected(booklet):
    for query in ["baclofen", "withdrawal", "the pump alarm", "itchy", "beeping", "fits", "A&E"]:
        assert search(query, booklet).corrections == (), query


def test_stemming_finds_other_forms_of_a_word(booklet):
    refilled = {r.passage.url for r in search("refilled", booklet).results}
    refills = {r.passage.url for r in search("refills", booklet).results}
    assert refilled == refills and refilled


# Symptom words: the signs the checker lists (from content/symptoms/rules.yaml) that each names.
SYMPTOMS = [
    ("itchy", {"itching"}),
    ("itching skin", {"itching"}),
    ("drowsy", {"drowsiness"}),
    ("very sleepy", {"drowsiness"}),
    # Someone who cannot be woken is a red flag (999), never "feeling very sleepy" (A&E).
    ("hard to wake", {"hard-to-wake"}),
    ("not responding", {"hard-to-wake"}),
    ("fit", {"seizures"}),
    ("having fits", {"seizures"}),
    ("short of breath", {"breathing-difficulty"}),
    ("hallucinating", {"hallucinations"}),
    ("weak legs", {"leg-weakness"}),
    ("dizzy", {"dizziness"}),
    ("pins and needles", {"numbness-tingling"}),
    ("being sick", {"nausea-vomiting"}),
    ("high temperature", {"fever"}),
    ("goosebumps", {"goosebumps"}),
    ("pump alarm", {"pump-alarm"}),
    ("beeping", {"pump-alarm"}),
    ("more spasms than usual", {"increased-stiffness"}),
    ("itchy and drowsy", {"itching", "drowsiness"}),
]


@pytest.mark.parametrize(("query", "signs"), SYMPTOMS)
def test_symptom_words_name_the_checkers_signs(booklet, query, signs):
    assert set(search(query, booklet).signs) == signs


@pytest.mark.parametrize(
    "query",
    ["travel", "battery", "refill", "pump", "sound", "the", "see the nurse", "back", "how to contact the team", "mri"],
)
def test_other_words_do_not_bring_up_the_checker(booklet, query):
    assert search(query, booklet).signs == ()


def test_symptom_words_also_find_where_the_booklet_describes_them(booklet):
    for query in ["itchy", "drowsy", "fits", "hallucinating"]:
        sections = [section_of(r.passage) for r in search(query, booklet).results[:3]]
        assert "warning-signs" in sections, (query, sections)


def test_results_are_ranked_best_first(booklet):
    scores = [r.score for r in search("pump alarm travel", booklet).results]
    assert scores == sorted(scores, reverse=True) and len(scores) > 3
