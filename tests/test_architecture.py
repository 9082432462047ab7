"""Imports point one way, with no circles: the import-linter contracts in pyproject.toml.

From top to bottom: site-wide glue (URLs, settings, middleware, the Jinja environment), then
feedback, then sharing, then printing and search (independent of each other), then the domain apps
(booklet, symptoms, contacts, in that order), then infrastructure (pagecache, addresses,
datafiles), which imports no domain app.
"""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_imports_follow_the_layers_and_make_no_circles(capsys):
    assert lint_imports(config_filenames=(str(ROOT / "pyproject.toml"),), no_cache=True) == 0, capsys.readouterr().out
