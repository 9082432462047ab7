"""The rules data is checked when it loads: a broken file is named, with its problem, at start-up."""

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from itb_portal.symptoms.checks import symptom_data_is_valid
from itb_portal.symptoms.engine import Context, assess
from itb_portal.symptoms.rules import REQUIRED_SLUGS, RulesDataError, load_rules, rules_path
from tests.conftest import TUESDAY_MORNING

# Issue 4's list of slugs, in alphabetical order, written here apart from the code.
SPEC_SLUGS = """
    arm-weakness blurred-vision breathing-difficulty confusion constipation-diarrhoea dizziness drowsiness
    fast-heart-rate fever goosebumps hallucinations headache increased-stiffness itching leg-weakness lethargy
    low-blood-pressure nausea-vomiting numbness-tingling pump-alarm seizures slurred-speech upper-body-weakness
    urine-difficulty
"""
REAL_RULES = yaml.safe_load(rules_path().read_text(encoding="utf-8"))


def write_rules(tmp_path: Path, change) -> Path:
    data = copy.deepcopy(REAL_RULES)
    change(data)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def broken(tmp_path, change) -> str:
    path = write_rules(tmp_path, change)
    with pytest.raises(RulesDataError) as error:
        load_rules(path)
    assert str(path) in str(error.value)
    return str(error.value)


def test_the_real_rules_load_and_list_every_required_sign():
    rules = load_rules()
    assert set(rules.signs) >= REQUIRED_SLUGS
    assert set(rules.signs) >= set(SPEC_SLUGS.split())
    assert [group.level for group in rules.groups][:2] == ["call-999", "go-to-ae"]  # red flags first


def test_every_rule_cites_the_booklet():
    for rule in load_rules().rules:
        assert rule.source.startswith("Booklet p"), rule.id


def test_every_sign_alone_reaches_the_level_of_its_group_on_the_form():
    rules = load_rules()
    at = TUESDAY_MORNING
    for sign in rules.signs.values():
        group = next(g for g in rules.groups if g.id == sign.group)
        assert assess(frozenset({sign.slug}), Context(), at, rules=rules).level == group.level, sign.slug


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(RulesDataError, match=r"rules\.yaml: file not found"):
        load_rules(tmp_path / "rules.yaml")


def test_invalid_yaml_is_named(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("signs: [unclosed", encoding="utf-8")
    with pytest.raises(RulesDataError, match="not valid YAML"):
        load_rules(path)


def test_a_rule_without_a_booklet_source_is_refused(tmp_path):
    message = broken(tmp_path, lambda d: d["rules"][0].update(source="I think so"))
    assert "must cite the booklet" in message


def test_a_rule_naming_an_unknown_sign_is_refused(tmp_path):
    message = broken(tmp_path, lambda d: d["rules"][0]["any_of"].append("sneezing"))
    assert "rule 'red-flags' names signs 'signs' does not list: sneezing" in message


def test_a_required_sign_cannot_be_dropped(tmp_path):
    message = broken(tmp_path, lambda d: d.update(signs=[s for s in d["signs"] if s["slug"] != "seizures"]))
    assert "seizures" in message


def test_a_sign_listed_twice_is_refused(tmp_path):
    message = broken(tmp_path, lambda d: d["signs"].append(dict(d["signs"][0])))
    assert "listed twice" in message


def test_a_sign_in_an_unknown_category_is_refused(tmp_path):
    message = broken(tmp_path, lambda d: d["signs"][0].update(categories=["mystery"]))
    assert "names categories 'categories' does not list: mystery" in message


def test_a_sign_that_no_rule_escalates_is_refused(tmp_path):
    # Dropping a sign from the catch-all rule must not quietly make it "non-urgent".
    def drop_headache(data):
        for rule in data["rules"]:
            rule["any_of"] = [s for s in rule.get("any_of", []) if s != "headache"]

    message = broken(tmp_path, drop_headache)
    assert "at least 'urgent': headache" in message


def test_levels_must_keep_their_order(tmp_path):
    message = broken(tmp_path, lambda d: d["levels"][0].update(rank=1))
    assert "level ranks must order" in message


def test_an_emergency_level_may_not_vary_by_hour(tmp_path):
    def add_routes(data):
        urgent = next(level for level in data["levels"] if level["id"] == "urgent")
        data["levels"][0]["routes"] = urgent["routes"]

    message = broken(tmp_path, add_routes)
    assert "levels > item 1 (call-999): give either routes, or one action with its lines: not both" in message
    # Without its own action, it is a safety invariant, refused at check, release and in the admin:
    # tests/test_safety_invariants.py.


def test_a_group_heading_must_be_one_action_ending_with_a_colon(tmp_path):
    message = broken(tmp_path, lambda d: d["groups"][0].update(heading="Serious signs"))
    assert "ends with a colon" in message


def test_advice_without_a_line_to_call_is_refused(tmp_path):
    message = broken(tmp_path, lambda d: d["levels"][0].update(lines=[]))
    assert "levels > item 1 (call-999) > lines: must list at least 1" in message


def test_the_start_up_check_reports_broken_rules(tmp_path, settings):
    content = tmp_path / "content"
    shutil.copytree(rules_path().parent.parent, content, ignore=shutil.ignore_patterns("sections"))
    write_rules(content / "symptoms", lambda d: d["rules"][0].update(level="whenever"))
    settings.CONTENT_DIR = content
    errors = symptom_data_is_valid()
    assert len(errors) == 1 and errors[0].id == "symptoms.E001"
    assert "rules > item 1 (red-flags) > level: must be 'call-999'" in errors[0].msg and "rules.yaml" in errors[0].msg


def test_the_start_up_check_reports_a_line_missing_from_the_contacts(tmp_path, settings):
    content = tmp_path / "content"
    shutil.copytree(rules_path().parent.parent, content, ignore=shutil.ignore_patterns("sections"))
    write_rules(content / "symptoms", lambda d: d["levels"][0].update(lines=["emergency-998"]))
    settings.CONTENT_DIR = content
    errors = symptom_data_is_valid()
    assert [e.id for e in errors] == ["symptoms.E002"]
    assert "emergency-998" in errors[0].msg


def test_the_real_data_passes_the_start_up_check():
    assert symptom_data_is_valid() == []


def test_every_combination_that_escalates_is_named_under_a_group_on_the_form():
    rules = load_rules()
    named = {rule.id for group in rules.groups for rule in rules.combinations_above(group)}
    combinations = {rule.id for rule in rules.rules if rule.needs_several}
    assert combinations and combinations <= named


def test_a_group_of_more_signs_than_search_offline_can_keep_is_refused(tmp_path):
    """Search offline holds the card for every choice of a group's signs (docs/clinical-safety.md, H59):
    11 signs would be 2,047 choices on one page."""

    def grow_other_signs(data):
        extra = [f"made-up-sign-{n}" for n in range(11 - len(load_rules().signs_in("other")))]
        data["signs"] += [
            {
                "slug": slug,
                "label": slug,
                "group": "other",
                "categories": ["side-effect"],
                "easy_read": "A made-up sign.",
                "picture": f"sign-{slug}",
            }
            for slug in extra
        ]
        catch_all = next(rule for rule in data["rules"] if rule["id"] == "any-listed-sign")
        catch_all["any_of"] += extra

    message = broken(tmp_path, grow_other_signs)
    assert "group 'other' lists 11 signs: at most 10" in message
