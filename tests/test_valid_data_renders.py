"""Data that passes every check never makes a page fail (issue 21, item 7).

Hypothesis writes valid variants of content/contacts.yaml and content/symptoms/rules.yaml: other
names, wording in any script, other phone numbers and opening hours, other lines on each route,
other triggers and review dates. Each variant passes `check` (the schema and the safety
invariants); then the home page, the checker, a result at some moment, the emergency sheet and
its PDF, the contacts page, the feedback page and a search all answer without a server error.
Once, `/feedback/tell-us-more/` answered 500 for data that `release` had accepted.
"""

import copy
import itertools
import shutil
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itb_portal.contacts.directory import WEEKDAYS, contacts_path
from itb_portal.pagecache.pages import forget
from itb_portal.symptoms.checks import data_problems
from tests.conftest import LONDON
from tests.test_symptom_data_checks import REAL_CONTACTS, REAL_RULES

FIRST_CONTENT = contacts_path().parent
# Up to the day the booklet's content was reviewed: a review is never recorded in the future.
LATEST_REVIEW = date(2023, 11, 1)
folders = itertools.count()

# Words as an editor might type them: any letter the printed sheet can show (Western European, and
# typographic quotes and dashes), punctuation, and markup that must stay text.
letters = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_categories=("Cc",))
words = st.text(
    alphabet=st.one_of(letters, st.sampled_from("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022")),
    min_size=1,
    max_size=60,
).filter(lambda text: text.strip())
markup = st.sampled_from(["<script>alert(1)</script>", "A & E", '"quoted"', "{{ 7*7 }}", "**bold**", "[[signs x]]"])
text = st.one_of(words, markup, st.just("Ward L24 (neurosurgery)"))
uk_number = st.from_regex(r"\A0[1-9][0-9]{2} [0-9]{3} [0-9]{4}\Z")


@st.composite
def opening_hours(draw):
    days = draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1))
    opens = draw(st.integers(0, 22))
    closes = draw(st.integers(opens + 1, 23))
    return {
        "days": [day for day in WEEKDAYS if day in days],
        "open": f"{opens:02d}:{draw(st.sampled_from([0, 30])):02d}",
        "close": f"{closes:02d}:00",
        "closed_on_bank_holidays": draw(st.booleans()),
    }


@st.composite
def review_dates(draw, numbers=False):
    last = draw(st.dates(date(2015, 1, 1), LATEST_REVIEW))
    found = {"last_reviewed": last, "next_review_due": last + timedelta(days=draw(st.integers(1, 3000)))}
    if numbers:
        found["numbers_confirmed"] = draw(st.dates(date(2015, 1, 1), LATEST_REVIEW))
    return found


@st.composite
def contacts_variant(draw):
    data = copy.deepcopy(REAL_CONTACTS)
    for key in ("team", "name", "trust", "hospital", "address", "copyright", "booklet"):
        data["service"][key] = draw(text)
    department = data["service"]["emergency_department"]
    department.update(name=draw(text), address=draw(text))
    if draw(st.booleans()):
        department.pop("map_query")
    data["scope"] = draw(st.lists(text, min_size=1, max_size=3))
    data["out_of_hours"] = draw(st.lists(text, max_size=4))
    data["review"] = draw(review_dates(numbers=True))
    data["email"]["warning"] = draw(text)
    for item in data["lines"]:
        item["name"], item["role"] = draw(text), draw(text)
        if item["kind"] in ("team", "ward", "office"):
            labels = st.one_of(st.sampled_from(["Call", "Telephone", "Mobile"]), text)
            item["phones"] = draw(
                st.lists(st.fixed_dictionaries({"label": labels, "number": uk_number}), min_size=1, max_size=3)
            )
        if item["kind"] == "team":
            item["hours"] = draw(opening_hours())
        elif item["kind"] == "ward":
            item["hours"] = draw(st.one_of(st.just("always"), opening_hours()))
        elif item["kind"] == "office":
            item["hours"] = draw(st.one_of(st.just("not-listed"), opening_hours()))
    return data


def action(draw, lines: list[str]) -> str:
    """Any words, then the national numbers the advice offers (the invariant: its action names them)."""
    said = draw(text)
    if "emergency-999" in lines:
        said += " Call 999."
    if "nhs-111" in lines:
        said += " Call 111."
    return said


@st.composite
def rules_variant(draw):
    data = copy.deepcopy(REAL_RULES)
    data["review"] = draw(review_dates())
    for category in data["categories"].values():
        category["label"] = draw(text)
    for sign in data["signs"]:
        sign["label"] = draw(text)
        if draw(st.booleans()):
            sign["example"] = draw(text)
    for rule in data["rules"]:
        rule["summary"] = "a sign such as " + draw(text)  # finishes "You have ..."
    for reason in data.get("reasons", {}).values():
        reason["for"], reason["says"] = draw(text), draw(text)
    for item in data["levels"]:
        old_heading, item["heading"] = item["heading"], draw(text).replace(":", "")
        for group in data["groups"]:
            if group["level"] == item["id"]:
                group["heading"] = item["heading"] + group["heading"][len(old_heading) :]
                group["hint"] = draw(text)
        if "routes" in item:
            wards = ["ward-l24", "ward-l25"]
            choices = {
                "recent-operation": st.lists(st.sampled_from(wards), min_size=1, max_size=2, unique=True),
                "team-open": st.lists(
                    st.sampled_from(["nurse-specialist", "nhs-111"]), min_size=1, max_size=2, unique=True
                ),
                "team-closed": st.just(["nhs-111"]),
            }
            for route, advice in item["routes"].items():
                advice["lines"] = draw(choices[route])
                advice["heading"], advice["action"] = draw(text), action(draw, advice["lines"])
        else:
            item["action"] = action(draw, item["lines"])
    data["triggers"] = draw(st.lists(st.fixed_dictionaries({"name": text, "detail": text}), min_size=1, max_size=8))
    data["trigger_signs"] = draw(st.lists(st.sampled_from([s["slug"] for s in data["signs"]]), max_size=3, unique=True))
    data["when_you_call"] = draw(st.lists(text, min_size=1, max_size=4))
    data["if_worse"] = {key: draw(text) for key in data["if_worse"]}
    return data


def written(tmp_path, contacts: dict, rules: dict):
    content = tmp_path / f"variant-{next(folders)}"
    shutil.copytree(FIRST_CONTENT, content, ignore=shutil.ignore_patterns("sections"))
    (content / "contacts.yaml").write_text(yaml.safe_dump(contacts, allow_unicode=True, sort_keys=False))
    (content / "symptoms" / "rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False))
    return content


def pages(signs: list[str], recent: bool, query: str) -> list[str]:
    checked = "&".join(f"sign={slug}" for slug in sorted(signs)) + ("&recent_operation=yes" if recent else "")
    return [
        "/",
        "/contacts/",
        "/symptoms/",
        f"/symptoms/result/?{checked}",
        "/symptoms/emergency-sheet/",
        "/symptoms/emergency-sheet.pdf",
        "/feedback/tell-us-more/",
        "/search/?" + urlencode({"q": query}),
    ]


SIGNS = [sign["slug"] for sign in REAL_RULES["signs"]]


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    contacts=contacts_variant(),
    rules=rules_variant(),
    signs=st.lists(st.sampled_from(SIGNS), max_size=4, unique=True),
    recent=st.booleans(),
    moment=st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31), timezones=st.just(LONDON)),
)
def test_every_page_type_renders_for_any_data_that_passes(
    tmp_path, settings, client, fixture_sections, contacts, rules, signs, recent, moment
):
    settings.CONTENT_DIR = written(tmp_path, contacts, rules)
    forget()
    assert data_problems() == []  # the variant is valid: what follows is about rendering it
    query = rules["signs"][0]["label"].split()[0] if rules["signs"][0]["label"].split() else "pump"
    with time_machine.travel(moment, tick=False):
        for path in pages(signs, recent, query):
            response = client.get(path)
            assert response.status_code < 500, (path, response.status_code)
            assert response.status_code in (200, 400), (path, response.status_code)
