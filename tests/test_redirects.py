"""Links never break: renaming a section's address in the admin keeps every older address working.

Each old address answers with one permanent (301) redirect straight to the section's newest
address: no chains, no loops, whatever order editors rename things in.
"""

import re

import pytest
import reversion
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from reversion.models import Version

from itb_portal.booklet.models import Section, SlugRedirect
from itb_portal.editorial.workflow import published_version
from tests.test_admin import edit_form, publish

pytestmark = pytest.mark.django_db


def rename_in_admin(admin_client, section: Section, new_slug: str, **changes):
    response = admin_client.post(
        reverse("admin:booklet_section_change", args=[section.pk]), edit_form(section, slug=new_slug, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return publish(section)  # a clinical approver, a second person, approves the draft


def test_an_old_shared_link_still_lands_on_the_section_after_a_rename_in_the_admin(
    admin_client, client, fixture_sections
):
    section = Section.objects.get(slug="the-trial")
    rename_in_admin(admin_client, section, "trial-dose")

    response = client.get("/booklet/the-trial/")
    assert response.status_code == 301
    assert response["Location"] == "/booklet/trial-dose/"

    landed = client.get("/booklet/the-trial/", follow=True)
    assert landed.status_code == 200
    assert landed.redirect_chain == [("/booklet/trial-dose/", 301)]
    assert "<h1>The trial</h1>" in landed.content.decode()
    assert "25 micrograms" in landed.content.decode()


def test_renaming_twice_sends_every_older_address_straight_to_the_newest(admin_client, client, fixture_sections):
    section = Section.objects.get(slug="the-trial")
    rename_in_admin(admin_client, section, "trial-dose")
    rename_in_admin(admin_client, section, "your-trial")

    for old in ("the-trial", "trial-dose"):
        response = client.get(f"/booklet/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/booklet/your-trial/"), old
    assert client.get("/booklet/your-trial/").status_code == 200


def test_renaming_back_to_an_earlier_address_makes_no_loop(admin_client, client, fixture_sections):
    section = Section.objects.get(slug="the-trial")
    rename_in_admin(admin_client, section, "trial-dose")
    rename_in_admin(admin_client, section, "the-trial")

    assert client.get("/booklet/the-trial/").status_code == 200
    response = client.get("/booklet/trial-dose/")
    assert (response.status_code, response["Location"]) == (301, "/booklet/the-trial/")
    assert not SlugRedirect.objects.filter(old_slug="the-trial").exists()


def test_an_old_address_given_to_another_section_serves_that_section(admin_client, client, fixture_sections):
    trial = Section.objects.get(slug="the-trial")
    pump = Section.objects.get(slug="the-pump")
    rename_in_admin(admin_client, trial, "trial-dose")
    rename_in_admin(admin_client, pump, "the-trial")

    response = client.get("/booklet/the-trial/")
    assert response.status_code == 200
    assert "<h1>The pump</h1>" in response.content.decode()
    # The pump's own old address follows it, and the trial's newest address still works.
    assert client.get("/booklet/the-pump/")["Location"] == "/booklet/the-trial/"
    assert client.get("/booklet/trial-dose/").status_code == 200


def test_restoring_an_earlier_version_in_the_admin_keeps_the_newer_address_working(
    admin_client, client, fixture_sections
):
    section = Section.objects.get(slug="the-trial")
    rename_in_admin(admin_client, section, "trial-dose")
    loaded = Version.objects.get_for_object(section).last()  # the version loaded from content/
    assert loaded.field_dict["slug"] == "the-trial"

    revision_url = reverse("admin:booklet_section_revision", args=[section.pk, loaded.pk])
    assert admin_client.post(revision_url, edit_form(section, slug="the-trial")).status_code == 302
    publish(section)  # restoring makes a draft: approved, it is public again

    assert client.get("/booklet/the-trial/").status_code == 200
    assert client.get("/booklet/trial-dose/")["Location"] == "/booklet/the-trial/"


def test_reverting_a_version_in_code_keeps_the_newer_address_working(client, fixture_sections):
    section = Section.objects.get(slug="the-trial")
    with reversion.create_revision():
        section.slug = "trial-dose"
        section.save()
    Version.objects.get_for_object(section).last().revert()

    assert client.get("/booklet/the-trial/").status_code == 200
    assert client.get("/booklet/trial-dose/")["Location"] == "/booklet/the-trial/"


def test_an_old_address_of_an_unpublished_or_deleted_section_is_a_styled_404(admin_client, client, fixture_sections):
    section = Section.objects.get(slug="the-trial")
    rename_in_admin(admin_client, section, "trial-dose")
    # Taking a page off the site is its own step in the admin, approved like any edit.
    versions = {"draft_version": 0, "published_version": published_version(section).number}
    admin_client.post(reverse("admin:editorial_draft_unpublish", args=[section.pk]), versions)
    publish(section)
    response = client.get("/booklet/the-trial/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()

    section.delete()
    assert client.get("/booklet/the-trial/").status_code == 404
    assert not SlugRedirect.objects.exists()


def test_a_capitalised_address_typed_in_the_admin_is_stored_in_lower_case(admin_client, client, fixture_sections):
    section = Section.objects.get(slug="the-trial")
    rename_in_admin(admin_client, section, "Trial-Dose")
    assert section.slug == "trial-dose"
    assert client.get("/booklet/the-trial/")["Location"] == "/booklet/trial-dose/"


def test_an_address_typed_with_capitals_redirects_to_the_lower_case_page(client, fixture_sections):
    response = client.get("/booklet/The-Trial/")
    assert (response.status_code, response["Location"]) == (301, "/booklet/the-trial/")


SLUGS = ["alpha", "beta", "gamma", "delta"]


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(renames=st.lists(st.tuples(st.sampled_from(["the-trial", "the-pump"]), st.sampled_from(SLUGS)), max_size=8))
def test_any_order_of_renames_leaves_every_old_address_one_hop_from_its_section(client, fixture_sections, renames):
    sid = transaction.savepoint()
    try:
        sections = {name: Section.objects.get(slug=name) for name in ("the-trial", "the-pump")}
        # An address belongs to the section that used it last.
        last_used_by = {name: name for name in sections}
        for name, new_slug in renames:
            section = sections[name]
            if Section.objects.filter(slug=new_slug).exclude(pk=section.pk).exists():
                continue  # the admin refuses an address in use; so do we
            section.slug = new_slug
            section.save()
            last_used_by[new_slug] = name
        for section in sections.values():
            section.refresh_from_db()
        for old, name in last_used_by.items():
            newest = sections[name].get_absolute_url()
            response = client.get(f"/booklet/{old}/")
            if Section.objects.filter(slug=old).exists():
                assert response.status_code == 200, (renames, old)
                continue
            assert (response.status_code, response["Location"]) == (301, newest), (renames, old)
            assert client.get(newest).status_code == 200  # the target never redirects again
    finally:
        transaction.savepoint_rollback(sid)


def test_every_public_address_is_lower_case_words_ending_in_a_slash(client, fixture_sections):
    from tests.public_pages import public_paths

    for path in public_paths():
        address = path.split("?")[0]
        assert re.fullmatch(r"/([a-z0-9]+(-[a-z0-9]+)*/)*", address), path
        if address != "/":
            # Typed without the last slash, it still reaches the page.
            response = client.get(address.rstrip("/"))
            assert (response.status_code, response["Location"]) == (301, address), path
