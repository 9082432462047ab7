"""Tests do not depend on the hour or the day they run (issues 24 and 25): tests/conftest.py starts
every test at one London moment, and a test opts out only to test the real clock."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.conftest import LONDON, MOMENTS, SATURDAY_NIGHT, TUESDAY_MORNING, moment_for


def written_now(tmp_path) -> datetime:
    """The time by the kernel's own clock, which time-machine never moves: a new file's mtime."""
    path = tmp_path / "now"
    path.write_text("now")
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def test_every_test_starts_at_the_fixed_london_moment_whatever_the_real_time(request, tmp_path):
    moment = moment_for(request.config.getoption("at"))
    now = timezone.now()
    assert timedelta(0) <= now - moment < timedelta(minutes=1)
    assert timezone.localdate() == moment.astimezone(LONDON).date()
    if abs(written_now(tmp_path) - moment) > timedelta(minutes=1):
        assert abs(now - written_now(tmp_path)) > timedelta(minutes=1)


def test_the_two_moments_are_a_weekday_morning_and_a_saturday_night_in_london():
    assert MOMENTS == {"day": TUESDAY_MORNING, "night": SATURDAY_NIGHT}
    assert (TUESDAY_MORNING.strftime("%A"), TUESDAY_MORNING.hour) == ("Tuesday", 10)
    assert (SATURDAY_NIGHT.strftime("%A"), SATURDAY_NIGHT.hour) == ("Saturday", 23)
    assert moment_for("2026-12-25T03:00") == datetime(2026, 12, 25, 3, 0, tzinfo=LONDON)


@pytest.mark.real_clock
def test_a_test_marked_real_clock_runs_on_the_real_clock(tmp_path):
    assert abs(timezone.now() - written_now(tmp_path)) < timedelta(minutes=1)


@pytest.mark.browser
def test_a_browser_page_sees_the_moment_the_server_renders_at(live_site, page):
    """Chromium keeps its own clock: print.mjs writes "Printed on" from it, my-pump.mjs says a
    refill date has passed by it. Its pages are given the test's moment too."""
    page.goto(live_site.url + "/")
    shown = datetime.fromisoformat(page.evaluate("new Date().toISOString()").replace("Z", "+00:00"))
    assert abs(shown - timezone.now()) < timedelta(minutes=1)
