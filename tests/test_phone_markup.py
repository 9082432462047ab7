"""No element on a public page names the same attribute twice (the Nu HTML Checker's "Duplicate
attribute" error: the browser keeps the first, so a button given `type` twice was a submit button)."""

from html.parser import HTMLParser

from tests.public_pages import public_paths


class Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.twice: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = [name for name, _ in attrs]
        self.twice += [f"<{tag} {name}>" for name in sorted(set(names)) if names.count(name) > 1]


def test_no_element_on_a_public_page_has_an_attribute_twice(client, fixture_sections):
    found = {}
    for path in public_paths():
        parser = Attributes()
        parser.feed(client.get(path).content.decode())
        if parser.twice:
            found[path] = parser.twice
    assert found == {}


def test_the_pump_cards_buttons_are_buttons_not_submit_buttons(client, fixture_sections):
    parser = Attributes()
    html = client.get("/my-pump/").content.decode()
    parser.feed(html)
    assert parser.twice == []
    for marker in ("data-my-pump-forget", "data-my-pump-calendar", "data-my-pump-trip-check", "data-my-pump-undo"):
        tag = html[html.rindex("<button", 0, html.index(marker)) : html.index(">", html.index(marker))]
        assert 'type="button"' in tag and "submit" not in tag, marker
