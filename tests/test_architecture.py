"""Imports point one way, with no circles: the import-linter contracts in pyproject.toml.

From top to bottom: site-wide glue (URLs, settings, middleware, the Jinja environment), then
feedback, then sharing, then printing and search (independent of each other), then the domain apps
(booklet, symptoms, contacts, in that order), then infrastructure (pagecache, addresses,
datafiles), which imports no domain app.
"""

import re
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_imports_follow_the_layers_and_make_no_circles(capsys):
    assert lint_imports(config_filenames=(str(ROOT / "pyproject.toml"),), no_cache=True) == 0, capsys.readouterr().out


def test_the_custom_cache_has_a_decision_record_saying_when_cache_page_would_do():
    """The cache stays our own code only while docs/adr/0007 says why; no line cap (issue 25)."""
    record = (ROOT / "docs" / "adr" / "0007-custom-cache-until-cache-page-can-follow-the-content.md").read_text()
    assert "## Would change if" in record and "cache_page" in record
    assert (
        "0007-custom-cache-until-cache-page-can-follow-the-content.md"
        in (ROOT / "docs" / "adr" / "README.md").read_text()
    )


def test_no_module_reaches_into_a_requests_dict_or_sets_private_attributes_on_it():
    for path in sorted((ROOT / "itb_portal").rglob("*.py")):
        text = path.read_text()
        assert "__dict__" not in text, path
        assert not re.search(r"\brequest\._[a-z]\w*\s*=", text), path
