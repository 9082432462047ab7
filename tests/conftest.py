"""Shared fixtures. Tests run with production settings (tests/settings.py): debug off."""

import os
import shutil
from pathlib import Path

# pytest-django's live_server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
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
def content_dir(tmp_path):
    """A writable copy of the fixture content folder."""
    target = tmp_path / "sections"
    shutil.copytree(FIXTURES / "content", target)
    return target


# --- Real-browser tests -------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        # In CI a missing browser is a failure, never a silent skip.
        raise pytest.UsageError(f"CI needs Chromium at {CHROMIUM}; .ci/run installs it.")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium`")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


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
