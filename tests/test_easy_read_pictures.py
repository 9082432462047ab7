"""The Easy Read pictures (issue 26, item 4; docs/easy-read-pictures.md) are safe to serve and
keep to one style: each is a small, self-contained SVG with a label, drawn in the NHS text colour
with one accent, red only where the picture means an emergency. Every sign and level in the
checker's rules has its picture, so the Easy Read pages never show a sign without one."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from itb_portal.symptoms.rules import rules_path

PICTURES = Path(settings.BASE_DIR) / "static" / "img" / "easy-read"
SVG = "{http://www.w3.org/2000/svg}"
TEXT_COLOUR, BLUE, RED, WHITE = "#212b32", "#005eb8", "#d5281b", "#ffffff"
ALLOWED_COLOURS = {TEXT_COLOUR, BLUE, RED, WHITE, "none"}
COLOUR_ATTRIBUTES = ("fill", "stroke", "color", "stop-color", "flood-color", "lighting-color")
MAX_BYTES = 3 * 1024

# The pictures the Easy Read pages and the site use beside their points, besides one per sign and level.
GENERAL_PICTURES = [
    "phone",
    "ambulance",
    "hospital",
    "nurse",
    "doctor",
    "pump",
    "refill",
    "calendar",
    "clock",
    "medicine",
    "wheelchair",
    "operation",
    "wound",
    "thermometer",
    "alarm",
    "scan",
    "travel",
    "swimming",
    "bath",
    "car",
    "home",
    "letter",
    "night",
    "day",
    "wallet-card",
    "printer",
    "tick",
    "cross",
    "question",
    "carer",
    "talk",
    "stop",
    "heart",
    "head",
    "back",
    "thumbs-up",
    "person",
    "family",
    "bag",
    "plaster",
    "email",
    "easy-read",
    "translate",
]

RULES = yaml.safe_load(rules_path().read_text(encoding="utf-8"))
SIGNS = [sign["slug"] for sign in RULES["signs"]]
LEVELS = [level["id"] for level in RULES["levels"]]

# Red means "emergency": the 999 and A&E levels, the red-flag signs, and the ambulance.
EMERGENCY_PICTURES = (
    {f"level-{level['id']}" for level in RULES["levels"] if level.get("card") == "emergency"}
    | {f"sign-{sign['slug']}" for sign in RULES["signs"] if sign["group"] == "red-flags"}
    | {"ambulance"}
)

ALL = sorted(PICTURES.glob("*.svg"))


def parsed(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes())


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def colours_in(root: ET.Element) -> set[str]:
    found = set()
    for element in root.iter():
        for attribute in COLOUR_ATTRIBUTES:
            if attribute in element.attrib:
                found.add(element.attrib[attribute].strip().lower())
    return found


def test_there_are_pictures_to_check():
    assert len(ALL) >= len(SIGNS) + len(LEVELS) + len(GENERAL_PICTURES)


@pytest.mark.parametrize("path", ALL, ids=lambda path: path.stem)
def test_picture_is_an_svg_image_with_a_plain_label(path):
    root = parsed(path)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 96 96"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text and title.text.strip()
    # The label comes first, so screen readers name the picture by it when it is shown inline.
    assert local(root[0].tag) == "title"


@pytest.mark.parametrize("path", ALL, ids=lambda path: path.stem)
def test_picture_uses_only_the_nhs_text_colour_with_one_accent(path):
    raw = path.read_text(encoding="utf-8")
    root = parsed(path)
    # Colours only as attributes, so the check below sees every one of them.
    assert "style" not in {local(element.tag) for element in root.iter()}
    assert not any("style" in element.attrib for element in root.iter())
    colours = colours_in(root)
    assert colours <= ALLOWED_COLOURS, colours - ALLOWED_COLOURS
    assert {colour.lower() for colour in re.findall(r"#[0-9a-fA-F]{3,8}\b", raw)} <= ALLOWED_COLOURS
    assert not (BLUE in colours and RED in colours), "one accent colour per picture"
    if path.stem not in EMERGENCY_PICTURES:
        assert RED not in colours, "red is kept for emergency pictures"


@pytest.mark.parametrize("path", ALL, ids=lambda path: path.stem)
def test_picture_is_drawn_in_the_one_line_style(path):
    root = parsed(path)
    assert root.get("stroke-width") == "4"
    assert root.get("stroke-linecap") == "round"
    assert root.get("stroke-linejoin") == "round"
    for element in root.iter():
        assert element.get("stroke-width", "4") == "4", local(element.tag)
        if local(element.tag) == "text":
            # Only a generic family: no font file is ever fetched.
            assert element.get("font-family") == "sans-serif"
    assert path.stat().st_size < MAX_BYTES


@pytest.mark.parametrize("path", ALL, ids=lambda path: path.stem)
def test_picture_holds_no_script_no_raster_and_no_outside_reference(path):
    raw = path.read_text(encoding="utf-8")
    root = parsed(path)
    tags = {local(element.tag) for element in root.iter()}
    assert not tags & {"script", "image", "foreignObject", "iframe", "embed", "object", "a"}
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not local(name).lower().startswith("on"), f"event handler {name}"
            if local(name) in {"href", "src"}:
                assert value.startswith("#"), f"{name}={value}"
            assert not re.search(r"url\(\s*['\"]?(?!#)", value), f"{name}={value}"
    assert "//" not in raw.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "data:" not in raw
    assert "@font-face" not in raw


@pytest.mark.parametrize("slug", SIGNS)
def test_every_sign_in_the_rules_has_its_picture(slug):
    assert (PICTURES / f"sign-{slug}.svg").is_file()


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_in_the_rules_has_its_picture(level):
    assert (PICTURES / f"level-{level}.svg").is_file()


@pytest.mark.parametrize("name", GENERAL_PICTURES)
def test_every_general_picture_is_drawn(name):
    assert (PICTURES / f"{name}.svg").is_file()


def test_emergency_levels_are_drawn_in_red_and_the_others_in_blue():
    for level in RULES["levels"]:
        colours = colours_in(parsed(PICTURES / f"level-{level['id']}.svg"))
        assert (RED if level.get("card") == "emergency" else BLUE) in colours, level["id"]


def test_pictures_are_served_at_their_static_address(client):
    for path in ALL:
        response = client.get(f"/static/img/easy-read/{path.name}")
        assert response.status_code == 200, path.name
        assert response["Content-Type"].startswith("image/svg+xml")
