"""Link previews: a link shared in a messaging app shows the page's title, a summary and our
own picture; search engines get one canonical address for each page."""

import io
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from itb_portal.pagecache.pages import forget
from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs.get("content") or "")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])


def head(client, path) -> Head:
    response = client.get(path)
    parsed = Head()
    parsed.feed(response.content.decode())
    return parsed


def one(parsed: Head, name: str) -> str:
    values = parsed.meta.get(name, [])
    assert len(values) == 1, (name, values)
    return values[0]


def test_every_page_has_a_description_and_a_full_link_preview(client, fixture_sections):
    for path in public_paths():
        parsed = head(client, path)
        description = one(parsed, "description")
        assert len(description) > 30, path
        assert one(parsed, "og:description") == description, path
        assert one(parsed, "og:title"), path
        assert one(parsed, "og:site_name") == "Intrathecal baclofen (ITB) pump"
        assert one(parsed, "og:locale") == "en_GB"
        assert one(parsed, "og:type") in {"website", "article"}
        assert one(parsed, "og:image") == "http://testserver/link-preview.png"
        assert one(parsed, "og:image:alt").endswith("from the ITB team at Leeds General Infirmary."), path
        assert one(parsed, "twitter:card") == "summary_large_image"


def test_a_section_preview_shows_its_title_summary_and_address(client, fixture_sections):
    parsed = head(client, "/booklet/the-trial/")
    assert one(parsed, "og:title") == "The trial"
    assert one(parsed, "og:description") == "A test dose shows whether the medicine helps you."
    assert one(parsed, "og:url") == "http://testserver/booklet/the-trial/"
    assert one(parsed, "og:type") == "article"
    assert parsed.canonical == ["http://testserver/booklet/the-trial/"]
    assert "robots" not in parsed.meta


def test_canonical_and_preview_addresses_use_the_public_site_address(client, fixture_sections, settings):
    settings.SITE_URL = "https://itb.example.nhs.uk"
    parsed = head(client, "/contacts/?from=leaflet")
    assert parsed.canonical == ["https://itb.example.nhs.uk/contacts/"]
    assert one(parsed, "og:url") == "https://itb.example.nhs.uk/contacts/"
    assert one(parsed, "og:image") == "https://itb.example.nhs.uk/link-preview.png"


def test_every_information_page_names_itself_as_canonical(client, fixture_sections):
    for path in public_paths():
        parsed = head(client, path)
        if "robots" in parsed.meta:
            continue
        # A printout of chosen sections is its own document, so its choice stays in the address.
        kept = path if path.startswith("/print/booklet/?") else path.split("?")[0]
        assert parsed.canonical == ["http://testserver" + kept], path


def test_a_symptom_result_is_kept_out_of_search_and_has_the_checker_canonical_order(client, fixture_sections):
    parsed = head(client, "/symptoms/result/?recent_operation=yes&sign=itching&sign=fever")
    assert one(parsed, "robots") == "noindex"
    assert parsed.canonical == ["http://testserver/symptoms/result/?sign=fever&sign=itching&recent_operation=yes"]


def test_pages_with_nothing_to_share_are_kept_out_of_search(client, fixture_sections):
    for path in ["/no-such-page/", "/booklet/no-such-section/", "/share/?page=/contacts/", "/symptoms/result/?sign=x"]:
        parsed = head(client, path)
        assert one(parsed, "robots") == "noindex", path
        assert parsed.canonical == [], path


def test_the_preview_picture_is_ours_and_the_size_messaging_apps_want(client):
    response = client.get("/link-preview.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    data = response.content
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1200, 630)
    assert len(data) < 300_000  # quick to fetch on a phone
    # Kept like a page, until a release changes the data it is drawn from.
    assert response["Cache-Control"] == "public, no-cache"
    assert client.get("/link-preview.png", headers={"if-none-match": response["ETag"]}).status_code == 304


def test_the_preview_picture_names_the_team_and_hospital_from_the_data(client, tmp_path, settings):
    from PIL import Image, ImageChops

    first = Image.open(io.BytesIO(client.get("/link-preview.png").content))
    design = Image.open(Path(django_settings.BASE_DIR) / "static" / "img" / "link-preview-background.png")
    band = (0, 560, 1200, 630)
    # The design names no service; the picture writes one line on it, in the bottom band only.
    assert ImageChops.difference(first.convert("RGB"), design.convert("RGB")).getbbox()[1] >= band[1]
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content, ignore=shutil.ignore_patterns("sections"))
    contacts = content / "contacts.yaml"
    contacts.write_text(contacts.read_text().replace("hospital: Leeds General Infirmary", "hospital: Another Hospital"))
    settings.CONTENT_DIR = content
    forget()
    second = Image.open(io.BytesIO(client.get("/link-preview.png").content))
    changed = ImageChops.difference(first.convert("RGB"), second.convert("RGB")).getbbox()
    assert changed is not None and changed[1] >= band[1]
