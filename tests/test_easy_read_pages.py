"""The Easy Read pages and checker (issue 26): each page renders, its signs and actions come from the
rules and its numbers from contacts.yaml, the checker steps through one group per screen without
JavaScript, and its result gives the same level as the main checker for every sign and many pairs."""

from __future__ import annotations

import itertools
import random
import re
from urllib.parse import urlencode

import html5lib
import pytest
from django.urls import reverse

from itb_portal.contacts.directory import load_directory
from itb_portal.easyread.content import PAGES, EasyReadDataError, page_path, read_page
from itb_portal.symptoms.rules import load_rules

pytestmark = pytest.mark.django_db

RULES = load_rules()
PAGE_URLS = [
    "easyread:index",
    "easyread:if_something_is_wrong",
    "easyread:refills",
    "easyread:living_with_your_pump",
    "easyread:the_operation",
    "easyread:contacts",
]


def easy_read_paths() -> list[str]:
    return [reverse(name) for name in PAGE_URLS] + [
        reverse("easyread:checker"),
        reverse("easyread:checker") + "?step=3&sign=itching",
        reverse("easyread:checker") + f"?step={len(RULES.groups) + 1}",
        reverse("easyread:result") + "?sign=seizures",
        reverse("easyread:result") + "?sign=drowsiness",
        reverse("easyread:result") + "?sign=itching",
        reverse("easyread:result") + "?sign=wound-problem&recent_operation=yes",
        reverse("easyread:result"),
    ]


def level_on(html: str, testid: str) -> str:
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    (found,) = [e for e in root.iter() if e.get("data-testid") == testid]
    return found.get("data-level")


def test_every_easy_read_page_and_checker_screen_renders(client):
    for path in easy_read_paths():
        response = client.get(path)
        assert response.status_code == 200, path
        assert b'data-testid="easy-read"' in response.content, path


def test_the_start_page_links_every_easy_read_page_and_the_checker(client):
    html = client.get(reverse("easyread:index")).content.decode()
    for name in [*PAGE_URLS[1:], "easyread:checker"]:
        assert f'href="{reverse(name)}"' in html, name


def test_every_public_page_links_to_easy_read(client):
    for path in ["/", reverse("symptoms:checker"), reverse("contacts:index"), reverse("easyread:refills")]:
        html = client.get(path).content.decode()
        assert f'href="{reverse("easyread:index")}"' in html, path
        assert "img/easy-read/easy-read.svg" in html, path


def test_what_to_do_shows_every_sign_in_easy_read_under_the_level_it_gives_alone(client):
    html = client.get(reverse("easyread:if_something_is_wrong")).content.decode()
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    levels = {
        e.get("data-level"): " ".join("".join(e.itertext()).split())
        for e in root.iter()
        if e.get("data-testid") == "easy-read-level"
    }
    for sign in RULES.signs.values():
        assert sign.easy_read in levels[RULES.level_alone(sign.slug).id], sign.slug
    for level_id, said in levels.items():
        assert RULES.levels[level_id].easy_read in said


def test_the_numbers_on_easy_read_pages_come_from_contacts(client):
    directory = load_directory()
    html = client.get(reverse("easyread:contacts")).content.decode()
    for line_id in ("emergency-999", "nurse-specialist", "nhs-111", "ward-l24", "ward-l25"):
        for phone in directory.line(line_id).phones:
            assert f'href="tel:{phone.tel}"' in html, line_id
    what_to_do = client.get(reverse("easyread:if_something_is_wrong")).content.decode()
    for line_id in RULES.lines_used():
        for phone in directory.line(line_id).phones:
            assert f'href="tel:{phone.tel}"' in what_to_do, line_id


def test_no_easy_read_file_types_a_phone_number():
    for slug in [*PAGES, "index", "checker", "checker-result"]:
        page = read_page(page_path(slug))
        said = [point.text for part in page.parts for point in part.points] + [
            words for part in page.parts for words in part.routes.values()
        ]
        for text in said:
            assert re.findall(r"\d{3,}", text) == [], (slug, text)


def test_a_point_of_more_than_15_words_is_refused_naming_the_file_and_the_field(tmp_path):
    path = tmp_path / "refills.yaml"
    path.write_text(
        page_path("refills")
        .read_text(encoding="utf-8")
        .replace(
            "Your pump holds your baclofen medicine.",
            "Your pump holds your baclofen medicine and it holds it for many many weeks and months.",
        ),
        encoding="utf-8",
    )
    with pytest.raises(EasyReadDataError) as refused:
        read_page(path)
    assert str(refused.value).startswith(f"{path}: parts > item 1 > points > item 1 > text: a sentence has at most 15")


def test_the_checker_asks_one_group_per_screen_and_carries_the_signs_in_the_address(client):
    checker = reverse("easyread:checker")
    first = client.get(checker).content.decode()
    assert first.count('name="sign" type="checkbox"') == len(RULES.signs_in(RULES.groups[0].id))
    assert 'name="step" value="2"' in first
    # Itchy skin gives urgent advice on its own: the checker carries it on to the other screens.
    second = client.get(checker + "?step=2&sign=itching").content.decode()
    assert '<input type="hidden" name="sign" value="itching">' in second
    assert second.count('name="sign" type="checkbox"') == len(RULES.signs_in(RULES.groups[1].id))
    # Back on its own screen the sign shows ticked, not hidden, so it can be unticked.
    own_step = 1 + [group.id for group in RULES.groups].index(RULES.signs["itching"].group)
    back = client.get(checker + f"?step={own_step}&sign=itching").content.decode()
    assert 'value="itching" checked' in back
    assert '<input type="hidden" name="sign" value="itching">' not in back


@pytest.mark.parametrize("sign", ["seizures", "hard-to-wake", "drowsiness"])
def test_a_999_or_ae_sign_ticked_then_next_goes_straight_to_what_to_do(client, sign):
    response = client.get(reverse("easyread:checker") + f"?step=2&sign={sign}")
    assert response.status_code == 302
    assert response["Location"] == reverse("easyread:result") + f"?sign={sign}"
    result = client.get(response["Location"]).content.decode()
    assert "Call 999" in result


@pytest.mark.parametrize(
    "query", ["step=0", "step=99", "step=two", "step=1&step=2", "sign=sneezing", "colour=red", "sign=" + "a" * 3000]
)
def test_a_checker_address_it_cannot_read_is_a_clear_400(client, query):
    response = client.get(reverse("easyread:checker") + "?" + query)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_a_result_address_it_cannot_read_is_a_clear_400(client):
    response = client.get(reverse("easyread:result") + "?sign=sneezing")
    assert response.status_code == 400


def sign_sets() -> list[tuple[str, ...]]:
    singles = [(slug,) for slug in RULES.signs]
    pairs = list(itertools.combinations(sorted(RULES.signs), 2))
    return [(), *singles, *random.Random(26).sample(pairs, 60)]


@pytest.mark.parametrize("recent_operation", [False, True])
def test_the_easy_read_result_gives_the_same_level_as_the_main_checker(client, recent_operation):
    for signs in sign_sets():
        query = urlencode(
            [("sign", slug) for slug in signs] + ([("recent_operation", "yes")] if recent_operation else [])
        )
        main = client.get(reverse("symptoms:result") + "?" + query).content.decode()
        easy = client.get(reverse("easyread:result") + "?" + query).content.decode()
        assert (
            level_on(easy, "easy-read-result") == level_on(main, "care-card") == RULES.level_of(frozenset(signs)).id
        ), signs


def test_the_easy_read_result_says_the_levels_easy_read_wording_with_its_phone_buttons(client):
    html = client.get(reverse("easyread:result") + "?sign=seizures").content.decode()
    assert RULES.levels["call-999"].easy_read in html
    assert 'class="app-call app-call--999"' in html
    assert RULES.signs["seizures"].easy_read in html
