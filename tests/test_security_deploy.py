"""Django's own deployment checklist passes with the production settings as deployed."""

import subprocess
import sys

from django.conf import settings


def test_check_deploy_prints_no_warnings():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "deploy-check-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP",
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "itb_portal.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
