"""Imports point one way, with no circles: the import-linter contracts in pyproject.toml.

From top to bottom: site-wide glue (URLs, settings, middleware, the Jinja environment), then
feedback, then sharing, then printing and search (independent of each other), then the domain apps
(booklet, symptoms, contacts, in that order), then infrastructure (pagecache, addresses,
datafiles), which imports no domain app.
"""

import ast
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


# Another object's private names (`thing._name`) are its own business: code and tests use what it
# offers in public, so it can change inside without breaking them. `self._x`, `cls._x` and `super()._x` are an
# object's own; Django documents `model._meta` as public API, and a named tuple's `_replace`,
# `_asdict` and `_fields` are public too.
PUBLIC_UNDERSCORE_NAMES = {"_meta", "_replace", "_asdict", "_fields", "_make"}


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in PUBLIC_UNDERSCORE_NAMES


def private_names_reached(tree: ast.AST):
    """(line, what) for each reach into another object's or module's private names."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            owner = node.value
            own = isinstance(owner, ast.Name) and owner.id in ("self", "cls")
            inherited = isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super"
            if not (own or inherited):
                yield node.lineno, f"{ast.unparse(owner)}.{node.attr}"
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if is_private(alias.name):
                    yield node.lineno, f"from {'.' * node.level}{node.module or ''} import {alias.name}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and is_private(node.args[1].value)
        ):
            yield node.lineno, f"{node.func.id}({ast.unparse(node.args[0])}, {node.args[1].value!r})"


def test_no_code_or_test_reads_another_objects_private_names():
    found = []
    for folder in ("itb_portal", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if "/migrations/" in name:
                continue
            for line, what in private_names_reached(ast.parse(path.read_text(), filename=name)):
                found.append(f"{name}:{line}: {what}")
    assert found == [], "\n".join(found)


def test_the_private_name_scan_finds_a_reach_into_another_module_and_lets_self_and_meta_pass():
    code = "memo._values.clear()\nself._cache = {}\nSection._meta.get_field('slug')\nfrom .memo import _rendered\n"
    assert sorted(private_names_reached(ast.parse(code))) == [(1, "memo._values"), (4, "from .memo import _rendered")]
