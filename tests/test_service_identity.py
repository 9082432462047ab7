"""Whose site this is: the service's identity is data (content/contacts.yaml `service`), every
answer says whose team it is, and A&E advice names the service's nearest A&E (issues 11 and 12)."""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine

from itb_portal.contacts.directory import load_directory
from tests.conftest import LONDON

ROOT = Path(__file__).resolve().parent.parent
A_AND_E_SIGN = "drowsiness"  # an overdose sign: go to A&E


class Links(HTMLParser):
    """Every address the page itself would load (src, link, object, iframe) and every link (a href)."""

    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []
        self.followed: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "srcset", "data", "poster", "action"):
            if attrs.get(name):
                self.loaded.append(attrs[name])
        if tag == "link" and attrs.get("href") and attrs.get("rel") != "canonical":  # a name, never fetched
            self.loaded.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.followed.append((attrs["href"], attrs))


def links(html: str) -> Links:
    parsed = Links()
    parsed.feed(html)
    return parsed


def service_words() -> list[str]:
    directory = load_directory()
    service = directory.service
    words = [
        "Leeds",
        service.trust,
        service.hospital,
        service.address,
        service.booklet,
        service.copyright,
        service.emergency_department.name,
        service.emergency_department.address,
        directory.email_address,
    ]
    for line in directory.lines:
        if line.kind in ("ward", "office", "team"):
            words += [line.name, *(phone.number for phone in line.phones)]
    return words


def test_no_code_template_or_script_names_the_service():
    files = [
        path
        for folder in ("itb_portal", "templates", "static/js")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and path.suffix in {".py", ".html", ".jinja", ".js", ".mjs", ".txt", ".json"}
    ]
    assert len(files) > 50
    found = [
        f"{path.relative_to(ROOT)}: {word}"
        for path in files
        for word in service_words()
        if re.search(re.escape(word), path.read_text(encoding="utf-8"), re.I)
    ]
    assert found == []


@pytest.mark.parametrize("sign", ["seizures", A_AND_E_SIGN, "itching", "pump-alarm", None])
@pytest.mark.parametrize("hour", [11, 22])
def test_every_result_card_names_the_team_and_hospital(client, fixture_sections, sign, hour):
    query = f"?sign={sign}" if sign else ""
    with time_machine.travel(datetime(2026, 11, 24, hour, 0, tzinfo=LONDON), tick=False):
        html = client.get("/symptoms/result/" + query).content.decode()
    card = html[html.index('data-testid="care-card"') :]
    card = card[: card.index("</div>\n</div>") if "</div>\n</div>" in card else len(card)]
    assert "This advice is from the ITB team at Leeds General Infirmary." in card


def test_a_and_e_advice_says_your_nearest_a_and_e_and_names_the_team_hospital_only_as_where_the_team_is(
    client, fixture_sections
):
    service = load_directory().service
    for path in [f"/symptoms/result/?sign={A_AND_E_SIGN}", "/symptoms/emergency-sheet/", "/contacts/"]:
        html = client.get(path).content.decode()
        assert "your nearest A&amp;E" in html and "Any A&amp;E can help, wherever you are." in html, path
        assert f"It does not need to be the one at {service.hospital}, where {service.team} is based." in html, path
        assert "Nearest A&amp;E to" not in html, path
        page = links(html)
        # No map to the team's hospital: a drowsy patient far away must not set off for it (issue 20).
        assert not [href for href, _attrs in page.followed if "maps" in href], path
        assert all(not urlsplit(loaded).netloc for loaded in page.loaded), (path, page.loaded)
    # Only A&E advice talks about A&E this way: a call-back result does not send anyone there.
    itching = client.get("/symptoms/result/?sign=itching").content.decode()
    assert 'data-testid="emergency-department"' not in itching


def test_the_contacts_page_and_emergency_sheet_name_the_team_hospital_and_trust(client, fixture_sections):
    service = load_directory().service
    contacts = client.get("/contacts/").content.decode()
    assert "The ITB team at Leeds General Infirmary, The Leeds Teaching Hospitals NHS Trust." in contacts
    assert f"{service.hospital}, {service.address}." in contacts
    sheet = client.get("/symptoms/emergency-sheet/").content.decode()
    assert "From the ITB team at Leeds General Infirmary." in sheet


def test_the_home_page_says_who_the_site_is_for_and_what_to_do_if_another_hospital_looks_after_you(
    client, fixture_sections
):
    html = client.get("/").content.decode()
    scope = html[html.index('data-testid="scope"') :]
    scope = scope[: scope.index("</p>")]
    assert "This website is for people referred to or cared for by the ITB team at Leeds General Infirmary." in scope
    assert "If another hospital looks after your pump, call your own team." in scope


def test_the_footer_share_text_and_manifest_name_the_service_from_its_data(client, fixture_sections):
    html = client.get("/contacts/").content.decode()
    assert "© The Leeds Teaching Hospitals NHS Trust" in html
    share = client.get("/share/?page=/contacts/").content.decode()
    assert "This%20page%20from%20the%20ITB%20team%20at%20Leeds%20General%20Infirmary%20may%20help%20you" in share
    manifest = client.get("/manifest.webmanifest").json()
    assert "the ITB team at Leeds General Infirmary" in manifest["description"]
    statement = client.get("/accessibility/").content.decode()
    assert "The spasticity management service at The Leeds Teaching Hospitals NHS Trust runs this website." in statement
