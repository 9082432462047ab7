"""The result page filled into a shell (itb_portal/symptoms/result_page.py) is the page rendered whole.

The shell is rendered once per advice variant with markers for each request's own values, so
a mistake there would show one person another variant's advice or a wrong address. The property
test ranges over sign sets, answer orders, the recent operation, moments and hosts, and compares
every byte with the page rendered whole.
"""

import os
from datetime import UTC, datetime
from unittest import mock
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itb_portal.contacts.directory import load_directory
from itb_portal.pagecache.pages import for_content_version
from itb_portal.sharing.qr import MAX_PATH_LENGTH
from itb_portal.symptoms import result_page
from itb_portal.symptoms.cards import every_advice
from itb_portal.symptoms.rules import load_rules
from itb_portal.symptoms.views import CheckRequest

LONDON = ZoneInfo("Europe/London")
RULES = load_rules()
ALL_SIGNS = sorted(RULES.signs)
RESULT = "/symptoms/result/"

moments = st.one_of(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),
    st.sampled_from(
        [
            datetime(2026, 11, 24, 10, 0, tzinfo=LONDON),  # the team is open
            datetime(2026, 11, 24, 16, 0, tzinfo=LONDON),  # it has just closed
            datetime(2026, 12, 25, 10, 0, tzinfo=LONDON),  # a bank holiday
        ]
    ),
)
answers = st.lists(st.sampled_from(ALL_SIGNS), max_size=30)  # any order, repeats allowed
SHELLS = settings(
    max_examples=int(os.environ.get("SHELL_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def reason(slug: str) -> str:
    """How the page says why a chosen sign matters."""
    return f"<strong>{RULES.signs[slug].label}</strong>: "


def get(path: str, host: str, https: bool) -> str:
    client = Client(HTTP_HOST=host, **({"HTTP_X_FORWARDED_PROTO": "https"} if https else {}))
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@SHELLS
@given(
    chosen=answers,
    recent=st.booleans(),
    at=moments,
    host=st.sampled_from(["testserver", "localhost", "127.0.0.1"]),
    https=st.booleans(),
)
def test_a_result_from_its_shell_is_byte_for_byte_the_page_rendered_whole(
    fixture_sections, chosen, recent, at, host, https
):
    query = urlencode([("sign", slug) for slug in chosen] + ([("recent_operation", "yes")] if recent else []))
    path = RESULT + (f"?{query}" if query else "")
    with time_machine.travel(at, tick=False):
        from_shell = get(path, host, https)
        with mock.patch.object(result_page, "enabled", return_value=False):
            whole = get(path, host, https)
    assert from_shell == whole


def test_every_advice_variant_has_a_shell_that_accounts_for_every_marker(rf, fixture_sections):
    rules, directory = load_rules(), load_directory()
    shells = result_page.build_shells(rf.get(RESULT), rules, directory)
    assert set(shells) == set(every_advice(rules, directory))
    assert all(shell is not None for shell in shells.values())


def test_a_result_is_served_from_its_shell(client, fixture_sections):
    with mock.patch.object(result_page, "render_whole", wraps=result_page.render_whole) as whole:
        client.get(f"{RESULT}?sign=itching")  # the first request renders every shell
        whole.reset_mock()
        html = client.get(f"{RESULT}?sign=seizures&sign=itching").content.decode()
    assert whole.call_count == 0
    assert 'data-level="call-999"' in html
    assert all(reason(slug) in html for slug in ("seizures", "itching"))


def test_shells_keep_nothing_of_what_anyone_chose(client, fixture_sections):
    for query in ("sign=itching", "sign=seizures&recent_operation=yes", "sign=fever&sign=confusion"):
        client.get(f"{RESULT}?{query}")
    kept = for_content_version("result-shells", dict)
    assert kept, "the shells were kept"
    texts = [part for shells in kept.values() for shell in shells.values() for part in shell.parts]
    for text in (part for part in texts if isinstance(part, str)):
        assert "sign=" not in text and "recent_operation=" not in text
        assert not any(reason(slug) in text for slug in ("itching", "seizures", "fever", "confusion"))


def test_a_printed_result_names_its_address_in_the_shared_order(client, fixture_sections):
    html = client.get(f"{RESULT}?sign=seizures&sign=itching").content.decode()
    canonical = "/symptoms/result/?sign=itching&amp;sign=seizures"
    assert f'data-testid="print-address">http://testserver{canonical}<' in html
    assert f'<link rel="canonical" href="http://testserver{canonical}">' in html


def test_a_result_with_every_sign_still_has_an_address_that_can_be_shared():
    every = CheckRequest(signs=frozenset(ALL_SIGNS), recent_operation=True)
    assert len(result_page.result_path(every.query_string())) <= MAX_PATH_LENGTH


@pytest.mark.django_db
def test_a_result_shows_a_review_recorded_in_the_admin_as_soon_as_it_is_recorded(client, fixture_sections):
    from itb_portal.contacts.models import DataReview

    client.get(f"{RESULT}?sign=itching")
    DataReview.objects.create(data=DataReview.RULES, review_started_on=datetime(2026, 11, 27).date())
    html = client.get(f"{RESULT}?sign=itching").content.decode()
    assert "The ITB team started reviewing it on 27 November 2026." in html


def test_a_long_address_with_repeated_signs_still_shares_its_short_canonical_address(client, fixture_sections):
    query = "&".join(["sign=arm-weakness"] * 50 + ["sign=low-blood-pressure"])
    assert len(f"{RESULT}?{query}") > MAX_PATH_LENGTH
    canonical = "/symptoms/result/?sign=arm-weakness&amp;sign=low-blood-pressure"
    from_shell = client.get(f"{RESULT}?{query}").content.decode()
    with mock.patch.object(result_page, "enabled", return_value=False):
        whole = client.get(f"{RESULT}?{query}").content.decode()
    for html in (from_shell, whole):
        assert f'<link rel="canonical" href="http://testserver{canonical}">' in html
        assert 'data-testid="share-actions"' in html
