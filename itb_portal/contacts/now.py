"""Who to call at this moment, for the top of the contacts page: the time, whether the team is
open and until when, and the line for urgent advice now (the team's when it is open, else 111).

Worked out when the page is made, from the hours in content/contacts.yaml. The page is kept for one
minute at most (contacts/views.py), and a copy saved for use with no signal hides it (_companion.scss),
as it hides "Open now".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from itb_portal.interface_text import gettext, interface_date

from .directory import Directory, Hours, Line, clock, upper_first

TEAM = "team"
NHS_111 = "nhs-111"


@dataclass(frozen=True)
class CallNow:
    moment: str  # "It is 2:04am on Tuesday."
    team: str  # "The ITB team is closed until 8am."
    advice: str  # "For urgent advice call 111."
    line: Line  # whose numbers to call for urgent advice now
    team_open: bool


def until(opening: datetime, local: datetime) -> str:
    """ "8am", "8am tomorrow" or "8am on Monday 7 December", in the line's own time zone."""
    at = clock(opening.time())
    if opening.date() == local.date():
        return at
    if opening.date() == local.date() + timedelta(days=1):
        return gettext("%(time)s tomorrow") % {"time": at}
    return gettext("%(time)s on %(day)s") % {"time": at, "day": interface_date(opening, "l j F")}


def call_now(directory: Directory, now: datetime) -> CallNow:
    local = now.astimezone(directory.timezone)
    team_line = directory.of_kind(TEAM)[0]
    team = upper_first(directory.service.team)
    team_open = bool(directory.is_open(team_line, now))
    if team_open and isinstance(team_line.hours, Hours):
        said = gettext("%(team)s is open until %(time)s.") % {"team": team, "time": clock(team_line.hours.closes)}
        line = team_line
        advice = gettext("For urgent advice call %(who)s.") % {"who": directory.service.team}
    else:
        opening = directory.next_opening(team_line, now)
        if opening:
            said = gettext("%(team)s is closed until %(time)s.") % {"team": team, "time": until(opening, local)}
        else:
            said = gettext("%(team)s is closed.") % {"team": team}
        line = directory.of_kind(NHS_111)[0]
        advice = gettext("For urgent advice call %(who)s.") % {"who": line.phones[0].number}
    return CallNow(
        moment=gettext("It is %(time)s on %(day)s.") % {"time": clock(local.time()), "day": interface_date(local, "l")},
        team=said,
        advice=advice,
        line=line,
        team_open=team_open,
    )
