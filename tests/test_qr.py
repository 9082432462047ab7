"""QR codes: server-drawn SVG for pages of this site only."""

import re

import pytest
from django.urls import reverse

from itb_portal.addresses import NotASitePage, qr_url, site_path
from itb_portal.sharing.qr import qr_svg

pytestmark = pytest.mark.django_db


def test_qr_code_for_a_section_is_an_svg_of_its_full_address(client, fixture_sections):
    section = fixture_sections[0]
    response = client.get(qr_url(section.get_absolute_url()))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "viewBox" in body
    assert f"QR code for http://testserver{section.get_absolute_url()}" in body


def test_qr_code_uses_the_public_site_address_when_it_is_set(client, fixture_sections, settings):
    settings.SITE_URL = "https://itb.example.nhs.uk"
    response = client.get(qr_url("/contacts/"))
    assert "QR code for https://itb.example.nhs.uk/contacts/" in response.content.decode()


def test_qr_code_keeps_a_symptom_result_query(client, fixture_sections):
    path = reverse("symptoms:result") + "?sign=itching"
    response = client.get(qr_url(path))
    assert response.status_code == 200
    assert "/symptoms/result/?sign=itching" in response.content.decode()


# Addresses that are not pages of this site: the share page refuses these too.
OFF_SITE = [
    "",
    "https://evil.example/",
    "http://testserver/contacts/",
    "//evil.example/contacts/",
    "/\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "contacts/",
    "/no-such-page/",
    "/health/",
    "/qr/?page=/",
    "/admin/",
    "/" + "a" * 600,
    "/contacts/\r\nSet-Cookie: x=1",
]


@pytest.mark.parametrize("page", OFF_SITE)
def test_qr_code_refuses_anything_that_is_not_a_page_of_this_site(client, page):
    response = client.get(reverse("sharing:qr"), {"page": page})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "<svg" not in response.content.decode()


def test_qr_code_without_a_page_says_what_is_missing(client):
    response = client.get(reverse("sharing:qr"))
    assert response.status_code == 400
    assert b"No page address" in response.content


def test_site_path_keeps_the_path_and_query_of_a_real_page(fixture_sections):
    assert site_path("/contacts/") == "/contacts/"
    assert site_path("/symptoms/result/?sign=fever&sign=itching") == "/symptoms/result/?sign=fever&sign=itching"
    with pytest.raises(NotASitePage):
        site_path("///evil.example")


def test_qr_svg_is_square_and_scales_without_a_fixed_size():
    svg = qr_svg("https://itb.example.nhs.uk/")
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    assert width == height
    assert "width=" not in svg.split(">", 1)[0]
