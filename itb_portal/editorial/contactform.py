"""The contacts file as one small form per line (its name, each phone's label and number, its hours), written
back into the YAML text in place: only the values changed are rewritten, so comments, order and layout stay
as the file has them, and the diff an approver reads shows just those values."""

from __future__ import annotations

import json
import textwrap

import yaml
from django import forms


def _mapping(node) -> dict:
    return {key.value: value for key, value in node.value} if isinstance(node, yaml.MappingNode) else {}


def _keyed(node) -> dict:
    return {key.value: (key, value) for key, value in node.value} if isinstance(node, yaml.MappingNode) else {}


def _lines(document: str):
    root = yaml.compose(document, Loader=yaml.SafeLoader)
    found = _mapping(root).get("lines")
    return found.value if isinstance(found, yaml.SequenceNode) else []


def lines(document: str) -> list[dict]:
    """Each line as the form shows it: id, kind, name, phones [(label, number)] and hours (its YAML)."""
    shown = []
    for node in _lines(document):
        fields = _mapping(node)
        hours = fields.get("hours")
        phones = fields.get("phones")
        shown.append(
            {
                "id": getattr(fields.get("id"), "value", ""),
                "kind": getattr(fields.get("kind"), "value", ""),
                "name": getattr(fields.get("name"), "value", ""),
                "phones": [
                    (getattr(_mapping(p).get("label"), "value", ""), getattr(_mapping(p).get("number"), "value", ""))
                    for p in (phones.value if isinstance(phones, yaml.SequenceNode) else [])
                ],
                "hours": _source(document, hours) if hours is not None else "",
            }
        )
    return shown


def _source(document: str, node) -> str:
    """A value's own text in the file, as it would read on its own (block values unindented)."""
    text = document[node.start_mark.index : node.end_mark.index].rstrip()
    first, _, rest = text.partition("\n")
    return first + ("\n" + textwrap.dedent(rest).rstrip() if rest else "")


def apply(document: str, edits: dict[str, dict]) -> str:
    """`document` with each line's edited values written in place. `edits` maps a line id to its name,
    phones [(label, number)] and hours (YAML text), as the form gives them."""
    replacements = []  # (start, end, text)
    for node in _lines(document):
        keyed = _keyed(node)
        line_id = getattr(keyed.get("id", (None, None))[1], "value", "")
        edit = edits.get(line_id)
        if not edit:
            continue
        if "name" in keyed and edit["name"] != keyed["name"][1].value:
            value = keyed["name"][1]
            replacements.append(
                (value.start_mark.index, value.end_mark.index, json.dumps(edit["name"], ensure_ascii=False))
            )
        phones = keyed.get("phones", (None, None))[1]
        for phone, (label, number) in zip(getattr(phones, "value", []), edit["phones"], strict=False):
            for name, wanted in (("label", label), ("number", number)):
                value = _mapping(phone).get(name)
                if value is not None and wanted != value.value:
                    replacements.append(
                        (value.start_mark.index, value.end_mark.index, json.dumps(wanted, ensure_ascii=False))
                    )
        if "hours" in keyed:
            key, value = keyed["hours"]
            if edit["hours"].strip() != _source(document, value).strip():
                end = value.start_mark.index + len(document[value.start_mark.index : value.end_mark.index].rstrip())
                replacements.append((key.end_mark.index, end, _hours_text(edit["hours"], key.start_mark.column + 2)))
    for start, end, text in sorted(replacements, reverse=True):
        document = document[:start] + text + document[end:]
    return document


def _hours_text(hours: str, indent: int) -> str:
    """What follows "hours" in the file: `: always`, or a colon and the block, indented under its key."""
    hours = textwrap.dedent(hours.replace("\r\n", "\n")).strip()
    if "\n" not in hours and not _is_block(hours):
        return ": " + hours
    return ":\n" + textwrap.indent(hours, " " * indent)


def _is_block(text: str) -> bool:
    try:
        return isinstance(yaml.safe_load(text), dict)
    except yaml.YAMLError:
        return False


class LineForm(forms.Form):
    """One phone line: its name, each phone's label and number, and its opening hours."""

    name = forms.CharField(label="Name", max_length=200)
    hours = forms.CharField(
        label="Opening hours",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 50, "spellcheck": "false"}),
        help_text="“always”, “not-listed”, or days with open and close times, as shown.",
    )

    def __init__(self, *args, line: dict, **kwargs):
        super().__init__(*args, prefix=line["id"], initial={"name": line["name"], "hours": line["hours"]}, **kwargs)
        self.line = line
        for index, (label, number) in enumerate(line["phones"]):
            self.fields[f"phone_{index}_label"] = forms.CharField(
                label=f"Phone {index + 1}: label", initial=label, max_length=60
            )
            self.fields[f"phone_{index}_number"] = forms.CharField(
                label=f"Phone {index + 1}: number", initial=number, max_length=30
            )

    def phone_fields(self):
        return [(self[f"phone_{i}_label"], self[f"phone_{i}_number"]) for i in range(len(self.line["phones"]))]

    def edit(self) -> dict:
        data = self.cleaned_data
        phones = [(data[f"phone_{i}_label"], data[f"phone_{i}_number"]) for i in range(len(self.line["phones"]))]
        return {"name": data["name"], "phones": phones, "hours": data["hours"]}
