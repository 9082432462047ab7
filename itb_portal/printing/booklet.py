"""Which sections a printout holds, read from the chooser's GET form.

`/print/booklet/` alone is the whole booklet. The chooser sends `section=<slug>` once for each
ticked box, plus `chosen=yes` so that ticking nothing is told apart from asking for everything.
`also=contacts` and `also=emergency-sheet` add every phone number and the one-page emergency sheet
after the sections, to any choice (with no section at all, the printout is just those); `size=large`
prints it all in large print.
Sections always come in booklet order and count once however often they are named. A name
we do not know is skipped with a message naming it; only when nothing valid is left, or the
address is too long to be a real choice, is the request refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from itb_portal.booklet.models import Section, SlugRedirect
from itb_portal.interface_text import gettext, gettext_lazy
from itb_portal.symptoms.query import MAX_QUERY_LENGTH, shown

MAX_SECTION_VALUES = 100
# What a printout can add after its sections, in the order they print.
EXTRAS = {
    "contacts": gettext_lazy("Contacts and opening hours"),
    "emergency-sheet": gettext_lazy("The one-page emergency sheet"),
}
# `size=large` prints in large print: 16pt or more, as RNIB advises (the Accessible Information Standard).
SIZE, LARGE = "size", "large"


@dataclass(frozen=True)
class BookletChoice:
    sections: tuple  # Section objects, in booklet order
    whole: bool
    skipped: tuple[str, ...]  # names we did not know, made safe to show
    also: tuple[str, ...] = ()  # keys of EXTRAS, in EXTRAS order
    large: bool = False  # large print (16pt or more), as the chooser offers

    @property
    def query(self) -> str:
        """The choice as a query string, sections in booklet order; empty for the whole booklet alone."""
        sections = [] if self.whole else [("section", section.slug) for section in self.sections]
        if self.also and not sections and not self.whole:
            sections = [("chosen", "yes")]
        size = [(SIZE, LARGE)] if self.large else []
        return urlencode(sections + [("also", extra) for extra in self.also] + size)

    @property
    def path(self) -> str:
        """The canonical address of this printout: the same choice always has the same address."""
        return reverse("printing:booklet") + (f"?{self.query}" if self.query else "")

    @property
    def title(self) -> str:
        """The printout's main heading, which is also its title when the link is shared."""
        return gettext("The ITB pump booklet") if self.whole else gettext("Sections from the ITB pump booklet")

    @property
    def message(self) -> str:
        return skipped_message(self.skipped)


@dataclass(frozen=True)
class Refusal:
    """Nothing printable in the request: the chooser is shown again with these words."""

    message: str


def skipped_message(names: Sequence[str]) -> str:
    if not names:
        return ""
    quoted = ", ".join(f"“{name}”" for name in names)
    if len(names) == 1:
        return gettext("We could not find a section called %(name)s, so it is not in this printout.") % {"name": quoted}
    return gettext("We could not find these sections, so they are not in this printout: %(names)s.") % {"names": quoted}


def choose_sections(
    raw_query: str, published: Sequence, renamed: Mapping[str, str] | None = None
) -> BookletChoice | Refusal:
    """The sections a query asks for, from `published` (every published Section, in booklet order).
    `renamed` maps a section's old addresses to its slug now, so an old printout link still works."""
    if len(raw_query) > MAX_QUERY_LENGTH:
        return Refusal(gettext("The web address is too long for us to read. Choose the sections again below."))
    query = QueryDict(raw_query)
    values = [value.strip() for value in query.getlist("section")]
    extras = {value.strip() for value in query.getlist("also")}
    if len(values) + len(extras) > MAX_SECTION_VALUES:
        return Refusal(gettext("The web address names too many sections. Choose the sections again below."))
    also = tuple(extra for extra in EXTRAS if extra in extras)
    unknown_extras = tuple(shown(extra) for extra in sorted(extras - set(EXTRAS)) if extra)
    large = query.get(SIZE) == LARGE
    if "section" not in query and "chosen" not in query:
        return BookletChoice(sections=tuple(published), whole=True, skipped=unknown_extras, also=also, large=large)
    renamed = renamed or {}
    asked = dict.fromkeys(renamed.get(value, value) for value in values if value)
    known = [section for section in published if section.slug in asked]
    skipped = tuple(shown(value) for value in asked if value not in {section.slug for section in known})
    skipped += unknown_extras
    if not known and not also:
        message = skipped_message(skipped) if skipped else gettext("Choose at least one section to print.")
        return Refusal(message)
    whole = len(known) == len(published)
    return BookletChoice(sections=tuple(known), whole=whole, skipped=skipped, also=also, large=large)


def choice_from_query(raw_query: str) -> BookletChoice | Refusal:
    """The printout a query asks for, from the published sections; old section addresses still count."""
    published = list(Section.objects.published())
    renamed = dict(SlugRedirect.objects.filter(section__is_published=True).values_list("old_slug", "section__slug"))
    return choose_sections(raw_query, published, renamed)
