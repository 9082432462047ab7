"""With no signal, in a real Chromium: after one visit to any page, the service worker answers for
every page it promises, a page it never saved gets the offline page with 999 and the team's
numbers, the symptom checker gives the emergency guidance, results are never stored, and a
changed phone number is kept for offline use on the next visit."""

import json
import re
import shutil
import urllib.request
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import reverse

from itb_portal.companion.worker import offline_pages
from itb_portal.contacts.directory import load_directory
from itb_portal.symptoms.rules import load_rules

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "service_workers": "allow"}


@pytest.fixture(autouse=True)
def _a_slow_test_server_is_not_no_signal(monkeypatch):
    # On a busy machine the test server can take longer than a real one to answer; the worker
    # must not give up on the network then, or a test would see a saved copy it did not ask for.
    monkeypatch.setattr("itb_portal.companion.worker.NETWORK_TIMEOUT_SECONDS", 60)


# Resolves once this page is controlled by a worker that keeps the expected content version: a
# worker controls pages only once it is active, which it becomes only after saving every page.
# `check` asks the browser to look for a new /sw.js now, and again every 10 s while no new worker
# is installing: what a browser does on each visit, but at once (Chromium schedules its own check
# a moment after the visit, and a busy test machine can stretch that moment).
# Each worker is asked its version once: Chromium lets a new worker take over only once the old one
# has no event in hand, and a question every 100 ms kept the old one busy on a loaded machine.
WAIT_FOR_WORKER = """([expected, check]) => new Promise((resolve, reject) => {
  const givenUp = Date.now() + 90000;
  let nextCheck = check ? 0 : Infinity;
  const known = new Map();
  const versionOf = async (worker) => {
    if (known.has(worker)) return known.get(worker);
    const version = await new Promise((answer) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => answer(event.data);
      setTimeout(() => answer(null), 1000);
      worker.postMessage("content-version", [channel.port2]);
    });
    if (version !== null) known.set(worker, version);
    return version;
  };
  const poll = async () => {
    const worker = navigator.serviceWorker.controller;
    if (worker && (await versionOf(worker)) === expected) return resolve(true);
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration && !registration.installing && Date.now() >= nextCheck) {
      nextCheck = Date.now() + 10000;
      registration.update().catch(() => {});
    }
    if (Date.now() > givenUp) {
      const states = ["installing", "waiting", "active"].map((name) => `${name}: ${registration?.[name]?.state}`);
      return reject(new Error(`no worker for content version ${expected} (${states.join(", ")})`));
    }
    setTimeout(poll, 100);
  };
  poll();
})"""
# Every address in the worker's caches. Workbox keys a saved file by its address plus a
# __WB_REVISION__ parameter of its own; any other query string would be someone's input.
CACHED_ADDRESSES = """async () => {
  const addresses = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) addresses.push(request.url);
  }
  return addresses;
}"""


def served_version(base_url: str) -> str:
    with urllib.request.urlopen(base_url + "/sw.js") as response:
        script = response.read().decode()
    return json.loads(re.search(r"^self\.ITB_OFFLINE=(\{.*\});$", script, re.MULTILINE).group(1))["version"]


def wait_for_worker(page, base_url: str, check: bool = False) -> str:
    """Waits until this page is controlled by a worker that has saved everything for the content
    version the server has now (a worker is active only once it has saved every page). With
    `check`, the browser looks for a changed worker at once, as it does after a visit."""
    version = served_version(base_url)
    page.evaluate(WAIT_FOR_WORKER, [version, check])
    return version


def assert_offline_page(page):
    assert page.locator("h1").inner_text() == "No signal"
    assert page.locator('a[href="tel:999"]').count() >= 1
    text = page.locator("main").inner_text()
    for line in load_directory().lines:
        for phone in line.phones:
            assert phone.number in text, line.id


def test_after_a_first_visit_to_any_page_every_promised_page_works_with_no_signal(live_site, page, context):
    # The first visit is to a page the worker does not itself keep.
    page.goto(live_site.url + reverse("booklet:accessibility"))
    wait_for_worker(page, live_site.url)
    context.set_offline(True)
    fallbacks = {reverse("companion:offline"), reverse("companion:offline_check")}
    for path in offline_pages():
        response = page.goto(live_site.url + path)
        assert response.ok, path
        if not response.headers["content-type"].startswith("text/html"):
            continue  # a page's data, such as the search index
        assert page.locator("main h1").count() == 1, path
        assert page.locator("main h1").inner_text() != "No signal" or path in fallbacks, path
        if path not in fallbacks:
            assert page.get_by_test_id("saved-copy").is_visible(), path
    # The pump card page's own script comes from the saved copy too.
    page.goto(live_site.url + reverse("companion:my_pump"))
    page.locator("#my-pump-name").fill("Saved offline")
    page.reload()
    assert page.locator("#my-pump-name").input_value() == "Saved offline"


def test_a_first_visit_says_when_the_site_is_ready_for_use_with_no_signal(live_site, page, context):
    page.goto(live_site.url + reverse("contacts:index"))
    note = page.get_by_test_id("offline-ready")
    assert not note.is_visible()
    wait_for_worker(page, live_site.url)
    expect_text = "you can now use this site with no signal"
    page.wait_for_function(f"document.querySelector('[data-app-offline-ready]').textContent.includes({expect_text!r})")
    assert note.is_visible()
    # Once saved, later pages do not say it again.
    page.goto(live_site.url + reverse("booklet:home"))
    assert not page.get_by_test_id("offline-ready").is_visible()


def test_a_page_never_saved_gives_the_offline_page_with_999_and_every_number(live_site, page, context):
    page.goto(live_site.url + reverse("booklet:home"))
    wait_for_worker(page, live_site.url)
    context.set_offline(True)
    for path in [reverse("booklet:accessibility"), reverse("printing:index"), "/no-such-page/"]:
        page.goto(live_site.url + path)
        assert_offline_page(page)


def test_sending_the_checker_with_no_signal_shows_the_emergency_guidance(live_site, page, context):
    page.goto(live_site.url + reverse("symptoms:checker"))
    wait_for_worker(page, live_site.url)
    context.set_offline(True)
    page.reload()
    page.locator("#sign-itching").check()
    page.get_by_test_id("check-submit").click()
    page.wait_for_url(re.compile(r"/symptoms/result/\?sign=itching$"))
    assert page.get_by_test_id("offline-check").inner_text().count("The full symptom check needs a connection") == 1
    rules = load_rules()
    table = page.locator("section[aria-labelledby=what-to-do]").inner_text()
    for level_id in ("call-999", "go-to-ae"):  # each action once, its first sentence in bold
        assert rules.levels[level_id].advice.action.split(". ")[0] in table
    assert rules.levels["urgent"].routes["team-closed"].heading in table
    for phone in load_directory().team_line.phones:
        assert phone.number in page.locator("main").inner_text()
    # The signs ticked choose which level comes first: itchy skin needs urgent advice.
    assert page.get_by_test_id("what-to-do").locator("tr[data-level]").first.get_attribute("data-level") == "urgent"
    assert "itchy skin" in page.get_by_test_id("offline-answer").inner_text()


def test_results_and_addresses_with_a_query_string_are_never_stored(live_site, page, context):
    page.goto(live_site.url + reverse("booklet:home"))
    wait_for_worker(page, live_site.url)
    result = reverse("symptoms:result") + "?" + urlencode({"sign": "seizures"})
    for path in [
        result,
        reverse("symptoms:checker") + "?sign=fever",
        reverse("printing:booklet") + "?section=the-trial",
    ]:
        assert page.goto(live_site.url + path).ok
    addresses = page.evaluate(CACHED_ADDRESSES)
    assert addresses
    for address in addresses:
        parts = urlsplit(address)
        assert [name for name, _ in parse_qsl(parts.query)] in ([], ["__WB_REVISION__"]), address
        assert not parts.path.startswith(reverse("symptoms:result")), address
    # With no signal, the result is not there to be shown: only the offline guidance.
    context.set_offline(True)
    page.goto(live_site.url + result)
    assert page.get_by_test_id("offline-check").is_visible()
    assert page.get_by_test_id("care-card").count() == 0


def test_with_no_signal_a_saved_page_says_when_it_was_saved_and_never_says_open_now(live_site, page, context):
    page.goto(live_site.url + reverse("contacts:index"))
    wait_for_worker(page, live_site.url)
    context.set_offline(True)
    page.reload()
    notice = page.get_by_test_id("saved-copy")
    assert notice.is_visible()
    assert re.search(r"saved on this device on \d{1,2} \w+ \d{4} at \d{1,2}:\d{2}", notice.inner_text())
    # The 24-hour lines say "Open now" when the page is made; the saved copy hides it.
    assert page.get_by_test_id("open-now").count() > 0
    for test_id in ("open-now", "closed-now", "uk-time", "contacts-now"):
        assert page.locator(f"[data-testid={test_id}]:visible").count() == 0, test_id


def test_a_changed_phone_number_is_shown_online_at_once_and_kept_for_offline_use(
    live_site, page, context, settings, tmp_path
):
    old = load_directory().team_line.phones[0].number
    new = "0113 392 0000"
    page.goto(live_site.url + reverse("contacts:index"))
    first = wait_for_worker(page, live_site.url)
    assert old in page.locator("main").inner_text()

    # A release with a changed contacts file (the release step moves the content version on).
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    contacts = content / "contacts.yaml"
    contacts.write_text(contacts.read_text().replace(old, new))
    settings.CONTENT_DIR = content
    from itb_portal.pagecache.models import ContentVersion

    ContentVersion.bump()

    # The next visit, online: the new number at once (pages come from the network first)...
    page.goto(live_site.url + reverse("contacts:index"))
    text = page.locator("main").inner_text()
    assert new in text and old not in text
    # ...and the browser finds the changed worker, which saves every page again.
    assert wait_for_worker(page, live_site.url, check=True) != first

    context.set_offline(True)
    for path in [reverse("contacts:index"), reverse("symptoms:emergency_sheet"), reverse("companion:handover_sheet")]:
        page.goto(live_site.url + path)
        assert page.get_by_test_id("saved-copy").is_visible(), path
        text = page.locator("main").inner_text()
        assert new in text and old not in text, path


def test_search_works_with_no_signal_from_the_saved_page_and_index(live_site, page, context):
    page.goto(live_site.url + reverse("booklet:home"))
    wait_for_worker(page, live_site.url)
    context.set_offline(True)
    page.goto(live_site.url + reverse("search:results") + "?" + urlencode({"q": "test dose"}))
    assert page.get_by_test_id("saved-copy").is_visible()
    page.wait_for_function("!document.querySelector('[data-search-output]').innerText.includes('Searching')")
    results = page.locator("[data-search-output]").inner_text()
    assert "The test dose" in results
