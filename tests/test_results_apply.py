"""A result shows only what applies to it: the stiffness triggers only with stiffness (or nothing
ticked), and, out of hours, when the ITB team opens again, from the hours and bank holidays in
content/contacts.yaml, across weekends, bank holidays and clock changes."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from itb_portal.contacts.directory import load_directory, when_it_opens
from itb_portal.symptoms.rules import load_rules
from tests.conftest import LONDON

RESULT = "/symptoms/result/"
# An urgent sign whose advice depends on whether the team is open.
URGENT = "itching"


def reopening(at: datetime) -> str:
    directory = load_directory()
    opening = directory.next_opening(directory.team_line, at)
    return when_it_opens(opening, at)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # Friday after closing: over the weekend to Monday.
        (datetime(2026, 12, 4, 16, 30, tzinfo=LONDON), "on Monday 7 December at 8am"),
        # Saturday and Sunday.
        (datetime(2026, 12, 5, 10, 0, tzinfo=LONDON), "on Monday 7 December at 8am"),
        (datetime(2026, 12, 6, 23, 59, tzinfo=LONDON), "tomorrow, Monday, at 8am"),
        # Early on a weekday: later the same day.
        (datetime(2026, 12, 8, 6, 15, tzinfo=LONDON), "today at 8am"),
        # The Friday before the late summer bank holiday (Monday 31 August 2026): Tuesday.
        (datetime(2026, 8, 28, 17, 0, tzinfo=LONDON), "on Tuesday 1 September at 8am"),
        # Christmas 2026: Friday 25th, Saturday 26th, the weekend, and Boxing Day moved to Monday 28th.
        (datetime(2026, 12, 24, 16, 0, tzinfo=LONDON), "on Tuesday 29 December at 8am"),
        # Easter 2027: Good Friday 26 March, then the clocks go forward, then Easter Monday 29 March.
        (datetime(2027, 3, 25, 20, 0, tzinfo=LONDON), "on Tuesday 30 March at 8am"),
    ],
)
def test_the_team_reopens_at_its_next_opening_counting_weekends_and_bank_holidays(at, expected):
    assert reopening(at) == expected


def test_the_reopening_is_8am_uk_time_after_the_clocks_change():
    directory = load_directory()
    # Saturday 28 March 2026, 23:30 UTC; the clocks go forward on Sunday 29 March.
    opening = directory.next_opening(directory.team_line, datetime(2026, 3, 28, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert opening.isoformat() == "2026-03-30T08:00:00+01:00"


def test_a_line_answered_at_every_hour_has_no_next_opening():
    directory = load_directory()
    assert directory.next_opening(directory.line("nhs-111"), datetime(2026, 12, 5, 10, tzinfo=LONDON)) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (datetime(2026, 12, 5, 10, 0, tzinfo=LONDON), "The ITB team opens again on Monday 7 December at 8am."),
        (datetime(2026, 8, 31, 12, 0, tzinfo=LONDON), "The ITB team opens again tomorrow, Tuesday, at 8am."),
        (datetime(2026, 12, 25, 9, 0, tzinfo=LONDON), "The ITB team opens again on Tuesday 29 December at 8am."),
    ],
)
def test_out_of_hours_the_care_card_says_when_the_team_opens_again(client, fixture_sections, at, expected):
    with time_machine.travel(at, tick=False):
        html = client.get(f"{RESULT}?sign={URGENT}").content.decode()
    card = re.search(r'data-testid="care-card".*?</div>\s*</div>', html, re.S).group(0)
    assert expected in card


@pytest.mark.django_db
def test_in_hours_the_care_card_says_nothing_about_opening_again(client, fixture_sections):
    with time_machine.travel(datetime(2026, 12, 8, 10, 0, tzinfo=LONDON), tick=False):
        html = client.get(f"{RESULT}?sign={URGENT}").content.decode()
    assert "opens again" not in html
    assert "The ITB team is open now" in html


@pytest.mark.django_db
def test_emergency_results_say_nothing_about_the_team_opening(client, fixture_sections):
    with time_machine.travel(datetime(2026, 12, 5, 10, 0, tzinfo=LONDON), tick=False):
        html = client.get(f"{RESULT}?sign=seizures").content.decode()
    assert "opens again" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("?sign=increased-stiffness", True),
        ("?sign=increased-stiffness&sign=itching", True),
        ("?sign=increased-stiffness&sign=drowsiness", False),  # A&E: no time for triggers (issue 20, point 12)
        ("", True),  # nothing ticked: worth checking
        ("?sign=drowsiness", False),  # an overdose result
        ("?sign=seizures", False),
        ("?sign=itching", False),
        ("?sign=pump-alarm", False),
    ],
)
def test_the_stiffness_triggers_show_only_with_stiffness_or_nothing_ticked(client, fixture_sections, query, listed):
    html = client.get(RESULT + query).content.decode()
    assert ('data-testid="triggers"' in html) is listed
    if listed:
        assert all(trigger.name in html for trigger in load_rules().triggers)


def test_the_triggers_are_tied_to_a_sign_in_the_data():
    rules = load_rules()
    assert rules.trigger_signs == {"increased-stiffness"}
    assert rules.triggers_apply(frozenset()) and rules.triggers_apply(frozenset({"increased-stiffness"}))
    assert not rules.triggers_apply(frozenset({"drowsiness"}))
