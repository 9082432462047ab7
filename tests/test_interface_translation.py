"""Every string a patient sees can be translated (issue 26, items 7 and 8).

Each page type is rendered in a pseudo-locale (tests/pseudo_locale.py): every interface message comes out
accented and bracketed, so any run of 3 or more plain English words left on the page is text that did not go
through translation, unless it is content (sections' Markdown, contacts, rules), which is never translated
as interface text. Also: the site's languages come from content/languages.yaml, a language's pages live
under its code with English at today's addresses, and kept pages never mix languages.
"""

import re
from urllib.parse import urlencode

import pytest
import yaml
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from itb_portal.interface_text import has_reviewed_interface
from itb_portal.languages import LanguagesFileError, read_languages
from tests.conftest import FIXTURES
from tests.pseudo_locale import content_words, right_to_left, untranslated, words, write_pseudo_catalogs
from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def pseudo_catalogs(tmp_path_factory):
    return write_pseudo_catalogs(tmp_path_factory.mktemp("locale"))


@pytest.fixture
def pseudo_locales(pseudo_catalogs):
    with override_settings(LOCALE_PATHS=[pseudo_catalogs]):
        yield pseudo_catalogs


@pytest.fixture(scope="session")
def content():
    # The English line on asking for a translation is content too (languages.yaml), with the language named.
    lines = yaml.safe_load((settings.CONTENT_DIR / "languages.yaml").read_text(encoding="utf-8"))["english_lines"]
    named = [line.format(language=code) for line in lines.values() for code in ("ar", "en", "ar-xb", "en-xa")]
    return (
        content_words([FIXTURES / "content", settings.CONTENT_DIR])
        + " | "
        + " | ".join(" ".join(words(line)) for line in named)
    )


def html_attributes(html: str) -> dict[str, str]:
    """The <html> element's lang and dir."""
    tag = re.search(r"<html\b[^>]*>", html).group()
    return dict(re.findall(r'\b(lang|dir)="([^"]*)"', tag))


def pages_in(language: str) -> list[tuple[str, dict | None]]:
    """Every page type, in `language`: (address, form data to POST or None)."""
    with translation.override(language):
        paths = public_paths()
        the_trial = reverse("booklet:section", args=["the-trial"])
        feedback = {"page": the_trial}
        pages = [(path, None) for path in paths]
        pages += [
            (reverse("symptoms:result") + "?sign=sneezing", None),  # a 400: the checker again
            (reverse("printing:booklet") + "?section=nope", None),  # a 400: the print chooser again
            (f"/{language}/no-such-page/", None),  # the 404 page
            (reverse("feedback:tell_us_more") + "?" + urlencode(feedback), None),
            (reverse("feedback:thanks") + "?" + urlencode(feedback), None),
            (reverse("feedback:comment"), {"page": the_trial, "comment": "word " * 150}),  # too long: 400
            (reverse("feedback:answer"), {"page": "https://example.org/", "answer": "yes"}),  # the problem page
        ]
    return pages


@pytest.mark.parametrize("language", ["en-xa", "ar-xb"])
def test_every_page_type_shows_no_untranslated_english_outside_content(
    client, fixture_sections, pseudo_locales, content, language
):
    problems = {}
    for path, form in pages_in(language):
        response = client.post(path, form) if form else client.get(path)
        assert response.status_code in (200, 400, 403, 404), (path, response.status_code)
        expected = {"lang": language[:3] + language[3:].upper(), "dir": "rtl" if language == "ar-xb" else "ltr"}
        assert html_attributes(response.content.decode()) == expected, path
        if found := untranslated(response.content.decode(), content):
            problems[path] = sorted(set(found))
    assert not problems, "English that does not go through translation:\n" + "\n".join(
        f"{path}: {runs}" for path, runs in problems.items()
    )


def test_the_check_finds_english_left_in_a_pseudo_locale_page(content):
    html = f"<p>{right_to_left('Check your symptoms')}</p><p>Ring us when you feel worse</p>"
    assert untranslated(html, content) == ["Ring us when you feel worse"]
    # A macro's own one-word label, and content (the sections' words) which is never an interface message.
    assert untranslated('<span class="nhsuk-u-visually-hidden">Important: </span>', content) == ["Important:"]
    assert untranslated("<p>An ITB pump is a small round device</p>", "| an itb pump is a small round device |") == []


def test_a_right_to_left_page_says_so_on_its_html(client, fixture_sections, pseudo_locales):
    assert html_attributes(client.get("/ar-xb/contacts/").content.decode()) == {"lang": "ar-XB", "dir": "rtl"}
    assert html_attributes(client.get("/contacts/").content.decode()) == {"lang": "en-GB", "dir": "ltr"}


def test_english_stays_at_todays_addresses_and_other_languages_live_under_their_code(client, fixture_sections):
    assert client.get("/contacts/").status_code == 200
    assert client.get("/en-xa/contacts/").status_code == 200
    assert client.get("/en-gb/contacts/").status_code == 404  # the default language has no prefix
    with translation.override("en-xa"):
        assert reverse("contacts:index") == "/en-xa/contacts/"
    assert client.get("/health/").status_code in (200, 503)


def test_a_language_without_a_reviewed_interface_shows_the_english_interface(client, fixture_sections):
    # Django has its own Arabic catalog ("Search", dates): none of it is shown until ours is reviewed.
    assert not has_reviewed_interface("ar-xb")
    html = client.get("/ar-xb/contacts/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert html_attributes(html) == {"lang": "en-GB", "dir": "ltr"}
    assert "Contacts" in html and "\u202e" not in html


def test_kept_pages_never_mix_languages(client, fixture_sections, pseudo_locales):
    # Kept pages (itb_portal/pagecache/pages.py) are kept by their address, and the address carries the language.
    first, other, second = client.get("/contacts/"), client.get("/en-xa/contacts/"), client.get("/contacts/")
    assert first["ETag"] == second["ETag"] != other["ETag"]  # the page was kept, once for each language
    english, pseudo, again = (response.content.decode() for response in (first, other, second))
    assert 'lang="en-GB"' in english and 'lang="en-XA"' in pseudo
    assert again == english and "[" + "Çöñţàçţš" not in again
    assert 'href="/en-xa/contacts/"' not in again and 'href="/symptoms/"' not in pseudo


def test_the_browsers_language_never_changes_a_plain_address(client, fixture_sections, pseudo_locales):
    html = client.get("/contacts/", HTTP_ACCEPT_LANGUAGE="en-xa").content.decode()
    assert 'lang="en-GB"' in html


def test_the_sites_languages_come_from_content():
    assert settings.LANGUAGE_CODE == "en-gb"
    listed = [language.code for language in read_languages(settings.CONTENT_DIR / "languages.yaml")]
    assert [code for code, _ in settings.LANGUAGES][: len(listed)] == listed


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "give a list `languages:`"),
        ("languages: []", "give a list `languages:`"),
        ("languages:\n  - code: ur\n    name: اردو\n    english_name: Urdu\n", "give direction"),
        ("languages:\n  - {code: UR, name: x, english_name: Urdu, direction: rtl}", "is not a lower-case language"),
        ("languages:\n  - {code: ur, name: x, english_name: Urdu, direction: right}", "direction must be ltr or rtl"),
        (
            "languages:\n  - {code: ur, name: x, english_name: U, direction: rtl}\n" * 1
            + "  - {code: ur, name: x, english_name: U, direction: rtl}",
            "listed more than once",
        ),
        ("languages: [", "not valid UTF-8 YAML"),
    ],
)
def test_a_malformed_languages_file_stops_the_site_with_a_clear_error(tmp_path, text, problem):
    path = tmp_path / "languages.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LanguagesFileError, match=problem) as error:
        read_languages(path)
    assert str(path) in str(error.value)


def test_a_content_folder_with_no_languages_file_is_in_english(tmp_path):
    assert [language.code for language in read_languages(tmp_path / "languages.yaml")] == ["en-gb"]


def test_right_to_left_languages_are_read_with_their_direction(tmp_path):
    path = tmp_path / "languages.yaml"
    path.write_text(
        "languages:\n  - {code: en-gb, name: English, english_name: English, direction: ltr}\n"
        "  - {code: ur, name: اردو, english_name: Urdu, direction: rtl}\n",
        encoding="utf-8",
    )
    from itb_portal.languages import bidi_codes

    languages = read_languages(path)
    assert [(language.code, language.name, language.direction) for language in languages][1] == ("ur", "اردو", "rtl")
    assert bidi_codes(languages) == ["ur"]


def test_a_reviewed_po_file_compiles_in_pure_python_and_leaves_fuzzy_and_empty_entries_in_english(tmp_path):
    import gettext

    from itb_portal.interface_messages import compile_po

    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\nPlural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Call %(number)s"\nmsgstr "ڪال %(number)s"\n\n'
        '#, fuzzy\nmsgid "Contacts"\nmsgstr "رابطے"\n\n'
        'msgid "Search"\nmsgstr ""\n\n'
        'msgid "%(num)s result"\nmsgid_plural "%(num)s results"\nmsgstr[0] "ایک %(num)s"\nmsgstr[1] "کئی "\n"%(num)s"\n',
        encoding="utf-8",
    )
    with compile_po(po).open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    assert catalog.gettext("Call %(number)s") == "ڪال %(number)s"
    assert catalog.gettext("Contacts") == "Contacts"  # fuzzy: nobody has reviewed it
    assert catalog.gettext("Search") == "Search"
    assert catalog.ngettext("%(num)s result", "%(num)s results", 3) == "کئی %(num)s"


def test_make_messages_extracts_template_and_python_messages_with_where_they_are():
    from django.template import engines

    from itb_portal.interface_messages import Message, all_messages

    messages = all_messages(engines["jinja2"].env, settings.BASE_DIR)
    assert any(place.startswith("templates/partials/urgent_help.html") for place in messages[Message("Get help now")])
    assert any(place.startswith("itb_portal/contacts/now.py") for place in messages[Message("%(team)s is closed.")])
    assert Message("%(num)s result for “%(query)s”.", "%(num)s results for “%(query)s”.") in messages
