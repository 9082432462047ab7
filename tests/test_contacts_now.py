"""The contacts page opens with who to call now (issue 22): the time, whether the team is open and
until when, and the line for urgent advice at this moment, from the hours in contacts.yaml."""

from datetime import datetime

import pytest
import time_machine

from itb_portal.contacts.directory import load_directory
from itb_portal.contacts.now import call_now
from tests.conftest import LONDON


@pytest.mark.parametrize(
    ("at", "words", "line"),
    [
        (
            datetime(2026, 12, 8, 2, 4),
            "It is 2:04am on Tuesday. The ITB team is closed until 8am. For urgent advice call 111.",
            "nhs-111",
        ),
        (
            datetime(2026, 12, 7, 10, 0),
            "It is 10am on Monday. The ITB team is open until 4pm. For urgent advice call the ITB team.",
            "nurse-specialist",
        ),
        (
            datetime(2026, 12, 8, 16, 0),
            "It is 4pm on Tuesday. The ITB team is closed until 8am tomorrow. For urgent advice call 111.",
            "nhs-111",
        ),
        (
            datetime(2026, 12, 11, 17, 30),
            "It is 5:30pm on Friday. The ITB team is closed until 8am on Monday 14 December. For urgent advice call 111.",
            "nhs-111",
        ),
        (
            datetime(2026, 12, 25, 11, 0),
            "It is 11am on Friday. The ITB team is closed until 8am on Tuesday 29 December. For urgent advice call 111.",
            "nhs-111",
        ),
    ],
    ids=["2am", "weekday-morning", "closing-time", "friday-evening", "christmas-day"],
)
def test_who_to_call_now_follows_the_teams_hours_and_bank_holidays(at, words, line):
    now = call_now(load_directory(), at.replace(tzinfo=LONDON))
    assert f"{now.moment} {now.team} {now.advice}" == words
    assert now.line.id == line


def test_the_page_opens_with_who_to_call_now_and_it_is_never_printed(client, db):
    with time_machine.travel(datetime(2026, 12, 8, 2, 4, tzinfo=LONDON), tick=False):
        html = client.get("/contacts/").content.decode()
    box = html[html.index('data-testid="contacts-now"') :]
    box = box[: box.index("</section>")]
    assert "It is 2:04am on Tuesday." in box and 'href="tel:111"' in box
    assert html.index('data-testid="contacts-now"') < html.index('data-line="emergency-999"')
    assert '<section class="app-contacts-now app-no-print"' in html


def test_a_cached_contacts_page_says_the_time_it_was_made_within_its_minute(client, db):
    # The page is kept for one minute at most (contacts/views.py): the box is never older than that.
    with time_machine.travel(datetime(2026, 12, 7, 15, 59, 30, tzinfo=LONDON), tick=False):
        assert "The ITB team is open until 4pm." in client.get("/contacts/").content.decode()
    with time_machine.travel(datetime(2026, 12, 7, 16, 0, 0, tzinfo=LONDON), tick=False):
        assert "The ITB team is closed until 8am tomorrow." in client.get("/contacts/").content.decode()
