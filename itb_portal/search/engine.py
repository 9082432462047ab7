"""Answering a query from the index: a pure function of (index, query words).

1. The query's words become stems, as the booklet's did (analysis.py).
2. A stem neither the booklet nor the synonyms know is a misspelling: it is replaced by the
   known stem within one letter (two for long words) that most passages hold, found with
   lunr's own fuzzy matching (TokenSet edit distance). That matching costs more the longer
   the word, so each query has a fixed budget for it (FUZZY_BUDGET); a word it cannot afford
   is looked up as typed. A word too long to be English is dropped (MAX_WORD_LENGTH).
3. Synonym groups the query holds add their other words, at a lower weight.
4. lunr ranks the passages (BM25, headings counting most); each result gets a snippet with
   the words that matched marked.
5. Separately, the stems are matched against the symptom checker's signs.

static/js/search-core.mjs does exactly this in the browser, for search offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from lunr.token_set import TokenSet
from markupsafe import Markup, escape

from .analysis import SHOWN_WORD, STOP_WORDS, stem, words
from .index import SearchIndex
from .passages import Passage
from .terms import groups_in

MAX_RESULTS = 10
MAX_WORDS = 12  # a query's words looked up; more only slows the search down
# The booklet's longest stem has 20 letters; a longer word is looked up as typed, and one
# longer than this is no word at all ("zzzz…"), so it is dropped before it is even stemmed.
MAX_WORD_LENGTH = 30
# lunr builds a fuzzy word as a tree, one step per (letters left, edits left): `fuzzy_steps`.
# A query may spend this many steps on correcting its words, in the order typed: about 3 ms
# of CPU (docs/reliability.md). That is enough for two edits to a word of up to nine letters
# ("baclophen" costs 2,618), or one edit to each of several; once it is spent, further unknown
# words are looked up as typed.
FUZZY_BUDGET = 3000
SNIPPET_WORDS = 30
SNIPPET_LEAD = 8  # words shown before the first match when a paragraph is cut
# Weights of a query's own words and of the words its synonyms add.
TYPED_BOOST = 10
RELATED_BOOST = 3


@dataclass(frozen=True)
class Correction:
    typed: str
    used: str  # the word searched for instead, as the booklet writes it


@dataclass(frozen=True)
class Result:
    passage: Passage
    snippet: Markup
    score: float


@dataclass(frozen=True)
class SearchAnswer:
    """What search finds for a query (docs/glossary.md: "search answer"; an outcome is the checker's)."""

    results: tuple[Result, ...]
    total: int  # every passage that matched; `results` holds the best MAX_RESULTS
    corrections: tuple[Correction, ...]
    signs: tuple[str, ...]  # slugs of the checker's signs the query names, in the checker's order


def edit_distance_for(term: str) -> int:
    """How many letters a misspelt stem may be off by: none for short words, whose near
    neighbours are other real words ("fit", "fat"), two for long ones."""
    return 0 if len(term) < 4 else 1 if len(term) < 7 else 2


@cache
def fuzzy_steps(letters: int, edits: int) -> int:
    """How many steps lunr's TokenSet.from_fuzzy_string takes for a word of `letters` letters and
    `edits` edits: the tree it builds has a branch for no edit, and (while edits are left) for an
    insertion, a deletion, a substitution and a transposition. It depends on the length only."""
    steps = 1
    if letters > 0:
        steps += fuzzy_steps(letters - 1, edits)
    if edits == 0:
        return steps
    steps += fuzzy_steps(letters, edits - 1)  # insertion
    if letters > 1:
        steps += 2 * fuzzy_steps(letters - 1, edits - 1)  # deletion, transposition
    if letters > 0:
        steps += fuzzy_steps(letters - 1, edits - 1)  # substitution
    return steps


class Budget:
    """What is left of a query's FUZZY_BUDGET."""

    def __init__(self, steps: int = FUZZY_BUDGET):
        self.left = steps

    def spend(self, steps: int) -> bool:
        if steps > self.left:
            return False
        self.left -= steps
        return True


def near_words(term: str, edits: int, vocabulary: TokenSet) -> set[str]:
    """The words of `vocabulary` within `edits` edits of `term`: exactly what
    `vocabulary.intersect(TokenSet.from_fuzzy_string(term, edits))` finds (lunr.js does that in the
    browser; tests/test_search_cost.py checks the two agree), without building lunr's tree of every
    spelling first. It walks the vocabulary's own tree instead, where most branches end at once.

    A state is a node of the vocabulary, how far into `term` we are, a letter moved by a
    transposition that is still to come (`moved`), and the edits left; lunr's edits are the same:
    an insertion or substitution (any letter), a deletion, or swapping the next two letters."""
    found: set[str] = set()
    seen: set[tuple] = set()
    length = len(term)

    def walk(node: TokenSet, prefix: str, at: int, moved: str | None, left: int) -> None:
        # By the letters so far, not the node: lunr shares the nodes of words that end alike.
        if (prefix, at, moved, left) in seen:
            return
        seen.add((prefix, at, moved, left))
        remaining = length - at + (moved is not None)
        if remaining == 0:
            if node.final and prefix:
                found.add(prefix)
        else:
            letter = moved if moved is not None else term[at]
            after = at if moved is not None else at + 1
            if letter in node.edges:
                walk(node.edges[letter], prefix + letter, after, None, left)
        if left == 0:
            return
        for letter, child in node.edges.items():  # an insertion
            walk(child, prefix + letter, at, moved, left - 1)
        if remaining == 0:
            return
        if remaining > 1:  # a deletion
            walk(node, prefix, after, None, left - 1)
        elif node.final and prefix:  # deleting the last letter
            found.add(prefix)
        for letter, child in node.edges.items():  # a substitution
            walk(child, prefix + letter, after, None, left - 1)
        if remaining > 1:  # a transposition: the second letter now, the first one next
            second, then = (term[at], at + 1) if moved is not None else (term[at + 1], at + 2)
            if second in node.edges:
                walk(node.edges[second], prefix + second, then, moved if moved is not None else term[at], left - 1)

    walk(vocabulary, "", 0, None, edits)
    return found


def correct(term: str, index: SearchIndex, budget: Budget) -> str | None:
    """The known stem nearest to an unknown `term`, or None if nothing near enough is found
    within what is left of the query's budget. The budget counts lunr's steps, as the browser
    takes them, so that both sides correct the same words; the server's own walk costs far less."""
    for distance in range(1, edit_distance_for(term) + 1):
        if not budget.spend(fuzzy_steps(len(term), distance)):
            return None
        near = near_words(term, distance, index.vocabulary)
        if near:
            return min(near, key=lambda known: (-index.passages_with(known), known))
    return None


@dataclass(frozen=True)
class Analysed:
    terms: tuple[str, ...]  # stems to look up, in the order typed
    related: frozenset[str]  # stems of the synonyms' one-word entries, looked up at a lower weight
    named: frozenset[str]  # every stem the query and its synonyms name, to find the checker's signs
    corrections: tuple[Correction, ...]


def analyse(query: str, index: SearchIndex) -> Analysed:
    terms: list[str] = []
    corrections: list[Correction] = []
    budget = Budget()
    for word in words(query):
        if word in STOP_WORDS or len(word) > MAX_WORD_LENGTH or len(terms) >= MAX_WORDS:
            continue
        term = stem(word)
        if term not in index.known_set:
            better = correct(term, index, budget)
            if better is not None:
                corrections.append(Correction(word, index.shown_words.get(better, better)))
                term = better
        if term not in terms:
            terms.append(term)
    typed = frozenset(terms)
    groups = groups_in(typed, index.synonyms)
    # Typed words that make up a phrase of a group ("short of breath") count as that group's words:
    # alone they are too common. A group found by a phrase adds every word of its entries.
    phrased = [phrase for group in groups for phrase in group.phrases if len(phrase) > 1 and phrase <= typed]
    consumed = frozenset().union(*phrased)
    related = frozenset().union(
        consumed,
        *(group.stems if group.phrase_in(typed) else group.words for group in groups),
    )
    terms = [term for term in terms if term not in consumed]
    named = typed.union(*(group.stems for group in groups))
    return Analysed(tuple(terms), related - frozenset(terms), named, tuple(corrections))


@lru_cache(maxsize=16384)
def shown_stems(shown: str) -> tuple[str, ...]:
    """The stems of a word as a snippet shows it. The booklet's words come up in every snippet: kept, a
    result costs a look-up per word, not its normalising and stemming (a third of a search's time)."""
    return tuple(stem(word) for word in words(shown))


def marked(text: str, matched: frozenset[str]) -> tuple[Markup, int]:
    """`text`, escaped, with each word whose stem matched in <mark>; and how many were marked."""
    out, done, count = [], 0, 0
    for found in SHOWN_WORD.finditer(text):
        if any(term in matched for term in shown_stems(found.group())):
            out += [escape(text[done : found.start()]), Markup("<mark>"), escape(found.group()), Markup("</mark>")]
            done = found.end()
            count += 1
    out.append(escape(text[done:]))
    return Markup("").join(out), count


def snippet(passage: Passage, matched: frozenset[str]) -> Markup:
    """The paragraph with the most matched words (the first on a tie), cut to about 30 words."""
    best, best_count = passage.blocks[0], -1
    for block in passage.blocks:
        count = marked(block, matched)[1]
        if count > best_count:
            best, best_count = block, count
    shown = best.split(" ")  # a block's words are single-spaced (passages.py)
    if len(shown) > SNIPPET_WORDS:
        first = next((i for i, w in enumerate(shown) if marked(w, matched)[1]), 0)
        start = max(0, min(first - SNIPPET_LEAD, len(shown) - SNIPPET_WORDS))
        cut = " ".join(shown[start : start + SNIPPET_WORDS])
        best = ("… " if start else "") + cut + (" …" if start + SNIPPET_WORDS < len(shown) else "")
    return marked(best, matched)[0]


def search(query: str, index: SearchIndex) -> SearchAnswer:
    analysed = analyse(query, index)
    signs = tuple(sign.slug for sign in index.signs if sign.found_in(analysed.named))
    if not (analysed.terms or analysed.related):
        return SearchAnswer((), 0, analysed.corrections, signs)
    lunr_query = index.lunr.create_query()
    for term in analysed.terms:
        lunr_query.term(term, use_pipeline=False, boost=TYPED_BOOST)
    for term in sorted(analysed.related):
        lunr_query.term(term, use_pipeline=False, boost=RELATED_BOOST)
    # Best first; on a tie, the passage that comes first in the booklet.
    found = sorted(index.lunr.query(lunr_query), key=lambda match: (-match["score"], int(match["ref"])))
    results = []
    for match in found[:MAX_RESULTS]:
        passage = index.passages[int(match["ref"])]
        results.append(Result(passage, snippet(passage, frozenset(match["match_data"].metadata)), match["score"]))
    return SearchAnswer(tuple(results), len(found), analysed.corrections, signs)
