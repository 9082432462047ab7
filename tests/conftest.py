"""Shared fixtures. Tests run with production settings (tests/settings.py): debug off."""

import os
import shutil
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

# pytest-django's live_server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
import time_machine
from playwright.sync_api import expect

# CI runs the browser tests two at a time on two cores, beside Chromium: an admin page that takes 0.5 s alone
# took over Playwright's default 5 s there (two editorial tests, once each). A wait that ends as soon as the
# page is there costs nothing when it passes; it only gives a loaded machine time.
expect.set_options(timeout=15_000)

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
HOW_TO_GET_A_BROWSER = (
    "install Chromium with `apt-get install chromium` (it goes to /usr/bin/chromium), "
    "or, where downloads work, Playwright's own with `.venv/bin/playwright install chromium`"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# --- The clock (issues 24 and 25) -----------------------------------------------
# What the site says depends on the time in London: whether the ITB team is open now, when it opens
# again, "Printed on", review dates that have passed. So every test runs at one fixed London moment,
# whatever the hour or the day the suite runs. A test opts out (`@pytest.mark.real_clock`) only to
# test the real clock itself. `pytest --at night` runs the same tests at a night-time moment instead.

LONDON = ZoneInfo("Europe/London")
TUESDAY_MORNING = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)  # a weekday: the ITB team is open
SATURDAY_NIGHT = datetime(2026, 11, 28, 23, 0, tzinfo=LONDON)  # every daytime line is closed
MOMENTS = {"day": TUESDAY_MORNING, "night": SATURDAY_NIGHT}


def pytest_addoption(parser):
    parser.addoption(
        "--at",
        default="day",
        help="the London moment every test runs at: day (Tuesday 10:00), night (Saturday 23:00) "
        "or a date and time such as 2026-12-25T03:00",
    )


def moment_for(at: str) -> datetime:
    if at in MOMENTS:
        return MOMENTS[at]
    moment = datetime.fromisoformat(at)
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


# Whether a test's clock is fixed, for the browser fixture below (a browser has a clock of its own).
clock_is_fixed = [False]


@pytest.fixture(autouse=True)
def fixed_clock(request):
    """The whole process, the live server's thread included, starts each test at the same moment.
    The clock then ticks on from there (tick=True): timestamps still increase, so whatever is
    ordered by time keeps its order, and waits based on time still end."""
    if request.node.get_closest_marker("real_clock"):
        yield None
        return
    with time_machine.travel(moment_for(request.config.getoption("at")), tick=True) as traveller:
        clock_is_fixed[0] = True
        try:
            yield traveller
        finally:
            clock_is_fixed[0] = False


@pytest.fixture(autouse=True)
def _no_pages_from_earlier_tests():
    """Rendered pages are kept between requests; each test starts with none."""
    from itb_portal.pagecache.pages import forget

    forget()


@pytest.fixture
def fixture_sections(db):
    """Three small sections from tests/fixtures/content, loaded by the real loader."""
    from itb_portal.booklet.loader import load_sections

    report = load_sections(FIXTURES / "content")
    assert not report.errors
    from itb_portal.booklet.models import Section

    return list(Section.objects.published())


@pytest.fixture
def trial(fixture_sections):
    """The fixture section most tests edit, "The trial"."""
    from itb_portal.booklet.models import Section

    return Section.objects.get(slug="the-trial")


@pytest.fixture
def whole_booklet(db, settings):
    """Every section of the real booklet in content/, loaded by the real loader, by address."""
    from itb_portal.booklet.loader import load_sections
    from itb_portal.booklet.models import Section

    assert not load_sections(settings.CONTENT_DIR / "sections").errors
    return {section.slug: section for section in Section.objects.all()}


@pytest.fixture
def content_dir(tmp_path):
    """A writable copy of the fixture content folder."""
    target = tmp_path / "sections"
    shutil.copytree(FIXTURES / "content", target)
    return target


# --- Editors and clinical approvers (issue 17) -----------------------------------


def person(django_user_model, name, *groups):
    """A signed-in admin client for a staff user in these groups ("Editor", "Clinical approver")."""
    from django.contrib.auth.models import Group
    from django.test import Client

    user = django_user_model.objects.create_user(name, f"{name}@example.nhs.uk", "a-long-test-password-123")
    user.is_staff = True
    user.save()
    user.groups.set(Group.objects.filter(name__in=groups))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor(django_user_model):
    return person(django_user_model, "eddie", "Editor")


@pytest.fixture
def approver(django_user_model):
    return person(django_user_model, "ada", "Clinical approver")


@pytest.fixture
def editing_approver(django_user_model):
    return person(django_user_model, "both", "Editor", "Clinical approver")


# --- Real-browser tests -------------------------------------------------------


def playwright_chromium() -> str:
    """Where Playwright keeps the Chromium that `playwright install chromium` downloads."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return playwright.chromium.executable_path


def find_chromium(system: str = CHROMIUM, installed_by_playwright=playwright_chromium) -> str | None:
    """The browser for real-browser tests: the system's Chromium, else Playwright's, else None."""
    if Path(system).exists():
        return system
    try:
        candidate = installed_by_playwright()
    except Exception:  # Playwright's driver could not start: no browser from it either
        return None
    return candidate if Path(candidate).exists() else None


@cache
def chromium() -> str | None:
    return find_chromium()


# A skip reason that starts with this is a check this machine could not make: listed loudly at the end.
NOT_CHECKED = "NOT CHECKED:"


def pytest_terminal_summary(terminalreporter):
    reasons = sorted(
        {
            report.longrepr[2]
            for report in terminalreporter.stats.get("skipped", [])
            if isinstance(report.longrepr, tuple) and NOT_CHECKED in report.longrepr[2]
        }
    )
    if reasons:
        terminalreporter.section("checks skipped on this machine", sep="!", red=True, bold=True)
        for reason in reasons:
            terminalreporter.line(reason.removeprefix("Skipped: "), red=True, bold=True)


def pytest_collection_modifyitems(config, items):
    browser_tests = [item for item in items if "browser" in item.keywords]
    if not browser_tests or chromium():
        return
    if os.environ.get("CI"):
        # In CI a missing browser is a failure, never a silent skip.
        raise pytest.UsageError(f"CI needs a browser for the real-browser tests: {HOW_TO_GET_A_BROWSER}.")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} and none from Playwright: {HOW_TO_GET_A_BROWSER}")
    for item in browser_tests:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": chromium(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone: most patients read the site on one.
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    }


@pytest.fixture(scope="session")
def browser(browser):
    """Every browser context blocks the service worker unless a test asks for it
    (tests/test_browser_offline.py). The worker saves every page in the background after a page
    loads: left on, it would still be asking the test server for pages while a test tears its
    database down, and add those requests to what a test sees. Its pages' clock shows the test's
    fixed moment (the service worker keeps the real one, and reads saved pages' Date headers)."""
    new_context = browser.new_context

    def without_service_worker(**options):
        context = new_context(**{"service_workers": "block", **options})
        if clock_is_fixed[0]:
            # Chromium keeps its own time: its pages (the date print.mjs writes, a refill date that
            # has passed) see the moment the server renders at.
            context.clock.set_fixed_time(datetime.now(UTC))
        return context

    browser.new_context = without_service_worker
    return browser


@pytest.fixture
def live_site(transactional_db, live_server):
    """A running site holding the fixture sections, for real-browser tests."""
    from itb_portal.booklet.loader import load_sections

    assert not load_sections(FIXTURES / "content").errors
    return live_server


@pytest.fixture
def live_booklet(transactional_db, live_server):
    """A running site holding the real booklet from content/, for checks in a real browser."""
    from django.conf import settings

    from itb_portal.booklet.loader import load_sections

    assert not load_sections(settings.CONTENT_DIR / "sections").errors
    return live_server


@pytest.fixture
def axe_violations():
    """Runs axe in the page and returns its violations, as readable strings."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page) -> list[str]:
        results = axe.run(page)
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]
        ]

    return run
