"""The files in content/ (sections, contacts, symptom rules): reading them, and the data-file service.

Every failure names the file and where in it the problem is, so whoever edits the data sees what
to fix; and no problem in a file ever escapes as a bare traceback.

Each data file (contacts, symptom rules) is a `DataFileKind`: its path, its schema (pydantic, in
contacts.py and rules.py here), and which text of it is in use (the file, or the text a clinical
approver approved in the admin in its place). One loader serves both: the domain apps give only the
function that builds their objects from the checked data. What the database holds about each file
(its data file record: review dates, sign-off, approved text) is a `DataFile` row (models.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from pydantic import BaseModel

from itb_portal.pagecache import memo

from .contacts import ContactsFile
from .rules import RulesFile
from .schema import DataFileError, validated


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
    try:
        return yaml.load(text, Loader=ContentLoader)  # noqa: S506 (a SafeLoader)
    except RecursionError as error:
        # Lists or mappings nested thousands deep: no file of ours is, and Python cannot read it.
        raise yaml.YAMLError("it is nested too deeply to read (lists inside lists, thousands deep)") from error


def describe(error: yaml.YAMLError, first_line: int = 1) -> str:
    """What is wrong and on which line of the file (the YAML may start at `first_line`), on one line."""
    problem = getattr(error, "problem", None) or str(error) or error.__class__.__name__
    mark = getattr(error, "problem_mark", None)
    return f"{problem} (line {mark.line + first_line})" if mark else problem


def read_yaml(path: Path, error: type[Exception]) -> object:
    return parse_yaml(read_file(path, error), path, error)


def read_file(path: Path, error: type[Exception]) -> str:
    """The file's text; `error` naming it if it is missing or not UTF-8."""
    try:
        return read_text(path)
    except FileNotFoundError as problem:
        raise error(f"{path}: file not found") from problem
    except UnicodeDecodeError as problem:
        raise error(f"{path}: {problem.reason}") from problem


def parse_yaml(text: str, path: Path, error: type[Exception]) -> object:
    """A YAML document's data; `error` naming `path` if it is not valid YAML (a file, or an admin's draft of one)."""
    try:
        return load_yaml(text)
    except yaml.YAMLError as problem:
        raise error(f"{path}: not valid YAML: {describe(problem)}") from problem


# --- The data-file service -------------------------------------------------------------------


class ContactsDataError(DataFileError):
    """content/contacts.yaml is missing, unreadable or inconsistent. The message names the file."""


class RulesDataError(DataFileError):
    """content/symptoms/rules.yaml is missing or inconsistent. The message names the file and the problem."""


Built = TypeVar("Built")


@dataclass(frozen=True)
class DataFileKind:
    """One data file in content/: where it is, what it must look like, and which text of it is in use.

    Its record in the database (review dates, sign-off, text approved in the admin) is a `DataFile`
    row (models.py) whose `data` is this kind's `name`."""

    name: str  # as its DataFile row names it: "contacts" or "rules"
    relative: str  # its path inside content/
    title: str  # as editors know it in the admin
    schema: type[BaseModel]
    error: type[DataFileError]

    def path(self) -> Path:
        return content_file(settings.CONTENT_DIR, self.relative)

    @property
    def label(self) -> str:
        return self.relative

    def checked(self, path: Path, text: str | None = None) -> Any:
        """The file at `path` (or `text`, a version of it) read and checked against the schema."""
        data = read_yaml(path, self.error) if text is None else parse_yaml(text, path, self.error)
        return validated(self.schema, data, path, self.error)

    def load(self, build: Callable[[Any, Path], Built], path: Path | None = None, text: str | None = None) -> Built:
        """What `build` makes of the checked data: from `path` (by default the file in content/), or from
        `text` in its place. Kept per path and text: a file only changes with a deploy."""
        return _built(self, build, path or self.path(), text)

    def in_use(self, build: Callable[[Any, Path], Built]) -> Built:
        """What `build` makes of the text in use."""
        return self.load(build, text=self.text_in_use())

    def text_in_use(self) -> str:
        """The text the site runs on: what a clinical approver approved in the admin in place of the file,
        else the file in content/ (read once per process: a file only changes with a deploy)."""
        return self.approved_text() or _file_text(self.path(), self.error)

    def approved_text(self) -> str:
        """The text approved in the admin while it replaces the file; "" while the file is in use. Read once
        per content version in each process (saving a DataFile row moves the version on), and a copy left in
        the shared "pages" cache: a worker that starts while the database is down uses that copy, never the
        older file."""
        try:
            return memo.for_content_version(f"approved-data:{self.name}", self._read_approved_text)
        except RuntimeError:  # a test of pure code, where the database may not be used at all: the file
            return ""

    def _read_approved_text(self) -> str:
        from .models import DataFile  # models need the app registry, which imports this package first

        copy = f"approved-data:{self.name}"
        try:
            text = DataFile.objects.filter(data=self.name).values_list("document", flat=True).first() or ""
        except DatabaseError:
            # outage fallback
            return caches["pages"].get(copy, "")
        caches["pages"].set(copy, text, None)
        return text


@lru_cache(maxsize=16)
def _file_text(path: Path, error: type[DataFileError]) -> str:
    return read_file(path, error)


@lru_cache(maxsize=64)
def _built(file: DataFileKind, build: Callable[[Any, Path], Built], path: Path, text: str | None) -> Built:
    return build(file.checked(path, text), path)


# The schemas as JSON Schema, for an editor's tools (docs/data-files.md): file name -> schema.
def json_schemas() -> dict[str, dict]:
    from .sections import FrontMatter

    found = {f"{file.name}.schema.json": file.schema.model_json_schema(by_alias=True) for file in DATA_FILES.values()}
    found["section-front-matter.schema.json"] = FrontMatter.model_json_schema(by_alias=True)
    return found


def forget() -> None:
    """Forget every data file read so far, as a new process would (a deploy starts new ones)."""
    _built.cache_clear()
    _file_text.cache_clear()


CONTACTS = DataFileKind("contacts", "contacts.yaml", "Contacts and opening hours", ContactsFile, ContactsDataError)
RULES = DataFileKind("rules", "symptoms/rules.yaml", "Symptom checker rules", RulesFile, RulesDataError)
DATA_FILES = {file.name: file for file in (CONTACTS, RULES)}
