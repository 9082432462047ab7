"""Nothing an editor types in the admin can run script on a public page or in the editor's preview.

Each payload is saved through the real admin form by a staff user; then the public page and the
markdownx preview are parsed as a browser would (html5lib follows the HTML standard's parser) and
checked for script elements, event handlers, styles and dangerous URLs. One browser test runs all
the payloads in Chromium with the CSP switched off, so the sanitiser alone is what stops them.
"""

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from itb_portal.booklet.models import Section
from tests.test_admin import edit_form, publish

pytestmark = pytest.mark.django_db

# Markdown and HTML an attacker (or a careless paste) could put in a section's text.
BODY_PAYLOADS = {
    "script tag": "<script>alert(1)</script>",
    "script split across tags": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "img onerror": '<img src=x onerror="alert(1)">',
    "svg onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "svg in an image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+)",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "style element": "<style>*{display:none}</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "markdown javascript link": "[click me](javascript:alert(1))",
    "mixed case scheme": "[click me](JaVaScRiPt:alert(1))",
    "leading space in the url": "[click me]( javascript:alert(1))",
    "tab inside the scheme": "[click me](jav\tascript:alert(1))",
    "entity tab inside the scheme": "[click me](jav&#x09;ascript:alert(1))",
    "entity encoded scheme": "[click me](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1))",
    "named entity colon": "[click me](javascript&colon;alert(1))",
    "url encoded scheme": "[click me](%6Aavascript:alert(1))",
    "vbscript link": "[click me](vbscript:msgbox(1))",
    "data html link": "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "autolink": "<javascript:alert(1)>",
    "reference link": "[click me][evil]\n\n[evil]: javascript:alert(1)",
    "reference link with title": '[click me][evil]\n\n[evil]: javascript:alert(1) "title"',
    "reference image": "![pic][evil]\n\n[evil]: javascript:alert(1)",
    "title breakout": '[click me](https://www.nhs.uk "a" onmouseover="alert(1)")',
    "title breakout single quote": "[click me](https://www.nhs.uk 'a' onmouseover='alert(1)')",
    "url breakout": '[click me](https://www.nhs.uk" onmouseover="alert(1))',
    "alt text breakout": '![a" onerror="alert(1)](/static/img/pump-system.svg)',
    "image url breakout": '![x](x" onerror="alert(1))',
    "html link": '<a href="javascript:alert(1)">click me</a>',
    "html link with entity tab": '<a href="jav&#x09;ascript:alert(1)">click me</a>',
    "heading with html": "## <img src=x onerror=alert(1)>",
    "details ontoggle": "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "autofocus onfocus": '<a href="#" onfocus="alert(1)" autofocus>x</a>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="https://evil.example/">',
    "form": '<form action="javascript:alert(1)"><button>Go</button></form>',
    "math xlink": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "mutation xss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "noscript breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "closing the body div": "</div></div><script>alert(1)</script>",
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "table cell html": "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
    "definition list": "Term\n: [x](javascript:alert(1))",
    "faq json-ld breakout": "## </script><script>alert(1)</script>?\n\nAnswer text.",
    "template syntax": "{{ 7*7 }} {% debug %} ${7*7}",
}

# Plain-text fields: shown in the title, headings, meta description, contents list and JSON-LD.
TEXT_PAYLOADS = [
    "</title><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "</script><script>alert(1)</script>?",
    "{{ 7*7 }}",
]

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "ping", "srcset", "xlink:href"}
# Elements that must never come out of an editor's Markdown.
FORBIDDEN_IN_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "form", "input",
    "button", "textarea", "select", "base", "meta", "link", "template", "noscript", "video", "audio", "source",
}  # fmt: skip


@pytest.fixture
def staff(client, django_user_model):
    """An editor: staff, allowed to view and change sections, nothing more."""
    user = django_user_model.objects.create_user("editor", "editor@example.nhs.uk", "a-long-test-password-123")
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="booklet", codename__in=["view_section", "change_section"])
    )
    client.force_login(user)
    return client


def save_in_admin(client, section: Section, **changes) -> Section:
    data = edit_form(section, **changes)
    response = client.post(reverse("admin:booklet_section_change", args=[section.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    publish(section)  # a clinical approver, a second person, approves the draft
    for field, value in changes.items():
        # The payload really was stored (ends trimmed, as the loader trims a section file's).
        assert getattr(section, field).strip() == value.replace("\r\n", "\n").strip(), field
    return section


def parse(html: str) -> ET.Element:
    return html5lib.parse(html, namespaceHTMLElements=False)


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def url_scheme(value: str) -> str | None:
    # Browsers drop tabs and newlines anywhere in a URL and trim spaces and controls at its ends.
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("\x00- ").lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else None


def problems_in(root: ET.Element, *, content: bool) -> list[str]:
    """Everything in a parsed document or fragment that could run script or leave the site."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = local_name(element.tag)
        if content and tag in FORBIDDEN_IN_CONTENT:
            found.append(f"<{tag}> element")
        if tag == "script" and not content and not page_script_is_ours(element):
            found.append(f"unexpected <script>: {ET.tostring(element, encoding='unicode')[:200]}")
        if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            found.append("meta refresh")
        for name, value in element.attrib.items():
            attribute = local_name(name)
            if attribute.startswith("on"):
                found.append(f"<{tag} {attribute}=…> event handler")
            if attribute in {"style", "srcdoc"}:
                found.append(f"<{tag} {attribute}=…>")
            if attribute in URL_ATTRIBUTES or name.endswith("}href"):
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    found.append(f"<{tag} {attribute}={value!r}> unsafe URL")
                if content and tag == "img" and attribute == "src" and not value.startswith("/static/img/"):
                    found.append(f"<img src={value!r}> not one of our images")
    return found


def page_script_is_ours(element: ET.Element) -> bool:
    """The page's own scripts: our module, the hashed NHS.UK feature test, and JSON-LD that is only data."""
    if element.get("src"):
        return element.get("src").startswith("/static/") and not (element.text or "").strip()
    text = element.text or ""
    if element.get("type") == "application/ld+json":
        json.loads(text)
        return "<" not in text
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'" == settings.NHSUK_FEATURE_TEST_SCRIPT_HASH


def section_body(root: ET.Element) -> ET.Element:
    return next(e for e in root.iter() if e.get("data-testid") == "section-body")


def all_text(element: ET.Element) -> str:
    return "".join(element.itertext())


def assert_public_page_is_inert(client, section: Section) -> ET.Element:
    response = client.get(section.get_absolute_url())
    assert response.status_code == 200
    root = parse(response.content.decode())
    assert problems_in(root, content=False) == []
    assert problems_in(section_body(root), content=True) == []
    return root


@pytest.mark.parametrize("payload", BODY_PAYLOADS.values(), ids=BODY_PAYLOADS.keys())
def test_markdown_saved_in_the_admin_never_runs_on_the_public_page(staff, client, trial, payload):
    section = save_in_admin(staff, trial, body=f"Some text.\n\n{payload}\n\nMore text.")
    client.logout()
    root = assert_public_page_is_inert(client, section)
    assert "More text." in all_text(section_body(root))


@pytest.mark.parametrize("payload", BODY_PAYLOADS.values(), ids=BODY_PAYLOADS.keys())
def test_markdown_preview_in_the_admin_never_runs(staff, payload):
    response = staff.post(reverse("markdownx_markdownify"), {"content": f"Some text.\n\n{payload}"})
    assert response.status_code == 200
    assert problems_in(parse(response.content.decode()), content=True) == []


@pytest.mark.parametrize("payload", TEXT_PAYLOADS)
@pytest.mark.parametrize("field", ["title", "summary", "sources"])
def test_plain_text_fields_are_shown_as_text(staff, client, trial, field, payload):
    section = save_in_admin(staff, trial, **{field: payload})
    client.logout()
    for path in [section.get_absolute_url(), reverse("booklet:home"), "/booklet/spasticity/"]:
        root = parse(client.get(path).content.decode())
        assert problems_in(root, content=False) == [], path
    root = assert_public_page_is_inert(client, section)
    if field == "title":
        assert all_text(next(root.iter("h1"))) == payload
    if field == "sources":
        assert payload in all_text(root)


def test_template_syntax_in_content_is_shown_literally(staff, client, trial):
    section = save_in_admin(staff, trial, body="Sum: {{ 7*7 }} and {% now 'Y' %}")
    html = all_text(section_body(parse(client.get(section.get_absolute_url()).content.decode())))
    assert "{{ 7*7 }}" in html and "{% now 'Y' %}" in html and "49" not in html


def test_the_admin_shows_a_payload_as_text_in_its_own_pages(staff, trial):
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    save_in_admin(staff, trial, title=payload[:200], body=payload)
    for url in [
        reverse("admin:booklet_section_change", args=[trial.pk]),
        reverse("admin:booklet_section_changelist"),
        reverse("admin:booklet_section_history", args=[trial.pk]),
    ]:
        root = parse(staff.get(url).content.decode())
        scripts = [e for e in root.iter("script") if not e.get("src")]
        assert all("alert(1)" not in (e.text or "") for e in scripts), url
        assert not [e for e in root.iter("img") if e.get("onerror")], url


@pytest.mark.browser
def test_no_payload_runs_in_a_real_browser_even_without_the_csp(live_site, browser, client, django_user_model):
    """All payloads on one page, in Chromium with the CSP bypassed: the sanitiser alone must stop them."""
    from django.test import Client

    editor = Client()
    staff_user = django_user_model.objects.create_superuser("xss-editor", "x@example.nhs.uk", "a-long-test-password-1")
    editor.force_login(staff_user)
    section = Section.objects.get(slug="the-trial")
    save_in_admin(editor, section, body="\n\n".join(BODY_PAYLOADS.values()) + "\n\nThe end.")

    context = browser.new_context(bypass_csp=True, viewport={"width": 1024, "height": 768})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_site.url + section.get_absolute_url())
    page.wait_for_load_state("networkidle")
    body = page.locator("[data-testid=section-body]")
    for element in body.locator("*").all():
        if element.is_visible():
            element.hover()
            element.focus()
    # A javascript: link runs only when clicked: none may be left (a stripped link has no href at all).
    hrefs = body.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    assert hrefs and [h for h in hrefs if url_scheme(h) not in SAFE_SCHEMES] == []
    page.wait_for_timeout(300)
    assert dialogs == []
    assert "The end." in body.inner_text()  # no payload broke out of the section's text
    assert (
        page.evaluate("document.querySelectorAll('[data-testid=section-body] script, iframe, object, embed').length")
        == 0
    )
    context.close()
