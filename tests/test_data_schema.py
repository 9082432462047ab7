"""The data files and the records beside them, checked against one schema (issue 21, item 8).

Each problem names the file, the field and what is wrong, in plain words; nothing half-loads.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from itb_portal.datafiles.models import DataFile

pytestmark = pytest.mark.django_db


def test_an_approver_cannot_record_a_review_starting_on_a_day_still_to_come(admin_client):
    row = DataFile.objects.create(data=DataFile.CONTACTS)
    url = reverse("admin:datafiles_datafile_change", args=[row.pk])
    response = admin_client.post(url, {"review_started_on": "2099-01-01"})
    assert response.status_code == 200
    assert "1 January 2099, which is in the future" in response.content.decode()
    row.refresh_from_db()
    assert row.review_started_on is None


def test_a_date_for_the_numbers_check_cannot_be_typed_at_all(admin_client):
    # Only the approver's action records it, dated today with their name (H74).
    row = DataFile.objects.create(data=DataFile.CONTACTS)
    url = reverse("admin:datafiles_datafile_change", args=[row.pk])
    admin_client.post(url, {"numbers_confirmed_on": "2099-01-01"})
    admin_client.post(url, {"numbers_confirmed_on": timezone.localdate().isoformat()})
    row.refresh_from_db()
    assert row.numbers_confirmed_on is None


def test_a_review_started_today_is_kept(admin_client):
    row = DataFile.objects.create(data=DataFile.CONTACTS)
    url = reverse("admin:datafiles_datafile_change", args=[row.pk])
    response = admin_client.post(url, {"review_started_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.review_started_on == timezone.localdate()


def test_a_character_the_printed_sheet_cannot_show_is_refused_where_it_is(tmp_path):
    # The emergency sheet's PDF once answered 500 for a name in a script its fonts cannot draw.
    import yaml

    from itb_portal.contacts.directory import ContactsDataError, contacts_path, load_directory

    data = yaml.safe_load(contacts_path().read_text(encoding="utf-8"))
    data["lines"][2]["name"] = "Nyrs Arbenigol \u0174yn"
    path = tmp_path / "contacts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContactsDataError) as refused:
        load_directory(path)
    assert str(refused.value).startswith(f"{path}: lines > item 3 (nurse-specialist) > name: the character")
    assert "U+0174" in str(refused.value)


def test_a_phone_number_in_another_scripts_digits_is_refused(tmp_path):
    import yaml

    from itb_portal.contacts.directory import ContactsDataError, contacts_path, load_directory

    data = yaml.safe_load(contacts_path().read_text(encoding="utf-8"))
    data["lines"][2]["phones"][0]["number"] = "0113 \u0663\u0669\u0662 2178"  # Arabic-Indic digits
    path = tmp_path / "contacts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContactsDataError, match=r"\(nurse-specialist\) > phones > item 1 > number: "):
        load_directory(path)


def test_the_json_schemas_for_editors_tools_are_current():
    # docs/schemas/ is what an editor's YAML tools check a file against as it is typed.
    from django.core.management import call_command

    call_command("data_schemas", check=True)


def contacts_with(change):
    import yaml

    from itb_portal.contacts.directory import contacts_path

    data = yaml.safe_load(contacts_path().read_text(encoding="utf-8"))
    change(data)
    return data


def rules_with(change):
    import yaml

    from itb_portal.symptoms.rules import rules_path

    data = yaml.safe_load(rules_path().read_text(encoding="utf-8"))
    change(data)
    return data


DATA_FILE_CASES = {
    "numbers confirmed in 2099": (
        "contacts",
        lambda d: d["review"].update(numbers_confirmed="2099-01-01"),
        "review: numbers_confirmed is 1 January 2099, which is in the future",
    ),
    "a number as a key": ("contacts", lambda d: d["service"].update({7: "x"}), "service: the key 7 is not a word"),
    "a time YAML read as a number": (
        "contacts",
        lambda d: d["lines"][2]["hours"].update(open=480),
        'lines > item 3 (nurse-specialist) > hours > open: must be a time in quotes, like "08:00", not 480',
    ),
    "a sign's label as a mapping": (
        "rules",
        lambda d: d["signs"][0].update(label={"a": "b"}),
        "signs > item 1 (hard-to-wake) > label: must be text, not a set of 'key: value' lines",
    ),
    "rules reviewed after they are due": (
        "rules",
        lambda d: d["review"].update(last_reviewed="2023-11-01", next_review_due="2023-10-01"),
        "review: next_review_due (2023-10-01) must come after last_reviewed (2023-11-01)",
    ),
    "the urgent level with advice instead of routes": (
        "rules",
        lambda d: next(lv for lv in d["levels"] if lv["id"] == "urgent").update(
            routes=None, action="Call someone. Call 111.", lines=["nhs-111"]
        ),
        "level 'urgent' depends on the hour and on a recent operation: it needs routes",
    ),
}


@pytest.mark.parametrize("case", list(DATA_FILE_CASES), ids=list(DATA_FILE_CASES))
def test_a_data_file_problem_names_the_file_and_the_field(case, tmp_path):
    import yaml

    from itb_portal.contacts.directory import ContactsDataError, load_directory
    from itb_portal.symptoms.rules import RulesDataError, load_rules

    kind, change, problem = DATA_FILE_CASES[case]
    data = (contacts_with if kind == "contacts" else rules_with)(change)
    path = tmp_path / f"{kind}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load, error = (load_directory, ContactsDataError) if kind == "contacts" else (load_rules, RulesDataError)
    with pytest.raises(error) as refused:
        load(path)
    assert str(refused.value).startswith(f"{path}: ")
    assert problem in str(refused.value)


def test_a_section_saved_in_the_admin_keeps_its_review_dates_in_order_and_past():
    from datetime import date

    from django.core.exceptions import ValidationError

    from itb_portal.booklet.models import Section

    def section(last, due):
        return Section(
            title="T", slug="t", summary="s", order=1, body="Words.", last_reviewed=last, next_review_due=due
        )

    with pytest.raises(ValidationError, match="in the future"):
        section(date(2099, 1, 1), date(2100, 1, 1)).full_clean()
    with pytest.raises(ValidationError, match="due after the last review"):
        section(date(2023, 11, 1), date(2023, 10, 1)).full_clean()
    section(date(2023, 11, 1), date(2026, 11, 1)).full_clean()
