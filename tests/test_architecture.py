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


def test_the_caching_code_stays_small_enough_to_read_in_one_sitting():
    """Issue 14: caching once took about 960 lines over four layers; pagecache/ is the whole of it now."""
    lines = sum(len(path.read_text().splitlines()) for path in (ROOT / "itb_portal" / "pagecache").glob("*.py"))
    assert lines <= 350, f"pagecache/ has {lines} lines: simplify before adding"


def test_no_module_reaches_into_a_requests_dict_or_sets_private_attributes_on_it():
    for path in sorted((ROOT / "itb_portal").rglob("*.py")):
        text = path.read_text()
        assert "__dict__" not in text, path
        assert not re.search(r"\brequest\._[a-z]\w*\s*=", text), path
