"""nginx is sized for a public site (issue 21): a worker per core with thousands of connections each,
limits per client address with a separate, generous zone for /health/, and short header and body
timeouts. scripts/load-test proves it under 1,100 slow connections from one address."""

import importlib.util
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "deploy" / "nginx" / "nginx.conf"
SITE = ROOT / "deploy" / "nginx" / "templates" / "default.conf.template"


def directive(text: str, name: str) -> str:
    found = re.findall(rf"^\s*{name}\s+([^;]+);", text, re.M)
    assert len(found) == 1, (name, found)
    return found[0].strip()


def block(text: str, opening: str) -> str:
    return re.search(rf"{re.escape(opening)} \{{(.*?)\n    \}}", text, re.S).group(1)


def seconds(value: str) -> int:
    return int(value.removesuffix("s"))


def test_a_worker_per_core_with_room_for_thousands_of_connections():
    text = MAIN.read_text()
    assert directive(text, "worker_processes") == "auto"
    connections = int(directive(text, "worker_connections"))
    assert connections >= 4096  # 1,100 slow clients took down the 1,024 nginx has by default
    # Each proxied request holds two connections, and each a file descriptor.
    assert int(directive(text, "worker_rlimit_nofile")) >= 2 * connections


def test_make_production_runs_the_same_main_configuration(tmp_path):
    spec = importlib.util.spec_from_file_location("nginx_conf", ROOT / "scripts" / "nginx_conf.py")
    nginx_conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nginx_conf)
    written = nginx_conf.write(tmp_path, "127.0.0.1:8299", "127.0.0.1:8297", "127.0.0.1:8298").read_text()
    for name in ("worker_processes", "worker_connections", "worker_rlimit_nofile"):
        assert directive(written, name) == directive(MAIN.read_text(), name)
    assert str(tmp_path) in directive(written, "pid")


def test_compose_mounts_the_main_configuration_over_the_images_own():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in compose["services"]["nginx"]["volumes"]


def test_pages_are_limited_per_client_address_and_health_has_its_own_zone():
    text = SITE.read_text()
    zones = dict(re.findall(r"^limit_req_zone \$itb_client zone=(\w+):\S+ rate=(\d+)r/s;", text, re.M))
    assert set(zones) == {"itb_requests", "itb_health"}
    assert int(zones["itb_health"]) >= int(zones["itb_requests"])  # probes are never short of room
    assert re.search(r"^limit_conn_zone \$itb_client zone=itb_connections:\S+;", text, re.M)
    # The key is the client's address; only this machine's own checks go uncounted (an empty key).
    key = re.search(r"^map \$itb_limited \$itb_client \{(.*?)\n\}", text, re.S | re.M).group(1)
    assert re.findall(r"^\s*(\d) (\S+);", key, re.M) == [("0", '""'), ("1", "$binary_remote_addr")]
    limited = re.search(r"^geo \$itb_limited \{(.*?)\n\}", text, re.S | re.M).group(1)
    assert re.findall(r"^\s*(\S+)\s+(\d);", limited, re.M) == [
        ("default", "1"),
        ("127.0.0.1/32", "0"),
        ("::1/128", "0"),
    ]
    pages, health = block(text, "location /"), block(text, "location = /health/")
    assert re.search(r"limit_req zone=itb_requests burst=\d+ nodelay;", pages)
    assert re.search(r"limit_conn itb_connections \d+;", pages)
    assert re.search(r"limit_req zone=itb_health burst=\d+ nodelay;", health)
    assert "itb_requests" not in health and "limit_conn" not in health
    assert directive(text, "limit_req_status") == directive(text, "limit_conn_status") == "429"


def test_slow_clients_are_let_go_soon():
    text = SITE.read_text()
    assert seconds(directive(text, "client_header_timeout")) <= 5
    assert seconds(directive(text, "client_body_timeout")) <= 10
    assert seconds(directive(text, "send_timeout")) <= 10
