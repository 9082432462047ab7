"""Watches /health/ while something else loads the site: each answer must come within a limit.

    python scripts/health_watch.py URL [--seconds S] [--limit 1.0] [--allow-503]

Asks every 0.2 s, on a new connection each time as an orchestrator's probe does (each ask waits at
most 5 s), until S seconds have passed or it is sent SIGTERM or SIGINT. Then it prints one line and
exits 1 if any answer took --limit seconds or more, or was not 200 (with --allow-503, a 503 is
fine too: the database may be down on purpose, but the answer must still come in time).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

INTERVAL = 0.2
ASK_TIMEOUT = 5.0


@dataclass
class Watch:
    url: str
    limit: float = 1.0
    allowed: frozenset[int] = frozenset({200})
    name: str = "health"
    seconds: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    def ask(self) -> None:
        request = urllib.request.Request(self.url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
        began = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=ASK_TIMEOUT) as response:  # noqa: S310
                response.read()
                status = str(response.status)
        except urllib.error.HTTPError as error:
            status = str(error.code)
        except OSError as error:  # no answer in time, or refused
            status = type(error).__name__
        self.seconds.append(time.monotonic() - began)
        self.statuses[status] += 1

    def run(self, stop: threading.Event, seconds: float | None = None) -> None:
        ends = time.monotonic() + seconds if seconds else None
        while not stop.is_set() and (ends is None or time.monotonic() < ends):
            self.ask()
            stop.wait(INTERVAL)

    @property
    def passed(self) -> bool:
        in_time = all(taken < self.limit for taken in self.seconds)
        return bool(self.seconds) and in_time and all(s.isdigit() and int(s) in self.allowed for s in self.statuses)

    def summary(self) -> str:
        if not self.seconds:
            return f"{self.name}: no answers at all"
        ordered = sorted(self.seconds)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        statuses = ", ".join(f"{status} x{count}" for status, count in sorted(self.statuses.items()))
        return (
            f"{self.name}: {'PASS' if self.passed else 'FAIL'} {len(ordered)} asks, max {ordered[-1] * 1000:.0f} ms, "
            f"p99 {p99 * 1000:.0f} ms (limit {self.limit * 1000:.0f} ms); {statuses}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--limit", type=float, default=1.0)
    parser.add_argument("--allow-503", action="store_true")
    arguments = parser.parse_args()
    watch = Watch(arguments.url, arguments.limit, frozenset({200, 503} if arguments.allow_503 else {200}))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    watch.run(stop, arguments.seconds)
    print(watch.summary(), flush=True)
    return 0 if watch.passed else 1


if __name__ == "__main__":
    sys.exit(main())
