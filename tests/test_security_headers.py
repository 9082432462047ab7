"""Security headers on public pages, and a CSP that allows no inline script but the one we hash."""

import base64
import hashlib
import re

import pytest

from tests.public_pages import public_paths

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>(.*?)</script>", re.S)


def test_every_inline_script_is_allowed_by_its_hash_and_nothing_else_is(client, fixture_sections):
    for path in public_paths():
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        for body in INLINE_SCRIPT.findall(response.content.decode()):
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in script_src, (path, body)


def test_pages_forbid_framing_and_sniffing_and_limit_features(client, fixture_sections):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
