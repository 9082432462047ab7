"""The symptom result page is rendered whole for each request.

Only parts that follow from the advice alone (the care card, the "if things get worse" box) and
parts shared by every page (header, footer) are memoised, keyed by the values they are rendered
from. Nothing memoised holds the signs chosen, the page's address or its share link.
"""

from datetime import datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core.cache import caches
from jinja2 import Template

from itb_portal.addresses import MAX_PATH_LENGTH
from itb_portal.contacts.directory import load_directory
from itb_portal.pagecache import memo
from itb_portal.symptoms.query import CheckRequest
from itb_portal.symptoms.rules import load_rules
from tests.conftest import LONDON, TUESDAY_MORNING

RULES = load_rules()
ALL_SIGNS = sorted(RULES.signs)
RESULT = "/symptoms/result/"


def reason(slug: str) -> str:
    """How the page says why a chosen sign matters."""
    return f"<strong>{RULES.signs[slug].label}</strong>: "


@pytest.fixture
def kept_in_this_process():
    """Everything a result could leave in this process: the fragments rendered for memo (every render of a
    template other than the result page itself), the values memo was asked to keep, and what the local page
    cache was asked to keep."""
    fragments, values, local = [], [], []
    real_render, real_value, real_set = Template.render, memo.for_content_version, caches["local"].set

    def render(template, *args, **kwargs):
        html = real_render(template, *args, **kwargs)
        if template.name != "symptoms/result.html":
            fragments.append(f"{template.name} {args!r} {kwargs!r} {html}")
        return html

    def value(name, compute):
        found = real_value(name, compute)
        values.append(f"{name} {found!r}")
        return found

    def keep(key, page, *args, **kwargs):
        local.append(f"{key} {page!r}")
        return real_set(key, page, *args, **kwargs)

    with (
        mock.patch.object(Template, "render", render),
        mock.patch.object(memo, "for_content_version", value),
        mock.patch.object(caches["local"], "set", keep),
    ):
        yield lambda: " ".join(fragments + values + local)


def test_results_with_the_same_advice_share_one_care_card_and_nothing_else(client, fixture_sections):
    with (
        time_machine.travel(TUESDAY_MORNING, tick=False),
        mock.patch.object(Template, "render", autospec=True, side_effect=Template.render) as made,
    ):
        first = client.get(f"{RESULT}?sign=itching").content.decode()
        made.reset_mock()
        second = client.get(f"{RESULT}?sign=increased-stiffness&sign=goosebumps").content.decode()
    rendered = {call.args[0].name for call in made.call_args_list}
    assert rendered == {"symptoms/result.html"}  # the same advice: every fragment was memoised
    assert reason("itching") in first and reason("itching") not in second
    assert reason("increased-stiffness") in second and reason("goosebumps") in second
    card = first[first.index('data-testid="care-card"') :][:400]
    assert card in second


def test_nothing_memoised_holds_what_anyone_chose_or_a_result_address(client, fixture_sections, kept_in_this_process):
    for query in ("sign=itching", "sign=seizures&recent_operation=yes", "sign=fever&sign=confusion", ""):
        assert client.get(f"{RESULT}?{query}").status_code == 200
    kept = kept_in_this_process()
    assert 'data-testid="care-card"' in kept and 'data-testid="if-worse"' in kept  # the fragments were seen
    for text in ("sign=", "sign%3D", "recent_operation", "/share/?page", "Your symptom check"):
        assert text not in kept
    assert not any(reason(slug) in kept for slug in ("itching", "seizures", "fever", "confusion"))


def test_each_result_names_its_own_share_link(client, fixture_sections):
    first = client.get(f"{RESULT}?sign=itching").content.decode()
    second = client.get(f"{RESULT}?sign=seizures").content.decode()
    assert "/share/?page=%2Fsymptoms%2Fresult%2F%3Fsign%3Ditching" in first
    assert "/share/?page=%2Fsymptoms%2Fresult%2F%3Fsign%3Dseizures" in second
    assert "itching" not in second


def test_a_care_card_memoised_for_one_advice_is_never_shown_for_another(client, fixture_sections):
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        day = client.get(f"{RESULT}?sign=itching").content.decode()
        after_operation = client.get(f"{RESULT}?sign=itching&recent_operation=yes").content.decode()
    with time_machine.travel(datetime(2026, 11, 24, 22, 0, tzinfo=LONDON), tick=False):
        night = client.get(f"{RESULT}?sign=itching").content.decode()
    assert 'data-route="team-open"' in day and "The ITB team is open now" in day
    assert 'data-route="recent-operation"' in after_operation and "The ITB team is open now" not in after_operation
    assert 'data-route="team-closed"' in night and "The ITB team is open now" not in night


def test_a_printed_result_names_its_address_in_the_shared_order(client, fixture_sections):
    html = client.get(f"{RESULT}?sign=seizures&sign=itching").content.decode()
    canonical = "/symptoms/result/?sign=itching&amp;sign=seizures"
    assert f'data-testid="print-address">http://testserver{canonical}<' in html
    assert f'<link rel="canonical" href="http://testserver{canonical}">' in html
    assert 'href="/symptoms/?sign=itching&amp;sign=seizures">Change your answers</a>' in html


def test_a_result_with_every_sign_still_has_an_address_that_can_be_shared():
    every = CheckRequest(signs=frozenset(ALL_SIGNS), recent_operation=True)
    assert len(every.address()) <= MAX_PATH_LENGTH


@pytest.mark.django_db
def test_a_result_shows_a_review_recorded_in_the_admin_as_soon_as_it_is_recorded(client, fixture_sections):
    from itb_portal.datafiles.models import DataFile

    client.get(f"{RESULT}?sign=itching")
    DataFile.objects.create(data=DataFile.RULES, review_started_on=datetime(2026, 11, 27).date())
    html = client.get(f"{RESULT}?sign=itching").content.decode()
    assert "The ITB team started reviewing it on 27 November 2026." in html


def test_a_long_address_with_repeated_signs_still_shares_its_short_canonical_address(client, fixture_sections):
    query = "&".join(["sign=arm-weakness"] * 50 + ["sign=low-blood-pressure"])
    assert len(f"{RESULT}?{query}") > MAX_PATH_LENGTH
    canonical = "/symptoms/result/?sign=arm-weakness&amp;sign=low-blood-pressure"
    html = client.get(f"{RESULT}?{query}").content.decode()
    assert f'<link rel="canonical" href="http://testserver{canonical}">' in html
    assert 'data-testid="share-actions"' in html


def test_memoised_review_dates_say_overdue_from_the_day_after_the_rules_were_due(client, fixture_sections):
    due = datetime.combine(RULES.review.next_review_due, datetime.min.time(), LONDON)
    with time_machine.travel(due + timedelta(hours=12), tick=False):
        on_the_day = client.get(f"{RESULT}?sign=itching").content.decode()
    with time_machine.travel(due + timedelta(days=1, hours=12), tick=False):
        the_day_after = client.get(f"{RESULT}?sign=itching").content.decode()
    assert 'data-testid="review-dates"' in on_the_day and 'data-overdue="true"' not in on_the_day
    assert 'data-overdue="true"' in the_day_after


@pytest.mark.django_db
def test_the_footer_names_the_owner_of_contacts_approved_in_the_admin_at_once(client, fixture_sections, settings):
    from itb_portal.contacts.directory import contacts_path
    from itb_portal.datafiles.models import DataFile

    owner = load_directory().service.copyright
    assert owner in client.get(f"{RESULT}?sign=itching").content.decode()  # the footer is memoised now
    approved = contacts_path().read_text().replace(owner, "© Northshire and Dale NHS Foundation Trust")
    DataFile.objects.create(data=DataFile.CONTACTS, document=approved)
    html = client.get(f"{RESULT}?sign=itching").content.decode()
    footer = html[html.index("nhsuk-footer") :]
    assert "© Northshire and Dale NHS Foundation Trust" in footer and owner not in footer


@pytest.mark.parametrize(
    "moment", [datetime(2026, 11, 24, 10, 0), datetime(2026, 11, 28, 22, 0)], ids=["open", "closed"]
)
def test_a_result_made_with_memoised_parts_is_the_page_rendered_afresh(client, fixture_sections, moment):
    queries = ["", "sign=itching", "sign=seizures", "sign=drowsiness", "sign=increased-stiffness&sign=goosebumps"]
    queries += [
        "sign=fever&sign=confusion",
        "sign=itching&recent_operation=yes",
        "sign=wound-problem&recent_operation=yes",
    ]
    queries += ["sign=pump-alarm", "&".join(f"sign={slug}" for slug in ALL_SIGNS)]
    with time_machine.travel(moment.replace(tzinfo=LONDON), tick=False):
        for query in queries:  # every advice's parts memoised first
            client.get(f"{RESULT}?{query}")
        with mock.patch.object(Template, "render", autospec=True, side_effect=Template.render) as made:
            memoised = [client.get(f"{RESULT}?{query}").content.decode() for query in queries]
        with mock.patch.object(memo, "enabled", return_value=False):
            fresh = [client.get(f"{RESULT}?{query}").content.decode() for query in queries]
    assert {call.args[0].name for call in made.call_args_list} == {"symptoms/result.html"}  # every part memoised
    for query, kept, made in zip(queries, memoised, fresh, strict=True):
        assert kept == made, query
