"""Sharing a part of a page (issue 22): the share page, its QR code and its links keep the part
(#heading) someone shared; anything that could not be a heading's id is dropped."""

import html

from itb_portal.sharing.pages import shared_page


def test_the_share_page_and_its_qr_code_keep_the_part_shared(client, fixture_sections):
    page = html.unescape(client.get("/share/?page=/contacts/%23email").content.decode())
    assert "http://testserver/contacts/#email" in page
    assert "/qr/?page=%2Fcontacts%2F%23email" in page
    qr = client.get("/qr/?page=/contacts/%23email")
    assert qr.status_code == 200 and 'filename="' in qr["Content-Disposition"]


def test_a_part_that_is_not_a_headings_id_is_dropped(rf, fixture_sections):
    request = rf.get("/")
    assert shared_page("/contacts/#email", request).path == "/contacts/#email"
    for odd in ["/contacts/#", "/contacts/#<script>", "/contacts/#1st", "/contacts/#" + "a" * 200]:
        assert shared_page(odd, request).path == "/contacts/", odd
