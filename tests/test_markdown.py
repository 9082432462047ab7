"""Content is rendered from Markdown and sanitised: no script reaches a page."""

from html.parser import HTMLParser

import pytest

from itb_portal.booklet.markdown import ALLOWED_TAGS, render


class Elements(HTMLParser):
    """Collects the real elements and attributes, ignoring text that merely looks like markup."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '[click](" onmouseover="alert(1))',
    "<svg/onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<p onclick="alert(1)">hi</p>',
    '![x](x" onerror="alert(1))',
    "<scr<script>ipt>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<form action="https://evil.example"><input name=x></form>',
    '<object data="javascript:alert(1)"></object>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_never_lets_script_or_handlers_through(payload):
    html = render(f"Some text.\n\n{payload}\n\nMore text.")
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, (payload, html)
        assert not any(name.startswith("on") or name == "style" for name in attrs), (payload, html)
        for value in attrs.values():
            assert "javascript:" not in (value or "").lower().replace(" ", ""), (payload, html)


def test_raw_html_is_shown_as_text_not_markup():
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in render("<script>alert(1)</script>")


def test_every_h2_and_h3_gets_a_stable_id_from_its_words():
    html = render("## What is spasticity?\n\ntext\n\n### Trigger factors\n\ntext")
    assert '<h2 id="what-is-spasticity">' in html
    assert '<h3 id="trigger-factors">' in html
    assert render("## What is spasticity?") == render("## What is spasticity?")


def test_repeated_headings_get_distinct_ids():
    html = render("## Help\n\na\n\n## Help\n\nb")
    assert 'id="help"' in html and 'id="help_1"' in html


def test_safe_links_tables_and_phone_numbers_survive():
    html = render(
        "Call [0113 392 2178](tel:01133922178) or see [NHS](https://www.nhs.uk).\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert 'href="tel:01133922178"' in html
    assert 'href="https://www.nhs.uk"' in html
    assert "<table>" in html


def test_pictures_load_only_from_our_own_static_images():
    html = render("![The pump under the skin](/static/img/pump-system.svg)")
    assert '<img alt="The pump under the skin" src="/static/img/pump-system.svg">' in html
    for outside in (
        "https://cdn.example/x.svg",
        "//cdn.example/x.svg",
        "/static/img/../../etc/passwd",
        "data:image/svg+xml,x",
    ):
        assert "src=" not in render(f"![x]({outside})"), outside


def test_a_template_heading_given_as_markup_is_never_answered_with_the_escaped_text_or_the_reverse():
    from markupsafe import Markup

    from itb_portal.booklet.html import linked_heading

    plain = linked_heading("Fish &amp; chips", "fish")
    marked = linked_heading(Markup("Fish &amp; chips"), "fish")
    assert ">Fish &amp;amp; chips</h2>" in plain  # text is escaped
    assert ">Fish &amp; chips</h2>" in marked  # Markup is already safe HTML
