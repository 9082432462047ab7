"""The schema of content/symptoms/rules.yaml (filled in once the clinical branch's rules are merged)."""

from __future__ import annotations

from .schema import Schema


class RulesFile(Schema):
    model_config = {"extra": "allow"}
