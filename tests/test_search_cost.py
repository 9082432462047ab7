"""A search's cost is bounded whatever is typed (issue 21): the query is normalised before its length
is counted, a word too long to be one is dropped, and spelling correction has a fixed budget of
lunr's steps per query. These tests count the work; they never time it (bench/run.py measures)."""

import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lunr.token_set import TokenSet

from itb_portal.search import engine
from itb_portal.search.engine import FUZZY_BUDGET, MAX_WORD_LENGTH, analyse, fuzzy_steps, near_words, search
from itb_portal.search.views import MAX_QUERY_LENGTH, read_query
from tests.search_booklet import real_booklet_index

# pytest-django sets up the test database only for a run holding a test that asks for one.
pytestmark = pytest.mark.django_db

WORST = [
    "z" * 100,
    "abcdefghij" * 10,
    " ".join(["abcdefghij"] * 9),
    "baclophen withdrawl diziness siezures catheder",
    "tablts itchey drowsey siezures diziness catheder spasticty baclophen withdrawl catheder",
    " ".join(["qwertyuiopasdfghjklzxcvbnmqwer"] * 3),
]


@pytest.fixture(scope="module")
def booklet(django_db_setup, django_db_blocker):
    return real_booklet_index(django_db_blocker)[0]


def lunr_steps(term: str, edits: int) -> int:
    """How many frames lunr's from_fuzzy_string really takes from its stack, counted by tracing it."""
    code = TokenSet.from_fuzzy_string.__func__.__code__
    lines = [
        number
        for number, text in enumerate(Path(code.co_filename).read_text().splitlines(), 1)
        if "stack.pop()" in text
    ]
    popped = 0

    def local(frame, event, arg):
        nonlocal popped
        if event == "line" and frame.f_lineno in lines:
            popped += 1
        return local

    def calls(frame, event, arg):
        return local if frame.f_code is code else None

    sys.settrace(calls)
    try:
        TokenSet.from_fuzzy_string(term, edits)
    finally:
        sys.settrace(None)
    return popped


@pytest.mark.parametrize(
    ("term", "edits"), [("a", 1), ("pump", 1), ("baclophen", 2), ("withdrawl", 1), ("abcdefghijkl", 2)]
)
def test_fuzzy_steps_counts_what_lunr_does(term, edits):
    assert fuzzy_steps(len(term), edits) == lunr_steps(term, edits)


def test_a_normalised_query_is_counted_after_normalising():
    # 100 x "㎉" is 100 characters as typed, but 400 letters ("kcal") once normalised.
    assert read_query("㎉" * 100).status == 400
    assert read_query("㎉" * 25) == read_query("kcal" * 25)
    assert read_query("ＢＡＣＬＯＦＥＮ").text == "BACLOFEN"
    assert len(read_query("x" * 1000).text) == MAX_QUERY_LENGTH


def test_a_word_too_long_to_be_one_is_dropped(booklet):
    assert analyse("z" * (MAX_WORD_LENGTH + 1), booklet).terms == ()
    assert analyse("pump " + "z" * (MAX_WORD_LENGTH + 1), booklet).terms == ("pump",)
    assert analyse("z" * MAX_WORD_LENGTH, booklet).terms == ("z" * MAX_WORD_LENGTH,)


@pytest.mark.parametrize("query", WORST)
def test_no_query_spends_more_than_the_budget_on_spelling(booklet, query, monkeypatch):
    spent = []
    real = engine.near_words

    def counted(term, edits, vocabulary):
        spent.append(fuzzy_steps(len(term), edits))  # what lunr.js takes for it in the browser
        return real(term, edits, vocabulary)

    monkeypatch.setattr(engine, "near_words", counted)
    search(query, booklet)
    assert sum(spent) <= FUZZY_BUDGET


def test_the_budget_corrects_the_first_misspellings_and_looks_up_the_rest_as_typed(booklet):
    answer = search("baclophen withdrawl diziness siezures catheder", booklet)
    used = [c.used for c in answer.corrections]
    assert used[:2] == ["baclofen", "withdrawal"]
    assert len(used) < 5  # "catheder" was left as typed: the budget was spent
    assert answer.results  # and the words that were corrected still find the booklet


# Letters the booklet's words are made of, and a few it hardly uses.
LETTERS = "abcdeilmnoprstuwyz"


@settings(max_examples=300, deadline=None)
@given(term=st.text(alphabet=LETTERS, min_size=1, max_size=10), edits=st.integers(1, 2))
@example(term="baclophen", edits=2)
@example(term="withdrawl", edits=1)
@example(term="a", edits=1)
@example(term="ab", edits=2)
@example(term="pmup", edits=1)
def test_the_servers_walk_finds_exactly_what_lunrs_fuzzy_matching_finds(booklet, term, edits):
    vocabulary = booklet.vocabulary
    lunr = set(vocabulary.intersect(TokenSet.from_fuzzy_string(term, edits)).to_list())
    assert near_words(term, edits, vocabulary) == lunr


def test_the_walk_finds_known_words_and_their_near_misspellings(booklet):
    vocabulary = booklet.vocabulary
    assert "pump" in near_words("pmup", 1, vocabulary)  # two letters swapped
    assert "baclofen" in near_words("baclophen", 2, vocabulary)
    assert "baclofen" not in near_words("baclophen", 1, vocabulary)
