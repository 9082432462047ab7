"""With no signal, the checker's answer (static/js/offline-answer.mjs, run here under Node) puts
first the level the server would give for the same signs (RuleBook.level_of), worked out from the
rules' data the page carries: for every sign alone, every pair, and many larger choices."""

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itb_portal.companion.views import offline_rules
from itb_portal.symptoms.rules import load_rules

RUNNER = Path(__file__).parent / "js" / "offline_answer_levels.mjs"
RULES = load_rules()
SLUGS = sorted(RULES.signs)


def offline_levels(checks: list[list[str]]) -> list[str | None]:
    if shutil.which("node") is None:
        pytest.fail("Node is needed to run the browser's no-signal answer (README: Node 20)")
    done = subprocess.run(
        ["node", str(RUNNER)],
        input=json.dumps({"book": offline_rules(RULES), "checks": checks}),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def server_level(signs: list[str]) -> str | None:
    # The server gives its lowest level when no rule fires; the page then keeps every level in order.
    return RULES.level_of(frozenset(signs)).id if RULES.fired(frozenset(signs)) else None


def test_every_sign_alone_and_every_pair_gets_the_servers_level_with_no_signal():
    checks = [[slug] for slug in SLUGS] + [list(pair) for pair in itertools.combinations(SLUGS, 2)]
    assert offline_levels(checks) == [server_level(check) for check in checks]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.lists(st.sampled_from(SLUGS), min_size=3, max_size=8, unique=True), min_size=20, max_size=20))
def test_larger_choices_get_the_servers_level_with_no_signal(checks):
    assert offline_levels(checks) == [server_level(check) for check in checks]


def test_a_combination_puts_the_faster_level_first_with_no_signal():
    # Itching alone is urgent; with a high temperature it is A&E (the rule fever-with-withdrawal).
    assert offline_levels([["itching"], ["itching", "fever"]]) == ["urgent", "go-to-ae"]
