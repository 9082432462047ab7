"""The page registry (itb_portal/page_registry.py) lists every public address of the site, and
sharing, search engines and the service worker all read it."""

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from itb_portal.companion.views import saved_links
from itb_portal.companion.worker import offline_pages
from itb_portal.contacts.directory import load_directory
from itb_portal.page_registry import PAGES
from itb_portal.sharing.pages import page_being_shown, shared_page


def url_names(resolver: URLResolver, namespace: str = "", prefix: str = "") -> dict[str, str]:
    """Every named URL under `resolver`, with the start of its address, found by walking it."""
    found = {}
    for entry in resolver.url_patterns:
        address = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found |= url_names(entry, inner, address)
        elif isinstance(entry, URLPattern) and entry.name:
            found[namespace + entry.name] = address
    return found


def public_url_names() -> set[str]:
    # The admin (and the editors' Markdown preview under it) is for editors, never a public page.
    return {name for name, address in url_names(get_resolver()).items() if not address.startswith(settings.ADMIN_URL)}


def test_every_public_url_name_is_in_the_page_registry():
    names = public_url_names()
    assert "booklet:home" in names and "sharing:qr" in names  # the walk reaches inside each app
    assert not any(name.startswith("admin:") for name in names)
    assert sorted(names - set(PAGES)) == []


def test_every_page_in_the_registry_is_an_address_of_the_site():
    assert sorted(set(PAGES) - public_url_names()) == []


def test_what_is_not_a_page_is_never_listed_kept_offline_or_given_a_title():
    for name, page in PAGES.items():
        if not page.shareable:
            assert not page.indexed and not page.saved_link and page.title is None, name
        if page.saved_link:
            assert page.offline, name  # the no-signal page only links to what the worker keeps


def test_the_no_signal_page_links_to_the_saved_pages_the_registry_names(client, fixture_sections):
    links = saved_links()
    assert [text for text, _path in links] == [page.saved_link for page in PAGES.values() if page.saved_link]
    kept = set(offline_pages())
    html = client.get(reverse("companion:offline")).content.decode()
    for text, path in links:
        assert path in kept, path
        assert f'<a href="{path}">{text}</a>' in html


def test_the_worker_keeps_each_page_the_registry_marks_offline_and_every_section(fixture_sections):
    kept = offline_pages()
    for name, page in PAGES.items():
        if page.offline and name != "booklet:section":
            assert reverse(name) in kept, name
    assert all(section.get_absolute_url() in kept for section in fixture_sections)
    assert reverse("symptoms:result") not in kept  # someone's answers are never kept


def test_the_sitemap_and_robots_follow_the_registry(client, fixture_sections):
    sitemap = client.get(reverse("sharing:sitemap")).content.decode()
    robots = client.get(reverse("sharing:robots")).content.decode().splitlines()
    for name, page in PAGES.items():
        if name == "booklet:section":
            continue
        address = "http://testserver" + reverse(name)
        assert (f"<loc>{address}</loc>" in sitemap) == page.indexed, name
        assert (f"Disallow: {reverse(name)}" in robots) == (not page.crawled), name


def test_the_home_page_is_titled_with_the_sites_name_from_the_contacts_data(rf, fixture_sections):
    site_name = load_directory().service.site_name
    assert site_name == "Intrathecal baclofen (ITB) pump"
    assert shared_page("/", rf.get("/")).title == site_name


def test_the_page_being_shown_is_found_without_the_database(rf, fixture_sections, django_assert_num_queries):
    """Every page's share controls and link preview name the page being shown (a template global): it
    comes from the page registry and the view's own values, never from a query. tests/test_share.py
    proves each page's share controls name what the share page finds for the same address."""
    section = fixture_sections[0]
    result = "/symptoms/result/?sign=fever&sign=itching"
    printout = "/print/booklet/?section=spasticity"
    cases = [
        ("/", None, None),
        ("/contacts/?utm_source=leaflet", None, None),
        (section.get_absolute_url(), None, section.title),
        (result, result, None),
        (printout, printout, "Print: What is spasticity?"),
    ]
    for path, canonical, title in cases:
        request = rf.get(path)
        # As in a request: every page reads the content version once, and the contacts data (the
        # site's name, the footer) is read once per content version.
        request_started.send(sender=None)
        load_directory()
        with django_assert_num_queries(0):
            shown = page_being_shown(request, canonical, title)
        request_finished.send(sender=None)
        assert shown.path == (canonical or path.split("?")[0]), path
        assert shown.title == (title or shared_page(path, request).title), path


@pytest.mark.parametrize("path", ["/symptoms/result/?sign=no-such-sign", "/print/booklet/?section=nope"])
def test_a_page_whose_view_refused_its_query_has_nothing_to_share(rf, path):
    assert page_being_shown(rf.get(path)) is None
