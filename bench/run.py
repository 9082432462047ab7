"""`make bench`: throughput, page weight and Lighthouse, against gunicorn run as in production.

Steps: collect static files with the manifest storage, run the release step on a throwaway
SQLite database, start gunicorn with gunicorn.conf.py (debug off), save each page's HTML and
serve the same bytes as a static file through WhiteNoise from the same gunicorn, then:

1. throughput: `wrk -t2 -c50 -d15s --latency` on each page and on its static copy;
2. page weight: a first visit in Chromium (Playwright), `Accept-Encoding: br, gzip`, every
   request summed by its encoded size; and whether the page reads with JavaScript off;
3. Lighthouse (npm, pinned in bench/package.json) on its mobile defaults.

Writes bench/results/latest.json and latest.md (both git-ignored: they change every run, so a
run never dirties the tree; docs link latest.md rather than copy its figures) and prints the
Markdown summary. `python bench/run.py --readme` copies the summary of latest.json into README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from contextlib import suppress
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from servers import PYTHON, ROOT, Server, gunicorn, manage

RESULTS = ROOT / "bench" / "results"
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)

# The pages of the issue, by name. The section is the one with the booklet's diagram.
PAGES = {
    "home": "/",
    "section": "/booklet/the-pump-system/",
    "checker": "/symptoms/",
    "result": "/symptoms/result/?sign=itching",
    "contacts": "/contacts/",
    # The whole booklet as one document to print: cached per content version like any page without
    # a query. Measured for throughput only; it is far bigger than a page by design.
    "printout": "/print/booklet/",
    # What anyone could ask for over and over (issue 21), measured for throughput only: a search with
    # five misspelt words (the costliest kind a real query is), a chosen printout and the sheet's PDF.
    "search": "/search/?q=baclophen+withdrawl+diziness+siezures+catheder",
    "chosen-printout": "/print/booklet/?section=the-pump-system&also=contacts",
    "sheet-pdf": "/symptoms/emergency-sheet.pdf",
}
EXPENSIVE = ("search", "chosen-printout", "sheet-pdf")
THROUGHPUT_PAGES = ("home", "section", "contacts", "result", "checker", "printout", *EXPENSIVE)
NOT_INDEXED = {"result"}
LIGHTHOUSE_PAGES = ("home", "section", "checker", "result", "contacts")
EXTRA_WEIGHT_PAGES = {
    "accessibility": "/accessibility/",
    "print": "/print/",
    "emergency sheet": "/symptoms/emergency-sheet/",
    "result (999)": "/symptoms/result/?sign=seizures",
    "result (A&E)": "/symptoms/result/?sign=drowsiness",
    "result (no signs)": "/symptoms/result/",
    "search": "/search/",
    "search results": "/search/?q=pump+alarm",
    "search (999)": "/search/?q=fits",
}

TARGETS = {
    "throughput_ratio": 0.5,  # of the same bytes served as a static file
    # The result page is rendered whole for each request (it is never cached: its address holds what
    # someone chose), so its floor is lower.
    "result_throughput_ratio": 0.25,
    # Searches, chosen printouts and the PDF: made for each asker (a printout and the PDF then kept per
    # content version, day and choice), each must still reach a tenth of the static file's rate.
    "expensive_throughput_ratio": 0.1,
    "p99_ratio": 2.0,  # p99 latency at most twice the static file's in the same run
    "page_kb": 60.0,
    "html_kb": 15.0,
    "performance": 0.95,
    "accessibility": 1.0,
    "best-practices": 1.0,
    "seo": 1.0,
}


# --- The server --------------------------------------------------------------------


def environment(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "DJANGO_DEBUG")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),  # throwaway: never used outside this run
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_MANIFEST="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
        STATIC_ROOT_OVERRIDE=str(work / "static"),
        ITB_PAGE_CACHE_DIR=str(work / "pages"),
        GUNICORN_LOG_LEVEL="warning",
    )
    return env


def gunicorn_cpu_seconds(master: int) -> float:
    """CPU time of gunicorn's workers so far: live ones, plus those it has reaped (max_requests)."""
    tick = os.sysconf("SC_CLK_TCK")

    def fields(pid: int) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    reaped = sum(int(x) for x in fields(master)[13:15])  # cutime, cstime
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    live = 0
    for child in children:
        with suppress(FileNotFoundError):  # exited just now: counted as reaped next time
            live += sum(int(x) for x in fields(int(child))[11:13])  # utime, stime
    return (reaped + live) / tick


def fetch(url: str, headers: dict[str, str] | None = None) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
        return response.read()


# --- 1. Throughput -------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(server: Server, url: str, duration: int, connections: int = 50, threads: int = 2) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    cpu_before = gunicorn_cpu_seconds(server.master_pid)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = gunicorn_cpu_seconds(server.master_pid) - cpu_before

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return round(float(value) * UNITS[unit], 2)

    errors = re.search(r"Socket errors: (.*)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return {
        "requests_per_s": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), 1),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "requests": requests,
        # CPU time gunicorn spent per request: unlike req/s, barely moved by other work on the machine.
        "cpu_ms_per_request": round(cpu * 1000 / max(requests, 1), 3),
        "socket_errors": errors.group(1).strip() if errors else "",
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def throughput(server: Server, duration: int, names: tuple[str, ...] = THROUGHPUT_PAGES) -> dict:
    results = {}
    for name in names:
        page_url, static_url = server.base + PAGES[name], f"{server.base}/static/bench/{static_copy(name)}"
        for url in (page_url, static_url):  # every worker renders (or loads) its copy first
            wrk(server, url, 2)
        page, static = wrk(server, page_url, duration), wrk(server, static_url, duration)
        ratio = round(page["requests_per_s"] / static["requests_per_s"], 2)
        p99_ratio = round(page["p99_ms"] / max(static["p99_ms"], 0.001), 2)
        results[name] = {
            "path": PAGES[name],
            "page": page,
            "static": static,
            "ratio": ratio,
            "target_ratio": ratio_target(name),
            "p99_ratio": p99_ratio,
            "cpu_ratio": round(static["cpu_ms_per_request"] / max(page["cpu_ms_per_request"], 0.001), 2),
            "passed": ratio >= ratio_target(name)
            and p99_ratio <= TARGETS["p99_ratio"]
            and not page["non_2xx"]
            and not page["socket_errors"],
        }
        print(
            f"  {name:10} {page['requests_per_s']:8.1f} req/s (static {static['requests_per_s']:.1f}, x{ratio}); "
            f"p99 {page['p99_ms']} ms (static {static['p99_ms']}, x{p99_ratio}); "
            f"CPU {page['cpu_ms_per_request']} ms/request (static {static['cpu_ms_per_request']})"
        )
    return results


def ratio_target(name: str) -> float:
    if name in EXPENSIVE:
        return TARGETS["expensive_throughput_ratio"]
    return TARGETS["result_throughput_ratio"] if name == "result" else TARGETS["throughput_ratio"]


def static_copy(name: str) -> str:
    """The file name of a page's bytes served as a static file: the PDF stays a .pdf."""
    return f"{name}{Path(PAGES[name].split('?')[0]).suffix or '.html'}"


# --- 2. Page weight --------------------------------------------------------------------


def page_weight(base: str, pages: dict[str, str]) -> dict:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split())
        for name, path in pages.items():
            # A first visit: a new context has an empty cache.
            context = browser.new_context(extra_http_headers={"Accept-Encoding": "br, gzip"})
            page = context.new_page()
            responses = []
            page.on("requestfinished", lambda request, seen=responses: seen.append(request))
            page.goto(base + path, wait_until="networkidle")
            items = [worker_script_weight(base, page)] if registers_a_worker(page) else []
            for request in responses:
                sizes = request.sizes()
                response = request.response()
                items.append(
                    {
                        "url": request.url.removeprefix(base),
                        "type": request.resource_type,
                        "encoding": (response.headers.get("content-encoding") if response else None) or "identity",
                        "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                    }
                )
            context.close()
            results[name] = {
                "path": path,
                **weigh(items),
                "readable_without_js": readable_without_js(browser, base + path),
            }
        browser.close()
    return results


def registers_a_worker(page) -> bool:
    return page.evaluate("navigator.serviceWorker.getRegistration().then((found) => Boolean(found))")


def worker_script_weight(base: str, page) -> dict:
    """The service worker the page registers after load counts as part of a first visit. What the
    worker then saves for use offline does not: it runs in the background once the page is shown
    (README "Offline and installing")."""
    url = page.evaluate(
        """Promise.race([
          navigator.serviceWorker.ready.then((registration) => registration.active.scriptURL),
          new Promise((_, fail) => setTimeout(() => fail(new Error("no service worker became active")), 60000)),
        ])"""
    )
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(request) as response:
        body = response.read()
        headers = sum(len(f"{name}: {value}\r\n") for name, value in response.getheaders())
        encoding = response.headers.get("Content-Encoding") or "identity"
    return {"url": url.removeprefix(base), "type": "serviceworker", "encoding": encoding, "bytes": len(body) + headers}


def weigh(items: list[dict]) -> dict:
    html = sum(item["bytes"] for item in items if item["type"] == "document")
    total = sum(item["bytes"] for item in items)
    kb = 1024
    passed = total / kb <= TARGETS["page_kb"] and html / kb <= TARGETS["html_kb"]
    return {"html_kb": round(html / kb, 1), "total_kb": round(total / kb, 1), "passed": passed, "requests": items}


def readable_without_js(browser, url: str) -> bool:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    heading = page.locator("main h1")
    readable = heading.count() == 1 and heading.is_visible() and len(page.locator("main").inner_text()) > 200
    context.close()
    return readable


# --- 3. Lighthouse -----------------------------------------------------------------------


def lighthouse(base: str, work: Path) -> dict:
    results = {}
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    for name in LIGHTHOUSE_PAGES:
        report = work / f"lighthouse-{name}.json"
        command = [
            str(LIGHTHOUSE),
            base + PAGES[name],
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=performance,accessibility,best-practices,seo",
        ]
        for attempt in range(3):  # Lighthouse now and then fails to record a trace on a busy machine
            if subprocess.run(command, env=env, check=False).returncode == 0:
                break
            print(f"  {name}: Lighthouse failed (attempt {attempt + 1}), trying again")
        else:
            raise RuntimeError(f"Lighthouse failed three times on {PAGES[name]}")
        data = json.loads(report.read_text())
        scores = {key: category["score"] for key, category in data["categories"].items()}
        audits = data["audits"]
        failed = sorted(
            audit_id
            for category in data["categories"].values()
            if category["id"] != "performance"
            for ref in category["auditRefs"]
            if ref["weight"] > 0
            and (audit_id := ref["id"]) in audits
            and audits[audit_id]["score"] is not None
            and audits[audit_id]["score"] < 1
        )
        metrics = {
            key: round(audits[key]["numericValue"])
            for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "speed-index")
        }
        metrics["cumulative-layout-shift"] = round(audits["cumulative-layout-shift"]["numericValue"], 3)
        # Lighthouse's own count of the bytes a first visit fetches (icons included): a cross-check of page weight.
        metrics["total-byte-weight"] = round(audits["total-byte-weight"]["numericValue"])
        # A result is marked noindex on purpose (hazard H20), which Lighthouse's SEO score counts against it.
        passed = all(scores[key] >= TARGETS[key] for key in scores if not (key == "seo" and name in NOT_INDEXED))
        results[name] = {"path": PAGES[name], "scores": scores, "metrics_ms": metrics, "failed_audits": failed}
        results[name]["passed"] = passed
        print(f"  {name:10} " + " ".join(f"{key} {value:.2f}" for key, value in scores.items()))
    return results


# --- The report ---------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "django": version("Django"),
        "gunicorn": version("gunicorn"),
        "wrk": "wrk -t2 -c50 --latency",
        "lighthouse": json.loads((ROOT / "bench" / "package.json").read_text())["dependencies"]["lighthouse"],
    }


def tick(passed: bool) -> str:
    return "pass" if passed else "**miss**"


def table(title: str, header: list[str], rows: list[list]) -> list[str]:
    """A Markdown table: the first column is text, the last is pass or miss, the others are numbers."""
    align = ["---", *["---:"] * (len(header) - 2), "---"]
    lines = [title, "", "| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"Measured {report['date']} on {m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB, "
        f"Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']} "
        f"({report['gunicorn_workers']} sync workers); load average {m['load_average_at_start'][0]} at start, "
        f"{report.get('load_average_at_end', ['?'])[0]} at the end (2 cores: above 2, other work shared them).",
        "",
    ]
    if "throughput" in report:
        rows = []
        for name, row in report["throughput"].items():
            page, static = row["page"], row["static"]
            rows.append(
                [
                    f"{name} `{row['path']}`",
                    f"{page['requests_per_s']:.0f}",
                    f"{page['p50_ms']:.1f}",
                    f"{page['p99_ms']:.1f}",
                    f"{static['requests_per_s']:.0f}",
                    f"{static['p99_ms']:.1f}",
                    f"{row['ratio']:.2f}",
                    f"{row['p99_ratio']:.2f}",
                    f"{page['cpu_ms_per_request']:.2f}",
                    f"{static['cpu_ms_per_request']:.2f}",
                    tick(row["passed"]),
                ]
            )
        lines += table(
            f"**Throughput** (wrk, 50 connections, {report['duration_s']} s each; target ≥ 0.5 × the same "
            "bytes served as a static file (the result page ≥ 0.25 ×; a search, a chosen printout and the "
            "sheet's PDF ≥ 0.1 ×), p99 ≤ 2 × the static file's)",
            [
                "Page",
                "req/s",
                "p50 ms",
                "p99 ms",
                "static req/s",
                "static p99 ms",
                "ratio",
                "p99 ÷ static",
                "CPU ms/req",
                "static CPU ms/req",
                "target",
            ],
            rows,
        )
    if "page_weight" in report:
        rows = [
            [
                name,
                f"{row['html_kb']:.1f}",
                f"{row['total_kb']:.1f}",
                len(row["requests"]),
                "yes" if row["readable_without_js"] else "**no**",
                tick(row["passed"] and row["readable_without_js"]),
            ]
            for name, row in report["page_weight"].items()
        ]
        lines += table(
            "**Page weight** (first visit, `Accept-Encoding: br, gzip`; target ≤ 60 KB in all, ≤ 15 KB of HTML)",
            ["Page", "HTML KB", "total KB", "requests", "reads without JS", "target"],
            rows,
        )
    if "lighthouse" in report:
        rows = []
        for name, row in report["lighthouse"].items():
            scores, metric = row["scores"], row["metrics_ms"]
            missed = f" ({', '.join(row['failed_audits'])})" if row["failed_audits"] else ""
            rows.append(
                [
                    name,
                    *(f"{scores[key]:.2f}" for key in ("performance", "accessibility", "best-practices", "seo")),
                    metric["largest-contentful-paint"],
                    metric["total-blocking-time"],
                    metric["cumulative-layout-shift"],
                    f"{metric['total-byte-weight'] / 1024:.1f}",
                    tick(row["passed"]) + missed,
                ]
            )
        lines += table(
            "**Lighthouse** (mobile defaults; target performance ≥ 0.95, the others 1.0; "
            "SEO excepted on a result, which is noindex)",
            [
                "Page",
                "performance",
                "accessibility",
                "best practices",
                "SEO",
                "LCP ms",
                "TBT ms",
                "CLS",
                "KB fetched",
                "target",
            ],
            rows,
        )
    return "\n".join(lines)


def write_readme(summary: str) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text:
        raise SystemExit("README.md has no <!-- bench:start --> marker")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    readme.write_text(f"{before}{start}\n{summary}\n{end}{after}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "15")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8510")))
    parser.add_argument("--skip", action="append", default=[], choices=["throughput", "weight", "lighthouse"])
    parser.add_argument("--readme", action="store_true", help="copy the summary of latest.json into README.md")
    parser.add_argument("--pages", default=",".join(THROUGHPUT_PAGES), help="pages for wrk, e.g. home,result")
    args = parser.parse_args()
    if args.readme:
        write_readme(markdown(json.loads((RESULTS / "latest.json").read_text())))
        return 0

    report: dict = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine()}
    work = Path(tempfile.mkdtemp(prefix="itb-bench-"))
    try:
        env = environment(work)
        print("collectstatic and release on a throwaway SQLite database …")
        manage(env, "collectstatic", "--noinput")
        manage(env, "release")
        report["gunicorn_workers"] = int(
            subprocess.run(
                [str(PYTHON), "-c", "import runpy; print(runpy.run_path('gunicorn.conf.py')['workers'])"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        with gunicorn(env, args.port) as server:
            html = {name: fetch(server.base + path) for name, path in PAGES.items()}
        copies = work / "static" / "bench"
        copies.mkdir()
        for name, body in html.items():
            (copies / static_copy(name)).write_bytes(body)
        # WhiteNoise indexes the static files when it starts: start again with the copies in place.
        with gunicorn(env, args.port) as server:
            base = server.base
            if "throughput" not in args.skip:
                print(f"throughput: wrk -t2 -c50 -d{args.duration}s …")
                report["duration_s"] = args.duration
                report["throughput"] = throughput(server, args.duration, tuple(args.pages.split(",")))
            if "weight" not in args.skip:
                print("page weight …")
                # Every section, from the contents list on the home page.
                sections = {
                    f"section {path.split('/')[2]}": path
                    for path in dict.fromkeys(re.findall(r'href="(/booklet/[\w-]+/)"', html["home"].decode()))
                }
                pages = {name: path for name, path in PAGES.items() if name not in ("printout", *EXPENSIVE)}
                report["page_weight"] = page_weight(base, {**pages, **EXTRA_WEIGHT_PAGES, **sections})
            if "lighthouse" not in args.skip:
                print("lighthouse …")
                report["lighthouse"] = lighthouse(base, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]  # how noisy the machine was

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    summary = markdown(report)
    (RESULTS / "latest.md").write_text(f"# Benchmark results\n\n{summary}")
    print()
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
