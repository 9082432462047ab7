"""The symptom checker's question, read from a query string: which signs, and whether the pump
was put in or changed recently.

Someone's choices travel only in the address, so reading them is kept apart from the views,
which only render. Nothing here logs or keeps what it reads.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict

from itb_portal.addresses import url
from itb_portal.interface_text import gettext

# The longest honest query on this site (every sign, or every section of a printout) is far shorter.
MAX_QUERY_LENGTH = 2000
MAX_SIGN_VALUES = 60
SHOWN_VALUE_LENGTH = 40
PARAMETERS = ("sign", "recent_operation")


@dataclass(frozen=True)
class CheckRequest:
    signs: frozenset[str]
    recent_operation: bool

    def query_string(self) -> str:
        """A canonical query: the same request always has the same shareable address."""
        pairs = [("sign", slug) for slug in sorted(self.signs)]
        if self.recent_operation:
            pairs.append(("recent_operation", "yes"))
        return urlencode(pairs)

    def address(self, view_name: str = "symptoms:result") -> str:
        """The result (or the checker, to change the answers) for this check: one canonical address,
        whatever order or repeats the address asked for had."""
        query = self.query_string()
        return url(view_name) + (f"?{query}" if query else "")


def shown(value: str) -> str:
    """A user's value, made safe to repeat back in a message: printable and short."""
    printable = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C")
    return printable[:SHOWN_VALUE_LENGTH] + ("…" if len(printable) > SHOWN_VALUE_LENGTH else "")


def parse_check(raw_query: str, known_signs: set[str] | frozenset[str]) -> CheckRequest | list[str]:
    """The chosen signs and context from a query string, or plain-words problems with it."""
    if len(raw_query) > MAX_QUERY_LENGTH:
        return [gettext("The web address is too long for us to read. Choose your signs again below.")]
    query = QueryDict(raw_query)
    problems = [
        gettext("We did not understand “%(name)s” in the web address.") % {"name": shown(name)}
        for name in query
        if name not in PARAMETERS
    ]
    values = query.getlist("sign")
    if len(values) > MAX_SIGN_VALUES:
        problems.append(gettext("The web address lists too many signs. Choose your signs again below."))
        values = []
    for value in dict.fromkeys(values):
        if not value:
            problems.append(gettext("One of the signs in the web address was empty."))
        elif value not in known_signs:
            problems.append(gettext("We did not recognise the sign “%(sign)s”.") % {"sign": shown(value)})
    recent = query.getlist("recent_operation")
    if any(value != "yes" for value in recent):
        bad = next(value for value in recent if value != "yes")
        problems.append(
            gettext(
                "We did not understand “%(answer)s” as an answer about a recent operation. "
                "Tick the box, or leave it empty."
            )
            % {"answer": shown(bad)}
        )
    if problems:
        return problems
    return CheckRequest(signs=frozenset(values), recent_operation=bool(recent))
