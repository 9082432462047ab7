"""`make scale-out`: two app servers, one PostgreSQL database, one Redis; an edit on one shows on the other at once.

1. the release step on the shared database, static files collected once for both;
2. instances A and B: gunicorn with gunicorn.conf.py, debug off, on two ports;
3. B serves a section (now held in B's memory and in Redis) and A serves it too;
4. an editor logs in to A's admin and changes the section (a real form POST), and a second person,
   a clinical approver, approves the draft through A's admin (an edit is never public before that);
5. B's very next answer, to a conditional GET with B's old ETag, is the new text with a new ETag,
   and so is B's contents page; A shows it too;
6. the edit is undone and approved through A's admin, and B shows the original again at once.

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/itb_perf) and REDIS_URL (default
redis://127.0.0.1:6379/3) name the shared services; the database must exist. Exits 0 when every
check passes, and prints how long each step took.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

from servers import CommandFailed, gunicorn, manage

SECTION = "the-trial"
HOST = "localhost"
STARTED = time.monotonic()


def step(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.2f} s] {message}", flush=True)


def fail(message: str) -> None:
    print(f"FAIL: {message}", file=sys.stderr)
    raise SystemExit(1)


def environment(work: Path, database_url: str, redis_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "ITB_PAGE_CACHE_DIR")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),  # the same throwaway key on both: sessions work on either
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_MANIFEST="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        STATIC_ROOT_OVERRIDE=str(work / "static"),
        WEB_CONCURRENCY=os.environ.get("WEB_CONCURRENCY", "2"),
        GUNICORN_LOG_LEVEL="warning",
    )
    return env


def shell(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "--verbosity", "0", "--command", code)


@contextmanager
def instance(env: dict[str, str], port: int):
    with gunicorn(env, port, health_headers={"Host": HOST}):
        yield Client(port)


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.text = status, headers, body.decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser enough for the admin: keeps its cookies (Secure ones too: the app sits behind HTTPS).

    Both instances are asked for the same host, as behind a load balancer."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.origin = f"https://{HOST}"
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> Response:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers.update(Origin=self.origin, Referer=self.origin + path)
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as answer:
                response = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            response = Response(error.code, error.headers, error.read())
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value
        return response

    def get(self, path: str, **headers: str) -> Response:
        return self.request(path, headers={k.replace("_", "-"): v for k, v in headers.items()})

    def post(self, path: str, data: dict) -> Response:
        return self.request(path, data=data)


def csrf_token(page: Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def log_in(client: Client, username: str, password: str) -> None:
    form = client.get("/admin/login/")
    answer = client.post(
        "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": csrf_token(form), "username": username, "password": password, "next": "/admin/"},
    )
    if answer.status != 302:
        fail(f"could not log in to the admin (HTTP {answer.status})")


def edit_section(client: Client, section_id: str, title: str, body: str) -> str:
    """Saves the change as a draft and submits it for approval; returns the address of its approval page."""
    path = f"/admin/booklet/section/{section_id}/change/"
    form = client.get(path)
    if form.status != 200:
        fail(f"the admin change form answered HTTP {form.status}")
    fields = dict(re.findall(r'<input type="(?:text|number|date|hidden)" name="(\w+)" value="([^"]*)"', form.text))
    fields.update(re.findall(r'<textarea name="(\w+)"[^>]*>\n?([^<]*)</textarea>', form.text))
    fields.update(
        csrfmiddlewaretoken=csrf_token(form),
        title=title,
        body=body,
        is_published="on",
        _submit="Save and submit for approval",
    )
    answer = client.post(path, {k: _unescape(v) for k, v in fields.items()})
    if answer.status != 302:
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer.text, re.S)
        fail(f"the admin did not save the section (HTTP {answer.status}): {errors}")
    return urllib.parse.urlsplit(answer.headers["Location"]).path


def approve(client: Client, approval_page: str) -> None:
    page = client.get(approval_page)
    version = re.search(r'name="version" value="(\d+)"', page.text)
    if page.status != 200 or not version:
        fail(f"the approval page answered HTTP {page.status} with no draft version")
    fields = {"csrfmiddlewaretoken": csrf_token(page), "version": version.group(1), "note": "Scale-out check"}
    answer = client.post(approval_page, fields)
    if answer.status != 302:
        fail(f"the approver could not approve the draft (HTTP {answer.status})")


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", default=os.environ.get("SCALE_OUT_PORTS", "8520,8521"))
    args = parser.parse_args()
    port_a, port_b = (int(p) for p in args.ports.split(","))
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itb_perf")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3")
    work = Path(tempfile.mkdtemp(prefix="itb-scale-out-"))
    env = environment(work, database_url, redis_url)
    username, password = f"scale-out-{secrets.token_hex(4)}", secrets.token_urlsafe(24)
    approver = f"{username}-approver"
    try:
        step(f"release step on {urllib.parse.urlsplit(database_url)._replace(netloc='…').geturl()} …")
        manage(env, "release")
        manage(env, "collectstatic", "--noinput")
        shell(
            env,
            "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.create_superuser({username!r}, '', {password!r}); "
            f"get_user_model().objects.create_superuser({approver!r}, '', {password!r})",
        )
        section_id = shell(
            env,
            f"from itb_portal.booklet.models import Section; print(Section.objects.get(slug={SECTION!r}).pk)",
        ).strip()
        with ExitStack() as stack:
            step(f"starting instance A on {port_a} and instance B on {port_b}, one database, one Redis")
            a = stack.enter_context(instance(env, port_a))
            b = stack.enter_context(instance(env, port_b))
            path = f"/booklet/{SECTION}/"
            before_b, before_a = b.get(path), a.get(path)
            original_title = re.search(r"<h1>([^<]+)</h1>", before_b.text).group(1)
            if before_b.headers["ETag"] != before_a.headers["ETag"]:
                fail("A and B gave the same page different ETags")
            if b.get(path, if_none_match=before_b.headers["ETag"]).status != 304:
                fail("B did not answer 304 for its own current ETag")
            step(f"B serves {path} (ETag {before_b.headers['ETag']}); an editor logs in to A's admin")

            marker = f"Scale-out check {secrets.token_hex(3)}"
            log_in(a, username, password)
            a_approver = Client(port_a)
            log_in(a_approver, approver, password)
            read_body = f"print(Section.objects.get(pk={section_id}).body, end='')"
            body = shell(env, f"from itb_portal.booklet.models import Section; {read_body}")
            approval_page = edit_section(a, section_id, f"{original_title} ({marker})", body + f"\n\n{marker}.")
            if marker in b.get(path).text:
                fail("B showed the edit before anyone approved it")
            approve(a_approver, approval_page)
            edited_at = time.monotonic()
            after_b = b.get(path, if_none_match=before_b.headers["ETag"])
            seen_after = time.monotonic() - edited_at
            if after_b.status != 200 or marker not in after_b.text:
                fail(f"B's next answer did not show A's edit (HTTP {after_b.status})")
            if after_b.headers["ETag"] == before_b.headers["ETag"]:
                fail("B's ETag did not change after the edit")
            if marker not in b.get("/").text:
                fail("B's contents page did not show the new title")
            if marker not in a.get(path).text:
                fail("A did not show its own edit")
            step(f"edited and approved on A; B's next answer showed it {seen_after * 1000:.0f} ms later")
            step(f"B's new ETag {after_b.headers['ETag']}")

            approve(a_approver, edit_section(a, section_id, original_title, body))
            restored = b.get(path, if_none_match=after_b.headers["ETag"])
            if restored.status != 200 or marker in restored.text:
                fail("B still showed the edit after it was undone on A")
            step("undone on A; B showed the original again at once")
    finally:
        remove_user = f"get_user_model().objects.filter(username__in={[username, approver]!r}).delete()"
        shell(env, f"from django.contrib.auth import get_user_model; {remove_user}")
        # Only this site's pages: the pattern carries the cache's key prefix.
        shell(env, "from django.core.cache import caches; caches['pages'].delete_pattern('*')")
        shutil.rmtree(work, ignore_errors=True)
    step("PASS: an edit on one app server shows on the other at once")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CommandFailed as error:
        fail(str(error))
