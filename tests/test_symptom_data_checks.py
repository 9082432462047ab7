"""Data that cannot lie quietly (issue 13, item 2).

The code that loads the rules and the contacts, not only these tests, proves that the form,
the emergency sheet and the results agree, that each line's number fits its kind, and that
every line the rules name exists. Each broken edit below once passed `release` and `check`,
and reached patients as wrong advice or a 500; now it is refused with the file and the
problem named, `release` and gunicorn refuse to start, and `/health/` answers 503.
"""

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from itb_portal.contacts.directory import ContactsDataError, contacts_path, load_directory
from itb_portal.symptoms.checks import data_problems, require_sound_data, symptom_data_is_valid
from itb_portal.symptoms.rules import RulesDataError, load_rules, rules_path

ROOT = Path(__file__).resolve().parent.parent
REAL_RULES = yaml.safe_load(rules_path().read_text(encoding="utf-8"))
REAL_CONTACTS = yaml.safe_load(contacts_path().read_text(encoding="utf-8"))


def assert_refused(path: Path, real: dict, change, load, error_type, problem: str) -> None:
    """`real` changed by `change` and written to `path` is refused on loading, naming the file and the problem."""
    data = copy.deepcopy(real)
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(error_type) as error:
        load(path)
    assert str(path) in str(error.value)
    assert problem in str(error.value)


def rule(data: dict, rule_id: str) -> dict:
    return next(item for item in data["rules"] if item["id"] == rule_id)


def group(data: dict, group_id: str) -> dict:
    return next(item for item in data["groups"] if item["id"] == group_id)


def line(data: dict, line_id: str) -> dict:
    return next(item for item in data["lines"] if item["id"] == line_id)


def level(data: dict, level_id: str) -> dict:
    return next(item for item in data["levels"] if item["id"] == level_id)


def without_breathing_in_red_flags(data):
    rule(data, "red-flags")["any_of"].remove("breathing-difficulty")


def red_flags_rule_set_to_urgent(data):
    rule(data, "red-flags")["level"] = "urgent"


def red_flags_group_set_to_urgent(data):
    group(data, "red-flags")["level"] = "urgent"


def red_flags_group_renamed_to_urgent(data):
    group(data, "red-flags").update(level="urgent", heading="Get urgent advice if you have:")


def red_flags_not_first(data):
    data["groups"].append(data["groups"].pop(0))


def hard_to_wake_moved_to_a_and_e(data):
    next(sign for sign in data["signs"] if sign["slug"] == "hard-to-wake")["group"] = "overdose"


def overdose_group_under_the_999_heading(data):
    group(data, "overdose")["heading"] = "Call 999 now if you have:"


def at_least_of_one(data):
    rule(data, "several-overdose-signs")["at_least"] = 1


def at_least_of_unknown_category(data):
    rule(data, "several-overdose-signs")["of_categories"] = ["sneezing"]


def a_rule_with_an_unknown_reason(data):
    rule(data, "overdose")["reason"] = "bad-luck"


def a_summary_that_is_not_part_of_a_sentence(data):
    rule(data, "overdose")["summary"] = "Feeling very sleepy"


def a_reason_watching_an_unknown_category(data):
    data["reasons"]["pump-stopped"]["watch_for"] = "sneezing"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            without_breathing_in_red_flags,
            "sign 'breathing-difficulty' is listed under 'Call 999 now for any of these:'",
        ),
        (red_flags_rule_set_to_urgent, "but on its own the rules give 'urgent'"),
        (red_flags_group_set_to_urgent, "so its heading must start with 'Get urgent advice'"),
        (red_flags_group_renamed_to_urgent, "but on its own the rules give 'call-999'"),
        (red_flags_not_first, "the first group must be 'red-flags' at level 'call-999'"),
        (hard_to_wake_moved_to_a_and_e, "sign 'hard-to-wake' is listed under 'Go to A&E now if you have:'"),
        (overdose_group_under_the_999_heading, "so its heading must start with 'Go to A&E now'"),
        (at_least_of_one, "(several-overdose-signs) > at_least: must be 2 or more, not 1"),
        (at_least_of_unknown_category, "of_categories must name categories of listed signs"),
        (a_rule_with_an_unknown_reason, "rule 'overdose' gives the reason 'bad-luck', which 'reasons' does not list"),
        (a_summary_that_is_not_part_of_a_sentence, 'a summary finishes the sentence "You have ..."'),
        (a_reason_watching_an_unknown_category, "reason 'pump-stopped': watch_for must name a category"),
    ],
)
def test_rules_whose_form_and_results_would_disagree_are_refused(tmp_path, change, problem):
    assert_refused(tmp_path / "rules.yaml", REAL_RULES, change, load_rules, RulesDataError, problem)


def a_111_number_on_the_999_line(data):
    line(data, "emergency-999")["phones"][0]["number"] = "111"


def a_ward_on_999(data):
    line(data, "ward-l24")["phones"][0]["number"] = "999"


def a_short_ward_number(data):
    line(data, "ward-l24")["phones"][0]["number"] = "0113 392 742"


def a_line_without_a_kind(data):
    line(data, "ward-l24").pop("kind")


def a_line_of_unknown_kind(data):
    line(data, "ward-l24")["kind"] = "pager"


def two_emergency_lines(data):
    line(data, "nhs-111").update(kind="emergency", phones=[{"label": "Call", "number": "999"}])


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (a_111_number_on_the_999_line, "this is the emergency line, so its number must be 999, not '111'"),
        (a_ward_on_999, "'999' is not a full UK phone number (a ward line needs one)"),
        (a_short_ward_number, "is not a full UK phone number"),
        (a_line_without_a_kind, "lines > item 4 (ward-l24) > kind: is missing"),
        (a_line_of_unknown_kind, "kind: must be 'emergency', 'nhs-111', 'team', 'ward' or 'office', not 'pager'"),
        (two_emergency_lines, "exactly one line of kind 'emergency'"),
    ],
)
def test_each_contact_line_has_a_kind_and_a_number_that_fits_it(tmp_path, change, problem):
    assert_refused(tmp_path / "contacts.yaml", REAL_CONTACTS, change, load_directory, ContactsDataError, problem)


# --- The two files checked against each other, and what stops when they fail ---------------


def broken_content(tmp_path: Path, *, rules=None, contacts=None) -> Path:
    """A copy of content/ (sections included, for `release`) with the rules or contacts changed."""
    content = tmp_path / "content"
    shutil.copytree(rules_path().parent.parent, content)
    for data, change, path in (
        (REAL_RULES, rules, content / "symptoms" / "rules.yaml"),
        (REAL_CONTACTS, contacts, content / "contacts.yaml"),
    ):
        if change:
            changed = copy.deepcopy(data)
            change(changed)
            path.write_text(yaml.safe_dump(changed, sort_keys=False), encoding="utf-8")
    return content


def ward_l24_removed(data):
    # Gone from the service's list of wards too, so contacts.yaml is sound on its own and the check
    # across the two files must catch the rules still naming it.
    data["lines"] = [item for item in data["lines"] if item["id"] != "ward-l24"]
    data["service"]["wards"] = [ward for ward in data["service"]["wards"] if ward != "ward-l24"]


def nurse_line_offered_at_night(data):
    level(data, "urgent")["routes"]["team-closed"]["lines"] = ["nurse-specialist", "nhs-111"]


def wards_route_offers_the_team(data):
    level(data, "urgent")["routes"]["recent-operation"]["lines"] = ["nurse-specialist"]


def the_999_card_offers_only_111(data):
    level(data, "call-999")["lines"] = ["nhs-111"]


def a_and_e_without_an_address(data):
    del data["service"]["emergency_department"]["address"]


BROKEN = {
    "breathing-difficulty removed from the red flags": ({"rules": without_breathing_in_red_flags}, "rules.yaml"),
    "the red-flags rule set to urgent": ({"rules": red_flags_rule_set_to_urgent}, "rules.yaml"),
    "111 on the 999 line": ({"contacts": a_111_number_on_the_999_line}, "contacts.yaml"),
    "ward-l24 removed": ({"contacts": ward_l24_removed}, "does not list: ward-l24"),
    "the nurse line offered out of hours": ({"rules": nurse_line_offered_at_night}, "not nurse-specialist"),
    "the wards route calling the team": ({"rules": wards_route_offers_the_team}, "may only offer ward lines"),
    "a 999 card without the 999 line": (
        {"rules": the_999_card_offers_only_111},
        "its lines must be the 999 line (emergency-999) and no other, not nhs-111",
    ),
    "the A&E without an address": (
        {"contacts": a_and_e_without_an_address},
        "emergency_department > address: is missing",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_data_fails_the_start_up_check_and_health(case, tmp_path, settings, client):
    changes, named = BROKEN[case]
    settings.CONTENT_DIR = broken_content(tmp_path, **changes)
    problems = data_problems()
    assert problems and any(named in problem for problem in problems), problems
    errors = symptom_data_is_valid()
    assert errors and all(error.id.startswith("symptoms.E") for error in errors)
    with pytest.raises(Exception, match="The symptom data cannot be used"):
        require_sound_data()
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "data": "invalid", "database": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["ward-l24 removed", "111 on the 999 line", "the red-flags rule set to urgent"])
def test_release_refuses_broken_data_before_touching_the_database(case, tmp_path, settings):
    changes, _ = BROKEN[case]
    settings.CONTENT_DIR = broken_content(tmp_path, **changes)
    with pytest.raises(SystemCheckError, match=r"symptoms\.E00"):
        call_command("release", verbosity=0)


def test_gunicorn_refuses_to_load_the_app_with_broken_data(tmp_path):
    # gunicorn imports itb_portal.wsgi (in its master, with preload_app): the import must fail.
    content = broken_content(tmp_path, contacts=ward_l24_removed)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ITB_CONTENT_DIR": str(content),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import itb_portal.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "ward-l24" in result.stderr and "The symptom data cannot be used" in result.stderr


def test_the_app_leaves_no_database_connection_open_for_gunicorns_workers_to_share(tmp_path):
    # gunicorn's master imports itb_portal.wsgi, then forks: a connection it left open would be one
    # socket shared by every worker, and their answers would cross.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    check = (
        "import itb_portal.wsgi; from django.db import connections; "
        "print('open', [c.alias for c in connections.all() if c.connection is not None])"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "open []" in result.stdout


def test_the_real_data_is_sound(client, db):
    assert data_problems() == []
    require_sound_data()
    assert client.get("/health/").json() == {"status": "ok", "data": "ok", "database": "ok"}
