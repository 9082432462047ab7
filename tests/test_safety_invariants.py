"""The safety invariants hold wherever data can reach a patient (issue 21, items 2 and 6).

Each broken edit below once passed `check`, `release` and a two-person approval in the admin, and
then told someone having a fit to call the nurse specialist, or called 999 "closed now". Each is now
refused, naming the file and the promise it breaks, by the one check in symptoms/safety.py: at
`manage.py check`, at `release`, in an admin's data draft, and by /health/.
"""

import copy
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from itb_portal.contacts.directory import contacts_path
from itb_portal.editorial import datadrafts, workflow
from itb_portal.symptoms.rules import rules_path
from itb_portal.symptoms.safety import INVARIANTS
from tests.test_symptom_data_checks import REAL_CONTACTS, REAL_RULES, broken_content, level, line

pytestmark = pytest.mark.django_db


def seizures_told_to_call_the_nurse(data):
    # Issue 21 item 2: the 999 level given the urgent card and the urgent level's routes.
    urgent = level(data, "urgent")
    emergency = level(data, "call-999")
    for key in ("action", "lines"):
        emergency.pop(key)
    emergency.update(card="urgent", routes=copy.deepcopy(urgent["routes"]))


def a_and_e_as_a_calm_card_calling_the_team(data):
    level(data, "go-to-ae").update(card="non-urgent", lines=["nurse-specialist"])


def the_999_card_also_offering_the_team(data):
    level(data, "call-999")["lines"] = ["emergency-999", "nurse-specialist"]


def the_999_line_open_one_hour_a_week(data):
    line(data, "emergency-999")["hours"] = {"days": ["Monday"], "open": "09:00", "close": "10:00"}


def the_111_line_open_office_hours(data):
    line(data, "nhs-111")["hours"] = {"days": ["Monday", "Friday"], "open": "08:00", "close": "18:00"}


def the_999_action_without_999(data):
    level(data, "call-999")["action"] = "Call for an ambulance now. Do not drive to hospital yourself."


def the_111_route_without_111(data):
    level(data, "urgent")["routes"]["team-closed"]["action"] = "The ITB team is closed now. Call for urgent advice."


BROKEN = {
    "seizures told to call the nurse": ("rules", seizures_told_to_call_the_nurse, "its card must be 'emergency'"),
    "A&E as a calm card calling the team": (
        "rules",
        a_and_e_as_a_calm_card_calling_the_team,
        "its lines must be the 999 line (emergency-999) and no other, not nurse-specialist",
    ),
    "the 999 card also offering the team": (
        "rules",
        the_999_card_also_offering_the_team,
        "level 'call-999' is an emergency: its lines must be the 999 line",
    ),
    "999 open one hour a week": (
        "contacts",
        the_999_line_open_one_hour_a_week,
        "line 'emergency-999' is the 999 line, so its hours must be 'always', not 'Monday, 9am to 10am",
    ),
    "111 open office hours": ("contacts", the_111_line_open_office_hours, "is the 111 line, so its hours must be"),
    "the 999 action without 999": (
        "rules",
        the_999_action_without_999,
        "offers the 999 line, so its action must say 999",
    ),
    "the out-of-hours route without 111": (
        "rules",
        the_111_route_without_111,
        "level 'urgent' route 'team-closed' offers the 111 line, so its action must say 111",
    ),
}
CASES = pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))


def changed_text(kind: str, change) -> str:
    data = copy.deepcopy(REAL_RULES if kind == "rules" else REAL_CONTACTS)
    change(data)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_every_invariant_is_broken_by_some_case_here():
    # Each invariant, alone, refuses at least one of these edits: none is a check that never fires.
    from itb_portal.contacts.directory import parse_directory_text
    from itb_portal.symptoms.rules import parse_rules_text

    caught = set()
    for kind, change, _ in BROKEN.values():
        text = changed_text(kind, change)
        rules = (
            parse_rules_text(text, rules_path())
            if kind == "rules"
            else parse_rules_text(rules_path().read_text(encoding="utf-8"), rules_path())
        )
        directory = parse_directory_text(text if kind == "contacts" else contacts_path().read_text(), contacts_path())
        caught |= {invariant.__name__ for invariant in INVARIANTS if invariant(rules, directory)}
    assert caught == {invariant.__name__ for invariant in INVARIANTS}


@CASES
def test_check_refuses_it(case, tmp_path, settings):
    kind, change, named = BROKEN[case]
    settings.CONTENT_DIR = broken_content(tmp_path, **{kind: change})
    with pytest.raises(SystemCheckError) as refused:
        call_command("check", stdout=StringIO(), stderr=StringIO())
    assert named in str(refused.value)


@CASES
def test_release_refuses_it(case, tmp_path, settings):
    from itb_portal.pagecache.models import ContentVersion

    kind, change, named = BROKEN[case]
    settings.CONTENT_DIR = broken_content(tmp_path, **{kind: change})
    version = ContentVersion.current()
    with pytest.raises(SystemCheckError) as refused:
        call_command("release", verbosity=0, stdout=StringIO(), stderr=StringIO())
    assert named in str(refused.value)
    assert ContentVersion.current() == version


@CASES
def test_an_admin_data_draft_refuses_it(case, editor):
    kind, change, named = BROKEN[case]
    url = reverse("admin:editorial_draft_data", args=[kind])
    response = editor.post(
        url, {"document": changed_text(kind, change), "draft_version": workflow.draft_version_of(kind)}
    )
    assert response.status_code == 200
    assert workflow.open_data_draft(kind) is None
    # Editors read the same problem in plain words: the file by its admin name, levels and lines by theirs.
    assert datadrafts.plain([named])[0] in " ".join(response.context["form"].non_field_errors())


@CASES
def test_health_reports_it(case, tmp_path, settings, client):
    kind, change, _ = BROKEN[case]
    settings.CONTENT_DIR = broken_content(tmp_path, **{kind: change})
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["data"] == "invalid"


def test_the_real_data_keeps_every_invariant(client):
    from itb_portal.symptoms.checks import data_problems

    assert data_problems() == []
    assert client.get("/health/").status_code == 200
