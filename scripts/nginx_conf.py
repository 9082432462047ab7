"""Writes an nginx configuration for running the production topology on this machine.

    python scripts/nginx_conf.py DIR --listen 127.0.0.1:8000 --app 127.0.0.1:8001 --health 127.0.0.1:8002

DIR gets nginx.conf (pid file, temp folders and logs all inside DIR, so nginx runs as the current
user without touching the system's configuration) which includes conf.d/itb-portal.conf: the
template deploy/nginx/templates/default.conf.template filled in exactly as the nginx image fills it
in for docker-compose.yml (only the ${ITB_...} names this script sets; nginx's own $variables stay).
"""

from __future__ import annotations

import argparse
import getpass
import grp
import os
import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "templates" / "default.conf.template"
TEMP_FOLDERS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def fill(template: str, values: dict[str, str]) -> str:
    """As envsubst with a list of names: ${NAME} for the names given, nothing else."""
    return re.sub(r"\$\{(\w+)\}", lambda found: values.get(found.group(1), found.group(0)), template)


def main_config(folder: Path) -> str:
    temp_paths = "\n".join(f"    {name}_temp_path {folder / name};" for name in TEMP_FOLDERS)
    # Run by root, nginx would hand its workers to "nobody", who cannot use these folders.
    user = f"user {getpass.getuser()} {grp.getgrgid(os.getgid()).gr_name};\n" if os.geteuid() == 0 else ""
    return f"""# Written by scripts/nginx_conf.py: the system's nginx, run as this user, with everything in {folder}.
{user}worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log stderr crit;
events {{
    worker_connections 1024;
}}
http {{
{temp_paths}
    include {folder / "conf.d"}/*.conf;
}}
"""


def write(folder: Path, listen: str, app: str, health: str) -> Path:
    folder = folder.resolve()
    for name in (*TEMP_FOLDERS, "conf.d"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    site = fill(TEMPLATE.read_text(), {"ITB_LISTEN": listen, "ITB_APP_ADDRESS": app, "ITB_HEALTH_ADDRESS": health})
    (folder / "conf.d" / "itb-portal.conf").write_text(site)
    config = folder / "nginx.conf"
    config.write_text(main_config(folder))
    return config


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--listen", required=True, help="where nginx listens, e.g. 127.0.0.1:8000")
    parser.add_argument("--app", required=True, help="gunicorn's address for pages, e.g. 127.0.0.1:8001")
    parser.add_argument("--health", required=True, help="gunicorn's address for /health/, e.g. 127.0.0.1:8002")
    arguments = parser.parse_args()
    print(write(arguments.folder, arguments.listen, arguments.app, arguments.health))
