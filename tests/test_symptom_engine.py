"""The symptom engine is safe for every combination of signs, context and moment.

Property tests (hypothesis) range over every subset of signs, both answers about a
recent operation, and moments across the week, clock changes and bank holidays.
The team's hours are checked against a plain oracle written here, not against the
code under test. A table of worked examples follows.
"""

import itertools
from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itb_portal.contacts.directory import load_directory
from itb_portal.symptoms.engine import Context, Outcome, UnknownSign, assess
from itb_portal.symptoms.query import CheckRequest, parse_check
from itb_portal.symptoms.rules import load_rules
from tests.conftest import LONDON, TUESDAY_MORNING

RULES = load_rules()
DIRECTORY = load_directory()
ALL_SIGNS = sorted(RULES.signs)
RED_FLAGS = ("hard-to-wake", "seizures", "breathing-difficulty", "confusion", "hallucinations", "slurred-speech")
# The booklet's lists (p17), written here apart from the data: the oracle below is built from them.
BOOKLET_OVERDOSE = {"drowsiness", "leg-weakness", "dizziness", "hard-to-wake"}
BOOKLET_OTHER_SIDE_EFFECTS = {
    "upper-body-weakness",
    "nausea-vomiting",
    "low-blood-pressure",
    "constipation-diarrhoea",
    "slurred-speech",
    "arm-weakness",
    "headache",
    "numbness-tingling",
    "itching",
    "blurred-vision",
    "lethargy",
    "breathing-difficulty",
    "seizures",
    "urine-difficulty",
}
BOOKLET_WITHDRAWAL = {
    "confusion",
    "fast-heart-rate",
    "fever",
    "goosebumps",
    "hallucinations",
    "increased-stiffness",
    "itching",
    "low-blood-pressure",
    "seizures",
}
# Signs of too little baclofen that are also side effects count only as withdrawal: itching and
# feeling faint never make "three signs of too much baclofen" (issue 20, point 2).
OVERDOSE_CLUSTER = (BOOKLET_OVERDOSE | BOOKLET_OTHER_SIDE_EFFECTS) - BOOKLET_WITHDRAWAL
# The body-wide signs of withdrawal: with any other sign of it, A&E (docs/clinical-safety.md, H52).
WITHDRAWAL_ALARMS = {"fast-heart-rate", "low-blood-pressure"}
# Beyond the booklet (H56): after an operation on the spine, two of these together can mean meningitis.
SPINE_SIGNS = {"headache", "fever", "stiff-neck"}
GO_TO_AE_ALONE = {"drowsiness", "leg-weakness", "dizziness", "arm-weakness", "upper-body-weakness"}
RANK = {"non-urgent": 1, "urgent": 2, "go-to-ae": 3, "call-999": 4}
EMAIL = "leedsth-tr.spasticitymanagementservice@nhs.net"
NURSE_NUMBERS = {"0113 392 2178", "0776 636 0404"}
LISTED_NUMBERS = {phone.number for line in DIRECTORY.lines for phone in line.phones}
ENGLAND_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG", years=range(2025, 2030))

# Days where getting the hours wrong is most likely: clock changes and bank holidays.
AWKWARD_DAYS = [
    date(2026, 3, 29),  # clocks go forward (Sunday)
    date(2026, 3, 30),  # first Monday of British Summer Time
    date(2026, 10, 25),  # clocks go back (Sunday)
    date(2026, 10, 26),  # first Monday of GMT
    date(2027, 3, 28),
    date(2027, 10, 31),
    date(2026, 12, 25),  # Christmas Day
    date(2026, 12, 28),  # Boxing Day falls on a Saturday: substitute Monday
    date(2027, 5, 3),  # Early May bank holiday
    date(2026, 8, 31),  # Summer bank holiday (England, not Scotland)
    date(2027, 1, 1),
    date(2026, 4, 3),  # Good Friday
    date(2026, 4, 6),  # Easter Monday
]

sign_sets = st.frozensets(st.sampled_from(ALL_SIGNS))
contexts = st.builds(Context, recent_operation=st.booleans())


def minutes_into(day: date, minutes: int) -> datetime:
    """A moment `minutes` after midnight London time on `day`, counted in real (UTC) minutes."""
    midnight = datetime.combine(day, time(), tzinfo=LONDON).astimezone(UTC)
    return midnight + timedelta(minutes=minutes)


moments = st.one_of(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(UTC)),
    st.builds(minutes_into, st.sampled_from(AWKWARD_DAYS), st.integers(min_value=0, max_value=24 * 60 - 1)),
    # The minutes either side of opening and closing, on any weekday.
    st.builds(
        lambda day, edge, offset: datetime.combine(day, edge, tzinfo=LONDON) + timedelta(minutes=offset),
        st.dates(min_value=date(2025, 1, 1), max_value=date(2029, 12, 31)),
        st.sampled_from([time(8), time(16)]),
        st.integers(min_value=-2, max_value=1),
    ),
)
PROPERTY = settings(max_examples=400, deadline=None)


def team_is_open(at: datetime) -> bool:
    """The oracle: Monday to Friday, 08:00 to 16:00 London time, except bank holidays in England."""
    local = at.astimezone(LONDON)
    return local.weekday() < 5 and time(8) <= local.time() < time(16) and local.date() not in ENGLAND_HOLIDAYS


def offered_numbers(outcome: Outcome) -> set[str]:
    return set(outcome.numbers)


@PROPERTY
@given(signs=sign_sets, extra=st.sampled_from(ALL_SIGNS), context=contexts, at=moments)
def test_adding_a_sign_never_lowers_the_level(signs, extra, context, at):
    before = assess(signs, context, at)
    after = assess(signs | {extra}, context, at)
    assert RANK[after.level] >= RANK[before.level]


def test_adding_a_sign_never_lowers_the_level_for_every_small_combination():
    # Exhaustive over every set of up to three signs, plus every sign added to it.
    at = TUESDAY_MORNING
    for size in range(4):
        for combo in itertools.combinations(ALL_SIGNS, size):
            base = RANK[assess(frozenset(combo), Context(), at).level]
            for extra in ALL_SIGNS:
                assert RANK[assess(frozenset(combo) | {extra}, Context(), at).level] >= base, (combo, extra)


@PROPERTY
@given(signs=sign_sets, flag=st.sampled_from(RED_FLAGS), context=contexts, at=moments)
def test_any_red_flag_means_call_999_whatever_else_is_chosen(signs, flag, context, at):
    outcome = assess(signs | {flag}, context, at)
    assert outcome.level == "call-999"
    assert outcome.heading == "Call 999 now"
    assert "999" in outcome.numbers


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments)
def test_every_outcome_names_a_phone_number_and_never_the_email(signs, context, at):
    outcome = assess(signs, context, at)
    numbers = offered_numbers(outcome)
    assert numbers, outcome
    assert numbers <= LISTED_NUMBERS | {"999", "111"}
    assert numbers & ({"999", "111"} | LISTED_NUMBERS)
    for text in (outcome.heading, outcome.action, outcome.if_worse):
        assert EMAIL not in text and "email" not in text.lower()


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments)
def test_outside_the_hours_the_card_never_offers_the_closed_nurse_line(signs, context, at):
    outcome = assess(signs, context, at)
    if not team_is_open(at):
        assert not offered_numbers(outcome) & NURSE_NUMBERS
        assert "nurse-specialist" not in {line.id for line in outcome.lines}
        assert outcome.team_open is False


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments)
def test_urgent_advice_goes_to_the_right_people_at_the_right_time(signs, context, at):
    outcome = assess(signs, context, at)
    if outcome.level != "urgent":
        return
    if context.recent_operation:
        assert {"0113 392 7424", "0113 392 7425"} <= offered_numbers(outcome)
    elif team_is_open(at):
        assert "0113 392 2178" in offered_numbers(outcome)
    else:
        assert "111" in offered_numbers(outcome)
        assert outcome.heading == "Call 111 now"


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments, later=moments)
def test_emergency_advice_is_the_same_at_every_hour(signs, context, at, later):
    first, second = assess(signs, context, at), assess(signs, Context(not context.recent_operation), later)
    assert first.level == second.level  # the level depends on the signs alone
    if first.level in ("call-999", "go-to-ae"):
        assert (first.heading, first.action, first.numbers) == (second.heading, second.action, second.numbers)


@PROPERTY
@given(
    slugs=st.lists(st.sampled_from(ALL_SIGNS), max_size=12),
    recent=st.booleans(),
    shuffle=st.randoms(use_true_random=False),
    at=moments,
)
def test_the_order_of_parameters_and_repeats_never_change_the_result(slugs, recent, shuffle, at):
    pairs = [("sign", slug) for slug in slugs] + ([("recent_operation", "yes")] * (2 if recent else 0))
    shuffled = pairs[:]
    shuffle.shuffle(shuffled)
    deduplicated = list(dict.fromkeys(pairs))
    parsed = [
        parse_check("&".join(f"{k}={v}" for k, v in order), RULES.signs) for order in (pairs, shuffled, deduplicated)
    ]
    assert all(isinstance(p, CheckRequest) for p in parsed)
    assert parsed[0] == parsed[1] == parsed[2] == CheckRequest(frozenset(slugs), recent)
    outcomes = {assess(p.signs, Context(p.recent_operation), at) for p in parsed}
    assert len(outcomes) == 1


def test_a_moment_without_a_timezone_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        assess(frozenset(), Context(), datetime(2026, 11, 24, 10, 0))


def test_an_unknown_sign_is_refused_by_the_engine():
    with pytest.raises(UnknownSign):
        assess(frozenset({"not-a-sign"}), Context(), TUESDAY_MORNING)


def test_each_sign_can_point_to_more_than_one_cause():
    outcome = assess(frozenset({"itching", "seizures"}), Context(), TUESDAY_MORNING)
    points = {reason.slug: reason.points_to for reason in outcome.reasons}
    assert points["itching"] == (
        "Too little baclofen (underdose or withdrawal)",
        "A possible side effect of baclofen",
    )
    assert len(points["seizures"]) == 2


def oracle_level(signs: frozenset[str]) -> str:
    """The level the booklet and our escalations (docs/clinical-safety.md, section 4) ask for,
    written out here rule by rule, apart from rules.yaml."""
    if signs & set(RED_FLAGS):
        return "call-999"
    if (
        signs & GO_TO_AE_ALONE
        or len(signs & OVERDOSE_CLUSTER) >= 3
        or ("fever" in signs and signs & (BOOKLET_WITHDRAWAL - {"fever"}))
        or len(signs & BOOKLET_WITHDRAWAL) >= 3
        or (signs & WITHDRAWAL_ALARMS and len(signs & BOOKLET_WITHDRAWAL) >= 2)
        or {"wound-problem", "fever"} <= signs
        or len(signs & SPINE_SIGNS) >= 2
    ):
        return "go-to-ae"
    return "urgent" if signs else "non-urgent"


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments)
def test_every_combination_gets_exactly_the_level_the_booklet_asks_for(signs, context, at):
    assert assess(signs, context, at).level == oracle_level(signs)


def test_the_oracle_and_the_rules_agree_on_every_set_of_up_to_three_signs():
    at = TUESDAY_MORNING
    for size in range(4):
        for combo in itertools.combinations(ALL_SIGNS, size):
            assert assess(frozenset(combo), Context(), at).level == oracle_level(frozenset(combo)), combo


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments)
def test_someone_very_hard_to_wake_always_gets_999(signs, context, at):
    outcome = assess(signs | {"hard-to-wake"}, context, at)
    assert outcome.level == "call-999" and "999" in outcome.numbers


@PROPERTY
@given(signs=sign_sets.filter(lambda s: not s & set(RED_FLAGS)), context=contexts, at=moments)
def test_feeling_very_sleepy_goes_to_a_and_e_and_only_a_red_flag_makes_it_999(signs, context, at):
    assert assess(signs | {"drowsiness"}, context, at).level == "go-to-ae"


@PROPERTY
@given(signs=sign_sets, at=moments)
def test_a_wound_problem_is_always_at_least_urgent_and_goes_to_the_wards_after_an_operation(signs, at):
    without_box = assess(signs | {"wound-problem"}, Context(recent_operation=False), at)
    with_box = assess(signs | {"wound-problem"}, Context(recent_operation=True), at)
    assert RANK[without_box.level] >= RANK["urgent"] and RANK[with_box.level] >= RANK["urgent"]
    if with_box.level == "urgent":
        assert set(WARDS) <= set(with_box.numbers)
        assert with_box.route == "recent-operation"


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments)
def test_a_wound_problem_with_a_fever_is_at_least_a_and_e(signs, context, at):
    assert RANK[assess(signs | {"wound-problem", "fever"}, context, at).level] >= RANK["go-to-ae"]


@PROPERTY
@given(
    chosen=st.lists(st.sampled_from(sorted(OVERDOSE_CLUSTER)), min_size=3, unique=True),
    others=sign_sets,
    context=contexts,
    at=moments,
)
def test_three_or_more_signs_of_overdose_or_its_side_effects_are_at_least_a_and_e(chosen, others, context, at):
    assert RANK[assess(frozenset(chosen) | others, context, at).level] >= RANK["go-to-ae"]


@pytest.mark.parametrize(
    "pair",
    [("headache", "nausea-vomiting"), ("lethargy", "blurred-vision"), ("itching", "constipation-diarrhoea")],
)
def test_two_side_effects_together_stay_urgent(pair):
    assert assess(frozenset(pair), Context(), TUESDAY_MORNING).level == "urgent"


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments)
def test_the_a_and_e_card_says_do_not_drive_and_how_else_to_get_there(signs, context, at):
    outcome = assess(signs, context, at)
    if outcome.level == "go-to-ae":
        assert "Do not drive yourself." in outcome.action
        assert "Ask someone to take you, or call 999 if you cannot get there safely." in outcome.action


@PROPERTY
@given(signs=sign_sets, pump=st.sampled_from(["pump-alarm", "missed-refill", "mri-not-checked"]), at=moments)
def test_a_pump_problem_is_always_at_least_urgent(signs, pump, at):
    assert RANK[assess(signs | {pump}, Context(), at).level] >= RANK["urgent"]


# --- Worked examples -------------------------------------------------------------

NURSE, WARDS, NHS111, CALL999 = "0113 392 2178", ("0113 392 7424", "0113 392 7425"), "111", "999"

WORKED_EXAMPLES = [
    # signs, recent operation, London time, level, a number that must be offered, heading
    (["seizures"], False, "2026-11-24 10:00", "call-999", CALL999, "Call 999 now"),
    (["seizures", "itching"], True, "2026-12-25 03:00", "call-999", CALL999, "Call 999 now"),
    (["breathing-difficulty"], False, "2026-03-29 01:30", "call-999", CALL999, "Call 999 now"),
    (["slurred-speech", "headache"], False, "2026-10-25 01:30", "call-999", CALL999, "Call 999 now"),
    (["hallucinations"], False, "2027-05-03 12:00", "call-999", CALL999, "Call 999 now"),
    (["confusion"], True, "2026-11-24 12:00", "call-999", CALL999, "Call 999 now"),
    (["drowsiness"], False, "2026-11-24 10:00", "go-to-ae", CALL999, "Go to A&E now"),
    (["leg-weakness"], True, "2026-11-24 10:00", "go-to-ae", CALL999, "Go to A&E now"),
    (["dizziness"], False, "2026-12-28 09:00", "go-to-ae", CALL999, "Go to A&E now"),
    (["arm-weakness"], False, "2026-11-28 22:00", "go-to-ae", CALL999, "Go to A&E now"),
    (["upper-body-weakness"], False, "2026-11-24 07:59", "go-to-ae", CALL999, "Go to A&E now"),
    (["fever", "goosebumps"], False, "2026-11-24 10:00", "go-to-ae", CALL999, "Go to A&E now"),
    (["fever", "increased-stiffness"], False, "2026-11-24 10:00", "go-to-ae", CALL999, "Go to A&E now"),
    (["fast-heart-rate", "low-blood-pressure"], False, "2026-11-24 10:00", "go-to-ae", CALL999, "Go to A&E now"),
    (["hard-to-wake"], False, "2026-11-24 10:00", "call-999", CALL999, "Call 999 now"),
    (["hard-to-wake", "drowsiness"], True, "2026-11-28 03:00", "call-999", CALL999, "Call 999 now"),
    (["headache", "nausea-vomiting", "lethargy"], False, "2026-11-24 10:00", "go-to-ae", CALL999, "Go to A&E now"),
    (["itching", "low-blood-pressure", "headache"], False, "2026-11-28 22:00", "go-to-ae", CALL999, "Go to A&E now"),
    (["wound-problem", "fever"], True, "2026-11-24 10:00", "go-to-ae", CALL999, "Go to A&E now"),
    (["wound-problem", "fever"], False, "2026-11-24 20:00", "go-to-ae", CALL999, "Go to A&E now"),
    # A red, leaking wound two weeks after the operation: the wards, at any hour (once "non-urgent").
    (["wound-problem"], True, "2026-11-24 10:00", "urgent", WARDS[0], "Call the neurosurgery ward now"),
    (["wound-problem"], True, "2026-11-29 02:00", "urgent", WARDS[1], "Call the neurosurgery ward now"),
    # Without the operation box it is still urgent: the team in its hours, 111 outside them.
    (["wound-problem"], False, "2026-11-24 10:00", "urgent", NURSE, "Call the ITB nurse specialist now"),
    (["wound-problem"], False, "2026-11-24 20:00", "urgent", NHS111, "Call 111 now"),
    (["missed-refill"], False, "2026-11-24 10:00", "urgent", NURSE, "Call the ITB nurse specialist now"),
    (["mri-not-checked"], False, "2026-11-28 10:00", "urgent", NHS111, "Call 111 now"),
    (["headache", "nausea-vomiting"], False, "2026-11-24 10:00", "urgent", NURSE, "Call the ITB nurse specialist now"),
    # Urgent within the team's hours: the nurse specialist.
    (["itching"], False, "2026-11-24 08:00", "urgent", NURSE, "Call the ITB nurse specialist now"),
    (["itching"], False, "2026-11-24 15:59", "urgent", NURSE, "Call the ITB nurse specialist now"),
    (["fever"], False, "2026-11-24 10:00", "urgent", NURSE, "Call the ITB nurse specialist now"),
    (["pump-alarm"], False, "2026-03-30 08:00", "urgent", NURSE, "Call the ITB nurse specialist now"),
    (["fast-heart-rate"], False, "2026-10-26 15:59", "urgent", NURSE, "Call the ITB nurse specialist now"),
    # Urgent outside the hours: 111.
    (["itching"], False, "2026-11-24 07:59", "urgent", NHS111, "Call 111 now"),
    (["itching"], False, "2026-11-24 16:00", "urgent", NHS111, "Call 111 now"),
    (["pump-alarm"], False, "2026-11-28 10:00", "urgent", NHS111, "Call 111 now"),  # Saturday
    (["pump-alarm"], False, "2026-03-29 10:00", "urgent", NHS111, "Call 111 now"),  # Sunday, clocks change
    (["headache"], False, "2026-12-25 10:00", "urgent", NHS111, "Call 111 now"),  # Christmas Day
    (["headache"], False, "2026-12-28 10:00", "urgent", NHS111, "Call 111 now"),  # substitute Boxing Day
    (["headache"], False, "2027-05-03 10:00", "urgent", NHS111, "Call 111 now"),  # Early May bank holiday
    (["lethargy"], False, "2026-04-03 11:00", "urgent", NHS111, "Call 111 now"),  # Good Friday
    # After an operation: the wards, at any hour.
    (["pump-alarm"], True, "2026-11-24 10:00", "urgent", WARDS[0], "Call the neurosurgery ward now"),
    (["itching"], True, "2026-12-25 03:00", "urgent", WARDS[1], "Call the neurosurgery ward now"),
    # No sign: triggers, and when to call.
    ([], False, "2026-11-24 10:00", "non-urgent", NURSE, "Check for common triggers"),
    ([], False, "2026-11-24 20:00", "non-urgent", NHS111, "Check for common triggers"),
    ([], True, "2026-11-24 20:00", "non-urgent", WARDS[0], "Check for common triggers"),
]


@pytest.mark.parametrize(("signs", "recent", "local", "level", "number", "heading"), WORKED_EXAMPLES)
def test_worked_example(signs, recent, local, level, number, heading):
    at = datetime.fromisoformat(local).replace(tzinfo=LONDON)
    outcome = assess(frozenset(signs), Context(recent_operation=recent), at)
    assert outcome.level == level
    assert number in outcome.numbers
    assert outcome.heading == heading
    if not team_is_open(at):
        assert NURSE not in outcome.numbers


@pytest.mark.parametrize(
    ("utc", "open_"),
    [
        ("2026-03-27T07:59:00+00:00", False),  # Friday before BST: 07:59 GMT
        ("2026-03-27T08:00:00+00:00", True),
        ("2026-03-30T06:59:00+00:00", False),  # Monday in BST: 07:59 London
        ("2026-03-30T07:00:00+00:00", True),  # 08:00 London
        ("2026-03-30T14:59:00+00:00", True),  # 15:59 London
        ("2026-03-30T15:00:00+00:00", False),  # 16:00 London
        ("2026-10-23T14:59:00+00:00", True),  # Friday in BST: 15:59 London
        ("2026-10-26T15:59:00+00:00", True),  # Monday in GMT: 15:59 London
        ("2026-10-26T16:00:00+00:00", False),
    ],
)
def test_the_team_hours_follow_uk_clock_changes(utc, open_):
    at = datetime.fromisoformat(utc)
    assert assess(frozenset({"itching"}), Context(), at).team_open is open_
    assert team_is_open(at) is open_


@pytest.mark.parametrize("sign", [s.slug for s in RULES.signs_of("withdrawal") if s.slug != "fever"])
def test_fever_with_any_other_withdrawal_sign_needs_at_least_a_and_e(sign):
    outcome = assess(frozenset({"fever", sign}), Context(), TUESDAY_MORNING)
    assert RANK[outcome.level] >= RANK["go-to-ae"]


# --- Advice by reason (issue 20, points 1 and 2; docs/clinical-safety.md, H51 and H52) -----------

OVERDOSE_WORDS = ("turn your pump down", "too much baclofen")
WITHDRAWAL_WORDS = "may be getting too little baclofen"
SAYS = {key: explanation.says for key, explanation in RULES.reasons.items()}
WITHDRAWAL_SIGNS = sorted(BOOKLET_WITHDRAWAL)


def said(outcome: Outcome) -> str:
    """Everything the care card says beside the numbers: its heading, action and reasons."""
    return " ".join([outcome.heading, outcome.action, *(e.says for e in outcome.explanations)]).lower()


def reasons_given(signs: frozenset[str]) -> set[str]:
    """The oracle: the reasons of the rules that decided the level, read from the rules' ids alone."""
    level = RULES.level_of(signs)
    return {rule.reason for rule in RULES.fired(signs) if rule.level == level.id and rule.reason}


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments)
def test_no_level_says_anything_about_the_dose_on_its_own(signs, context, at):
    outcome = assess(signs, context, at)
    for words in (*OVERDOSE_WORDS, WITHDRAWAL_WORDS):
        assert words not in (outcome.heading + " " + outcome.action).lower()


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments)
def test_overdose_words_only_ever_come_from_an_overdose_rule_alone(signs, context, at):
    outcome = assess(signs, context, at)
    reasons = reasons_given(signs)
    if any(words in said(outcome) for words in OVERDOSE_WORDS):
        assert reasons & {"overdose"} and not reasons & {"withdrawal"}, (sorted(signs), outcome.fired_rules)


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments)
def test_a_and_e_through_a_withdrawal_or_wound_rule_never_shows_overdose_words(signs, context, at):
    outcome = assess(signs, context, at)
    deciding = {RULES_BY_ID[rule_id].reason for rule_id in outcome.fired_rules}
    # Reached through a withdrawal, wound or spine rule and no overdose rule; or through withdrawal and
    # overdose rules together ("it can be either"). With a sign of too much baclofen besides a wound
    # problem, the overdose words are right for that sign, and are said beside the wound's.
    through_others = deciding & {"withdrawal", "wound", "spine"} and "overdose" not in deciding
    if outcome.level == "go-to-ae" and (through_others or {"withdrawal", "overdose"} <= deciding):
        assert not any(words in said(outcome) for words in OVERDOSE_WORDS), (sorted(signs), outcome.fired_rules)


@PROPERTY
@given(signs=sign_sets, context=contexts, at=moments)
def test_too_little_baclofen_is_named_whenever_a_withdrawal_rule_decided_the_level(signs, context, at):
    outcome = assess(signs, context, at)
    reasons = reasons_given(signs)
    if "withdrawal" in reasons:
        assert SAYS["withdrawal"] in [e.says for e in outcome.explanations] or (
            "overdose" in reasons and SAYS["unclear-dose"] in [e.says for e in outcome.explanations]
        )
        assert "pump card" in said(outcome)


@PROPERTY
@given(
    chosen=st.lists(st.sampled_from(WITHDRAWAL_SIGNS), min_size=3, unique=True),
    others=sign_sets,
    context=contexts,
    at=moments,
)
def test_three_or_more_signs_of_too_little_baclofen_are_at_least_a_and_e(chosen, others, context, at):
    assert RANK[assess(frozenset(chosen) | others, context, at).level] >= RANK["go-to-ae"]


@PROPERTY
@given(
    alarm=st.sampled_from(sorted(WITHDRAWAL_ALARMS)),
    other=st.sampled_from(WITHDRAWAL_SIGNS),
    others=sign_sets,
    context=contexts,
    at=moments,
)
def test_a_fast_heartbeat_or_feeling_faint_with_another_withdrawal_sign_is_at_least_a_and_e(
    alarm, other, others, context, at
):
    if other == alarm:
        return
    assert RANK[assess(frozenset({alarm, other}) | others, context, at).level] >= RANK["go-to-ae"]


@pytest.mark.parametrize("pair", list(itertools.combinations(["increased-stiffness", "itching", "goosebumps"], 2)))
def test_two_early_signs_of_too_little_baclofen_stay_urgent_and_say_so(pair):
    outcome = assess(frozenset(pair), Context(), TUESDAY_MORNING)
    assert outcome.level == "urgent"
    assert [e.id for e in outcome.explanations] == ["withdrawal"]


def test_itching_feeling_faint_and_a_headache_go_to_a_and_e_for_too_little_baclofen():
    outcome = assess(
        frozenset({"itching", "low-blood-pressure", "headache"}), Context(), datetime(2026, 11, 24, 3, tzinfo=LONDON)
    )
    assert outcome.level == "go-to-ae"
    assert "several-overdose-signs" not in outcome.fired_rules
    assert [e.id for e in outcome.explanations] == ["withdrawal"]
    assert "turn your pump down" not in said(outcome)


def test_signs_of_too_much_and_too_little_together_say_it_could_be_either():
    outcome = assess(
        frozenset({"drowsiness", "fever", "goosebumps"}), Context(), datetime(2026, 11, 24, 3, tzinfo=LONDON)
    )
    assert [e.id for e in outcome.explanations] == ["unclear-dose"]
    assert "turn your pump down" not in said(outcome)


def test_a_missed_refill_says_an_empty_pump_means_too_little_baclofen_and_which_signs_to_watch_for():
    outcome = assess(frozenset({"missed-refill"}), Context(), datetime(2026, 11, 24, 3, tzinfo=LONDON))
    (explanation,) = outcome.explanations
    assert "too little baclofen" in explanation.says and "empty" in explanation.says
    assert {label for label, _now in explanation.watch_for} == {RULES.signs[slug].label for slug in BOOKLET_WITHDRAWAL}
    # A 999 sign in the list says so beside it.
    assert dict(explanation.watch_for)[RULES.signs["seizures"].label] == "Call 999 now"


@pytest.mark.parametrize("pair", list(itertools.combinations(sorted(SPINE_SIGNS), 2)))
def test_two_signs_of_meningitis_or_a_spinal_fluid_leak_are_a_and_e(pair):
    outcome = assess(frozenset(pair), Context(recent_operation=True), datetime(2026, 11, 24, 3, tzinfo=LONDON))
    assert outcome.level == "go-to-ae"
    assert "spine" in [e.id for e in outcome.explanations]


RULES_BY_ID = {rule.id: rule for rule in RULES.rules}
