"""Reading the text and YAML files in content/ (sections, contacts, symptom rules).

Every failure names the file and where in it the problem is, so whoever edits the data sees what
to fix; and no problem in a file ever escapes as a bare traceback.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml


@lru_cache(maxsize=16)
def content_file(content_dir: str | Path, name: str) -> Path:
    """`name` in the content folder (settings.CONTENT_DIR): the same Path each time, as pages ask for it often."""
    return Path(content_dir) / name


def read_text(path: Path) -> str:
    """The file as UTF-8 text. Raises UnicodeDecodeError with a reason that says where the bad byte is."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        error.reason = (
            f"it is not UTF-8 text: byte 0x{data[error.start]:02x} at line {line}, column {column} "
            "cannot be read (save the file as UTF-8)"
        )
        raise


class ContentLoader(yaml.SafeLoader):
    """YAML as PyYAML's safe loader reads it, but never crashing and never quietly choosing.

    - A value shaped like a date that is no real date (2026-13-45) stays text, so the code that
      wants a date there can name the field; PyYAML would raise a bare ValueError.
    - A key given twice is an error, not the last one silently winning.
    """

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool | None):
                continue  # PyYAML itself refuses a key it cannot look up
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


ContentLoader.add_constructor("tag:yaml.org,2002:timestamp", ContentLoader.construct_yaml_timestamp)


def load_yaml(text: str) -> object:
    """Raises yaml.YAMLError, with the line, for anything that is not valid YAML."""
    return yaml.load(text, Loader=ContentLoader)  # noqa: S506 (a SafeLoader)


def describe(error: yaml.YAMLError, first_line: int = 1) -> str:
    """What is wrong and on which line of the file (the YAML may start at `first_line`), on one line."""
    problem = getattr(error, "problem", None) or error.__class__.__name__
    mark = getattr(error, "problem_mark", None)
    return f"{problem} (line {mark.line + first_line})" if mark else problem


def read_yaml(path: Path, error: type[Exception]) -> object:
    try:
        text = read_text(path)
    except FileNotFoundError as problem:
        raise error(f"{path}: file not found") from problem
    except UnicodeDecodeError as problem:
        raise error(f"{path}: {problem.reason}") from problem
    return parse_yaml(text, path, error)


def parse_yaml(text: str, path: Path, error: type[Exception]) -> object:
    """A YAML document's data; `error` naming `path` if it is not valid YAML (a file, or an admin's draft of one)."""
    try:
        return load_yaml(text)
    except yaml.YAMLError as problem:
        raise error(f"{path}: not valid YAML: {describe(problem)}") from problem
