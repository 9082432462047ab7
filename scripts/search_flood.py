"""The costliest searches must not stall the site: while several clients send nothing but the worst
queries we can construct, /health/ and a symptom result page must keep answering within a second.

    python scripts/search_flood.py BASE_URL [--clients 5] [--seconds 10] [--limit 1.0]

Each client asks for /search/?q=... again and again, on a new connection each time, cycling through
the worst cases (docs/reliability.md): 100 x "z", 10 x "abcdefghij", 100 x "㎉" (400 letters once
normalised), nine unknown ten-letter words, and five misspelt words. Before issue 21 the second took
17 s of CPU and five such clients let /health/ answer twice in 20 s. Meanwhile scripts/health_watch.py's
watchers ask for /health/ and for the seizures result. Exit 0 when every watcher's answer came within
the limit as a 200, and no search got a 5xx or no answer.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from health_watch import Watch

WORST = [
    "z" * 100,
    "abcdefghij" * 10,
    "㎉" * 100,
    " ".join("qwertyuiop"[i:] + "qwertyuiop"[:i] for i in range(9)),
    "baclophen withdrawl diziness siezures catheder",
]
RESULT = "/symptoms/result/?sign=seizures"


def flood(base: str, stop: threading.Event, statuses: Counter, seconds: list[float]) -> None:
    turn = 0
    while not stop.is_set():
        query = WORST[turn % len(WORST)]
        turn += 1
        request = urllib.request.Request(  # noqa: S310
            f"{base}/search/?{urlencode({'q': query})}", headers={"X-Forwarded-Proto": "https"}
        )
        began = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                response.read()
                status = str(response.status)
        except urllib.error.HTTPError as error:
            status = str(error.code)  # 400 for a query too long once normalised: as it should be
        except OSError as error:
            status = type(error).__name__
        seconds.append(time.monotonic() - began)
        statuses[status] += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--clients", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--limit", type=float, default=1.0)
    arguments = parser.parse_args()
    base = arguments.base_url.rstrip("/")
    watches = [Watch(base + "/health/", arguments.limit), Watch(base + RESULT, arguments.limit, name="seizures result")]
    statuses: Counter = Counter()
    seconds: list[float] = []
    stop = threading.Event()
    threads = [threading.Thread(target=watch.run, args=(stop,)) for watch in watches]
    threads += [threading.Thread(target=flood, args=(base, stop, statuses, seconds)) for _ in range(arguments.clients)]
    for thread in threads:
        thread.start()
    time.sleep(arguments.seconds)
    stop.set()
    for thread in threads:
        thread.join()
    answered = all(status.isdigit() and int(status) < 500 for status in statuses)
    slowest = max(seconds, default=0)
    print(
        f"worst-case searches: {arguments.clients} clients for {arguments.seconds:.0f} s, {len(seconds)} searches "
        f"({len(seconds) / arguments.seconds:.0f}/s), slowest {slowest * 1000:.0f} ms; "
        + ", ".join(f"{status} x{count}" for status, count in sorted(statuses.items()))
        + ("" if answered else " FAIL: a search got a 5xx or no answer")
    )
    for watch in watches:
        print(watch.summary(), flush=True)
    return 0 if answered and all(watch.passed for watch in watches) else 1


if __name__ == "__main__":
    sys.exit(main())
