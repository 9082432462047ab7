""" "Was this page useful?": a form on every page that works without JavaScript or cookies, keeps only
the page, the answer and the date, and shows editors the counts and comments per page."""

import datetime
import logging
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from itb_portal.feedback import views
from itb_portal.feedback.models import AnswerCount, Comment
from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db

ANSWER = "/feedback/"
COMMENT = "/feedback/comment/"


@pytest.fixture(autouse=True)
def fresh_rate_limit(monkeypatch):
    from django.core.cache import caches

    caches["default"].clear()
    monkeypatch.setattr(views, "rate_limit", views.RateLimit(views.RATE_PER_MINUTE))


def counts() -> dict[tuple[str, str], int]:
    return {(row.page, row.answer): row.count for row in AnswerCount.objects.all()}


def test_every_page_asks_whether_it_was_useful_with_a_plain_form(client, fixture_sections):
    for path in public_paths():
        if path.startswith("/share/"):
            continue  # a page about another page, as the test below says
        html = client.get(path).content.decode()
        banner = html.split('data-testid="feedback"', 1)[1].split("data-feedback-status", 1)[0]
        assert f'action="{ANSWER}" method="post"' in banner, path
        assert f'name="page" value="{path.split("?")[0]}"' in banner, path
        assert 'name="answer" value="yes"' in banner and 'name="answer" value="no"' in banner, path
        assert "csrfmiddlewaretoken" not in banner, path
        assert "Was this page useful?" in banner, path


def test_pages_that_are_not_pages_of_information_do_not_ask(client, fixture_sections):
    for path in ["/no-such-page/", "/share/?page=/contacts/", "/feedback/thanks/?page=/"]:
        assert 'data-testid="feedback"' not in client.get(path).content.decode(), path


def test_yes_is_counted_and_thanked_with_no_cookie_and_no_token(fixture_sections):
    client = Client(enforce_csrf_checks=True)
    response = client.post(ANSWER, {"page": "/booklet/the-trial/", "answer": "yes"})
    assert response.status_code == 303
    assert response["Location"] == "/feedback/thanks/?page=%2Fbooklet%2Fthe-trial%2F"
    assert not response.cookies and "no-store" in response["Cache-Control"]
    assert counts() == {("/booklet/the-trial/", "yes"): 1}
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Thank you for your feedback" in thanks.content.decode()
    assert 'href="/booklet/the-trial/"' in thanks.content.decode() and not thanks.cookies


def test_no_is_counted_then_asks_what_was_missing(client, fixture_sections):
    response = client.post(ANSWER, {"page": "/booklet/the-trial/", "answer": "no"})
    assert response.status_code == 303 and response["Location"].startswith("/feedback/tell-us-more/?page=")
    assert counts() == {("/booklet/the-trial/", "no"): 1}
    client.post(ANSWER, {"page": "/booklet/the-trial/", "answer": "no"})
    assert counts() == {("/booklet/the-trial/", "no"): 2}


def test_the_comment_form_warns_first_and_names_who_to_call_from_the_contacts(client, fixture_sections):
    from itb_portal.contacts.directory import load_directory

    html = client.get("/feedback/tell-us-more/", {"page": "/booklet/the-trial/"}).content.decode()
    # What not to write is said before the box (its hint); the box comes before who to call (issue 22).
    personal = html.index('data-testid="feedback-personal-details"')
    assert personal < html.index('name="comment"') < html.index('data-testid="feedback-warning"')
    assert "Do not include personal or medical details" in html[personal:]
    text = html[html.index('data-testid="feedback-warning"') :]
    assert "We cannot reply" in text
    directory = load_directory()
    for line_id in ("nurse-specialist", "nhs-111", "emergency-999"):
        for phone in directory.line(line_id).phones:
            assert f'href="tel:{phone.tel}"' in text, line_id


def test_a_comment_is_stored_with_personal_details_taken_out(client, fixture_sections):
    comment = "Call me on 07700 900123 or jo@example.com, I was born 12/03/1956. NHS no 485 777 3456. Too long."
    response = client.post(COMMENT, {"page": "/booklet/the-trial/", "comment": comment})
    assert response.status_code == 303 and response["Location"].startswith("/feedback/thanks/")
    stored = Comment.objects.get()
    assert stored.page == "/booklet/the-trial/"
    for detail in ["07700 900123", "jo@example.com", "12/03/1956", "485 777 3456"]:
        assert detail not in stored.text
    assert stored.text.endswith("Too long.")


def test_an_empty_comment_stores_nothing(client, fixture_sections):
    response = client.post(COMMENT, {"page": "/booklet/the-trial/", "comment": "  \n "})
    assert response.status_code == 303 and not Comment.objects.exists()


def test_an_over_long_comment_is_refused_and_given_back(client, fixture_sections):
    text = "word " * 150
    response = client.post(COMMENT, {"page": "/booklet/the-trial/", "comment": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your comment is too long. Use 500 characters or fewer." in html
    assert text.strip() in html  # nothing the person wrote is lost
    assert not Comment.objects.exists()


def test_a_huge_comment_is_given_back_without_being_read_through(client, fixture_sections, monkeypatch):
    def tidy_must_not_run(text):
        raise AssertionError("a megabyte was tidied character by character")

    monkeypatch.setattr(views, "tidy", tidy_must_not_run)
    text = "Please add more about refills. " * 33_000  # about a megabyte
    response = client.post(COMMENT, {"page": "/booklet/the-trial/", "comment": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your comment is too long. Use 500 characters or fewer." in html
    assert text.strip() in html  # still nothing lost
    assert not Comment.objects.exists()


def test_only_the_page_the_answer_and_the_date_are_stored(fixture_sections):
    client = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Agent/1.0 (unique-agent)")
    with time_machine.travel(datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)):
        client.post(ANSWER, {"page": "/booklet/the-trial/", "answer": "no"})
        client.post(COMMENT, {"page": "/booklet/the-trial/", "comment": "Needs a picture."})
    assert {f.name for f in AnswerCount._meta.get_fields()} == {"id", "page", "day", "answer", "count"}
    assert {f.name for f in Comment._meta.get_fields()} == {"id", "page", "day", "text"}
    row = AnswerCount.objects.get()
    assert (row.page, row.answer, row.count) == ("/booklet/the-trial/", "no", 1)
    assert row.day == datetime.date(2026, 11, 30)  # the UK date (23:30 UTC is 23:30 in London in winter)
    stored = repr(list(AnswerCount.objects.values())) + repr(list(Comment.objects.values()))
    assert "203.0.113.77" not in stored and "unique-agent" not in stored


def test_a_page_is_stored_by_its_address_without_any_query(client, fixture_sections):
    client.post(ANSWER, {"page": "/symptoms/result/?sign=seizures&sign=itching", "answer": "yes"})
    client.post(ANSWER, {"page": "/search/?q=my+private+words", "answer": "yes"})
    assert set(counts()) == {("/symptoms/result/", "yes"), ("/search/", "yes")}


def test_a_renamed_sections_old_address_counts_for_the_section(client, fixture_sections):
    from itb_portal.booklet.models import Section

    section = Section.objects.get(slug="the-trial")
    section.slug = "your-trial"
    section.save()
    client.post(ANSWER, {"page": "/booklet/the-trial/", "answer": "yes"})
    assert counts() == {("/booklet/your-trial/", "yes"): 1}


@pytest.mark.parametrize(
    "page",
    [
        "",
        "https://evil.example/",
        "//evil.example/",
        "/booklet/no-such-section/",
        "/no-such-page/",
        "/admin/",
        "/feedback/thanks/",
        "/qr/",
        "javascript:alert(1)",
        "/" + "a" * 600,
    ],
)
def test_feedback_about_anything_but_a_page_of_this_site_is_refused(client, fixture_sections, page):
    response = client.post(ANSWER, {"page": page, "answer": "yes"})
    assert response.status_code == 400
    assert "We could not tell which page your feedback is about" in response.content.decode()
    assert not AnswerCount.objects.exists() and not response.cookies


@pytest.mark.parametrize("answer", ["", "maybe", "YES", "yes ", None])
def test_an_answer_that_is_not_yes_or_no_is_refused(client, fixture_sections, answer):
    data = {"page": "/booklet/the-trial/"} | ({"answer": answer} if answer is not None else {})
    assert client.post(ANSWER, data).status_code == 400
    assert not AnswerCount.objects.exists()


def test_a_form_sent_from_another_site_is_refused(client, fixture_sections):
    forged = client.post(ANSWER, {"page": "/", "answer": "yes"}, HTTP_ORIGIN="https://evil.example")
    assert forged.status_code == 403 and not AnswerCount.objects.exists()
    own = client.post(ANSWER, {"page": "/", "answer": "yes"}, HTTP_ORIGIN="http://testserver")
    assert own.status_code == 303 and counts() == {("/", "yes"): 1}


def test_each_client_address_sends_only_so_many_submissions_a_minute(fixture_sections, monkeypatch):
    monkeypatch.setattr(views, "rate_limit", views.RateLimit(3))
    flooder, reader = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="198.51.100.4")
    statuses = [flooder.post(ANSWER, {"page": "/", "answer": "yes"}).status_code for _ in range(5)]
    assert statuses == [303, 303, 303, 429, 429]
    refused = flooder.post(COMMENT, {"page": "/", "comment": "hello"})
    assert refused.status_code == 429 and refused["Retry-After"] == "60" and not Comment.objects.exists()
    # Everyone else is still heard.
    assert reader.post(ANSWER, {"page": "/", "answer": "yes"}).status_code == 303
    assert counts() == {("/", "yes"): 4}


def test_behind_our_proxy_each_client_is_counted_by_its_forwarded_address(fixture_sections, monkeypatch):
    monkeypatch.setattr(views, "rate_limit", views.RateLimit(2))
    nginx = Client(REMOTE_ADDR="127.0.0.1")

    def send(forwarded: str) -> int:
        return nginx.post(ANSWER, {"page": "/", "answer": "no"}, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [send("203.0.113.9") for _ in range(3)] == [303, 303, 429]
    assert send("198.51.100.4") == 303


def test_a_forged_forwarded_address_does_not_escape_the_limit(fixture_sections, monkeypatch):
    monkeypatch.setattr(views, "rate_limit", views.RateLimit(2))
    direct = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        direct.post(ANSWER, {"page": "/", "answer": "no"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [303, 303, 429]


def test_the_rate_limit_forgets_after_a_minute():
    now = [6000.0]
    limit = views.RateLimit(2, clock=lambda: now[0])
    assert limit.allow("203.0.113.9") and limit.allow("203.0.113.9") and not limit.allow("203.0.113.9")
    assert limit.allow("198.51.100.4")
    now[0] += 59
    assert not limit.allow("203.0.113.9")
    now[0] += 2
    assert limit.allow("203.0.113.9")


def test_the_rate_limit_keeps_no_address(monkeypatch):
    from django.core.cache import caches

    cache, kept = caches["default"], []

    def recording(real):
        def call(key, *args, **kwargs):
            kept.append(repr((key, args, kwargs)))
            return real(key, *args, **kwargs)

        return call

    monkeypatch.setattr(cache, "add", recording(cache.add))
    monkeypatch.setattr(cache, "incr", recording(cache.incr))
    views.RateLimit(5).allow("203.0.113.9")
    assert kept and all("203.0.113.9" not in entry and "feedback-rate:" in entry for entry in kept)


def test_only_a_post_is_taken(client, fixture_sections):
    for path in (ANSWER, COMMENT):
        assert client.get(path, {"page": "/", "answer": "yes"}).status_code == 405
    assert not AnswerCount.objects.exists()


def test_nothing_about_feedback_is_logged(client, fixture_sections, caplog):
    with caplog.at_level(logging.DEBUG):
        client.post(ANSWER, {"page": "/", "answer": "no"})
        client.post(COMMENT, {"page": "/", "comment": "unusual-words-in-a-comment"})
        client.post(COMMENT, {"page": "/nowhere/", "comment": "unusual-words-in-a-comment"})
    assert "unusual-words-in-a-comment" not in caplog.text


# --- What editors see --------------------------------------------------------------------------


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("nurse", "nurse@example.nhs.uk", "a-long-test-password-123")
    client.force_login(user)
    return client


def test_editors_see_each_pages_counts_and_comments_newest_first(editor, fixture_sections):
    AnswerCount.objects.create(page="/booklet/the-trial/", day=datetime.date(2026, 11, 1), answer="yes", count=4)
    AnswerCount.objects.create(page="/booklet/the-trial/", day=datetime.date(2026, 11, 2), answer="no", count=2)
    AnswerCount.objects.create(page="/contacts/", day=datetime.date(2026, 11, 20), answer="no", count=1)
    Comment.objects.create(page="/contacts/", day=datetime.date(2026, 11, 20), text="Newer comment")
    Comment.objects.create(page="/booklet/the-trial/", day=datetime.date(2026, 11, 2), text="Older comment")

    html = editor.get(reverse("admin:feedback_answercount_changelist")).content.decode()
    table = html.split('id="feedback-by-page"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tr>")[2:]
    assert "/contacts/" in rows[0] and "/booklet/the-trial/" in rows[1]  # newest answer first
    cells = [re.sub(r"<[^>]+>", "", cell).split("</td>", 1)[0].strip() for cell in rows[1].split("<td>")[2:5]]
    assert cells == ["4", "2", "1"]  # yes, no, comments

    comments = editor.get(reverse("admin:feedback_comment_changelist")).content.decode()
    assert comments.index("Newer comment") < comments.index("Older comment")


def test_editors_cannot_add_or_change_what_people_said(editor, fixture_sections):
    comment = Comment.objects.create(page="/", day=datetime.date(2026, 11, 20), text="Said this")
    assert editor.get(reverse("admin:feedback_comment_add")).status_code == 403
    page = editor.get(reverse("admin:feedback_comment_change", args=[comment.pk])).content.decode()
    assert "Said this" in page and 'name="text"' not in page  # shown, not editable
    assert editor.get(reverse("admin:feedback_answercount_add")).status_code == 403
