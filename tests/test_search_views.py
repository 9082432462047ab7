"""GET /search/?q= and /search/index.json: what a browser gets, whatever is typed, and what is never kept."""

import json
import logging
import shutil

import pytest
import yaml
from django.test import Client

from itb_portal.contacts.directory import load_directory
from itb_portal.symptoms.rules import load_rules, rules_path
from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db


def page(client, query: str, **extra):
    return client.get("/search/", {"q": query}, **extra)


def html_of(response) -> str:
    return response.content.decode()


def test_the_search_page_without_a_query_is_kept_like_any_page(client, fixture_sections):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, no-cache" and response.has_header("ETag")
    html = html_of(response)
    assert "<h1" in html and "Search the booklet" in html
    assert 'name="q"' in html and "data-search-offline" in html


def test_a_results_page_is_never_kept_and_sets_no_cookie(client, fixture_sections):
    response = page(client, "trial")
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control
    assert not response.has_header("ETag") and not response.cookies


def test_results_show_the_heading_in_its_section_linked_to_its_anchor(client, fixture_sections):
    html = html_of(page(client, "test dose"))
    assert '<a class="app-search-result__link" href="/booklet/the-trial/#the-test-dose">The test dose</a>' in html
    assert "<mark>dose</mark>" in html and 'data-testid="search-count">' in html


def test_the_snippet_is_escaped_and_only_our_mark_is_markup(client, fixture_sections):
    # The fixture's spasticity section holds "<script>alert(1)</script>" written as text.
    html = html_of(page(client, "muscles alert"))
    assert "<mark>muscles</mark>" in html
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "%",
        "100%",
        "%00",
        "a\x00b\x07c\x1b[31m",
        "\u202eevil",
        "{{ 7*7 }}",
        "' OR 1=1 --",
        "baclofen\r\nSet-Cookie: a=b",
        "🙂 pump",
        "ＢＡＣＬＯＦＥＮ",
    ],
)
def test_odd_queries_get_a_page_and_are_shown_escaped(client, fixture_sections, query):
    response = page(client, query)
    assert response.status_code == 200, query
    html = html_of(response)
    assert "<script>alert" not in html and "<img src=x" not in html and "\x00" not in html and "\x1b" not in html
    assert "Set-Cookie" not in response.headers and not response.cookies
    count = html.split('data-testid="search-count">', 1)[1].split("</p>", 1)[0]
    assert "“" in count and "49" not in count  # the query is shown back as text, never run


def test_markup_in_a_query_is_shown_as_text(client, fixture_sections):
    html = html_of(page(client, "<b>pump</b>"))
    assert "“&lt;b&gt;pump&lt;/b&gt;”" in html and 'value="&lt;b&gt;pump&lt;/b&gt;"' in html


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "\x00\x01"])
def test_an_empty_query_asks_for_words(client, fixture_sections, query):
    response = page(client, query)
    assert response.status_code == 200
    assert "Enter a word or question to search for." in html_of(response)
    assert 'data-testid="search-results"' not in html_of(response)


def test_an_over_long_query_is_refused_with_a_clear_message(client, fixture_sections):
    response = page(client, "pump " * 30)
    assert response.status_code == 400
    html = html_of(response)
    assert "Your search is too long. Use 100 characters or fewer." in html
    assert "Error: Search the booklet" in html and not response.cookies
    assert page(client, "p" * 100).status_code == 200


def test_a_query_that_finds_nothing_says_so_and_what_to_try(client, fixture_sections):
    html = html_of(page(client, "zzzz qqqq"))
    assert "No results for “zzzz qqqq”." in html and 'data-testid="search-no-results"' in html


def test_a_symptom_word_offers_the_checker_with_the_sign_ticked(client, fixture_sections):
    html = html_of(page(client, "itchy"))
    card = html.split('data-testid="symptom-card" data-group="withdrawal"', 1)[1].split("search-count", 1)[0]
    assert 'href="/symptoms/?sign=itching"' in card
    assert "Itchy skin" in card and "tel:" not in card  # an urgent sign's advice depends on the hour: the checker says
    # The link ticks the sign on the checker.
    checker = html_of(Client().get("/symptoms/?sign=itching"))
    assert 'value="itching" checked' in checker


def test_a_red_flag_word_also_says_call_999_with_the_number_from_the_contacts(client, fixture_sections):
    html = html_of(page(client, "fits"))
    card = html.split('data-group="red-flags"', 1)[1].split("search-count", 1)[0]
    rules, directory = load_rules(), load_directory()
    advice = rules.levels["call-999"].advice
    assert advice.action in card
    for line_id in advice.lines:
        for phone in directory.line(line_id).phones:
            assert f'href="tel:{phone.tel}"' in card
    # Headed with the one action, then a sentence: not "Call 999 now if you have: Fits" (issue 20).
    assert "Call 999 now\n" in card and "This is the advice for:" in card and "Fits (seizures)" in card


def test_cards_come_most_urgent_first(client, fixture_sections):
    html = html_of(page(client, "itchy fits drowsy"))
    groups = [part.split('"', 1)[0] for part in html.split('data-testid="symptom-card" data-group="')[1:]]
    assert groups == ["red-flags", "overdose", "withdrawal"]


def copy_content(tmp_path, settings):
    content = tmp_path / "content"
    shutil.copytree(rules_path().parent.parent, content, ignore=shutil.ignore_patterns("sections"))
    settings.CONTENT_DIR = content
    return content


def test_the_symptom_words_come_from_the_checkers_rules(client, fixture_sections, tmp_path, settings):
    content = copy_content(tmp_path, settings)
    path = content / "symptoms" / "rules.yaml"
    data = yaml.safe_load(path.read_text())
    for sign in data["signs"]:
        if sign["slug"] == "itching":
            sign["label"] = "Itchy skin (pruritus)"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    html = html_of(page(client, "pruritus"))
    assert 'data-group="withdrawal"' in html and "Itchy skin (pruritus)" in html


def test_the_999_card_names_what_the_contacts_file_says(client, fixture_sections, tmp_path, settings):
    content = copy_content(tmp_path, settings)
    path = content / "contacts.yaml"
    path.write_text(path.read_text().replace("name: Emergency services", "name: Ambulance and fire service"))
    card = html_of(page(client, "fits")).split('data-group="red-flags"', 1)[1]
    assert "Ambulance and fire service" in card.split("search-count")[0]


def test_synonyms_come_from_the_editable_file(client, fixture_sections, tmp_path, settings):
    from itb_portal.pagecache.pages import forget

    assert "The test dose" not in html_of(page(client, "wibble"))
    content = copy_content(tmp_path, settings)
    path = content / "search" / "synonyms.yaml"
    path.write_text(path.read_text() + "  - [wibble, dose]\n")
    forget()  # as a release does: the synonyms file is read when the index is built
    assert "The test dose" in html_of(page(client, "wibble"))


def test_every_page_has_the_header_search_box(client, fixture_sections):
    for path in public_paths():
        html = html_of(client.get(path))
        form = html.split('class="nhsuk-header__search-form"', 1)[1].split("</form>", 1)[0]
        assert 'action="/search/"' in form and 'method="get"' in form and 'name="q"' in form, path


def test_the_header_search_box_never_holds_the_query(client, fixture_sections):
    html = html_of(page(client, "secret words"))
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert "secret" not in header


def test_only_the_search_page_loads_the_search_script_and_no_page_loads_lunr(client, fixture_sections):
    """Page weight: lunr.js and the index are fetched by the search page's script, and only offline."""
    for path in public_paths():
        html = html_of(client.get(path))
        assert ("search.mjs" in html) == (path == "/search/"), path
        assert ("lunr" in html) == (path == "/search/"), path
        assert '<script src="/static/js/lunr' not in html and "index.json" not in html.replace(
            'data-index-url="/search/index.json"', ""
        )


def test_a_query_is_never_logged(client, fixture_sections, caplog):
    with caplog.at_level(logging.DEBUG):
        page(client, "confidential-symptom-words")
        page(client, "x" * 500 + "confidential-symptom-words")
        Client(raise_request_exception=False).get("/search/?q=confidential-symptom-words", HTTP_HOST="evil.example")
    assert "confidential-symptom-words" not in caplog.text


# --- The index, for offline search ----------------------------------------------------------


def test_the_index_is_served_as_json_with_an_etag(client, fixture_sections):
    response = client.get("/search/index.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, no-cache" and not response.cookies
    payload = json.loads(response.content)
    assert {"format", "index", "passages", "synonyms", "signs"} <= set(payload)
    assert payload["index"]["version"] == "2.3.9"
    assert {p["url"] for p in payload["passages"]} >= {"/booklet/the-trial/#the-test-dose"}
    again = client.get("/search/index.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_index_follows_the_content(client, fixture_sections):
    from itb_portal.booklet.models import Section

    before = client.get("/search/index.json")["ETag"]
    assert "The test dose" not in html_of(page(client, "gobbledygook"))
    section = Section.objects.get(slug="the-trial")
    section.body += "\n\n## Gobbledygook\n\nA new part.\n"
    section.save()
    assert client.get("/search/index.json")["ETag"] != before
    assert 'href="/booklet/the-trial/#gobbledygook"' in html_of(page(client, "gobbledygook"))


def test_the_index_is_built_once_per_content_version(client, fixture_sections, monkeypatch):
    from itb_portal.booklet.models import Section
    from itb_portal.pagecache.pages import forget
    from itb_portal.search import index

    builds = []
    real = index.build_payload
    monkeypatch.setattr(index, "build_payload", lambda: builds.append(1) or real())
    for query in ["trial", "pump", "dose"]:
        page(client, query)
    client.get("/search/index.json")
    assert len(builds) == 1
    Section.objects.get(slug="the-trial").save()
    page(client, "trial")
    assert len(builds) == 2
    forget()  # the suite's reset clears it too, as each test starts with none
    page(client, "trial")
    assert len(builds) == 3


def test_the_index_is_shared_through_the_cache_framework(client, fixture_sections, monkeypatch):
    """Another process (a worker, or an app server on the same Redis) loads the payload, not building it."""
    from itb_portal.pagecache.pages import forget_this_process
    from itb_portal.search import index

    page(client, "trial")
    forget_this_process()  # as in a new process: nothing in memory, the payload in the cache
    monkeypatch.setattr(index, "build_payload", lambda: pytest.fail("built again"))
    assert "The test dose" in html_of(page(client, "test dose"))
