"""What both bench scripts need: Django management commands and gunicorn, run as in production."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


class CommandFailed(RuntimeError):
    pass


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise CommandFailed(f"manage.py {args[0]} failed:\n{result.stderr}")
    return result.stdout


@dataclass(frozen=True)
class Server:
    base: str
    master_pid: int


@contextmanager
def gunicorn(env: dict[str, str], port: int, health_headers: dict[str, str] | None = None):
    """gunicorn exactly as in production (gunicorn.conf.py), on 127.0.0.1:port, once /health/ answers 200."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        # Another run, or another developer's server: its answers would be taken for ours.
        raise CommandFailed(f"port {port} is already in use on 127.0.0.1: choose another (--port, BENCH_PORT)")
    process = subprocess.Popen(
        [GUNICORN, "itb_portal.wsgi", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(f"{base}/health/", headers=health_headers or {})
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise CommandFailed(f"gunicorn on port {port} did not start") from None
                time.sleep(0.2)
        yield Server(base, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
