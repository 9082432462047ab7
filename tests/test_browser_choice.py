"""Which browser the real-browser tests use, and what a newcomer without one is told (issue 12)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import HOW_TO_GET_A_BROWSER, find_chromium


@pytest.fixture
def system(tmp_path):
    path = tmp_path / "usr-bin-chromium"
    path.touch()
    return path


@pytest.fixture
def from_playwright(tmp_path):
    path = tmp_path / "ms-playwright" / "chrome"
    path.parent.mkdir()
    path.touch()
    return path


def test_the_systems_chromium_comes_first(system, from_playwright):
    assert find_chromium(str(system), lambda: str(from_playwright)) == str(system)


def test_without_it_the_browser_playwright_installed_is_used(tmp_path, from_playwright):
    assert find_chromium(str(tmp_path / "missing"), lambda: str(from_playwright)) == str(from_playwright)


def test_with_neither_there_is_no_browser(tmp_path):
    assert find_chromium(str(tmp_path / "missing"), lambda: str(tmp_path / "not-downloaded")) is None

    def driver_fails():
        raise RuntimeError("no driver")

    assert find_chromium(str(tmp_path / "missing"), driver_fails) is None


def test_the_skip_message_says_how_to_get_one():
    assert "apt-get install chromium" in HOW_TO_GET_A_BROWSER
    assert "playwright install chromium" in HOW_TO_GET_A_BROWSER


@pytest.fixture
def pytester_like_run(tmp_path):
    """Runs one real-browser test file in a fresh pytest, on a machine with no browser at all."""
    no_browser = (
        "import sys, tests.conftest as c; "
        f"c.find_chromium.__defaults__ = ({str(tmp_path / 'no-chromium')!r}, lambda: {str(tmp_path / 'none')!r}); "
        "import pytest; sys.exit(pytest.main(['-p', 'no:randomly', '-p', 'no:xdist', '-rs', 'tests/test_browser_pages.py']))"
    )

    def run(ci: bool):
        env = {key: value for key, value in os.environ.items() if key != "CI"}
        if ci:
            env["CI"] = "true"
        return subprocess.run(
            [sys.executable, "-c", no_browser], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
        )

    return run


def test_a_missing_browser_skips_outside_ci_and_fails_in_ci(pytester_like_run):
    skipped = pytester_like_run(ci=False)
    assert skipped.returncode == 0, skipped.stdout
    assert "SKIPPED" in skipped.stdout and "playwright install chromium" in skipped.stdout
    failed = pytester_like_run(ci=True)
    assert failed.returncode != 0
    assert "CI needs a browser for the real-browser tests" in failed.stdout + failed.stderr
