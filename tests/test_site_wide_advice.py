"""Site-wide checks of the advice every page gives (issue 20), over the real booklet and every public page.

- A page that names a sign needing 999 on its own says 999 beside it: in the same line, or in the
  heading, legend, table row or card that introduces its list (docs/clinical-safety.md, H53).
- Every piece of A&E advice says "your nearest A&E" and never names the service's hospital as
  the A&E to go to (H54).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import html5lib
from django.conf import settings
from django.urls import reverse

from itb_portal.contacts.directory import load_directory
from itb_portal.symptoms.rules import load_rules
from itb_portal.symptoms.sheet_pdf import sheet_html
from tests.helpers import even_spaces
from tests.public_pages import public_paths

RULES = load_rules()
BLOCKS = {"li", "p", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "label", "legend", "summary", "span"}


def every_page(client) -> dict[str, str]:
    """Every public page, plus a search for each sign's name and the result for each sign alone."""
    paths = public_paths()
    # Searches in other words for the 999 signs (a search for a sign's own name echoes it in the heading).
    paths += [
        reverse("search:results") + f"?q={words}" for words in ("will+not+wake", "seizure", "breathless", "muddled")
    ]
    paths += [reverse("symptoms:result") + f"?sign={slug}" for slug in RULES.signs]
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    return pages


def signs():
    return list(RULES.signs.values())


def red_flag_phrases() -> set[str]:
    labels = {sign.label for sign in signs() if RULES.level_alone(sign.slug).id == "call-999"}
    assert "Very hard to wake, or not responding" in labels
    return {even_spaces(label).lower() for label in labels} | {"hard to wake"}


def text(element: ET.Element) -> str:
    return even_spaces("".join(element.itertext())).lower()


def tree(html: str) -> tuple[ET.Element, dict[ET.Element, ET.Element]]:
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    for hidden in root.iter():
        # Not advice: what nobody sees, a result's list of sources (citations), and search snippets
        # (quotes from pages this test checks whole; a search naming a sign shows its care card first).
        testid = hidden.get("data-testid", "")
        if hidden.tag in ("script", "template", "style", "head") or testid == "sources":
            hidden.clear()
        if "app-search-result__snippet" in hidden.get("class", "").split():
            hidden.clear()
    return root, {child: parent for parent in root.iter() for child in parent}


def innermost_blocks_naming(root: ET.Element, phrase: str):
    for element in root.iter():
        inner_blocks = (inner for inner in list(element.iter())[1:] if inner.tag in BLOCKS)
        if element.tag in BLOCKS and phrase in text(element) and not any(phrase in text(i) for i in inner_blocks):
            yield element


def introduced_by(element: ET.Element, parents: dict) -> list[str]:
    """The texts that introduce `element`: the element itself, the heading or paragraph before its
    list, its fieldset's legend, its table row, and the heading of the card it is in."""
    found, node = [text(element)], element
    while (parent := parents.get(node)) is not None:
        if parent.tag in ("ul", "ol") and (grand := parents.get(parent)) is not None:
            before = list(grand)[: list(grand).index(parent)]
            if before:
                found.append(text(before[-1]))
        if parent.tag == "fieldset":
            found += [text(legend) for legend in parent.iter("legend")]
        if parent.tag == "tr":
            found.append(text(parent))
        if "nhsuk-card" in parent.get("class", "").split():
            found += [
                text(heading)
                for heading in parent.iter()
                if heading.tag in ("h2", "h3") or "nhsuk-card--care__heading" in heading.get("class", "")
            ]
        if parent.tag in ("main", "body", "section", "article", "form"):
            break
        node = parent
    return found


def test_every_page_that_names_a_999_sign_says_999_beside_it(client, whole_booklet):
    phrases = red_flag_phrases()
    checked, wrong = 0, []
    for path, html in every_page(client).items():
        root, parents = tree(html)
        for phrase in phrases:
            for element in innermost_blocks_naming(root, phrase):
                checked += 1
                if not any("999" in said for said in introduced_by(element, parents)):
                    wrong.append((path, text(element)[:120]))
    assert checked > 50  # nothing vacuous: the signs are on many pages
    assert not wrong, "\n".join(f"{p}: {t}" for p, t in wrong)


def test_a_sign_listed_under_weaker_advice_is_refused_by_the_check(client, whole_booklet):
    # The check itself can fail: "very hard to wake" under "go to A&E" is caught.
    html = "<main><h3>Go to A&amp;E now if you have:</h3><ul><li>Very hard to wake, or not responding</li></ul></main>"
    root, parents = tree(html)
    (element,) = innermost_blocks_naming(root, "hard to wake")
    assert not any("999" in said for said in introduced_by(element, parents))


A_AND_E = re.compile(r"\bA&(?:amp;)?E\b")


def test_every_a_and_e_card_says_your_nearest_a_and_e(client, whole_booklet):
    service = load_directory().service
    cards = 0
    for path, html in every_page(client).items():
        root, _parents = tree(html)
        for card in root.iter():
            if card.get("data-level") == "go-to-ae" and "nhsuk-card" in card.get("class", ""):
                cards += 1
                said = text(card)
                assert "your nearest a&e" in said, (path, said[:200])
                assert "nearest a&e to" not in said and "maps" not in ET.tostring(card, encoding="unicode")
        assert f"nearest A&amp;E to {service.team}" not in html, path
    assert cards >= 3  # the result, a search card, and more


def test_each_near_synonym_sign_shows_an_example_that_tells_it_apart(client, whole_booklet):
    html = client.get(reverse("symptoms:checker")).content.decode()
    for slug in ("drowsiness", "lethargy", "dizziness", "low-blood-pressure"):
        example = RULES.signs[slug].example
        assert example.startswith("For example,"), slug
        assert example in html.replace("&#39;", "'"), slug


# --- Points 9 to 15 of issue 20 (docs/clinical-safety.md, H58) -----------------------------------

SECTIONS = settings.CONTENT_DIR / "sections"


def body_of(path) -> str:
    return path.read_text().split("\n---\n", 1)[1]


def test_sections_never_type_999_or_111_and_always_say_999_first():
    for path in sorted(SECTIONS.glob("*.md")):
        body = re.sub(r"\[\[[^\]]*\]\]", "", body_of(path))
        assert not re.search(r"(?<!\d)(999|111)(?!\d)", body), path.name  # the site's phone links, from data
        assert "go to A&E or call" not in body_of(path), path.name  # 999 first


def test_the_ward_line_comes_first_on_what_to_do_the_sheet_and_its_pdf(client, whole_booklet):
    urgent = RULES.levels["urgent"].routes
    ward, team = urgent["recent-operation"].heading, urgent["team-open"].heading
    for path in ["/booklet/warning-signs/", reverse("symptoms:emergency_sheet")]:
        html = client.get(path).content.decode()
        assert html.index(ward) < html.index(team), path
    pdf = sheet_html(RULES, load_directory(), date(2026, 12, 7), "https://example.org/")
    assert pdf.index(ward) < pdf.index(team)


def test_out_of_hours_advice_says_worse_stiffness_can_mean_too_little_baclofen(client, whole_booklet):
    for path in [reverse("contacts:index"), reverse("companion:handover_sheet")]:
        said = text(tree(client.get(path).content.decode())[0])
        assert "most problems out of hours are not caused by the pump" in said, path
        assert "more stiffness or spasms than usual can mean too little baclofen" in said, path


def test_pages_say_a_moved_kinked_or_broken_catheter_causes_withdrawal(client, whole_booklet):
    for path in ["/booklet/risks/", "/booklet/warning-signs/", "/booklet/faqs/"]:
        said = text(tree(client.get(path).content.decode())[0])
        assert "catheter" in said and "too little baclofen" in said, path
    risks = text(tree(client.get("/booklet/risks/").content.decode())[0])
    assert "replace the catheter. until then, little or no baclofen reaches your spine" in risks


def test_a_and_e_results_do_not_ask_you_to_check_for_triggers(client, whole_booklet):
    for slug in RULES.signs:
        if RULES.level_alone(slug).card == "emergency":
            html = client.get(reverse("symptoms:result") + f"?sign={slug}").content.decode()
            assert 'data-testid="triggers"' not in html, slug


def test_the_scope_says_it_is_not_an_emergency_service(client, whole_booklet):
    for path in ["/", reverse("symptoms:emergency_sheet")]:
        said = text(tree(client.get(path).content.decode())[0])
        assert "it is not an emergency service: in an emergency, call 999." in said, path


def test_stitches_and_the_removed_spasticity_sentence(whole_booklet):
    for path in sorted(SECTIONS.glob("*.md")):
        body = body_of(path)
        assert "none at all" not in body, path.name  # H37: avoiding triggers never means no medicine
        for sentence in re.split(r"(?<=\.)\s", body):
            if "stitches" in sentence and "7 to 10 days" in sentence:
                assert "if your stitches or clips need removing" in sentence.lower(), (path.name, sentence)


def test_the_rule_summaries_read_as_sentences_on_the_result(client, whole_booklet):
    html = client.get(reverse("symptoms:result") + "?sign=itching&sign=goosebumps").content.decode()
    said = text(tree(html)[0])
    assert "we gave this advice because: you have a sign of too little baclofen" in said
    assert "the advice above is for" not in said
