"""Issue 25: one data-file service. Each data file (contacts, symptom rules) is a `DataFileKind` with one
loader and one answer to which text is in use; its record is a `datafiles.DataFile` row; and the contacts
app holds nothing about the symptom rules."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from itb_portal import datafiles
from itb_portal.contacts.directory import directory_from, load_directory
from itb_portal.datafiles.contacts import ContactsFile
from itb_portal.datafiles.models import DataFile
from itb_portal.datafiles.rules import RulesFile
from itb_portal.symptoms.rules import load_rules, rule_book_from

CONTACTS_APP = Path(settings.BASE_DIR) / "itb_portal" / "contacts"


def test_the_contacts_app_holds_nothing_about_the_symptom_rules():
    # Its migrations are history (the record of both files lived there until datafiles 0001 moved it).
    found = [
        f"{path.relative_to(CONTACTS_APP)}:{number}: {line.strip()}"
        for path in CONTACTS_APP.rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"rule|RULES", line, re.I)
    ]
    assert found == []


def test_both_data_files_load_through_the_one_loader():
    assert set(datafiles.DATA_FILES) == {"contacts", "rules"}
    assert isinstance(datafiles.CONTACTS.load(lambda data, path: data), ContactsFile)
    assert isinstance(datafiles.RULES.load(lambda data, path: data), RulesFile)
    # The domain apps give only the function that builds their objects: what they load is what it built.
    assert load_directory(datafiles.CONTACTS.path()) is datafiles.CONTACTS.load(directory_from)
    assert load_rules(datafiles.RULES.path()) is datafiles.RULES.load(rule_book_from)


def test_a_broken_data_file_is_refused_by_the_one_loader_naming_the_file(tmp_path):
    broken = tmp_path / "rules.yaml"
    broken.write_text("signs: [", encoding="utf-8")
    for kind in datafiles.DATA_FILES.values():
        with pytest.raises(kind.error, match=re.escape(str(broken))):
            kind.load(lambda data, path: data, broken)


@pytest.mark.django_db
def test_the_text_in_use_is_the_file_until_an_approver_approves_text_in_its_place():
    for kind in datafiles.DATA_FILES.values():
        assert kind.text_in_use() == kind.path().read_text(encoding="utf-8")
    approved = datafiles.CONTACTS.path().read_text(encoding="utf-8").replace("0113 392 2178", "0113 392 9999")
    DataFile.objects.create(data=DataFile.CONTACTS, document=approved)  # a save moves the content version on
    assert datafiles.CONTACTS.text_in_use() == approved
    assert load_directory().line("nurse-specialist").phones[0].number == "0113 392 9999"
    assert datafiles.RULES.text_in_use() == datafiles.RULES.path().read_text(encoding="utf-8")


@pytest.mark.django_db
def test_each_data_file_record_knows_its_kind():
    DataFile.objects.create(data=DataFile.RULES)
    record = DataFile.objects.get(data="rules")
    assert record.kind is datafiles.RULES
    assert str(record) == "Symptom checker rules (content/symptoms/rules.yaml)"


@pytest.mark.django_db(transaction=True)
def test_the_move_to_datafiles_keeps_every_record_with_its_sign_off_and_dates():
    from datetime import date

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("datafiles", None)]  # contacts 0004: the records were contacts.DataReview
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state([("contacts", "0004_sign_off_names_an_approver")]).apps
    old.get_model("contacts", "DataReview").objects.create(
        data="contacts",
        checked_on=date(2026, 11, 2),
        checked_by="ada",
        approver_name="Ada Lovelace",
        numbers_checked_on=date(2026, 11, 3),
        numbers_checked_by="Ada Lovelace",
        reviewed_on=date(2026, 11, 2),
        next_review_due=date(2027, 5, 1),
        document="approved text",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    record = DataFile.objects.get(data=DataFile.CONTACTS)
    assert (record.signed_off_on, record.signed_off_by, record.approver_name) == (
        date(2026, 11, 2),
        "ada",
        "Ada Lovelace",
    )
    assert (record.numbers_confirmed_on, record.numbers_confirmed_by) == (date(2026, 11, 3), "Ada Lovelace")
    assert (record.last_reviewed, record.next_review_due, record.document) == (
        date(2026, 11, 2),
        date(2027, 5, 1),
        "approved text",
    )
