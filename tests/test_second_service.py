"""Any ITB service can run this site by changing content/ alone (issue 12).

A second, complete service is built in a folder of its own: another trust, another hospital and
address, another A&E, other wards, numbers, people, email and booklet. With ITB_CONTENT_DIR (the
CONTENT_DIR setting) pointed at it, every public page, result, printout, share page and share
text, the manifest, the offline pages and the pump pages are crawled: the second service's names
appear, and nothing of the first service's remains.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlencode

import pytest
import time_machine
import yaml
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from itb_portal.contacts.directory import load_directory
from itb_portal.pagecache.pages import forget
from tests.conftest import LONDON
from tests.public_pages import public_paths

FIRST_CONTENT = Path(django_settings.CONTENT_DIR)

SECOND_SERVICE = {
    "site_name": "Intrathecal baclofen (ITB) pump",
    "team": "the ITB team",
    "name": "the neuro-rehabilitation service",
    "trust": "Northshire and Dale NHS Foundation Trust",
    "hospital": "Northshire Royal Hospital",
    "address": "1 Example Road, Northtown, NT1 1AA",
    "wards": ["ward-7a", "ward-7b"],
    # The team's line has an id of its own here: nothing in the code names the first service's.
    "accessibility_contact": "itb-nurses",
    "team_line": "itb-nurses",
    "accessibility_statement": {"prepared": "2026-10-01", "updated": "2026-10-02", "update_due": "2027-10-02"},
    "copyright": "© Northshire and Dale NHS Foundation Trust",
    "booklet": "ITB pumps: a guide for patients. Northshire and Dale NHS Foundation Trust, 1st edition, March 2026",
    "emergency_department": {
        "name": "Emergency department, Northshire Royal Hospital",
        "address": "Castle Lane, Northtown, NT1 2BB",
    },
}
# Each of the first service's own lines, as the second service names and numbers it (01632 960xxx
# numbers are set aside for drama, so they are no one's). 999 and 111 are the same everywhere.
SECOND_LINES = {
    "nurse-specialist": ("itb-nurses", "Alex Morgan (ITB nurse specialist) and the ITB team", ["01632 960 101"]),
    "ward-l24": ("ward-7a", "Ward 7A (neurosurgery)", ["01632 960 201"]),
    "ward-l25": ("ward-7b", "Ward 7B (neurosurgery)", ["01632 960 202"]),
    "secretary-devinuwara": ("secretary-patel", "Dr. Patel (consultant in rehabilitation medicine)", ["01632 960 301"]),
    "secretary-sivakumar": ("secretary-okafor", "Mr. Okafor (consultant neurosurgeon)", ["01632 960 302"]),
}
SECOND_EMAIL = "itb.northshire@nhs.net"
# Words of the first service that its data does not hold as a field of their own: its city, its
# wards' short names, and the people and secretaries its lines name.
FIRST_WORDS = ["Leeds", "LGI", "L24", "L25", "Jenny", "Devinuwara", "Sivakumar", "Lorna", "Sarah", "LS1"]


def first_service_traces() -> list[str]:
    """Everything that names the first service, read from its data (content/contacts.yaml)."""
    directory = load_directory(FIRST_CONTENT / "contacts.yaml")
    service = directory.service
    department = service.emergency_department
    traces = [
        service.trust,
        service.hospital,
        service.address,
        service.copyright,
        service.booklet,
        service.name,
        department.name,
        department.address,
        department.map_query,
        directory.email_address,
        *FIRST_WORDS,
    ]
    for line in directory.lines:
        if line.kind in ("emergency", "nhs-111"):
            continue
        # The team line's id is the same words as a glossary heading's ("Nurse specialist"), which any
        # service's booklet may have; the second service gives its team line an id of its own, so code
        # that named the first's would fail here (a 500), not be seen.
        traces += [line.name] if line.kind == "team" else [line.id, line.name]
        for phone in line.phones:
            traces += [phone.number, phone.number.replace(" ", ""), phone.tel]
    return traces


def rename_lines(text: str) -> str:
    for old, (new, _name, _numbers) in SECOND_LINES.items():
        text = re.sub(rf"\b{re.escape(old)}\b", new, text)
    return text


def second_booklet_text(text: str) -> str:
    """The second service's booklet: the same sections in its own names (its line ids in blocks)."""
    text = rename_lines(text)
    for old, new in [
        ("The Leeds Teaching Hospitals NHS Trust", SECOND_SERVICE["trust"]),
        ("Leeds Teaching Hospitals NHS Trust", SECOND_SERVICE["trust"]),
        ("Leeds General Infirmary", SECOND_SERVICE["hospital"]),
        ("Leeds Teaching Hospitals", SECOND_SERVICE["hospital"]),
        ("Leeds", "Northshire"),
    ]:
        text = text.replace(old, new)
    return text


@pytest.fixture
def second_service(tmp_path, settings, db):
    """content/ copied and made into another service's, loaded as a release would load it."""
    content = tmp_path / "second-service"
    shutil.copytree(FIRST_CONTENT, content)
    contacts = yaml.safe_load((content / "contacts.yaml").read_text())
    contacts["service"] = SECOND_SERVICE
    for line in contacts["lines"]:
        if line["id"] in SECOND_LINES:
            line["id"], line["name"], numbers = SECOND_LINES[line["id"]]
            line["phones"] = [
                {"label": "Secretary" if line["kind"] == "office" else "Telephone", "number": number}
                for number in numbers
            ]
            if line["kind"] == "office":
                line["role"] = "Contact through the secretary. This is an office line, not for urgent help."
    contacts["email"]["address"] = SECOND_EMAIL
    (content / "contacts.yaml").write_text(yaml.safe_dump(contacts, allow_unicode=True, sort_keys=False))
    rules = content / "symptoms" / "rules.yaml"
    rules.write_text(rename_lines(rules.read_text()))
    for easy_read in (content / "easy-read").glob("*.yaml"):  # their points name lines to phone
        easy_read.write_text(rename_lines(easy_read.read_text()))
    for section in (content / "sections").glob("*.md"):
        section.write_text(second_booklet_text(section.read_text()))
    settings.CONTENT_DIR = content
    forget()
    call_command("release", verbosity=0)
    forget()
    return content


def crawl_paths() -> list[str]:
    result = reverse("symptoms:result")
    shared = [reverse("contacts:index"), reverse("symptoms:emergency_sheet"), result + "?sign=drowsiness"]
    return [
        *public_paths(),
        # A result at every level, with and without a recent operation.
        *(result + "?" + urlencode({"sign": sign}) for sign in ["seizures", "drowsiness", "itching", "pump-alarm"]),
        result + "?sign=itching&recent_operation=yes",
        result + "?recent_operation=yes",
        # Share pages, with their email and text-message links.
        *(reverse("sharing:share") + "?" + urlencode({"page": path}) for path in shared),
        reverse("sharing:share") + "?" + urlencode({"page": reverse("booklet:home")}),
        reverse("feedback:tell_us_more") + "?" + urlencode({"page": reverse("contacts:index")}),
        reverse("feedback:thanks") + "?" + urlencode({"page": reverse("contacts:index")}),
        reverse("companion:manifest"),
        reverse("companion:service_worker"),
        reverse("search:index"),
        reverse("sharing:sitemap"),
        reverse("sharing:robots"),
        reverse("search:results") + "?q=ward",
        reverse("search:results") + "?q=overdose",
    ]


def readable(body: bytes) -> str:
    # Share links carry their text percent-encoded (mailto:?body=...), JSON escapes non-ASCII.
    text = body.decode()
    return text + "\n" + unquote(text) + "\n" + text.encode().decode("unicode_escape", errors="ignore")


@pytest.mark.parametrize(
    "moment",
    [datetime(2026, 11, 24, 11, 0, tzinfo=LONDON), datetime(2026, 11, 24, 22, 0, tzinfo=LONDON)],
    ids=["team-open", "team-closed"],
)
def test_a_second_service_shows_its_own_names_and_nothing_of_the_first(client, second_service, moment):
    traces = first_service_traces()
    second = load_directory()
    assert second.service.hospital == SECOND_SERVICE["hospital"]  # the site reads the second folder
    seen, html = {}, {}
    with time_machine.travel(moment, tick=False):
        for path in crawl_paths():
            response = client.get(path)
            assert response.status_code == 200, path
            text = readable(response.content)
            found = [trace for trace in traces if re.search(rf"(?<!\w){re.escape(trace)}(?!\w)", text, re.I)]
            assert not found, f"{path} still names the first service: {found}"
            seen[path] = text
            if response["Content-Type"].startswith("text/html"):
                html[path] = text
    assert len(html) > 30
    for path, text in html.items():
        assert SECOND_SERVICE["copyright"] in text, path  # the footer
        assert f"from the ITB team at {SECOND_SERVICE['hospital']}." in text, path  # the link preview's words
    # Every result card names the team and hospital; A&E advice names the second service's A&E.
    for path, text in seen.items():
        if path.startswith(reverse("symptoms:result") + "?"):
            assert f"This advice is from the ITB team at {SECOND_SERVICE['hospital']}." in text, path
    drowsy = seen[reverse("symptoms:result") + "?sign=drowsiness"]
    # A&E advice says "your nearest A&E", naming the second service's hospital only as where its team is.
    assert "your nearest A&amp;E" in drowsy
    assert f"the one at {SECOND_SERVICE['hospital']}, where the ITB team is based." in drowsy
    assert "maps" not in drowsy
    sheet = seen[reverse("symptoms:emergency_sheet")]
    assert f"From the ITB team at {SECOND_SERVICE['hospital']}." in sheet
    assert f"the one at {SECOND_SERVICE['hospital']}, where the ITB team is based." in sheet
    contacts = seen[reverse("contacts:index")]
    assert f"The ITB team at {SECOND_SERVICE['hospital']}, {SECOND_SERVICE['trust']}." in contacts
    assert SECOND_SERVICE["address"] in contacts
    for _id, name, numbers in SECOND_LINES.values():
        assert name in contacts and all(number in contacts for number in numbers)
        assert all(number in sheet for number in numbers)
    home = seen[reverse("booklet:home")]
    assert (
        f"This website is for people referred to or cared for by the ITB team at {SECOND_SERVICE['hospital']}." in home
    )
    assert SECOND_SERVICE["trust"] in seen[reverse("booklet:accessibility")]
    handover = seen[reverse("companion:handover_sheet")]
    assert SECOND_SERVICE["booklet"] in handover
    assert f"the ITB team at {SECOND_SERVICE['hospital']}, {SECOND_SERVICE['address']}." in handover
    assert SECOND_SERVICE["hospital"] in seen[reverse("companion:manifest")]
    share = seen[reverse("sharing:share") + "?" + urlencode({"page": reverse("contacts:index")})]
    assert f"This page from the ITB team at {SECOND_SERVICE['hospital']} may help you" in share
    if moment.hour == 11:
        assert "01632 960 101" in seen[reverse("symptoms:result") + "?sign=itching"]
    assert "01632 960 201" in seen[reverse("symptoms:result") + "?sign=itching&recent_operation=yes"]


def test_the_second_service_gets_its_own_link_preview_picture(client, second_service, settings):
    drawn = client.get(reverse("sharing:link_preview")).content
    settings.CONTENT_DIR = FIRST_CONTENT
    forget()
    first = client.get(reverse("sharing:link_preview")).content
    assert drawn[:8] == first[:8] == b"\x89PNG\r\n\x1a\n"
    assert drawn != first


def test_the_crawl_would_see_the_first_service_where_it_is_deployed(client, fixture_sections):
    """The check above is only as good as its list: it holds the first service's real names, and
    finds them on the first service's own pages."""
    traces = first_service_traces()
    for expected in ["The Leeds Teaching Hospitals NHS Trust", "Leeds General Infirmary", "0113 392 2178", "ward-l24"]:
        assert expected in traces
    with time_machine.travel(datetime(2026, 11, 24, 11, 0, tzinfo=LONDON), tick=False):
        for path in ["/contacts/", "/symptoms/result/?sign=drowsiness", "/symptoms/emergency-sheet/", "/"]:
            text = readable(client.get(path).content)
            assert "Leeds General Infirmary" in text and "The Leeds Teaching Hospitals NHS Trust" in text, path


def test_a_release_with_broken_service_data_names_the_file_and_field_and_changes_nothing(tmp_path, settings, db):
    from django.core.management.base import SystemCheckError

    from itb_portal.pagecache.models import ContentVersion

    content = tmp_path / "content"
    shutil.copytree(FIRST_CONTENT, content)
    contacts = content / "contacts.yaml"
    contacts.write_text(
        contacts.read_text().replace("    address: Great George Street", "    where: Great George Street")
    )
    settings.CONTENT_DIR = content
    version = ContentVersion.current()
    with pytest.raises(SystemCheckError) as refused:
        call_command("release", verbosity=0)
    assert f"{contacts}: service > emergency_department > address: is missing" in str(refused.value)
    assert ContentVersion.current() == version
