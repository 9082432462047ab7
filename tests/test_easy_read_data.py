"""Easy Read wording and pictures in the rules (issue 26): every sign and level has them, the loader
refuses one without them (naming the file and the field), and every picture named exists."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from itb_portal.symptoms.rules import RulesDataError, load_rules, rules_path

PICTURES = Path(settings.BASE_DIR) / "static" / "img" / "easy-read"


def rules_without(field: str, *, sign: str | None = None, level: str | None = None) -> dict:
    data = yaml.safe_load(rules_path().read_text(encoding="utf-8"))
    if sign:
        next(item for item in data["signs"] if item["slug"] == sign).pop(field)
    if level:
        next(item for item in data["levels"] if item["id"] == level).pop(field)
    return data


def written(tmp_path, data) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("field", ["easy_read", "picture"])
def test_the_loader_refuses_a_sign_without_easy_read_wording_or_a_picture(field, tmp_path):
    path = written(tmp_path, rules_without(field, sign="pump-alarm"))
    with pytest.raises(RulesDataError) as refused:
        load_rules(path)
    assert str(refused.value).startswith(f"{path}: ")
    assert f"(pump-alarm) > {field}: is missing" in str(refused.value)


@pytest.mark.parametrize("field", ["easy_read", "picture"])
def test_the_loader_refuses_a_level_without_easy_read_wording_or_a_picture(field, tmp_path):
    path = written(tmp_path, rules_without(field, level="go-to-ae"))
    with pytest.raises(RulesDataError, match=rf"\(go-to-ae\) > {field}: is missing"):
        load_rules(path)


def test_the_loader_refuses_easy_read_wording_of_more_than_15_words(tmp_path):
    data = yaml.safe_load(rules_path().read_text(encoding="utf-8"))
    data["signs"][0]["easy_read"] = " ".join(["word"] * 16) + "."
    with pytest.raises(RulesDataError, match=r"\(hard-to-wake\) > easy_read: Easy Read wording has at most 15 words"):
        load_rules(written(tmp_path, data))


def test_every_sign_and_level_has_easy_read_wording_and_a_picture():
    rules = load_rules()
    for sign in rules.signs.values():
        assert sign.easy_read and sign.picture == f"sign-{sign.slug}", sign.slug
    for level in rules.levels.values():
        assert level.easy_read and level.picture == f"level-{level.id}", level.id


def test_every_picture_the_rules_name_exists():
    rules = load_rules()
    named = {sign.picture for sign in rules.signs.values()} | {level.picture for level in rules.levels.values()}
    missing = sorted(name for name in named if not (PICTURES / f"{name}.svg").is_file())
    assert missing == []
