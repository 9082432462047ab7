"""sitemap.xml and robots.txt: search engines find every page of information, never the admin."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from itb_portal.booklet.models import Section

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_entries(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS) for url in root}


def test_sitemap_lists_the_pages_of_information_and_every_published_section(client, fixture_sections):
    entries = sitemap_entries(client)
    for name in ["booklet:home", "contacts:index", "symptoms:checker", "printing:index", "booklet:accessibility"]:
        assert f"http://testserver{reverse(name)}" in entries, name
    for section in fixture_sections:
        lastmod = entries[f"http://testserver{section.get_absolute_url()}"]
        assert date.fromisoformat(lastmod) == timezone.localdate(section.updated_at)


def test_sitemap_leaves_out_unpublished_sections_results_and_tools(client, fixture_sections):
    Section.objects.filter(slug="the-pump").update(is_published=False)
    addresses = " ".join(sitemap_entries(client))
    assert "/booklet/the-pump/" not in addresses
    for hidden in ("/symptoms/result/", "/qr/", "/share/", "/admin", "/health/"):
        assert hidden not in addresses, hidden


def test_sitemap_uses_the_public_site_address_when_it_is_set(client, fixture_sections, settings):
    settings.SITE_URL = "https://itb.example.nhs.uk"
    assert all(address.startswith("https://itb.example.nhs.uk/") for address in sitemap_entries(client))


def test_robots_txt_allows_the_site_points_at_the_sitemap_and_keeps_results_private(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert {"Disallow: /symptoms/result/", "Disallow: /qr/", "Disallow: /share/"} <= set(lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not response.cookies


def test_robots_txt_never_names_the_admin_even_at_an_obscure_address(client, settings):
    # The admin's address is configurable so that it can be hard to guess; robots.txt must not give it away.
    body = client.get("/robots.txt").content.decode().lower()
    assert settings.ADMIN_URL.strip("/").lower() not in body
    assert "admin" not in body and "markdownx" not in body
