"""The interface's messages: extracted from the public Jinja templates and the Python code, and written as
gettext catalogs (.pot, .po, .mo) in pure Python, so a machine without GNU gettext can do it too.

Used by `manage.py interface_messages` (`make messages`) and by the pseudo-locale tests. Jinja's own
parser finds `_()`, `gettext()`, `ngettext()` and `{% trans %}` in templates, exactly as they render;
Python's `ast` finds calls to gettext, gettext_lazy, ngettext, pgettext and `_` with literal text.
"""

from __future__ import annotations

import ast
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

# Calls whose literal arguments are interface messages, and which arguments those are.
PYTHON_CALLS = {
    "_": ("message",),
    "gettext": ("message",),
    "gettext_lazy": ("message",),
    "gettext_noop": ("message",),
    "ngettext": ("singular", "plural"),
    "ngettext_lazy": ("singular", "plural"),
    "pgettext": ("context", "message"),
    "pgettext_lazy": ("context", "message"),
}
HEADER = (
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\n"
)


@dataclass(frozen=True, order=True)
class Message:
    message: str
    plural: str = ""
    context: str = ""

    @property
    def key(self) -> str:  # as a .mo file indexes it
        key = f"{self.message}\0{self.plural}" if self.plural else self.message
        return f"{self.context}\x04{key}" if self.context else key


def template_messages(env: Environment, folder: Path) -> dict[Message, list[str]]:
    """Every message in the Jinja templates under `folder`, with where it is (file:line)."""
    found: dict[Message, list[str]] = {}
    for path in sorted(folder.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for line, function, strings in env.extract_translations(source):
            strings = strings if isinstance(strings, tuple) else (strings,)
            texts = [text for text in strings if isinstance(text, str)]
            if not texts:
                continue
            if function in ("pgettext", "npgettext"):
                message = Message(texts[1], texts[2] if len(texts) > 2 else "", texts[0])
            else:
                message = Message(texts[0], texts[1] if len(texts) > 1 else "")
            found.setdefault(message, []).append(f"{path.relative_to(folder.parent)}:{line}")
    return found


def python_messages(folder: Path, root: Path) -> dict[Message, list[str]]:
    """Every message in the Python code under `folder` (migrations left out), with where it is."""
    found: dict[Message, list[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in PYTHON_CALLS:
                continue
            texts = [arg.value for arg in node.args[: len(PYTHON_CALLS[name])] if isinstance(arg, ast.Constant)]
            if len(texts) != len(PYTHON_CALLS[name]) or not all(isinstance(text, str) for text in texts):
                continue
            fields = dict(zip(PYTHON_CALLS[name], texts, strict=True))
            message = Message(
                fields.get("message") or fields["singular"], fields.get("plural", ""), fields.get("context", "")
            )
            found.setdefault(message, []).append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def all_messages(env: Environment, base_dir: Path) -> dict[Message, list[str]]:
    found = template_messages(env, base_dir / "templates")
    for message, places in python_messages(base_dir / "itb_portal", base_dir).items():
        found.setdefault(message, []).extend(places)
    return dict(sorted(found.items()))


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{escaped}"'


def po_text(messages: dict[Message, list[str]], translate: Callable[[str], str] | None = None) -> str:
    """A .po file (or, with no `translate`, a .pot template with empty translations)."""
    lines = ['msgid ""', f"msgstr {_quoted(HEADER)}", ""]
    for message, places in messages.items():
        lines += [f"#: {place}" for place in places]
        if message.context:
            lines.append(f"msgctxt {_quoted(message.context)}")
        lines.append(f"msgid {_quoted(message.message)}")
        if message.plural:
            lines.append(f"msgid_plural {_quoted(message.plural)}")
            lines.append(f"msgstr[0] {_quoted(translate(message.message) if translate else '')}")
            lines.append(f"msgstr[1] {_quoted(translate(message.plural) if translate else '')}")
        else:
            lines.append(f"msgstr {_quoted(translate(message.message) if translate else '')}")
        lines.append("")
    return "\n".join(lines)


def mo_bytes(translations: Iterable[tuple[Message, list[str]]], header: str = HEADER) -> bytes:
    """A compiled catalog (GNU .mo, little-endian), as Python's gettext and Django read it."""
    entries = {"": header}
    for message, texts in translations:
        entries[message.key] = "\0".join(texts)
    keys = sorted(entries)
    ids = [key.encode() for key in keys]
    strs = [entries[key].encode() for key in keys]
    start = 7 * 4 + 16 * len(keys)
    id_table, str_table, id_data, str_data = [], [], b"", b""
    for encoded in ids:
        id_table.append((len(encoded), start + len(id_data)))
        id_data += encoded + b"\0"
    strs_start = start + len(id_data)
    for encoded in strs:
        str_table.append((len(encoded), strs_start + len(str_data)))
        str_data += encoded + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    tables = b"".join(struct.pack("<2I", *entry) for entry in id_table + str_table)
    return header + tables + id_data + str_data


def _unquoted(text: str) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text[0] == text[-1] == '"'):
        raise ValueError(f"expected a quoted string, not {text[:40]!r}")
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text[1:-1])


def read_po(text: str) -> tuple[str, list[tuple[Message, list[str]]]]:
    """A .po file's header and its translated entries. Fuzzy entries, and entries with any empty
    translation, are left out: they fall back to English, as an unreviewed message must."""
    header, entries = HEADER, []
    for block in re.split(r"\n\s*\n", text.strip()):
        fields: dict[str, str] = {}
        current = None
        fuzzy = False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#"):
                fuzzy = fuzzy or (line.startswith("#,") and "fuzzy" in line)
                continue
            if line.startswith('"') and current:
                fields[current] += _unquoted(line)
                continue
            keyword, _, rest = line.partition(" ")
            current = keyword
            fields[current] = _unquoted(rest)
        if "msgid" not in fields:
            continue
        if fields["msgid"] == "":
            header = fields.get("msgstr", HEADER)
            continue
        plural = fields.get("msgid_plural", "")
        texts = sorted((k, v) for k, v in fields.items() if k.startswith("msgstr["))
        texts = [v for _, v in texts] if plural else [fields.get("msgstr", "")]
        if fuzzy or not all(texts):
            continue
        entries.append((Message(fields["msgid"], plural, fields.get("msgctxt", "")), texts))
    return header, entries


def compile_po(po: Path) -> Path:
    """`po` compiled to the django.mo beside it, in pure Python (no GNU gettext needed)."""
    header, entries = read_po(po.read_text(encoding="utf-8"))
    mo = po.with_suffix(".mo")
    mo.write_bytes(mo_bytes(entries, header))
    return mo


def write_catalog(folder: Path, language: str, messages: dict[Message, list[str]], translate: Callable[[str], str]):
    """locale/<locale>/LC_MESSAGES/django.po and .mo under `folder`, each message made by `translate`."""
    from django.utils.translation import to_locale

    target = folder / to_locale(language) / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    (target / "django.po").write_text(po_text(messages, translate), encoding="utf-8")
    compiled = [
        (
            message,
            [translate(message.message), translate(message.plural)] if message.plural else [translate(message.message)],
        )
        for message in messages
    ]
    (target / "django.mo").write_bytes(mo_bytes(compiled))
    return target
