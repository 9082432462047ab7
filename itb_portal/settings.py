"""Settings for the ITB portal, read top to bottom from the environment.

Defaults are safe: debug is off, and with debug off a secret key must be given.
"""

import hashlib
import ipaddress
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
CONTENT_DIR = Path(os.environ.get("ITB_CONTENT_DIR", BASE_DIR / "content"))


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def parse_networks(name: str, items: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(item, strict=False) for item in items]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}; give addresses or networks, comma-separated") from error


DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is not 1. Refusing to start with a known key."
        )
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# The public address used in printouts, QR codes and canonical links when a
# request is not at hand (for example in the export command).
SITE_URL = os.environ.get("ITB_SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "reversion",
    "axes",
    "itb_portal.booklet",
    "itb_portal.symptoms",
    "itb_portal.contacts",
    "itb_portal.printing",
    "itb_portal.sharing",
    "itb_portal.companion",
    "itb_portal.pagecache",
    "itb_portal.search",
    "itb_portal.feedback",
    "itb_portal.audit",
    # The data files in content/ and their records (review dates, sign-off, text approved in the admin).
    "itb_portal.datafiles",
    # Last: it replaces the section admin with one that saves drafts, and makes its groups once every
    # app's permissions exist.
    "itb_portal.editorial",
]

MIDDLEWARE = [
    # Answers the health probe whatever its Host header, before anything validates it.
    "itb_portal.health.HealthProbeMiddleware",
    # Outermost, so every response carries these headers: static files from WhiteNoise,
    # the HTTPS redirect and error pages included.
    "csp.middleware.CSPMiddleware",
    "itb_portal.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Kept pages carry their own gzip copy; this compresses the rest (not the admin).
    "itb_portal.middleware.PublicPagesGZip",
    # 304 for a browser whose copy matches a page's ETag or Last-Modified (itb_portal/pagecache/pages.py).
    "django.middleware.http.ConditionalGetMiddleware",
    "itb_portal.middleware.QueriesAreNeverCached",
    "itb_portal.middleware.PublicPagesSetNoCookies",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "itb_portal.middleware.DatabaseUnavailable",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itb_portal.urls"
WSGI_APPLICATION = "itb_portal.wsgi.application"

TEMPLATES = [
    {
        # Public pages: Jinja2 with the NHS.UK frontend macros.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "itb_portal.jinja2.environment"},
    },
    {
        # The admin and the markdownx widget keep Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "itb_portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer must fail fast (503), not hold a worker until it is killed.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5"))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A cache outage must never take the site down: fall back to rendering.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out sign-in is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin sign-in: after AXES_FAILURE_LIMIT failures for one username from one address,
# that pair is locked out for the cool-off time. Failures are kept in the database so
# every gunicorn worker sees them. Public pages never sign in, so axes never runs there.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "itb_portal.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "itb_portal.security.client_ip"
# Our own reverse proxies, as addresses or networks. X-Forwarded-For, which anyone can write, is
# read only on a request whose connecting address is one of these (itb_portal/security.py), so
# a client that reaches the app directly cannot choose the address its failures count against.
# The default is this machine only: nginx in front, as `make production` and deploy/ run it.
TRUSTED_PROXIES = parse_networks("DJANGO_TRUSTED_PROXIES", env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.0/8,::1"))
if "DJANGO_TRUSTED_PROXY_COUNT" in os.environ:
    # A count trusts the header from whoever connects, proxy or not: refuse it rather than ignore it.
    raise ImproperlyConfigured(
        "DJANGO_TRUSTED_PROXY_COUNT is no longer read: name your proxies' addresses in "
        "DJANGO_TRUSTED_PROXIES instead (for example 10.0.0.5 or 10.0.0.0/24)."
    )

# Caching (itb_portal/pagecache). `pages`: whole public pages, shared by every worker, and by every
# app server when Redis is set, so one render serves them all and copies outlive a database outage.
# The prefix names the database, so two sites never serve each other's pages. `local`: this
# process's copy of each kept page, checked against the shared one's tag (no network, no disk).
_db = DATABASES["default"]
PAGE_CACHE_PREFIX = hashlib.sha256(f"{_db['ENGINE']}|{_db.get('HOST')}|{_db.get('PORT')}|{_db['NAME']}".encode())
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": PAGE_CACHE_PREFIX.hexdigest()[:12]}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("ITB_PAGE_CACHE_DIR", str(Path(tempfile.gettempdir()) / "itb-portal-pages")),
        "KEY_PREFIX": PAGE_CACHE_PREFIX.hexdigest()[:12],
    }
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "itb-portal-local",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT_OVERRIDE", BASE_DIR / "staticfiles"))
# static/dist is built by `npm run build`; images and our scripts are served as written.
STATICFILES_DIRS = [
    BASE_DIR / "static" / "dist",
    ("img", BASE_DIR / "static" / "img"),
    ("js", BASE_DIR / "static" / "js"),
]
# Hashed, compressed files need collectstatic; development and tests serve straight from the finders.
STATIC_MANIFEST = os.environ.get("DJANGO_STATIC_MANIFEST", "0" if DEBUG else "1") == "1"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_MAX_AGE = 3600

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Security: sensible in production, harmless in development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Only the admin uses cookies, so a browser never sends them to a public page.
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/" + ADMIN_URL
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_AGE", str(60 * 60 * 4)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
# Outside the admin no view takes a form post, so a failed CSRF check there is a method not allowed (405).
CSRF_FAILURE_VIEW = "itb_portal.views.csrf_failure"
if not DEBUG:
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The port the proxy listens on, which links and kept pages name (deploy/nginx sets it, overwriting a client's).
    USE_X_FORWARDED_PORT = True
    # The container's health probe asks over plain HTTP from inside (Dockerfile HEALTHCHECK).
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Email: sign-off notices to approvers and editors (itb_portal/editorial/notify.py), never patient data.
# In development they are printed to the console; in production they go by SMTP, set here.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "1") == "1"
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "itb-portal@localhost")

# Content Security Policy: everything from this site only. The one inline script is
# NHS.UK frontend's one-line feature test in its page template; it is allowed by its
# hash (tests/test_security_headers.py proves the hash matches), never by 'unsafe-inline'.
# JSON data blocks (<script type="application/json">, JSON-LD) are never run, so they need no hash.
NHSUK_FEATURE_TEST_SCRIPT_HASH = "'sha256-tDOvXJi1PXbg0CWjLCCYSNHRXtps26K4JXkE3M6u/c0='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NHSUK_FEATURE_TEST_SCRIPT_HASH],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# No page needs these. browsing-topics (Chrome's interest tracking) replaced interest-cohort, which
# browsers no longer recognise.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"

MARKDOWNX_MARKDOWNIFY_FUNCTION = "itb_portal.booklet.blocks.preview"

LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors_without_traceback": {"()": "itb_portal.security.ClientErrorsWithoutTraceback"},
        "query_strings_not_logged": {"()": "itb_portal.security.QueryStringsNotLogged"},
        "csrf_refusals_as_answered": {"()": "itb_portal.security.CsrfRefusalsAsAnswered"},
    },
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s: %(message)s"},
        "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors_without_traceback"],
        },
        "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["query_strings_not_logged"]},
    },
    "loggers": {
        # Django's own defaults give these a console handler of their own when debug is on, beside
        # ours on the root: every warning was printed twice by `make run`. Here they have none.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "py.warnings": {"handlers": [], "propagate": True},
        # Outside the admin a refused CSRF check is answered 405: logged as that, not as "Forbidden".
        "django.security.csrf": {"filters": ["csrf_refusals_as_answered"]},
        # `manage.py runserver`'s request lines, without the query strings that hold checker choices.
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
MARKDOWNX_URLS_PATH = f"/{ADMIN_URL}markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = f"/{ADMIN_URL}markdownx/upload-disabled/"
