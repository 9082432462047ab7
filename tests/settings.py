"""Test settings: production settings (debug off) with a throwaway key and no HTTPS redirect.

pytest-django imports settings before any conftest runs, so the environment is set here.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-for-the-itb-portal-suite-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
# pytest-django's live_server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from itb_portal.settings import *  # noqa: F403

# Fast hashing: the suite creates users, and security of test passwords does not matter.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Rendered pages stay in this process: a test run never reads pages an earlier run left on disk.
CACHES = {**CACHES, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}}  # noqa: F405

# Emails stay in this process (django.core.mail.outbox), the live server's thread included.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Two pseudo-locales, for tests only (tests/pseudo_locale.py writes their catalogs at test time): every
# interface message accented and bracketed, and the same right to left. A page in one shows at a glance
# (and to a test) any English that did not go through translation.
PSEUDO_LANGUAGES = [("en-xa", "[Ƥšéûðö-Éñĝļîšĥ]"), ("ar-xb", "Pseudo right-to-left")]
LANGUAGES = [*LANGUAGES, *PSEUDO_LANGUAGES]  # noqa: F405
LANGUAGES_BIDI = [*LANGUAGES_BIDI, "ar"]  # noqa: F405
