"""The downloadable emergency sheet (issue 22) is as clear as the printed page: 999 in a box with a
thick border, the largest thing on the sheet; each level's action before its signs, in the printed
page's order; and no email address, which the printed page leaves off too."""

import re

from itb_portal.contacts.directory import load_directory
from itb_portal.symptoms.rules import load_rules
from tests.helpers import squash
from tests.test_emergency_sheet_pdf import sheet_pdf, sheet_text


def runs(reader) -> list[tuple[float, float, str]]:
    """(height from the bottom, size, text) of each run of text on the sheet."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[5], size * (tm[0] or 1), text.strip()))

    reader.pages[0].extract_text(visitor_text=visit)
    return found


def test_999_is_the_largest_thing_on_the_pdf_in_a_box_with_a_thick_border(client, fixture_sections):
    reader = sheet_pdf(client)
    found = runs(reader)
    biggest = max(size for _, size, _ in found)
    (call,) = [(y, size) for y, size, text in found if text == "Call 999"]
    assert call[1] == biggest >= 24
    drawing = reader.pages[0].get_contents().get_data().decode("latin-1")
    # A rectangle stroked with a 1 mm line (2.83 pt) round the number: x y width height "re", then "S".
    boxes = [
        tuple(map(float, match.groups()))
        for match in re.finditer(
            r"2\.83 w\s+(?:[\d.]+ [\d.]+ [\d.]+ RG\s+)?([\d.]+) ([\d.]+) ([\d.]+) (-?[\d.]+) re S", drawing
        )
    ]
    assert boxes, "no box round 999"
    _, y, _, height = boxes[0]
    bottom, top = sorted((y, y + height))
    assert bottom < call[0] < top


def test_the_pdf_gives_each_levels_action_before_its_signs_as_the_printed_page_does(client, fixture_sections):
    text = sheet_text(client).lower()
    checked = 0
    for summary in load_rules().what_to_do():
        if summary.level.advice and summary.groups:
            action = squash(summary.level.advice.action.split(". ")[0]).lower()
            first_sign = squash(summary.groups[0].signs[0].label).lower()
            assert text.index(action) < text.index(first_sign), summary.level.id
            checked += 1
    assert checked >= 2
    assert squash("My pump (fill in by hand)").lower() in text
    assert squash(load_directory().email_address).lower() not in text
