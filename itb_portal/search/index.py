"""The search index: the booklet's passages in lunr, with what a query needs beside them.

One serialised form, `payload()`, serves both sides: the server loads it with the Python lunr
package, and the browser loads the same JSON with lunr.js to search offline (static/js/search.mjs).
It is built once per content version and kept on Django's cache framework (see `current_index`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property

from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpResponse
from lunr.builder import Builder
from lunr.index import Index
from lunr.stop_word_filter import stop_word_filter
from lunr.token_set import TokenSet
from lunr.trimmer import trimmer

from itb_portal.booklet.models import Section
from itb_portal.pagecache.memo import for_content_version
from itb_portal.pagecache.models import ContentVersion, fingerprint
from itb_portal.pagecache.pages import CACHED_FOR, PAGES
from itb_portal.symptoms.rules import load_rules

from .analysis import indexed_text, stem, stemmer, words
from .passages import Passage, passages
from .terms import SignNames, SynonymGroup, load_synonyms, sign_names, synonyms_path

# How much a match in each field counts. A heading says what its passage is about, so a word in
# it counts most; its context (the section's title, and the h2 above an h3) says so less closely.
FIELDS = (("heading", 6), ("context", 2), ("body", 1))
FORMAT = 2  # bump when the payload's shape changes, so no old payload is read


def section_html(section: Section) -> str:
    """A section's body as its page shows it."""
    return section.body_html


def booklet_passages() -> list[Passage]:
    found = []
    for section in Section.objects.published():
        found += passages(section.title, section.get_absolute_url(), section_html(section))
    return found


def build_payload() -> dict:
    """The index and everything a query needs, as plain JSON-ready data."""
    found = booklet_passages()
    # lunr's default pipeline, with its stemmer as lunr.js has it (analysis.py).
    builder = Builder()
    builder.pipeline.add(trimmer, stop_word_filter, stemmer)
    builder.search_pipeline.add(stemmer)
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    # lunr names each passage by its position in the list: short names keep the payload small.
    for position, passage in enumerate(found):
        builder.add(
            {
                "ref": str(position),
                "heading": indexed_text(passage.heading),
                "context": indexed_text(f"{passage.section} {passage.parent}"),
                "body": indexed_text(passage.text),
            }
        )
    return {
        "format": FORMAT,
        "index": builder.build().serialize(),
        "passages": [
            {
                "url": p.url,
                "section": p.section,
                "heading": p.heading,
                "parent": p.parent,
                "blocks": list(p.blocks),
            }
            for p in found
        ],
        "synonyms": [
            {"entries": list(group.entries), "phrases": [sorted(phrase) for phrase in group.phrases]}
            for group in load_synonyms()
        ],
        "signs": [
            {
                "slug": sign.slug,
                "label": sign.label,
                "group": sign.group,
                "phrases": [sorted(phrase) for phrase in sign.phrases],
            }
            for sign in sign_names(load_rules())
        ],
    }


@dataclass(frozen=True)
class SearchIndex:
    """A loaded payload, ready to answer queries (engine.py)."""

    lunr: Index
    passages: tuple[Passage, ...]  # in booklet order; lunr's ref for each is its position
    synonyms: tuple[SynonymGroup, ...]
    signs: tuple[SignNames, ...]
    json: str  # the payload as served to the browser

    @classmethod
    def from_json(cls, text: str) -> SearchIndex:
        data = json.loads(text)
        found = tuple(
            Passage(p["section"], p["heading"], p["parent"], p["url"], tuple(p["blocks"])) for p in data["passages"]
        )
        synonyms = tuple(
            SynonymGroup(tuple(group["entries"]), tuple(frozenset(p) for p in group["phrases"]))
            for group in data["synonyms"]
        )
        signs = tuple(
            SignNames(sign["slug"], sign["label"], sign["group"], tuple(frozenset(p) for p in sign["phrases"]))
            for sign in data["signs"]
        )
        return cls(Index.load(data["index"]), found, synonyms, signs, text)

    @cached_property
    def tag(self) -> str:
        """Names this payload: its ETag."""
        return hashlib.sha256(self.json.encode()).hexdigest()[:24]

    def served(self) -> HttpResponse:
        """The payload as /search/index.json serves it (PublicPagesGZip compresses it)."""
        return HttpResponse(self.json, content_type="application/json")

    @cached_property
    def known(self) -> list[str]:
        """Every stem a query can use as it is: the booklet's, the synonyms' and the signs'."""
        stems = set(self.lunr.inverted_index)
        for group in self.synonyms:
            stems |= group.stems
        for sign in self.signs:
            stems |= frozenset().union(*sign.phrases)
        return sorted(stems)

    @cached_property
    def known_set(self) -> frozenset[str]:
        return frozenset(self.known)

    @cached_property
    def vocabulary(self) -> TokenSet:
        return TokenSet.from_list(self.known)

    def passages_with(self, term: str) -> int:
        """How many passages hold `term` (0 for a word only the synonyms or signs know)."""
        posting = self.lunr.inverted_index.get(term)
        if not posting:
            return 0
        return len(set().union(*(posting[field].keys() for field, _ in FIELDS)))

    @cached_property
    def shown_words(self) -> dict[str, str]:
        """For each stem, the first word with that stem in the booklet (else in the synonyms file),
        to say a corrected word the way a reader would write it."""
        found: dict[str, str] = {}
        texts = [f"{p.heading}\n{p.text}" for p in self.passages]
        texts += [entry for group in self.synonyms for entry in group.entries]
        for text in texts:
            for word in words(text):
                found.setdefault(stem(word), word)
        return found


def _cache_key() -> str:
    """The payload's key: what it is built from. Raises DatabaseError when the database is down."""
    version = ContentVersion.current()
    data = hashlib.sha256(synonyms_path().read_bytes()).hexdigest()[:12] if synonyms_path().exists() else "none"
    return f"search-index:{FORMAT}:{fingerprint()}:{data}:{version.number}:{version.changed_at.isoformat()}"


def _load_or_build() -> SearchIndex:
    try:
        key = _cache_key()
    except DatabaseError:
        key = None
    cache = caches[PAGES]
    text = cache.get(key) if key else None
    if text is None:
        text = json.dumps(build_payload(), separators=(",", ":"), ensure_ascii=False)
        if key:
            cache.set(key, text, CACHED_FOR)
    return SearchIndex.from_json(text)


def current_index() -> SearchIndex:
    """The index of the booklet as it is now.

    Built once per content version: the serialised payload is kept on Django's cache framework
    (the `pages` cache, shared by every worker and app server, and cleared with the pages), and
    each process keeps the loaded index until the content version moves on."""
    return for_content_version("search-index", _load_or_build)
