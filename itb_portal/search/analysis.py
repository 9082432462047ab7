"""How text becomes search terms, for the booklet and for a query alike.

lunr does the linguistics (its English stop words and Porter stemmer); this module only decides
what a word is. Both sides of the search go through it: the passages are indexed as the words
it finds, and a query is looked up as the stems of the words it finds. static/js/search-core.mjs
does the same in the browser, for search offline; tests/test_search_parity.py keeps them equal.

A word is a run of ASCII letters and digits, after accents are taken off and apostrophes
dropped ("don't" is "dont", "person's" is "persons"); "&" inside a word keeps it whole, so
"A&E" is one word. Anything else separates words, so markup, "%" or control characters in a
query are only spaces to the search.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from lunr.stemmer import PorterStemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS

WORD = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)*")
APOSTROPHES = re.compile(r"['‘’`]")
# A word as a reader sees it in a snippet, to mark it when its stem matched (any script).
SHOWN_WORD = re.compile(r"[^\W_]+(?:['‘’&][^\W_]+)*")


def words(text: str) -> list[str]:
    """The words of `text`, lower case, without accents."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if unicodedata.category(ch) != "Mn")
    return WORD.findall(APOSTROPHES.sub("", plain))


class LunrJsStemmer(PorterStemmer):
    """Porter's stemmer exactly as lunr.js 2.3.9 has it, so the browser finds what the server finds.

    The Python port turns a final "y" into "i" whenever the word has a vowel before it ("day"
    becomes "dai"); lunr.js does so only after a consonant ("dry" becomes "dri", "day" stays).
    That step is the only one that differs (tests/test_search_parity.py stems every booklet word
    both ways)."""

    def step1c(self):
        if self.ends("y") and self.k - 1 > self.k0 and self.b[self.k - 1] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1 :]


_stemmer = LunrJsStemmer()


# A result's snippet stems every word of its paragraphs, and the booklet's words come up again and
# again: kept, they cost nothing the second time. Bounded, so queries cannot fill the memory.
@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    return _stemmer.stem(word)


def stemmer(token, i=None, tokens=None):
    """`stem` as a lunr pipeline step. Named "stemmer" in a saved index, so lunr.js runs its own."""
    return token.update(lambda text, metadata: stem(text))


stemmer.label = "stemmer"


def stems(text: str) -> list[str]:
    """The stems of the words in `text` that are not stop words, in order: what lunr indexes."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS]


def indexed_text(text: str) -> str:
    """`text` as lunr should index it: its words, separated by spaces."""
    return " ".join(words(text))
