"""Sharing a page: the share page for nurses, the Share button's no-JavaScript link, and a
"link to this part" control after every heading."""

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlencode, urlsplit

import pytest
from django.urls import reverse

from itb_portal.addresses import NotASitePage
from itb_portal.booklet.html import section_html
from itb_portal.booklet.markdown import render
from itb_portal.booklet.models import Section
from itb_portal.sharing.pages import shared_page
from tests.helpers import even_spaces
from tests.public_pages import public_paths
from tests.test_qr import OFF_SITE

pytestmark = pytest.mark.django_db


def share_page_url(page: str) -> str:
    return reverse("sharing:share") + "?" + urlencode({"page": page})


class Page(HTMLParser):
    """The parts of a page these tests read: headings, links, images, the share controls."""

    def __init__(self):
        super().__init__()
        self.h1 = ""
        self.headings: list[dict] = []  # h2 and h3: tag, attrs, text, and the link after it (if any)
        self.links: list[dict] = []
        self.images: list[dict] = []
        self.share: dict | None = None
        self._open: list[str] = []
        self._heading: dict | None = None
        self._link: dict | None = None
        self._wrappers = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h1":
            self._open.append("h1")
        if tag in ("h2", "h3"):
            self._heading = {"tag": tag, "attrs": attrs, "text": "", "link": None, "wrapped": self._wrappers > 0}
            self.headings.append(self._heading)
        if tag == "div" and "app-heading" in (attrs.get("class") or "").split():
            self._wrappers += 1
        if tag == "a":
            self._link = {"attrs": attrs, "text": ""}
            self.links.append(self._link)
            last = self.headings[-1] if self.headings else None
            if "app-heading-link" in (attrs.get("class") or "") and last and last["link"] is None:
                last["link"] = self._link
        if tag == "img":
            self.images.append(attrs)
        if attrs.get("data-testid") == "share-actions":
            self.share = attrs

    def visible_headings(self) -> list[dict]:
        # NHS.UK's contents list has a visually hidden "Contents" h2 for screen readers: there
        # is nothing on screen to put a link beside.
        return [h for h in self.headings if "nhsuk-u-visually-hidden" not in (h["attrs"].get("class") or "")]

    def handle_endtag(self, tag):
        if tag == "h1" and self._open:
            self._open.pop()
        if tag in ("h2", "h3"):
            self._heading = None
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._open:
            self.h1 += data
        if self._heading is not None:
            self._heading["text"] += data
        if self._link is not None:
            self._link["text"] += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


# --- The share page -----------------------------------------------------------


def test_share_page_shows_the_title_full_address_and_a_qr_code_of_a_section(client, fixture_sections):
    response = client.get(share_page_url("/booklet/the-trial/"))
    assert response.status_code == 200
    html = response.content.decode()
    page = parse(html)
    assert even_spaces(page.h1) == "Share this page The trial"
    assert (
        '<p class="app-share-page__address" data-testid="share-address">'
        "http:/<wbr>/<wbr>testserver/<wbr>booklet/<wbr>the-trial/</p>" in html
    )
    qr = next(image for image in page.images if image.get("data-testid") == "share-qr")
    assert qr["src"] == "/qr/?page=%2Fbooklet%2Fthe-trial%2F"
    assert "http://testserver/booklet/the-trial/" in qr["alt"]
    svg = client.get(qr["src"])
    assert svg.status_code == 200 and "QR code for http://testserver/booklet/the-trial/" in svg.content.decode()


def test_share_page_offers_the_qr_code_as_a_file_named_for_the_page(client, fixture_sections):
    page = parse(client.get(share_page_url("/booklet/the-trial/")).content.decode())
    download = next(link for link in page.links if link["attrs"].get("data-testid") == "qr-download")
    assert download["attrs"]["download"] == "qr-code-booklet-the-trial.svg"
    response = client.get(download["attrs"]["href"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="qr-code-booklet-the-trial.svg"'
    assert client.get(reverse("sharing:qr"), {"page": "/"})["Content-Disposition"].startswith("inline;")


def test_share_page_email_and_text_links_carry_the_title_and_address(client, fixture_sections):
    page = parse(client.get(share_page_url("/booklet/the-trial/")).content.decode())
    links = {link["attrs"].get("data-testid"): link["attrs"]["href"] for link in page.links}

    email = urlsplit(links["share-email"])
    assert email.scheme == "mailto" and email.path == ""
    fields = {key: unquote(value) for key, value in (pair.split("=", 1) for pair in email.query.split("&"))}
    assert fields["subject"] == "The trial"
    assert "http://testserver/booklet/the-trial/" in fields["body"]
    assert "+" not in email.query  # mail apps read %20 as a space, not always "+"

    sms = links["share-sms"]
    assert sms.startswith("sms:?&body=")
    assert unquote(sms.removeprefix("sms:?&body=")) == "The trial: http://testserver/booklet/the-trial/"


def test_share_page_uses_the_public_site_address_when_it_is_set(client, fixture_sections, settings):
    settings.SITE_URL = "https://itb.example.nhs.uk"
    html = client.get(share_page_url("/contacts/")).content.decode()
    assert ">https://itb.example.nhs.uk/contacts/</p>" in html
    assert (
        "QR code for https://itb.example.nhs.uk/contacts/" in client.get(parse(html).images[0]["src"]).content.decode()
    )


def test_sharing_an_old_address_shares_the_newest_one(client, fixture_sections):
    section = Section.objects.get(slug="the-trial")
    section.slug = "trial-dose"
    section.save()
    html = client.get(share_page_url("/booklet/the-trial/")).content.decode()
    assert ">http://testserver/booklet/trial-dose/</p>" in html
    svg = client.get(reverse("sharing:qr"), {"page": "/booklet/the-trial/"}).content.decode()
    assert "QR code for http://testserver/booklet/trial-dose/" in svg


def test_a_shared_symptom_result_keeps_its_signs_in_one_fixed_order(client, fixture_sections):
    html = client.get(share_page_url("/symptoms/result/?sign=itching&recent_operation=yes&sign=fever")).content.decode()
    assert ">http://testserver/symptoms/result/?sign=fever&amp;sign=itching&amp;recent_operation=yes</p>" in html
    assert even_spaces(parse(html).h1) == "Share this page Your symptom check"


def test_a_result_page_shows_the_same_address_its_share_button_and_qr_code_use(client, fixture_sections, settings):
    settings.SITE_URL = "https://itb.example.nhs.uk"
    html = client.get("/symptoms/result/?sign=itching&sign=fever").content.decode()
    address = "https://itb.example.nhs.uk/symptoms/result/?sign=fever&amp;sign=itching"
    # Shown with places to wrap between its parts (<wbr>), the same address.
    shown = re.search(r'data-testid="share-url">(.*?)</p>', html).group(1)
    assert shown.replace("<wbr>", "") == address
    assert parse(html).share["data-share-url"] == address.replace("&amp;", "&")


def test_a_shared_printout_keeps_its_chosen_sections_in_booklet_order(rf, fixture_sections):
    first, second = fixture_sections[0].slug, fixture_sections[1].slug
    page = shared_page(f"/print/booklet/?chosen=yes&section={second}&section=nope&section={first}", rf.get("/"))
    assert page.path == f"/print/booklet/?section={first}&section={second}"
    assert page.title == "Sections from the ITB pump booklet"
    assert shared_page("/print/booklet/", rf.get("/")).title == "The ITB pump booklet"
    with pytest.raises(NotASitePage):
        shared_page("/print/booklet/?section=nope", rf.get("/"))


def test_a_query_on_an_information_page_is_not_part_of_its_shared_address(rf, fixture_sections):
    assert shared_page("/booklet/the-trial/?utm_source=leaflet", rf.get("/")).path == "/booklet/the-trial/"
    assert shared_page("/symptoms/?sign=fever", rf.get("/")).path == "/symptoms/"


@pytest.mark.parametrize(
    "page",
    [
        *OFF_SITE,
        "/booklet/no-such-section/",
        "/symptoms/result/?sign=no-such-sign",
        "/share/?page=/",
        "/sitemap.xml",
        "/robots.txt",
        "/static/css/main.css",
    ],
)
def test_share_page_refuses_anything_that_is_not_a_page_of_this_site(client, rf, fixture_sections, page):
    response = client.get(reverse("sharing:share"), {"page": page})
    assert response.status_code == 400
    html = response.content.decode()
    assert "We cannot share that address" in html
    assert response.get("Location") is None  # never a redirect, so never an open redirect
    assert "<img" not in html.split('id="maincontent"')[1].split("</main>")[0]  # no QR code
    assert "Traceback" not in html
    with pytest.raises(NotASitePage):
        shared_page(page, rf.get("/"))


def test_share_page_refusal_says_why_in_plain_words(client):
    html = client.get(reverse("sharing:share"), {"page": "https://evil.example/"}).content.decode()
    assert "Only pages of this website can have a QR code." in html
    assert "No page address was given." in client.get(reverse("sharing:share")).content.decode()


def test_qr_code_refuses_a_section_that_does_not_exist(client, fixture_sections):
    assert client.get(reverse("sharing:qr"), {"page": "/booklet/no-such-section/"}).status_code == 400


# --- The Share button ---------------------------------------------------------


def test_every_page_has_a_share_button_that_is_a_plain_link_to_its_share_page(client, rf, fixture_sections):
    for path in public_paths():
        if path.startswith(reverse("sharing:share")):
            continue
        page = parse(client.get(path).content.decode())
        assert page.share is not None, path
        expected = shared_page(path, rf.get(path))
        assert page.share["data-share-url"] == "http://testserver" + expected.path, path
        assert page.share["data-share-title"] == expected.title, path
        plain = next(link for link in page.links if "data-share-link" in link["attrs"])
        assert plain["attrs"]["href"] == share_page_url(expected.path), path
        assert even_spaces(plain["text"]) == "Share this page"
        assert client.get(plain["attrs"]["href"]).status_code == 200, path


def test_pages_with_nothing_to_share_have_no_share_button(client, fixture_sections):
    for path in ["/no-such-page/", "/booklet/no-such-section/", share_page_url("/contacts/")]:
        html = client.get(path).content.decode()
        assert 'data-testid="share-actions"' not in html, path


def test_each_page_share_title_is_its_main_heading(client, rf, fixture_sections):
    for path in public_paths():
        if path.startswith(reverse("sharing:share")):
            continue
        page = parse(client.get(path).content.decode())
        assert shared_page(path, rf.get(path)).title == even_spaces(page.h1), path


# --- Link to this part --------------------------------------------------------

# Headings that are the label of an NHS.UK care card or warning callout: a link control would
# sit inside the coloured label and clutter the one thing the box must say. They still have ids.
# The search's care cards for symptom words are labelled the same way ("symptom-card-<group>").
LABEL_HEADINGS = {
    "get-help-now",
    "advice",
    "not-a-diagnosis",
    "email",
    # The offline page's care card, the pump card page's warning callouts (/my-pump/), and the
    # two sides of the wallet card.
    "no-signal-999",
    "refill-date-passed",
    "add-refill-date",
    "talk-to-the-team",
    "card-front",
    "card-back",
}
LABEL_HEADING_PREFIXES = ("symptom-card-",)


def test_every_h2_and_h3_can_be_linked_to(client, fixture_sections):
    for path in public_paths():
        response = client.get(path)
        page = parse(response.content.decode())
        for heading in page.visible_headings():
            heading_id = heading["attrs"].get("id")
            text = even_spaces(heading["text"])
            assert heading_id, (path, text)
            if heading_id in LABEL_HEADINGS or heading_id.startswith(LABEL_HEADING_PREFIXES):
                assert heading["link"] is None, (path, text)
                continue
            link = heading["link"]
            assert link is not None, (path, text)
            assert heading["wrapped"], (path, text)
            assert link["attrs"]["href"] == f"#{heading_id}", (path, text)
            # "#" on screen on hover and focus (hidden from screen readers), "Link to this part: ..." heard.
            assert link["text"] == f"#Link to this part: {text}", (path, text)


def test_the_booklet_sections_link_every_heading_in_their_text(client, fixture_sections):
    for section in fixture_sections:
        page = parse(client.get(section.get_absolute_url()).content.decode())
        in_body = [h for h in page.visible_headings() if h["attrs"].get("id") != "sources"]
        assert in_body and all(h["link"] for h in in_body), section.slug


def test_heading_links_leave_the_rest_of_the_html_as_it_was():
    html = render(
        "Intro with <b>raw</b> &amp; text.\n\n## What is *it*? & why\n\nText.\n\n### Trigger <x>\n\n#### Small"
    )
    linked = str(section_html(html, "http://testserver/booklet/x/"))
    assert linked.count('<div class="app-heading">') == 2
    # Take the added parts out and the original is back, byte for byte.
    stripped = linked
    for heading_id, text in [("what-is-it-why", "What is it? &amp; why"), ("trigger-x", "Trigger &lt;x&gt;")]:
        stripped = stripped.replace(
            f'<a class="app-heading-link" href="#{heading_id}">'
            '<span class="app-heading-link__label" aria-hidden="true">#</span>'
            f'<span class="nhsuk-u-visually-hidden">Link to this part: {text}</span></a></div>',
            "",
        )
    assert stripped.replace('<div class="app-heading">', "") == html
    assert 'href="#small"' not in linked  # h4 is too small a part to link to


def test_heading_links_work_on_sections_saved_before_they_existed(client, fixture_sections):
    # body_html is stored; the control is added when the page is shown, so old HTML gets it too.
    Section.objects.filter(slug="the-pump").update(stored_html='<h2 id="sizes">Sizes</h2><p>Two sizes.</p>')
    page = parse(client.get("/booklet/the-pump/").content.decode())
    assert page.visible_headings()[0]["link"]["attrs"]["href"] == "#sizes"


def test_a_heading_without_an_id_is_left_alone():
    assert str(section_html("<h2>No id</h2><p>x</p>", "http://testserver/")) == "<h2>No id</h2><p>x</p>"


def test_share_page_offers_the_qr_code_as_a_png_too(client, fixture_sections):
    import struct

    page = parse(client.get(share_page_url("/booklet/the-trial/")).content.decode())
    download = next(link for link in page.links if link["attrs"].get("data-testid") == "qr-download-png")
    assert download["attrs"]["download"] == "qr-code-booklet-the-trial.png"
    response = client.get(download["attrs"]["href"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="qr-code-booklet-the-trial.png"'
    png = response.content
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert width == height >= 300  # square, and big enough to print sharp


def test_the_qr_code_comes_only_as_svg_or_png(client, fixture_sections):
    response = client.get(reverse("sharing:qr"), {"page": "/booklet/the-trial/", "format": "gif"})
    assert response.status_code == 400
    assert "svg or png" in response.content.decode()


def test_a_shared_address_may_wrap_after_each_slash_and_before_its_query_never_inside_a_word():
    from itb_portal.sharing.pages import address_with_breaks

    address = "https://itb.example.nhs.uk/symptoms/result/?sign=itching&sign=goosebumps"
    marked = str(address_with_breaks(address))
    assert marked.replace("<wbr>", "") == address.replace("&", "&amp;")
    assert marked.split("<wbr>") == [
        "https:/",
        "/",
        "itb.example.nhs.uk/",
        "symptoms/",
        "result/",
        "?sign=itching",
        "&amp;sign=goosebumps",
    ]
