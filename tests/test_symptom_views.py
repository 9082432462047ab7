"""The checker's pages: a GET form, one care card per result, plain 400s for bad input, nothing logged."""

import logging
import re
from datetime import datetime

import pytest
import time_machine

from itb_portal.symptoms.query import MAX_QUERY_LENGTH, CheckRequest, parse_check
from tests.conftest import LONDON, TUESDAY_MORNING

TUESDAY_NIGHT = datetime(2026, 11, 24, 22, 0, tzinfo=LONDON)
EMAIL = "leedsth-tr.spasticitymanagementservice@nhs.net"

pytestmark = pytest.mark.django_db


def result(client, query: str, at: datetime = TUESDAY_MORNING):
    with time_machine.travel(at, tick=False):
        return client.get(f"/symptoms/result/?{query}")


def care_card(html: str) -> str:
    start = html.index('class="nhsuk-card nhsuk-card--care')
    return html[start : html.index('<h2 id="why"', start)]


def test_the_checker_is_a_get_form_with_red_flags_first(client, fixture_sections):
    response = client.get("/symptoms/")
    html = response.content.decode()
    assert response.status_code == 200 and not response.cookies
    assert re.search(r'<form action="/symptoms/result/" method="get"', html)
    assert "csrfmiddlewaretoken" not in html
    legends = re.findall(r'data-level="([\w-]+)"', html)
    assert legends[:2] == ["call-999", "go-to-ae"]
    assert html.index("Call 999 now for any of these:") < html.index("Go to A&amp;E now if you have:")
    assert 'name="sign" type="checkbox" value="seizures"' in html
    assert 'name="recent_operation" type="checkbox" value="yes"' in html


def test_the_checker_shows_the_disclaimer(client, fixture_sections):
    html = client.get("/symptoms/").content.decode()
    disclaimer = html[html.index('data-testid="disclaimer"') :]
    assert "does not say what is wrong" in disclaimer
    assert "does not replace a doctor or nurse" in disclaimer
    assert 'href="tel:999"' in disclaimer


def test_change_your_answers_brings_the_choices_back(client, fixture_sections):
    html = client.get("/symptoms/?sign=itching&recent_operation=yes").content.decode()
    assert re.search(r'value="itching"\s+checked', html)
    assert re.search(r'value="yes"\s+checked', html)


@pytest.mark.parametrize(
    ("query", "level", "variant"),
    [
        ("sign=seizures", "call-999", "emergency"),
        ("sign=drowsiness", "go-to-ae", "emergency"),
        ("sign=itching", "urgent", "urgent"),
        ("", "non-urgent", "non-urgent"),
    ],
)
def test_each_result_shows_one_care_card_with_its_level(client, fixture_sections, query, level, variant):
    response = result(client, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("nhsuk-card--care ") == 1
    assert f"nhsuk-card--care--{variant}" in html
    assert f'data-level="{level}"' in html
    assert re.search(r'href="tel:[+\d]+"', care_card(html))
    for heading in ('id="why"', 'id="when-you-call"', 'id="if-worse"'):
        assert heading in html
    # The stiffness triggers only where they apply: here, with nothing ticked.
    assert ('id="triggers"' in html) is (query == "")
    assert "I have an intrathecal baclofen pump" in html and "pump ID card" in html


def test_the_result_title_names_the_action(client, fixture_sections):
    html = result(client, "sign=seizures").content.decode()
    assert "<title>Call 999 now – your symptom check" in html


def test_urgent_in_hours_offers_the_nurse_line_as_tap_to_call(client, fixture_sections):
    card = care_card(result(client, "sign=itching").content.decode())
    assert 'href="tel:+441133922178"' in card and 'href="tel:+447766360404"' in card


def test_urgent_out_of_hours_never_shows_the_nurse_line(client, fixture_sections):
    html = result(client, "sign=itching", TUESDAY_NIGHT).content.decode()
    assert "Call 111 now" in care_card(html)
    assert "0113 392 2178" not in html and "0776 636 0404" not in html


def test_no_sign_out_of_hours_never_shows_the_nurse_line_either(client, fixture_sections):
    html = result(client, "", TUESDAY_NIGHT).content.decode()
    assert "0113 392 2178" not in html and 'data-testid="when-to-call-team"' in html


def test_after_an_operation_the_card_offers_the_wards(client, fixture_sections):
    card = care_card(result(client, "sign=pump-alarm&recent_operation=yes", TUESDAY_NIGHT).content.decode())
    assert 'href="tel:+441133927424"' in card and 'href="tel:+441133927425"' in card


@pytest.mark.parametrize("query", ["sign=itching", "sign=seizures", "", "sign=drowsiness&recent_operation=yes"])
def test_no_result_ever_sends_anyone_to_the_email(client, fixture_sections, query):
    for at in (TUESDAY_MORNING, TUESDAY_NIGHT):
        html = result(client, query, at).content.decode()
        assert EMAIL not in html and "mailto:" not in html


def test_a_sign_given_twice_counts_once(client, fixture_sections):
    html = result(client, "sign=itching&sign=itching").content.decode()
    assert "You told us about 1 sign." in html
    assert html.count("<strong>Itchy skin</strong>") == 1


def test_the_order_of_parameters_does_not_change_the_page(client, fixture_sections):
    first = result(client, "sign=fever&sign=goosebumps&recent_operation=yes").content.decode()
    second = result(client, "recent_operation=yes&sign=goosebumps&sign=fever&sign=fever").content.decode()
    assert care_card(first) == care_card(second)
    assert 'data-level="go-to-ae"' in first


def test_the_shared_address_is_canonical(client, fixture_sections):
    html = result(client, "sign=itching&sign=fever&sign=itching").content.decode()
    assert "/symptoms/result/?sign=fever&amp;sign=itching" in html


def test_results_are_never_cached_and_set_no_cookie(client, fixture_sections):
    response = result(client, "sign=itching")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sign=sneezing", "We did not recognise the sign “sneezing”."),
        ("sign=itching&sign=", "One of the signs in the web address was empty."),
        ("signs=seizures", "We did not understand “signs” in the web address."),
        ("sign=itching&recent_operation=maybe", "We did not understand “maybe” as an answer about a recent operation."),
        ("sign=%ff%fe", "We did not recognise the sign"),
        ("sign=%00seizures", "We did not recognise the sign “seizures”."),
        ("sign=" + "x" * MAX_QUERY_LENGTH, "The web address is too long for us to read."),
        ("&".join(["sign=itching"] * 70), "too many signs"),
    ],
)
def test_bad_input_gets_a_400_naming_the_problem_and_the_form_again(client, fixture_sections, query, message):
    response = client.get(f"/symptoms/result/?{query}")
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html.replace("&#34;", '"')
    assert "nhsuk-error-summary" in html
    assert '<form action="/symptoms/result/" method="get"' in html
    assert "Traceback" not in html and not response.cookies


def test_other_methods_are_refused(client, fixture_sections):
    assert client.post("/symptoms/result/", {"sign": "itching"}).status_code == 405


def test_the_chosen_signs_are_never_logged(client, fixture_sections, caplog):
    caplog.set_level(logging.DEBUG)
    result(client, "sign=hallucinations&sign=constipation-diarrhoea&recent_operation=yes")
    client.get("/symptoms/result/?sign=hallucinations&sign=made-up-sign")
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for word in ("hallucinations", "constipation", "made-up-sign", "recent_operation"):
        assert word not in logged


def test_parse_check_accepts_known_signs_and_the_operation_answer():
    assert parse_check("sign=itching&recent_operation=yes", {"itching"}) == CheckRequest(frozenset({"itching"}), True)
    assert parse_check("", {"itching"}) == CheckRequest(frozenset(), False)


# --- Safety fixes of issue 10, on the pages --------------------------------------------------


def test_someone_very_hard_to_wake_is_a_red_flag_at_the_top_of_the_form(client, fixture_sections):
    html = client.get("/symptoms/").content.decode()
    red_flags = html[html.index('data-group="red-flags"') : html.index('data-group="overdose"')]
    assert 'value="hard-to-wake"' in red_flags and "Very hard to wake, or not responding" in red_flags
    overdose = html[html.index('data-group="overdose"') : html.index('data-group="withdrawal"')]
    assert "Feeling very sleepy (drowsiness)" in overdose and "hard to wake" not in overdose.lower()
    html = result(client, "sign=hard-to-wake").content.decode()
    assert 'data-level="call-999"' in care_card(html) and 'href="tel:999"' in care_card(html)


def test_the_a_and_e_card_says_not_to_drive_and_how_else_to_get_there(client, fixture_sections):
    card = care_card(result(client, "sign=dizziness").content.decode())
    assert "Go to A&amp;E now" in card
    assert "Do not drive yourself." in card
    assert "Ask someone to take you, or call 999 if you cannot get there safely." in card


def test_the_checker_says_worse_stiffness_is_a_sign_to_tick(client, fixture_sections):
    html = client.get("/symptoms/").content.decode()
    hint = re.search(r'<p data-testid="stiffness-hint">(.*?)</p>', html, re.S).group(1)
    assert "More stiffness or spasms than usual" in hint and "too little baclofen" in hint
    assert "tick nothing" not in html.lower() and "none of the signs" not in html.lower()


def test_the_no_sign_result_never_reassures_about_worse_stiffness(client, fixture_sections):
    html = result(client, "", TUESDAY_NIGHT).content.decode()
    said = re.search(r'<p data-testid="stiffness-is-a-sign">(.*?)</p>', html, re.S).group(1)
    assert "That is a sign of too little baclofen." in said
    assert 'href="/symptoms/result/?sign=increased-stiffness"' in said
    assert "none of the signs" not in html.lower() and "everyday cause" not in html
    assert "If you have one, go back and tick it." in care_card(html)
    recent = result(client, "recent_operation=yes").content.decode()
    assert 'href="/symptoms/result/?sign=increased-stiffness&amp;recent_operation=yes"' in recent


def test_each_group_hint_names_the_combinations_that_need_a_faster_level(client, fixture_sections):
    html = client.get("/symptoms/").content.decode().replace("&amp;", "&")
    withdrawal = html[html.index('data-group="withdrawal"') : html.index('data-group="other"')]
    assert "Go to A&E now if you have a high temperature together with another sign of too little baclofen." in (
        withdrawal
    )
    assert "Go to A&E now if you have three or more signs of too little baclofen." in withdrawal
    assert "Go to A&E now if you have a fast heartbeat or feeling faint, with another sign of withdrawal." in withdrawal
    other = html[html.index('data-group="other"') : html.index('data-group="pump"')]
    assert "Go to A&E now if you have three or more signs of too much baclofen" in other
    wound = html[html.index('data-group="wound"') : html.index('id="recent-operation"')]
    assert "Go to A&E now if you have a problem with your operation wound together with a high temperature." in wound
    assert "also tick the box below" in wound


@pytest.mark.parametrize(
    ("query", "at", "heading", "numbers"),
    [
        ("sign=wound-problem&recent_operation=yes", TUESDAY_NIGHT, "Call the neurosurgery ward now", ["0113 392 7424"]),
        ("sign=wound-problem", TUESDAY_MORNING, "Call the ITB nurse specialist now", ["0113 392 2178"]),
        ("sign=wound-problem", TUESDAY_NIGHT, "Call 111 now", ["111"]),
        ("sign=wound-problem&sign=fever&recent_operation=yes", TUESDAY_MORNING, "Go to A&amp;E now", ["999"]),
    ],
)
def test_a_wound_problem_gets_urgent_help_and_a_and_e_with_a_fever(
    client, fixture_sections, query, at, heading, numbers
):
    card = care_card(result(client, query, at).content.decode())
    assert heading in card
    for number in numbers:
        assert number in card
