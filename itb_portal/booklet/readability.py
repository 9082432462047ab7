"""Readability of the booklet's text, measured as NHS content style asks.

Markdown is reduced to plain prose first: headings, list items and table cells
count as sentences of their own, as a reader meets them.
"""

import re
from dataclasses import dataclass

import textstat

MAX_GRADE = 7.0
MAX_SENTENCE_WORDS = 20

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`>#|]+")


def plain_sentences(markdown_text: str) -> list[str]:
    sentences: list[str] = []
    for raw in markdown_text.splitlines():
        line = _LINK.sub(r"\1", raw)
        line = re.sub(r"^\s*([-*+]|\d+\.)\s+", "", line)
        line = _MARKUP.sub(" ", line).strip()
        if not line or set(line) <= set("-: "):
            continue
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
    return sentences


def words(sentence: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’\-/.]*", sentence))


@dataclass(frozen=True)
class Readability:
    grade: float
    sentences: int
    words: int
    long_sentences: list[str]

    @property
    def ok(self) -> bool:
        return self.grade <= MAX_GRADE and not self.long_sentences


def measure(markdown_text: str) -> Readability:
    sentences = plain_sentences(markdown_text)
    # Each line becomes its own sentence, so list items are not run together.
    prose = " ".join(s if s[-1] in ".!?:" else s + "." for s in sentences)
    return Readability(
        grade=round(textstat.flesch_kincaid_grade(prose), 1) if prose else 0.0,
        sentences=len(sentences),
        words=sum(words(s) for s in sentences),
        long_sentences=[s for s in sentences if words(s) > MAX_SENTENCE_WORDS],
    )
