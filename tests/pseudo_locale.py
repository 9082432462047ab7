"""Pseudo-locales for tests: catalogs made at test time from the extracted interface messages, in pure
Python (itb_portal/interface_messages.py), into a temporary folder. Nothing here is committed.

- en-xa: each message's letters accented and the message in brackets: "[Ćĥéçķ ýöûŕ šýɱþţöɱš]".
- ar-xb: the same, shown right to left (between RIGHT-TO-LEFT OVERRIDE and POP DIRECTIONAL FORMATTING).

Placeholders (%(name)s), HTML tags and entities are left as they are, so every message still renders.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

ACCENTED = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "àƀçðéƒĝĥîĵķļɱñöþʠŕšţûṽŵẋýžÀƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
        strict=True,
    )
)
KEPT_AS_IS = re.compile(r"%\([^)]*\)[sdr]|%[sdr]|<[^>]*>|&#?\w+;|\{[^}]*\}")
RLO, PDF = "\u202e", "\u202c"


def accented(message: str) -> str:
    if not message.strip():
        return message
    parts, last = [], 0
    for kept in KEPT_AS_IS.finditer(message):
        parts.append("".join(ACCENTED.get(letter, letter) for letter in message[last : kept.start()]))
        parts.append(kept.group())
        last = kept.end()
    parts.append("".join(ACCENTED.get(letter, letter) for letter in message[last:]))
    return "[" + "".join(parts) + "]"


def right_to_left(message: str) -> str:
    return f"{RLO}{accented(message)}{PDF}" if message.strip() else message


PSEUDO = {"en-xa": accented, "ar-xb": right_to_left}


def write_pseudo_catalogs(folder: Path) -> Path:
    from django.conf import settings
    from django.template import engines

    from itb_portal.interface_messages import all_messages, write_catalog

    messages = all_messages(engines["jinja2"].env, settings.BASE_DIR)
    for language, translate in PSEUDO.items():
        write_catalog(folder, language, messages, translate)
    return folder


# --- Finding English a patient would see -----------------------------------------------------------

WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")
# A run of English: words with only spaces and light punctuation between them (a digit or an accented
# letter ends it, as pseudo-translated text is accented).
ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*(?:[\s,.;:!?()\"'/&–—-]+[A-Za-z]+(?:'[A-Za-z]+)*)*")
CLAUSE_BREAK = re.compile(r"[,:;.()?!–—\"]")
SHOWN_ATTRIBUTES = ("alt", "aria-label", "title", "placeholder", "value")
# A <textarea> holds what the person typed; a <template> is not on the page until a script copies it in.
HIDDEN_ELEMENTS = {"script", "style", "template", "svg", "textarea"}
ADDRESS = re.compile(r"\b(?:https?://|mailto:|tel:)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class _ShownText(HTMLParser):
    """Each piece of text a person sees or hears, split at every tag, with the text of shown attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden":
            return
        if tag == "meta" and attributes.get("name") == "description":
            self.pieces.append(attributes.get("content") or "")
        if tag == "meta" and attributes.get("property") in ("og:title", "og:description"):
            self.pieces.append(attributes.get("content") or "")
        self.pieces += [attributes[name] or "" for name in SHOWN_ATTRIBUTES if name in attributes]

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self.pieces.append(data)


def shown_text(html: str) -> list[str]:
    parser = _ShownText()
    parser.feed(html)
    return [piece for piece in parser.pieces if piece.strip()]


def words(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(text.replace("’", "'"))]


def content_words(folders: list[Path]) -> str:
    """All the words of the content (sections' Markdown and every data file), as one lower-case line."""
    files = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".md", ".yaml", ".yml"):
                files.append(" ".join(words(path.read_text(encoding="utf-8"))))
    return " | ".join(files)


# English that NHS.UK frontend's macros write themselves unless given words: short, so the run check misses them.
MACRO_DEFAULTS = {"Important:", "Information:", "Error:", "Immediate action required:", "Urgent advice:"}
MACRO_DEFAULTS |= {"Non-urgent advice:", "Menu", "Browse", "More", "Support links", "Skip to main content", "Search"}


def untranslated(html: str, content: str, minimum: int = 3) -> list[str]:
    """Runs of `minimum` or more English words in `html` that are not a run of the content's words."""
    found = []
    for piece in shown_text(html):
        if piece.strip() in MACRO_DEFAULTS:
            found.append(piece.strip())
        piece = ADDRESS.sub(" ", re.sub(f"{RLO}.*?{PDF}", " ", piece))
        for run in ENGLISH_RUN.findall(piece):
            # Content is often joined with punctuation ("Hospital, Street, Town"): each clause is checked alone.
            clauses = [words(clause) for clause in CLAUSE_BREAK.split(run)]
            if any(len(c) >= minimum and f" {' '.join(c)} " not in f" {content} " for c in clauses):
                found.append(run.strip())
    return found
