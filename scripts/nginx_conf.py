"""Writes an nginx configuration for running the production topology on this machine.

    python scripts/nginx_conf.py DIR --listen 127.0.0.1:8000 --app 127.0.0.1:8001 --health 127.0.0.1:8002

DIR gets nginx.conf: deploy/nginx/nginx.conf, as docker-compose.yml uses it, with its pid file,
temp folders and logs all inside DIR, so nginx runs as the current user without touching the
system's configuration. It includes conf.d/itb-portal.conf: the template
deploy/nginx/templates/default.conf.template filled in exactly as the nginx image fills it in for
docker-compose.yml (only the ${ITB_...} names this script sets; nginx's own $variables stay).
"""

from __future__ import annotations

import argparse
import getpass
import grp
import os
import re
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent.parent / "deploy" / "nginx"
TEMPLATE = DEPLOY / "templates" / "default.conf.template"
MAIN = DEPLOY / "nginx.conf"
TEMP_FOLDERS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def fill(template: str, values: dict[str, str]) -> str:
    """As envsubst with a list of names: ${NAME} for the names given, nothing else."""
    return re.sub(r"\$\{(\w+)\}", lambda found: values.get(found.group(1), found.group(0)), template)


def main_config(folder: Path) -> str:
    """deploy/nginx/nginx.conf with this machine's paths in place of the image's."""
    temp_paths = "".join(f"    {name}_temp_path {folder / name};\n" for name in TEMP_FOLDERS)
    # Run by root, nginx would hand its workers to "nobody", who cannot use these folders.
    user = f"user {getpass.getuser()} {grp.getgrgid(os.getgid()).gr_name};" if os.geteuid() == 0 else ""
    replacements = {
        "user nginx;": user,
        "error_log /var/log/nginx/error.log crit;": "error_log stderr crit;\ndaemon off;",
        "pid /var/run/nginx.pid;": f"pid {folder / 'nginx.pid'};",
        "http {\n": "http {\n" + temp_paths,
        "include /etc/nginx/conf.d/*.conf;": f"include {folder / 'conf.d'}/*.conf;",
    }
    config = MAIN.read_text()
    for image, here in replacements.items():
        if image not in config:
            raise ValueError(f"{MAIN}: expected {image!r}, which this script replaces")
        config = config.replace(image, here, 1)
    return f"# Written by scripts/nginx_conf.py from {MAIN}, with everything in {folder}.\n{config}"


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
