"""Slow clients must not stall the site: while many connections trickle their request headers,
/health/ and the home page must keep answering within a second.

    python scripts/slow_clients.py BASE_URL [--clients 1100] [--seconds 30] [--pause 1] [--source 127.0.0.2]

Each client sends a request line, then one more header byte every --pause seconds, and never
finishes its request. When the server lets one go (nginx does after 5 s without a complete header),
it connects again at once, so the pressure never lets up. Every client connects from --source, one
address as one attacker would (on loopback any 127.x.y.z is this machine), while the watchers ask
from the usual address. Meanwhile scripts/health_watch.py's watchers
ask for /health/ and for the home page: nginx sends /health/ to gunicorn's second listener, so only
the page shows that the page workers are free. Exit 0 when every answer came within the limit, as a 200.

Straight at gunicorn's sync workers this stalls the site: each slow client holds a worker until
gunicorn's 30 s timeout. Behind nginx (deploy/nginx), nginx holds them and gunicorn never sees them;
with 1,024 connections in all (nginx's default), about 1,000 of them took nginx down (issue 21).
"""

from __future__ import annotations

import argparse
import resource
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from health_watch import Watch


def held_open(connection: socket.socket) -> bool:
    """Sends one byte; True while the server neither answered (a 408, say) nor closed the connection."""
    try:
        connection.send(b"x")
    except BlockingIOError:
        return True
    except OSError:
        return False
    try:
        connection.recv(1, socket.MSG_PEEK)  # an answer, or b"" when closed: either way, let go
    except BlockingIOError:
        return True  # nothing to read: still waiting for the rest of our request
    except OSError:
        return False
    return False


class SlowClients:
    def __init__(self, host: str, port: int, count: int, source: str | None = None):
        self.address = (host, port)
        self.source = (source, 0) if source else None
        self.count = count
        self.sockets: list[socket.socket | None] = [None] * count
        self.let_go = 0  # connections the server closed
        self.refused = 0

    def connect(self, index: int) -> None:
        try:
            connection = socket.create_connection(self.address, timeout=5, source_address=self.source)
            connection.sendall(f"GET / HTTP/1.1\r\nHost: {self.address[0]}\r\nX-Slow: ".encode())
            connection.setblocking(False)
            self.sockets[index] = connection
        except OSError:
            self.refused += 1
            self.sockets[index] = None

    def trickle(self) -> None:
        """One more header byte on every connection, connecting again for those the server let go."""
        for index, connection in enumerate(self.sockets):
            if connection is not None and held_open(connection):
                continue
            if connection is not None:
                connection.close()
                self.let_go += 1
            self.connect(index)

    def held(self) -> int:
        return sum(connection is not None for connection in self.sockets)

    def close(self) -> None:
        for connection in self.sockets:
            if connection is not None:
                connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--clients", type=int, default=1100)
    parser.add_argument("--source", default=None, help="the address every slow client connects from")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--pause", type=float, default=1.0)
    parser.add_argument("--limit", type=float, default=1.0)
    arguments = parser.parse_args()
    where = urlsplit(arguments.base_url)
    # A socket each, and the watchers' besides: more than the usual 1,024 open files.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = arguments.clients + 256
    if soft < wanted:
        allowed = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (allowed, hard))
    clients = SlowClients(where.hostname, where.port or 80, arguments.clients, arguments.source)
    for index in range(arguments.clients):
        clients.connect(index)
    base = arguments.base_url.rstrip("/")
    watches = [Watch(base + "/health/", arguments.limit), Watch(base + "/", arguments.limit, name="home page")]
    stop = threading.Event()
    watchers = [threading.Thread(target=watch.run, args=(stop,)) for watch in watches]
    for watcher in watchers:
        watcher.start()
    ends = time.monotonic() + arguments.seconds
    try:
        while time.monotonic() < ends:
            time.sleep(arguments.pause)
            clients.trickle()
    finally:
        stop.set()
        for watcher in watchers:
            watcher.join()
        connected = clients.held()
        clients.close()
    print(
        f"slow clients: {arguments.clients} from {arguments.source or 'this address'} trickling headers for "
        f"{arguments.seconds:.0f} s, {connected} connected at the end; the server let go of "
        f"{clients.let_go} and refused {clients.refused} connections"
    )
    for watch in watches:
        print(watch.summary(), flush=True)
    return 0 if all(watch.passed for watch in watches) else 1


if __name__ == "__main__":
    sys.exit(main())
