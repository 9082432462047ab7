"""Data blocks: the clinical facts a section shows, drawn from content/ data each time it is shown.

A section never types a sign, a phone number or an opening hour. It names a block in double
square brackets, and the block is filled in from content/symptoms/rules.yaml or
content/contacts.yaml (docs/editing.md, "Data blocks"):

    [[signs withdrawal]]            a list: the signs of one booklet category, in the checker's words
    [[what-to-do]]                  each level's signs and action, as the checker and the emergency sheet say them
    [[emergency-signs]]             a care card: the signs of the fastest level (999) and its action, to open a page on
    [[when-you-call]]               a list: what to say when you call
    [[triggers]]                    a list: things that often make stiffness worse
    [[call ward-a ward-b]]          a list: each line's name and tap-to-call numbers
    [[phone nurse-specialist]]      in a sentence: the line's tap-to-call numbers
    [[hours nurse-specialist]]      in a sentence: when the line is answered
    [[name ward-a]]                 in a sentence: the line's name

The first six stand on a line of their own. The stored HTML keeps the marker (Markdown leaves
it as text), and `expand` fills it in when a page is shown, so a changed rule or number reaches
every page with the deploy that changes the data, without saving any section again. Rendered
pages are cached per content version and per release fingerprint, which hashes the data files.

`problems` names every block a text cannot use, and every phone number or opening time typed
into it: the loader refuses such a file, naming it, and the admin refuses such an edit. A block
that stops making sense after a data change (a category renamed) is shown as a visible notice
and logged, never left out silently; the release step reports it first (`check_sections`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.template import engines
from markupsafe import Markup, escape

from itb_portal.contacts.directory import UK_NUMBER, Directory, load_directory
from itb_portal.symptoms.rules import RuleBook, load_rules

from .markdown import render

logger = logging.getLogger(__name__)

MARKER = re.compile(r"\[\[([^\[\]]*)\]\]")
BLOCK_PARAGRAPH = re.compile(r"<p>\s*\[\[([^\[\]]*)\]\]\s*</p>")
# Typed facts that belong in the data files: a UK phone number, or a clock time.
TYPED_NUMBER = re.compile(r"(?<![\d/])0\d{2,4}[ -]?\d{3}[ -]?\d{3,4}(?!\d)")
TYPED_TIME = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b", re.IGNORECASE)


class BlockError(ValueError):
    """A block the data cannot fill: unknown, misplaced, or naming something the data does not hold."""


@dataclass(frozen=True)
class Block:
    name: str
    own_line: bool  # a list or a set of paragraphs, not words in a sentence
    data: tuple[str, ...]  # "rules", "contacts": the files whose changes then change the page
    arguments: str  # "none", "one category", "one line" or "lines"


BLOCKS = {
    block.name: block
    for block in (
        Block("signs", True, ("rules",), "one category"),
        Block("what-to-do", True, ("rules", "contacts"), "none"),
        Block("emergency-signs", True, ("rules", "contacts"), "none"),
        Block("when-you-call", True, ("rules",), "none"),
        Block("triggers", True, ("rules",), "none"),
        Block("call", True, ("contacts",), "lines"),
        Block("phone", False, ("contacts",), "one line"),
        Block("hours", False, ("contacts",), "one line"),
        Block("name", False, ("contacts",), "one line"),
    )
}


def _parse(marker: str, rules: RuleBook, directory: Directory) -> tuple[Block, list[str]]:
    words = marker.split()
    if not words or words[0] not in BLOCKS:
        raise BlockError(f"[[{marker}]] is not a data block; the blocks are: {', '.join(BLOCKS)}")
    block, arguments = BLOCKS[words[0]], words[1:]
    lines = {line.id for line in directory.lines}
    if block.arguments == "none" and arguments:
        raise BlockError(f"[[{marker}]]: {block.name} takes nothing after its name")
    if block.arguments == "one category" and (len(arguments) != 1 or arguments[0] not in rules.categories):
        raise BlockError(f"[[{marker}]]: name one category of signs: {', '.join(rules.categories)}")
    if block.arguments in ("one line", "lines"):
        unknown = [word for word in arguments if word not in lines]
        if not arguments or unknown or (block.arguments == "one line" and len(arguments) != 1):
            wanted = "one line" if block.arguments == "one line" else "one or more lines"
            raise BlockError(f"[[{marker}]]: name {wanted} from contacts.yaml: {', '.join(sorted(lines))}")
    return block, arguments


def problems(markdown_text: str, rules: RuleBook | None = None, directory: Directory | None = None) -> list[str]:
    """Why `markdown_text` cannot be shown as it is: unknown or misplaced blocks, and facts typed by hand."""
    rules, directory = rules or load_rules(), directory or load_directory()
    found = []
    for line in markdown_text.splitlines():
        for match in MARKER.finditer(line):
            try:
                block, _ = _parse(match.group(1), rules, directory)
            except BlockError as error:
                found.append(str(error))
                continue
            if block.own_line and line.strip() != match.group(0):
                found.append(f"[[{match.group(1)}]] makes a list, so it must be on a line of its own")
        outside = MARKER.sub(" ", line)
        if "[[" in outside or "]]" in outside:
            found.append(f"an unfinished data block in: {line.strip()}")
        for typed in TYPED_NUMBER.findall(outside):
            found.append(f"the phone number {typed} is typed in: use [[phone <line>]] or [[call <line>]]")
        for typed in TYPED_TIME.findall(outside):
            found.append(f"the time {typed!r} is typed in: use [[hours <line>]]")
        words = set(re.findall(r"[\w-]+", outside))
        for line_data in directory.lines:
            for phone in line_data.phones:
                if UK_NUMBER.match(phone.number) and phone.number.replace(" ", "") in outside.replace(" ", ""):
                    found.append(f"the number of {line_data.id} is typed in: use [[phone {line_data.id}]]")
            if line_data.kind == "ward" and words & set(re.findall(r"\b[A-Z]\d+\b", line_data.name)):
                found.append(f"the ward {line_data.name!r} is named by hand: use [[name {line_data.id}]]")
    return list(dict.fromkeys(found))


def data_used(markdown_text: str) -> set[str]:
    """Which data files ("rules", "contacts") the blocks in a text draw on."""
    words = (match.group(1).split() for match in MARKER.finditer(markdown_text or ""))
    return {data for w in words if w and w[0] in BLOCKS for data in BLOCKS[w[0]].data}


def _macros():
    return engines["jinja2"].env.get_template("booklet/_blocks.html").module


def render_block(marker: str, rules: RuleBook, directory: Directory) -> Markup:
    block, arguments = _parse(marker, rules, directory)
    macro: Callable[..., Markup] = getattr(_macros(), block.name.replace("-", "_"))
    return Markup(macro(rules=rules, directory=directory, arguments=arguments))  # noqa: S704 - an autoescaping template


def _notice(marker: str, error: BlockError, *, own_line: bool) -> str:
    logger.error("a data block cannot be shown: %s", error)
    tag = "p" if own_line else "span"
    return (
        f'<{tag} class="app-block-missing" data-block-missing="{escape(marker)}"><strong>Part of this page cannot '
        'be shown.</strong> Use the <a href="/symptoms/">symptom checker</a> or the <a href="/contacts/">contacts '
        f"page</a> instead.</{tag}>"
    )


def _fill(marker: str, rules: RuleBook, directory: Directory, *, own_line: bool) -> str:
    try:
        block, _ = _parse(marker, rules, directory)
        if block.own_line and not own_line:
            raise BlockError(f"[[{marker}]] makes a list, so it must be on a line of its own")
        return str(render_block(marker, rules, directory))
    except BlockError as error:
        return _notice(marker, error, own_line=own_line)


def expand(stored_html: str, rules: RuleBook | None = None, directory: Directory | None = None) -> str:
    """Stored section HTML with every block filled in from the data in use now."""
    if "[[" not in stored_html:
        return stored_html
    rules, directory = rules or load_rules(), directory or load_directory()

    def paragraph(match: re.Match) -> str:
        # A list-making block (or one we cannot read) takes the place of its whole paragraph;
        # a block of words alone in a paragraph stays inside it.
        words = match.group(1).split()
        if words and words[0] in BLOCKS and not BLOCKS[words[0]].own_line:
            return match.group(0)
        return _fill(match.group(1), rules, directory, own_line=True)

    html = BLOCK_PARAGRAPH.sub(paragraph, stored_html)
    return MARKER.sub(lambda match: _fill(match.group(1), rules, directory, own_line=False), html)


def preview(markdown_text: str) -> str:
    """The admin's live preview: the Markdown as a page will show it, blocks filled in."""
    return expand(render(markdown_text))
